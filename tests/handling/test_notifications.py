"""Notifications: in-app inbox, e-mail through Django's mail backends, SMS interface, Celery delivery (R15.1)."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse

from jiesu.notifications import services
from jiesu.notifications.models import Delivery, Notification
from tests.live_server import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.django_db


def test_unit_inbox_email_and_read_R15_1(
    wangjing_office, handler, make_user, client, django_capture_on_commit_callbacks
):
    wangjing_office.contact_email = "wangjing@example.gov.cn"
    wangjing_office.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify_unit(wangjing_office, kind="supervised", title="督办：测试工单", body="请尽快答复")
    assert [m.to for m in mail.outbox] == [["wangjing@example.gov.cn"]] and mail.outbox[0].subject == "督办：测试工单"
    assert n.deliveries.get().status == Delivery.SENT

    colleague = make_user("unit_handler", wangjing_office)  # the unit's inbox is shared by its members
    client.force_login(colleague)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "督办：测试工单" in page and "1 条未读" in page
    client.post(reverse("notifications:read", args=[n.pk]))
    n.refresh_from_db()
    assert n.read_at and n.read_by == colleague
    assert services.unread_count(handler) == 0


def test_sms_to_requester_without_storing_the_number_R8_3_R15_1(
    wangjing_order, django_capture_on_commit_callbacks, _sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify_requester(wangjing_order, kind="replied", title="您的诉求已有答复", body="电梯已修复。")
    assert _sms_outbox == [("13800138000", "【12345】您的诉求已有答复。电梯已修复。")]
    assert "13800138000" not in str(Notification.objects.filter(pk=n.pk).values().get())


def test_sending_reads_its_message_in_one_statement(wangjing_order, _sms_outbox):
    # The delivery reads only what sending needs (tasks._SENDING_FIELDS); a field left out of
    # it would cost a query of its own per message, which this counts.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiesu.notifications.tasks import deliver

    n = services.notify_requester(wangjing_order, kind="replied", title="您的诉求已有答复", body="电梯已修复。")
    delivery = n.deliveries.get()
    with CaptureQueriesContext(connection) as queries:
        assert deliver.apply(args=[delivery.pk]).get() == Delivery.SENT
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1, reads
    assert "requester_name_enc" not in reads[0] and "content_sealed" not in reads[0]  # not the whole order
    assert _sms_outbox == [("13800138000", "【12345】您的诉求已有答复。电梯已修复。")]


def test_logging_sms_backend_masks_the_number(caplog):
    from jiesu.notifications.sms import LoggingSmsBackend

    with caplog.at_level("INFO", logger="jiesu.sms"):
        LoggingSmsBackend().send("13800138000", "测试短信")
    assert "测试短信" in caplog.text and "13800138000" not in caplog.text


def test_delivery_without_an_address_fails_clearly(wangjing_office, django_capture_on_commit_callbacks):
    n = services.notify_unit(wangjing_office, kind="x", title="无地址")
    assert not n.deliveries.exists()  # no e-mail or phone in the directory: inbox only
    d = Delivery.objects.create(notification=n, channel=Delivery.EMAIL)
    from jiesu.notifications.tasks import deliver

    deliver.apply(args=[d.pk])
    d.refresh_from_db()
    assert d.status == Delivery.FAILED and "电子邮箱" in d.error


def _reconnect(app) -> None:
    # Celery caches its broker pool and result backend on first use (earlier tests used the
    # eager, backend-less configuration); drop them so the new URLs take effect.
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def test_delivery_goes_through_redis_to_a_real_worker(wangjing_office, django_capture_on_commit_callbacks, monkeypatch):
    """A notification's e-mail travels as a Celery message through Redis to a worker thread."""
    redis_or_skip(REDIS_URL)
    if connections["default"].vendor != "sqlite":
        # The worker thread must read rows from this test's uncommitted transaction; sharing
        # the connection across threads works for SQLite (as Django's live server does) but on
        # PostgreSQL the worker's start blocks on the session's locks. The delivery code is the
        # same on both databases (the other tests here run it eagerly on PostgreSQL too).
        pytest.skip("Redis worker test shares the test transaction's connection: SQLite only")
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_prerun

    from jiesu.celery import app

    wangjing_office.contact_email = "wangjing@example.gov.cn"
    wangjing_office.save()
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    # Celery's Django fixup closes database connections when a worker starts and around each
    # task; here the connection is the test's own (see below), and closing it would end the
    # test's transaction on PostgreSQL.
    from celery.fixups.django import DjangoWorkerFixup

    monkeypatch.setattr(DjangoWorkerFixup, "close_database", lambda self, **kwargs: None)
    monkeypatch.setattr(DjangoWorkerFixup, "_close_database", lambda self: None)
    _reconnect(app)
    # The test's rows live in its uncommitted transaction, visible only on this thread's
    # connection; the worker thread borrows it (as Django's live server does for SQLite). In
    # production the worker has its own connection and finds the rows committed.
    conn = connections["default"]
    conn.inc_thread_sharing()

    def share_connection(**_):
        if threading.current_thread() is not threading.main_thread():
            connections["default"] = conn

    task_prerun.connect(share_connection, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                n = services.notify_unit(
                    wangjing_office, kind="supervised", title="督办：经Redis投递", body="请尽快答复"
                )
            # What the commit would run: deliver.delay(id), a message on the Redis broker.
            results = [callback() for callback in callbacks]
            outcome = [r.get(timeout=30) for r in results]
    finally:
        task_prerun.disconnect(share_connection)
        conn.dec_thread_sharing()
        app.conf.update(saved)
        _reconnect(app)
    assert outcome == [Delivery.SENT] and all(r.id for r in results)
    assert [m.subject for m in mail.outbox] == ["督办：经Redis投递"]
    delivery = n.deliveries.get()
    assert delivery.status == Delivery.SENT and delivery.attempts == 1


def test_dispatch_notice_names_the_matter_from_the_engine_or_the_catalogue_R26_1(wangjing_order):
    """The worker's engine names the matter without a query; a matter retired since (no longer
    in the engine's rules) is still named, from the catalogue; with no engine built yet the
    catalogue is read and no engine is built for it."""
    from jiesu.catalog.models import Matter
    from jiesu.dispatch import runtime
    from jiesu.notifications.receivers import _matter

    matter = Matter.objects.filter(active=True).order_by("code").first()
    wangjing_order.matter_code = matter.code
    runtime.reset_engine_cache()
    assert _matter(wangjing_order) == matter.name and runtime.running_engine() is None
    assert runtime.current_engine().rules.matter(matter.code).name == matter.name
    assert _matter(wangjing_order) == matter.name
    matter.active = False
    matter.save()  # bumps the rules revision: the engine is rebuilt without it
    assert runtime.current_engine().rules.matter(matter.code) is None
    assert _matter(wangjing_order) == matter.name
    wangjing_order.matter_code = ""
    assert _matter(wangjing_order) == ""
