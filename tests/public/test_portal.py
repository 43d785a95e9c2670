"""The citizen portal and the status look-up (R8.1, R10.1, R2.1): real database, real views."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from jiesu.orders.models import WorkOrder
from jiesu.public.models import PhoneChallenge, PortalRequest

PHONE = "13912345678"
TEXT = "小区门口的路灯坏了一个多星期，晚上很黑，老人出门不安全，希望尽快修好。"


def sent_code(outbox, phone=PHONE) -> str:
    to, text = outbox[-1]
    assert to == phone
    return re.search(r"验证码是(\d{6})", text).group(1)


def send_code(client, phone=PHONE):
    return client.post("/public/", {"action": "send_code", "phone": phone, "kind": "help", "content": TEXT})


def submit(client, **fields):
    data = {
        "action": "submit",
        "kind": "help",
        "content": TEXT,
        "location_text": "朝阳区望京街道花家地北里",
        "phone": PHONE,
        **fields,
    }
    return client.post("/public/", data)


@pytest.mark.django_db
def test_portal_request_with_verified_phone_gets_a_number_on_screen_and_by_sms_R8_1_R10_1(
    client, outbox, django_capture_on_commit_callbacks
):
    page = client.get("/public/")
    assert page.status_code == 200 and "网上反映诉求" in page.content.decode()
    assert send_code(client).status_code == 200
    code = sent_code(outbox)
    assert PhoneChallenge.objects.get().code_hash != code  # only a keyed hash is kept

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, code=code)
    body = response.content.decode()
    assert response.status_code == 200, body
    number = re.search(r'id="order-number">([^<]+)<', body).group(1)
    order = WorkOrder.objects.get(number=number)
    # The same intake as every channel: the web channel, the portal's service user, the engine ran.
    assert order.channel == "web" and order.created_by.username == "public-portal"
    assert order.requester_phone == PHONE
    assert order.events.filter(action="created").exists()
    assert order.events.exclude(action__in=["created"]).exists() or order.status != "received"
    assert PortalRequest.objects.get(order=order).anonymous is False
    # The order number reaches the phone by SMS too.
    assert any(to == PHONE and number in text for to, text in outbox), outbox
    # The code works once.
    assert submit(client, code=code).status_code == 400


@pytest.mark.django_db
def test_wrong_code_writes_nothing_and_says_which_field_R8_1(client, outbox):
    send_code(client)
    good = sent_code(outbox)
    wrong = "000000" if good != "000000" else "111111"
    response = submit(client, code=wrong)
    assert response.status_code == 400
    assert "短信验证码不正确或已过期" in response.content.decode()
    assert not WorkOrder.objects.exists()
    # A form error elsewhere does not spend the code: the citizen fixes the text and goes on.
    response = submit(client, code=good, content="短")
    assert response.status_code == 400 and "至少5个字" in response.content.decode()
    assert submit(client, code=good).status_code == 200
    assert WorkOrder.objects.count() == 1


@pytest.mark.django_db
def test_bad_phone_is_refused_naming_the_field(client, outbox):
    response = send_code(client, phone="12345")
    assert response.status_code == 400 and "请填写11位手机号码" in response.content.decode()
    assert outbox == [] and not PhoneChallenge.objects.exists()


@pytest.mark.django_db
def test_code_sending_is_throttled_per_phone_and_per_address_R8_1(client, outbox):
    assert send_code(client).status_code == 200
    again = send_code(client)
    assert again.status_code == 400 and "60秒" in again.content.decode()
    for minute in range(1, 5):
        with time_machine.travel(timedelta(minutes=minute * 2)):
            assert send_code(client).status_code == 200
    with time_machine.travel(timedelta(minutes=12)):
        refused = send_code(client)
        assert refused.status_code == 400 and "次数过多" in refused.content.decode()
        assert len(outbox) == 5
        # Other phones from the same address, up to the address's own limit.
        for i in range(15):
            assert send_code(client, phone=f"1370000{i:04d}").status_code == 200
        assert "本机获取验证码次数过多" in send_code(client, phone="13600000000").content.decode()


@pytest.mark.django_db
def test_anonymous_only_for_consultations_suggestions_and_reports(client, outbox):
    response = submit(client, anonymous="on", phone="")
    assert response.status_code == 400 and "不能匿名提交" in response.content.decode()
    response = submit(client, anonymous="on", phone="", kind="suggestion")
    body = response.content.decode()
    assert response.status_code == 200, body
    number = re.search(r'id="order-number">([^<]+)<', body).group(1)
    query_code = re.search(r'id="query-code">([^<]+)<', body).group(1)
    order = WorkOrder.objects.get(number=number)
    assert order.requester_phone == "" and outbox == []
    # The query code, shown once, finds the order; it is kept only as a hash.
    assert query_code not in PortalRequest.objects.get(order=order).query_code_hash
    found = client.post("/public/status/", {"action": "lookup", "number": number, "check": query_code.lower()})
    assert found.status_code == 200 and "当前状态" in found.content.decode()
    # Ten anonymous requests an hour from one address; then a phone is asked for.
    for _ in range(9):
        assert submit(client, anonymous="on", phone="", kind="consultation").status_code == 200
    refused = submit(client, anonymous="on", phone="", kind="consultation")
    assert refused.status_code == 400 and "本机匿名提交次数过多" in refused.content.decode()
    assert WorkOrder.objects.count() == 10


# Status look-up --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lookup_with_last_four_digits_shows_progress_limits_and_reply_R8_1(client, replied):
    order = replied()
    response = client.post("/public/status/", {"action": "lookup", "number": order.number, "check": "5678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert order.number in body and "已答复" in body and "办结时限" in body
    assert "已联系物业，油烟净化器已清洗" in body  # the published reply
    assert "派单至" in body  # progress
    for private in ("张三", "13812345678"):
        assert private not in body
    assert "13812345678" not in response.request["PATH_INFO"]


@pytest.mark.django_db
def test_wrong_check_shows_nothing_and_does_not_tell_whether_the_number_exists_R8_1(client, replied):
    order = replied()
    wrong = client.post("/public/status/", {"action": "lookup", "number": order.number, "check": "0000"})
    missing = client.post("/public/status/", {"action": "lookup", "number": "261118-99999", "check": "0000"})
    for response in (wrong, missing):
        body = response.content.decode()
        assert response.status_code == 400
        assert "工单编号或校验信息不正确" in body and "当前状态" not in body and "油烟" not in body

    def strip(r):
        return (
            re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())
            .replace(order.number, "N")
            .replace("261118-99999", "N")
        )

    assert strip(wrong) == strip(missing)


THROTTLED = "查询失败次数过多，请一小时后再试，或拨打12345热线查询。"


def _guess(client, number, check, ip):
    return client.post("/public/status/", {"action": "lookup", "number": number, "check": check}, REMOTE_ADDR=ip)


def _page(response, number) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()).replace(number, "N")


@pytest.mark.django_db
def test_the_eleventh_wrong_guess_is_refused_in_chinese_alike_for_real_and_unknown_numbers_R8_1(client, replied):
    """Ten wrong checks an hour per order number; the eleventh try is refused, even with the
    right check, and the refusal reads the same whether the number exists or not."""
    order = replied()
    unknown = "261118-99999"
    pages = {}
    for number, ip in ((order.number, "10.1.0.1"), (unknown, "10.1.0.2")):
        for guess in range(10):
            wrong = _guess(client, number, f"{guess:04d}", ip)
            assert wrong.status_code == 400 and "工单编号或校验信息不正确" in wrong.content.decode()
        refused = _guess(client, number, "5678", ip)
        body = refused.content.decode()
        assert refused.status_code == 429 and THROTTLED in body
        assert "当前状态" not in body and "油烟" not in body
        pages[number] = _page(refused, number)
    assert pages[order.number] == pages[unknown]
    # Per address too: thirty misses over many numbers, then even a right check is refused.
    for i in range(30):
        _guess(client, f"261118-{i:05d}", "0000", "10.1.0.3")
    assert _guess(client, order.number, "5678", "10.1.0.3").status_code == 429
    # An hour on, the number may be looked up again.
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        assert _guess(client, order.number, "5678", "10.1.0.4").status_code == 200


@pytest.mark.django_db
def test_lookup_misses_are_counted_in_the_shared_cache_not_in_a_workers_memory_R8_1(client, replied):
    """Without Redis the shared cache is the database cache: a second worker (a cache object of
    its own, no memory in common) sees the same count, and a worker's own cache knows nothing."""
    from django.core.cache import cache, caches

    from jiesu.public import services

    assert caches["shared"].__class__.__name__ == "DatabaseCache"
    order = replied()
    for guess in range(6):
        _guess(client, order.number, f"{guess:04d}", "10.2.0.1")
    cache.clear()  # what one worker keeps in memory is not what throttles
    other_worker = caches.create_connection("shared")
    key = "public:lookup:n:" + services._hash("number", order.number)
    assert other_worker.get(key) == 6
    for guess in range(6, 10):
        _guess(client, order.number, f"{guess:04d}", "10.2.0.2")
    assert _guess(client, order.number, "5678", "10.2.0.3").status_code == 429


@pytest.mark.django_db
def test_lookup_throttle_uses_redis_when_the_shared_cache_is_redis_R8_1(client, replied, settings):
    import uuid

    from django.core.cache import caches

    from jiesu.public import services
    from tests.live_server import REDIS_URL, redis_or_skip

    redis_or_skip(REDIS_URL)
    prefix = f"jiesu-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    # Django's setting_changed handler builds the cache aliases again from the settings above.
    order = replied()
    for guess in range(10):
        _guess(client, order.number, f"{guess:04d}", "10.3.0.1")
    assert _guess(client, order.number, "5678", "10.3.0.2").status_code == 429
    other_worker = caches.create_connection("shared")
    assert other_worker.__class__.__name__ == "RedisCache"
    key = "public:lookup:n:" + services._hash("number", order.number)
    assert other_worker.get(key) == 10
    # Only this test's keys: clear() would empty the whole Redis database other tests use.
    other_worker.delete_many(
        [
            key,
            "public:lookup:c:" + services.client_key("10.3.0.1"),
            "public:lookup:c:" + services.client_key("10.3.0.2"),
        ]
    )


@pytest.mark.django_db
def test_lookup_by_sms_code_sent_to_the_registered_phone_R8_1(client, replied, outbox):
    order = replied()
    outbox.clear()
    for number in (order.number, "261118-99999"):
        response = client.post("/public/status/", {"action": "send_code", "number": number})
        assert response.status_code == 200 and "如该工单登记了手机号码" in response.content.decode()
    assert len(outbox) == 1  # only the real order's phone got a text
    code = sent_code(outbox, phone="13812345678")
    response = client.post("/public/status/", {"action": "lookup", "number": order.number, "check": code})
    assert response.status_code == 200 and "当前状态" in response.content.decode()
    again = client.post("/public/status/", {"action": "lookup", "number": order.number, "check": code})
    assert again.status_code == 400  # a code opens the page once


@pytest.mark.django_db
def test_status_lookup_is_a_post_with_nothing_personal_in_the_url(client):
    page = client.get("/public/status/").content.decode()
    assert 'method="post"' in page and "进度查询" in page


def _png(name="现场.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_portal_photos_reach_the_order_and_an_svg_is_refused_with_nothing_written_R8_1(client, outbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    send_code(client)
    svg = SimpleUploadedFile(
        "x.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        content_type="image/svg+xml",
    )
    refused = submit(client, code=sent_code(outbox), photos=[_png(), svg])
    assert refused.status_code == 400 and WorkOrder.objects.count() == 0
    assert 'id="error-photos"' in refused.content.decode() or "SVG" in refused.content.decode()

    send_code(client)
    response = submit(client, code=sent_code(outbox), photos=[_png(), _png("二.png")])
    assert response.status_code == 200, response.content.decode()
    order = WorkOrder.objects.get()
    assert order.attachments.count() == 2 and set(order.attachments.values_list("kind", flat=True)) == {"image"}
