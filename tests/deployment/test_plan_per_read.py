"""Reads are planned for their own values, writes keep PostgreSQL's plan cache
(jiesu.core.middleware.PlanPerRead; issue 17)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from jiesu.core.middleware import plan_mode


def _mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_page_is_planned_for_its_values_and_a_post_keeps_the_cache(client, dispatcher):
    if connection.vendor != "postgresql" or not settings.JIESU_PG_PREPARED:
        pytest.skip("PostgreSQL with prepared statements only")
    client.force_login(dispatcher)
    assert client.get("/orders/", {"q": "漏水"}).status_code == 200
    assert _mode() == "force_custom_plan"
    client.post("/login/", {"username": "nobody", "password": "wrong-password"})
    assert _mode() == "auto"
    # Another POST leaves it so; a page that reads the database switches back.
    client.post("/login/", {"username": "nobody", "password": "wrong-password"})
    assert _mode() == "auto"
    client.get("/orders/")
    assert _mode() == "force_custom_plan"


@pytest.mark.django_db
def test_a_page_that_reads_nothing_opens_no_connection(client):
    if connection.vendor != "postgresql" or not settings.JIESU_PG_PREPARED:
        pytest.skip("PostgreSQL with prepared statements only")
    plan_mode("auto")
    assert client.get("/login/").status_code == 200  # the login form reads nothing
    assert _mode() == "auto"


@pytest.mark.django_db
def test_a_connection_that_starts_at_the_default_is_set_again():
    # A fresh connection carries no mark and PostgreSQL's default mode. (That a connection
    # outside a transaction remembers its mode and sends no SET on the next page is not tested
    # here: the tests run inside a transaction, which the project's append-only tables keep
    # from being flushed; bench/search.py shows it at 1M orders.)
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    plan_mode("force_custom_plan")
    assert _mode() == "force_custom_plan"
    raw = connection.connection
    raw._jiesu_plan_mode = "auto"  # as a fresh connection starts
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = auto")
    plan_mode("force_custom_plan")
    assert _mode() == "force_custom_plan"


def test_only_the_two_modes_are_taken():
    with pytest.raises(ValueError, match="unknown plan_cache_mode"):
        plan_mode("force_generic_plan; DROP TABLE x")
