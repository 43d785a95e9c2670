"""The demo unit has work due today and due soon at any hour the demo is made (issue 13, item 8).

Working-hour deadlines end by 17:00, so after office hours a subdistrict's "due today" holds only
what runs on the clock: the help other units ask of it, with the deadline the lead gives. The
demo's open orders carry the engine's own deadlines (jiesu.engine.deadlines), never made-up ones.

Requirements served: R13.1 (deadlines by the time-limit rules), R14.1 (assisting units and their
own deadlines), R5.1 (the unit's start page).
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jiesu.core import cockpit
from jiesu.demo import live
from jiesu.demo.orders import generate_orders
from jiesu.demo.users import create_demo_users
from jiesu.directory.models import User
from jiesu.dispatch.runtime import current_engine
from jiesu.engine.deadlines import unit_deadlines
from jiesu.handling import selectors as handling
from jiesu.orders.models import OrderUnit

BEIJING = ZoneInfo("Asia/Shanghai")


def _counter():
    """What the demo's steps did, counted as `live` counts them."""
    done: dict[str, int] = {}

    def count(key, result):
        if result is not None:
            done[key] = done.get(key, 0) + 1

    return done, count


def _build(now: datetime) -> User:
    with time_machine.travel(now, tick=False):
        create_demo_users()
        generate_orders(1200, seed=31, stdout=io.StringIO())
        handler = User.objects.get(username="handler")
        done, count = _counter()
        live._help_asked_of_the_demo_unit(io.StringIO(), count, handler)
        assert done.get("help_asked", 0) >= 5, done
    return handler


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 18, 8, 0, tzinfo=BEIJING),  # before office hours
        datetime(2026, 11, 18, 17, 30, tzinfo=BEIJING),  # after them
        datetime(2026, 11, 18, 23, 30, tzinfo=BEIJING),  # late at night
        datetime(2026, 11, 21, 17, 30, tzinfo=BEIJING),  # a Saturday
    ],
    ids=["08:00", "17:30", "23:30", "saturday"],
)
def test_R13_1_unit_has_work_due_today_and_soon_at_any_hour(now):
    handler = _build(now)
    with time_machine.travel(now, tick=False):
        figures = cockpit.parts(now, unit_id=handler.unit_id)
        counts = handling.workbench_counts(handler, now=now)
    assert figures["due_today"] > 0, figures
    assert counts["due_soon"] > 0, counts
    # Spread over the clock, not bunched at the close of office hours.
    hours = {
        due.astimezone(BEIJING).hour
        for due in OrderUnit.objects.filter(unit_id=handler.unit_id, role="assist").values_list("due_at", flat=True)
    }
    assert len(hours) >= 5, hours


@pytest.mark.django_db
def test_R13_1_demo_deadlines_are_the_engines():
    now = datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING)
    with time_machine.travel(now, tick=False):
        create_demo_users()
        generate_orders(300, seed=5, stdout=io.StringIO())
        engine = current_engine()
        leads = OrderUnit.objects.filter(role="lead").select_related("order", "unit").order_by("id")
        assert leads.exists()
        for part in leads:
            expected = unit_deadlines(
                engine.rules,
                engine.calendar,
                matter_code=part.order.matter_code,
                kind=part.order.kind,
                start=part.assigned_at,
                always_on=part.unit.always_on,
            )
            assert (part.response_due, part.due_at) == (expected.response_due, expected.due_at), part.order.number
        # The 24/7 units' limits run on the clock: deadlines at many hours, not all at 17:00.
        hours = {p.due_at.astimezone(BEIJING).hour for p in leads}
        assert len(hours) >= 3, hours


@pytest.mark.django_db
def test_R5_1_the_knowledge_base_administrators_unit_has_work_waiting():
    # The demo's kbadmin works at the municipal HR bureau, which leads few orders itself: leads of
    # open labour orders ask it for policy points, so its start page is not all zeros.
    now = datetime(2026, 11, 18, 17, 30, tzinfo=BEIJING)
    with time_machine.travel(now, tick=False):
        create_demo_users()
        generate_orders(1200, seed=31, stdout=io.StringIO())
        done, count = _counter()
        live._policy_help_asked_of_the_city_bureau(io.StringIO(), count)
        kbadmin = User.objects.get(username="kbadmin")
        figures = cockpit.parts(now, unit_id=kbadmin.unit_id)
    assert done.get("help_asked", 0) >= 1, done
    assert figures["open"] >= 1 and figures["unaccepted"] >= 1, figures
    parts = OrderUnit.objects.filter(unit_id=kbadmin.unit_id, role="assist").select_related("order")
    assert parts and all(p.order.matter_code.startswith("labour.") and p.due_at > now for p in parts)
