"""A unit's deadlines (R13.1, R19.1): computed here and nowhere else.

The engine's decision, a dispatcher's dispatch, a reassignment, a liaison's transfer and a
reopening after the return visit all ask `unit_deadlines`; extensions and whistles, which give
their own limit, ask `due`. Working days, working hours and holidays are the engine's calendar's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .calendar import Deadline, WorkCalendar, natural_equivalent
from .rules import Limit, RuleSet


@dataclass(frozen=True)
class UnitDeadlines:
    response_due: datetime
    due_at: datetime
    # The calendar's notes on both, e.g. a deadline in a year whose holidays are not known yet.
    warnings: tuple[str, ...] = ()


def due(calendar: WorkCalendar, start: datetime, limit: Limit, *, always_on: bool = False) -> Deadline:
    """`limit` counted from `start`; a 24/7 unit counts natural hours (R19.1)."""
    return calendar.add(start, natural_equivalent(limit) if always_on else limit)


def unit_deadlines(
    rules: RuleSet,
    calendar: WorkCalendar,
    *,
    matter_code: str | None,
    kind: str | None,
    start: datetime,
    always_on: bool,
) -> UnitDeadlines:
    """Response and completion deadlines for one unit, by the matter's time-limit rule for the
    request's kind (R13.1); a matter without a rule of its own takes the general one."""
    matter = rules.matter(matter_code) if matter_code else None
    try:
        rule = rules.time_limit(matter.time_limit if matter else "general")
    except KeyError:
        rule = rules.time_limits[0]
    response, completion = rule.limits_for(kind)
    r = due(calendar, start, response, always_on=always_on)
    c = due(calendar, start, completion, always_on=always_on)
    return UnitDeadlines(r.at, c.at, (*r.warnings, *c.warnings))
