"""Warn the bureau when deadlines run without an official holiday table (R13.1).

chinese-calendar ships each year's holidays once the State Council publishes them (usually
in November or December). Until then the engine counts Monday to Friday plus the dates the
admin enters; these warnings say so in `jiesu check --database default`, after `jiesu migrate`,
and on the admin page.
"""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone

from jiesu.engine.calendar import WorkCalendar


def calendar_warnings(today=None) -> list[str]:
    from .models import HolidayOverride

    today = today or timezone.localdate()
    overrides = {h.day: h.is_workday for h in HolidayOverride.objects.all()}
    calendar = WorkCalendar(overrides)
    # This year, and next year from November on: limits set in December run into January.
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [w for w in (calendar.coverage_warning(y) for y in years) if w]


@checks.register(checks.Tags.database)
def holiday_table_check(app_configs=None, databases=None, **kwargs):
    # Database checks run when asked for (`jiesu check --database default`, `jiesu migrate`),
    # not before every command.
    if not databases:
        return []
    try:
        messages = calendar_warnings()
    except DatabaseError:  # not migrated yet: nothing to say about holidays
        return []
    return [checks.Warning(m, id="jiesu.W001", hint="在“节假日调整”中录入当年的放假和调休日期。") for m in messages]
