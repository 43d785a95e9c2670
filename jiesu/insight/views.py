"""Console pages of insight: alerts (R27.1) and topics (R18.1, R24.1). Thin: selectors and
services decide who sees what and what changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiesu.core import roles

from . import selectors, services, topic_views
from .models import Alert


def _may_see_alerts(user) -> bool:
    return roles.has_role(user, roles.CENTRE_ROLES) or (user.role in roles.UNIT_ROLES and bool(user.unit_id))


@login_required
def alert_list(request):
    if not _may_see_alerts(request.user):
        raise PermissionDenied(_("您的角色不能查看预警。"))
    qs = selectors.alerts_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in dict(Alert.STATUSES):
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in dict(Alert.KINDS):
        qs = qs.filter(kind=kind)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        names = selectors.matter_names()
        codes = [c for c, n in names.items() if q in n]
        qs = qs.filter(
            Q(place__name__icontains=q)
            | Q(place__parent__name__icontains=q)
            | Q(matter_code__in=codes)
            | Q(cues__icontains=q)
        )
    page = Paginator(qs.order_by("-raised_at", "-id"), 30).get_page(request.GET.get("page"))
    names = selectors.matter_names()
    rows = [{"alert": a, "what": selectors.what(a, names), "place": selectors.place_name(a.place)} for a in page]
    return render(
        request,
        "insight/alerts.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "status": status,
            "kind": kind,
            "statuses": Alert.STATUSES,
            "kinds": Alert.KINDS,
            "open_count": selectors.alerts_visible_to(request.user).filter(status=Alert.OPEN).count(),
        },
    )


@login_required
def alert_detail(request, pk: int):
    alert = get_object_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    return _render_alert(request, alert)


def _render_alert(request, alert: Alert, *, errors: dict | None = None, status: int = 200):
    from jiesu.orders.selectors import orders_visible_to

    visible = set(orders_visible_to(request.user).filter(pk__in=alert.orders.values("pk")).values_list("pk", flat=True))
    orders = alert.orders.select_related("district", "subdistrict", "community").order_by("received_at")
    return render(
        request,
        "insight/alert.html",
        {
            "alert": alert,
            "what": selectors.what(alert),
            "place": selectors.place_name(alert.place),
            "orders": [{"order": o, "visible": o.pk in visible} for o in orders],
            "units": alert.units.order_by("name"),
            "events": alert.events.select_related("actor"),
            "errors": errors or {},
        },
        status=status,
    )


@login_required
@require_POST
def acknowledge(request, pk: int):
    alert = get_object_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    try:
        services.acknowledge_alert(alert, actor=request.user)
    except ValidationError as exc:
        return _render_alert(request, alert, errors=exc.message_dict, status=400)
    messages.success(request, _("已确认预警。"))
    return redirect("insight:alert", pk=alert.pk)


@login_required
@require_POST
def close(request, pk: int):
    alert = get_object_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    try:
        services.close_alert(alert, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        return _render_alert(request, alert, errors=exc.message_dict, status=400)
    messages.success(request, _("预警已关闭。"))
    return redirect("insight:alert", pk=alert.pk)


topic_list = topic_views.topic_list
