"""Every signal raises its flag, and goes away when its cause does; flag_outdated is idempotent."""

import datetime

import pytest
from django.utils import timezone

from catalogue.freshness import evaluate_courses
from catalogue.models import CourseFlag, CoursePage, CourseRating, CourseRun, InstitutionPage, LearnerReport, Venue
from tests.factories import UserFactory, VenueFactory, category, create_course, run_dates

from .freshness_helpers import age_course, flag_outdated, fresh_rate_limits, open_reasons  # noqa: F401

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_review_overdue_uses_course_interval_then_category_default(institution):
    overdue = create_course(institution, "过期复核", runs=[run_dates(10)], last_reviewed=days_ago(400))
    long_interval = create_course(institution, "两年复核", runs=[run_dates(10)], last_reviewed=days_ago(400),
                                  review_interval_months=24)
    calligraphy = category("calligraphy")
    calligraphy.review_interval_months = 3
    calligraphy.save()
    by_category = create_course(institution, "分类三个月", runs=[run_dates(10)], categories=[calligraphy],
                                last_reviewed=days_ago(120))
    flag_outdated()
    assert "review_overdue" in open_reasons(overdue)
    assert "review_overdue" not in open_reasons(long_interval)
    assert "review_overdue" in open_reasons(by_category)
    flag = CourseFlag.objects.get(course=overdue, reason="review_overdue")
    assert flag.evidence["interval_months"] == 12 and flag.evidence["last_reviewed"] == days_ago(400).isoformat()


def test_never_reviewed_course_is_due_one_interval_after_first_publication(institution):
    course = create_course(institution, "从未复核", runs=[run_dates(10)])
    flag_outdated()
    assert "review_overdue" not in open_reasons(course)
    age_course(course, 400)
    flag_outdated()
    assert "review_overdue" in open_reasons(course)


def test_no_current_run_after_configured_days(institution, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "days_after_last_run": 60}
    ended_long_ago = create_course(institution, "早已结束", runs=[run_dates(-200, 30)])
    ended_recently = create_course(institution, "刚结束", runs=[run_dates(-40, 30)])
    has_next_run = create_course(institution, "还有下期", runs=[run_dates(-200, 30), run_dates(20)])
    flag_outdated()
    assert "no_current_run" in open_reasons(ended_long_ago)
    assert "no_current_run" not in open_reasons(ended_recently)
    assert "no_current_run" not in open_reasons(has_next_run)
    evidence = CourseFlag.objects.get(course=ended_long_ago, reason="no_current_run").evidence
    assert evidence == {"last_run_ended": days_ago(170).isoformat(), "days": 60}


def test_stale_content_from_revision_dates(institution, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "months_without_revision": 6}
    stale = create_course(institution, "旧内容", runs=[run_dates(10)], last_reviewed=timezone.localdate())
    fresh = create_course(institution, "新内容", runs=[run_dates(10)])
    age_course(stale, 200)
    flag_outdated()
    # Reviewed today, so only the revision age counts against it... and a review resets that clock too.
    assert "stale_content" not in open_reasons(stale)
    CoursePage.objects.filter(pk=stale.pk).update(last_reviewed=days_ago(200))
    flag_outdated()
    assert "stale_content" in open_reasons(stale)
    assert "stale_content" not in open_reasons(fresh)


def test_learner_reports_flag_at_threshold(institution, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "report_count": 2}
    course = create_course(institution, "被举报", runs=[run_dates(10)])
    LearnerReport.objects.create(course=course, user=UserFactory())
    flag_outdated()
    assert "learner_reports" not in open_reasons(course)
    LearnerReport.objects.create(course=course, user=UserFactory())
    flag_outdated()
    assert "learner_reports" in open_reasons(course)
    assert CourseFlag.objects.get(course=course, reason="learner_reports").evidence["reports"] == 2


def test_low_rating_needs_enough_ratings_below_threshold(institution, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "rating_min_count": 3, "rating_threshold": 2.5}
    course = create_course(institution, "评分低", runs=[run_dates(10)])
    liked = create_course(institution, "评分高", runs=[run_dates(10)])
    for score in (1, 2):
        CourseRating.objects.create(course=course, user=UserFactory(), score=score)
    flag_outdated()
    assert "low_rating" not in open_reasons(course)
    CourseRating.objects.create(course=course, user=UserFactory(), score=3)
    for score in (5, 4, 1):
        CourseRating.objects.create(course=liked, user=UserFactory(), score=score)
    flag_outdated()
    assert "low_rating" in open_reasons(course)
    assert CourseFlag.objects.get(course=course, reason="low_rating").evidence == {"average": 2.0, "ratings": 3}
    assert "low_rating" not in open_reasons(liked)


def test_closing_a_venue_flags_its_upcoming_courses_on_save(institution):
    venue = VenueFactory()
    upcoming = create_course(institution, "在此上课", runs=[{**run_dates(10), "venue": venue}])
    past = create_course(institution, "以前在此", runs=[{**run_dates(-100, 10), "venue": venue}, run_dates(30)])
    venue.is_open = False
    venue.save()
    assert "venue_closed" in open_reasons(upcoming)
    assert "venue_closed" not in open_reasons(past)
    upcoming.refresh_from_db()
    assert upcoming.needs_update and upcoming.flagged_since is not None
    venue.is_open = True
    venue.save()
    assert open_reasons(upcoming) == set()
    upcoming.refresh_from_db()
    assert not upcoming.needs_update and upcoming.flagged_since is None


def test_deactivating_an_institution_flags_its_courses_on_publish(institution, other_institution):
    ours = create_course(institution, "本校课程", runs=[run_dates(10)])
    theirs = create_course(other_institution, "外校课程", runs=[run_dates(10)])
    institution.is_active = False
    institution.save_revision().publish()
    assert "institution_inactive" in open_reasons(ours)
    assert open_reasons(theirs) == set()


def test_unpublished_courses_carry_no_flags(institution):
    draft = create_course(institution, "草稿", runs=[run_dates(-300, 10)], publish=False)
    flag_outdated()
    assert open_reasons(draft) == set()


def test_flag_outdated_is_idempotent(institution):
    course = create_course(institution, "过期", runs=[run_dates(-300, 10)], last_reviewed=days_ago(800))
    create_course(institution, "正常", runs=[run_dates(10)])
    age_course(course, 800)
    first = flag_outdated()
    # Publishing already raised review-overdue and no-current-run; the sweep adds not-revised.
    assert "1 flags raised, 0 cleared" in first
    assert open_reasons(course) == {"review_overdue", "no_current_run", "stale_content"}
    flags = list(CourseFlag.objects.values_list("pk", "reason", "raised_at", "evidence", "cleared_at"))
    course.refresh_from_db()
    flagged_since = course.flagged_since
    second = flag_outdated()
    assert "0 flags raised, 0 cleared, 0 courses changed" in second
    assert list(CourseFlag.objects.values_list("pk", "reason", "raised_at", "evidence", "cleared_at")) == flags
    course.refresh_from_db()
    assert course.needs_update and course.flagged_since == flagged_since


def test_flagged_since_is_the_oldest_open_flag(institution):
    course = create_course(institution, "多个原因", runs=[run_dates(10)])
    assert open_reasons(course) == set()
    venue = VenueFactory(is_open=False)
    CourseRun.objects.create(course=course, venue=venue, **run_dates(20))
    earlier = timezone.now() - datetime.timedelta(days=5)
    evaluate_courses([course.pk], now=earlier)
    InstitutionPage.objects.filter(pk=institution.pk).update(is_active=False)
    evaluate_courses([course.pk])
    course.refresh_from_db()
    assert open_reasons(course) == {"venue_closed", "institution_inactive"}
    assert course.flagged_since == earlier
    Venue.objects.filter(pk=venue.pk).update(is_open=True)
    evaluate_courses([course.pk])
    course.refresh_from_db()
    later = CourseFlag.objects.get(course=course, reason="institution_inactive").raised_at
    assert course.needs_update and course.flagged_since == later > earlier


def test_search_is_told_about_changed_courses(institution, monkeypatch):
    import sys
    import types

    told = []
    fake = types.ModuleType("search.indexing")
    fake.update_courses = lambda ids: told.append(list(ids))
    monkeypatch.setitem(sys.modules, "search.indexing", fake)
    course = create_course(institution, "过期", runs=[run_dates(-300, 10)])
    flag_outdated()
    assert told == [[course.pk]]
    flag_outdated()
    assert told == [[course.pk]]
