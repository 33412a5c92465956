"""Uploads through the real admin views: type sniffed from content, size limits, decompression bombs
refused, images re-encoded so hidden payloads are dropped, private files never reachable by URL."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import re_path
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage

from cms.storage import NoPublicURL
from cms.uploads import IMAGE_TYPES, reencode_image, validate_document, validate_upload

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"
PHP = b"<?php system($_GET['c']); ?>"


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private = settings.STORAGES["private"]
    settings.STORAGES = {**settings.STORAGES, "private": {**private, "OPTIONS": {
        **private.get("OPTIONS", {}), "location": tmp_path / "private"}}}


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def jpeg_with_exif_and_payload() -> bytes:
    """A real photo-like JPEG carrying GPS EXIF, a comment with PHP, and a script appended after the image."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 48.0)}  # GPS position of the learner's home
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=PHP)
    return buffer.getvalue() + SCRIPT


def png_with_text_chunk() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 120, 255)).save(buffer, format="PNG")
    data = buffer.getvalue()
    chunk_data = b"Comment\x00" + SCRIPT
    chunk = struct.pack(">I", len(chunk_data)) + b"tEXt" + chunk_data
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + chunk_data) & 0xFFFFFFFF)
    end = data.rindex(b"IEND") - 4
    return data[:end] + chunk + data[end:]


def decompression_bomb_png(side: int = 10_000) -> bytes:
    """100 megapixels of one colour: a few kilobytes on disk, hundreds of megabytes once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


RENAMED_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot"


def upload_image(admin_client, name: str, content: bytes):
    return admin_client.post("/admin/images/add/", {"title": name, "file": SimpleUploadedFile(name, content),
                                                    "collection": 1})


def stored_bytes(image: WagtailImage) -> bytes:
    with image.file.open("rb") as handle:
        return handle.read()


def test_photo_is_re_encoded_without_exif_comment_or_appended_script(admin_client):
    response = upload_image(admin_client, "holiday.jpg", jpeg_with_exif_and_payload())
    assert response.status_code == 302, response.content.decode()[:2000]
    image = WagtailImage.objects.get()
    data = stored_bytes(image)
    assert SCRIPT not in data and PHP not in data
    assert b"Exif" not in data and b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert not stored.getexif()


def test_png_text_chunks_are_dropped(admin_client):
    response = upload_image(admin_client, "logo.png", png_with_text_chunk())
    assert response.status_code == 302
    data = stored_bytes(WagtailImage.objects.get())
    assert SCRIPT not in data and b"tEXt" not in data


def test_image_whose_name_lies_about_its_type_is_refused(admin_client):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")
    response = upload_image(admin_client, "picture.jpg", buffer.getvalue())
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert WagtailImage.objects.count() == 0


def test_re_encoded_file_is_named_after_its_real_type():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")
    clean = reencode_image(SimpleUploadedFile("../../picture.jpg", buffer.getvalue()), "image/png")
    assert clean.name == "picture.png"


def test_renamed_executable_is_refused_and_nothing_is_saved(admin_client):
    response = upload_image(admin_client, "photo.png", RENAMED_EXE)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert WagtailImage.objects.count() == 0


def test_decompression_bomb_is_refused_with_a_clear_message(admin_client):
    response = upload_image(admin_client, "bomb.png", decompression_bomb_png())
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "40000000" in errors  # "too many pixels ... the limit is 40000000", in the editor's language
    assert WagtailImage.objects.count() == 0


def test_the_upload_guard_itself_refuses_bombs_and_fakes():
    with pytest.raises(ValidationError) as bomb:
        validate_upload(SimpleUploadedFile("bomb.png", decompression_bomb_png()), allowed=IMAGE_TYPES)
    assert bomb.value.code == "too_many_pixels"
    with pytest.raises(ValidationError) as fake:
        validate_upload(SimpleUploadedFile("photo.png", RENAMED_EXE), allowed=IMAGE_TYPES)
    assert fake.value.code == "bad_type"
    truncated = jpeg_with_exif_and_payload()[:200]
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("cut.jpg", truncated), "image/jpeg")


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1024)
def test_images_over_the_size_limit_are_refused(admin_client):
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(buffer, format="PNG")
    response = upload_image(admin_client, "noise.png", buffer.getvalue())
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert WagtailImage.objects.count() == 0


def upload_document(admin_client, name: str, content: bytes):
    return admin_client.post("/admin/documents/add/", {"title": name, "file": SimpleUploadedFile(name, content),
                                                       "collection": 1})


@pytest.mark.parametrize(("name", "content"), [
    ("timetable.pdf", RENAMED_EXE),
    ("timetable.pdf", b"<html><script>alert(1)</script></html>"),
    ("notes.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ("sheet.docx", b"PK\x03\x04" + b"\x00" * 60),
])
def test_documents_whose_content_does_not_match_are_refused(admin_client, name, content):
    response = upload_document(admin_client, name, content)
    assert response.status_code == 200
    assert "bad_type" in [error.code for error in response.context["form"].errors.as_data()["file"]]
    assert Document.objects.count() == 0


@pytest.mark.parametrize(("name", "content"), [
    ("timetable.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
    ("课程表.csv", "课程,时间\n书法,周一\n".encode()),
    ("readme.txt", b"Plain words only."),
])
def test_genuine_documents_are_accepted(admin_client, name, content):
    assert upload_document(admin_client, name, content).status_code == 302
    assert Document.objects.count() == 1


def test_document_guard_checks_office_archives():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert validate_document(SimpleUploadedFile("letter.docx", buffer.getvalue())).endswith("document")
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("letter.xlsx", buffer.getvalue()))


# --- private files ---

def test_private_storage_has_no_public_url():
    private = storages["private"]
    name = private.save("proposals/cv.pdf", ContentFile(b"%PDF-1.4 private"))
    with pytest.raises(NoPublicURL):
        private.url(name)
    # Forms and templates that probe for a link show none instead of failing.
    from django import forms
    from django.db import models
    from django.db.models.fields.files import FieldFile

    field_file = FieldFile(None, models.FileField(storage=private), name)
    assert forms.ClearableFileInput().is_initial(field_file) is False


def test_private_root_is_outside_the_public_media_root():
    media = settings.MEDIA_ROOT.resolve()
    private = settings.PRIVATE_MEDIA_ROOT.resolve()
    assert media not in private.parents and private != media


class MediaServingURLConf:
    """What development serves at MEDIA_URL (and what a web server mapping MEDIA_URL to MEDIA_ROOT does)."""

    @property
    def urlpatterns(self):
        from django.views.static import serve

        from cms import urls

        media = re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
        return [media, *urls.urlpatterns]


def test_media_url_cannot_reach_private_files(client):
    private = storages["private"]
    name = private.save("proposals/cv.pdf", ContentFile(b"%PDF-1.4 private"))
    relative = settings.PRIVATE_MEDIA_ROOT.relative_to(settings.MEDIA_ROOT.parent)
    storages["default"].save("public.txt", ContentFile(b"public"))
    with override_settings(ROOT_URLCONF=MediaServingURLConf()):
        assert client.get(f"{settings.MEDIA_URL}public.txt").status_code == 200  # the probe works
        for probe in (f"{settings.MEDIA_URL}{name}",
                      f"{settings.MEDIA_URL}../{relative}/{name}",
                      f"{settings.MEDIA_URL}%2e%2e/{relative}/{name}",
                      f"{settings.MEDIA_URL}..%2f{relative}/{name}"):
            response = client.get(probe)
            assert response.status_code in (400, 404), probe
            assert b"private" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_multiple_upload_view_re_encodes_too(admin_client):
    response = admin_client.post("/admin/images/multiple/add/", {
        "files[]": SimpleUploadedFile("holiday.jpg", jpeg_with_exif_and_payload()), "collection": 1})
    assert response.status_code == 200
    assert response.json()["success"], response.json()
    data = stored_bytes(WagtailImage.objects.get())
    assert SCRIPT not in data and PHP not in data and b"PhoneMaker" not in data


def test_multiple_upload_view_refuses_fakes(admin_client):
    response = admin_client.post("/admin/images/multiple/add/", {
        "files[]": SimpleUploadedFile("photo.png", RENAMED_EXE), "collection": 1})
    assert response.status_code == 200
    assert not response.json()["success"]
    assert WagtailImage.objects.count() == 0
