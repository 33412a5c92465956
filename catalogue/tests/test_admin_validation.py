"""Bad input through the real Wagtail admin: nothing is saved and the editor sees why."""

import datetime
import io

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from catalogue.models import CoursePage, CourseRun, Venue
from tests.factories import AreaFactory, create_course, run_dates

from .admin_forms import add_course_url, course_form_data, edit_page_url

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 3, 1)


def day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def assert_message(response, message: str) -> None:
    """The message appears in the language the admin answered in."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert escape(translation.gettext(message)) in response.content.decode()


def assert_shown(response, messages) -> None:
    """Every error message reaches the page the editor sees."""
    from django.utils.html import escape

    content = response.content.decode()
    assert messages, "expected at least one error"
    for message in messages:
        assert escape(str(message)) in content


def post_new_course(admin_client, institution, **kwargs):
    return admin_client.post(add_course_url(institution), course_form_data(**kwargs))


def test_valid_course_with_run_is_created_and_published(admin_client, institution):
    response = post_new_course(admin_client, institution, title="太极拳入门", slug="tai-chi",
                               runs=[{"start_date": day(0), "end_date": day(30), "enrolment_open": day(-20),
                                      "enrolment_close": day(-1), "capacity": 20}])
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="tai-chi")
    assert course.live and course.provider_id == institution.pk
    assert course.runs.get().capacity == 20


@pytest.mark.parametrize(
    ("run", "field", "message"),
    [
        ({"start_date": day(10), "end_date": day(0)}, "end_date", "A run cannot end before it starts."),
        ({"start_date": day(0), "end_date": day(30), "enrolment_open": day(31)}, "enrolment_open",
         "Enrolment must open before the run ends."),
        ({"start_date": day(0), "end_date": day(30), "enrolment_close": day(40)}, "enrolment_close",
         "Enrolment must close by the day the run ends."),
        ({"start_date": day(0), "end_date": day(30), "enrolment_open": day(-5), "enrolment_close": day(-10)},
         "enrolment_close", "Enrolment cannot close before it opens."),
        ({"start_date": day(0), "end_date": day(30), "capacity": -5}, "capacity", ""),
    ],
    ids=["ends-before-start", "enrolment-opens-after-end", "enrolment-closes-after-end", "enrolment-reversed",
         "negative-capacity"],
)
def test_admin_refuses_bad_run_and_saves_nothing(admin_client, institution, run, field, message):
    response = post_new_course(admin_client, institution, title="坏数据课程", slug="bad-run", runs=[run])
    assert response.status_code == 200
    assert not CoursePage.objects.filter(slug="bad-run").exists()
    assert not CourseRun.objects.exists()
    formset = response.context["form"].formsets["runs"]
    assert field in formset.forms[0].errors
    assert_shown(response, formset.forms[0].errors[field])
    if message:
        assert_message(response, message)


def test_admin_refuses_negative_price(admin_client, institution):
    response = post_new_course(admin_client, institution, title="负价格", slug="negative-price", price="-10")
    assert response.status_code == 200
    assert_shown(response, response.context["form"].errors["price"])
    assert not CoursePage.objects.filter(slug="negative-price").exists()


def test_bad_run_on_edit_keeps_the_live_course_unchanged(admin_client, institution):
    course = create_course(institution, "原来的标题", runs=[run_dates(10)])
    run = course.runs.get()
    data = course_form_data(title="新的标题", slug=course.slug, runs=[])
    # The existing run, edited to end before it starts.
    data.update({"runs-TOTAL_FORMS": "1", "runs-INITIAL_FORMS": "1", "runs-0-id": str(run.pk),
                 "runs-0-start_date": "2030-05-10", "runs-0-end_date": "2030-05-01", "runs-0-ORDER": "1",
                 "runs-0-capacity": "", "runs-0-enrolment_open": "", "runs-0-enrolment_close": "",
                 "runs-0-schedule": "", "runs-0-venue": "", "runs-0-online_url": "", "runs-0-DELETE": ""})
    response = admin_client.post(edit_page_url(course), data)
    assert response.status_code == 200
    assert_message(response, "A run cannot end before it starts.")
    course.refresh_from_db()
    assert course.title == "原来的标题"
    run.refresh_from_db()
    assert run.end_date > run.start_date


@pytest.mark.parametrize(("latitude", "longitude"), [("91", "121.47"), ("-90.5", "121.47"), ("31.2", "181")])
def test_admin_refuses_coordinates_out_of_range(admin_client, latitude, longitude):
    area = AreaFactory()
    response = admin_client.post("/admin/snippets/catalogue/venue/add/", {
        "name": "越界学习点", "address": "人民路1号", "area": area.pk, "latitude": latitude, "longitude": longitude,
        "opening_hours": "", "phone": "", "accessibility_notes": "", "is_open": "on",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert_shown(response, errors.get("latitude", []) + errors.get("longitude", []))
    assert not Venue.objects.filter(name="越界学习点").exists()


def test_admin_refuses_half_a_location(admin_client):
    area = AreaFactory()
    response = admin_client.post("/admin/snippets/catalogue/venue/add/", {
        "name": "半个坐标", "address": "人民路1号", "area": area.pk, "latitude": "31.2", "longitude": "",
        "is_open": "on",
    })
    assert response.status_code == 200
    assert_message(response, "Give both latitude and longitude, or neither.")
    assert not Venue.objects.filter(name="半个坐标").exists()


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#1b6ca8").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(admin_client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return admin_client.post("/admin/images/add/", {
        "title": name, "file": SimpleUploadedFile(name, content, content_type="image/png"), "tags": "",
    })


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_admin_accepts_a_real_image(admin_client, media):
    response = upload(admin_client, "logo.png", png_bytes())
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="logo.png").exists()


def test_admin_refuses_a_non_image_named_png(admin_client, media):
    response = upload(admin_client, "fake.png", b"%PDF-1.4 not an image at all" * 10)
    assert response.status_code == 200
    assert_shown(response, response.context["form"].errors["file"])
    assert not get_image_model().objects.exists()


def test_admin_refuses_an_oversized_image(admin_client, media, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = upload(admin_client, "big.png", png_bytes((400, 400)) + b"\0" * 2048)
    assert response.status_code == 200
    assert_shown(response, response.context["form"].errors["file"])
    assert not get_image_model().objects.exists()
