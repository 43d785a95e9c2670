"""Input checks that hold at every edge before any view runs (see jiesu.core.validation)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.shortcuts import render

from . import validation


class InputGuard:
    """Refuse a URL or query string with control characters, in the edge's own error format.

    Checked here, once, because every view reads its query string its own way and one that
    forgets would hand a NUL to PostgreSQL (a 500) or echo a vertical tab into XML. Bodies are
    left to the forms, serializers and Open311 views that parse them, so that a console form
    can show the error on its field.

    How to answer: a view may carry `input_error_response(request, error, **kwargs)` (Open311
    answers with the spec's error list in the format the URL asked for); REST framework views
    answer JSON keyed by the parameter, as DRF reports a field; console pages a 400 page that
    names the parameter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Services that warn about identities in the centre's text read the writer's confirmation
        # from the request being served (validation.check_entry).
        with validation.entry_request(request):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            validation.check_text("URL", request.path)
            validation.check_pairs(validation.query_pairs(request.GET))
        except validation.InvalidInput as error:
            return refuse(request, view_func, view_kwargs, error)
        except TooManyFieldsSent:
            error = validation.InvalidInput("URL", f"查询参数过多：最多{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}个。")
            return refuse(request, view_func, view_kwargs, error)
        return None


def refuse(request, view_func, view_kwargs, error: validation.InvalidInput):
    custom = getattr(view_func, "input_error_response", None)
    if custom is not None:
        return custom(request, error, **view_kwargs)
    if _is_rest_view(view_func):
        return JsonResponse({error.name: [error.message]}, status=400, json_dumps_params={"ensure_ascii": False})
    # Back to the same page without the query string; home when the path itself was the problem.
    back = "/" if error.name == "URL" else request.path
    return render(request, "core/bad_input.html", {"error": error, "back": back}, status=400)


def _is_rest_view(view_func) -> bool:
    from rest_framework.views import APIView

    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class PlanPerRead:
    """Pages and API reads (GET, HEAD) have each statement planned for its own values; writes
    keep PostgreSQL's choice.

    With prepared statements (settings.JIESU_PG_PREPARE) PostgreSQL may, after five runs of a
    statement, keep one generic plan for any values. That suits an intake's INSERTs and reads by
    key (planning them anew cost a tenth of the intake's throughput, bench/README.md), but not a
    search: "content LIKE %s" among a unit's orders took 1.8 s under the generic plan and 0.16 s
    planned for its word (bench/search.py at 1M orders, 2026-12-07). The mode is a setting of the
    connection, changed only when the kind of request changes, so a run of POSTs sends nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.active = getattr(settings, "JIESU_PG_PREPARED", False)

    def __call__(self, request):
        if not self.active:
            return self.get_response(request)
        mode = "force_custom_plan" if request.method in ("GET", "HEAD") else "auto"
        conn = connections[DEFAULT_DB_ALIAS]
        raw = conn.connection
        if raw is not None and getattr(raw, "_jiesu_plan_mode", "auto") == mode:
            return self.get_response(request)
        # Set before the request's first statement, not now: a request that never reads the
        # database (a redirect to HTTPS) opens no connection.
        with conn.execute_wrapper(_SetBeforeFirstStatement(mode)):
            return self.get_response(request)


class _SetBeforeFirstStatement:
    def __init__(self, mode: str):
        self.mode = mode
        self.done = False

    def __call__(self, execute, sql, params, many, context):
        if not self.done:
            self.done = True  # before plan_mode, whose SET passes through here too
            plan_mode(self.mode)
        return execute(sql, params, many, context)


def plan_mode(mode: str) -> None:
    """Set the default connection's plan_cache_mode to `mode` ("auto" or "force_custom_plan")
    unless it is set already."""
    if mode not in ("auto", "force_custom_plan"):
        raise ValueError(f"unknown plan_cache_mode {mode!r}")
    conn = connections[DEFAULT_DB_ALIAS]
    conn.ensure_connection()
    raw = conn.connection
    # A new connection (reconnected after CONN_MAX_AGE or a failure) starts at "auto".
    if getattr(raw, "_jiesu_plan_mode", "auto") == mode:
        return
    with conn.cursor() as cursor:
        cursor.execute(f"SET plan_cache_mode = {mode}")
    # Inside a transaction (tests, or a caller's atomic block) the setting goes with a rollback:
    # nothing is remembered, so the next call sets it again.
    raw._jiesu_plan_mode = None if conn.in_atomic_block else mode
