"""How far each demo order got, and the records its handling left (`jiesu demo`).

The bulk generator (jiesu.demo.orders) writes a year of orders in seconds; the service functions
of handling and followup are bound to the present moment (they stamp `timezone.now()` and check
that the acting user belongs to the unit), so the past is decided here in the very shapes those
services write: the OrderUnit progress columns, a Reply, a ReturnVisit and the events
`accepted`, `contact_recorded`, `replied`, `return_visit_queued`, `return_visit_recorded` and
`closed`, their data shaped by the helpers those services shape theirs with
(`handling.services.accepted_data`, `contact_data`, `replied_data`; `followup.services.queued_data`,
`visit_data`, `closed_data`). The events are made and written by the generator through
`orders.services.new_event` and `write_events`, the helpers those services record with. What
happens today (the live part of the demo) goes through the services themselves (jiesu.demo.live).

Plain Python over plain values: one call per order, no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jiesu.followup import models as visits
from jiesu.followup import services as followup
from jiesu.handling import services as handling
from jiesu.orders import choices

CONTACT_NOTES = (
    "已电话联系诉求人，说明了办理流程，约定上门查看时间。",
    "已与诉求人沟通，诉求人同意我们先现场核实再答复。",
    "上门与诉求人见面，查看了现场情况并拍照留存。",
    "电话联系诉求人，诉求人表示情况属实，希望尽快处理。",
    "已联系诉求人，告知已转相关科室现场处置，处置后回复。",
)
# The public reply by result: what the requester is told.
REPLIES = {
    "resolved": (
        "经现场核实，问题属实。我单位已协调相关责任方完成处置，现场已恢复正常，已电话告知诉求人。",
        "接诉后我单位当日到场核查，已督促责任单位整改完毕，后续将加强日常巡查，防止反复。",
        "已联系物业及相关部门现场处理，问题已解决，诉求人表示认可。",
        "经执法队现场检查，已责令当事方立即整改，复查时已整改到位。",
    ),
    "partly": (
        "已完成现场处置的主要部分，剩余工作需待施工条件具备后完成，已向诉求人说明预计时间。",
        "已协调临时解决措施，长期方案已纳入街道年度计划，已向诉求人解释。",
    ),
    "unresolved": (
        "经核实，该问题涉及产权争议，需双方通过司法途径解决，已向诉求人解释相关政策和渠道。",
        "该诉求超出现行政策规定范围，暂无法满足，已向诉求人做好解释工作。",
    ),
}
UNRESOLVED_REASONS = (
    "涉及产权纠纷，需当事双方协商或诉讼解决。",
    "受施工季节限制，需来年开春后实施。",
    "现行政策无相关规定，已向上级部门反映。",
)
INTERNAL_NOTES = (
    "已拍照留存整改前后对比，台账已更新。",
    "约谈物业负责人一次，纳入下月巡查重点。",
    "会同城管执法队联合检查，出具整改通知书一份。",
    "",
)
VISIT_COMMENTS = {
    "satisfied": ("处理很及时，谢谢。", "工作人员态度很好，问题解决了。", "", "", "挺快的，满意。"),
    "basic": ("解决了，就是有点慢。", "基本解决，希望以后别再出现。", ""),
    "unsatisfied": ("只是打了个电话，问题根本没解决。", "说是处理了，现场还是老样子。", "答复敷衍，希望领导重视。"),
}


@dataclass
class Outcome:
    """Where an order stands now and what its handling left behind."""

    status: str
    accepted_at: datetime | None = None
    first_contact_at: datetime | None = None
    finished_at: datetime | None = None
    events: list[tuple] = field(default_factory=list)  # new_event's (at, actor, action, from, to, data)
    reply: tuple | None = (
        None  # (result, unresolved_reason, public_text, internal_notes, replied_by, replied_at, on_time)
    )
    visit: tuple | None = None  # ReturnVisit fields, see VISIT_FIELDS
    order_due_at: datetime | None = None


VISIT_FIELDS = (
    "unit_id",
    "round",
    "reason",
    "state",
    "queued_at",
    "reply_result",
    "method",
    "contacted",
    "resolution",
    "satisfaction",
    "attitude_complaint",
    "comments",
    "visitor_id",
    "visited_at",
    "outcome",
)


def unit_quality(unit_id: int, seed: int) -> float:
    """A unit's lasting habit (0.75..1.0): some units answer faster and better, so rankings differ."""
    return 0.75 + 0.25 * random.Random(f"quality:{seed}:{unit_id}").random()


def advance(
    rng: random.Random,
    *,
    kind: str,
    assigned_at: datetime,
    response_due: datetime,
    due_at: datetime,
    now: datetime,
    lead_id: int,
    lead_name: str,
    handler,
    visitor,
    quality: float,
) -> Outcome:
    """Decide where a dispatched order stands now and write its past.

    Orders whose limit passed long ago are nearly all closed after a return visit; those near
    their limit wait for their visit; the young ones are being handled. A small share stays
    overdue, as in a real centre.
    """
    rand, choice = rng.random, rng.choice
    span = (due_at - assigned_at).total_seconds()
    since_due = (now - due_at).total_seconds() / 86400
    if since_due > 5:
        stage = "closed" if rand() < 0.994 else ("overdue" if rand() < 0.6 else "visit")
    elif since_due > 0:
        r = rand()
        stage = "visit" if r < 0.45 else "closed" if r < 0.95 else "overdue"
    else:
        progress = max(0.0, (now - assigned_at).total_seconds() / span) if span > 0 else 1.0
        r = rand()
        stage = (
            "visit" if r < progress * 0.55 * quality else "dispatched" if progress < 0.15 and r > 0.6 else "in_progress"
        )
    if stage == "dispatched":
        return Outcome(choices.DISPATCHED)

    late = rand() > quality  # a weaker unit answers late more often
    accepted_at = min(
        assigned_at + timedelta(minutes=rng.randint(10, 600) if rand() < quality else rng.randint(600, 2400)), now
    )
    contact_at = min(accepted_at + timedelta(minutes=rng.randint(15, 900)), now)
    events = [
        (
            accepted_at,
            handler,
            "accepted",
            choices.DISPATCHED,
            choices.IN_PROGRESS,
            handling.accepted_data(unit_name=lead_name, role="lead"),
        ),
        (
            contact_at,
            handler,
            "contact_recorded",
            "",
            "",
            handling.contact_data(
                method=choice(("phone", "phone", "phone", "visit")),
                outcome="reached",
                contacted_at=contact_at,
                note=choice(CONTACT_NOTES),
                unit_name=lead_name,
                first_real_contact=True,
                response_due=response_due,
            ),
        ),
    ]
    outcome = Outcome(choices.IN_PROGRESS, accepted_at=accepted_at, first_contact_at=contact_at, events=events)
    if stage in ("in_progress", "overdue"):
        return outcome

    # Replied: most before the limit, a weaker unit's sometimes after it.
    if late:
        replied_at = due_at + timedelta(hours=rng.randint(2, 96))
    else:
        replied_at = contact_at + (due_at - contact_at) * (0.2 + 0.75 * rand())
    replied_at = min(max(replied_at, contact_at + timedelta(minutes=30)), now - timedelta(minutes=20))
    r = rand()
    result = "resolved" if r < 0.55 + 0.35 * quality else "partly" if r < 0.95 else "unresolved"
    reason = choice(UNRESOLVED_REASONS) if result != "resolved" else ""
    public_text, internal = choice(REPLIES[result]), choice(INTERNAL_NOTES)
    on_time = replied_at <= due_at
    outcome.finished_at = replied_at
    outcome.reply = (result, reason, public_text, internal, handler.pk, replied_at, on_time)
    events.append(
        (
            replied_at,
            handler,
            "replied",
            choices.IN_PROGRESS,
            choices.REPLIED,
            handling.replied_data(
                result=result,
                unresolved_reason=reason,
                public_text=public_text,
                internal_notes=internal,
                on_time=on_time,
            ),
        )
    )
    queued_at = replied_at + timedelta(minutes=rng.randint(1, 5))
    events.append(
        (
            queued_at,
            None,
            "return_visit_queued",
            choices.REPLIED,
            choices.RETURN_VISIT,
            followup.queued_data(visit_round=1, reason=visits.REPLIED),
        )
    )
    if stage == "visit" or queued_at > now - timedelta(hours=2):
        outcome.status = choices.RETURN_VISIT
        outcome.visit = (
            lead_id,
            1,
            "replied",
            "pending",
            queued_at,
            result,
            "",
            None,
            "",
            "",
            False,
            "",
            None,
            None,
            "",
        )
        return outcome

    visited_at = min(queued_at + timedelta(hours=rng.randint(3, 72)), now - timedelta(minutes=10))
    contacted = rand() < 0.97
    resolution = result if rand() < 0.92 else ("unresolved" if result == "resolved" else "resolved")
    r = rand() * quality
    if resolution == "resolved":
        satisfaction = "satisfied" if r > 0.08 else "basic" if r > 0.03 else "unsatisfied"
    elif resolution == "partly":
        satisfaction = "basic" if r > 0.3 else "unsatisfied"
    else:
        satisfaction = "unsatisfied" if r < 0.7 else "basic"
    comments = choice(VISIT_COMMENTS[satisfaction])
    attitude = satisfaction == "unsatisfied" and rand() < 0.1
    events.append(
        (
            visited_at,
            visitor,
            "return_visit_recorded",
            "",
            "",
            followup.visit_data(
                visit_round=1,
                method=visits.PHONE,
                contacted=contacted,
                resolution=resolution,
                satisfaction=satisfaction,
                attitude_complaint=attitude,
                reply_result=result,
            ),
        )
    )
    note = "回访已解决" if resolution == "resolved" and satisfaction != "unsatisfied" else "回访后办结"
    closed_at = visited_at if note == "回访已解决" else visited_at + timedelta(hours=rng.randint(1, 20))
    events.append(
        (min(closed_at, now), visitor, "closed", choices.RETURN_VISIT, choices.CLOSED, followup.closed_data(note=note))
    )
    outcome.status = choices.CLOSED
    outcome.visit = (
        lead_id,
        1,
        "replied",
        "done",
        queued_at,
        result,
        "phone",
        contacted,
        resolution,
        satisfaction,
        attitude,
        comments,
        visitor.pk if visitor else None,
        visited_at,
        "closed",
    )
    return outcome
