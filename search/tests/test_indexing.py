"""Signals keep the index current; Elasticsearch outages queue the change instead of losing it."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command

from catalogue.models import CoursePage
from search.backends.base import SearchQuery
from search.backends.embedded import EmbeddedBackend
from search.indexing import update_courses
from search.models import PendingIndexUpdate, SearchDocument
from tests.factories import VenueFactory, create_course, create_institution, run_dates

pytestmark = pytest.mark.django_db


def found(q: str) -> list[str]:
    return [hit.title for hit in EmbeddedBackend().search(SearchQuery(q=q)).hits]


def test_publishing_indexes_and_unpublishing_removes(institution):
    course = create_course(institution, "剪纸艺术", publish=False)
    assert found("剪纸") == []
    course.save_revision().publish()
    assert found("剪纸") == ["剪纸艺术"]
    course.refresh_from_db()
    course.unpublish()
    assert found("剪纸") == []


def test_editing_and_republishing_updates_the_document(institution):
    course = create_course(institution, "剪纸艺术")
    course.title, course.summary = "篆刻艺术", "印章的刻制"
    course.save_revision().publish()
    assert found("剪纸") == [] and found("篆刻") == ["篆刻艺术"]


def test_deleting_a_course_removes_it(institution):
    course = create_course(institution, "剪纸艺术")
    course.delete()
    assert found("剪纸") == []
    assert not SearchDocument.objects.filter(course_id=course.pk).exists()


def test_deleting_an_institution_removes_its_courses(institution):
    course = create_course(institution, "剪纸艺术")
    institution.delete()
    assert found("剪纸") == []
    assert not SearchDocument.objects.filter(course_id=course.pk).exists()


def test_moving_a_course_updates_its_institution_and_url(institution, other_institution):
    course = create_course(institution, "剪纸艺术")
    course.move(other_institution, pos="last-child")
    document = SearchDocument.objects.get(course_id=course.pk)
    assert document.provider_id == other_institution.pk
    assert document.url == CoursePage.objects.get(pk=course.pk).url


def test_run_and_venue_changes_reach_the_index(institution):
    from decimal import Decimal

    from search.backends.base import GeoPoint

    venue = VenueFactory(latitude=Decimal("31.0"), longitude=Decimal("121.0"))
    course = create_course(institution, "剪纸艺术", runs=[{**run_dates(5), "venue": venue}])
    near = SearchQuery(point=GeoPoint(31.0, 121.0), radius_km=1)
    assert EmbeddedBackend().search(near).total == 1
    venue.latitude, venue.longitude = Decimal("30.0"), Decimal("120.0")
    venue.save()
    assert EmbeddedBackend().search(near).total == 0
    course.runs.all().delete()
    assert EmbeddedBackend().search(SearchQuery(filters={"status": ["enrolling"]})).total == 0


def test_update_courses_after_a_bulk_update(institution):
    course = create_course(institution, "剪纸艺术")
    CoursePage.objects.filter(pk=course.pk).update(needs_update=True)
    assert EmbeddedBackend().search(SearchQuery(q="剪纸", hide_outdated=True)).total == 1
    update_courses([course.pk])
    assert EmbeddedBackend().search(SearchQuery(q="剪纸", hide_outdated=True)).total == 0


def test_unreachable_elasticsearch_queues_the_update_and_keeps_the_edit(
        settings, institution, caplog, django_capture_on_commit_callbacks):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with caplog.at_level(logging.WARNING, logger="search"), django_capture_on_commit_callbacks(execute=True):
        course = create_course(institution, "剪纸艺术")
    assert CoursePage.objects.get(pk=course.pk).live
    pending = PendingIndexUpdate.objects.get(course_id=course.pk)
    assert pending.attempts >= 1 and "127.0.0.1:9" in pending.last_error
    assert "queued for retry" in caplog.text
    assert found("剪纸") == ["剪纸艺术"]  # the embedded index (the fallback) has the edit already

    call_command("search_retry")
    assert PendingIndexUpdate.objects.get(course_id=course.pk).attempts > pending.attempts

    settings.SEARCH_BACKEND = "embedded"
    call_command("search_retry")
    assert not PendingIndexUpdate.objects.exists()


def test_reindex_and_status_commands(institution, capsys):
    create_course(institution, "剪纸艺术")
    create_course(create_institution("另一所学校"), "篆刻艺术")
    SearchDocument.objects.all().delete()
    call_command("search_status")
    assert "missing 2" in capsys.readouterr().out
    call_command("search_reindex", "--backend", "embedded", "--no-progress", "--batch-size", "1")
    assert "indexed 2 courses" in capsys.readouterr().out
    call_command("search_status")
    assert "embedded: 2 documents; missing 0, no longer public 0, stale 0" in capsys.readouterr().out
    assert found("篆刻") == ["篆刻艺术"]


def test_search_index_report_is_for_superusers_only(client, superuser, institution):
    from tests.factories import UserFactory, add_member

    PendingIndexUpdate.objects.create(course_id=123, attempts=2, last_error="Connection refused")
    editor = UserFactory(username="editor-search")
    add_member(editor, institution)
    client.force_login(editor)
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    for response in (client.get("/admin/reports/search-index/"), client.post("/admin/reports/search-index/")):
        assert response.status_code == 302 and response.url == "/admin/"
    assert PendingIndexUpdate.objects.filter(course_id=123).exists()  # the refused POST retried nothing
    client.force_login(superuser)
    response = client.get("/admin/reports/search-index/")
    assert response.status_code == 200
    assert "Connection refused" in response.content.decode()
    client.post("/admin/reports/search-index/")
    assert not PendingIndexUpdate.objects.exists()  # embedded backend: nothing remote left to deliver


def test_bitset_view_is_patched_after_edits_exactly_like_a_full_reload(institution, other_institution):
    from search.backends import bitsets

    first = create_course(institution, "剪纸艺术", runs=[run_dates(5)])
    second = create_course(institution, "篆刻艺术", runs=[run_dates(9)])
    EmbeddedBackend().search(SearchQuery())  # builds this process's view
    before = bitsets.get_view()
    third = create_course(other_institution, "茶艺入门", mode="online", runs=[run_dates(2)])
    first.title = "剪纸进阶"
    first.save_revision().publish()
    second.delete()
    patched = bitsets.get_view()
    assert patched.token == before.token and patched.last_change > before.last_change  # patched, not reloaded
    fresh = bitsets.load_view("default", patched.token, patched.last_change)

    def by_id(view, bits):
        return {view.ids[p] for p in bitsets.positions_of(bits, view.size)}

    assert by_id(patched, patched.universe) == by_id(fresh, fresh.universe) == {first.pk, third.pk}
    for facet, values in fresh.bits.items():
        for value, bits in values.items():
            assert by_id(patched, patched.bits[facet][value]) == by_id(fresh, bits), (facet, value)
    for sort in ("title", "newest", "start"):
        assert patched.page(patched.universe, sort, 0, 10) == fresh.page(fresh.universe, sort, 0, 10)
    result = EmbeddedBackend().search(SearchQuery(filters={"mode": ["online"]}))
    assert [hit.title for hit in result.hits] == ["茶艺入门"]


class RecordingBackend:
    """Stands in for a reachable Elasticsearch: records what would be written."""

    name = "elasticsearch"

    def __init__(self):
        self.indexed, self.deleted = [], []

    def index_documents(self, documents):
        self.indexed += [d.id for d in documents]
        return len(documents)

    def delete_documents(self, ids):
        self.deleted += list(ids)


def test_next_successful_write_delivers_the_queue(settings, institution, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    import search.indexing

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with django_capture_on_commit_callbacks(execute=True):
        queued = create_course(institution, "剪纸艺术")
    assert PendingIndexUpdate.objects.filter(course_id=queued.pk).exists()
    gone = PendingIndexUpdate.objects.create(course_id=987654)  # deleted meanwhile
    remote = RecordingBackend()
    monkeypatch.setattr(search.indexing, "get_backend", lambda name=None: remote)
    with django_capture_on_commit_callbacks(execute=True):
        later = create_course(institution, "篆刻艺术")
    assert queued.pk in remote.indexed and later.pk in remote.indexed
    assert gone.course_id in remote.deleted
    assert not PendingIndexUpdate.objects.exists()


def test_reindex_command_reports_an_unreachable_elasticsearch(settings, institution):
    from django.core.management.base import CommandError

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    create_course(institution, "剪纸艺术")
    with pytest.raises(CommandError, match="elasticsearch: Elasticsearch at http://127.0.0.1:9"):
        call_command("search_reindex", "--backend", "elasticsearch", "--no-progress")


def test_visitors_see_the_version_of_a_course_in_their_language(client, institution):
    from wagtail.models import Locale

    from catalogue.models import CatalogueIndexPage

    english_locale = Locale.objects.get(language_code="en")
    create_institution("Community college", parent=CatalogueIndexPage.objects.get(locale=english_locale),
                       translation_key=institution.translation_key)
    course = create_course(institution, "剪纸艺术", summary="剪纸 paper cutting")
    english = course.copy_for_translation(english_locale)
    english.title = "Paper cutting"
    english.save_revision().publish()

    def titles(url, **params):
        return [r["title"] for r in client.get(url, params).json()["results"]]

    assert titles("/api/v1/courses/", q="剪纸") == ["剪纸艺术"]
    assert titles("/api/v1/courses/", q="剪纸", lang="en") == ["Paper cutting"]
    assert titles("/api/v1/courses/", q="剪纸", lang="zh-hant") == ["剪纸艺术"]  # no Traditional version yet
    assert client.get("/api/v1/courses/", {"lang": "xx"}).status_code == 400
    assert "<mark>Paper</mark> cutting" in client.get("/en/search/", {"q": "paper"}).content.decode()
    english.refresh_from_db()
    english.unpublish()
    assert titles("/api/v1/courses/", q="剪纸", lang="en") == ["剪纸艺术"]


def test_status_lists_courses_published_after_their_document(institution, capsys):
    import datetime

    from django.utils import timezone

    course = create_course(institution, "剪纸艺术")
    CoursePage.objects.filter(pk=course.pk).update(last_published_at=timezone.now() + datetime.timedelta(hours=1))
    call_command("search_status")
    out = capsys.readouterr().out
    assert "stale 1" in out and f"stale: {course.pk}" in out
