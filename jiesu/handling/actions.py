"""The handling actions by name: the form that validates each and the service that does it.

The order page and the REST API both go through `run` (jiesu.core.actions), so a rule lives in
one place; each action says when it is offered, so the page asks `offered` and nothing else.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from jiesu.core import actions as core_actions
from jiesu.core import roles
from jiesu.core.actions import Action, ActionFailed, never  # noqa: F401  (ActionFailed: the views catch it here)
from jiesu.dispatch import services as dispatch_services
from jiesu.engine import units as unit_kinds
from jiesu.orders import choices

from . import forms, services
from .models import Escalation, ExtensionRequest, ReportIn


def _ext(order, data):
    return get_object_or_404(ExtensionRequest, pk=data["extension_id"], order=order)


def _call(order, data):
    return get_object_or_404(ReportIn, pk=data["report_in_id"], whistle__order=order)


def _esc(order, data):
    return get_object_or_404(Escalation, pk=data["escalation_id"], order=order)


# When each action is offered. `ctx` is selectors.handling_context: the person's own part in
# the order (`part`) and the order's replies.


def _open_part(order, ctx) -> bool:
    part = ctx["part"]
    return part is not None and order.status in choices.AT_UNIT_STATUSES and part.finished_at is None


def _to_accept(order, user, ctx) -> bool:
    return _open_part(order, ctx) and ctx["part"].role in choices.HANDLING_ROLES and ctx["part"].accepted_at is None


def _working(order, user, ctx) -> bool:
    """The part is open, does the work and has been accepted."""
    return _open_part(order, ctx) and ctx["part"].role in choices.HANDLING_ROLES and bool(ctx["part"].accepted_at)


def _leading(order, user, ctx) -> bool:
    return _working(order, user, ctx) and ctx["part"].role in choices.LEAD_ROLES


def _to_reply(order, user, ctx) -> bool:
    return _leading(order, user, ctx) and order.status == choices.IN_PROGRESS


def _to_report(order, user, ctx) -> bool:
    return _working(order, user, ctx) and ctx["part"].role not in choices.LEAD_ROLES


def _township(order, user, ctx) -> bool:
    return _working(order, user, ctx) and ctx["part"].unit.kind == unit_kinds.SUBDISTRICT_OFFICE


def _central_liaison(order, user, ctx) -> bool:
    return _leading(order, user, ctx) and ctx["part"].unit.kind == unit_kinds.CENTRAL_LIAISON


def _to_object(order, user, ctx) -> bool:
    return _open_part(order, ctx) and ctx["part"].role in ("lead", "assist")


def _centre(offered):
    """A centre action (dispatcher, supervisor): never offered to a unit's people."""

    def when(order, user, ctx) -> bool:
        return roles.is_centre_actor(user) and user.role not in roles.UNIT_ROLES and bool(offered(order, ctx))

    return when


def _to_supervise(order, ctx) -> bool:
    return order.status in choices.AT_UNIT_STATUSES or order.status == choices.REPLIED


def _to_dispute(order, ctx) -> bool:
    latest = ctx["replies"].first() if hasattr(ctx["replies"], "first") else None
    return order.status == choices.REPLIED and latest and latest.result == "resolved" and not latest.disputed_at


def _to_transfer_central(order, ctx) -> bool:
    return order.status in (*choices.AT_UNIT_STATUSES, choices.PENDING_REVIEW) and (
        order.lead_unit is None or order.lead_unit.code != services.CENTRAL_LIAISON_UNIT
    )


# In the order the page offers them, the usual next step first.
ACTIONS: dict[str, Action] = {
    "accept": Action(forms.AcceptForm, lambda o, a, d: services.accept(o, actor=a), "已签收", _to_accept),
    "reply": Action(forms.ReplyForm, lambda o, a, d: services.reply(o, actor=a, **d), "已答复", _to_reply),
    "contact": Action(
        forms.ContactForm, lambda o, a, d: services.record_contact(o, actor=a, **d), "已记录联系情况", _working
    ),
    "report": Action(
        forms.ReportPartForm, lambda o, a, d: services.report_part(o, actor=a, **d), "已向主办单位报告", _to_report
    ),
    "extension": Action(
        forms.ExtensionForm,
        lambda o, a, d: services.request_extension(o, actor=a, **d),
        "延期申请已提交，等待热线中心审批",
        _working,
    ),
    "assist": Action(
        forms.AssistForm, lambda o, a, d: services.add_assisting_unit(o, actor=a, **d), "已增加协办单位", _leading
    ),
    "escalate": Action(
        forms.EscalateForm, lambda o, a, d: services.escalate(o, actor=a, **d), "已提级，等待上级指导", _leading
    ),
    "whistle": Action(
        forms.WhistleForm, lambda o, a, d: services.blow_whistle(o, actor=a, **d), "已吹哨，等待部门报到", _township
    ),
    "central_forward": Action(
        forms.CentralForwardForm,
        lambda o, a, d: services.forward_to_central_organ(o, actor=a, **d),
        "已记录转交",
        _central_liaison,
    ),
    "central_feedback": Action(
        forms.CentralFeedbackForm,
        lambda o, a, d: services.record_central_feedback(o, actor=a, **d),
        "已记录反馈",
        _central_liaison,
    ),
    # A lead cannot hand an order back; the one way out is an objection to the dispatch (R14.1, R12.4).
    "object": Action(
        forms.ObjectionForm,
        lambda o, a, d: dispatch_services.raise_objection(o, actor=a, **d),
        "异议已提交，等待热线中心审核",
        _to_object,
    ),
    "supervise": Action(
        forms.SuperviseForm, lambda o, a, d: services.supervise(o, actor=a, **d), "已督办", _centre(_to_supervise)
    ),
    "dispute": Action(
        forms.DisputeForm,
        lambda o, a, d: services.record_dispute(o, actor=a, **d),
        "已记录诉求人异议",
        _centre(_to_dispute),
    ),
    "transfer_central": Action(
        forms.TransferCentralForm,
        lambda o, a, d: services.transfer_to_central(o, actor=a, **d),
        "已转央产军产联络单位",
        _centre(_to_transfer_central),
    ),
    # Tied to one row (an escalation, a report-in, an extension): offered beside the row.
    "answer_escalation": Action(
        forms.AnswerEscalationForm,
        lambda o, a, d: services.answer_escalation(_esc(o, d), actor=a, instructions=d["instructions"]),
        "已答复指导意见",
        never,
    ),
    "report_in": Action(
        forms.ReportInForm,
        lambda o, a, d: services.report_in(_call(o, d), actor=a, step=d["step"], note=d["note"]),
        "已报到",
        never,
    ),
    "confirm_report_in": Action(
        forms.ConfirmReportInForm,
        lambda o, a, d: services.confirm_report_in(_call(o, d), actor=a, satisfied=d["satisfied"], note=d["note"]),
        "已确认部门报到",
        never,
    ),
    "decide_extension": Action(
        forms.DecideExtensionForm,
        lambda o, a, d: services.decide_extension(_ext(o, d), actor=a, approve=d["approve"], note=d["note"]),
        "已审批延期申请",
        never,
    ),
}


def available(order, user, ctx: dict) -> list[str]:
    """Names of the actions that fit this order's state for this person, in the page's order."""
    return core_actions.available(ACTIONS, order, user, ctx)


def offered(order, user, ctx: dict) -> dict[str, object]:
    """The actions this person can take on this order now, each with an empty form."""
    return core_actions.offered(ACTIONS, order, user, ctx)


def run(name: str, order, actor, data, files=None) -> object:
    """Validate `data` (and `files`, for a reply's photos) with the action's form and call its
    service; ActionFailed carries the form with errors."""
    return core_actions.run(ACTIONS, name, order, actor, data, files)
