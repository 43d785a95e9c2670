"""Dispatcher's review queue and the unit-side dispatch actions (R12.3, R12.4). Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiesu.core import roles, validation, worklists
from jiesu.directory.models import Unit
from jiesu.orders import choices, selectors
from jiesu.orders.models import WorkOrder

from . import selectors as dispatch_selectors, services
from .engine import current_engine
from .forms import (AnswerForm, CloseConsultationForm, CommentForm, ConsultationForm, DispatchForm, ObjectionForm,
                    RejectObjectionForm, find_unit)
from .models import Consultation, Objection


def _dispatcher(request):
    if request.user.role not in services.DISPATCHER_ROLES and not request.user.is_superuser:
        raise PermissionDenied("只有派单员或督办员可以审核派单。")


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def queue(request):
    _dispatcher(request)
    f = worklists.read_filters(request.GET)
    orders = worklists.apply(dispatch_selectors.review_queue(), f, order="", due="due_at", unit="lead_unit__")
    page = Paginator(orders, worklists.PER_PAGE).get_page(request.GET.get("page"))
    # The engine's suggestion of each row on this page only: one event read per row shown.
    rows = [(o, services.latest_decision(o)) for o in page]
    objections = worklists.apply(dispatch_selectors.pending_objections(), f, order="order__", due="order__due_at", unit="unit__")
    return render(request, "dispatch/queue.html", {
        "rows": rows, "page": page, "objections": Paginator(objections, worklists.PER_PAGE).get_page(
            request.GET.get("objections_page")),
        "filters": f, "keep": f.query_string(), "with_unit": True, "list_id": "review-queue",
        **worklists.choices_context()})


def _initial_from(suggestion: dict | None, order: WorkOrder) -> dict:
    if not suggestion:
        return {"matter_code": order.matter_code}
    lead = next((u for u in suggestion.get("units", []) if u["role"] in ("lead", "coordinate")), None)
    assist = [u["name"] for u in suggestion.get("units", []) if u["role"] == "assist"]
    return {"matter_code": (suggestion.get("matter") or {}).get("code") or order.matter_code,
            "lead": lead["name"] if lead else "", "assist": "、".join(assist)}


@login_required
def review(request, number: str):
    _dispatcher(request)
    order = get_object_or_404(WorkOrder, number=number)
    engine = current_engine()
    suggestion = services.latest_decision(order)
    matters = sorted(engine.rules.matters, key=lambda m: m.code)
    action = request.POST.get("action") if request.method == "POST" else None
    objection = order.objections.filter(status=Objection.PENDING).select_related("unit").first()
    forms = {
        "dispatch": DispatchForm(request.POST if action in ("dispatch", "accept_objection") else None,
                                 matters=matters, initial=_initial_from(suggestion, order)),
        "answer": AnswerForm(request.POST if action == "answer" else None,
                             initial={"answer": _answer_text((suggestion or {}).get("answer")) or (suggestion or {}).get("advice", "")}),
        "consult": ConsultationForm(request.POST if action == "consult" else None),
        "close": CloseConsultationForm(request.POST if action == "close_consultation" else None),
        "reject": RejectObjectionForm(request.POST if action == "reject_objection" else None),
    }
    # Choosing another matter proposes its catalog unit (console.js asks `proposal`); Alt+M
    # jumps to the matter search, Alt+U to the lead unit, Alt+D dispatches as corrected.
    forms["dispatch"].fields["matter_code"].widget.attrs.update({
        "data-unit-for-matter": reverse("dispatch:proposal", args=[order.number]), "data-lead-field": "id_lead"})
    try:
        if action == "transfer_line":
            services.transfer_to_line(order, actor=request.user, line=request.POST.get("line", ""),
                                      note="派单审核时由派单员转出")
            messages.success(request, f"已转 {request.POST.get('line')}：{order.number}")
            return _next(order)
        if action == "accept":
            services.accept_suggestion(order, actor=request.user)
            messages.success(request, f"已按建议派单：{order.number}")
            return _next(order)
        if action in ("dispatch", "accept_objection") and forms["dispatch"].is_valid():
            data = forms["dispatch"].cleaned_data
            units = [services.UnitChoice(data["lead"], "lead")] + [services.UnitChoice(u, "assist") for u in data["assist"]]
            if action == "accept_objection" and objection:
                services.accept_objection(objection, actor=request.user, note=data["note"] or "异议成立，改派",
                                          matter_code=data["matter_code"], units=units)
                messages.success(request, f"异议成立，已改派：{order.number}")
            else:
                services.dispatch_reviewed(order, actor=request.user, matter_code=data["matter_code"], units=units, note=data["note"])
                messages.success(request, f"已派单：{order.number}")
            return _next(order)
        if action == "answer" and forms["answer"].is_valid():
            services.close_with_answer(order, actor=request.user, answer=forms["answer"].cleaned_data["answer"])
            messages.success(request, f"已直接答复：{order.number}")
            return _next(order)
        if action == "consult" and forms["consult"].is_valid():
            services.open_consultation(order, actor=request.user, units=forms["consult"].cleaned_data["units"],
                                       question=forms["consult"].cleaned_data["question"])
            messages.success(request, "已发起会商")
            return redirect("dispatch:review", number=order.number)
        if action == "close_consultation" and forms["close"].is_valid():
            consultation = get_object_or_404(Consultation, pk=_consultation_id(request), order=order)
            services.close_consultation(consultation, actor=request.user, outcome=forms["close"].cleaned_data["outcome"])
            return redirect("dispatch:review", number=order.number)
        if action == "reject_objection" and objection and forms["reject"].is_valid():
            services.reject_objection(objection, actor=request.user, note=forms["reject"].cleaned_data["note"])
            messages.success(request, "异议不成立，工单继续由原单位办理")
            return _next(order)
    except ValidationError as exc:
        target = {"accept": "dispatch", "accept_objection": "dispatch", "close_consultation": "close",
                  "reject_objection": "reject"}.get(action, action)
        form = forms.get(target) or forms["dispatch"]
        if not form.is_bound:
            form = forms["dispatch"] = DispatchForm(request.POST, matters=matters, initial=_initial_from(suggestion, order))
            form.is_valid()
        _apply_errors(form, exc)
    requester = selectors.requester_view(order, request.user, purpose="dispatch_review")
    redactor = selectors.redactor_for(order, request.user)
    response = render(request, "dispatch/review.html", {
        "order": order, "suggestion": suggestion, "forms": forms, "requester": requester, "objection": objection,
        "redactor": redactor,
        "order_open": order.status in (choices.RECEIVED, choices.PENDING_REVIEW),
        "consultations": order.consultations.prefetch_related("units", "comments__unit").order_by("opened_at"),
        "events": order.events.select_related("actor", "actor_unit"), "assignments": order.assignments.select_related("unit"),
    })
    selectors.record_exposure(order, request.user, redactor, purpose="dispatch_review")
    return response


def _consultation_id(request) -> int:
    # A hidden field, so only a hand-made request gets it wrong: "not found", not a 500.
    try:
        return validation.parse_int("consultation", request.POST.get("consultation"), default=0, minimum=1,
                                    maximum=validation.MAX_BIGINT)
    except validation.InvalidInput:
        raise Http404("会商不存在") from None


def _next(order):
    # Straight on to the next order in the queue: the dispatcher's day is a queue.
    nxt = dispatch_selectors.review_queue().exclude(pk=order.pk).first()
    return redirect("dispatch:review", number=nxt.number) if nxt else redirect("dispatch:queue")


@login_required
def proposal(request, number: str):
    """JSON for the review page: the units the catalog gives a matter at this order's place."""
    _dispatcher(request)
    order = get_object_or_404(WorkOrder, number=number)
    try:
        found = services.proposed_units(order, request.GET.get("matter", ""))
    except ValidationError as exc:
        return JsonResponse({"error": "；".join(exc.messages)}, status=400)
    if found["lead"]:
        found["message"] = _("按派单目录，“%(matter)s”在此地点由%(lead)s主办，已填入；可修改。") % found
    else:
        found["message"] = _("派单目录未能为“%(matter)s”在此地点确定主办单位，请手工填写。") % found
    return JsonResponse(found)


@login_required
def unit_options(request):
    """htmx: <option>s for the unit datalist while the dispatcher types."""
    if request.user.role not in roles.CENTRE_ROLES and not request.user.is_superuser:
        raise PermissionDenied
    q = (request.GET.get("lead") or request.GET.get("assist") or request.GET.get("units") or request.GET.get("q") or "").strip()
    q = q.replace("，", ",").replace("、", ",").split(",")[-1].strip()
    units = []
    if len(q) >= 2:
        unit, candidates = find_unit(q)
        # Pinyin initials and parts of names both land here; the datalist shows the full names.
        names = [unit.name] if unit else candidates[:30]
        units = list(Unit.objects.filter(active=True, name__in=names).order_by("kind", "name")[:30])
    return render(request, "dispatch/_unit_options.html", {"units": units})


@login_required
@require_POST
def raise_objection(request, number: str):
    try:
        order = selectors.get_order_for(request.user, number)
    except WorkOrder.DoesNotExist:
        raise Http404
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.raise_objection(order, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, "异议已提交，等待热线中心审核")
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}：{error}")
    return redirect("orders:detail", number=order.number)


@login_required
@require_POST
def comment(request, consultation_id: int):
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_consultation(consultation, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, "会商意见已提交")
    else:
        messages.error(request, "请填写意见")
    return redirect("orders:detail", number=consultation.order.number)


def _answer_text(answer: dict | None) -> str:
    """The knowledge base's answer as the dispatcher's draft, citing its basis (R11.1, R30.1)."""
    if not answer:
        return ""
    basis = answer.get("basis")
    return f"{answer['body']}（依据：{basis}）" if basis else answer.get("body", "")
