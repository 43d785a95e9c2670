"""PostgreSQL timestamps parsed by psycopg's C loader, not by Django's Python one.

Django registers its own loader for ``timestamptz`` on every PostgreSQL connection: psycopg's
pure-Python one, whose result it then gives the connection's time zone (``BaseTzLoader``). With
``USE_TZ`` the session's time zone is UTC, and psycopg's C loader (``psycopg[binary]``) reads the
same text into the same value, ``tzinfo=datetime.UTC``, six times faster (0.44 against
2.8 us a value on the bench machine). An order's row holds a dozen timestamps and a unit's handling
step reads several rows: the Python loader was a twelfth of a handling request's CPU (issue 17,
bench/README.md).

The C class cannot be subclassed, and Django's ``cursor()`` reads the registered loader's
``timezone`` on every cursor (registering its own again where it differs), so the loader here is a
thin Python class whose ``load`` is the C loader's own bound method. Only where it gives the same
values: a PostgreSQL connection whose Django time zone is UTC, in a UTC session, with psycopg's C
implementation; anything else keeps Django's loader.
"""

from __future__ import annotations

import datetime

from django.db.backends.signals import connection_created


def _loader_class():
    try:
        from psycopg import adapt, adapters, pq
    except ImportError:  # no psycopg: SQLite only
        return None
    c_loader = adapters.get_loader(adapters.types["timestamptz"].oid, pq.Format.TEXT)
    if c_loader is None or c_loader.__module__.startswith("psycopg."):  # psycopg's Python one
        return None

    class UtcTimestamptzLoader(adapt.Loader):
        timezone = datetime.UTC  # what Django's cursor() compares

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._c = c_loader(oid, context)
            self.load = self._c.load  # the instance's attribute: no Python frame per value

        def load(self, data):  # the abstract method Loader asks for; each instance shadows it
            return self._c.load(data)

    return UtcTimestamptzLoader


_LOADER = _loader_class()


def use_c_loader(sender, connection, **kwargs) -> None:
    if _LOADER is None or connection.vendor != "postgresql" or connection.timezone is not datetime.UTC:
        return
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") not in ("UTC", "Etc/UTC"):
        return
    raw.adapters.register_loader("timestamptz", _LOADER)


def install() -> None:
    connection_created.connect(use_c_loader, dispatch_uid="jiesu.core.pgtimes")
