"""Safe uploads: what a requester or a unit sends is stored only in a form nobody can be harmed by.

- The type is the one the bytes say (filetype), never the name or the client's claim.
- Images are decoded and re-encoded with Pillow, so only pixels are stored: whatever rode along
  (EXIF with the place a photo was taken, comments, a script or an HTML page appended to a JPEG,
  a polyglot) is gone. An image Pillow cannot decode, or one with more pixels than Pillow's
  decompression-bomb limit, is refused.
- Text must be UTF-8 throughout (not only its first bytes) and must not contain what an HTML
  parser would take for a tag (`<` followed by a letter, `!`, `/` or `?`): HTML, SVG and XML
  are refused, whatever the file is called, because a browser that is ever given them on our
  origin runs their scripts.
- The stored name ends in the extension of the sniffed type (`x.svg` holding text is stored as
  `x.txt`), so no web server serving the media folder guesses a dangerous type from the name.

Used by intake attachments (R8.1) and assessment appeal evidence.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import uuid
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from . import choices

# The formats re-encoded, by sniffed type, with the options that keep their pixels.
IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", {"quality": 90}),
    "image/png": ("PNG", {}),
    "image/gif": ("GIF", {}),
    "image/webp": ("WEBP", {"quality": 90}),
}
# Per-frame facts that are about showing pixels, not metadata.
_KEEP_INFO = ("transparency", "duration", "loop", "background")

_EXTENSIONS = {"text/plain": "txt", "audio/wav": "wav", "audio/amr": "amr"}
# Where an HTML tokenizer leaves the data state for a tag, comment, doctype or processing instruction.
_MARKUP = re.compile(r"<[A-Za-z!?/]")
# C0 controls other than tab, line feed, form feed and carriage return: not text (UTF-16, binary).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHUNK = 64 * 1024


# `_reencode` checks an image's size before decoding, so Pillow's own warning (between its limit
# and twice it) says nothing more; set once for the process, never toggled per request.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


class UploadRefused(ValueError):
    """The message names the file and says why; it is shown to the user as it is."""


@dataclass(frozen=True)
class SafeUpload:
    content_type: str
    kind: str  # choices.ATTACHMENT_KINDS
    name: str  # what to store it as: the original stem and the sniffed type's extension
    file: File
    size: int
    sha256: str


def sniff(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) that the bytes say, not those the client claims."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind:
        mime = {"audio/x-wav": "audio/wav", "audio/x-amr": "audio/amr"}.get(kind.mime, kind.mime)
        return mime, _EXTENSIONS.get(mime, kind.extension)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the 8 KiB boundary is still text.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream", "bin"
    return "text/plain", "txt"


def problem(upload: UploadedFile) -> str | None:
    """Why this upload cannot be stored, or None. The checked form is kept for `safe_upload`."""
    try:
        safe_upload(upload)
    except UploadRefused as exc:
        return str(exc)
    return None


def safe_upload(upload: UploadedFile) -> SafeUpload:
    """The form of `upload` to store, or UploadRefused. Computed once per upload: validation runs
    before the transaction and storage inside it, and an image should be decoded only once."""
    cached = getattr(upload, "_jiesu_safe_upload", None)
    if cached is not None:
        return cached
    safe = _make_safe(upload)
    upload._jiesu_safe_upload = safe
    return safe


def _make_safe(upload: UploadedFile) -> SafeUpload:
    name = upload.name or "file"
    limit = settings.JIESU_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise UploadRefused(_("附件“%(name)s”超过%(mb)sMB上限。") % {"name": name, "mb": limit // (1024 * 1024)})
    if upload.size == 0:
        raise UploadRefused(_("附件“%(name)s”是空文件。") % {"name": name})
    content_type, extension = sniff(upload)
    if content_type not in choices.ATTACHMENT_TYPES:
        raise UploadRefused(
            _("附件“%(name)s”的类型不受支持（支持图片、录音、视频、PDF、Word、Excel、文本）。") % {"name": name}
        )
    # The stored path carries no part of the sender's file name ("张三身份证.jpg"): names are
    # personal data too, and `original_name` keeps it for those who may read it.
    stored_name = f"{uuid.uuid4().hex}.{extension}"
    if content_type in IMAGE_FORMATS:
        data = _reencode(upload, content_type, name)
        return SafeUpload(
            content_type,
            choices.ATTACHMENT_TYPES[content_type],
            stored_name,
            ContentFile(data),
            len(data),
            hashlib.sha256(data).hexdigest(),
        )
    if content_type == "text/plain":
        _check_text(upload, name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return SafeUpload(
        content_type, choices.ATTACHMENT_TYPES[content_type], stored_name, upload, upload.size, digest.hexdigest()
    )


def _check_text(upload: UploadedFile, name: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    carry = ""
    try:
        while chunk := upload.read(_CHUNK):
            text = carry + decoder.decode(chunk)
            if _MARKUP.search(text):
                raise UploadRefused(
                    _("附件“%(name)s”是网页、SVG或其他标记文件（可能含脚本），不能作为附件；请截图后以图片上传。")
                    % {"name": name}
                )
            if _CONTROL.search(text):
                raise UploadRefused(_("附件“%(name)s”不是纯文本文件（含控制字符）。") % {"name": name})
            carry = text[-1:]  # a "<" at the end of one chunk and its letter at the start of the next
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UploadRefused(_("附件“%(name)s”不是UTF-8编码的纯文本文件。") % {"name": name}) from None
    finally:
        upload.seek(0)


def _reencode(upload: UploadedFile, content_type: str, name: str) -> bytes:
    fmt, options = IMAGE_FORMATS[content_type]
    upload.seek(0)
    too_large = UploadRefused(_("附件“%(name)s”的图片像素过多，请缩小后上传。") % {"name": name})
    try:
        with Image.open(upload, formats=[fmt]) as image:
            # Pillow itself refuses only beyond twice its limit (and warns below that, through
            # process-wide warning filters that threads of one worker would share): check the
            # size here, before decoding, and count every frame of an animation against it.
            width, height = image.size
            if width * height * getattr(image, "n_frames", 1) > Image.MAX_IMAGE_PIXELS:
                raise too_large
            frames, durations = [], []
            for frame in ImageSequence.Iterator(image):
                frame.load()
                durations.append(frame.info.get("duration"))
                frames.append(frame.copy())
            icc = image.info.get("icc_profile")
            loop = image.info.get("loop")
            if len(frames) == 1:
                # The EXIF orientation is applied to the pixels, since the EXIF itself is dropped.
                frames[0] = ImageOps.exif_transpose(frames[0])
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        raise too_large from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused(_("附件“%(name)s”不是可以读取的图片（文件已损坏或不完整）。") % {"name": name}) from None
    finally:
        upload.seek(0)
    for frame in frames:
        frame.info = {k: frame.info[k] for k in _KEEP_INFO if k in frame.info}
    if icc:
        options = {**options, "icc_profile": icc}
    if len(frames) > 1:
        options = {**options, "save_all": True, "append_images": frames[1:]}
        if all(d is not None for d in durations):
            options["duration"] = durations
        if loop is not None:
            options["loop"] = loop
    out = io.BytesIO()
    frames[0].save(out, format=fmt, **options)
    return out.getvalue()


THUMBNAIL_SIZE = (320, 320)


def thumbnail(stored) -> bytes:
    """A small JPEG of a stored (already re-encoded) image, for the order pages."""
    with Image.open(stored) as image:
        image.seek(0)
        small = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
        small.thumbnail(THUMBNAIL_SIZE)
        if small.mode == "RGBA":
            # JPEG has no transparency: show transparent parts white, as a page would.
            background = Image.new("RGB", small.size, (255, 255, 255))
            background.paste(small, mask=small.getchannel("A"))
            small = background
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=80)
    return out.getvalue()
