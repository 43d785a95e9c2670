"""Free text sealed under a per-order key and erased by shredding it (issue 12, defect 11; R8.3).

Runs on SQLite by default and on PostgreSQL with DATABASE_URL (the migration path lifts the
append-only trigger of each vendor in its own way).
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.core import crypto, roles
from jiesu.handling import services as handling
from jiesu.handling.models import Reply
from jiesu.orders import erasure, sealing
from jiesu.orders import services as order_services
from jiesu.orders.models import OrderEvent, WorkOrder

NAME, PHONE, ID_NUMBER, OTHER = "张三", "13812345678", "110105199003071234", "13900001111"
CONTENT = f"楼下烧烤店油烟很大，{NAME}说可以打邻居王女士电话{OTHER}了解情况。"
NOTE = f"联系{NAME}，电话{PHONE}，身份证{ID_NUMBER}，约定周五上门。"
REPLY = "已协调城管执法队对烧烤店油烟进行检查，责令其安装净化设备。"
IDENTITIES = (NAME, PHONE, ID_NUMBER, OTHER)


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


def raw_rows(order) -> str:
    """Everything stored about the order's text, as the database holds it (no ORM decoding)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, content_sealed FROM orders_workorder WHERE id = %s", [order.pk])
        row = cursor.fetchone()
        cursor.execute("SELECT data FROM orders_orderevent WHERE order_id = %s", [order.pk])
        events = [r[0] if isinstance(r[0], str) else json.dumps(r[0], ensure_ascii=False) for r in cursor.fetchall()]
    return "\n".join([*row, *events])


@pytest.fixture
def handler(make_user, wangjing_office):
    return make_user(roles.UNIT_HANDLER, wangjing_office)


@pytest.fixture
def supervisor(make_user):
    return make_user(roles.SUPERVISOR)


@pytest.fixture
def replied(make_order, dispatched_to, wangjing_office, handler):
    """An order with identities in its request and in a contact note, and a unit's reply."""
    order = dispatched_to(make_order(content=CONTENT, requester_id_number=ID_NUMBER), wangjing_office)
    handling.accept(order, actor=handler)
    handling.record_contact(order, actor=handler, method="phone", outcome="reached", note="已电话沟通，约定上门时间。")
    order_services.record_event(
        order,
        action="contact_recorded",
        actor=handler,
        data={"method": "phone", "outcome": "reached", "note": NOTE, "unit": "望京街道"},
    )
    handling.reply(order, actor=handler, result="resolved", public_text=REPLY)
    order.refresh_from_db()
    return order


@pytest.mark.django_db
def test_free_text_is_sealed_under_the_orders_own_key_R8_3(replied, make_order):
    stored = raw_rows(replied)
    for value in IDENTITIES + ("约定周五上门", REPLY):
        assert value not in stored, value
    # The searchable column keeps the request with identities masked; the rest is ciphertext.
    assert replied.content == "楼下烧烤店油烟很大，***说可以打邻居王女士电话***了解情况。"
    assert replied.content_sealed.startswith(crypto.SEALED_PREFIX + replied.text_key_id + ":")
    # One key per order: another order's key opens none of it.
    other = make_order(content="朝阳公园南门路灯不亮已经一周，晚上行人看不清路。")
    assert other.text_key_id and other.text_key_id != replied.text_key_id
    other_key = crypto.unwrap_text_key(other.text_key_enc)
    assert crypto.open_text(replied.content_sealed, other_key) == crypto.ERASED_TEXT
    # Readers get the text back transparently: through the model and through values().
    assert replied.request_text == CONTENT
    assert NOTE in [e.data.get("note") for e in replied.events.all()]
    assert REPLY in [d.get("public_text") for d in replied.events.values_list("data", flat=True)]
    assert Reply.objects.get(order=replied).public_text == REPLY


@pytest.mark.django_db
def test_search_finds_the_request_but_not_by_a_phone_typed_into_it_R8_3(replied, supervisor, client):
    client.force_login(supervisor)
    assert replied.number in client.get("/orders/", {"q": "烧烤店油烟"}).content.decode()
    # The page of a supervisor (identities unmasked, audited) shows the request as typed.
    page = client.get(f"/orders/{replied.number}/").content.decode()
    assert CONTENT in page and NOTE in page


@pytest.mark.django_db
def test_erasure_shows_erased_everywhere_and_keeps_the_facts_R8_3(replied, supervisor, handler, dispatcher, client):
    before = WorkOrder.objects.get(pk=replied.pk)
    events_before = before.events.count()
    client.force_login(supervisor)
    page = client.get(f"/orders/{replied.number}/").content.decode()
    assert f"/orders/{replied.number}/erase/" in page
    response = client.post(
        f"/orders/{replied.number}/erase/", {"reason": "诉求人于12月1日来电依法请求删除其个人信息", "confirm": "yes"}
    )
    assert response.status_code == 302

    order = WorkOrder.objects.get(pk=replied.pk)
    assert order.erased_at and not order.text_key_enc and not order.requester_phone_index
    # The non-personal facts stay.
    for name in (
        "number",
        "matter_code",
        "district_id",
        "subdistrict_id",
        "lead_unit_id",
        "status",
        "received_at",
        "due_at",
        "kind",
        "channel",
    ):
        assert getattr(order, name) == getattr(before, name), name
    event = order.events.get(action="personal_data_erased")
    assert event.actor == supervisor and event.data["erasure_reason"].startswith("诉求人于12月1日")
    assert order.events.count() == events_before + 1  # nothing taken from the history
    # The ciphertext is still there, but nothing can open it.
    stored = raw_rows(order)
    assert crypto.SEALED_PREFIX in stored
    assert all(v not in stored for v in IDENTITIES + (REPLY,))

    def shows_erased(text: str):
        assert crypto.ERASED_TEXT in text
        for value in IDENTITIES + (REPLY, "烧烤店油烟很大", "约定周五上门"):
            assert value not in text, value

    for user in (supervisor, handler, dispatcher):
        client.force_login(user)
        response = client.get(f"/orders/{order.number}/")
        assert response.status_code == 200
        shows_erased(response.content.decode())
    client.force_login(supervisor)
    assert "本工单的个人信息已于" in client.get(f"/orders/{order.number}/").content.decode()
    assert order.number not in client.get("/orders/", {"q": "烧烤店"}).content.decode()
    api = api_for(supervisor).get(f"/api/v1/orders/{order.number}/")
    assert api.status_code == 200
    shows_erased(api.content.decode())
    assert api.json()["status"] == order.status
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/requests/{order.number}.{fmt}")
        assert response.status_code == 200
        shows_erased(response.content.decode())
    client.force_login(handler)
    export = client.get("/inbox/export/", {"format": "csv", "days": "30"})
    assert export.status_code == 200
    shows_erased(export.content.decode("utf-8-sig"))
    client.force_login(handler)
    workbench = client.get("/handling/")
    assert workbench.status_code == 200 and NAME not in workbench.content.decode()


@pytest.mark.django_db
def test_erasure_is_refused_with_a_reason_to_whom_it_is_not_for(replied, supervisor, dispatcher, handler, client):
    for user in (dispatcher, handler):
        with pytest.raises(PermissionDenied):
            erasure.erase_personal_data(replied, actor=user, reason="诉求人依法请求删除个人信息")
        client.force_login(user)
        assert (
            client.post(f"/orders/{replied.number}/erase/", {"reason": "依法删除请求", "confirm": "yes"}).status_code
            == 403
        )
    client.force_login(supervisor)
    short = client.post(f"/orders/{replied.number}/erase/", {"reason": "删", "confirm": "yes"})
    assert short.status_code == 400 and "请填写删除依据" in short.content.decode()
    unconfirmed = client.post(f"/orders/{replied.number}/erase/", {"reason": "诉求人依法请求删除个人信息"})
    assert unconfirmed.status_code == 400 and "请勾选确认" in unconfirmed.content.decode()
    with pytest.raises(ValidationError, match="个人信息"):
        erasure.erase_personal_data(replied, actor=supervisor, reason=f"诉求人{PHONE}来电请求删除")
    assert not WorkOrder.objects.get(pk=replied.pk).erased_at  # nothing half-written
    erasure.erase_personal_data(replied, actor=supervisor, reason="诉求人依法请求删除个人信息")
    with pytest.raises(ValidationError, match="已于"):
        erasure.erase_personal_data(replied, actor=supervisor, reason="诉求人依法请求删除个人信息")


@pytest.mark.django_db
def test_text_written_after_an_erasure_gets_a_new_key(replied, supervisor, handler):
    erasure.erase_personal_data(replied, actor=supervisor, reason="诉求人依法请求删除个人信息")
    order = WorkOrder.objects.get(pk=replied.pk)
    order_services.record_event(
        order,
        action="contact_recorded",
        actor=handler,
        data={"method": "phone", "outcome": "reached", "note": "回访前再次沟通，情况已知悉。"},
    )
    order = WorkOrder.objects.get(pk=replied.pk)
    assert order.text_key_id
    notes = [e.data.get("note") for e in order.events.filter(action="contact_recorded")]
    assert notes[-1] == "回访前再次沟通，情况已知悉。" and notes[0] == crypto.ERASED_TEXT


@pytest.mark.django_db
def test_migration_seals_orders_written_before_keys_and_keeps_events_append_only(make_order, handler):
    """What the data migration (orders 0012) does to rows written before this change."""
    order = make_order(content=CONTENT)
    plain = json.dumps({"method": "phone", "outcome": "reached", "note": NOTE}, ensure_ascii=False)
    with connection.cursor() as cursor:
        # An order as stored before: the request in clear, no key, an event with a note in clear.
        cursor.execute(
            "UPDATE orders_workorder SET content = %s, content_sealed = '', text_key_id = '', "
            "text_key_enc = '' WHERE id = %s",
            [CONTENT, order.pk],
        )
        cursor.execute(
            "INSERT INTO orders_orderevent (order_id, at, action, from_status, to_status, data) "
            "VALUES (%s, CURRENT_TIMESTAMP, 'contact_recorded', '', '', %s)",
            [order.pk, plain],
        )
    assert NOTE in raw_rows(order)
    assert sealing.seal_existing(WorkOrder, OrderEvent) == 1
    order = WorkOrder.objects.get(pk=order.pk)
    assert all(v not in raw_rows(order) for v in IDENTITIES + ("约定周五上门",))
    assert order.request_text == CONTENT and NOTE in [e.data.get("note") for e in order.events.all()]
    # The triggers are back: history still cannot be changed.
    for sql in (
        "UPDATE orders_orderevent SET action = 'x' WHERE order_id = %s",
        "DELETE FROM orders_orderevent WHERE order_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [order.pk])


def stored_events(order) -> list[tuple]:
    """The order's events as the database holds them (sealed text stays sealed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, action, data FROM orders_orderevent WHERE order_id = %s ORDER BY id", [order.pk])
        return [tuple(r) for r in cursor.fetchall()]


def png(colour=(30, 120, 200)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_erasure_deletes_the_orders_files_and_keeps_their_records_and_history_R8_3(
    replied, supervisor, handler, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiesu.orders.models import Attachment

    citizen = order_services.add_attachment(
        replied, SimpleUploadedFile(f"{NAME}身份证.png", png(), content_type="image/png"), actor=supervisor
    )
    result = order_services.add_attachment(
        replied,
        SimpleUploadedFile("现场.png", png((10, 200, 10)), content_type="image/png"),
        actor=handler,
        stage=Attachment.RESULT,
    )
    paths = [a.file.path for a in (citizen, result)]
    urls = [f"/orders/{replied.number}/attachments/{a.pk}/" for a in (citizen, result)]
    client.force_login(supervisor)
    assert client.get(urls[0]).status_code == 200
    assert client.get(f"/orders/{replied.number}/attachments/{citizen.pk}/thumbnail/").status_code == 200
    events_before = stored_events(replied)

    # The files are deleted when the erasure commits, not before (a rolled-back one loses none).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erasure.erase_personal_data(replied, actor=supervisor, reason="诉求人依法请求删除个人信息及其附件")
    import os

    assert all(os.path.exists(p) for p in paths)
    for callback in callbacks:
        callback()
    assert not any(os.path.exists(p) for p in paths)

    # The records stay, blanked, each with a tombstone event; earlier history is untouched.
    for before in (citizen, result):
        after = Attachment.objects.get(pk=before.pk)
        assert after.erased_at and not after.file.name and not after.sha256
        assert after.original_name == crypto.ERASED_TEXT and after.kind == "image" and after.stage == before.stage
    order = WorkOrder.objects.get(pk=replied.pk)
    assert stored_events(order)[: len(events_before)] == events_before  # byte for byte
    tombstones = order.events.filter(action="attachment_erased")
    assert sorted(e.data["attachment_id"] for e in tombstones) == sorted([citizen.pk, result.pk])
    assert order.events.count() == len(events_before) + 3  # two tombstones and the erasure
    assert order.events.filter(action="attachment_added").count() == 2

    # The URLs answer 410 in Chinese: the page, the thumbnail and the API download.
    for url in (*urls, f"/orders/{replied.number}/attachments/{citizen.pk}/thumbnail/"):
        response = client.get(url)
        assert response.status_code == 410, url
        assert "该附件已随工单中的个人信息按规定删除" in response.content.decode()
    api = api_for(supervisor).get(f"/api/v1/orders/{replied.number}/attachments/{citizen.pk}/")
    assert api.status_code == 410 and api.json()["detail"].startswith("该附件已按规定删除")
    listed = api_for(supervisor).get(f"/api/v1/orders/{replied.number}/").json()["attachments"]
    assert [a["erased_at"] is not None for a in listed] == [True, True]
    page = client.get(f"/orders/{replied.number}/").content.decode()
    assert f"{NAME}身份证" not in page and "附件按规定删除" in page
    assert f'href="/orders/{replied.number}/attachments/' not in page


@pytest.mark.django_db
def test_a_failed_erasure_deletes_no_file(replied, supervisor, django_capture_on_commit_callbacks):
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = order_services.add_attachment(
        replied, SimpleUploadedFile("现场.png", png(), content_type="image/png"), actor=supervisor
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        erasure.erase_personal_data(replied, actor=supervisor, reason=f"诉求人{PHONE}来电请求删除")
    assert not callbacks and os.path.exists(attachment.file.path)
    attachment.refresh_from_db()
    assert attachment.erased_at is None and attachment.original_name == "现场.png"


CALLER_NOTE = "来电人自称王建国，住花家地北里3号楼，多次辱骂话务员"


@pytest.mark.django_db
def test_erasure_shreds_the_notes_of_the_callers_record_R8_3(replied, make_order, supervisor, call_taker, client):
    """A caller's record is about the person: its notes are sealed under the caller's key, and
    an erasure for an order of theirs shreds it. The record's facts and lines stay."""
    from jiesu.centre import services as centre
    from jiesu.centre.models import Caller, CallerEvent

    later = make_order(content="小区门口路灯不亮已经一周，晚上行人看不清路。")  # the same caller's other order
    flagged = centre.flag_caller(replied, actor=call_taker, note=CALLER_NOTE)
    centre.warn_caller(later, actor=call_taker, kind="education", note="再次辱骂，王建国称还会继续打")
    caller = Caller.objects.get(pk=flagged.caller_id)
    centre.lift_flag(caller, actor=supervisor, note="王建国已书面道歉")

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM centre_callerevent WHERE caller_id = %s", [caller.pk])
        stored = [r[0] for r in cursor.fetchall()]
    assert len(stored) == 3 and all(n.startswith(crypto.SEALED_PREFIX) and "王建国" not in n for n in stored)
    assert CallerEvent.objects.get(pk=flagged.pk).note == CALLER_NOTE  # readers get it back
    client.force_login(supervisor)
    assert CALLER_NOTE in client.get(f"/centre/callers/of/{later.number}/").content.decode()

    erasure.erase_personal_data(replied, actor=supervisor, reason="诉求人依法请求删除个人信息")
    caller.refresh_from_db()
    assert not caller.text_key_enc and caller.flagged is False  # the key is gone, the facts stay
    events = list(CallerEvent.objects.filter(caller=caller).order_by("pk"))
    assert [e.action for e in events] == ["flagged", "warned", "flag_lifted"]  # nothing taken from history
    assert [e.note for e in events] == [crypto.ERASED_TEXT] * 3
    assert list(events[0].orders.all()) == [replied]
    page = client.get(f"/centre/callers/of/{later.number}/").content.decode()
    assert crypto.ERASED_TEXT in page and "王建国" not in page

    # A note written afterwards is sealed under a new key and reads back.
    centre.warn_caller(later, actor=call_taker, kind="persuasion", note="已劝导，来电人表示理解")
    assert CallerEvent.objects.filter(caller=caller).order_by("pk").last().note == "已劝导，来电人表示理解"
    assert Caller.objects.get(pk=caller.pk).text_key_id


@pytest.mark.django_db
def test_the_migration_seals_caller_notes_written_in_clear(make_order, call_taker):
    """What the data migration (centre 0009) does to notes written before per-caller keys."""
    from jiesu.centre import services as centre
    from jiesu.centre.models import Caller, CallerEvent
    from jiesu.centre.sealing import seal_existing_notes

    event = centre.flag_caller(make_order(), actor=call_taker, note=CALLER_NOTE)
    # The row as stored before: the note in clear, the caller without a key (written around the
    # trigger, as the migration itself must).
    executor = sealing.CursorExecutor()
    sealing._lift_triggers(executor, "centre_callerevent")
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE centre_callerevent SET note = %s WHERE id = %s", [CALLER_NOTE, event.pk])
            cursor.execute(
                "UPDATE centre_caller SET text_key_id = '', text_key_enc = '' WHERE id = %s", [event.caller_id]
            )
    finally:
        sealing._restore_triggers(executor, "centre_callerevent")
    assert seal_existing_notes(Caller, CallerEvent) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM centre_callerevent WHERE id = %s", [event.pk])
        assert cursor.fetchone()[0].startswith(crypto.SEALED_PREFIX)
    assert CallerEvent.objects.get(pk=event.pk).note == CALLER_NOTE
    assert Caller.objects.get(pk=event.caller_id).text_key_id
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE centre_callerevent SET note = 'x' WHERE id = %s", [event.pk])
