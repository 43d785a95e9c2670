"""The demo generator's processes (jiesu.demo.orders._Crew) and the events' COPY rows.

`jiesu demo` on PostgreSQL writes with one process per core, each its share of the days; what
each wrote is counted in the first, and a failure in any of them fails the run with its
traceback. The processes are real (fork); they touch no database here, so the suite's own
connection is closed first and opened again afterwards.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from jiesu.core import crypto
from jiesu.demo.orders import _Crew
from jiesu.orders import services
from jiesu.orders.models import OrderEvent


def test_every_process_reports_what_it_wrote():
    connections.close_all()
    crew = _Crew(3)
    mine = {"index": crew.index, "pid": os.getpid()}
    results = crew.gather(mine)  # a child never returns from gather
    assert mine["index"] == 0
    assert sorted(r["index"] for r in results) == [1, 2]
    assert len({r["pid"] for r in results} | {os.getpid()}) == 3


def test_a_failing_process_fails_the_run_with_its_traceback():
    connections.close_all()
    crew = _Crew(2)
    try:
        if crew.index == 1:
            raise ValueError("batch 7 refused by the server")
    except BaseException:
        crew.fail()  # in the child: reports and exits
        raise
    with pytest.raises(RuntimeError) as failed:
        crew.gather("first")
    assert "a demo writer process failed" in str(failed.value)
    assert "ValueError: batch 7 refused by the server" in str(failed.value)


def test_a_failing_first_process_stops_the_others():
    connections.close_all()
    crew = _Crew(2)
    if crew.index == 1:
        import time

        time.sleep(60)  # stopped by the first long before this ends
        crew.gather("late")
    pids = [pid for pid, _ in crew.children]
    crew.fail()
    assert crew.children == []
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more


@pytest.mark.django_db
def test_events_copy_rows_are_what_bulk_create_would_insert():
    if connection.vendor != "postgresql":
        pytest.skip("COPY rows are PostgreSQL's")
    from jiesu.directory.models import User
    from jiesu.orders.models import WorkOrder

    actor = User.objects.create(username="ct", role="call_taker")
    order = WorkOrder(
        received_at=timezone.now() - timedelta(hours=2), channel="phone", kind="complaint", content="楼道堆物"
    )
    order.number = "261201-99999"
    order.save()
    events = [
        services.new_event(order, action="created", actor=actor, to_status="received", at=order.received_at),
        services.new_event(
            order,
            action="replied",
            actor=None,
            from_status="in_progress",
            to_status="replied",
            data={"public_text": "已清理，联系电话13912345678", "result": "resolved"},
        ),
    ]
    fields = [f for f in OrderEvent._meta.concrete_fields if not f.primary_key]
    generic = [[f.get_db_prep_save(f.pre_save(e, True), connection) for f in fields] for e in events]
    fast = [[prepare(e) for prepare in map(services._copy_value, fields)] for e in events]

    def plain(rows):  # Json adapters compare by identity: compare what they hold

        return [[getattr(v, "obj", v) for v in row] for row in rows]

    assert plain(fast) == plain(generic)
    assert fast[1][fields.index(OrderEvent._meta.get_field("data"))].obj["public_text"].startswith(crypto.SEALED_PREFIX)
