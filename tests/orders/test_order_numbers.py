"""Order numbers (R2.1): readable, unique per day, and taken without queueing intakes behind
one another (issue 17). The concurrency tests run on PostgreSQL, where they matter."""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction

from jiesu.orders import numbering
from jiesu.orders.models import OrderNumberCounter

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL sequences")


def _far_day() -> date:
    # Sequences taken by other threads' connections are committed outside the test's
    # transaction: a day nobody else uses, dropped afterwards.
    return date(1990, 1, 1) + timedelta(days=random.randrange(3000))


def _drop_sequences(day: date) -> None:
    # From another connection: a DROP in the test's own transaction would be rolled back with
    # it, and what other connections committed would stay. What the test's transaction created
    # itself goes with its rollback.
    def drop(i: int) -> None:
        with connection.cursor() as cursor:
            for d in (day, day + timedelta(days=1)):
                cursor.execute(f"DROP SEQUENCE IF EXISTS {numbering.sequence_name(d)}")

    _in_threads(1, drop)


def test_number_format_R2_1():
    assert numbering.format_number(date(2026, 12, 2), 42) == "261202-00042"


@pytest.mark.django_db
def test_numbers_follow_each_other_within_a_day_and_restart_the_next_R2_1():
    day = _far_day()
    try:
        first, second = numbering.take(day), numbering.take(day)
        assert second == first + 1
        assert numbering.take(day + timedelta(days=2)) == 1
    finally:
        if connection.vendor == "postgresql":
            _drop_sequences(day)
            _drop_sequences(day + timedelta(days=2))


@pytest.mark.django_db
def test_a_new_day_continues_after_what_the_counter_already_gave_out_R2_1():
    # Databases from before the sequences, and the demo generator, record a day's last number
    # in the counter; the day's sequence must not hand those out again.
    day = _far_day()
    OrderNumberCounter.objects.create(day=day, last=1234)
    try:
        assert numbering.take(day) == 1235
    finally:
        if connection.vendor == "postgresql":
            _drop_sequences(day)


@pytest.mark.django_db
def test_reserve_gives_blocks_that_intake_then_continues_after_R2_1():
    day = _far_day()
    try:
        taken = numbering.reserve({day: 5})
        assert taken[day] == [1, 2, 3, 4, 5]
        assert numbering.take(day) == 6
        assert OrderNumberCounter.objects.get(day=day).last >= 5
    finally:
        if connection.vendor == "postgresql":
            _drop_sequences(day)


def _in_threads(count: int, work) -> list:
    results: list = [None] * count
    errors: list = []

    def run(i: int) -> None:
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


@needs_postgres
@pytest.mark.django_db
def test_numbers_stay_unique_when_many_connections_take_them_at_once_R2_1():
    """Eight connections, each taking 50 numbers in its own transactions, several of them on
    the first use of the day (the sequence is created then): 400 different numbers."""
    day = _far_day()
    start = threading.Barrier(8)

    def work(i: int) -> list[int]:
        start.wait()
        got = []
        for _ in range(50):
            with transaction.atomic():
                got.append(numbering.take(day))
        return got

    try:
        results = _in_threads(8, work)
        numbers = [n for got in results for n in got]
        assert len(numbers) == 400 and len(set(numbers)) == 400
        assert all(got == sorted(got) for got in results)
    finally:
        _drop_sequences(day)


@needs_postgres
@pytest.mark.django_db
def test_an_open_intake_transaction_does_not_hold_up_the_next_number_R2_1():
    """The old counter row was locked from the number to COMMIT: a second intake waited for
    the first to finish. Now a transaction that took a number and stays open holds nothing."""
    day = _far_day()
    took, release = threading.Event(), threading.Event()

    def holder(i: int) -> int:
        with transaction.atomic():
            n = numbering.take(day)
            took.set()
            release.wait(30)
        return n

    def other(i: int) -> int:
        took.wait(30)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                return numbering.take(day)
        finally:
            release.set()

    try:
        # The sequence must be visible to the other connections: commit its creation first.
        _commit_sequence(day)
        first, second = _in_threads(2, lambda i: (holder, other)[i](i))
        assert first != second
    finally:
        _drop_sequences(day)


def _commit_sequence(day: date) -> None:
    def create(i: int) -> int:
        return numbering.take(day)

    _in_threads(1, create)
