"""Model rules: run dates and status, venue location, area hierarchy, category tree, review dates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import Area, Category, CourseRun, Venue, add_months
from tests.factories import AreaFactory, category, create_course, run_dates

pytestmark = pytest.mark.django_db

D = datetime.date


def run(**fields) -> CourseRun:
    values = {"start_date": D(2030, 3, 1), "end_date": D(2030, 4, 1)}
    values.update(fields)
    return CourseRun(**values)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"end_date": D(2030, 2, 1)}, "end_date"),
        ({"enrolment_open": D(2030, 4, 2)}, "enrolment_open"),
        ({"enrolment_close": D(2030, 4, 2)}, "enrolment_close"),
        ({"enrolment_open": D(2030, 2, 10), "enrolment_close": D(2030, 2, 1)}, "enrolment_close"),
    ],
)
def test_run_clean_refuses_impossible_dates(fields, error_field):
    with pytest.raises(ValidationError) as error:
        run(**fields).clean()
    assert error_field in error.value.message_dict


def test_run_status_over_time():
    r = run(enrolment_open=D(2030, 2, 1), enrolment_close=D(2030, 2, 25))
    assert r.status(D(2030, 1, 1)) == "upcoming"
    assert r.status(D(2030, 2, 10)) == "enrolling"
    assert r.status(D(2030, 2, 27)) == "upcoming"
    assert r.status(D(2030, 3, 15)) == "ongoing"
    assert r.status(D(2030, 4, 2)) == "ended"


def test_venue_needs_both_coordinates_in_range():
    area = AreaFactory()
    with pytest.raises(ValidationError):
        Venue(name="v", address="a", area=area, latitude=Decimal("31.2")).full_clean()
    with pytest.raises(ValidationError) as error:
        Venue(name="v", address="a", area=area, latitude=Decimal("95"), longitude=Decimal("121")).full_clean()
    assert "latitude" in error.value.message_dict
    Venue(name="v", address="a", area=area, latitude=Decimal("31.2"), longitude=Decimal("121.4")).full_clean()


def test_area_levels_must_nest():
    district = AreaFactory()
    with pytest.raises(ValidationError):
        Area(name="社区", level=Area.Level.COMMUNITY, parent=district).full_clean()
    with pytest.raises(ValidationError):
        Area(name="市", level=Area.Level.CITY, parent=district).full_clean()
    street = Area.objects.create(name="街道", level=Area.Level.STREET, parent=district)
    community = Area.objects.create(name="社区", level=Area.Level.COMMUNITY, parent=street)
    assert community.district() == district
    assert Area.descendant_ids([district.pk]) == {district.pk, street.pk, community.pk}


def test_category_cannot_be_moved_under_its_own_descendant():
    parent = category("culture-arts")
    parent.parent = category("calligraphy")
    with pytest.raises(ValidationError):
        parent.clean()
    assert category("calligraphy").pk in Category.descendant_ids([category("culture-arts").pk])


def test_review_due_uses_course_or_shortest_category_interval(institution):
    course = create_course(institution, "防诈骗", categories=[category("finance"), category("calligraphy")],
                           last_reviewed=D(2030, 1, 31), runs=[run_dates(5)])
    assert course.effective_review_interval() == 6
    assert course.review_due_date() == D(2030, 7, 31)
    course.review_interval_months = 1
    assert course.review_due_date() == D(2030, 2, 28)
    assert add_months(D(2031, 12, 31), 2) == D(2032, 2, 29)


def test_course_provider_follows_its_parent(institution, other_institution):
    course = create_course(institution, "太极")
    assert course.provider_id == institution.pk and course.is_free
    course.move(other_institution, pos="last-child")
    course.refresh_from_db()
    assert course.provider_id == other_institution.pk
