import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jiesu.core import cockpit, roles


@login_required
def home(request):
    """Each role's start page: what waits, what is late, how the month goes, where to go next."""
    from django.utils.translation import gettext as _

    # District and city oversight read, they do not work a queue: their page is the oversight view.
    if request.user.role in roles.OVERSIGHT_ROLES:
        return redirect("centre:oversight")

    page = cockpit.for_user(request.user)
    chart = page["chart"]
    matters = chart.get("matters") or []
    chart_data = {
        **chart["monthly"],
        "daily": chart.get("daily"),
        "matters": {"names": [m for m, _n in matters], "counts": [n for _m, n in matters]} if matters else None,
        "labels": {"received": _("受理量"), "satisfaction": _("满意率%")},
    }
    return render(
        request,
        "core/home.html",
        {
            **page,
            "is_unit_page": page["unit_id"] is not None,
            "chart_data": chart_data,
            "rate_rows": [(_("本月"), page["rates"]), (_("上月"), page["last_rates"])],
            "starts": _starts(request.user.role),
        },
    )


def _starts(role: str) -> list[tuple[str, str]]:
    """The screens a role's day starts from (url name, label): the big buttons of the page."""
    from django.utils.translation import gettext as _

    by_role = {
        roles.CALL_TAKER: [("intake:new", _("受理新诉求")), ("orders:list", _("查询工单"))],
        roles.DISPATCHER: [
            ("dispatch:queue", _("派单审核")),
            ("handling:supervision", _("督办看板")),
            ("linkage:transfers", _("京津冀联动")),
        ],
        roles.SUPERVISOR: [
            ("handling:supervision", _("督办看板")),
            ("followup:queue", _("回访队列")),
            ("assessment:dashboard", _("月度考核")),
        ],
        roles.UNIT_HANDLER: [("handling:workbench", _("承办工作台")), ("orders:list", _("本单位工单"))],
        roles.UNIT_ADMIN: [
            ("handling:workbench", _("承办工作台")),
            ("assessment:dashboard", _("本单位考核")),
            ("assessment:appeals", _("考核申诉")),
            ("centre:unit_users", _("本单位账号")),
        ],
        roles.ANALYST: [("assessment:dashboard", _("月度考核")), ("orders:list", _("全部工单"))],
        roles.BUREAU_ADMIN: [
            ("assessment:dashboard", _("月度考核")),
            ("admin:index", _("规则与名录管理")),
            ("orders:list", _("全部工单")),
        ],
    }
    return by_role.get(role, [("orders:list", _("全部工单"))])


CJK = re.compile(r"[\u4e00-\u9fff]")


def forbidden(request, exception=None):
    """403 in Chinese. Our PermissionDenied messages name the role a page is for and are shown;
    a bare or English one (a library's) is replaced by the general sentence."""
    reason = str(exception or "")
    return render(request, "403.html", {"reason": reason if CJK.search(reason) else ""}, status=403)


# Paths whose clients read JSON: a URL that matches nothing there (a malformed order number or
# id) is answered as the API answers a missing object, not with the console's HTML page.
API_PREFIXES = ("/api/", "/handling/api/", "/linkage/api/")


def not_found(request, exception=None):
    if request.path.startswith(API_PREFIXES):
        from django.http import JsonResponse

        return JsonResponse({"detail": "不存在或无权查看。"}, status=404, json_dumps_params={"ensure_ascii": False})
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
