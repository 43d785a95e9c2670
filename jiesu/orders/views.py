"""Order list and order page for every role; what each sees comes from orders.selectors."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from jiesu.catalog.models import Matter
from jiesu.core.pagination import CappedPaginator

from . import choices, selectors
from .models import WorkOrder


@login_required
def order_list(request):
    query = request.GET.get("q", "").strip()
    visible = selectors.orders_visible_to(request.user)
    found = selectors.search_orders(request.user, query, visible=visible)
    walk = selectors.search_orders(request.user, query, visible=visible, indexed=False)
    status = request.GET.get("status", "")
    if status in dict(choices.STATUSES):
        found, walk = found.filter(status=status), walk.filter(status=status)
    page = CappedPaginator(found, 30, walk=walk).get_page(request.GET.get("page"))
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
