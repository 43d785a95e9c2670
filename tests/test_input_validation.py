"""Hostile input at every edge: a 400 that names the parameter, never a 500, nothing written.

Issue 12, defects 5 and 6: NUL and other control characters, integers past their bounds. The
inputs below are the ones that gave a 500 on main under PostgreSQL (psycopg refuses NUL in
text, a page past 2**63 overflows bigint in OFFSET, '²' passes str.isdigit() and fails int());
on SQLite the NUL ones were quietly accepted instead. Each is sent to the real URL with
Django's test client, through the whole middleware stack.
"""

from __future__ import annotations

import html
import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client

from jiesu.core import roles
from jiesu.orders.models import OrderEvent, WorkOrder

BEYOND_BIGINT = "9223372036854775808"  # 2**63
SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no

# (id, method, path, data, who, answer format, the parameter the error must name)
HOSTILE = [
    (
        "open311_post_description_nul",
        "post",
        "/open311/v2/requests.json",
        {"description": "路灯\x00坏了"},
        None,
        "open311-json",
        "description",
    ),
    (
        "open311_post_address_string_nul",
        "post",
        "/open311/v2/requests.xml",
        {"address_string": "望京\x00"},
        None,
        "open311-xml",
        "address_string",
    ),
    (
        "open311_post_service_code_nul",
        "post",
        "/open311/v2/requests.json",
        {"service_code": "city\x00"},
        None,
        "open311-json",
        "service_code",
    ),
    (
        "open311_post_address_id_nul",
        "post",
        "/open311/v2/requests.json",
        {"address_id": "110105\x00"},
        None,
        "open311-json",
        "address_id",
    ),
    (
        "open311_post_client_attribute_nul",
        "post",
        "/open311/v2/requests.xml",
        {"attribute[fixmystreet_id]": "9\x009"},
        None,
        "open311-xml",
        "attribute[fixmystreet_id]",
    ),
    (
        "open311_get_service_request_id_nul",
        "get",
        "/open311/v2/requests.json",
        {"service_request_id": "a\x00b"},
        None,
        "open311-json",
        "service_request_id",
    ),
    (
        "open311_get_service_code_nul",
        "get",
        "/open311/v2/requests.xml",
        {"service_code": "a\x00b"},
        None,
        "open311-xml",
        "service_code",
    ),
    ("open311_get_one_request_nul", "get", "/open311/v2/requests/a%00b.xml", {}, None, "open311-xml", "URL"),
    ("open311_get_service_definition_nul", "get", "/open311/v2/services/a%00b.json", {}, None, "open311-json", "URL"),
    (
        "open311_get_page_beyond_bigint",
        "get",
        "/open311/v2/requests.json",
        {"page": BEYOND_BIGINT},
        None,
        "open311-json",
        "page",
    ),
    (
        "open311_get_page_size_superscript",
        "get",
        "/open311/v2/requests.xml",
        {"page_size": SUPERSCRIPT_TWO},
        None,
        "open311-xml",
        "page_size",
    ),
    (
        "open311_updates_page_beyond_bigint",
        "get",
        "/open311/v2/servicerequestupdates.json",
        {"page": "9" * 30},
        None,
        "open311-json",
        "page",
    ),
    (
        "open311_updates_page_size_superscript",
        "get",
        "/open311/v2/servicerequestupdates.xml",
        {"page_size": SUPERSCRIPT_TWO},
        None,
        "open311-xml",
        "page_size",
    ),
    ("orders_search_text_nul", "get", "/orders/", {"q": "噪音\x00"}, "dispatcher", "html", "q"),
    ("orders_search_number_nul", "get", "/orders/", {"q": "26\x00"}, "dispatcher", "html", "q"),
    ("orders_search_phone_nul", "get", "/orders/", {"q": "1381234\x00"}, "dispatcher", "html", "q"),
    ("order_page_number_nul", "get", "/orders/a%00b/", {}, "dispatcher", "html", "URL"),
    ("api_orders_status_nul", "get", "/api/v1/orders/", {"status": "\x00"}, "dispatcher", "json", "status"),
    (
        "api_orders_limit_beyond_bigint",
        "get",
        "/api/v1/orders/",
        {"limit": BEYOND_BIGINT},
        "dispatcher",
        "json",
        "limit",
    ),
    ("api_order_number_nul", "get", "/api/v1/orders/a%00b/", {}, "dispatcher", "json", "URL"),
    ("workbench_limit_letters", "get", "/handling/api/workbench/", {"limit": "abc"}, "handler", "json", "limit"),
    ("workbench_limit_negative", "get", "/handling/api/workbench/", {"limit": "-1"}, "handler", "json", "limit"),
    (
        "workbench_limit_superscript",
        "get",
        "/handling/api/workbench/",
        {"limit": SUPERSCRIPT_TWO},
        "handler",
        "json",
        "limit",
    ),
    ("workbench_limit_nul", "get", "/handling/api/workbench/", {"limit": "\x00"}, "handler", "json", "limit"),
    ("handling_order_page_nul", "get", "/handling/orders/a%00b/", {}, "handler", "html", "URL"),
]


@pytest.fixture
def open311_key(db):
    from jiesu.open311 import services
    from jiesu.open311.models import ApiClient

    return services.create_client(ApiClient(name="北京通App", rate_limit_per_minute=1000))


@pytest.fixture
def people(make_user, wangjing_office):
    return {"dispatcher": make_user(roles.DISPATCHER), "handler": make_user(roles.UNIT_HANDLER, wangjing_office)}


def valid_post(key: str) -> dict:
    return {
        "api_key": key,
        "service_code": "city.municipal.streetlight",
        "address_string": "朝阳区望京街道花家地北里",
        "description": "花家地北里的路灯坏了一个星期。",
    }


def error_text(kind: str, response) -> str:
    """The error's description in the edge's own format; fails if the format is not the edge's."""
    if kind == "open311-json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        [error] = json.loads(response.content)
        assert error["code"] == 400
        return error["description"]
    if kind == "open311-xml":
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.findtext("error/code") == "400"
        return root.findtext("error/description")
    if kind == "json":
        body = response.json()
        assert len(body) == 1
        [(name, [message])] = body.items()
        return f"{name}：{message}"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'lang="zh-hans"' in page
    [alert] = re.findall(r'role="alert">(.*?)</div>', page)
    return html.unescape(alert)


@pytest.mark.django_db
@pytest.mark.parametrize("method,path,data,who,kind,name", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_a_400_naming_the_parameter_never_a_500(
    method, path, data, who, kind, name, open311_key, people, make_order
):
    make_order()
    http = Client(raise_request_exception=False)
    if who:
        http.force_login(people[who])
    if "servicerequestupdates" in path:
        data = {**data, "api_key": open311_key}
    if method == "post":
        data = {**valid_post(open311_key), "attribute[fault]": "dark", **data}
    before = WorkOrder.objects.count(), OrderEvent.objects.count()
    response = getattr(http, method)(path, data)
    assert response.status_code == 400, response.content[:300]
    text = error_text(kind, response)
    assert name in text
    # It says what is wrong: a control character by its code point, or the integer's range.
    assert "U+0000" in text or "之间的整数" in text, text
    assert (WorkOrder.objects.count(), OrderEvent.objects.count()) == before


# --- the shared rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,bad",
    [
        ("a\x00b", "\x00"),
        ("a\x0bb", "\x0b"),
        ("\x1f", "\x1f"),
        ("a\ud800", "\ud800"),
        ("\uffff", "\uffff"),
        ("行一\n行二\r\n\t缩进", None),
        ("emoji 😀 and 中文", None),
        ("\x7f", None),
    ],
)
def test_forbidden_characters_are_c0_but_tab_newline_return(value, bad):
    from jiesu.core import validation

    assert validation.forbidden_character(value) == bad


@pytest.mark.parametrize(
    "raw,result",
    [
        (None, 7),
        ("", 7),
        (" 3 ", 3),
        ("1", 1),
        ("500", 500),
        ("0", None),
        ("501", None),
        ("-1", None),
        ("abc", None),
        ("²", None),
        ("١", None),
        ("1.0", None),
        (BEYOND_BIGINT, None),
        ("9" * 5000, None),
    ],
)
def test_integers_are_ascii_digits_within_bounds(raw, result):
    from jiesu.core import validation

    if result is None:
        with pytest.raises(validation.InvalidInput, match="limit：须为1到500之间的整数"):
            validation.parse_int("limit", raw, default=7, minimum=1, maximum=500)
    else:
        assert validation.parse_int("limit", raw, default=7, minimum=1, maximum=500) == result


# --- console forms and the REST API's bodies ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x0b", "\x00", "\x1b"], ids=["vertical_tab", "nul", "escape"])
def test_console_form_shows_the_control_character_on_its_field_and_saves_nothing(client, call_taker, char):
    client.force_login(call_taker)
    before = WorkOrder.objects.count()
    response = client.post(
        "/intake/",
        {
            "requester_phone": "13812345678",
            "requester_type": "natural",
            "channel": "phone",
            "source_line": "12345",
            "kind": "complaint",
            "location_text": "朝阳区望京街道",
            "content": f"小区门口路灯坏了，{char}晚上很黑。",
        },
    )
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert list(form.errors) == ["content"]
    assert form.errors["content"] == [f"含有不允许的控制字符（U+{ord(char):04X}），请删除后重试。"]
    assert f"U+{ord(char):04X}" in response.content.decode()
    assert WorkOrder.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        '{"kind":"complaint","content":"路灯坏了\\u000b一周","location_text":"朝阳区望京"}',
        '{"kind":"complaint","content":"路灯坏了\\u0000一周","location_text":"朝阳区望京"}',
        '{"kind":"complaint","content":"路灯坏了一周","location_text":"朝阳区\\u0007望京"}',
        '{"kind":"complaint","content":"路灯坏了\\ud800一周","location_text":"朝阳区望京"}',
    ],
    ids=["vertical_tab", "nul", "bell_in_location", "lone_surrogate"],
)
def test_api_body_with_control_characters_is_a_400_naming_the_field(client, call_taker, body):
    client.force_login(call_taker)
    before = WorkOrder.objects.count()
    response = client.post("/api/v1/orders/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    [(field, messages)] = response.json().items()
    assert field in {"content", "location_text"} and "U+" in messages[0]
    assert WorkOrder.objects.count() == before


@pytest.mark.django_db
def test_api_idempotency_key_with_a_control_character_is_refused(client, call_taker):
    client.force_login(call_taker)
    response = client.post(
        "/api/v1/orders/",
        {"kind": "complaint", "content": "路灯坏了一周"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="call\x0142",
    )
    assert response.status_code == 400 and "U+0001" in response.json()["Idempotency-Key"][0]
    assert WorkOrder.objects.count() == 0


@pytest.mark.django_db
def test_api_status_filter_must_be_a_status(client, dispatcher, make_order):
    make_order()
    client.force_login(dispatcher)
    response = client.get("/api/v1/orders/", {"status": "nonsense"})
    assert response.status_code == 400 and "received" in response.json()["status"][0]
    assert client.get("/api/v1/orders/", {"status": "received"}).json()["count"] == 1


# --- defect 12: a maximum page size ---------------------------------------------------------


@pytest.mark.django_db
def test_api_order_list_has_a_maximum_page_size_R10_1(client, dispatcher, make_order):
    for _ in range(3):
        make_order()
    client.force_login(dispatcher)
    # On main this returned every order the role may see, in one response.
    response = client.get("/api/v1/orders/", {"limit": "100000"})
    assert response.status_code == 400 and response.json() == {"limit": ["须为1到200之间的整数。"]}
    assert client.get("/api/v1/orders/", {"offset": "-1"}).json() == {"offset": ["须为0到1000000000之间的整数。"]}
    widest = client.get("/api/v1/orders/", {"limit": "200"}).json()
    assert widest["count"] == 3 and len(widest["results"]) == 3
    two = client.get("/api/v1/orders/", {"limit": "2"}).json()
    assert len(two["results"]) == 2 and "offset=2" in two["next"]
    assert len(client.get("/api/v1/orders/").json()["results"]) == 3  # the default page size, 50
    # The bounds are in the schema, so a client (or Schemathesis) knows them.
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/orders/"]["get"]["parameters"]}
    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert parameters["offset"]["minimum"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("consultation", ["abc", "²", BEYOND_BIGINT, "-1", ""])
def test_a_consultation_number_that_is_not_one_is_not_found_not_a_500(dispatcher, make_order, consultation):
    """The dispatcher's close-consultation form carries the consultation's id in a hidden field."""
    order = make_order()
    http = Client(raise_request_exception=False)
    http.force_login(dispatcher)
    response = http.post(
        f"/dispatch/{order.number}/",
        {"action": "close_consultation", "outcome": "已商定由街道牵头。", "consultation": consultation},
    )
    assert response.status_code == 404


# --- Phone numbers as people write them (jiesu.core.phones) ---------------------------------

PHONES_AS_WRITTEN = [
    ("138.0000.1111", "13800001111"),
    ("138 0000 1111", "13800001111"),
    ("010-6512-3456", "01065123456"),
    ("(010) 6512 3456", "01065123456"),
    ("+86 138-0000-1111", "13800001111"),
]
NOT_PHONES = ["138/0000/1111", "138abcd0000", "13800001111转8", "12-34"]
PHONE_MESSAGE = "联系电话应为7至12位数字，例如13812345678或010-12345678。"


def _console_post(client, call_taker, phone):
    client.force_login(call_taker)
    return client.post(
        "/intake/",
        {
            "requester_phone": phone,
            "requester_type": "natural",
            "channel": "phone",
            "source_line": "12345",
            "kind": "complaint",
            "location_text": "朝阳区望京街道",
            "content": "小区门口路灯坏了，晚上很黑。",
        },
    )


def _api_post(client, call_taker, phone):
    client.force_login(call_taker)
    body = {
        "channel": "phone",
        "kind": "complaint",
        "content": "小区门口路灯坏了，晚上很黑。",
        "requester_phone": phone,
    }
    return client.post("/api/v1/orders/", body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("written,digits", PHONES_AS_WRITTEN, ids=[w for w, _ in PHONES_AS_WRITTEN])
def test_a_phone_written_with_dots_spaces_or_hyphens_is_taken_as_its_digits(
    client, call_taker, open311_key, written, digits
):
    """A call-taker or an app client types a number as it is said or printed: the REST API (which
    refused dots since its schema got a phone pattern), the console's form and Open311 all take it
    and store the digits, so the caller's history finds the order by the number however written."""
    made = _api_post(client, call_taker, written)
    assert made.status_code == 201, made.content
    assert WorkOrder.objects.get(number=made.json()["number"]).requester_phone == digits

    screen = _console_post(client, call_taker, written)
    assert screen.status_code == 302, screen.context["form"].errors if screen.context else screen
    assert WorkOrder.objects.get(number=screen["Location"].rstrip("/").rsplit("/", 1)[-1]).requester_phone == digits

    open311 = Client().post("/open311/v2/requests.json", {**valid_post(open311_key), "phone": written})
    assert open311.status_code == 200, open311.content
    [taken] = json.loads(open311.content)
    assert WorkOrder.objects.get(number=taken["service_request_id"]).requester_phone == digits
    assert WorkOrder.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("written", NOT_PHONES)
def test_text_that_is_no_phone_number_is_refused_alike_on_every_edge(client, call_taker, open311_key, written):
    """Digits are not picked out of other text: "转8" (an extension) or a slash is a typo to correct."""
    made = _api_post(client, call_taker, written)
    assert made.status_code == 400 and made.json() == {"requester_phone": [PHONE_MESSAGE]}

    screen = _console_post(client, call_taker, written)
    assert screen.status_code in (200, 400) and screen.context["form"].errors["requester_phone"] == [PHONE_MESSAGE]

    open311 = Client().post("/open311/v2/requests.json", {**valid_post(open311_key), "phone": written})
    [error] = json.loads(open311.content)
    assert open311.status_code == 400 and error["code"] == 400
    assert error["description"].startswith("phone") and PHONE_MESSAGE in error["description"]
    assert WorkOrder.objects.count() == 0


# --- Ids and numbers past the database's integers (bigint) -----------------------------------

PAST_BIGINT = [BEYOND_BIGINT, "9" * 40, "0", "-3"]
# The handling actions tied to one row carry its id in a hidden field; the rest of each body is valid.
ROW_ACTIONS = [
    ("decide_extension", "extension_id", {"approve": "approve", "note": "同意"}),
    ("answer_escalation", "escalation_id", {"instructions": "请会同街道现场核实。"}),
    ("report_in", "report_in_id", {"step": "acknowledge", "note": ""}),
    ("confirm_report_in", "report_in_id", {"satisfied": "yes", "note": ""}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", PAST_BIGINT)
@pytest.mark.parametrize("action,field,rest", ROW_ACTIONS, ids=[a for a, _, _ in ROW_ACTIONS])
def test_a_row_id_past_the_database_is_a_400_naming_the_field(supervisor, make_order, action, field, rest, raw):
    """On PostgreSQL an id past bigint cannot be looked up; the form says so beside the field (the
    screen) or keyed by it (the REST API, whose schema states the bounds), and nothing changes."""
    order = make_order()
    http = Client(raise_request_exception=False)
    http.force_login(supervisor)
    events = OrderEvent.objects.filter(order=order).count()
    response = http.post(
        f"/handling/api/orders/{order.number}/{action}/", {field: raw, **rest}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    page = http.post(f"/handling/orders/{order.number}/{action}/", {field: raw, **rest})
    assert page.status_code == 400
    failed = page.context["forms"][action]
    assert page.context["failed"] == action and list(failed.errors) == [field]
    assert html.escape(failed.errors[field][0]) in page.content.decode()
    assert OrderEvent.objects.filter(order=order).count() == events


@pytest.mark.django_db
def test_the_schema_states_the_bounds_of_row_ids(supervisor):
    from jiesu.core import validation

    http = Client()
    http.force_login(supervisor)
    schema = http.get("/api/v1/schema/", {"format": "json"}).json()
    for action, field, _rest in ROW_ACTIONS:
        body = schema["paths"][f"/handling/api/orders/{{number}}/{action}/"]["post"]["requestBody"]
        described = body["content"]["application/json"]["schema"]["properties"][field]
        assert (described["minimum"], described["maximum"]) == (1, validation.MAX_BIGINT)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [BEYOND_BIGINT, "9" * 40])
def test_ids_in_paths_past_the_database_are_not_found_never_a_500(supervisor, make_user, raw):
    """Path ids (a return visit, an appeal, a unit's assessment, a consultation): Django's int
    converter takes any digits, and a lookup past bigint finds nothing rather than failing."""
    http = Client(raise_request_exception=False)
    http.force_login(supervisor)
    assert http.get(f"/followup/visits/{raw}/").status_code == 404
    assert http.post(f"/followup/visits/{raw}/decide/", {"decision": "close"}).status_code == 404
    assert http.post(f"/assessment/appeals/{raw}/decide/", {"decision": "uphold", "note": "属实"}).status_code == 404
    assert http.get(f"/assessment/units/{raw}/").status_code == 404
    http.force_login(make_user(roles.UNIT_HANDLER))
    assert http.post(f"/dispatch/consultations/{raw}/comment/", {"text": "本单位同意牵头。"}).status_code == 404


@pytest.mark.parametrize(
    "form_path,data,field",
    [
        ("jiesu.followup.forms.DecideForm", {"decision": "reopen", "days": BEYOND_BIGINT}, "days"),
        ("jiesu.handling.forms.ExtensionForm", {"extra_days": "9" * 40, "reason": "需协调多个部门。"}, "extra_days"),
        ("jiesu.handling.forms.WhistleForm", {"departments": "x", "note": "n", "hours": BEYOND_BIGINT}, "hours"),
        (
            "jiesu.assessment.forms.CreditForm",
            {"unit": "wangjing", "month": "2026-11", "kind": "x", "points": "9" * 40, "note": "n"},
            "points",
        ),
    ],
)
@pytest.mark.django_db
def test_numbers_in_forms_are_bounded(form_path, data, field):
    from django.utils.module_loading import import_string

    form = import_string(form_path)(data)
    assert not form.is_valid() and field in form.errors


@pytest.mark.django_db
def test_an_assessment_month_past_a_c_long_is_refused_not_a_500(supervisor, make_user, wangjing_office):
    """ "2026-" and 20 nines made datetime.date raise OverflowError, which parse_month did not catch."""
    from jiesu.assessment import services as assessment_services
    from jiesu.assessment.models import Appeal

    month = "2026-" + "9" * 20
    with pytest.raises(ValidationError) as refused:
        assessment_services.parse_month(month)
    assert list(refused.value.message_dict) == ["month"]
    http = Client(raise_request_exception=False)
    http.force_login(supervisor)
    assert http.get("/assessment/", {"month": month}).status_code == 404  # as any month not YYYY-MM
    # The export's month is in its path, and was parsed unguarded: any month not YYYY-MM was a 500.
    assert http.get(f"/assessment/{month}/export.xlsx").status_code == 404
    assert http.get("/assessment/2026-1x/export.xlsx").status_code == 404
    recognised = http.post("/assessment/recognise/", {"month": month, "person": supervisor.username, "reason": "好"})
    assert recognised.status_code == 302
    assert [str(m) for m in get_messages(recognised.wsgi_request)] == [
        f"考核月份格式应为YYYY-MM，例如2026-11：{month!r}"
    ]
    http.force_login(make_user(roles.UNIT_HANDLER, wangjing_office))
    response = http.post("/assessment/appeal/", {"order": "261101-00001", "month": month, "reason": "已按时办结。"})
    assert response.status_code == 302 and Appeal.objects.count() == 0
