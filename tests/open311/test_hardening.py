"""Open311 under hostile or clumsy clients (issue 12, defects 5, 13, 17; R21.1).

XML that stays well-formed whatever text was stored, a retried POST that does not make a
second order, and Django's body limits answered in the spec's error format.
"""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from jiesu.open311.models import Submission
from jiesu.orders.models import WorkOrder

from .helpers import doc

FORMATS = ["json", "xml"]


def post_body(key: str, **extra) -> dict:
    return {
        "api_key": key,
        "service_code": "city.municipal.streetlight",
        "address_string": "朝阳区望京街道花家地北里",
        "description": "花家地北里小区门口的路灯坏了一个星期，晚上很黑。",
        "attribute[fault]": "dark",
        "attribute[fixmystreet_id]": "4711",
        **extra,
    }


# --- defect 5: well-formed XML ------------------------------------------------------------


@pytest.mark.django_db
def test_xml_stays_well_formed_for_text_stored_with_control_characters_R21_1(http, make_order):
    """Text stored before the edges refused control characters (or by any other path) is cleaned
    on the way out: every partner's XML parser stops at the first vertical tab."""
    order = make_order(content="路灯坏了\x0b一周\x01，晚上很黑\x0c请修。", location_text="朝阳区望京\x1f街道")
    for path in (
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{order.number}.xml",
        f"/open311/v2/requests/{order.number}.xml?extensions=true",
    ):
        response = http.get(path)
        assert response.status_code == 200
        request = ET.fromstring(response.content).find("request")  # ParseError on main: "not well-formed"
        assert request.findtext("service_request_id") == order.number
        # Vertical tab and form feed were line breaks where they came from; the rest is dropped.
        assert request.findtext("description") == "路灯坏了\n一周，晚上很黑\n请修。"
        assert request.findtext("address") == "朝阳区望京街道"
    # JSON can carry them escaped, and says the same as before.
    [same] = json.loads(http.get(f"/open311/v2/requests/{order.number}.json").content)
    assert same["description"] == "路灯坏了\x0b一周\x01，晚上很黑\x0c请修。"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "field",
    [
        "description",
        "address_string",
        "first_name",
        "last_name",
        "email",
        "device_id",
        "account_id",
        "attribute[fixmystreet_id]",
        "attribute[count]",
    ],
)
def test_every_post_field_refuses_control_characters_in_the_spec_format_R21_1(http, fmt, api_key, streetlight, field):
    _, key = api_key
    before = WorkOrder.objects.count(), Submission.objects.count()
    response = http.post(f"/open311/v2/requests.{fmt}", post_body(key, **{field: "12\x0b34"}))
    assert response.status_code == 400, response.content
    [error] = doc(fmt, response)
    assert str(error["code"]) == "400"
    assert error["description"] == f"{field}：含有不允许的控制字符（U+000B），请删除后重试。"
    assert (WorkOrder.objects.count(), Submission.objects.count()) == before


# --- defect 13: a retried POST ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_post_twice_makes_one_order_and_answers_the_first_R21_1(http, fmt, api_key, streetlight):
    client, key = api_key
    first = http.post(f"/open311/v2/requests.{fmt}", post_body(key))
    assert first.status_code == 200, first.content
    again = http.post(f"/open311/v2/requests.{fmt}", post_body(key))
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    [answer], [replayed] = doc(fmt, first), doc(fmt, again)
    assert replayed == answer
    assert WorkOrder.objects.count() == Submission.objects.count() == 1
    assert Submission.objects.get().request_hash


@pytest.mark.django_db
def test_a_different_body_another_client_or_a_late_copy_is_a_new_order_R21_1(http, api_key, streetlight):
    from jiesu.open311 import services
    from jiesu.open311.models import ApiClient

    _, key = api_key

    def number(**extra):
        return http.post("/open311/v2/requests.json", post_body(key, **extra)).json()[0]["service_request_id"]

    first = number()
    # Another report from the same app: FixMyStreet's own id differs.
    assert number(**{"attribute[fixmystreet_id]": "4712"}) != first
    # The same body from another partner is that partner's report.
    other_key = services.create_client(ApiClient(name="随手拍", rate_limit_per_minute=100))
    other = http.post("/open311/v2/requests.json", post_body(other_key)).json()[0]["service_request_id"]
    assert other != first
    # Past the retry window, the same body is news again.
    Submission.objects.filter(order__number=first).update(created_at=timezone.now() - timedelta(days=2))
    assert number() != first
    assert WorkOrder.objects.count() == 4


@pytest.mark.django_db
def test_a_refused_post_is_not_remembered_R21_1(http, api_key, streetlight):
    """Only an order made is replayed: a POST refused for a bad field, corrected, is a new request."""
    _, key = api_key
    assert http.post("/open311/v2/requests.json", post_body(key, **{"attribute[fault]": "melted"})).status_code == 400
    assert Submission.objects.count() == 0
    assert http.post("/open311/v2/requests.json", post_body(key)).status_code == 200
    assert WorkOrder.objects.count() == 1


# --- defect 17: Django's body limits ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("excess", ["bytes", "fields"])
def test_oversized_bodies_get_the_spec_error_document_R21_1(http, fmt, api_key, settings, excess):
    _, key = api_key
    if excess == "bytes":
        body = post_body(key, description="a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
        words = "请求体过大"
    else:
        body = post_body(key, **{f"attribute[x{i}]": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)})
        words = "参数过多"
    response = http.post(f"/open311/v2/requests.{fmt}", body)
    assert response.status_code == 400
    [error] = doc(fmt, response)  # on main: Django's HTML "Bad Request (400)" page
    assert str(error["code"]) == "413" and words in error["description"]
    if fmt == "xml":
        assert ET.fromstring(response.content).tag == "errors"
    assert WorkOrder.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_too_many_query_parameters_get_the_spec_error_document_R21_1(http, fmt, settings):
    query = "&".join(f"x{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = http.get(f"/open311/v2/requests.{fmt}?{query}")
    assert response.status_code == 400
    [error] = doc(fmt, response)
    assert "查询参数过多" in error["description"]
