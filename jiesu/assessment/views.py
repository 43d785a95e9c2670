"""Assessment screens: dashboard with charts, rankings and export for the centre; each unit's own
scores and the orders that cost it points; appeals (R31.1, R34.1, R7.1). Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiesu.core import roles, worklists
from jiesu.directory.models import Place, Unit
from jiesu.orders.models import WorkOrder

from . import centre, core, export, forms, selectors, services
from .models import GROUPS, Appeal, StaffRecognition


def _month(request, default=None):
    text = request.GET.get("month") or request.POST.get("month")
    if text:
        try:
            return services.parse_month(text)
        except ValidationError:
            raise Http404("考核月份格式应为YYYY-MM") from None
    return default


def _flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@login_required
def dashboard(request):
    if request.user.role in roles.UNIT_ROLES:
        return redirect("assessment:unit", unit_id=request.user.unit_id)
    if request.user.role == roles.DISTRICT_OVERSIGHT:
        return redirect("centre:oversight")
    selectors.check_sees_all(request.user)
    runs = list(selectors.runs()[:24])
    month = _month(request, runs[0].month if runs else None)
    run = selectors.run_for(month) if month else None
    group = request.GET.get("group", "township")
    if group not in dict(GROUPS):
        group = "township"
    ctx = {
        "runs": runs,
        "run": run,
        "group": group,
        "groups": [g for g in GROUPS if g[0] != "other"],
        "can_compute": roles.is_decider(request.user),
        "districts": Place.objects.filter(level="district").order_by("code"),
    }
    # The centre's own figures beside the units' (R31.1), read from the month's events: they
    # need no computed run, so the current month shows before its assessment is run.
    centre_month = month or timezone.localdate().replace(day=1)
    centre_fig = centre.month_figures(centre_month)
    ctx.update(
        {
            "centre_month": centre_month,
            "centre_fig": centre_fig,
            "centre_people": centre.named(centre_fig),
            "staff_recognition": StaffRecognition.objects.filter(month=centre_month).select_related("person", "unit"),
        }
    )
    if run:
        table = list(selectors.ranking(run, group))
        trend = selectors.trend(group)
        ctx.update(
            {
                "table": table,
                "recognition": selectors.recognition(run),
                "summary": selectors.group_summary(run),
                "chart": {
                    "units": [s.unit.name for s in table[:30]],
                    "scores": [float(s.score) for s in table[:30]],
                    "classes": [{"name": k, "value": v} for k, v in selectors.class_counts(run).get(group, {}).items()],
                    "months": [f"{t['run__month']:%Y-%m}" for t in trend],
                    "avg": [round(float(t["avg"] or 0), 2) for t in trend],
                    "sat": [round(float(t["sat"] or 0) * 100, 2) for t in trend],
                    "res": [round(float(t["res"] or 0) * 100, 2) for t in trend],
                },
            }
        )
    return render(request, "assessment/dashboard.html", ctx)


@login_required
@require_POST
def compute(request):
    if not roles.is_decider(request.user):
        raise PermissionDenied("只有督办员或政务服务局管理员可以计算考核结果。")
    month = _month(request)
    if month is None:
        raise Http404("请指定考核月份")
    try:
        run = services.run_assessment(month, actor=request.user)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("assessment:dashboard")
    messages.success(request, f"{month:%Y-%m} 考核已计算：{run.units}个单位，{run.lines}条，用时{run.seconds}秒")
    return redirect(f"{reverse('assessment:dashboard')}?month={month:%Y-%m}")


@login_required
def export_xlsx(request, month: str):
    selectors.check_sees_all(request.user)
    try:
        month_day = services.parse_month(month)
    except ValidationError:
        raise Http404("考核月份格式应为YYYY-MM") from None  # as _month: a month not there is not found
    run = selectors.run_for(month_day)
    if run is None:
        raise Http404("该月尚未计算考核结果")
    district = None
    if request.GET.get("district"):
        district = get_object_or_404(Place, code=request.GET["district"], level="district")
    data = export.workbook(run, district=district)
    name = f"{run.month:%Y-%m}-assessment{'-' + district.code if district else ''}.xlsx"
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def unit(request, unit_id: int):
    """A unit's own scores over the months and the orders that cost it points (units: only their own)."""
    selectors.check_sees_unit(request.user, unit_id)
    u = get_object_or_404(Unit, pk=unit_id)
    history = list(selectors.unit_history(unit_id))
    month = _month(request, history[0].run.month if history else None)
    run = selectors.run_for(month) if month else None
    score = run.scores.filter(unit_id=unit_id).first() if run else None
    deductions = list(selectors.unit_deductions(run, unit_id)) if score else []
    appealed = (
        set(Appeal.objects.filter(unit_id=unit_id, month=month).values_list("order_id", flat=True)) if month else set()
    )
    return render(
        request,
        "assessment/unit.html",
        {
            "unit": u,
            "history": history,
            "run": run,
            "score": score,
            "deductions": deductions,
            "appealed": appealed,
            "month": month,
            "can_appeal": request.user.role in roles.UNIT_ROLES and request.user.unit_id == unit_id,
            "appeals": selectors.appeals_of(unit_id)[:50],
            "appeal_form": forms.AppealForm(),
            "class_labels": core.CLASS_LABELS,
            "chart": {
                "history": True,
                "months": [f"{h.run.month:%Y-%m}" for h in reversed(history)],
                "scores": [float(h.score) if h.score is not None else None for h in reversed(history)],
            },
        },
    )


@login_required
@require_POST
def appeal(request):
    form = forms.AppealForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写申诉理由。")
        return redirect("assessment:dashboard")
    d = form.cleaned_data
    order = WorkOrder.objects.filter(number=d["order"]).first()
    try:
        if order is None:
            raise ValidationError({"order": ["工单不存在。"]})
        services.file_appeal(
            order,
            actor=request.user,
            month=services.parse_month(d["month"]),
            reason=d["reason"],
            evidence=d.get("evidence"),
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已提交申诉：{order.number}")
    return redirect(f"{reverse('assessment:unit', args=[request.user.unit_id])}?month={d['month']}")


@login_required
def appeals(request):
    if not roles.is_decider(request.user):
        raise PermissionDenied("申诉审核只对督办员和政务服务局开放。")
    f = worklists.read_filters(request.GET)
    qs = worklists.apply(selectors.appeals_of(), f, order="order__", due=None, unit="unit__")
    # Oldest first while waiting (the centre decides in order), newest first once decided.
    pending = Paginator(qs.filter(status=Appeal.PENDING).order_by("filed_at", "id"), worklists.PER_PAGE)
    decided = Paginator(qs.exclude(status=Appeal.PENDING).order_by("-decided_at", "-id"), worklists.PER_PAGE)
    return render(
        request,
        "assessment/appeals.html",
        {
            "pending": pending.get_page(request.GET.get("pending_page")),
            "decided": decided.get_page(request.GET.get("decided_page")),
            "filters": f,
            "keep": f.query_string(),
            "with_unit": True,
            "list_id": "appeals",
            **worklists.choices_context(),
            "decide_form": forms.DecideAppealForm(),
            "certify_form": forms.CertifyForm(),
            "credit_form": forms.CreditForm(),
        },
    )


@login_required
@require_POST
def decide_appeal(request, pk: int):
    form = forms.DecideAppealForm(request.POST)
    a = get_object_or_404(Appeal, pk=pk)
    if not form.is_valid():
        messages.error(request, "请选择审核结果并填写意见。")
        return redirect("assessment:appeals")
    try:
        services.decide_appeal(
            a, actor=request.user, uphold=form.cleaned_data["decision"] == "uphold", note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已审核申诉：{a.order.number}（重新计算{a.month:%Y-%m}考核后生效）")
    return redirect("assessment:appeals")


@login_required
@require_POST
def certify(request):
    form = forms.CertifyForm(request.POST)
    if form.is_valid():
        order = WorkOrder.objects.filter(number=form.cleaned_data["order"]).first()
        try:
            if order is None:
                raise ValidationError({"order": ["工单不存在。"]})
            services.certify_unreasonable(order, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已认定为不合理诉求：{order.number}")
    else:
        messages.error(request, "请填写工单编号和认定理由。")
    return redirect("assessment:appeals")


@login_required
@require_POST
def credit(request):
    form = forms.CreditForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        u = Unit.objects.filter(code=d["unit"]).first()
        try:
            if u is None:
                raise ValidationError({"unit": ["单位代码不存在。"]})
            services.grant_credit(
                u,
                actor=request.user,
                month=services.parse_month(d["month"]),
                kind=d["kind"],
                points=d["points"],
                note=d["note"],
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已为{u.name}加分")
    else:
        messages.error(request, "加分信息不完整。")
    return redirect("assessment:appeals")


@login_required
@require_POST
def recognise(request):
    """R7.1: recognise one person for a month, from the dashboard."""
    from jiesu.directory.models import User

    if not roles.is_decider(request.user):
        raise PermissionDenied("只有督办员或政务服务局管理员可以表扬个人。")
    month_text = request.POST.get("month", "")
    person = User.objects.filter(username=request.POST.get("person", "").strip()).first()
    number = request.POST.get("order", "").strip()
    order = WorkOrder.objects.filter(number=number).first() if number else None
    try:
        month = services.parse_month(month_text)
        if person is None:
            raise ValidationError({"person": ["表扬对象：用户名不存在。"]})
        if number and order is None:
            raise ValidationError({"order": ["相关工单：工单不存在。"]})
        services.recognise_person(
            person, actor=request.user, month=month, reason=request.POST.get("reason", ""), order=order
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已表扬{person}")
    return redirect(f"{reverse('assessment:dashboard')}?month={month_text}")
