"""An event's data as people read it: Chinese labels for keys and coded values, no codes or ids.

Used by the order page's timeline. The data is redacted by the reader's redactor before it gets
here (R8.3). Keys without a label (ids, engine internals, versions) are not shown: a key the
page does not know how to say in Chinese is not for the reader.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import choices

KEY_LABELS = {
    "public_text": _("答复内容（公开）"),
    "internal_notes": _("办理情况（内部）"),
    "unresolved_reason": _("未解决的客观原因"),
    "result": _("办理结果"),
    "on_time": _("按时答复"),
    "method": _("方式"),
    "outcome": _("结果"),
    "contacted_at": _("联系时间"),
    "responded_in_time": _("按时响应"),
    "note": _("说明"),
    "task": _("协办事项"),
    "text": _("内容"),
    "reason": _("理由"),
    "message": _("督办意见"),
    "instructions": _("指导意见"),
    "organ": _("转交单位"),
    "to": _("转至"),
    "unit": _("单位"),
    "extra_days": _("延长工作日"),
    "approved": _("审批结果"),
    "approve": _("审批结果"),
    "previous_due": _("原时限"),
    "new_due": _("新时限"),
    "round": _("回访轮次"),
    "contacted": _("单位是否联系"),
    "resolution": _("是否解决"),
    "satisfaction": _("满意程度"),
    "attitude_complaint": _("反映服务态度问题"),
    "false_resolved": _("虚假办结"),
    "grounds": _("异议类型"),
    "suggested_unit": _("建议承办单位"),
    "level": _("提请"),
    "hours": _("报到时限（小时）"),
    "step": _("报到环节"),
    "satisfied": _("街乡评价"),
    "answer": _("答复"),
    "advice": _("告知诉求人"),
    "month": _("考核月份"),
    "upheld": _("申诉成立"),
    "attempt": _("第几次拨打"),
    "automatic": _("自动派单"),
    "channel": _("渠道"),
    "kind": _("诉求类型"),
    "confidential": _("要求保密"),
    "disposition": _("处置方式"),
    "erasure_reason": _("删除依据"),
    "question": _("会商问题"),
    "evidence": _("附证明材料"),
    "comments": _("诉求人意见"),
}


def _vocabularies() -> dict[str, dict]:
    from jiesu.dispatch.models import Objection
    from jiesu.followup import models as visits
    from jiesu.handling import models as handling
    from jiesu.handling import services as handling_services

    reasons = {**dict(visits.REASONS), **dict(visits.INVALID_REASONS), **dict(handling.Supervision.REASONS)}
    return {
        "method": {**dict(visits.METHODS), **dict(handling_services.CONTACT_METHODS)},
        "outcome": {**dict(handling_services.CONTACT_OUTCOMES), **dict(visits.ATTEMPT_OUTCOMES)},
        "result": dict(handling.RESULTS),
        "resolution": dict(visits.RESOLUTIONS),
        "satisfaction": dict(visits.SATISFACTIONS),
        "grounds": dict(Objection._meta.get_field("grounds").choices),
        "level": dict(handling.Escalation.LEVELS),
        "step": dict(handling_services.REPORT_IN_STEPS),
        "reason": reasons,
        "channel": dict(choices.CHANNELS),
        "kind": dict(choices.KINDS),
        "disposition": {
            "dispatch": _("派单"),
            "answer_directly": _("即时答复"),
            "emergency": _("紧急转警"),
            "legal_channel": _("告知法定途径"),
            "repeat": _("重复诉求"),
            "secret_privacy": _("涉密或隐私"),
            "out_of_scope": _("非政府职责"),
            "unlawful": _("不合理诉求"),
        },
    }


# Requirement ids in the engine's reasons ("（R11.2）") are for developers, not for the page.
REQUIREMENT_ID = re.compile(
    r"\s*[（(]\s*R\d+(?:\.\d+)*(?:[、,，/ ]+R?\d+(?:\.\d+)*)*\s*[)）]|(?<![A-Za-z0-9])R\d+\.\d+(?![\d.])"
)


def _when(value: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


def _value(key: str, value, vocab: dict) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if key == "units" and isinstance(value, list):
        return None  # shown as its own line
    if isinstance(value, list):
        return "、".join(str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return None
    text = str(value)
    if key in vocab and text in vocab[key]:
        return str(vocab[key][text])
    if key in ("contacted_at", "new_due", "previous_due"):
        return _when(text) or text
    if key in vocab and key != "reason":
        return None  # an unknown code: better unsaid than shown raw
    return REQUIREMENT_ID.sub("", text)


def lines(data: dict, *, own_unit: str | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs for one event's data, in the order of KEY_LABELS."""
    vocab = _vocabularies()
    out: list[tuple[str, str]] = []
    for key, label in KEY_LABELS.items():
        if key not in data or (key == "unit" and data[key] == own_unit):
            continue
        text = _value(key, data[key], vocab)
        if text:
            out.append((str(label), text))
    units = data.get("units")
    if isinstance(units, list) and units:
        roles = dict(choices.UNIT_ROLES)
        out.append(
            (
                str(_("承办单位")),
                "；".join(f"{roles.get(u.get('role'), '')}：{u.get('name', '')}" for u in units if isinstance(u, dict)),
            )
        )
    for reason in data.get("reasons") or []:
        out.append((str(_("依据")), REQUIREMENT_ID.sub("", str(reason))))
    return out
