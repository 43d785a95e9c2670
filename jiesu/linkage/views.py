"""Screens of the hotline linkage (R21.1): transfer an order to a neighbour, send one back, see transfers.

Thin: check who is asking, validate the form, call one service, show its errors as they are
(the neighbour's own error text included).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiesu.core import roles, worklists
from jiesu.orders import selectors as order_selectors
from jiesu.orders.models import WorkOrder

from . import selectors, services
from .forms import PhoneReturnForm, PhoneTransferForm, ProgressForm, ReturnForm, TransferForm
from .models import Transfer


def _centre(user) -> None:
    if not roles.is_centre_actor(user):
        raise PermissionDenied(_("只有市民热线服务中心的派单员或督办员可以转办津冀热线。"))


def _order(user, number: str) -> WorkOrder:
    try:
        return order_selectors.get_order_for(user, number)
    except WorkOrder.DoesNotExist:
        raise Http404(_("工单不存在或无权查看")) from None


def _apply(form, exc: ValidationError) -> None:
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, items in errors.items():
        for message in ValidationError(items).messages:
            form.add_error(field if field in form.fields else None, message)


def _page(request, template: str, order: WorkOrder, form, status: int = 200):
    redactor = order_selectors.redactor_for(order, request.user)
    response = render(
        request,
        template,
        {
            "order": order,
            "form": form,
            "attempts": selectors.attempts_of(order),
            "redactor": redactor,
            "transfers": selectors.transfers_of(order),
            "source": services.source_hotline(order),
            "cross_region": services.is_cross_region(order),
        },
        status=status,
    )
    order_selectors.record_exposure(order, request.user, redactor, purpose="linkage_page")
    return response


def _send(request, number: str, form_class, service, template: str, done_message: str):
    """One screen shape for both directions: a reason form, then the remote call."""
    _centre(request.user)
    order = _order(request.user, number)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = service(order, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, done_message % {"to": done.hotline.unit.name, "id": done.remote_id or done.remote_token}
            )
            return redirect("orders:detail", number=order.number)
    return _page(request, template, order, form, status=400 if form.errors else 200)


@login_required
def transfer(request, number: str):
    return _send(
        request,
        number,
        TransferForm,
        services.transfer_to_neighbour,
        "linkage/transfer.html",
        _("已转%(to)s，对方工单编号%(id)s"),
    )


@login_required
def send_back(request, number: str):
    return _send(
        request,
        number,
        ReturnForm,
        services.return_to_neighbour,
        "linkage/return.html",
        _("已退回%(to)s，对方工单编号%(id)s"),
    )


@login_required
def transfer_by_phone(request, number: str):
    return _send(
        request,
        number,
        PhoneTransferForm,
        services.record_acknowledged_transfer,
        "linkage/transfer_phone.html",
        _("已登记%(to)s电话受理，对方工单编号%(id)s"),
    )


@login_required
def return_by_phone(request, number: str):
    return _send(
        request,
        number,
        PhoneReturnForm,
        services.record_acknowledged_return,
        "linkage/return_phone.html",
        _("已登记%(to)s电话收回，对方工单编号%(id)s"),
    )


@login_required
def progress(request, pk: int):
    """What the neighbour's staff said on the phone about a transfer: progress, or that they finished."""
    _centre(request.user)
    transfer = get_object_or_404(Transfer.objects.select_related("order", "hotline__unit"), pk=pk)
    order = _order(request.user, transfer.order.number)
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reported_progress(transfer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("已登记%(to)s的办理情况") % {"to": transfer.hotline.unit.name})
            return redirect("orders:detail", number=order.number)
    response = _page(request, "linkage/progress.html", order, form, status=400 if form.errors else 200)
    return response


@login_required
def transfer_list(request):
    _centre(request.user)
    f = worklists.read_filters(request.GET)
    lists = {}
    for name, qs in (("transfers", selectors.recent_transfers()), ("failures", selectors.recent_failures())):
        qs = worklists.apply(qs, f, order="order__", unit="hotline__unit__")
        lists[name] = Paginator(qs, worklists.PER_PAGE).get_page(request.GET.get(f"{name}_page"))
    return render(
        request,
        "linkage/transfers.html",
        {
            **lists,
            "filters": f,
            "keep": f.query_string(),
            "with_unit": True,
            "list_id": "linkage",
            **worklists.choices_context(),
        },
    )
