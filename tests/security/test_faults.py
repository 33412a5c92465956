"""Faults mid-request: the person gets a clear message, nothing is half-saved, reads keep working.

The database error is injected with Django's connection.execute_wrapper, so the real SQLite database
refuses one statement partway through a write; the full disk is a real storage backend whose writes fail
with ENOSPC.
"""

from __future__ import annotations

import errno
import io
from contextlib import contextmanager

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage
from wagtail.models import ModelLogEntry

from catalogue.models import Venue
from tests.factories import AreaFactory, UserFactory, create_course

from .messages import DATABASE_FAILED, DISK_FULL, NOTHING_SAVED, says

pytestmark = pytest.mark.django_db



@contextmanager
def database_fails_on(statement_start: str):
    """Let every query through except the first whose SQL starts with ``statement_start``."""
    failed = []

    def refuse(execute, sql, params, many, context):
        if not failed and sql.lstrip().upper().startswith(statement_start.upper()):
            failed.append(sql)
            raise DatabaseError("disk I/O error (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield failed


class FullDiskStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": f"{__name__}.FullDiskStorage", "OPTIONS": {"location": tmp_path / "media"}}}
    return tmp_path / "media"


def assert_site_still_reads(client, course) -> None:
    for url in ("/", "/courses/", course.url, "/healthz"):
        assert client.get(url).status_code == 200, url


def venue_form(area) -> dict:
    return {"name": "社区学习点", "address": "人民路1号", "area": area.pk, "is_open": "on"}


def test_database_error_mid_write_rolls_back_and_says_so(client, superuser, institution):
    course = create_course(institution, "书法入门")
    area = AreaFactory()
    client.force_login(superuser)
    # The venue row is inserted first; the audit log entry written after it fails.
    with database_fails_on('INSERT INTO "wagtailcore_modellogentry"') as failed:
        response = client.post("/admin/snippets/catalogue/venue/add/", venue_form(area))
    assert failed, "the injected fault did not fire"
    assert response.status_code == 503
    assert response["Retry-After"]
    assert says(response.content.decode(), NOTHING_SAVED)
    assert says(response.content.decode(), DATABASE_FAILED)
    assert not Venue.objects.exists()  # the insert before the failure was rolled back
    assert not ModelLogEntry.objects.filter(content_type__model="venue").exists()
    assert_site_still_reads(client, course)
    # Once the database recovers, the same submission goes through.
    assert client.post("/admin/snippets/catalogue/venue/add/", venue_form(area)).status_code == 302
    assert Venue.objects.count() == 1


def test_database_error_during_sign_in_leaves_nobody_signed_in(client, institution):
    course = create_course(institution, "书法入门")
    UserFactory(username="dora")
    with database_fails_on("UPDATE") as failed:  # last_login is written after the password check
        response = client.post("/accounts/login/", {"username": "dora", "password": "pass-word-123"})
    assert failed
    assert response.status_code == 503
    assert says(response.content.decode(), DATABASE_FAILED)
    assert "_auth_user_id" not in client.session
    assert_site_still_reads(client, course)


def test_api_clients_get_the_message_as_json(client, superuser, institution):
    area = AreaFactory()
    client.force_login(superuser)
    with database_fails_on('INSERT INTO "catalogue_venue"'):
        response = client.post("/admin/snippets/catalogue/venue/add/", venue_form(area),
                               HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert says(response.json()["error"], DATABASE_FAILED)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 160, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_full_disk_on_image_upload(client, superuser, institution, full_disk):
    course = create_course(institution, "书法入门")
    client.force_login(superuser)
    response = client.post("/admin/images/add/", {
        "title": "Poster", "collection": 1, "file": SimpleUploadedFile("poster.png", png_bytes())})
    assert response.status_code == 507
    assert says(response.content.decode(), DISK_FULL)
    assert not WagtailImage.objects.exists()
    assert not any(path.is_file() for path in full_disk.rglob("*")) if full_disk.exists() else True
    assert_site_still_reads(client, course)


def test_full_disk_on_document_upload(client, superuser, institution, full_disk):
    course = create_course(institution, "书法入门")
    client.force_login(superuser)
    response = client.post("/admin/documents/add/", {
        "title": "Timetable", "collection": 1,
        "file": SimpleUploadedFile("timetable.pdf", b"%PDF-1.4\n%%EOF\n")})
    assert response.status_code == 507
    assert not Document.objects.exists()
    assert_site_still_reads(client, course)


def test_other_os_errors_are_not_disguised_as_a_full_disk(client, superuser, settings, tmp_path):
    class BrokenStorage(FileSystemStorage):
        def _save(self, name, content):
            raise OSError(errno.EACCES, "Permission denied")

    globals()["BrokenStorage"] = BrokenStorage
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.BrokenStorage",
                                                          "OPTIONS": {"location": tmp_path}}}
    client.force_login(superuser)
    client.raise_request_exception = True
    with pytest.raises(PermissionError):
        client.post("/admin/images/add/", {"title": "Poster", "collection": 1,
                                            "file": SimpleUploadedFile("poster.png", png_bytes())})
    assert not WagtailImage.objects.exists()
