"""Timestamps read by psycopg's C loader on PostgreSQL (jiesu.core.pgtimes, issue 17): the same
values Django's own loader gives, aware and in UTC."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, connections

from jiesu.core import pgtimes

pytestmark = pytest.mark.django_db


def test_timestamps_are_read_by_the_c_loader_into_the_values_djangos_loader_gives():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's loader")
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg.pq import Format

    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(1184, Format.TEXT) is pgtimes._LOADER
        literals = ["2026-01-01 08:00:00+08", "2026-03-01 12:00:00.5+00", "1999-12-31 23:59:59.999999-05"]
        cursor.execute("SELECT " + ", ".join(f"'{t}'::timestamptz::text, '{t}'::timestamptz" for t in literals))
        row = cursor.fetchone()

    class Django(BaseTzLoader):
        timezone = datetime.UTC

    django_loader = Django(1184, cursor.cursor)
    for text, value in zip(row[::2], row[1::2]):
        assert value == django_loader.load(text.encode()), text
        assert value.tzinfo is datetime.UTC
    assert row[1] == datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)
    assert row[3].microsecond == 500000


def test_djangos_loader_stays_where_the_c_loader_would_differ():
    """A database given its own time zone: Django's session is not UTC, and its loader stays."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's loader")
    from psycopg.pq import Format

    wrapper = type(connections[connection.alias])
    other = wrapper({**connection.settings_dict, "TIME_ZONE": "Asia/Shanghai"}, alias=connection.alias)
    try:
        other.ensure_connection()
        assert other.connection.info.parameter_status("TimeZone") == "Asia/Shanghai"
        assert other.connection.adapters.get_loader(1184, Format.TEXT) is not pgtimes._LOADER
        with other.cursor() as cursor:
            cursor.execute("SELECT '2026-01-01 08:00:00+08'::timestamptz")
            (value,) = cursor.fetchone()
        assert value == datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)
        assert value.utcoffset() == datetime.timedelta(hours=8)
    finally:
        other.close()
