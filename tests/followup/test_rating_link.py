"""The requester's rating link (R8.2): signed, expiring, tamper-proof, and no personal data shown."""

from __future__ import annotations

import logging
import re

import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from jiesu.followup import models as m
from jiesu.followup import services
from jiesu.orders import choices

pytestmark = pytest.mark.django_db

ANSWERS = {"contacted": "yes", "resolution": "resolved", "satisfaction": "satisfied", "comments": "谢谢"}


@pytest.fixture
def link(replied_order, supervisor, _sms_outbox, django_capture_on_commit_callbacks):
    """The link as the requester receives it: from the SMS the gateway was given."""
    from jiesu.notifications.sms import MemorySmsBackend

    order = replied_order()
    services.sweep()
    visit = order.return_visits.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_rating_link(visit, actor=supervisor, base_url="https://12345.example.gov.cn/")
    [(_, text)] = MemorySmsBackend.outbox
    url = re.search(r"https://12345\.example\.gov\.cn/followup/rate/[^/\s]+/", text).group(0)
    return order, visit, url


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def test_valid_link_rates_without_login_and_shows_no_personal_data_R8_2(
    client, link, _sms_outbox, django_capture_on_commit_callbacks
):
    order, visit, url = link
    assert url.startswith("https://12345.example.gov.cn/followup/rate/")
    assert order.events.filter(action="rating_link_sent").exists()
    assert _token(url) not in str(order.events.get(action="rating_link_sent").data)  # the link is a credential
    path = url.split("example.gov.cn", 1)[1]
    page = client.get(path)
    body = page.content.decode()
    assert page.status_code == 200 and order.number in body
    for private in ("张三", "13812345678", "油烟太大", "花家地"):  # name, phone, the request's own words
        assert private not in body
    assert client.post(path, ANSWERS).status_code == 200
    visit.refresh_from_db()
    order.refresh_from_db()
    assert visit.state == m.DONE and visit.method == m.WEB and visit.visitor is None
    assert order.status == choices.CLOSED
    assert order.events.filter(action="rated_online").exists()
    # Used once: the same link only thanks the requester again.
    again = client.post(path, {**ANSWERS, "satisfaction": "unsatisfied"})
    assert "已评价" in again.content.decode()
    visit.refresh_from_db()
    assert visit.satisfaction == m.SATISFIED


def test_sms_carries_the_link_but_no_row_or_log_keeps_it_R8_2_R8_3(
    replied_order, supervisor, _sms_outbox, client, caplog, settings, django_capture_on_commit_callbacks
):
    """Issue 12 #9: the link is a bearer credential. It is made when the SMS is sent and goes
    only to the gateway: the notification keeps a reference, the logging gateway logs no token."""
    from jiesu.notifications.models import Delivery, Notification
    from jiesu.notifications.sms import LoggingSmsBackend, MemorySmsBackend

    order = replied_order()
    services.sweep()
    visit = order.return_visits.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_rating_link(visit, actor=supervisor, base_url="https://12345.example.gov.cn/")
    [(phone, text)] = MemorySmsBackend.outbox
    assert phone == "13812345678"
    path = re.search(r"https://12345\.example\.gov\.cn(/followup/rate/[^/\s]+/)", text).group(1)
    token = _token(path)
    assert client.get(path).status_code == 200  # the link made at sending works
    n = Notification.objects.get(order=order, kind="rating_link")
    assert n.audience == Notification.REQUESTER
    stored = " ".join(
        [n.title, n.body, str(n.params)]
        + [f"{d.gateway_id} {d.error}" for d in Delivery.objects.filter(notification=n)]
    )
    assert "/followup/rate/" not in stored and token not in stored

    # The default (logging) gateway: the line has the masked number and no token.
    settings.JIESU_SMS_BACKEND = "jiesu.notifications.sms.LoggingSmsBackend"
    with caplog.at_level(logging.INFO, logger="jiesu.sms"):
        LoggingSmsBackend().send(phone, text)
    assert caplog.records and token not in caplog.text and "13812345678" not in caplog.text
    assert "138****5678" in caplog.text


def test_expired_link_is_refused_R8_2(client, link, settings):
    order, visit, url = link
    settings.JIESU_RATING_LINK_HOURS = 0  # every link is already too old
    page = client.get(url.split("example.gov.cn", 1)[1])
    assert page.status_code == 410 and "已过期" in page.content.decode()
    with pytest.raises(services.LinkExpired):
        services.rate_online(_token(url), contacted=True, resolution="resolved", satisfaction="satisfied")
    visit.refresh_from_db()
    assert visit.state == m.PENDING


def test_tampered_link_is_refused_R8_2(client, link):
    order, visit, url = link
    token = _token(url)
    value, sig = token.rsplit(":", 1)
    forged_other_visit = f"{visit.pk + 1}.1:" + value.split(":", 1)[1] + ":" + sig
    for bad in (token[:-2] + ("aa" if not token.endswith("aa") else "bb"), forged_other_visit, "nonsense"):
        assert client.get(f"/followup/rate/{bad}/").status_code == 404
        with pytest.raises(services.LinkInvalid):
            services.visit_for_token(bad)
    # A token signed with another salt (another feature's signature) does not open a visit either.
    other = signing.TimestampSigner(salt="something.else").sign(f"{visit.pk}.1")
    with pytest.raises(services.LinkInvalid):
        services.visit_for_token(other)


def test_link_of_an_earlier_round_cannot_rate_the_next_R8_2(link, supervisor, handler):
    from jiesu.handling import services as handling

    order, visit, url = link
    services.record_visit(visit, actor=supervisor, contacted=True, resolution=m.UNRESOLVED, satisfaction=m.UNSATISFIED)
    services.decide_after_visit(visit, actor=supervisor, reopen=True, note="未解决，请重新办理。", days=3)
    order.refresh_from_db()
    handling.reply(order, actor=handler, result="resolved", public_text="已再次处理并复查，问题已经解决。")
    services.sweep()
    assert order.return_visits.count() == 2
    with pytest.raises(ValidationError):  # round 1 is done; its link cannot touch round 2
        services.rate_online(_token(url), contacted=True, resolution="resolved", satisfaction="satisfied")
    assert order.return_visits.get(round=2).state == m.PENDING
