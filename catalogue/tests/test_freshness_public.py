"""Learners: "this information is out of date" reports, ratings, and the notice on long-flagged courses."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from catalogue.models import CoursePage, CourseRating, LearnerReport
from tests.factories import UserFactory, create_course, run_dates

from .freshness_helpers import fresh_rate_limits, open_reasons  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(institution):
    return create_course(institution, "太极入门", runs=[run_dates(10)])


def report_url(course) -> str:
    return f"/freshness/courses/{course.pk}/report/"


def rate_url(course) -> str:
    return f"/freshness/courses/{course.pk}/rate/"


def test_course_page_offers_report_and_rating_to_signed_in_learners(client, course):
    html = client.get(course.url).content.decode()
    assert report_url(course) not in html and "/accounts/login/" in html
    client.force_login(UserFactory())
    html = client.get(course.url).content.decode()
    assert report_url(course) in html and rate_url(course) in html


def test_report_requires_sign_in_and_csrf(course):
    anonymous = Client()
    response = anonymous.post(report_url(course), {"note": "时间变了"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(report_url(course), {"note": "时间变了"}).status_code == 403
    assert not LearnerReport.objects.exists()


def test_report_is_recorded_once_per_person(client, course):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(report_url(course), {"note": "上课地点变了"})
    assert response.status_code == 302 and response["Location"].endswith("#freshness")
    again = client.post(report_url(course), {"note": "再说一次"}, follow=True)
    assert "already reported" in again.content.decode() or "已经" in again.content.decode()
    assert LearnerReport.objects.filter(course=course, user=learner).count() == 1
    assert LearnerReport.objects.get().note == "上课地点变了"


def test_reports_from_enough_people_flag_the_course(course, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "report_count": 2}
    for _ in range(2):
        learner_client = Client()
        learner_client.force_login(UserFactory())
        learner_client.post(report_url(course), {"note": ""})
    assert "learner_reports" in open_reasons(course)


def test_reports_are_rate_limited_with_a_message(client, institution, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "report_rate": "2/m"}
    courses = [create_course(institution, f"课程{n}", runs=[run_dates(10)]) for n in range(3)]
    client.force_login(UserFactory())
    assert client.post(report_url(courses[0])).status_code == 302
    assert client.post(report_url(courses[1])).status_code == 302
    limited = client.post(report_url(courses[2]))
    assert limited.status_code == 429
    assert "Too many requests" in limited.content.decode() or "请" in limited.content.decode()
    assert LearnerReport.objects.count() == 2


def test_overlong_note_is_refused_and_kept_in_the_form(client, course):
    client.force_login(UserFactory())
    note = "长" * 1001
    response = client.post(report_url(course), {"note": note})
    assert response.status_code == 400
    assert note in response.content.decode()
    assert not LearnerReport.objects.exists()


def test_report_on_unpublished_course_is_not_found(client, institution):
    draft = create_course(institution, "未发布", publish=False)
    client.force_login(UserFactory())
    assert client.post(report_url(draft)).status_code == 404


def test_rating_one_per_person_updated_in_place(client, course):
    learner = UserFactory()
    client.force_login(learner)
    assert client.post(rate_url(course), {"score": "2"}).status_code == 302
    assert client.post(rate_url(course), {"score": "4"}).status_code == 302
    assert list(CourseRating.objects.values_list("user_id", "score")) == [(learner.pk, 4)]


def test_rating_out_of_range_is_refused(client, course):
    client.force_login(UserFactory())
    for bad in ("0", "6", "abc", ""):
        assert client.post(rate_url(course), {"score": bad}).status_code == 400
    assert not CourseRating.objects.exists()


def test_low_ratings_flag_the_course(course, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "rating_min_count": 2, "rating_threshold": 2}
    for score in ("1", "2"):
        rater = Client()
        rater.force_login(UserFactory())
        rater.post(rate_url(course), {"score": score})
    assert "low_rating" in open_reasons(course)


def test_notice_shown_only_after_configured_time(client, institution, settings):
    settings.FRESHNESS = {**settings.FRESHNESS, "notice_after_days": 30}
    course = create_course(institution, "久未更新", runs=[run_dates(-300, 10)])
    assert "no_current_run" in open_reasons(course)
    notice = 'class="notice notice-outdated"'
    assert notice not in client.get(course.url).content.decode()
    CoursePage.objects.filter(pk=course.pk).update(flagged_since=timezone.now() - datetime.timedelta(days=31))
    assert notice in client.get(course.url).content.decode()
