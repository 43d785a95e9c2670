"""Rendering helpers for the handling page: one action form, one event's details."""

from django import template
from django.utils.translation import gettext_lazy as _

from jiesu.core import worklists

register = template.Library()

TITLES = {
    "accept": (_("签收"), _("签收工单")),
    "contact": (_("联系诉求人"), _("记录联系")),
    "assist": (_("增加协办单位"), _("增加协办")),
    "report": (_("向主办单位报告"), _("提交报告")),
    "extension": (_("申请延期"), _("提交延期申请")),
    "reply": (_("答复办理结果"), _("提交答复")),
    "escalate": (_("提级办理"), _("提请上级")),
    "answer_escalation": (_("答复提级事项"), _("提交指导意见")),
    "whistle": (_("吹哨召集部门"), _("吹哨")),
    "report_in": (_("部门报到"), _("报到")),
    "confirm_report_in": (_("确认报到"), _("确认")),
    "central_forward": (_("转交中央单位"), _("记录转交")),
    "central_feedback": (_("中央单位反馈"), _("记录反馈")),
    "object": (_("派单异议（主办单位不能退单，只能提出异议）"), _("提出异议")),
    "decide_extension": (_("审批延期"), _("提交审批")),
    "supervise": (_("督办"), _("督办")),
    "dispute": (_("记录诉求人对答复的异议"), _("记录异议")),
    "transfer_central": (_("转央产军产联络单位"), _("转交")),
}


@register.inclusion_tag("handling/_form.html", takes_context=True)
def action_form(context, name, order, form, folded=False, opened=False, **initial):
    # A form class with ids (extension, report-in, escalation) is instantiated per row.
    if isinstance(form, type):
        form = form(initial=initial)
    title, button = TITLES.get(name, (name, name))
    # Folded: one of the order's actions, closed until chosen; an action without fields (accept)
    # is just its button. The page opens the one that came back with errors.
    return {
        "name": name,
        "order": order,
        "form": form,
        "title": title,
        "button": button,
        "folded": folded,
        "opened": opened or bool(form.errors),
        "bare": folded and not form.visible_fields(),
        "csrf_token": context.get("csrf_token"),
    }


SUMMARY_KEYS = ("note", "task", "text", "reason", "public_text", "message", "instructions", "organ", "to", "unit")


def _code_labels() -> dict:
    # Codes that event data keeps (a visit's reason, a reply's result): people read their labels.
    from jiesu.followup import models as visits

    from ..models import RESULTS

    labels = {}
    for pairs in (
        visits.REASONS,
        visits.INVALID_REASONS,
        visits.ATTEMPT_OUTCOMES,
        visits.RESOLUTIONS,
        visits.SATISFACTIONS,
        RESULTS,
    ):
        labels.update(dict(pairs))
    return labels


def _readable(value) -> str:
    text = str(value)
    return str(_code_labels().get(text, worklists.without_requirement_ids(text)))


@register.inclusion_tag("handling/_event_summary.html")
def event_summary(event, redactor=None):
    # Event data is free text as it was written: the reader's redactor masks it (R8.3).
    data = redactor.data(event.data or {}) if redactor else (event.data or {})
    own_unit = event.actor_unit.name if event.actor_unit_id else None
    # The acting unit is already shown under the event; repeat a unit only when it is another one.
    lines = [_readable(data[k]) for k in SUMMARY_KEYS if data.get(k) and not (k == "unit" and data[k] == own_unit)]
    if data.get("reasons"):
        lines += [worklists.without_requirement_ids(str(r)) for r in data["reasons"]]
    if data.get("new_due"):
        lines.append(f"新时限 {data['new_due'][:16].replace('T', ' ')}")
    return {"lines": lines[:4]}
