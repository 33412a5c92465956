"""Editors: dashboard panel and report scoped by page permissions, edit-page warning, mark reviewed, publish."""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import timezone, translation
from django.utils.translation import gettext

from catalogue.freshness import evaluate_courses
from catalogue.freshness_models import FlagReason
from catalogue.models import CourseFlag, CoursePage, CourseReview, LearnerReport
from tests.factories import UserFactory, add_member, create_course, run_dates

from .freshness_helpers import age_course, fresh_rate_limits, open_reasons  # noqa: F401

pytestmark = pytest.mark.django_db


def in_site_language(message) -> str:
    """The text as the admin shows it: pages render in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


@pytest.fixture
def flagged(institution, other_institution):
    ours = create_course(institution, "本校过期课程", runs=[run_dates(-300, 10)])
    theirs = create_course(other_institution, "外校过期课程", runs=[run_dates(-300, 10)])
    fine = create_course(institution, "本校正常课程", runs=[run_dates(10)])
    return ours, theirs, fine


@pytest.fixture
def editor(institution):
    user = UserFactory(username="editor-a")
    add_member(user, institution)
    return user


def test_dashboard_panel_lists_only_courses_the_editor_may_edit(client, flagged, editor):
    ours, theirs, fine = flagged
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert in_site_language(gettext("Needs updating")) in html
    assert ours.title in html
    assert theirs.title not in html and fine.title not in html


def test_dashboard_panel_orders_most_urgent_first(client, institution, superuser):
    from tests.factories import VenueFactory

    mild = create_course(institution, "轻微问题", runs=[run_dates(-300, 10)])
    venue = VenueFactory(is_open=False)
    urgent = create_course(institution, "场地关闭", runs=[{**run_dates(10), "venue": venue}])
    assert open_reasons(urgent) == {"venue_closed"}
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert html.index(urgent.title) < html.index(mild.title)


def test_report_is_scoped_and_filterable(client, flagged, editor, institution):
    ours, theirs, fine = flagged
    client.force_login(editor)
    response = client.get("/admin/freshness/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ours.title in html and theirs.title not in html and fine.title not in html
    html = client.get("/admin/freshness/report/", {"reason": "broken_link"}).content.decode()
    assert ours.title not in html
    html = client.get("/admin/freshness/report/", {"reason": "no_current_run"}).content.decode()
    assert ours.title in html
    html = client.get("/admin/freshness/report/", {"age": "30"}).content.decode()
    assert ours.title not in html  # flagged just now


def test_report_exports_csv_and_xlsx(client, flagged, superuser):
    ours, theirs, _ = flagged
    client.force_login(superuser)
    response = client.get("/admin/freshness/report/", {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    titles = {row[0] for row in rows[1:]}
    assert titles == {ours.title, theirs.title}
    assert any(in_site_language(FlagReason.NO_CURRENT_RUN.label) in cell for row in rows[1:] for cell in row)
    response = client.get("/admin/freshness/report/", {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_report_refused_to_users_without_page_permissions(client, flagged):
    outsider = UserFactory(username="no-pages")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get("/admin/freshness/report/")
    assert response.status_code in (302, 403)
    assert flagged[0].title not in response.content.decode()
    assert in_site_language(gettext("Needs updating")) not in client.get("/admin/").content.decode()


def test_edit_page_shows_reasons_and_review_button(client, flagged, editor):
    ours = flagged[0]
    client.force_login(editor)
    html = client.get(f"/admin/pages/{ours.pk}/edit/").content.decode()
    assert in_site_language(FlagReason.NO_CURRENT_RUN.label) in html
    assert f"/admin/freshness/courses/{ours.pk}/review/" in html


def test_mark_as_reviewed_records_review_and_clears_time_based_flags(client, institution, editor):
    course = create_course(institution, "需要复核", runs=[run_dates(-300, 10)])
    age_course(course, 900)
    LearnerReport.objects.create(course=course, user=UserFactory(), note="地址搬迁了")
    from catalogue.models import LinkStatus

    LinkStatus.objects.create(url="https://dead.example/", is_broken=True, status_code=404)
    from catalogue.models import CourseLink

    CourseLink.objects.create(course=course, url="https://dead.example/")
    from django.test import override_settings

    with override_settings(FRESHNESS={"report_count": 1}):
        evaluate_courses([course.pk])
        assert open_reasons(course) == {"review_overdue", "no_current_run", "stale_content", "learner_reports",
                                        "broken_link"}
        client.force_login(editor)
        confirm = client.get(f"/admin/freshness/courses/{course.pk}/review/")
        assert confirm.status_code == 200 and "地址搬迁了" in confirm.content.decode()
        response = client.post(f"/admin/freshness/courses/{course.pk}/review/", {"note": "日期已核对"})
    assert response.status_code == 302
    review = CourseReview.objects.get(course=course)
    assert review.reviewer == editor and review.note == "日期已核对"
    from wagtail.models import PageLogEntry

    assert PageLogEntry.objects.filter(page=course, action="catalogue.course_reviewed", user=editor).exists()
    assert open_reasons(course) == {"broken_link"}
    cleared = CourseFlag.objects.filter(course=course, cleared_at__isnull=False)
    assert {f.cleared_by_id for f in cleared} == {editor.pk}
    assert {f.cleared_because for f in cleared} == {"reviewed"}
    course.refresh_from_db()
    assert course.last_reviewed == timezone.localdate()
    # Running the sweep again does not bring the reviewed flags back.
    evaluate_courses([course.pk])
    assert open_reasons(course) == {"broken_link"}


def test_mark_as_reviewed_refused_for_other_institutions_course(client, flagged, editor):
    theirs = flagged[1]
    client.force_login(editor)
    # Wagtail answers a refused admin view by sending the user back to the dashboard.
    for response in (client.get(f"/admin/freshness/courses/{theirs.pk}/review/"),
                     client.post(f"/admin/freshness/courses/{theirs.pk}/review/", {"note": "x"})):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] == "/admin/"
    assert not CourseReview.objects.exists()
    assert "no_current_run" in open_reasons(theirs)


def test_mark_as_reviewed_rejects_overlong_note(client, flagged, editor):
    ours = flagged[0]
    client.force_login(editor)
    response = client.post(f"/admin/freshness/courses/{ours.pk}/review/", {"note": "x" * 2001})
    assert response.status_code == 400
    assert not CourseReview.objects.exists()


def test_publishing_a_new_revision_clears_content_flags(institution, editor, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "report_count": 1}
    course = create_course(institution, "内容陈旧", runs=[run_dates(10)], last_reviewed=None)
    age_course(course, 900)
    LearnerReport.objects.create(course=course, user=UserFactory())
    evaluate_courses([course.pk])
    assert {"stale_content", "learner_reports", "review_overdue"} <= open_reasons(course)
    page = CoursePage.objects.get(pk=course.pk)
    page.summary = "更新后的简介"
    page.save_revision(user=editor).publish(user=editor)
    reasons = open_reasons(course)
    assert "stale_content" not in reasons and "learner_reports" not in reasons
    flag = CourseFlag.objects.get(course=course, reason="stale_content")
    assert flag.cleared_because == "published" and flag.cleared_by == editor
    assert LearnerReport.objects.get(course=course).resolved_at is not None


def test_publishing_an_older_draft_keeps_the_flag_state(institution, editor):
    from catalogue.models import InstitutionPage

    course = create_course(institution, "旧草稿", runs=[run_dates(10)])
    draft = CoursePage.objects.get(pk=course.pk)
    draft.summary = "草稿里的简介"
    revision = draft.save_revision(user=editor)  # saved while the course was not flagged
    InstitutionPage.objects.filter(pk=institution.pk).update(is_active=False)
    evaluate_courses([course.pk])
    course.refresh_from_db()
    flagged_since = course.flagged_since
    assert course.needs_update and flagged_since
    revision.publish(user=editor)
    course.refresh_from_db()
    assert open_reasons(course) == {"institution_inactive"}
    assert course.needs_update and course.flagged_since == flagged_since
