"""Open311 GeoReport v2 endpoints (R2.1, R21.1). Thin: parse, call a selector or service, render.

Every view takes the format from the URL suffix and answers errors in that same format, as
a list of {code, description}. POST is exempt from CSRF: it is authenticated by api_key, not
by a browser session.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from jiesu.core import validation

from . import params, public, selectors, services
from .errors import Open311Error, bad_request
from .formats import render, render_error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def open311(*methods: str):
    """Allow these methods, turn every Open311Error into the spec's error document."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt: str | None = None, **kwargs):
            fmt = fmt or "xml"  # XML is the spec's required format, so the default
            try:
                if request.method not in methods:
                    # The spec's statuses are 400/403/404; the body's code says what was wrong.
                    raise Open311Error(400, f"不支持 {request.method} 方法，请使用 {'、'.join(methods)}。", code=405)
                if request.method == "POST":
                    _check_body(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return render_error(fmt, error)

        # The URL and query string are checked before any view (jiesu.core.middleware.InputGuard);
        # a refusal there is answered in the spec's format too.
        wrapper.input_error_response = _input_error
        return wrapper

    return decorate


def _input_error(request, error: validation.InvalidInput, *, fmt: str | None = None, **kwargs):
    return render_error(fmt or "xml", bad_request(str(error)))


def _check_body(request) -> None:
    """The form body within Django's limits and free of control characters, else a spec error.

    Django raises its size and field-count limits when the body is first read; left to Django,
    they became its HTML 400 page, which no Open311 client can read.
    """
    try:
        body = request.POST
    except RequestDataTooBig:
        raise Open311Error(
            400, f"请求体过大：最多{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KB。", code=413
        ) from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise Open311Error(400, f"参数过多：最多{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}个。", code=413) from None
    except MultiPartParserError:
        raise bad_request("请求体不是有效的表单数据。") from None
    try:
        validation.check_pairs(validation.query_pairs(body))
    except validation.InvalidInput as error:
        raise bad_request(str(error)) from None


@open311("GET")
def discovery(request, fmt):
    stamp = selectors.changeset()
    document = {
        "changeset": stamp,
        "contact": settings.JIESU_OPEN311_CONTACT,
        "key_service": settings.JIESU_OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": stamp,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", document)


@open311("GET")
def service_list(request, fmt):
    document = [
        {
            "service_code": m.code,
            "service_name": m.name,
            "description": f"{m.level1} > {m.level2} > {m.name}",
            "metadata": m.has_attributes,
            "type": "realtime",
            "keywords": ",".join(m.keywords),
            "group": m.level1,
        }
        for m in selectors.services()
    ]
    return render(fmt, "services", document)


@open311("GET")
def service_definition(request, fmt, code):
    matter = selectors.service(code)
    document = {
        "service_code": matter.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description or None,
                "order": a.order,
                "description": a.description,
                "values": [{"key": v.key, "name": v.name} for v in a.values.all()],
            }
            for a in selectors.attributes_of(matter)
        ],
    }
    return render(fmt, "service_definition", document)


@open311("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    query = params.RequestQuery.parse(request.GET)
    orders = selectors.find_requests(query)
    return _render_orders(request, fmt, orders, extensions=query.extensions)


def _create(request, fmt):
    client = services.authenticate(params.text(request.POST, "api_key"))
    services.check_rate(client)
    # GeoReport v2.1 draft: files in `media[]` (some clients send `media`), multipart/form-data.
    media = request.FILES.getlist("media[]") + request.FILES.getlist("media")
    submission = services.submit_request(client, params.RequestPost.parse(request.POST, media=media), media=media)
    document = [
        {
            "service_request_id": submission.order.number,
            "service_notice": public.service_notice(submission.order),
            "account_id": submission.account_id or None,
        }
    ]
    # 200, not 201: the spec shows none, and deployed clients test for 200. A retry gets the
    # first answer, marked as the REST API marks its replays.
    headers = {"Idempotent-Replayed": "true"} if submission.replayed else None
    return render(fmt, "service_requests", document, headers=headers)


@open311("GET")
def request_detail(request, fmt, number):
    order = selectors.find_request(number)
    return _render_orders(request, fmt, [order], extensions=params.flag(request.GET, "extensions"))


def _media_urls(request, orders) -> dict[int, str]:
    """media_url of each order the centre published as a case: its first photo, absolute."""
    from jiesu.public.selectors import photo_path, published_photos

    return {
        order_id: request.build_absolute_uri(photo_path(photos[0]))
        for order_id, photos in published_photos(o.pk for o in orders).items()
    }


def _render_orders(request, fmt, orders, *, extensions: bool):
    names = selectors.service_names()
    labels = selectors.attribute_labels() if extensions else None
    media = _media_urls(request, orders)
    document = [
        public.request_document(
            o, service_names=names, extensions=extensions, attribute_labels=labels, media_urls=media
        )
        for o in orders
    ]
    return render(fmt, "service_requests", document)


@open311("GET")
def request_updates(request, fmt):
    """FixMyStreet's servicerequestupdates: status changes for partners, keyed and rate-limited."""
    client = services.authenticate(params.text(request.GET, "api_key"))
    services.check_rate(client)
    start, end = params.date_window(request.GET)
    events = selectors.find_updates(
        start=start,
        end=end,
        page=params.positive_int(request.GET, "page", 1),
        page_size=params.positive_int(request.GET, "page_size", params.MAX_PAGE_SIZE, maximum=params.MAX_PAGE_SIZE),
    )
    known: dict[int, list[str]] = {}
    document = []
    for event in events:
        if event.order_id not in known:
            known[event.order_id] = public.identities(event.order)
        document.append(public.update_document(event, known[event.order_id]))
    return render(fmt, "service_request_updates", document)


@open311("GET", "POST")
def unknown(request, fmt, path):
    raise Open311Error(404, f"没有这个资源：/open311/{path}")
