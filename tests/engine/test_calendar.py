"""Deadline arithmetic across Chinese holidays and make-up working days (R13.1, R19.1)."""

from datetime import date, datetime, time

import pytest

from jiesu.engine.calendar import TZ, HolidayOverride, WorkCalendar, natural_equivalent
from jiesu.engine.rules import Limit

cal = WorkCalendar()


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    "start, n, due",
    [
        # 2025 Spring Festival: 28 Jan - 4 Feb off, Sunday 26 Jan and Saturday 8 Feb worked.
        (at(2025, 1, 24, 10), 1, at(2025, 1, 26, 17)),
        (at(2025, 1, 27, 10), 1, at(2025, 2, 5, 17)),
        (at(2025, 2, 5, 10), 3, at(2025, 2, 8, 17)),
        # 2025 National Day: 1-8 Oct off, Sunday 28 Sep and Saturday 11 Oct worked.
        (at(2025, 9, 27, 10), 1, at(2025, 9, 28, 17)),
        (at(2025, 9, 30, 10), 3, at(2025, 10, 11, 17)),
        # 2026 Spring Festival: 15-23 Feb off, Saturdays 14 and 28 Feb worked.
        (at(2026, 2, 13, 10), 1, at(2026, 2, 14, 17)),
        (at(2026, 2, 14, 10), 1, at(2026, 2, 24, 17)),
        (at(2026, 2, 27, 10), 1, at(2026, 2, 28, 17)),
        # 2026 National Day: 1-7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked.
        (at(2026, 9, 19, 10), 1, at(2026, 9, 20, 17)),
        (at(2026, 9, 30, 10), 3, at(2026, 10, 10, 17)),
    ],
)
def test_r13_1_working_days_skip_holidays_and_count_make_up_days(start, n, due):
    d = cal.add(start, Limit(n, "working_days"))
    assert d.at == due and d.warnings == ()


def test_r13_1_working_hours_carry_over_the_holiday():
    # 16:00 on the last day before National Day 2025: one hour left that day, then 9 Oct.
    d = cal.add(at(2025, 9, 30, 16), Limit(3, "working_hours"))
    assert d.at == at(2025, 10, 9, 11)
    # Received at night: the clock starts at the next opening.
    assert cal.add(at(2026, 2, 13, 20), Limit(2, "working_hours")).at == at(2026, 2, 14, 11)


def test_r19_1_natural_hours_ignore_holidays():
    d = cal.add(at(2026, 2, 16, 23), Limit(24, "natural_hours"))
    assert d.at == at(2026, 2, 17, 23)
    assert natural_equivalent(Limit(2, "working_days")) == Limit(48, "natural_hours")
    assert natural_equivalent(Limit(3, "working_hours")) == Limit(3, "natural_hours")


def test_r13_1_unknown_year_2027_falls_back_to_weekends_with_a_warning():
    d = cal.add(at(2026, 12, 31, 10), Limit(3, "working_days"))
    # Friday 1 Jan, then Monday 4 and Tuesday 5 Jan: weekends only, as the package knows no 2027.
    assert d.at == at(2027, 1, 5, 17)
    assert len(d.warnings) == 1 and "2027" in d.warnings[0]
    assert cal.coverage_warning(2026) is None


def test_r13_1_admin_overrides_win_over_the_package_and_fill_2027():
    overrides = [
        HolidayOverride(date(2027, 1, 1), False, "元旦"),
        {"day": "2025-10-09", "is_workday": False, "note": "测试"},
    ]
    c = WorkCalendar(overrides)
    assert c.add(at(2026, 12, 31, 10), Limit(1, "working_days")).at == at(2027, 1, 4, 17)
    assert not c.is_workday(date(2025, 10, 9))
    assert "1个日期" in c.coverage_warning(2027)
    assert WorkCalendar({date(2025, 10, 9): False}).is_workday(date(2025, 10, 9)) is False


def test_naive_datetimes_are_beijing_time_and_working_hours_configurable():
    c = WorkCalendar(work_start=time(8, 30), work_end=time(17, 30))
    d = c.add(datetime(2025, 12, 1, 17, 0), Limit(1, "working_hours"))
    assert d.at == at(2025, 12, 2, 9, 0)
    assert d.at.isoformat().endswith("+08:00")
    with pytest.raises(ValueError):
        WorkCalendar(work_start=time(17), work_end=time(9))
