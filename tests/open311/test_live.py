"""Open311 over real HTTP: httpx against a gunicorn on its own fresh database (R2.1, R21.1).

What Django's test client cannot show: the form-encoded POST as a third-party app sends it,
the bytes and headers on the wire, the key made by the `jiesu open311-key` command, and the
rate limit across real worker processes.
"""

from __future__ import annotations

import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.live_server import BIN, REDIS_URL, REPO, live_jiesu, redis_or_skip

from .helpers import doc

NAME, PHONE, EMAIL = "周小华", "13566667777", "zhou@example.com"


def make_key(env, name: str, *extra: str) -> str:
    done = subprocess.run(
        [str(BIN / "jiesu"), "open311-key", "--name", name, *extra],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def live():
    with live_jiesu() as (url, _passwords, env):
        with httpx.Client(base_url=f"{url}/open311", timeout=30) as http:
            yield http, env


def test_live_discovery_and_services_over_http_R21_1(live):
    http, _ = live
    discovery = http.get("/discovery.xml")
    assert discovery.status_code == 200 and discovery.headers["content-type"] == "text/xml; charset=utf-8"
    assert discovery.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    endpoint = ET.fromstring(discovery.content).find("endpoints/endpoint")
    assert endpoint.findtext("url").endswith("/open311/v2")
    services = http.get("/v2/services.json").json()
    assert any(s["service_code"] == "city.municipal.streetlight" for s in services)
    assert ET.fromstring(http.get("/v2/services.xml").content).tag == "services"


def test_live_post_then_read_back_without_personal_data_R2_1_R21_1(live):
    http, env = live
    key = make_key(env, "live-app")
    form = {
        "api_key": key,
        "service_code": "city.municipal.streetlight",
        "address_string": "朝阳区望京街道花家地北里",
        "description": "朝阳区望京街道花家地北里小区门口的路灯坏了一个星期，晚上很黑，希望尽快修好。",
        "first_name": "小华",
        "last_name": "周",
        "phone": PHONE,
        "email": EMAIL,
    }
    created = http.post("/v2/requests.json", data=form)  # httpx sends application/x-www-form-urlencoded
    assert created.status_code == 200, created.text
    [answer] = created.json()
    number = answer["service_request_id"]
    assert isinstance(number, str) and "token" not in answer

    for fmt in ("json", "xml"):
        one = http.get(f"/v2/requests/{number}.{fmt}", params={"extensions": "true"})
        assert one.status_code == 200
        assert not [p for p in (NAME, PHONE, EMAIL) if p in one.content.decode("utf-8")]
        [request] = doc(fmt, one)
        # Open either way: sent out by the engine, or waiting for a dispatcher's review when the
        # engine's lead-unit gate is not met (then no agency is named yet).
        assert request["status"] == "open"
        dispatched = bool(request["agency_responsible"])
        assert request["notes"][0]["type"] == "created"
    listed = http.get("/v2/requests.xml", params={"service_request_id": number})
    assert [r.findtext("service_request_id") for r in ET.fromstring(listed.content)] == [number]

    xml_created = http.post("/v2/requests.xml", data=form)
    assert xml_created.status_code == 200
    assert ET.fromstring(xml_created.content).findtext("request/service_request_id")

    updates = http.get("/v2/servicerequestupdates.json", params={"api_key": key})
    assert updates.status_code == 200
    expected = {"OPEN", "ACTION_SCHEDULED"} if dispatched else {"OPEN"}
    assert expected <= {u["status"] for u in updates.json() if u["service_request_id"] == number}


def test_live_errors_over_http_R21_1(live):
    http, env = live
    missing = http.post(
        "/v2/requests.xml", data={"service_code": "city.municipal.streetlight", "address_string": "望京"}
    )
    assert missing.status_code == 403 and ET.fromstring(missing.content).findtext("error/code") == "403"
    key = make_key(env, "live-errors")
    unknown = http.post("/v2/requests.json", data={"api_key": key, "service_code": "nope", "address_string": "望京"})
    assert unknown.status_code == 404
    no_place = http.post("/v2/requests.json", data={"api_key": key, "service_code": "city.municipal.streetlight"})
    assert no_place.status_code == 400 and "lat" in no_place.json()[0]["description"]
    assert http.get("/v2/requests/000000-00000.json").status_code == 404


def test_live_copies_of_one_post_sent_at_once_make_one_order_R21_1(live):
    """A client that times out and retries while the first POST is still running: six copies at
    once over two gunicorn workers give one order, and every copy its number (issue 12, defect 13)."""
    http, env = live
    key = make_key(env, "live-retries")
    form = {
        "api_key": key,
        "service_code": "city.municipal.streetlight",
        "address_string": "朝阳区望京街道花家地北里",
        "description": "花家地北里东门的路灯不亮了。",
        "attribute[fixmystreet_id]": uuid.uuid4().hex,
    }
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: http.post("/v2/requests.json", data=form), range(6)))
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert len({a.json()[0]["service_request_id"] for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 5


def test_live_oversized_body_is_a_spec_error_R21_1(live):
    """Django's body limit over real HTTP answers in the spec's format, not Django's HTML page (defect 17)."""
    http, env = live
    key = make_key(env, "live-oversized")
    response = http.post(
        "/v2/requests.xml",
        data={
            "api_key": key,
            "service_code": "city.municipal.streetlight",
            "address_string": "望京",
            "description": "a" * 3_000_000,
        },
    )
    assert response.status_code == 400 and response.headers["content-type"] == "text/xml; charset=utf-8"
    error = ET.fromstring(response.content).find("error")
    assert error.findtext("code") == "413" and "请求体过大" in error.findtext("description")


def test_live_rate_limit_answers_429_R21_1(live):
    """Limit 1 a minute: with two gunicorn workers (one counter each, LocMemCache) and a
    possible minute boundary, at most four of eight calls can pass."""
    http, env = live
    key = make_key(env, "live-limited", "--rate-limit", "1")
    statuses = [http.get("/v2/servicerequestupdates.json", params={"api_key": key}).status_code for _ in range(8)]
    assert statuses.count(429) >= 4, statuses
    limited = http.get("/v2/servicerequestupdates.json", params={"api_key": key})
    if limited.status_code == 429:
        assert limited.json()[0]["code"] == 429 and int(limited.headers["retry-after"]) >= 1


def test_live_rate_limit_counts_every_worker_in_redis_R21_1():
    """With JIESU_CACHE_URL, both gunicorn workers count in one Redis counter: eight calls
    leave exactly eight counted, whichever worker answered each (a per-process cache would
    leave them split over two processes and nothing in Redis)."""
    r = redis_or_skip(REDIS_URL)
    prefix = f"jiesu-test-{uuid.uuid4().hex[:8]}"
    with live_jiesu(extra_env={"JIESU_CACHE_URL": REDIS_URL, "JIESU_CACHE_PREFIX": prefix}) as (url, _p, env):
        key = make_key(env, "shared-limit", "--rate-limit", "3")
        with httpx.Client(base_url=f"{url}/open311", timeout=30) as http:
            statuses = [
                http.get("/v2/servicerequestupdates.json", params={"api_key": key}).status_code for _ in range(8)
            ]
    counters = r.keys(f"{prefix}:*open311:rate:*")
    try:
        assert sum(int(r.get(k)) for k in counters) == 8
        # Three a minute, and the eight calls span at most two clock minutes.
        assert statuses.count(200) <= 6 and statuses.count(429) >= 2, statuses
    finally:
        if counters:
            r.delete(*counters)
