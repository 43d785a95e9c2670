"""Schemathesis against the project's own OpenAPI schema (issue 12, defect 14).

In process (the WSGI app, the test database), authenticated with a real knox token of a
supervisor (who may take requests and read every order), a bounded run: a few examples per
operation, so the file takes well under a minute. The checks are the response checks: no 5xx,
status codes, content types, headers and bodies as the schema documents them.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jiesu.api import tokens
from jiesu.core import roles

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 6


@pytest.fixture
def auth(make_user, make_order):
    cache.clear()  # throttling counts per user in the cache; a fresh start for the run
    make_order()  # one real order for the list and detail answers to describe
    supervisor = make_user(roles.SUPERVISOR)
    return {"Authorization": f"Token {tokens.issue(supervisor)[1]}"}


@pytest.fixture
def api_schema(auth):
    # Called in process, the WSGI app would close the test's database connection at the end of
    # each request (Django's close_old_connections on request_started/finished), which PostgreSQL
    # then reports as "the connection is closed"; Django's own test client disconnects it too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application(), headers=auth)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, auth):
    case.call_and_validate(headers=auth, checks=CHECKS)
