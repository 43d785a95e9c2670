"""The work order: intake service, validation, append-only history (R2.1, R2.2, R8.1, R10.1)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from jiesu.core import roles
from jiesu.orders import services
from jiesu.orders.models import Attachment, OrderEvent, PersonalDataAccess, WorkOrder

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.django_db
def test_create_order_records_every_field_and_an_event_R10_1(make_order, call_taker):
    order = make_order(channel="wechat", source_line="12369", kind="report", requester_confidential=True)
    order.refresh_from_db()
    assert order.status == "received"
    assert order.channel == "wechat" and order.source_line == "12369" and order.kind == "report"
    assert order.requester_confidential and order.requester_phone == "13812345678"
    assert len(order.number) == 12 and order.number[6] == "-"
    event = order.events.get()
    assert event.action == "created" and event.actor == call_taker and event.to_status == "received"
    assert "13812345678" not in str(event.data) and "张三" not in str(event.data)


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_order_numbers_are_unique_and_sequential_per_day(make_order):
    # At noon: two orders a moment apart just before midnight would be numbered on two days.
    first, second = make_order(), make_order()
    assert first.number[:6] == second.number[:6]
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, bad_field",
    [
        ({"content": "吵"}, "content"),
        ({"content": "很" * 4001}, "content"),
        ({"channel": "pigeon"}, "channel"),
        ({"kind": "praise"}, "kind"),
        ({"source_line": "99999"}, "source_line"),
        ({"requester_phone": "12"}, "requester_phone"),
        ({"requester_phone": ""}, "requester_phone"),
        ({"requester_id_number": "12345"}, "requester_id_number"),
        ({"requester_type": "legal", "requester_organisation": ""}, "requester_organisation"),
        ({"latitude": 39.9}, "latitude"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing_R10_1(make_order, fields, bad_field):
    before = (WorkOrder.objects.count(), OrderEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        make_order(**fields)
    assert bad_field in exc.value.message_dict
    assert (WorkOrder.objects.count(), OrderEvent.objects.count()) == before


@pytest.mark.django_db
def test_only_intake_roles_create_orders_R5_1(make_user, wangjing_office):
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    with pytest.raises(PermissionDenied):
        services.create_order(
            services.IntakeData(channel="web", kind="help", content="路灯坏了好几天了"), actor=handler
        )


@pytest.mark.django_db
def test_attachments_checked_by_content_and_stored_R8_1(make_order):
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (3, 2), (10, 200, 30)).save(png, format="PNG")
    png = png.getvalue()
    order = make_order(attachments=[SimpleUploadedFile("photo.png", png, content_type="image/png")])
    attachment = order.attachments.get()
    stored = attachment.file.read()
    assert attachment.kind == "image" and attachment.content_type == "image/png" and attachment.size == len(stored)
    # Stored re-encoded (tests/orders/test_uploads.py): the same pixels, nothing else.
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.open(io.BytesIO(png)).tobytes()
    assert order.events.filter(action="attachment_added").count() == 1


@pytest.mark.django_db
def test_attachment_with_lying_name_is_refused_and_nothing_written_R8_1(make_order):
    count = WorkOrder.objects.count()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03" + bytes(range(256)) * 4, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[fake])
    assert "photo.jpg" in exc.value.message_dict["attachments"][0]
    assert WorkOrder.objects.count() == count and Attachment.objects.count() == 0


@pytest.mark.django_db
def test_attachment_size_limit_R8_1(make_order, settings):
    settings.JIESU_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[SimpleUploadedFile("a.png", PNG)])
    assert "上限" in exc.value.message_dict["attachments"][0]


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted_in_the_database(make_order):
    """Nothing is ever lost: the database itself refuses to change history."""
    order = make_order()
    event = order.events.get()
    for sql in (
        "UPDATE orders_orderevent SET action = 'x' WHERE id = %s",
        "DELETE FROM orders_orderevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert OrderEvent.objects.get(pk=event.pk).action == "created"


@pytest.mark.django_db
def test_identity_reads_cannot_be_erased_R8_3(make_order, call_taker):
    PersonalDataAccess.objects.create(order=make_order(), user=call_taker, fields=["phone"], purpose="test")
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataAccess.objects.all().delete()


@pytest.mark.django_db
def test_status_transitions_are_checked_and_recorded(make_order, dispatcher):
    order = make_order()
    services.change_status(order, "pending_review", actor=dispatcher, action="queued_for_review")
    with pytest.raises(ValidationError) as exc:
        services.change_status(order, "replied", actor=dispatcher, action="replied")
    assert "不能变更" in exc.value.message_dict["status"][0]
    assert list(order.events.values_list("action", flat=True)) == ["created", "queued_for_review"]


@pytest.mark.django_db
def test_dispatch_needs_exactly_one_lead_R12_1(make_order, dispatcher, wangjing_office, other_office):
    order = make_order()
    with pytest.raises(ValidationError):
        services.dispatch_order(order, actor=dispatcher, assignments=[services.Assignment(wangjing_office, "assist")])
    services.dispatch_order(
        order,
        actor=dispatcher,
        assignments=[
            services.Assignment(wangjing_office, "lead"),
            services.Assignment(wangjing_office.parent, "supervise"),
        ],
    )
    order.refresh_from_db()
    assert order.status == "dispatched" and order.lead_unit == wangjing_office
    # Re-dispatch ends the earlier parts; they stay in the record.
    services.dispatch_order(order, actor=dispatcher, assignments=[services.Assignment(other_office, "lead")])
    assert order.assignments.filter(active=False).count() == 2
    assert order.assignments.get(active=True).unit == other_office
    assert [e.action for e in order.events.all()] == ["created", "dispatched", "redispatched"]


@pytest.mark.django_db
def test_call_taker_cannot_dispatch_R5_1(make_order, call_taker, wangjing_office):
    with pytest.raises(PermissionDenied):
        services.dispatch_order(
            make_order(), actor=call_taker, assignments=[services.Assignment(wangjing_office, "lead")]
        )
