"""Disclosure: published cases and monthly reports (R30.1, R32.1, R31.1), and one redactor for
every public projection of a reply (R8.2, R8.3)."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from django.utils import timezone

from jiesu.core import roles
from jiesu.orders.models import OrderEvent
from jiesu.public import selectors
from jiesu.public.models import PublishedCase

NAME, PHONE, ID_NUMBER = "张三", "13812345678", "110105199003071234"


def publish(client, order, action="publish"):
    return client.post(f"/public/cases/manage/{order.number}/{action}/")


@pytest.mark.django_db
def test_supervisor_publishes_a_closed_case_recorded_as_an_event_R30_1(closed, supervisor, client):
    order = closed()
    client.force_login(supervisor)
    listing = client.get("/public/cases/manage/", {"state": "unpublished"})
    assert listing.status_code == 200 and order.number in listing.content.decode()
    assert publish(client, order).status_code == 302
    event = OrderEvent.objects.get(order=order, action="case_published")
    assert event.actor == supervisor
    client.logout()
    page = client.get("/public/cases/").content.decode()
    assert "共 1 个案例" in page and "餐馆油烟太大" in page
    case = PublishedCase.objects.get(order=order)
    detail = client.get(f"/public/cases/{case.pk}/").content.decode()
    assert "已联系物业，油烟净化器已清洗" in detail and "望京街道" in detail
    # Withdrawn: gone from the public pages, and the withdrawal is an event too.
    client.force_login(supervisor)
    assert publish(client, order, "withdraw").status_code == 302
    assert OrderEvent.objects.filter(order=order, action="case_withdrawn").count() == 1
    client.logout()
    assert client.get(f"/public/cases/{case.pk}/").status_code == 404
    assert "共 0 个案例" in client.get("/public/cases/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, message",
    [
        ({"requester_confidential": True}, "要求保密"),
        ({"kind": "report"}, "举报"),
    ],
)
def test_confidential_requests_and_reports_are_never_published_R30_1(fields, message, closed, supervisor, client):
    order = closed(**fields)
    client.force_login(supervisor)
    response = client.post(f"/public/cases/manage/{order.number}/publish/", follow=True)
    assert message in response.content.decode()
    assert not PublishedCase.objects.exists()
    assert not OrderEvent.objects.filter(order=order, action="case_published").exists()
    assert order.number not in client.get("/public/cases/manage/").content.decode()


@pytest.mark.django_db
def test_unclosed_orders_cannot_be_published(replied, supervisor):
    from django.core.exceptions import ValidationError

    from jiesu.public import services

    with pytest.raises(ValidationError, match="已办结"):
        services.publish_case(replied(), actor=supervisor)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.CALL_TAKER, roles.DISPATCHER, roles.ANALYST, roles.UNIT_HANDLER])
def test_only_supervisors_and_the_bureau_choose_cases_R5_1(role, closed, make_user, wangjing_office, client):
    order = closed()
    client.force_login(make_user(role, wangjing_office if role == roles.UNIT_HANDLER else "centre"))
    assert client.get("/public/cases/manage/").status_code == 403
    assert publish(client, order).status_code == 403
    assert not PublishedCase.objects.exists()


@pytest.mark.django_db
def test_case_list_counts_pages_and_searches(closed, supervisor, client):
    from jiesu.public import services

    for i in range(22):
        services.publish_case(closed(content=f"第{i}号楼下餐馆油烟太大，晚上十点以后还很吵。"), actor=supervisor)
    services.publish_case(closed(content="小区供暖温度不达标，室内只有十五度，孩子老人受不了。"), actor=supervisor)
    page = client.get("/public/cases/").content.decode()
    assert "共 23 个案例" in page and "第 1 / 2 页" in page
    assert "共 1 个案例" in client.get("/public/cases/", {"q": "供暖"}).content.decode()
    assert "第 2 / 2 页" in client.get("/public/cases/", {"page": 2}).content.decode()


# Monthly report -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_answer_anonymous_get_in_chinese(client):
    last = selectors.last_month()
    for url in ("/public/", "/public/status/", "/public/cases/", f"/public/reports/{last:%Y-%m}/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        body = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in body and "12345" in body, url
        assert "/public/knowledge/" in body  # the knowledge base is one tap away
    assert client.get("/public/reports/").status_code == 302
    assert client.get("/public/reports/2999-01/").status_code == 404
    assert client.get("/public/reports/13-2026/").status_code == 404


@pytest.mark.django_db
def test_report_page_and_pdf_show_volumes_and_the_three_rates_R32_1_R31_1(closed, replied, supervisor, client):
    from jiesu.assessment import services as assessment

    closed()
    closed(channel="web", kind="help", requester_phone="13900001111", requester_name="李四")
    replied()
    month = timezone.localdate().replace(day=1)
    assessment.run_assessment(month, actor=supervisor)
    report = selectors.monthly_report(month)
    assert report["total"] == 3 and report["townships"]
    rates = report["townships"][0]
    assert rates["unit"] == "望京街道办事处" or "望京" in rates["unit"]

    page = client.get(f"/public/reports/{month:%Y-%m}/")
    body = page.content.decode()
    assert page.status_code == 200
    for words in ("响应率", "解决率", "满意率", "电话", "网站", "投诉", "求助", rates["unit"]):
        assert words in body, words
    assert f"{rates['satisfaction']}%" in body
    chart = json.loads(body.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert {row["label"]: row["n"] for row in chart["channels"]} == {"电话": 2, "网站": 1}
    assert "js/echarts.min.js" in body and "cdn" not in body.lower()

    pdf = client.get(f"/public/reports/{month:%Y-%m}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    for words in ("响应率", "解决率", "满意率", "本月受理诉求 3 件", rates["unit"], f"{rates['satisfaction']:.1f}%"):
        assert words in text, words


# One redactor for every public projection of a reply (done-when of issue 14) ---------------------


@pytest.mark.django_db
def test_a_reply_naming_the_requester_shows_no_identity_on_any_public_page_R8_2_R8_3(
    make_order, dispatched_to, wangjing_office, handler, supervisor, client
):
    """The entry check keeps phones and ID numbers out of new replies; 张先生 passes it, and
    replies stored before the check still exist. Both leave only through the redactor: on the
    status page, the case pages, Open311 (requests and updates) and the rating page."""
    from jiesu.followup import services as followup
    from jiesu.handling import services as handling
    from jiesu.handling.models import Reply
    from jiesu.open311 import services as open311
    from jiesu.open311.models import ApiClient
    from jiesu.orders import services as order_services
    from jiesu.public import services

    order = dispatched_to(make_order(requester_id_number=ID_NUMBER), wangjing_office)
    handling.accept(order, actor=handler)
    handling.record_contact(order, actor=handler, method="phone", outcome="reached")
    record = handling.reply(
        order, actor=handler, result="resolved", public_text="张先生您好，油烟净化器已清洗，夜间停止营业。"
    )
    stored = f"{NAME}您好，您反映的油烟问题已处理（联系电话{PHONE}，身份证{ID_NUMBER}）。张先生如有疑问请回电。"
    Reply.objects.filter(pk=record.pk).update(public_text=stored)
    order_services.record_event(
        order,
        action="replied",
        actor=handler,
        from_status="replied",
        to_status="replied",
        data={"result": "resolved", "public_text": stored},
    )
    followup.sweep()
    visit = order.return_visits.get()
    rating = client.get(f"/followup/rate/{followup.make_token(visit)}/").content.decode()
    status = client.post("/public/status/", {"action": "lookup", "number": order.number, "check": "5678"})
    followup.record_visit(visit, actor=supervisor, contacted=True, resolution="resolved", satisfaction="satisfied")
    case = services.publish_case(order, actor=supervisor)
    pages = {
        "rating": rating,
        "status": status.content.decode(),
        "case": client.get(f"/public/cases/{case.pk}/").content.decode(),
        "cases": client.get("/public/cases/").content.decode(),
        "open311": client.get(f"/open311/v2/requests/{order.number}.json", {"extensions": "true"}).content.decode(),
    }
    key = open311.create_client(ApiClient(name="北京通App", rate_limit_per_minute=100))
    start = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    updates = client.get("/open311/v2/servicerequestupdates.json", {"api_key": key, "start_date": start})
    assert updates.status_code == 200, updates.content
    pages["open311-updates"] = updates.content.decode()
    for name, body in pages.items():
        assert "油烟" in body, name  # the page does show the order
        for private in (NAME, PHONE, ID_NUMBER, "张先生", "1381234", "5678"):
            assert private not in body, (name, private)
    # Open311 carries the published reply, redacted (JSON escapes nothing here: ensure_ascii off).
    notes = json.loads(pages["open311"])[0]["notes"]
    assert any("承办单位已答复" in n["description"] and "***" in n["description"] for n in notes), notes
    assert any("承办单位已答复" in u["description"] for u in json.loads(pages["open311-updates"]))


@pytest.mark.django_db
def test_privacy_cases_are_never_published_and_vanish_if_found_later_R30_1(closed, supervisor, client):
    from django.core.exceptions import ValidationError

    from jiesu.orders import services as order_services
    from jiesu.public import services

    shown, private = closed(), closed()
    case = services.publish_case(shown, actor=supervisor)
    order_services.record_event(private, action="decided", data={"disposition": "secret_privacy"})
    with pytest.raises(ValidationError, match="隐私"):
        services.publish_case(private, actor=supervisor)
    # A case published before the engine (or a dispatcher) found privacy in it stops showing.
    assert client.get(f"/public/cases/{case.pk}/").status_code == 200
    order_services.record_event(shown, action="decided", data={"disposition": "secret_privacy"})
    assert client.get(f"/public/cases/{case.pk}/").status_code == 404
    assert "共 0 个案例" in client.get("/public/cases/").content.decode()


@pytest.mark.django_db
def test_the_demo_centre_publishes_cases_so_the_public_page_is_not_empty(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from django.core.management import call_command

    with time_machine.travel(datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        call_command("demo", orders=200, seed=3, stdout=io.StringIO())
    assert PublishedCase.objects.count() > 0
    page = client.get("/public/cases/").content.decode()
    case = PublishedCase.objects.first()
    assert f"/public/cases/{case.pk}/" in page and client.get(f"/public/cases/{case.pk}/").status_code == 200


# The month's topics (R24.1, R32.1) ----------------------------------------------------------------

NOISE_TEXTS = [
    "小区门口路灯坏了一个多星期，晚上很黑。",
    "公交车司机态度恶劣，不等乘客坐稳就开车。",
    "孩子入学需要哪些材料，去哪里办理？",
    "医院挂号太难，早上六点排队也挂不上。",
]


def _topic_orders(make_order, *, content, n, community=None, **fields):
    from jiesu.directory.models import Place
    from jiesu.orders.models import WorkOrder

    township = Place.objects.get(name="望京街道", district__name="朝阳区")
    community = community or township.children.order_by("code").first()
    made = []
    for i in range(n):
        order = make_order(content=content.format(i=i), **fields)
        WorkOrder.objects.filter(pk=order.pk).update(
            district=township.district, subdistrict=township, community=community, matter_code="env.air.cooking_fume"
        )
        made.append(order)
    return made, community


@pytest.mark.django_db
def test_report_shows_the_months_topics_anonymised_on_the_page_and_in_the_pdf_R24_1_R32_1(make_order, client):
    """The month's topics come from the insight stage's grouping, not from a matter count: a
    label, a size and places down to the community; no requester, other person or home."""
    from jiesu.public.models import MonthTopics

    # Twelve neighbours about one restaurant, one naming the manager and her own flat and phone.
    _topic_orders(
        make_order, n=11, content="望京西园三区楼下烧烤店油烟太大，油烟直冲窗户，晚上十点以后还很吵，第{i}次反映。"
    )
    _, community = _topic_orders(
        make_order,
        n=1,
        requester_name="李四",
        requester_phone="13900001111",
        content="李四反映望京西园三区3号楼2单元501楼下烧烤店油烟太大，老板王建国不管，电话13900001111。",
    )
    confidential, _ = _topic_orders(
        make_order, n=3, requester_confidential=True, content="花家地北里地下室群租，住了几十个人，消防隐患很大。"
    )
    for text in NOISE_TEXTS:
        make_order(content=text)
    month = timezone.localdate().replace(day=1)

    report = selectors.monthly_report(month)
    [topic] = report["topics"]
    assert topic["size"] == 12 and "油烟" in topic["label"] and topic["matter"]
    assert topic["places"] == [f"朝阳区望京街道{community.name}"]
    assert report["topics_analysed"] == 12 + len(NOISE_TEXTS)  # confidential requests never feed a public report
    page = client.get(f"/public/reports/{month:%Y-%m}/").content.decode()
    section = page.split('id="month-topics"')[1].split("</table>")[0]
    assert topic["label"] in section and ">12<" in section and community.name in section
    pdf = client.get(f"/public/reports/{month:%Y-%m}/report.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "本月热点" in text and community.name in text
    for body in (page, text, json.dumps(MonthTopics.objects.get().topics, ensure_ascii=False)):
        for private in ("李四", "王建国", "13900001111", "501", "张三", "13812345678", "群租"):
            assert private not in body, private
    assert MonthTopics.objects.count() == 1


@pytest.mark.django_db
def test_month_topics_are_kept_for_readers_and_refreshed_by_the_hourly_job(make_order, settings):
    """A reader never waits for the grouping once a month has topics: the hourly job brings the
    running month up to date, and last month's once more after its end; then they are final."""
    import time_machine

    from jiesu.celery import app as celery_app
    from jiesu.public import services, tasks
    from jiesu.public.models import MonthTopics

    text = "望京西园三区楼下烧烤店油烟太大，晚上十点以后还很吵，第{i}次反映。"
    _topic_orders(make_order, n=3, content=text)
    month = timezone.localdate().replace(day=1)
    assert selectors.monthly_report(month)["topics"][0]["size"] == 3  # the first reader groups
    _topic_orders(make_order, n=2, content=text)
    assert selectors.monthly_report(month)["topics"][0]["size"] == 3  # later readers read what is kept
    last = selectors.last_month()
    assert tasks.refresh_month_topics() == f"{last:%Y-%m}, {month:%Y-%m}"  # last month had none yet
    assert tasks.refresh_month_topics() == f"{month:%Y-%m}"  # now final: only the running month
    assert selectors.monthly_report(month)["topics"][0]["size"] == 5
    assert celery_app.conf.beat_schedule["month-topics"]["task"] == "jiesu.public.refresh_month_topics"
    # After the month's end the job groups it once more; after that it is final.
    with time_machine.travel(timezone.timedelta(days=40)):
        done = services.refresh_month_topics()
        assert month in done
        stamp = MonthTopics.objects.get(month=month).computed_at
        assert month not in services.refresh_month_topics()
        selectors.monthly_report(month)
        assert MonthTopics.objects.get(month=month).computed_at == stamp


@pytest.mark.django_db
def test_grouping_the_biggest_blocks_first_finds_what_grouping_everything_finds(make_order, monkeypatch):
    """compute_month_topics skips blocks too small to beat the tenth topic: with one block a pass
    or all blocks in one pass, the kept topics are the same."""
    from jiesu.directory.models import Place
    from jiesu.public import services

    _topic_orders(make_order, n=4, content="望京西园三区楼下烧烤店油烟太大，晚上十点以后还很吵，第{i}次反映。")
    other = Place.objects.get(name="望京街道", district__name="朝阳区").children.order_by("-code").first()
    _topic_orders(
        make_order, n=3, community=other, content="花家地西里小区门口占道经营，早市摊位堵住消防通道，第{i}次。"
    )
    for text in NOISE_TEXTS:
        make_order(content=text)
    month = timezone.localdate().replace(day=1)
    bounds = selectors.month_bounds(month)
    whole = services.compute_month_topics(month, *bounds).topics
    monkeypatch.setattr(services, "TOPIC_BATCH", 1)
    monkeypatch.setattr(services, "TOPICS_SHOWN", 1)
    assert services.compute_month_topics(month, *bounds).topics == whole[:1]
    assert [t["size"] for t in whole] == [4, 3]


# Photos of published cases: the public case page and Open311's media_url (R8.1, R32.1) ------------


def _photo_with_exif(name="现场.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "zhangsan-phone"  # Software
    buf = io.BytesIO()
    Image.new("RGB", (2400, 1200), (30, 120, 200)).save(buf, format="JPEG", exif=exif.tobytes())
    assert b"zhangsan-phone" in buf.getvalue()
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _open311(client, number):
    response = client.get(f"/open311/v2/requests/{number}.json")
    assert response.status_code == 200, response.content
    return json.loads(response.content)[0]


@pytest.mark.django_db
def test_open311_media_url_only_for_published_cases_served_re_encoded_without_exif_R8_1_R32_1(
    closed, supervisor, client
):
    from PIL import Image

    from jiesu.public import services

    shown = closed(attachments=[_photo_with_exif()])
    kept = closed(attachments=[_photo_with_exif()])
    confidential = closed(attachments=[_photo_with_exif()], requester_confidential=True)
    client.force_login(supervisor)
    manage = client.get("/public/cases/manage/").content.decode()
    assert "图片随案例一并公开" in manage and manage.count(">1 张<") == 2  # the publisher sees photos go too
    client.logout()
    case = services.publish_case(shown, actor=supervisor)
    photo = shown.attachments.get()

    document = _open311(client, shown.number)
    assert document["media_url"] == f"http://testserver/public/cases/{case.pk}/photos/{photo.pk}.jpg"
    for order in (kept, confidential):  # not chosen, or never publishable: no link at all
        assert _open311(client, order.number)["media_url"] is None
    listing = {
        r["service_request_id"]: r["media_url"] for r in json.loads(client.get("/open311/v2/requests.json").content)
    }
    assert listing[shown.number] == document["media_url"] and listing[kept.number] is None

    response = client.get(document["media_url"].removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG" and max(image.size) <= 1600
    assert not image.getexif() and b"zhangsan-phone" not in response.content and b"SecretCam" not in response.content
    # The case page shows it too.
    assert (
        document["media_url"].removeprefix("http://testserver")
        in client.get(f"/public/cases/{case.pk}/").content.decode()
    )

    # Nothing else through that door: another order's photo under this case, an unknown case.
    for other in (kept.attachments.get(), confidential.attachments.get()):
        assert client.get(f"/public/cases/{case.pk}/photos/{other.pk}.jpg").status_code == 404
    assert client.get(f"/public/cases/{case.pk + 99}/photos/{photo.pk}.jpg").status_code == 404
    # Withdrawn: the link goes from Open311 and the photo from the public.
    services.withdraw_case(case, actor=supervisor)
    assert _open311(client, shown.number)["media_url"] is None
    assert client.get(f"/public/cases/{case.pk}/photos/{photo.pk}.jpg").status_code == 404


@pytest.mark.django_db
def test_only_images_of_a_published_case_are_public_R8_1(closed, supervisor, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiesu.public import services

    note = SimpleUploadedFile("说明.txt", "楼下餐馆油烟的照片稍后补充。".encode(), content_type="text/plain")
    order = closed(attachments=[note])
    case = services.publish_case(order, actor=supervisor)
    assert _open311(client, order.number)["media_url"] is None
    assert client.get(f"/public/cases/{case.pk}/photos/{order.attachments.get().pk}.jpg").status_code == 404


@pytest.mark.django_db
def test_an_erased_orders_photos_leave_its_public_case_R30_1_R8_3(
    closed, supervisor, client, django_capture_on_commit_callbacks
):
    """Issue 12: the public photo is drawn from the stored file on each read; once the order's
    personal data is erased the file is gone and the photo answers 404 (a Chinese page)."""
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from jiesu.orders import erasure
    from jiesu.orders import services as order_services
    from jiesu.public import services

    order = closed()
    data = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(data, format="PNG")
    photo = order_services.add_attachment(
        order, SimpleUploadedFile("现场.png", data.getvalue(), content_type="image/png"), actor=supervisor
    )
    case = services.publish_case(order, actor=supervisor)
    url = f"/public/cases/{case.pk}/photos/{photo.pk}.jpg"
    assert client.get(url).status_code == 200 and url in client.get(f"/public/cases/{case.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_personal_data(order, actor=supervisor, reason="诉求人依法请求删除个人信息")
    assert not os.path.exists(photo.file.path)
    gone = client.get(url)
    assert gone.status_code == 404 and "页面不存在" in gone.content.decode()
    assert url not in client.get(f"/public/cases/{case.pk}/").content.decode()
    assert url not in client.get(f"/open311/v2/requests/{order.number}.json").content.decode()
