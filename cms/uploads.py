"""Validation shared by every upload: type sniffed from the content (never the name), size limits,
and Pillow's decompression-bomb guard for images."""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


def sniff_mime(uploaded) -> str | None:
    """The MIME type read from the file's first bytes; the file is left rewound."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(position)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime == "application/zip" and _is_docx(uploaded):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return kind.mime


def _is_docx(uploaded) -> bool:
    import zipfile

    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        uploaded.seek(0)


def validate_upload(uploaded, allowed: dict[str, str] = DOCUMENT_TYPES, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Refuse files that are too big or whose content is not an allowed type. Returns the sniffed MIME type."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "limit": round(max_bytes / 1048576)}, code="too_large"
        )
    if uploaded.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    mime = sniff_mime(uploaded)
    if mime not in allowed:
        raise ValidationError(
            _("This file type is not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(set(allowed.values())))}, code="bad_type"
        )
    if mime.startswith("image/"):
        validate_image_content(uploaded)
    return mime


def validate_image_content(uploaded) -> None:
    """Open the image with Pillow's bomb guard on; refuse what it can't decode."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("This image is too large in pixels."), code="too_many_pixels")
            image.verify()
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("This image is too large in pixels."), code="too_many_pixels") from exc
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(_("This file is not a readable image."), code="bad_image") from exc
    finally:
        uploaded.seek(0)
