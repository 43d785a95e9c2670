"""The unit workbench, the handling page of an order and the centre's supervision board. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiesu.core import roles, worklists
from jiesu.orders import selectors as order_selectors
from jiesu.orders.models import WorkOrder

from . import actions, forms, selectors


@login_required
def workbench(request):
    if request.user.role not in roles.UNIT_ROLES:
        if roles.is_centre_actor(request.user):
            return redirect("handling:supervision")
        raise PermissionDenied("工作台只对承办单位开放。")
    f = worklists.read_filters(request.GET)
    parts = worklists.apply(selectors.workbench_parts(request.user), f, order="order__", due="due_at")
    page = worklists.paginate(request, parts)
    return render(
        request,
        "handling/workbench.html",
        {
            "items": selectors.work_items(page),
            "page": page,
            "counts": selectors.workbench_counts(request.user),
            "filters": f,
            "keep": f.query_string(),
            "with_left": True,
            "list_id": "workbench",
            **worklists.choices_context(),
        },
    )


def _get_order(user, number: str) -> WorkOrder:
    try:
        return order_selectors.get_order_for(user, number)
    except WorkOrder.DoesNotExist:
        raise Http404("工单不存在或无权查看") from None


def _render_order(request, order: WorkOrder, *, failed: tuple[str, object] | None = None, status: int = 200):
    ctx = selectors.handling_context(order, request.user)
    available = actions.offered(order, request.user, ctx)
    if failed:
        available[failed[0]] = failed[1]
    redactor = order_selectors.redactor_for(order, request.user)
    ctx.update(
        {
            "order": order,
            "redactor": redactor,
            "requester": order_selectors.requester_view(order, request.user, purpose="handling_page"),
            "events": order.history().select_related("actor", "actor_unit"),
            "visits": order.return_visits.order_by("round"),
            "forms": available,
            "failed": failed[0] if failed else "",
            "is_centre": roles.is_centre_actor(request.user),
            "confirm_form": forms.ConfirmReportInForm,
            "report_in_form": forms.ReportInForm,
            "answer_form": forms.AnswerEscalationForm,
            "decide_form": forms.DecideExtensionForm,
        }
    )
    response = render(request, "handling/order.html", ctx, status=status)
    order_selectors.record_exposure(order, request.user, redactor, purpose="handling_page")
    return response


@login_required
def order_page(request, number: str):
    return _render_order(request, _get_order(request.user, number))


@login_required
@require_POST
def act(request, number: str, action: str):
    if action not in actions.ACTIONS:
        raise Http404("未知操作")
    order = _get_order(request.user, number)
    try:
        actions.run(action, order, request.user, request.POST, request.FILES)
    except actions.ActionFailed as failed:
        return _render_order(request, order, failed=(action, failed.form), status=400)
    messages.success(request, f"{actions.ACTIONS[action].done}：{order.number}")
    return redirect("handling:order", number=order.number)


@login_required
def supervision(request):
    if not roles.is_centre_actor(request.user):
        raise PermissionDenied("督办看板只对热线中心开放。")
    f = worklists.read_filters(request.GET)
    board = selectors.supervision_board()
    panels = {}
    for name, (_make, order_path, due, unit_path) in selectors.BOARD_PANELS.items():
        qs = worklists.apply(board[name], f, order=order_path, due=due, unit=unit_path)
        # Each panel pages on its own parameter, so paging one leaves the others where they are.
        panels[name] = Paginator(qs, worklists.PER_PAGE).get_page(request.GET.get(f"{name}_page"))
    return render(
        request,
        "handling/supervision.html",
        {
            **panels,
            "decide_form": forms.DecideExtensionForm,
            "filters": f,
            "keep": f.query_string(),
            "with_unit": True,
            "with_left": True,
            "list_id": "supervision",
            **worklists.choices_context(),
        },
    )
