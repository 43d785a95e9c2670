"""The in-app inbox (per unit and per user). Thin: services decide."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import Notification


@login_required
def inbox(request):
    page = Paginator(services.inbox(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread": services.unread_count(request.user)})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(services.inbox(request.user), pk=pk)
    services.mark_read(notification, user=request.user)
    if notification.order_id:
        return redirect("handling:order", number=notification.order.number)
    return redirect("notifications:inbox")
