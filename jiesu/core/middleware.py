"""Input checks that hold at every edge before any view runs (see jiesu.core.validation)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
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
