"""One deadline function for every app (R13.1, R19.1): the decision's per-unit deadlines are
the ones `unit_deadlines` gives any caller for the same matter, kind, unit and start."""

from datetime import datetime

from jiesu.engine.calendar import TZ
from jiesu.engine.deadlines import due, unit_deadlines
from jiesu.engine.rules import WORKING_DAYS, Limit

EVE_OF_NATIONAL_DAY = datetime(2025, 9, 30, 10, 0, tzinfo=TZ)


def test_decision_deadlines_are_unit_deadlines(decide, engine):
    d = decide("朝阳区望京街道物业不管", received_at=EVE_OF_NATIONAL_DAY.isoformat())
    assert d.units
    specs = {u.code: u for u in engine.router.units}
    for u in d.units:
        got = unit_deadlines(
            engine.rules,
            engine.calendar,
            matter_code=d.matter_code,
            kind=d.kind,
            start=EVE_OF_NATIONAL_DAY,
            always_on=specs[u.code].always_on,
        )
        assert (got.response_due, got.due_at) == (u.response_due, u.due_at)


def test_working_days_skip_the_national_day_holiday_and_24_7_units_count_hours(engine):
    office = unit_deadlines(
        engine.rules, engine.calendar, matter_code=None, kind="complaint", start=EVE_OF_NATIONAL_DAY, always_on=False
    )
    # general rule: 1 working day to respond, 7 to finish; 1-8 October are the holiday.
    assert office.response_due == datetime(2025, 10, 9, 17, 0, tzinfo=TZ)
    assert office.due_at == datetime(2025, 10, 16, 17, 0, tzinfo=TZ)
    always_on = unit_deadlines(
        engine.rules, engine.calendar, matter_code=None, kind="complaint", start=EVE_OF_NATIONAL_DAY, always_on=True
    )
    assert always_on.response_due == datetime(2025, 10, 1, 10, 0, tzinfo=TZ)  # 24 natural hours
    assert always_on.due_at == datetime(2025, 10, 7, 10, 0, tzinfo=TZ)


def test_due_counts_a_given_limit_on_the_same_calendar(engine):
    three_days = Limit(3, WORKING_DAYS)
    assert due(engine.calendar, EVE_OF_NATIONAL_DAY, three_days).at == datetime(2025, 10, 11, 17, 0, tzinfo=TZ)
    assert due(engine.calendar, EVE_OF_NATIONAL_DAY, three_days, always_on=True).at == datetime(
        2025, 10, 3, 10, 0, tzinfo=TZ
    )
