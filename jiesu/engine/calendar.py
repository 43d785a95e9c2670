"""Deadline arithmetic in working days, working hours and natural hours (R13.1, R19.1).

Public holidays and make-up working days (调休) come from the chinese-calendar package; the
bureau can override any date. For a year the package does not cover yet, the calendar falls
back to "Monday to Friday plus the admin's overrides" and reports a warning instead of
failing, so orders keep flowing on 1 January while the admin enters the new year's dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from .rules import NATURAL_HOURS, WORKING_DAYS, WORKING_HOURS, Limit

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class HolidayOverride:
    day: date
    is_workday: bool
    note: str = ""

    def to_dict(self) -> dict:
        return {"day": self.day.isoformat(), "is_workday": self.is_workday, "note": self.note}

    @classmethod
    def from_dict(cls, d: dict) -> HolidayOverride:
        return cls(date.fromisoformat(d["day"]), bool(d["is_workday"]), d.get("note", ""))


@dataclass(frozen=True)
class Deadline:
    at: datetime
    warnings: tuple[str, ...] = ()


def aware(dt: datetime) -> datetime:
    """Naive datetimes are Beijing wall-clock time; aware ones are converted to it."""
    return dt.replace(tzinfo=TZ) if dt.tzinfo is None else dt.astimezone(TZ)


def _year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    def __init__(
        self,
        overrides: Mapping[date, bool] | Iterable[HolidayOverride | dict] = (),
        work_start: time = time(9, 0),
        work_end: time = time(17, 0),
    ):
        if work_end <= work_start:
            raise ValueError("working hours must end after they start")
        self.work_start = work_start
        self.work_end = work_end
        self.overrides: dict[date, bool] = {}
        items = overrides.items() if isinstance(overrides, Mapping) else overrides
        for item in items:
            if isinstance(item, dict):
                item = HolidayOverride.from_dict(item)
            if isinstance(item, HolidayOverride):
                self.overrides[item.day] = item.is_workday
            else:
                day, flag = item
                self.overrides[day] = bool(flag)
        self._known: dict[int, bool] = {}
        self._days: dict[date, bool] = {}

    # --- coverage -------------------------------------------------------------------
    def year_known(self, year: int) -> bool:
        known = self._known.get(year)
        if known is None:
            known = self._known[year] = _year_known(year)
        return known

    def coverage_warning(self, year: int) -> str | None:
        """A message for the admin when `year` is computed without the official holiday table."""
        if self.year_known(year):
            return None
        n = sum(1 for d in self.overrides if d.year == year)
        return (
            f"{year}年的法定节假日和调休安排尚未收录于 chinese-calendar，"
            f"时限按周一至周五工作及管理员录入的{n}个日期计算，请管理员核对并录入当年安排。"
        )

    # --- days -----------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        flag = self._days.get(day)
        if flag is None:
            if day in self.overrides:
                flag = self.overrides[day]
            elif self.year_known(day.year):
                flag = chinese_calendar.is_workday(day)
            else:
                flag = day.weekday() < 5
            self._days[day] = flag
        return flag

    def _warnings(self, start: datetime, end: datetime) -> tuple[str, ...]:
        out = []
        for year in range(start.year, end.year + 1):
            w = self.coverage_warning(year)
            if w:
                out.append(w)
        return tuple(out)

    # --- arithmetic -----------------------------------------------------------------
    def add(self, start: datetime, limit: Limit) -> Deadline:
        start = aware(start)
        if limit.unit == NATURAL_HOURS:
            end = start + timedelta(hours=limit.amount)
            return Deadline(end, ())  # a 24/7 clock needs no holiday table
        if limit.unit == WORKING_DAYS:
            end = self._add_working_days(start, limit.amount)
        elif limit.unit == WORKING_HOURS:
            end = self._add_working_hours(start, limit.amount)
        else:  # Limit validates units; keep the error explicit if that changes
            raise ValueError(f"unknown time-limit unit {limit.unit!r}")
        return Deadline(end, self._warnings(start, end))

    def _close(self, day: date) -> datetime:
        return datetime.combine(day, self.work_end, TZ)

    def _add_working_days(self, start: datetime, n: int) -> datetime:
        # The day of receipt does not count (受理次日起算); the limit ends at the close of the
        # n-th working day after it.
        if n <= 0:
            return start
        day = start.date()
        left = n
        for _ in range(n * 7 + 60):  # bounded: no real calendar has 60 days off in a row
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
                if left == 0:
                    return self._close(day)
        raise RuntimeError("holiday overrides leave no working days to count")

    def _add_working_hours(self, start: datetime, hours: int) -> datetime:
        left = timedelta(hours=hours)
        if left <= timedelta(0):
            return start
        day = start.date()
        cursor = start
        for _ in range(hours * 7 + 60):
            if self.is_workday(day):
                open_ = datetime.combine(day, self.work_start, TZ)
                close = self._close(day)
                begin = max(cursor, open_)
                if begin < close:
                    avail = close - begin
                    if left <= avail:
                        return begin + left
                    left -= avail
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0, 0), TZ)
        raise RuntimeError("holiday overrides leave no working hours to count")


def natural_equivalent(limit: Limit) -> Limit:
    """The natural-hour limit a 24/7 unit gets for a rule written in working time (R19.1)."""
    if limit.unit == WORKING_DAYS:
        return Limit(limit.amount * 24, NATURAL_HOURS)
    if limit.unit == WORKING_HOURS:
        return Limit(limit.amount, NATURAL_HOURS)
    return limit
