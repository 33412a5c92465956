"""The public site through real HTTP requests: home, learning map, language links, senior mode, calendar files."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cms.geo import Point, distance_km, parse_point
from cms.ics import fold, parse_schedule, run_calendar
from tests.e2e.seed import seed_home_collections, seed_public_catalogue, translate_course
from tests.factories import create_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(site):
    return seed_public_catalogue()


def html(response) -> str:
    return response.content.decode()


# Distances

def test_distance_between_two_known_points():
    shanghai, beijing = Point(31.2304, 121.4737), (39.9042, 116.4074)
    assert 1060 < distance_km(shanghai, *beijing) < 1075
    assert distance_km(shanghai, Decimal("31.2304"), Decimal("121.4737")) == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("lat,lon", [("", "1"), ("abc", "1"), ("91", "0"), ("0", "181"), ("nan", "1")])
def test_bad_coordinates_are_ignored(lat, lon):
    assert parse_point(lat, lon) is None


# Home page

def test_home_shows_featured_collections_as_course_cards(client, data):
    seed_home_collections()
    page = html(client.get("/"))
    assert "快递小哥学院" in page and "快递员职业技能" in page
    assert 'href="/courses/?audience=delivery-workers"' in page
    assert "果树种植技术" in page  # the rural collection comes from the category, including sub-categories
    assert "<!-- OPEN CALLS SLOT" not in page  # the slot is a template comment, never sent to visitors


def test_home_orders_nearby_runs_by_distance_from_district_centroid(client, data):
    response = client.get("/", {"near": data["west"].pk})
    assert response.status_code == 200
    near = response.context["near_runs"]
    assert near and near[0].venue == data["school"]
    assert [r.distance_km for r in near] == sorted(r.distance_km for r in near)


def test_home_nearby_runs_from_browser_coordinates(client, data):
    response = client.get("/", {"lat": "31.2301", "lon": "121.4801"})
    assert response.context["near_runs"][0].venue == data["library"]
    assert response.context["near_runs"][0].distance_km < 0.1


def test_home_with_nonsense_location_still_answers(client, data):
    response = client.get("/", {"near": "x'); drop", "lat": "north"})
    assert response.status_code == 200
    assert response.context["near_runs"] == []


def test_featured_collection_rejects_unknown_slugs():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from cms.blocks import FeaturedCollectionBlock

    block = FeaturedCollectionBlock()
    value = block.to_python({"title": "x", "audience": "no-such-group", "category": "", "courses": [], "limit": 4})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "audience" in error.value.block_errors


# Learning map

def test_learning_map_exists_in_every_language(client, site):
    for url in ("/map/", "/en/map/", "/zh-hant/map/"):
        assert client.get(url).status_code == 200


def test_learning_map_lists_venues_with_distance_and_district_counts(client, data):
    response = client.get("/map/", {"near": data["east"].pk})
    page = html(response)
    venues = list(response.context["venues"])
    assert venues[0] == data["library"] and venues[0].distance_label == "0 米"
    assert venues[1].distance_label == f"{venues[1].distance_km:.1f} 公里"
    assert "0 m" in html(client.get("/en/map/", {"near": data["east"].pk}))
    rows = {row["district"].pk: row for row in response.context["district_rows"]}
    assert rows[data["east"].pk]["venues"] == 1 and rows[data["east"].pk]["courses"] == 6
    assert "data-map-tiles" not in page  # no tile service configured: lists only


def test_learning_map_filters_by_district_and_accessibility(client, data):
    only_east = client.get("/map/", {"district": data["east"].pk}).context["venues"]
    assert list(only_east) == [data["library"]]
    step_free = client.get("/map/", {"step_free": "on"}).context["venues"]
    assert list(step_free) == [data["library"]]
    rural = client.get("/map/", {"category": "rural"}).context["venues"]
    assert {v.pk for v in rural} == {data["library"].pk, data["school"].pk}


def test_learning_map_explains_bad_input(client, data):
    response = client.get("/map/", {"lat": "95", "lon": "121"})
    assert response.status_code == 400
    assert response.context["form"].errors["lat"]
    response = client.get("/map/", {"lat": "31.2"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    wrong_street = client.get("/map/", {"district": data["west"].pk, "street": data["library"].area.pk})
    assert wrong_street.status_code == 400


def test_learning_map_draws_tiles_only_when_configured(client, data):
    from wagtail.models import Site

    from cms.models import PlatformSettings

    settings = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    settings.map_tile_url = "/tiles/{z}/{x}/{y}.png"
    settings.save()
    page = html(client.get("/map/"))
    assert 'data-map-tiles="/tiles/{z}/{x}/{y}.png"' in page
    assert "/static/cms/tilemap.js" in page


# Header: language links and senior mode

def test_language_links_point_to_the_same_page_in_each_language(client, data):
    english = translate_course(data["courses"][0], "en")
    page = html(client.get(data["courses"][0].url))
    assert f'href="{english.url}" lang="en"' in page
    assert 'lang="zh-Hant"' in page and 'href="/zh-hant/"' in page  # no Traditional translation: its home page


def test_language_links_keep_routable_sub_pages(client, data):
    page = html(client.get("/courses/institutions/"))
    assert 'href="/en/courses/institutions/" lang="en"' in page
    assert 'href="/zh-hant/courses/institutions/" lang="zh-Hant"' in page


def test_interface_is_translated(client, site):
    assert "跳到主要内容" in html(client.get("/map/"))
    assert "跳到主要內容" in html(client.get("/zh-hant/map/"))
    assert "Skip to main content" in html(client.get("/en/map/"))


def test_language_links_keep_the_path_and_query_outside_page_tree(client, data):
    page = html(client.get(f"/venues/{data['library'].pk}/?x=1"))
    assert f'href="/en/venues/{data["library"].pk}/?x=1"' in page


def test_senior_mode_toggle_is_remembered_in_a_cookie(client, site):
    response = client.post("/senior-mode/", {"on": "1", "next": "/courses/"})
    assert response.status_code == 302 and response["Location"] == "/courses/"
    page = html(client.get("/courses/"))
    assert '<html lang="zh-Hans" class="senior">' in page
    assert 'aria-pressed="true"' in page
    client.post("/senior-mode/", {"on": "0"})
    assert 'class="senior"' not in html(client.get("/courses/"))


def test_senior_mode_refuses_foreign_redirects(client, site):
    response = client.post("/senior-mode/", {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_every_page_has_skip_link_landmarks_and_labelled_search(client, data):
    page = html(client.get("/"))
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert re.search(r'<label for="site-q"[^>]*>', page) and 'id="site-q"' in page
    assert "https://" not in re.sub(r'href="https?://[^"]*"', "", page.split("<body")[0])  # no CDN in <head>


# Course page extras

def test_course_page_has_calendar_links_share_box_and_slots(client, data):
    course = data["courses"][0]
    page = html(client.get(course.url))
    run = course.runs.first()
    assert f'href="/calendar/runs/{run.pk}.ics"' in page
    assert 'id="share-url"' in page and course.url in page
    assert "入口有坡道" in page  # the venue's accessibility notes


def test_calendar_file_for_a_run(client, data):
    course = data["courses"][1]  # schedule "每周二 9:30–11:00"
    run = course.runs.get()
    response = client.get(f"/calendar/runs/{run.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai" in text and "TZOFFSETTO:+0800" in text
    first_tuesday = run.start_date + datetime.timedelta(days=(1 - run.start_date.weekday()) % 7)
    assert f"DTSTART;TZID=Asia/Shanghai:{first_tuesday:%Y%m%d}T093000" in text
    assert f"DTEND;TZID=Asia/Shanghai:{first_tuesday:%Y%m%d}T110000" in text
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=" in text
    assert f"LOCATION:{data['school'].name}\\, {data['school'].address}" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_calendar_file_without_times_is_an_all_day_event(client, data):
    course = create_course(data["college"], "讲座", runs=[{
        "start_date": datetime.date(2027, 3, 1), "end_date": datetime.date(2027, 3, 2), "schedule": "待定",
    }])
    text = client.get(f"/calendar/runs/{course.runs.get().pk}.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20270301" in text and "DTEND;VALUE=DATE:20270303" in text
    assert "VTIMEZONE" not in text


def test_calendar_file_of_unpublished_course_is_not_found(client, data):
    draft = create_course(data["college"], "草稿课程", publish=False, runs=[{
        "start_date": datetime.date(2027, 3, 1), "end_date": datetime.date(2027, 3, 2)}])
    assert client.get(f"/calendar/runs/{draft.runs.get().pk}.ics").status_code == 404
    assert client.get("/calendar/runs/999999.ics").status_code == 404


@pytest.mark.parametrize("schedule,expected", [
    ("Tuesdays 14:00-16:00", ("14:00", "16:00", ("TU",))),
    ("每周一、周三 19:00～20:30", ("19:00", "20:30", ("MO", "WE"))),
    ("9:30 to 11:00", ("09:30", "11:00", ())),
    ("11:00-9:00", None),
    ("", None),
])
def test_schedule_parsing(schedule, expected):
    session = parse_schedule(schedule)
    if expected is None:
        assert session is None
    else:
        assert (f"{session.start:%H:%M}", f"{session.end:%H:%M}", session.weekdays) == expected


def test_long_lines_fold_without_breaking_characters():
    line = "SUMMARY:" + "终身学习" * 30
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_text_is_escaped(data):
    run = data["courses"][0].runs.get()
    run.course.title = "A; B, C\\D"
    text = run_calendar(run, "https://x/", "x", now=timezone.now())
    assert "SUMMARY:A\\; B\\, C\\\\D" in text


# Image alt text

def test_image_upload_requires_alt_text(client, superuser):
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "blue.png"
    client.force_login(superuser)
    response = client.post("/admin/images/add/", {"title": "Blue", "file": buffer, "description": ""})
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    from wagtail.images.models import Image

    assert not Image.objects.exists()
    buffer.seek(0)
    response = client.post("/admin/images/add/", {"title": "Blue", "file": buffer, "description": "A blue square"})
    assert response.status_code == 302
    assert Image.objects.get().description == "A blue square"


def test_editors_can_edit_home_collections_and_learning_map(client, superuser, site):
    from cms.models import LearningMapPage

    client.force_login(superuser)
    learning_map = LearningMapPage.objects.get(locale=site.locale)
    assert client.get(f"/admin/pages/{site.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{learning_map.pk}/edit/").status_code == 200
    # Only one learning map per home page.
    assert not LearningMapPage.can_create_at(site)
