"""Readable order numbers (``YYMMDD-NNNNN``, the day's running number) without a lock held
across the request.

PostgreSQL: one sequence per day (``orders_number_20261202``), taken through the SQL function
``jiesu_order_number(day)`` (migration orders 0009). ``nextval`` is not transactional, so two
intakes never wait for each other: the old per-day counter row was locked from the fifth
statement of a POST to its COMMIT and every other POST of the day queued on it. The price is
gaps: a number taken by a request that then rolls back (a bad attachment, an idempotency race,
a database restart mid-request) is never given out again. Numbers stay unique and increasing
within a day; they are not a count of the day's orders (reports count rows, not numbers).

The function creates a day's sequence on first use, starting after what
``OrderNumberCounter`` records for that day (the demo generator and databases from before the
sequences wrote it there), and creates the next day's at the same time, so at midnight the
new day's sequence is already committed and the first calls of the day do not queue behind
the one transaction that created it. It runs as its owner (SECURITY DEFINER): the
application's database role creates nothing (``jiesu grant-app-role``).

SQLite (the embedded default) has one writer at a time anyway: the counter row is bumped in
one upsert inside the request's transaction; there are no gaps there.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from .models import OrderNumberCounter

# The first day an order may be received on: a number carries a two-digit year, so an order of
# 1917 would take the numbers of 2017's (two orders, one number); the intake refuses an
# earlier received_at (orders.services.validate_intake).
FIRST_DAY = date(2000, 1, 1)


def format_number(day: date, running: int) -> str:
    return f"{day:%y%m%d}-{running:05d}"


def sequence_name(day: date) -> str:
    return f"orders_number_{day:%Y%m%d}"


def take(day: date) -> int:
    """The next running number of `day`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT jiesu_order_number(%s)", [day])
        else:
            table = OrderNumberCounter._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} (day, last) VALUES (%s, 1) "
                f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [day],
            )
        return cursor.fetchone()[0]


def reserve(counts: dict[date, int]) -> dict[date, list[int]]:
    """Running numbers for `counts[day]` orders of each day at once (the demo generator).

    On PostgreSQL the numbers come from the same sequences as intake's, so a live intake and a
    generator run never collide; they are consecutive unless an intake took one meanwhile. The
    counter row is brought up to the highest number given out, for the record.
    """
    taken: dict[date, list[int]] = {}
    table = OrderNumberCounter._meta.db_table
    days = sorted(d for d, n in counts.items() if n > 0)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for day in days:
                cursor.execute("SELECT jiesu_order_number(%s)", [day])
                first = cursor.fetchone()[0]
                cursor.execute(f"SELECT nextval('{sequence_name(day)}') FROM generate_series(1, %s)", [counts[day] - 1])
                taken[day] = [first] + [row[0] for row in cursor.fetchall()]
            rows = [(day, max(taken[day])) for day in days]
            update = f"GREATEST({table}.last, excluded.last)"
        else:
            rows = [(day, counts[day]) for day in days]
            update = f"{table}.last + excluded.last"
        for chunk in range(0, len(rows), 400):
            part = rows[chunk : chunk + 400]
            cursor.execute(
                f"INSERT INTO {table} (day, last) VALUES {', '.join(['(%s, %s)'] * len(part))} "
                f"ON CONFLICT (day) DO UPDATE SET last = {update} RETURNING day, last",
                [p for row in part for p in row],
            )
            if connection.vendor != "postgresql":
                for day, last in cursor.fetchall():
                    day = date.fromisoformat(day) if isinstance(day, str) else day
                    taken[day] = list(range(last - counts[day] + 1, last + 1))
    return taken
