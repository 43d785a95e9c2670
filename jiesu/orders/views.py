"""Order list and order page for every role; what each sees comes from orders.selectors."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from jiesu.catalog.models import Matter

from . import choices, selectors
from .models import WorkOrder


@login_required
def order_list(request):
    qs = selectors.orders_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in dict(choices.STATUSES):
        qs = qs.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(number__startswith=query) if query[:1].isdigit() else qs.filter(content__contains=query)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "orders/list.html", {"page": page, "status": status, "q": query, "statuses": choices.STATUSES})


@login_required
def order_detail(request, number: str):
    try:
        order = selectors.get_order_for(request.user, number)
    except WorkOrder.DoesNotExist:
        raise Http404("工单不存在或无权查看")
    requester = selectors.requester_view(order, request.user, purpose="order_page")
    events = order.events.select_related("actor", "actor_unit").all()
    assignments = order.assignments.select_related("unit").all()
    matter = Matter.objects.filter(code=order.matter_code).first() if order.matter_code else None
    return render(
        request,
        "orders/detail.html",
        {"order": order, "requester": requester, "events": events, "assignments": assignments,
         "attachments": order.attachments.all(), "matter": matter},
    )
