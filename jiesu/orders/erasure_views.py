"""The supervisor's page for erasing one order's personal data (issue 12, defect 11)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import erasure, selectors
from .models import WorkOrder


@login_required
@require_http_methods(["GET", "POST"])
def erase(request, number: str):
    try:
        order = selectors.get_order_for(request.user, number)
    except WorkOrder.DoesNotExist:
        raise Http404("工单不存在或无权查看") from None
    if not erasure.can_erase(request.user):
        raise PermissionDenied("只有督办员可以删除工单中的个人信息。")
    errors: dict = {}
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if request.POST.get("confirm") != "yes":
            errors["confirm"] = ["请勾选确认：删除后无法恢复。"]
        else:
            try:
                erasure.erase_personal_data(order, actor=request.user, reason=reason)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, f"工单{order.number}的个人信息已按规定删除。")
                return redirect("orders:detail", number=order.number)
    return render(
        request,
        "orders/erase.html",
        {"order": order, "errors": errors, "reason": reason},
        status=400 if errors else 200,
    )
