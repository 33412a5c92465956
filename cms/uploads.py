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
    validate_size(uploaded, max_bytes)
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


# Office files are zip archives; the entry that tells them apart.
ZIP_OFFICE_MARKERS = {
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
ODT_MIME = "application/vnd.oasis.opendocument.text"
LIBRARY_DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    ODT_MIME: "odt",
    "text/plain": "txt",
}
TEXT_EXTENSIONS = {"txt", "csv"}


def sniff_document_type(uploaded) -> str | None:
    """Like sniff_mime, but also tells Office/OpenDocument archives apart and recognises plain text."""
    import zipfile

    mime = sniff_mime(uploaded)
    if mime in ("application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIME.encode():
                    return ODT_MIME
                for marker, (office_mime, _extension) in ZIP_OFFICE_MARKERS.items():
                    if marker in names:
                        return office_mime
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        return "application/zip"
    if mime is None and _looks_like_text(uploaded):
        return "text/plain"
    return mime


def _looks_like_text(uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a multi-byte character cut by the 8 KB window
                return True
    return False


def validate_document(uploaded, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Refuse documents whose content is not an accepted type or does not match the file's extension."""
    validate_size(uploaded, max_bytes)
    mime = sniff_document_type(uploaded)
    extension = (uploaded.name or "").rsplit(".", 1)[-1].lower()
    expected = LIBRARY_DOCUMENT_TYPES.get(mime)
    matches = expected == extension or (expected == "txt" and extension in TEXT_EXTENSIONS)
    if expected is None or not matches:
        raise ValidationError(
            _("The content of this file does not match an accepted type (%(types)s) with its extension.")
            % {"types": ", ".join(sorted(set(LIBRARY_DOCUMENT_TYPES.values()) | TEXT_EXTENSIONS))},
            code="bad_type",
        )
    return mime


def validate_size(uploaded, max_bytes: int) -> None:
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "limit": round(max_bytes / 1048576)}, code="too_large"
        )
    if uploaded.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")


PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}


def reencode_image(uploaded, mime: str):
    """Decode the image fully and write it again from its pixels alone.

    Whatever rode along in the original (EXIF with GPS positions, comments, text chunks, a script or
    archive appended after the image data) is not carried over. Orientation from EXIF is applied first
    so photos stay upright. Returns a new uploaded file named after the sniffed type.
    """
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    fmt = PILLOW_FORMATS[mime]
    output = io.BytesIO()
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            if fmt == "GIF" and getattr(image, "is_animated", False):
                image.info = _pixel_info(image.info)
                image.save(output, format="GIF", save_all=True, loop=image.info.get("loop", 0),
                           duration=image.info.get("duration", 100), comment=b"")
            else:
                clean = _web_safe_mode(ImageOps.exif_transpose(image), fmt)
                # Pillow carries comments and profiles over from .info when saving; keep only what
                # drawing the pixels needs.
                clean.info = _pixel_info(clean.info)
                clean.save(output, format=fmt, **_encoder_options(fmt))
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("This image is too large in pixels."), code="too_many_pixels") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("This file is not a readable image."), code="bad_image") from exc
    finally:
        uploaded.seek(0)
    stem = (uploaded.name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    return SimpleUploadedFile(f"{stem}.{IMAGE_TYPES[mime]}", output.getvalue(), content_type=mime)


def _pixel_info(info: dict) -> dict:
    return {key: info[key] for key in ("transparency", "duration", "loop") if key in info}


def _web_safe_mode(image, fmt: str):
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    if image.mode in ("CMYK", "I;16", "I", "F"):
        return image.convert("RGBA" if fmt != "JPEG" else "RGB")
    return image


def _encoder_options(fmt: str) -> dict:
    return {"JPEG": {"quality": 90, "optimize": True, "comment": b""}, "PNG": {"optimize": True},
            "WEBP": {"quality": 90}, "GIF": {"comment": b""}}[fmt]
