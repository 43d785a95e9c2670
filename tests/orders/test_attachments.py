"""Attachments that work (issue 14 item 5; R8.1, R8.3): a citizen's photo from intake, the REST
API and Open311 opens for the lead unit's handler and the centre, each read audited, and for no
other unit; downloads can only be saved; units attach result photos to their reply."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.core import roles
from jiesu.orders.models import Attachment, OrderEvent, PersonalDataAccess, WorkOrder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_engine", "fresh_cache")]

WANGJING = "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修"
LIGHT = "朝阳区望京街道花家地北里小区门口的路灯坏了一个星期，晚上很黑，希望尽快修好。"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def jpeg(colour=(200, 40, 40), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 59.0, 30.0), 3: "E", 4: (116.0, 28.0, 10.0)}  # where it was taken
    Image.new("RGB", size, colour).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo(name="现场照片.jpg", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or jpeg(), content_type="image/jpeg")


@pytest.fixture
def intake_order(call_taker):
    """A call-taker's order with the citizen's photo, dispatched by the engine to 望京街道."""
    from jiesu.intake.services import take_request
    from jiesu.orders.services import IntakeData

    order = take_request(
        IntakeData(
            channel="phone",
            kind="complaint",
            content=WANGJING,
            requester_phone="13800138000",
            requester_name="李四",
            attachments=[photo()],
        ),
        actor=call_taker,
    )
    assert order.status == "dispatched" and order.lead_unit is not None
    return order


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return api


def opened_by(user, attachment) -> int:
    client = Client()
    client.force_login(user)
    return client.get(reverse("orders:attachment", args=[attachment.order.number, attachment.pk])).status_code


def reads(user, attachment) -> list[str]:
    return [
        p
        for p, fields in PersonalDataAccess.objects.filter(order=attachment.order, user=user).values_list(
            "purpose", "fields"
        )
        if f"attachment.{attachment.pk}" in fields
    ]


def check_only_lead_and_centre_open(attachment, member, other_office, make_user):
    order = attachment.order
    lead = member(order.lead_unit)
    client = Client()
    client.force_login(lead)
    response = client.get(reverse("orders:attachment", args=[order.number, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xff\xd8") and b"GPS" not in body  # re-encoded, the place it was taken gone
    # The file name says nothing about the requester (the original was "现场照片.jpg").
    assert "现场" not in response["Content-Disposition"] and order.number in response["Content-Disposition"]
    assert reads(lead, attachment) == ["attachment_download"]  # audited like an identity read (R8.3)

    assert opened_by(member(other_office), attachment) == 404  # another unit: not even that it exists
    assert opened_by(member(other_office, roles.UNIT_ADMIN), attachment) == 404
    assert not reads(member(other_office), attachment)
    centre = make_user(roles.SUPERVISOR)
    assert opened_by(centre, attachment) == 200 and reads(centre, attachment) == ["attachment_download"]
    assert Client().get(reverse("orders:attachment", args=[order.number, attachment.pk])).status_code == 302


def test_intake_photo_opens_for_lead_handler_audited_and_for_no_other_unit_R8_1_R8_3(
    intake_order, member, other_office, make_user
):
    [attachment] = intake_order.attachments.all()
    assert attachment.stage == "request" and attachment.kind == "image"
    check_only_lead_and_centre_open(attachment, member, other_office, make_user)


def test_api_multipart_upload_on_an_order_R8_1(
    make_order, member, other_office, make_user, dispatched_to, wangjing_office
):
    order = make_order()
    dispatched_to(order, wangjing_office)
    order.refresh_from_db()
    api = api_for(make_user(roles.CALL_TAKER))
    url = f"/api/v1/orders/{order.number}/attachments/"
    response = api.post(url, {"file": [photo(), photo("第二张.png", _png())]}, format="multipart")
    assert response.status_code == 201, response.content
    created = response.json()
    assert [a["kind"] for a in created] == ["image", "image"] and created[1]["content_type"] == "image/png"
    attachment = Attachment.objects.get(pk=created[0]["id"])
    check_only_lead_and_centre_open(attachment, member, other_office, make_user)
    # The URL the API gives downloads through the API, audited the same way.
    lead_api = api_for(member(order.lead_unit))
    download = lead_api.get(created[0]["url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert "api_attachment_download" in reads(member(order.lead_unit), attachment)
    assert api_for(member(other_office)).get(created[0]["url"]).status_code == 404
    # The order as the API reads it lists the files with these URLs, for those who may open them.
    listed = lead_api.get(f"/api/v1/orders/{order.number}/").json()["attachments"]
    assert [a["url"] for a in listed] == [c["url"] for c in created]


def test_api_upload_refuses_svg_and_oversize_with_field_errors_and_writes_nothing_R8_1(
    make_order, make_user, settings, member, other_office
):
    order = make_order()
    api = api_for(make_user(roles.CALL_TAKER))
    url = f"/api/v1/orders/{order.number}/attachments/"
    before = (Attachment.objects.count(), OrderEvent.objects.count())
    bad = api.post(
        url, {"file": [photo(), SimpleUploadedFile("图.svg", SVG, content_type="image/svg+xml")]}, format="multipart"
    )
    assert bad.status_code == 400 and "网页、SVG" in bad.json()["file"][0]
    settings.JIESU_ATTACHMENT_MAX_BYTES = 1024
    big = api.post(url, {"file": [photo()]}, format="multipart")
    assert big.status_code == 400 and "上限" in big.json()["file"][0]
    none = api.post(url, {}, format="multipart")
    assert none.status_code == 400 and "file" in none.json()
    assert (Attachment.objects.count(), OrderEvent.objects.count()) == before
    # A unit that is not on the order cannot add to it either.
    assert api_for(member(other_office)).post(url, {"file": [photo()]}, format="multipart").status_code == 404


def test_open311_media_upload_opens_for_lead_only_R21_1_R8_1(api_key, member, other_office, make_user, dispatcher):
    _, key = api_key
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "city.municipal.streetlight",
            "address_string": "朝阳区望京街道花家地北里",
            "description": LIGHT,
            "phone": "13912345678",
            "media[]": [photo("light.jpg")],
        },
    )
    assert response.status_code == 200, response.content
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    [attachment] = order.attachments.all()
    if order.lead_unit is None:
        # Below the engine's lead-unit gate the order waits for review: a dispatcher takes the
        # suggestion, as in the review queue, and the photo goes with the order.
        from jiesu.dispatch.services import accept_suggestion

        order = accept_suggestion(order, actor=dispatcher)
        order.refresh_from_db()
    assert order.lead_unit is not None
    check_only_lead_and_centre_open(attachment, member, other_office, make_user)


def test_open311_media_svg_is_refused_in_the_spec_error_format_and_nothing_written_R21_1(api_key):
    _, key = api_key
    before = WorkOrder.objects.count()
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "city.municipal.streetlight",
            "address_string": "朝阳区望京街道花家地北里",
            "description": LIGHT,
            "media[]": [SimpleUploadedFile("x.svg", SVG, content_type="image/svg+xml")],
        },
    )
    assert response.status_code == 400
    [error] = response.json()
    assert error["description"].startswith("media：") and "SVG" in error["description"]
    assert WorkOrder.objects.count() == before


def test_assisting_unit_sees_the_order_but_not_its_files_R8_3(intake_order, member, make_user, dispatcher):
    from jiesu.directory.models import Unit
    from jiesu.orders.services import Assignment, dispatch_order

    helper = Unit.objects.filter(kind="district_department", district__name="朝阳区", sector="housing").first()
    order = WorkOrder.objects.get(pk=intake_order.pk)
    dispatch_order(
        order,
        actor=dispatcher,
        assignments=[Assignment(unit=order.lead_unit, role="lead"), Assignment(unit=helper, role="assist")],
    )
    [attachment] = order.attachments.all()
    client = Client()
    client.force_login(member(helper))
    page = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert "附件仅限热线中心和主办、牵头单位查看" in page and "thumbnail" not in page
    assert client.get(reverse("orders:attachment", args=[order.number, attachment.pk])).status_code == 403


def test_order_pages_show_thumbnails_to_the_lead_R8_1(intake_order, member):
    [attachment] = intake_order.attachments.all()
    lead = member(intake_order.lead_unit)
    client = Client()
    client.force_login(lead)
    thumb_url = reverse("orders:attachment_thumbnail", args=[intake_order.number, attachment.pk])
    for page in ("orders:detail", "handling:order"):
        html = client.get(reverse(page, args=[intake_order.number])).content.decode()
        assert thumb_url in html and f'id="attachment-{attachment.pk}"' in html
    thumb = client.get(thumb_url)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 320
    assert "attachment_thumbnail" in reads(lead, attachment)


def test_unit_attaches_result_photos_to_its_reply_R15_1(intake_order, member, other_office, make_user):
    lead = member(intake_order.lead_unit)
    client = Client()
    client.force_login(lead)
    act = lambda action, data: client.post(reverse("handling:act", args=[intake_order.number, action]), data)  # noqa: E731
    assert act("accept", {}).status_code == 302
    assert act("contact", {"method": "phone", "outcome": "reached", "note": "已沟通"}).status_code == 302
    page = client.get(reverse("handling:order", args=[intake_order.number])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    refused = act(
        "reply",
        {
            "result": "resolved",
            "public_text": "电梯已修复并恢复正常运行，感谢您的反映。",
            "photos": [SimpleUploadedFile("x.svg", SVG, content_type="image/svg+xml")],
        },
    )
    assert refused.status_code == 400 and "网页、SVG" in refused.content.decode()
    assert WorkOrder.objects.get(pk=intake_order.pk).status == "in_progress"
    done = act(
        "reply",
        {
            "result": "resolved",
            "public_text": "电梯已修复并恢复正常运行，感谢您的反映。",
            "photos": [photo("维修后.jpg", jpeg((40, 200, 40)))],
        },
    )
    assert done.status_code == 302
    result = Attachment.objects.get(order=intake_order, stage="result")
    assert result.unit == intake_order.lead_unit and result.uploaded_by == lead
    replied = OrderEvent.objects.get(order=intake_order, action="replied")
    assert replied.data["attachment_ids"] == [result.pk]
    check_only_lead_and_centre_open(result, member, other_office, make_user)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()
