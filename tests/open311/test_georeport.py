"""Open311 GeoReport v2 server: every endpoint in JSON and XML, every error path (R2.1, R21.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jiesu.open311.models import Submission
from jiesu.orders.models import OrderEvent, WorkOrder

from .helpers import doc, root

FORMATS = ["json", "xml"]
LIGHT = "朝阳区望京街道花家地北里小区门口的路灯坏了一个星期，晚上很黑，希望尽快修好。"
PHONE, FIRST, LAST, EMAIL = "13912345678", "小明", "李", "liming@example.com"


def good(key: str, **extra) -> dict:
    data = {
        "api_key": key,
        "service_code": "city.municipal.streetlight",
        "address_string": "朝阳区望京街道花家地北里",
        "description": LIGHT,
        "first_name": FIRST,
        "last_name": LAST,
        "phone": PHONE,
        "email": EMAIL,
        "account_id": "acct-778",
        "device_id": "dev-42",
        "media_url": "https://img.example.com/light.jpg",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def counts():
    return WorkOrder.objects.count(), OrderEvent.objects.count(), Submission.objects.count()


def as_text(value) -> str:
    return "" if value is None else str(value)


# --- discovery and services -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_v2_endpoint_in_both_formats_R21_1(http, fmt):
    response = http.get(f"/open311/discovery.{fmt}")
    assert response.status_code == 200
    d = doc(fmt, response)
    assert d["changeset"] and d["contact"] and d["key_service"]
    [endpoint] = d["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2" and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    if fmt == "xml":
        assert root(response) == "discovery"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_services_from_active_matters_with_string_codes_groups_keywords_R21_1(http, fmt, streetlight):
    from jiesu.catalog.models import Matter

    Matter.objects.filter(code="city.municipal.manhole").update(active=False)
    response = http.get(f"/open311/v2/services.{fmt}")
    assert response.status_code == 200
    services = {s["service_code"]: s for s in doc(fmt, response)}
    assert "city.municipal.manhole" not in services
    assert len(services) == Matter.objects.filter(active=True).count()
    light = services["city.municipal.streetlight"]
    assert light["service_name"] == streetlight.name and light["group"] == streetlight.level1
    assert light["type"] == "realtime" and light["keywords"] == ",".join(streetlight.keywords)
    assert as_text(light["metadata"]).lower() == "true"
    assert as_text(services["urban.property.fee"]["metadata"]).lower() == "false"
    if fmt == "json":
        assert all(isinstance(s["service_code"], str) and isinstance(s["metadata"], bool) for s in services.values())
    else:
        assert root(response) == "services"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_attributes_in_order_R21_1(http, fmt, streetlight):
    response = http.get(f"/open311/v2/services/city.municipal.streetlight.{fmt}")
    assert response.status_code == 200
    d = doc(fmt, response)
    assert d["service_code"] == "city.municipal.streetlight"
    fault, count = d["attributes"]
    assert (fault["code"], fault["datatype"], as_text(fault["required"]).lower(), as_text(fault["order"])) == (
        "fault",
        "singlevaluelist",
        "true",
        "1",
    )
    assert fault["values"] == [{"key": "dark", "name": "不亮"}, {"key": "flicker", "name": "闪烁"}]
    assert count["values"] == [] and count["datatype_description"] == "填写数字"
    if fmt == "xml":
        assert root(response) == "service_definition"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404_error_list_R21_1(http, fmt):
    response = http.get(f"/open311/v2/services/no.such.service.{fmt}")
    assert response.status_code == 404
    [error] = doc(fmt, response)
    assert as_text(error["code"]) == "404" and "no.such.service" in error["description"]
    if fmt == "xml":
        assert root(response) == "errors"


# --- POST requests --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_real_order_through_the_engine_R2_1_R21_1(http, fmt, api_key, streetlight):
    client, key = api_key
    response = http.post(
        f"/open311/v2/requests.{fmt}",
        good(key, **{"attribute[fault]": "dark", "attribute[count]": "3", "attribute[fixmystreet_id]": "9911"}),
    )
    assert response.status_code == 200, response.content
    [created] = doc(fmt, response)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}  # no token: intake is synchronous
    assert created["account_id"] == "acct-778"
    order = WorkOrder.objects.get(number=created["service_request_id"])
    assert order.channel == "api" and order.created_by == client.user
    assert client.user.role == "call_taker" and client.user.unit.code == "centre"
    # The engine acted on it: a clear Beijing streetlight request goes straight to its units.
    assert order.status == "dispatched", order.events.values_list("action", flat=True)
    assert order.lead_unit is not None and order.due_at is not None
    assert order.matter_code == "city.municipal.streetlight"
    assert "路灯故障类型：不亮" in order.content and "不亮的路灯数量：3" in order.content
    assert [e.action for e in order.events.all()][:2] == ["created", "decided"]
    assert order.requester_phone == PHONE and order.requester_name == "李小明"
    submission = order.open311_submission
    assert submission.attributes == {"fault": ["dark"], "count": ["3"], "fixmystreet_id": ["9911"]}
    assert EMAIL not in submission.email_enc  # encrypted at rest like the order's requester fields
    assert order.lead_unit.name in created["service_notice"]


@pytest.mark.django_db
def test_post_by_lat_long_only_or_address_id_is_accepted_R21_1(http, api_key):
    from jiesu.directory.models import Place

    _, key = api_key
    by_point = http.post("/open311/v2/requests.json", good(key, address_string=None, lat="39.99", long="116.47"))
    assert by_point.status_code == 200, by_point.content
    order = WorkOrder.objects.get(number=by_point.json()[0]["service_request_id"])
    assert (float(order.latitude), float(order.longitude)) == (39.99, 116.47)
    assert order.status in {"dispatched", "pending_review"}

    wangjing = Place.objects.get(name="望京街道", district__name="朝阳区")
    by_id = http.post("/open311/v2/requests.json", good(key, address_string=None, address_id=wangjing.code))
    assert by_id.status_code == 200, by_id.content
    order = WorkOrder.objects.get(number=by_id.json()[0]["service_request_id"])
    assert order.location_text.endswith("朝阳区望京街道") and order.open311_submission.address_id == wangjing.code


@pytest.mark.django_db
def test_post_without_description_uses_the_service_and_strips_html_R21_1(http, api_key):
    _, key = api_key
    response = http.post("/open311/v2/requests.json", good(key, description=None))
    assert response.status_code == 200, response.content
    assert (
        WorkOrder.objects.get(number=response.json()[0]["service_request_id"]).content == "反映市政设施问题：路灯不亮"
    )
    response = http.post(
        "/open311/v2/requests.json", good(key, description="<b>路灯</b>坏了<script>x</script>，很黑。")
    )
    assert WorkOrder.objects.get(number=response.json()[0]["service_request_id"]).content.startswith(
        "路灯坏了x，很黑。"
    )


ERRORS = [
    # (id, change to the good request, HTTP status, words in the description)
    ("missing_key", {"api_key": None}, 403, "api_key"),
    ("wrong_key", {"api_key": "not-a-key"}, 403, "api_key"),
    ("missing_service_code", {"service_code": None}, 400, "service_code"),
    ("unknown_service_code", {"service_code": "no.such.service"}, 404, "no.such.service"),
    ("missing_location", {"address_string": None}, 400, "lat"),
    ("lat_without_long", {"address_string": None, "lat": "39.9"}, 400, "long"),
    ("bad_lat", {"lat": "north", "long": "116.4"}, 400, "lat"),
    ("unknown_address_id", {"address_string": None, "address_id": "999999"}, 400, "address_id"),
    ("too_long_description", {"description": "路" * 4001}, 400, "4000"),
    ("bad_media_url", {"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ("bad_phone", {"phone": "12"}, 400, "phone"),
    ("missing_required_attribute", {"attribute[fault]": None}, 400, "attribute[fault]"),
    ("unknown_list_value", {"attribute[fault]": "melted"}, 400, "melted"),
    (
        "two_values_for_single_list",
        {"attribute[fault][]": ["dark", "flicker"], "attribute[fault]": None},
        400,
        "一个值",
    ),
    ("number_not_a_number", {"attribute[count]": "many"}, 400, "attribute[count]"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("change,status,words", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_post_errors_are_spec_error_lists_and_write_nothing_R21_1(
    http, fmt, api_key, streetlight, change, status, words
):
    _, key = api_key
    data = good(key, **{"attribute[fault]": "dark"})
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    before = counts()
    response = http.post(f"/open311/v2/requests.{fmt}", data)
    assert response.status_code == status, response.content
    [error] = doc(fmt, response)
    assert as_text(error["code"]) == str(status) and words in error["description"]
    assert counts() == before


@pytest.mark.django_db
def test_revoked_and_rotated_keys_stop_working_R21_1(http, api_key):
    from jiesu.open311 import services

    client, key = api_key
    new_key = services.rotate_key(client)
    assert http.post("/open311/v2/requests.json", good(key)).status_code == 403
    assert http.post("/open311/v2/requests.json", good(new_key)).status_code == 200
    services.revoke_client(client)
    client.user.refresh_from_db()
    assert not client.user.is_active
    assert http.post("/open311/v2/requests.json", good(new_key)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_rate_limit_answers_429_with_retry_after_and_writes_nothing_R21_1(http, fmt, api_key, mid_november):
    # The limit counts per clock minute: the clock starts at 10:00:00, so the three calls share one
    # minute (unpinned, they straddled a minute's turn now and then and the third was let through).
    client, key = api_key
    client.rate_limit_per_minute = 2
    client.save()
    assert http.post(f"/open311/v2/requests.{fmt}", good(key)).status_code == 200
    assert http.post(f"/open311/v2/requests.{fmt}", good(key)).status_code == 200
    before = counts()
    response = http.post(f"/open311/v2/requests.{fmt}", good(key))
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    [error] = doc(fmt, response)
    assert as_text(error["code"]) == "429" and "每分钟最多2次" in error["description"]
    assert counts() == before


# --- GET requests ---------------------------------------------------------------------


@pytest.fixture
def posted(http, api_key, streetlight):
    """Three orders: one by Open311, one by phone naming its caller in the text, one confidential."""
    from jiesu.intake.services import take_request
    from jiesu.orders import services

    _, key = api_key
    number = http.post("/open311/v2/requests.json", good(key, **{"attribute[fault]": "flicker"})).json()[0][
        "service_request_id"
    ]
    from jiesu.directory.models import User

    call_taker = User.objects.get(role="call_taker", username__startswith="open311-")
    by_phone = take_request(
        services.IntakeData(
            channel="phone",
            kind="complaint",
            requester_phone="13700001111",
            requester_name="王建国",
            content="王建国反映：东城区东华门街道南池子大街有井盖丢失，很危险，回电13700001111或wang@example.com。王先生很着急。",
            location_text="东城区东华门街道南池子大街",
        ),
        actor=call_taker,
    )
    secret = take_request(
        services.IntakeData(
            channel="phone",
            kind="complaint",
            requester_phone="13600002222",
            requester_name="赵保密",
            requester_confidential=True,
            content="海淀区中关村街道知春路上共享单车乱停乱放，堵塞人行道。",
            location_text="海淀区中关村街道知春路",
        ),
        actor=call_taker,
    )
    return WorkOrder.objects.get(number=number), by_phone, secret


PERSONAL = [
    PHONE,
    FIRST,
    LAST + FIRST,
    EMAIL,
    "acct-778",
    "dev-42",
    "13700001111",
    "王建国",
    "王先生",
    "wang@example.com",
    "13600002222",
    "赵保密",
]


def assert_no_personal_data(response):
    body = response.content.decode("utf-8")
    leaked = [p for p in PERSONAL if p in body]
    assert not leaked, leaked


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_projects_orders_without_personal_data_R2_1_R21_1(http, fmt, posted):
    mine, by_phone, secret = posted
    response = http.get(f"/open311/v2/requests.{fmt}")
    assert response.status_code == 200
    assert_no_personal_data(response)
    requests = {r["service_request_id"]: r for r in doc(fmt, response)}
    assert set(requests) == {mine.number, by_phone.number, secret.number}  # confidential still listed
    r = requests[mine.number]
    assert (
        r["status"] == "open" and r["service_code"] == "city.municipal.streetlight" and r["service_name"] == "路灯不亮"
    )
    assert r["agency_responsible"] == mine.lead_unit.name
    assert r["expected_datetime"] == timezone.localtime(mine.due_at).isoformat(timespec="seconds")
    assert r["requested_datetime"].endswith("+08:00") and r["status_notes"].startswith("已派单至")
    assert r["address"] == "朝阳区望京街道花家地北里" and r["media_url"] == "https://img.example.com/light.jpg"
    assert "南池子大街有井盖丢失" in requests[by_phone.number]["description"]
    if fmt == "xml":
        assert root(response) == "service_requests"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request_is_a_list_of_one_and_unknown_is_404_R21_1(http, fmt, posted):
    mine, _, _ = posted
    response = http.get(f"/open311/v2/requests/{mine.number}.{fmt}")
    assert response.status_code == 200
    assert_no_personal_data(response)
    [one] = doc(fmt, response)
    assert one["service_request_id"] == mine.number
    missing = http.get(f"/open311/v2/requests/000000-00000.{fmt}")
    assert missing.status_code == 404 and as_text(doc(fmt, missing)[0]["code"]) == "404"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_give_public_history_and_parent_request_R21_1(http, fmt, posted, dispatcher):

    mine, by_phone, _ = posted
    WorkOrder.objects.filter(pk=by_phone.pk).update(related_order=mine)
    response = http.get(f"/open311/v2/requests/{by_phone.number}.{fmt}", {"extensions": "true"})
    assert_no_personal_data(response)
    [r] = doc(fmt, response)
    assert r["extended_attributes"]["parent_service_request_id"] == mine.number
    assert as_text(r["extended_attributes"]["duplicate"]).lower() == "true"
    notes = r["notes"]
    assert notes[0]["type"] == "created" and notes[0]["description"] == "诉求已受理。"
    assert "decided" not in [n["type"] for n in notes]  # engine reasons quote the request: never public

    [m] = doc(fmt, http.get(f"/open311/v2/requests/{mine.number}.{fmt}", {"extensions": "true"}))
    assert m["attributes"] == [{"code": "fault", "label": "路灯故障类型", "value": "flicker", "name": "闪烁"}]
    assert as_text(m["extended_attributes"]["parent_service_request_id"]) == ""
    plain = doc(fmt, http.get(f"/open311/v2/requests/{mine.number}.{fmt}"))[0]
    assert "notes" not in plain and "extended_attributes" not in plain


@pytest.mark.django_db
def test_get_requests_filters_and_defaults_R21_1(http, posted, make_order):
    mine, by_phone, secret = posted
    old = make_order(received_at=timezone.now() - timedelta(days=100))

    def numbers(**query):
        response = http.get("/open311/v2/requests.json", query)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    # Default: the last 90 days, newest first.
    assert numbers() == [secret.number, by_phone.number, mine.number]
    # service_request_id overrides every other filter, even the date window.
    assert set(numbers(service_request_id=f"{old.number}, {mine.number}", status="closed")) == {old.number, mine.number}
    assert numbers(service_code="city.municipal.streetlight") == [mine.number]
    assert numbers(service_code="city.municipal.manhole,city.municipal.streetlight") == [by_phone.number, mine.number]
    assert numbers(status="closed") == [] and len(numbers(status="open,closed")) == 3
    start = (timezone.now() - timedelta(days=120)).isoformat()
    assert old.number in numbers(start_date=start)
    assert numbers(start_date=start, end_date=(timezone.now() - timedelta(days=95)).isoformat()) == [old.number]
    # An empty parameter is the same as an absent one.
    assert numbers(service_code="", status="", start_date="") == numbers()
    # Pages.
    assert numbers(page_size="2") == [secret.number, by_phone.number]
    assert numbers(page_size="2", page="2") == [mine.number]
    # updated_after reaches past the 90 days: a change feed.
    WorkOrder.objects.filter(pk=old.pk).update(updated_at=timezone.now())
    assert old.number in numbers(updated_after=(timezone.now() - timedelta(minutes=1)).isoformat())
    assert numbers(updated_after=(timezone.now() + timedelta(minutes=1)).isoformat()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query,words",
    [
        ({"start_date": "2025-01-01T00:00:00+08:00", "end_date": "2025-06-01T00:00:00+08:00"}, "90"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2025-01-01T00:00:00Z", "start_date": "2025-02-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"page_size": "1001"}, "page_size"),
        ({"page": "0"}, "page"),
    ],
    ids=["range_over_90_days", "bad_date", "end_before_start", "bad_status", "page_size_over_1000", "page_zero"],
)
def test_get_requests_bad_parameters_are_400_R21_1(http, fmt, query, words):
    response = http.get(f"/open311/v2/requests.{fmt}", query)
    assert response.status_code == 400
    [error] = doc(fmt, response)
    assert words in error["description"]


@pytest.mark.django_db
def test_reports_and_privacy_cases_are_listed_without_their_content_R21_1(http, make_order):
    report = make_order(kind="report", content="举报望京某餐馆使用地沟油，老板叫孙某某，我是他的员工。")
    response = http.get(f"/open311/v2/requests/{report.number}.json", {"extensions": "true"})
    [r] = response.json()
    assert "地沟油" not in response.content.decode() and "不予公开" in r["description"]
    assert r["lat"] is None


# --- servicerequestupdates (FixMyStreet) ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_servicerequestupdates_feed_status_changes_R21_1(http, fmt, posted, api_key):
    mine, by_phone, secret = posted
    _, key = api_key
    response = http.get(f"/open311/v2/servicerequestupdates.{fmt}", {"api_key": key})
    assert response.status_code == 200
    assert_no_personal_data(response)
    updates = doc(fmt, response)
    mine_updates = [u for u in updates if u["service_request_id"] == mine.number]
    assert [u["status"] for u in mine_updates] == ["OPEN", "ACTION_SCHEDULED"]
    assert [u["external_status_code"] for u in mine_updates] == ["received", "dispatched"]
    assert all(u["update_id"] and u["updated_datetime"] and u["description"] for u in updates)
    if fmt == "xml":
        assert root(response) == "service_request_updates"
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert doc(fmt, http.get(f"/open311/v2/servicerequestupdates.{fmt}", {"api_key": key, "start_date": later})) == []
    assert http.get(f"/open311/v2/servicerequestupdates.{fmt}").status_code == 403


# --- the rest of the URL space --------------------------------------------------------


@pytest.mark.django_db
def test_unknown_resources_and_methods_answer_in_the_spec_format_R21_1(http):
    response = http.get("/open311/v2/tokens/abc.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    assert http.get("/open311/v2/nothing").status_code == 404
    assert root(http.get("/open311/v2/nothing")) == "errors"
    put = http.put("/open311/v2/services.json")
    assert put.status_code == 400 and put.json()[0]["code"] == 405


@pytest.mark.django_db
def test_open311_key_command_creates_rotates_and_revokes_R21_1(http):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("open311_key", "--name", "津冀热线联动", "--rate-limit", "30", stdout=out)
    key = out.getvalue().strip()
    assert http.post("/open311/v2/requests.json", good(key)).status_code == 200
    out = StringIO()
    call_command("open311_key", "--name", "津冀热线联动", "--rotate", stdout=out)
    assert http.post("/open311/v2/requests.json", good(key)).status_code == 403
    new_key = out.getvalue().strip()
    assert http.post("/open311/v2/requests.json", good(new_key)).status_code == 200
    call_command("open311_key", "--name", "津冀热线联动", "--revoke", stdout=StringIO())
    assert http.post("/open311/v2/requests.json", good(new_key)).status_code == 403
