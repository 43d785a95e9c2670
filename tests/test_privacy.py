"""Personal data outside the requester fields (issue 12, defects 1, 2, 7 and 9; R8.2, R8.3).

One redactor (jiesu.core.redact) for every projection that leaves the people who need
identities; writers asked at entry to keep identities out of free text; every unmasked read
audited; no phone number in a URL; no bearer link or identity in a stored notification or a log.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.core import roles
from jiesu.orders import services as order_services
from jiesu.orders.models import OrderEvent, PersonalDataAccess

NAME, PHONE, ID_NUMBER = "张三", "13812345678", "110105199003071234"
IDENTITIES = (NAME, PHONE, ID_NUMBER)


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


@pytest.fixture
def contacted(make_order, dispatched_to, wangjing_office, handler):
    """An order of 张三's, dispatched to 望京街道, accepted and contacted the real way."""
    from jiesu.handling import services as handling

    order = dispatched_to(make_order(requester_id_number=ID_NUMBER), wangjing_office)
    handling.accept(order, actor=handler)
    handling.record_contact(order, actor=handler, method="phone", outcome="reached", note="已电话沟通，约定上门时间。")
    order.refresh_from_db()
    return order


@pytest.fixture
def stored_identities(contacted, handler):
    """The order with identities in free text as events held them before this change, and hold
    them for ever (events are append-only): a contact note and a reply naming the caller."""
    order_services.record_event(
        contacted,
        action="contact_recorded",
        actor=handler,
        data={
            "method": "phone",
            "outcome": "reached",
            "note": f"联系{NAME}，电话{PHONE}，身份证{ID_NUMBER}",
            "unit": "望京街道",
        },
    )
    order_services.record_event(
        contacted,
        action="replied",
        actor=handler,
        data={"result": "resolved", "public_text": f"{NAME}您好（{PHONE}，{ID_NUMBER}），油烟问题已处理。"},
    )
    return contacted


# The redactor itself ---------------------------------------------------------------------------


def test_redactor_blanks_requester_and_identity_shapes_R8_3():
    from jiesu.core import redact

    known = redact.known_values(NAME, PHONE, ID_NUMBER)
    text = (
        f"{NAME}反映，{NAME[0]}先生手机138-1234-5678，另一号码+86 13912345678，座机(010)62345678、01062345678，"
        "邻居电话6234 5678，身份证11010519491231002X，旧证110105491231002，邮箱zhang.san@example.com，"
        "全角１３９１２３４５６７８；工单261130-00042，2026-11-30，金额25000000元"
    )
    out = redact.redact(text, known)
    for leaked in (
        NAME,
        "张先生",
        "1234-5678",
        "13912345678",
        "62345678",
        "6234 5678",
        "11010519491231002X",
        "110105491231002",
        "zhang.san@example.com",
        "１３９１２３４５６７８",
    ):
        assert leaked not in out, leaked
    # Order numbers, dates and amounts are not identities.
    assert "261130-00042" in out and "2026-11-30" in out and "25000000元" in out
    assert redact.Redactor(known).data({"note": f"电话{PHONE}", "n": 3, "list": [NAME]}) == {
        "note": "电话***",
        "n": 3,
        "list": ["***"],
    }


def test_precise_detector_for_entry_names_what_it_found_R8_3():
    from jiesu.core import redact

    known = redact.known_values(NAME, PHONE, ID_NUMBER)
    found = redact.find(f"已联系{NAME}，回电13912345678，邮箱a@b.cn", known, precise=True)
    assert redact.describe(found) == "诉求人姓名、手机号码、电子邮箱"
    # A polite form of address, a date, an amount, an ID-shaped number without a birth date: no alarm.
    assert (
        redact.find("已联系张先生，20261130前完成，投入25000000元，编号123456789012345678", known, precise=True) == []
    )
    # Eight digits are a phone where the text says so.
    assert [f.kind for f in redact.find("座机：62345678", (), precise=True)] == [redact.LANDLINE]
    message = redact.entry_message("答复内容", found)
    assert message.startswith("答复内容中含有个人信息（诉求人姓名、手机号码、电子邮箱），请删除后再提交")


# Defect 1: the public rating page ------------------------------------------------------------


@pytest.mark.django_db
def test_rating_page_masks_identities_in_the_reply_R8_2_R8_3(contacted, handler, make_user, client):
    """Issue 12 #1: a reply naming the caller with phone and ID number showed all three to anyone
    holding the link. A reply stored before the entry check still exists: it is masked on output."""
    from jiesu.followup import services as followup
    from jiesu.handling import services as handling
    from jiesu.handling.models import Reply

    record = handling.reply(contacted, actor=handler, result="resolved", public_text="油烟净化器已清洗，夜间停止营业。")
    Reply.objects.filter(pk=record.pk).update(
        public_text=f"{NAME}您好，您反映的油烟问题已处理（联系电话{PHONE}，身份证{ID_NUMBER}）。张先生如有疑问请回电。"
    )
    followup.sweep()
    visit = contacted.return_visits.get()
    page = client.get(f"/followup/rate/{followup.make_token(visit)}/")
    body = page.content.decode()
    assert page.status_code == 200 and "您反映的油烟问题已处理" in body
    for private in (*IDENTITIES, "张先生"):
        assert private not in body, private
    assert page["Referrer-Policy"] == "no-referrer"  # the URL holds the token


# Entry: writers are asked to take identities out ---------------------------------------------


@pytest.mark.django_db
def test_reply_with_identities_is_refused_naming_them_and_writes_nothing_R8_3(contacted, handler, client):
    client.force_login(handler)
    events = OrderEvent.objects.filter(order=contacted).count()
    response = client.post(
        f"/handling/orders/{contacted.number}/reply/",
        {"result": "resolved", "public_text": f"{NAME}您好，已处理完毕，有问题请拨打{PHONE}或13900001111联系我们。"},
    )
    assert response.status_code == 400
    errors = response.context["forms"]["reply"].errors["public_text"]
    assert "诉求人姓名" in errors[0] and "诉求人电话" in errors[0] and "手机号码" in errors[0]
    assert "请删除后再提交" in response.content.decode()
    assert OrderEvent.objects.filter(order=contacted).count() == events and not contacted.replies.exists()

    # The REST API goes through the same rule.
    api = api_for(handler)
    answer = api.post(
        f"/handling/api/orders/{contacted.number}/reply/",
        {
            "result": "resolved",
            "public_text": "油烟净化器已清洗，夜间停止营业。",
            "internal_notes": f"身份证{ID_NUMBER}",
        },
        format="json",
    )
    assert answer.status_code == 400 and "诉求人身份证号" in answer.json()["internal_notes"][0]
    # Without identities the reply goes through; a polite 张先生 is not refused (masked on output).
    done = api.post(
        f"/handling/api/orders/{contacted.number}/reply/",
        {"result": "resolved", "public_text": "张先生您好，油烟净化器已清洗，夜间停止营业。"},
        format="json",
    )
    assert done.status_code == 200, done.content


@pytest.mark.django_db
def test_contact_note_with_a_phone_is_refused_R8_3(contacted, handler):
    from jiesu.handling import services as handling

    with pytest.raises(ValidationError) as exc:
        handling.record_contact(
            contacted,
            actor=handler,
            method="phone",
            outcome="reached",
            note="诉求人留了另一个号码 13900001111，下午再联系",
        )
    assert "沟通情况中含有个人信息（手机号码）" in exc.value.message_dict["note"][0]


@pytest.mark.django_db
def test_intake_content_with_a_phone_is_saved_with_a_warning_R8_3(call_taker, client):
    """The call-taker is not stopped (an identity may be needed to handle the call), but told."""
    client.force_login(call_taker)
    response = client.post(
        "/intake/",
        {
            "requester_phone": PHONE,
            "requester_name": NAME,
            "requester_type": "natural",
            "channel": "phone",
            "source_line": "12345",
            "kind": "complaint",
            "location_text": "朝阳区望京街道花家地北里",
            "content": f"楼下烧烤店油烟很大，{NAME}说可以打邻居王女士电话13900001111了解情况。",
        },
        follow=True,
    )
    assert response.status_code == 200 and "order-number" in response.content.decode()
    text = response.content.decode()
    assert "诉求内容中含有个人信息（诉求人姓名、手机号码）" in text
    live = client.post(
        "/intake/suggestion/",
        {"content": "楼下烧烤店油烟很大，请联系13900001111", "kind": "complaint", "channel": "phone"},
    ).content.decode()
    assert 'id="personal-data-warning"' in live and "手机号码" in live


# Defect 2: event data and free text for roles that see identities masked ---------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.DISPATCHER, roles.ANALYST])
def test_masked_roles_see_no_identity_in_event_data_api_and_console_R8_3(role, stored_identities, make_user, client):
    """Issue 12 #2: dispatcher and analyst saw identities masked in `requester` but in clear in
    events[].data (a reply's public_text, a contact note)."""
    order = stored_identities
    user = make_user(role)
    body = api_for(user).get(f"/api/v1/orders/{order.number}/").json()
    assert body["requester"]["masked"] is True
    text = json.dumps(body, ensure_ascii=False)
    for private in IDENTITIES:
        assert private not in text, private
    notes = [e["data"].get("note") for e in body["events"] if e["action"] == "contact_recorded"]
    assert "联系***，电话***，身份证***" in notes
    client.force_login(user)
    for page in (f"/orders/{order.number}/", f"/handling/orders/{order.number}/"):
        response = client.get(page)
        html = response.content.decode()
        # A refused page would hide nothing: the page must show the order, masked.
        assert response.status_code == 200 and "***" in html, page
        assert not [p for p in IDENTITIES if p in html], page
    assert not PersonalDataAccess.objects.filter(user=user).exists()  # nothing unmasked, nothing to audit


@pytest.mark.django_db
def test_identities_in_free_text_are_audited_for_roles_that_see_them_R8_3(
    make_order, dispatched_to, wangjing_office, handler, make_user, client
):
    """Issue 12 #2: a read of identities was audited only through the requester block. An order
    whose caller left no number but whose text holds one was read unaudited."""
    order = dispatched_to(
        make_order(
            channel="web",
            requester_phone="",
            requester_name="",
            content="小区门口井盖丢失，请联系物业经理13900001111尽快处理。",
        ),
        wangjing_office,
    )
    body = api_for(handler).get(f"/api/v1/orders/{order.number}/").json()
    assert "13900001111" in body["content"]  # the unit needs it to handle the order
    read = PersonalDataAccess.objects.get(order=order, user=handler)
    assert read.purpose == "api_read" and read.fields == ["text.mobile"]
    supervisor = make_user(roles.SUPERVISOR)
    client.force_login(supervisor)
    assert "13900001111" in client.get(f"/handling/orders/{order.number}/").content.decode()
    assert PersonalDataAccess.objects.get(order=order, user=supervisor).purpose == "handling_page"


@pytest.mark.django_db
def test_lists_mask_free_text_for_every_role_R8_3(make_order, call_taker, client):
    order = make_order(content="楼下烧烤店油烟很大，请联系邻居13900001111了解情况。")
    client.force_login(call_taker)
    listing = client.get("/orders/").content.decode()
    assert order.number in listing and "13900001111" not in listing
    assert not PersonalDataAccess.objects.filter(user=call_taker).exists()


# Defect 7: no phone number in a URL ----------------------------------------------------------


@pytest.mark.django_db
def test_caller_history_is_a_post_R10_1(make_order, call_taker, client):
    """Issue 12 #7: the intake screen asked for the caller's history with the number in the URL."""
    earlier = make_order(requester_phone="13755556666")
    client.force_login(call_taker)
    html = client.post("/intake/history/", {"requester_phone": "137-5555-6666"}).content.decode()
    assert earlier.number in html
    assert client.get("/intake/history/", {"requester_phone": "13755556666"}).status_code == 405
    page = client.get("/intake/").content.decode()
    assert 'hx-post="/intake/history/"' in page and 'hx-get="/intake/history/"' not in page


@pytest.mark.django_db
def test_phone_search_posts_and_the_url_carries_a_sealed_token_R8_3(make_order, make_user, client):
    """Issue 12 #7: the order list's phone search was a GET with the number in the query string."""
    mine = make_order(requester_phone="13755556666")
    make_order(requester_phone="13755556667")
    client.force_login(make_user(roles.SUPERVISOR))
    response = client.post("/orders/", {"q": "137-5555-6666", "status": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert "13755556666" not in location and "5555" not in location and "caller=" in location
    page = client.get(location)
    html = page.content.decode()
    assert mine.number in html and "共 1 条" in html
    # A phone typed into the URL is not searched (it is already in the logs; answering would
    # keep such URLs in use), and the user is told how to search.
    refused = client.get("/orders/", {"q": "13755556666"}).content.decode()
    assert mine.number not in refused and "请在搜索框中输入来电号码查询" in refused
    # Words and order numbers still travel as they are.
    by_number = client.post("/orders/", {"q": mine.number[:8]})
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(by_number["Location"]).query)["q"] == [mine.number[:8]]
    assert mine.number in client.get(by_number["Location"]).content.decode()
    forged = client.get("/orders/", {"caller": "not-a-token"}).content.decode()
    assert "来电号码查询已过期或无效" in forged and mine.number not in forged


# Defect 9: notifications and logs ------------------------------------------------------------


@pytest.mark.django_db
def test_notification_bodies_are_stored_redacted_R8_3(contacted, wangjing_office):
    """Issue 12 #9: SMS texts with personal data were kept in notification bodies."""
    from jiesu.notifications import services as notify

    n = notify.notify_requester(
        contacted,
        kind="replied",
        title=f"{NAME}您好",
        body=f"答复：已联系{NAME}（{PHONE}），身份证{ID_NUMBER}；https://x.example/followup/rate/1.1:abc:sig/",
    )
    u = notify.notify_unit(
        wangjing_office, kind="assist_added", order=contacted, title="协办", body=f"请联系{NAME[0]}先生 13900001111"
    )
    n.refresh_from_db()
    u.refresh_from_db()
    kept = " ".join([n.title, n.body, u.title, u.body])
    for private in (*IDENTITIES, "张先生", "13900001111", "1.1:abc:sig"):
        assert private not in kept, private


def test_access_log_lines_keep_no_rating_token_or_phone_R8_3():
    """Issue 12 #9: the request line and the Referer of a rating page carry the bearer token."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from jiesu.core.logs import GunicornLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornLogger(cfg)
    token = "12.1:1xYWKi:LoLTHBtB0o6FiS9cA8wErXZo"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/followup/rate/{token}/?x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/followup/rate/{token}/",
        "QUERY_STRING": "q=13812345678",
        "HTTP_REFERER": f"https://h.example/followup/rate/{token}/",
        "REMOTE_ADDR": "127.0.0.1",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(
        resp, SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])]), environ, timedelta(milliseconds=5)
    )
    line = cfg.access_log_format % atoms
    assert token not in line and "13812345678" not in line and "/followup/rate/***/" in line


@pytest.mark.django_db
def test_django_warnings_for_rating_links_keep_no_token_R8_3(client, caplog):
    token = "12.1:1xYWKi:forgedforgedforged"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/followup/rate/{token}/").status_code == 404
    assert "Not Found" in caplog.text and token not in caplog.text


@pytest.mark.django_db
def test_open311_and_linkage_use_the_same_redactor_R21_1_R8_3(make_order):
    from jiesu.core import redact
    from jiesu.linkage import services as linkage
    from jiesu.open311 import public

    order = make_order(
        content=f"我是{NAME}，手机１３８１２３４５６７８，旧身份证110105900307123，天津武清的路灯坏了",
        location_text="天津市武清区",
    )
    masked = redact.redact(order.content, public.identities(order))
    assert "天津武清的路灯坏了" in masked and not re.search(r"张三|１３８|110105900307123", masked)
    form = linkage.outgoing_form(order, service_code="x", reason="转办", consent=False, attributes={})
    assert not re.search(r"张三|１３８|110105900307123", form["description"])


@pytest.mark.django_db
def test_confidential_requester_stays_hidden_from_units_in_free_text_too_R8_3(
    make_order, dispatched_to, wangjing_office, handler, client
):
    """R8.3: a unit sees no identity of a confidential requester, in the requester block or in the text."""
    order = dispatched_to(
        make_order(requester_confidential=True, content=f"我是{NAME}，油烟很大，回电{PHONE}。"), wangjing_office
    )
    client.force_login(handler)
    for page in (f"/orders/{order.number}/", f"/handling/orders/{order.number}/"):
        html = client.get(page).content.decode()
        assert "油烟很大" in html and NAME not in html and PHONE not in html, page
    assert NAME not in json.dumps(api_for(handler).get(f"/api/v1/orders/{order.number}/").json(), ensure_ascii=False)
    assert not PersonalDataAccess.objects.filter(user=handler).exists()


@pytest.mark.django_db
def test_consultation_text_is_masked_for_an_invited_unit_of_a_confidential_requester_R8_3(
    make_order, dispatcher, wangjing_office, handler, client
):
    """Text written at the centre (a 会商 question, the units' comments, the outcome) is free text
    of the order like any other: a unit does not read a confidential requester's identity in it."""
    from jiesu.dispatch import services as dispatch_services
    from jiesu.orders import choices

    order = make_order(requester_confidential=True)
    from django.test import RequestFactory

    from jiesu.core import validation

    order_services.change_status(order, choices.PENDING_REVIEW, actor=None, action="queued_for_review")
    # The dispatcher was warned of the identities and confirmed them (validation.check_entry).
    with validation.entry_request(RequestFactory().post("/", {validation.CONFIRM_FIELD: "yes"})):
        consultation = dispatch_services.open_consultation(
            order, actor=dispatcher, units=[wangjing_office], question=f"{NAME}（{PHONE}）反映的油烟归谁管？"
        )
    dispatch_services.comment_on_consultation(consultation, actor=handler, text="建议派属地街道。")
    client.force_login(handler)
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "反映的油烟归谁管" in html and NAME not in html and PHONE not in html


def test_tracebacks_in_logs_keep_no_phone_R8_3():
    from jiesu.core.logs import RedactFilter

    stream = __import__("io").StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    logger = logging.getLogger("jiesu.test.traceback")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"no such caller {PHONE}")
        except ValueError:
            logger.exception("decision engine failed on order %s", "261202-00001")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "ValueError" in written and "261202-00001" in written and PHONE not in written
