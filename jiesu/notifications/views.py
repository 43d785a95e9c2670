"""The in-app inbox (per unit and per user). Thin: services decide."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services


@login_required
def inbox(request):
    page = Paginator(services.inbox(request.user), 50).get_page(request.GET.get("page"))
    from jiesu.core import roles

    context = {
        "page": page,
        "rows": [(n, services.target_for(n)) for n in page],
        "unread": services.unread_count(request.user),
        "unit_roles": roles.UNIT_ROLES,
    }
    # The open page asks again every few seconds (htmx) and swaps in the list alone: a new
    # dispatch shows without the person reloading.
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_inbox_list.html", context)
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(services.inbox(request.user), pk=pk)
    services.mark_read(notification, user=request.user)
    target = services.target_for(notification)
    return redirect(target[0] if target else "notifications:inbox")


def _export_unit(request):
    """A unit's people export their own unit; the centre names the unit (?unit=code)."""
    from django.core.exceptions import PermissionDenied

    from jiesu.core import roles
    from jiesu.directory.models import Unit

    user = request.user
    if user.role in roles.UNIT_ROLES and user.unit_id:
        return user.unit, None
    if roles.has_role(user, roles.CENTRE_ROLES):
        code = request.GET.get("unit", "").strip()
        unit = Unit.objects.filter(code=code).first() if code else None
        if unit is None:
            return None, _("单位：请选择要导出的单位（unit 参数为单位代码）。")
        return unit, None
    raise PermissionDenied(_("您的角色不能导出工单。"))


@login_required
def export(request):
    """The unit's orders received in the last `days` days with their evaluations, as Excel or CSV."""
    from datetime import timedelta

    from django.http import HttpResponse
    from django.utils import timezone

    from . import exports

    unit, error = _export_unit(request)
    fmt = request.GET.get("format", "xlsx")
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 0
    if error is None and fmt not in ("xlsx", "csv"):
        error = _("格式：只能是 xlsx 或 csv。")
    if error is None and not 1 <= days <= 366:
        error = _("天数：请填写 1 到 366 之间的整数。")
    if error:
        return render(
            request, "core/bad_input.html", {"error": error, "back": reverse("notifications:inbox")}, status=400
        )
    now = timezone.now()
    orders = exports.unit_orders(unit, received_since=now - timedelta(days=days)).order_by("-received_at", "-id")
    data = exports.rows(unit, orders)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(data, _("工单与评价")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    # The unit's code, not its name, in the file name: ASCII, and no personal data.
    response["Content-Disposition"] = f'attachment; filename="orders-{unit.code}-{stamp}.{fmt}"'
    return response
