"""Dispatcher's review queue and the unit-side dispatch actions (R12.3, R12.4). Thin views."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiesu.core import actions as core_actions
from jiesu.core import roles, validation, worklists
from jiesu.core.actions import Action
from jiesu.directory.models import Unit
from jiesu.orders import choices, selectors
from jiesu.orders.models import WorkOrder

from . import selectors as dispatch_selectors
from . import services
from .forms import (
    AnswerForm,
    CloseConsultationForm,
    CommentForm,
    ConsultationForm,
    DispatchForm,
    ObjectionForm,
    RejectObjectionForm,
    find_unit,
)
from .models import Consultation, Objection
from .runtime import current_engine


def _dispatcher(request):
    if not roles.is_centre_actor(request.user):
        raise PermissionDenied("只有派单员或督办员可以审核派单。")


@login_required
def queue(request):
    _dispatcher(request)
    f = worklists.read_filters(request.GET)
    orders = worklists.apply(dispatch_selectors.review_queue(), f, order="", due="due_at", unit="lead_unit__")
    page = Paginator(orders, worklists.PER_PAGE).get_page(request.GET.get("page"))
    # The engine's suggestion of each row on this page only: one event read per row shown.
    rows = [(o, services.latest_decision(o)) for o in page]
    objections = worklists.apply(
        dispatch_selectors.pending_objections(), f, order="order__", due="order__due_at", unit="unit__"
    )
    return render(
        request,
        "dispatch/queue.html",
        {
            "rows": rows,
            "page": page,
            "objections": Paginator(objections, worklists.PER_PAGE).get_page(request.GET.get("objections_page")),
            "filters": f,
            "keep": f.query_string(),
            "with_unit": True,
            "list_id": "review-queue",
            **worklists.choices_context(),
        },
    )


def _initial_from(suggestion: dict | None, order: WorkOrder) -> dict:
    if not suggestion:
        return {"matter_code": order.matter_code}
    lead = next((u for u in suggestion.get("units", []) if u["role"] in choices.LEAD_ROLES), None)
    assist = [u["name"] for u in suggestion.get("units", []) if u["role"] == "assist"]
    return {
        "matter_code": (suggestion.get("matter") or {}).get("code") or order.matter_code,
        "lead": lead["name"] if lead else "",
        "assist": "、".join(assist),
    }


@dataclass(frozen=True)
class Review:
    """What a review action acts on: the order, its pending objection, the request's hidden
    consultation id (read only by the action that needs it)."""

    order: WorkOrder
    objection: Objection | None
    request: object

    def consultation(self) -> Consultation:
        return get_object_or_404(Consultation, pk=_consultation_id(self.request), order=self.order)


class _Line(django_forms.Form):
    """The emergency line the button names; the service checks it."""

    line = django_forms.CharField(required=False, strip=False)


class _NoInput(django_forms.Form):
    pass


def _units(data: dict) -> list:
    return [services.UnitChoice(data["lead"], "lead")] + [services.UnitChoice(u, "assist") for u in data["assist"]]


def _dispatch(r: Review, actor, data: dict) -> str:
    # The objection's own button re-dispatches it; without a pending objection it is a dispatch.
    if r.objection:
        services.accept_objection(
            r.objection,
            actor=actor,
            note=data["note"] or "异议成立，改派",
            matter_code=data["matter_code"],
            units=_units(data),
        )
        return f"异议成立，已改派：{r.order.number}"
    services.dispatch_reviewed(
        r.order, actor=actor, matter_code=data["matter_code"], units=_units(data), note=data["note"]
    )
    return f"已派单：{r.order.number}"


def _transfer(r: Review, actor, data: dict) -> str:
    services.transfer_to_line(r.order, actor=actor, line=data["line"], note="派单审核时由派单员转出")
    return f"已转 {data['line']}：{r.order.number}"


def _accept(r: Review, actor, data: dict) -> str:
    services.accept_suggestion(r.order, actor=actor)
    return f"已按建议派单：{r.order.number}"


def _answer(r: Review, actor, data: dict) -> str:
    services.close_with_answer(r.order, actor=actor, answer=data["answer"])
    return f"已直接答复：{r.order.number}"


def _consult(r: Review, actor, data: dict) -> str:
    services.open_consultation(r.order, actor=actor, units=data["units"], question=data["question"])
    return "已发起会商"


def _close(r: Review, actor, data: dict) -> str:
    services.close_consultation(r.consultation(), actor=actor, outcome=data["outcome"])
    return ""


def _reject(r: Review, actor, data: dict) -> str:
    services.reject_objection(r.objection, actor=actor, note=data["note"])
    return "异议不成立，工单继续由原单位办理"


def _has_objection(r: Review, user, ctx) -> bool:
    return r.objection is not None


# The review page's actions. `then`: on to the next order of the queue, or back to this one.
# Each run returns the message to show.
REVIEW_ACTIONS = {
    "transfer_line": Action(_Line, _transfer, then="next"),
    "accept": Action(_NoInput, _accept, then="next"),
    "dispatch": Action(DispatchForm, _dispatch, then="next"),
    "accept_objection": Action(DispatchForm, _dispatch, then="next"),
    "answer": Action(AnswerForm, _answer, then="next"),
    "consult": Action(ConsultationForm, _consult, then="stay"),
    "close_consultation": Action(CloseConsultationForm, _close, then="stay"),
    "reject_objection": Action(RejectObjectionForm, _reject, then="next", when=_has_objection),
}
# The page form that carries an action's input: the page shows them all, the one POSTed bound.
# The others have no input of their own.
PAGE_FORMS = {
    "dispatch": "dispatch",
    "accept_objection": "dispatch",
    "answer": "answer",
    "consult": "consult",
    "close_consultation": "close",
    "reject_objection": "reject",
}


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
        "dispatch": DispatchForm(
            request.POST if action in ("dispatch", "accept_objection") else None,
            matters=matters,
            initial=_initial_from(suggestion, order),
        ),
        "answer": AnswerForm(
            request.POST if action == "answer" else None,
            initial={"answer": _answer_text((suggestion or {}).get("answer")) or (suggestion or {}).get("advice", "")},
        ),
        "consult": ConsultationForm(request.POST if action == "consult" else None),
        "close": CloseConsultationForm(request.POST if action == "close_consultation" else None),
        "reject": RejectObjectionForm(request.POST if action == "reject_objection" else None),
    }
    # Choosing another matter proposes its catalog unit (console.js asks `proposal`); Alt+M
    # jumps to the matter search, Alt+U to the lead unit, Alt+D dispatches as corrected.
    forms["dispatch"].fields["matter_code"].widget.attrs.update(
        {"data-unit-for-matter": reverse("dispatch:proposal", args=[order.number]), "data-lead-field": "id_lead"}
    )
    target = Review(order, objection, request)
    chosen = REVIEW_ACTIONS.get(action)
    if chosen is not None and chosen.when(target, request.user, {}):
        # The page form that carries the input (its errors show where it stands), or a bare one.
        form = forms[PAGE_FORMS[action]] if action in PAGE_FORMS else chosen.bind(request.POST)
        try:
            message = core_actions.run(REVIEW_ACTIONS, action, target, request.user, request.POST, form=form)
        except core_actions.ActionFailed as failed:
            if action not in PAGE_FORMS:
                # An action without a form of its own: the service's objection shows on the
                # dispatch form, bound to what was sent.
                form = forms["dispatch"] = DispatchForm(
                    request.POST, matters=matters, initial=_initial_from(suggestion, order)
                )
                form.is_valid()
                core_actions.add_errors(form, failed.error)
        else:
            if message:
                messages.success(request, message)
            return _next(order) if chosen.then == "next" else redirect("dispatch:review", number=order.number)
    requester = selectors.requester_view(order, request.user, purpose="dispatch_review")
    redactor = selectors.redactor_for(order, request.user)
    response = render(
        request,
        "dispatch/review.html",
        {
            "order": order,
            "suggestion": suggestion,
            "forms": forms,
            "requester": requester,
            "objection": objection,
            "redactor": redactor,
            "order_open": order.status in (choices.RECEIVED, choices.PENDING_REVIEW),
            "consultations": order.consultations.prefetch_related("units", "comments__unit").order_by("opened_at"),
            "events": order.history().select_related("actor", "actor_unit"),
            "assignments": order.assignments.select_related("unit"),
        },
    )
    selectors.record_exposure(order, request.user, redactor, purpose="dispatch_review")
    return response


def _consultation_id(request) -> int:
    # A hidden field, so only a hand-made request gets it wrong: "not found", not a 500.
    try:
        return validation.parse_int(
            "consultation", request.POST.get("consultation"), default=0, minimum=1, maximum=validation.MAX_BIGINT
        )
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
    if not roles.has_role(request.user, roles.CENTRE_ROLES):
        raise PermissionDenied
    q = (
        request.GET.get("lead") or request.GET.get("assist") or request.GET.get("units") or request.GET.get("q") or ""
    ).strip()
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
        raise Http404 from None
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
