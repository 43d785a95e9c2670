"""The handling actions by name: the form that validates each and the service that does it.

The order page and the REST API both go through `run`, so a rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from jiesu.core import roles
from jiesu.directory import defaults as unit_kinds
from jiesu.dispatch import services as dispatch_services
from jiesu.orders import choices

from . import forms, services
from .models import Escalation, ExtensionRequest, ReportIn


@dataclass(frozen=True)
class Action:
    form: type
    run: Callable  # (order, actor, cleaned_data) -> object
    done: str  # the message shown after success
    centre: bool = False  # a centre action (dispatcher/supervisor) rather than a unit action


def _ext(order, data):
    return get_object_or_404(ExtensionRequest, pk=data["extension_id"], order=order)


def _call(order, data):
    return get_object_or_404(ReportIn, pk=data["report_in_id"], whistle__order=order)


def _esc(order, data):
    return get_object_or_404(Escalation, pk=data["escalation_id"], order=order)


ACTIONS: dict[str, Action] = {
    "accept": Action(forms.AcceptForm, lambda o, a, d: services.accept(o, actor=a), "已签收"),
    "contact": Action(forms.ContactForm, lambda o, a, d: services.record_contact(o, actor=a, **d), "已记录联系情况"),
    "assist": Action(forms.AssistForm, lambda o, a, d: services.add_assisting_unit(o, actor=a, **d), "已增加协办单位"),
    "report": Action(forms.ReportPartForm, lambda o, a, d: services.report_part(o, actor=a, **d), "已向主办单位报告"),
    "extension": Action(forms.ExtensionForm, lambda o, a, d: services.request_extension(o, actor=a, **d),
                        "延期申请已提交，等待热线中心审批"),
    "reply": Action(forms.ReplyForm, lambda o, a, d: services.reply(o, actor=a, **d), "已答复"),
    "escalate": Action(forms.EscalateForm, lambda o, a, d: services.escalate(o, actor=a, **d), "已提级，等待上级指导"),
    "answer_escalation": Action(
        forms.AnswerEscalationForm,
        lambda o, a, d: services.answer_escalation(_esc(o, d), actor=a, instructions=d["instructions"]), "已答复指导意见"),
    "whistle": Action(forms.WhistleForm, lambda o, a, d: services.blow_whistle(o, actor=a, **d), "已吹哨，等待部门报到"),
    "report_in": Action(forms.ReportInForm,
                        lambda o, a, d: services.report_in(_call(o, d), actor=a, step=d["step"], note=d["note"]), "已报到"),
    "confirm_report_in": Action(
        forms.ConfirmReportInForm,
        lambda o, a, d: services.confirm_report_in(_call(o, d), actor=a, satisfied=d["satisfied"], note=d["note"]),
        "已确认部门报到"),
    "central_forward": Action(forms.CentralForwardForm,
                              lambda o, a, d: services.forward_to_central_organ(o, actor=a, **d), "已记录转交"),
    "central_feedback": Action(forms.CentralFeedbackForm,
                               lambda o, a, d: services.record_central_feedback(o, actor=a, **d), "已记录反馈"),
    # A lead cannot hand an order back; the one way out is an objection to the dispatch (R14.1, R12.4).
    "object": Action(forms.ObjectionForm, lambda o, a, d: dispatch_services.raise_objection(o, actor=a, **d),
                     "异议已提交，等待热线中心审核"),
    "decide_extension": Action(
        forms.DecideExtensionForm,
        lambda o, a, d: services.decide_extension(_ext(o, d), actor=a, approve=d["approve"], note=d["note"]),
        "已审批延期申请", centre=True),
    "supervise": Action(forms.SuperviseForm, lambda o, a, d: services.supervise(o, actor=a, **d), "已督办", centre=True),
    "dispute": Action(forms.DisputeForm, lambda o, a, d: services.record_dispute(o, actor=a, **d), "已记录诉求人异议",
                      centre=True),
    "transfer_central": Action(forms.TransferCentralForm,
                               lambda o, a, d: services.transfer_to_central(o, actor=a, **d), "已转央产军产联络单位",
                               centre=True),
}


def available(order, user, ctx: dict) -> list[str]:
    """Names of the registry's actions that fit this order's state for this person, in the order
    the page offers them (the usual next step first). `ctx` is selectors.handling_context.

    Actions tied to one row (an extension to decide, a report-in, an escalation to answer) are
    offered beside their row, not here.
    """
    names: list[str] = []
    part = ctx["part"]
    open_order = order.status in choices.AT_UNIT_STATUSES
    if part is not None and open_order and part.finished_at is None:
        lead = part.role in choices.LEAD_ROLES
        working = part.role in choices.HANDLING_ROLES
        if working and part.accepted_at is None:
            names.append("accept")
        if working and part.accepted_at:
            if lead and order.status == choices.IN_PROGRESS:
                names.append("reply")
            names.append("contact")
            if not lead:
                names.append("report")
            names.append("extension")
            if lead:
                names += ["assist", "escalate"]
            if part.unit.kind == unit_kinds.SUBDISTRICT_OFFICE:
                names.append("whistle")
            if lead and part.unit.kind == unit_kinds.CENTRAL_LIAISON:
                names += ["central_forward", "central_feedback"]
        if part.role in ("lead", "assist"):
            names.append("object")
    if roles.is_centre_actor(user):
        if open_order or order.status == choices.REPLIED:
            names.append("supervise")
        latest = ctx["replies"].first() if hasattr(ctx["replies"], "first") else None
        if order.status == choices.REPLIED and latest and latest.result == "resolved" and not latest.disputed_at:
            names.append("dispute")
        if (order.status in (*choices.AT_UNIT_STATUSES, choices.PENDING_REVIEW)
                and (order.lead_unit is None or order.lead_unit.code != services.CENTRAL_LIAISON_UNIT)):
            names.append("transfer_central")
    return [name for name in names if not ACTIONS[name].centre or user.role not in roles.UNIT_ROLES]


class ActionFailed(Exception):
    def __init__(self, form):
        super().__init__("invalid")
        self.form = form


def run(name: str, order, actor, data, files=None) -> object:
    """Validate `data` (and `files`, for a reply's photos) with the action's form and call its
    service; ActionFailed carries the form with errors."""
    action = ACTIONS[name]
    form = action.form(data, files)
    if not form.is_valid():
        raise ActionFailed(form)
    try:
        return action.run(order, actor, form.cleaned_data)
    except ValidationError as exc:
        errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
        for field, errors in ((f, ValidationError(e).messages) for f, e in errors_by_field.items()):
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        raise ActionFailed(form)
