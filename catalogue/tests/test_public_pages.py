"""The public catalogue: every filter, paging, bad filter values, institution and venue pages, /en/."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Locale

from catalogue.models import Area, CatalogueIndexPage, QualificationLevel
from tests.factories import (
    AreaFactory,
    VenueFactory,
    audience,
    category,
    create_course,
    create_institution,
    language,
    run_dates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    """Three districts; the east one has a street and a community with a venue in it."""
    west, east, north = AreaFactory(name="西区", name_en="West"), AreaFactory(name="东区", name_en="East"), \
        AreaFactory(name="北区", name_en="North")
    street = Area.objects.create(name="东街道", level=Area.Level.STREET, parent=east)
    community = Area.objects.create(name="东社区", level=Area.Level.COMMUNITY, parent=street)
    return {"west": west, "east": east, "north": north, "venue": VenueFactory(name="东社区学习点", area=community)}


@pytest.fixture
def courses(catalogue, city):
    """calligraphy: free, seniors, level 1, offline, Mandarin, upcoming run at the east venue, provider in west.
    english: paid, youth, level 3, online, English, ended run, provider in west.
    ai: free, no runs, provider in north."""
    west_school = create_institution("西区社区学院", slug="west-school", district=city["west"])
    north_uni = create_institution("北区大学", slug="north-uni", district=city["north"],
                                   institution_type="university")
    calligraphy = create_course(
        west_school, "书法入门", slug="calligraphy", categories=[category("calligraphy")],
        audiences=[audience("seniors")], languages=[language("zh-hans")],
        level=QualificationLevel.objects.get(number=1), mode="offline",
        runs=[{**run_dates(10), "venue": city["venue"]}],
    )
    english = create_course(
        west_school, "Travel English", slug="travel-english", categories=[category("english")],
        audiences=[audience("youth")], languages=[language("en")], level=QualificationLevel.objects.get(number=3),
        mode="online", price=Decimal("120"), runs=[run_dates(-90)],
    )
    ai = create_course(north_uni, "AI 人工智能通识", slug="ai", categories=[category("ai")], mode="blended")
    return {"calligraphy": calligraphy, "english": english, "ai": ai, "west": west_school, "north": north_uni}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content.decode()[:500]
    return {course.title for course in response.context["courses"]}


ALL = {"书法入门", "Travel English", "AI 人工智能通识"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("category=calligraphy", {"书法入门"}),
        ("category=culture-arts", {"书法入门"}),  # a parent category includes its descendants
        ("category=languages", {"Travel English"}),
        ("category=calligraphy&category=ai", {"书法入门", "AI 人工智能通识"}),
        ("audience=seniors", {"书法入门"}),
        ("level=3", {"Travel English"}),
        ("mode=online", {"Travel English"}),
        ("mode=online&mode=blended", {"Travel English", "AI 人工智能通识"}),
        ("language=en", {"Travel English"}),
        ("free=on", {"书法入门", "AI 人工智能通识"}),
        ("upcoming=on", {"书法入门"}),
        ("q=书法", {"书法入门"}),
        ("category=digital", {"AI 人工智能通识"}),
        ("free=on&upcoming=on&category=culture-arts&language=zh-hans", {"书法入门"}),
    ],
)
def test_each_filter(client, courses, query, expected):
    assert titles(client.get(f"/courses/?{query}")) == expected


def test_district_filter_matches_venue_area_or_institution_district(client, courses, city):
    # East: only through the venue in one of its communities.
    assert titles(client.get(f"/courses/?district={city['east'].pk}")) == {"书法入门"}
    # West: through the institution's district.
    assert titles(client.get(f"/courses/?district={city['west'].pk}")) == {"书法入门", "Travel English"}
    assert titles(client.get(f"/courses/?district={city['north'].pk}")) == {"AI 人工智能通识"}


def test_institution_filter(client, courses):
    assert titles(client.get(f"/courses/?institution={courses['north'].pk}")) == {"AI 人工智能通识"}


def test_sort_orders(client, courses):
    response = client.get("/courses/?sort=start")
    assert [c.title for c in response.context["courses"]][0] == "书法入门"
    newest = [c.title for c in client.get("/courses/?sort=newest").context["courses"]]
    assert newest[0] == "AI 人工智能通识"
    by_title = [c.title for c in client.get("/courses/?sort=title").context["courses"]]
    assert by_title == sorted(by_title)


def test_paging_keeps_filters_in_links(client, catalogue, courses):
    CatalogueIndexPage.objects.filter(pk=catalogue.pk).update(per_page=5)
    for n in range(11):
        create_course(courses["north"], f"手机课 {n:02d}", slug=f"phone-{n}", categories=[category("smartphone")])
    first = client.get("/courses/?category=digital")
    assert first.context["paginator"].count == 12
    assert len(first.context["courses"]) == 5
    assert "category=digital&amp;page=2" in first.content.decode()
    last = client.get("/courses/?category=digital&page=3")
    assert len(last.context["courses"]) == 2
    # Past the end or nonsense: the nearest real page, never an error.
    assert client.get("/courses/?category=digital&page=99").context["courses"].number == 3
    assert client.get("/courses/?page=abc").context["courses"].number == 1


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("category=no-such-category", "Category"),
        ("level=9", "Level"),
        ("level=abc", "Level"),
        ("mode=underwater", "Mode"),
        ("language=tlh", "Language"),
        ("audience=martians", "Audience"),
        ("district=999999", "District"),
        ("district=abc", "District"),
        ("institution=abc", "Institution"),
        ("sort=price", "Sort by"),
        ("q=" + "长" * 101, "Keywords"),
        ("q=%00", "Keywords"),
    ],
)
def test_invalid_filter_values_answer_400_with_the_message(client, courses, query, label):
    response = client.get(f"/en/courses/?{query}")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Some filters were not understood" in content
    assert label in content
    assert response.context["filter"].errors


def test_district_filter_refuses_a_street(client, courses, city):
    street = Area.objects.get(level=Area.Level.STREET)
    assert client.get(f"/courses/?district={street.pk}").status_code == 400


def test_institution_page_lists_only_its_live_courses(client, courses):
    create_course(courses["west"], "未发布的草稿", slug="draft", publish=False)
    response = client.get(courses["west"].url)
    assert response.status_code == 200
    listed = {c.title for c in response.context["courses"]}
    assert listed == {"书法入门", "Travel English"}


def test_translated_institution_lists_the_same_courses(client, courses):
    english = Locale.objects.get(language_code="en")
    translation = courses["west"].copy_for_translation(english)
    translation.title = "West Community College"
    translation.save_revision().publish()
    response = client.get("/en/courses/west-school/")
    assert response.status_code == 200
    assert "West Community College" in response.content.decode()
    assert {c.title for c in response.context["courses"]} == {"书法入门", "Travel English"}
    listing = client.get("/en/courses/institutions/").content.decode()
    assert "West Community College" in listing and "北区大学" in listing and "西区社区学院" not in listing


def test_institution_list(client, courses):
    content = client.get("/courses/institutions/").content.decode()
    assert "西区社区学院" in content and "北区大学" in content


def test_venue_page_shows_address_accessibility_and_upcoming_runs(client, courses, city):
    venue = city["venue"]
    venue.step_free, venue.hearing_loop = True, True
    venue.save()
    ended = create_course(courses["west"], "已结束课程", slug="ended", runs=[{**run_dates(-100), "venue": venue}])
    response = client.get(f"/en/venues/{venue.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert venue.address in content and "Step-free access" in content and "Hearing loop available" in content
    assert "书法入门" in content and ended.title not in content
    assert "East" in content  # the area chain


def test_missing_venue_is_404(client, db):
    assert client.get("/venues/987654/").status_code == 404


def test_course_page_shows_facts_and_runs(client, courses):
    response = client.get("/en" + courses["english"].url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Travel English" in content and "¥120" in content and "Ended" in content.title()


def test_english_tree(client, courses):
    home = client.get("/en/")
    assert home.status_code == 200 and 'lang="en"' in home.content.decode()
    listing = client.get("/en/courses/")
    assert listing.status_code == 200
    assert "Filter courses" in listing.content.decode()
    assert titles(listing) == ALL
    assert client.get("/zh-hant/courses/").status_code == 200


def test_run_status_is_computed(courses):
    today = timezone.localdate()
    run = courses["calligraphy"].runs.get()
    assert run.status(today) in {"upcoming", "enrolling"}
    assert run.status(run.start_date) == "ongoing"
    assert run.status(run.end_date + datetime.timedelta(days=1)) == "ended"


def test_switching_language_on_an_untranslated_course_keeps_the_page(client, courses):
    course = courses["calligraphy"]
    response = client.post("/i18n/setlang/", {"language": "en", "next": course.url})
    assert response.status_code == 302
    assert response["Location"] == "/en" + course.url
    page = client.get(response["Location"])
    assert page.status_code == 200 and "书法入门" in page.content.decode() and 'lang="en"' in page.content.decode()


def test_language_fallback_still_hides_drafts(client, courses):
    draft = create_course(courses["west"], "草稿课程", slug="draft-course", publish=False)
    assert client.get(f"/en/courses/west-school/{draft.slug}/").status_code == 404
    assert client.get("/en/courses/no-such-institution/").status_code == 404


def test_institution_menu_lists_each_institution_once_in_the_visitors_language(client, courses):
    english = Locale.objects.get(language_code="en")
    translation = courses["west"].copy_for_translation(english)
    translation.title = "West Community College"
    translation.save_revision().publish()
    menu = client.get("/en/courses/").context["filter"].form.fields["institution"].widget.choices
    labels = [label for _value, label in menu]
    assert "West Community College" in labels and "西区社区学院" not in labels and "北区大学" in labels
    # The Chinese page's id still filters, e.g. from a link shared before switching language.
    assert titles(client.get(f"/en/courses/?institution={courses['west'].pk}")) == {"书法入门", "Travel English"}
    assert titles(client.get(f"/courses/?institution={translation.pk}")) == {"书法入门", "Travel English"}


def test_venue_page_leaves_out_draft_and_private_courses(client, courses, city):
    from wagtail.models import PageViewRestriction

    venue = city["venue"]
    create_course(courses["west"], "草稿在此上课", slug="draft-here", publish=False,
                  runs=[{**run_dates(5), "venue": venue}])
    private = create_course(courses["west"], "内部课程在此", slug="private-here",
                            runs=[{**run_dates(5), "venue": venue}])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    content = client.get(f"/venues/{venue.pk}/").content.decode()
    assert "书法入门" in content
    assert "草稿在此上课" not in content and "内部课程在此" not in content
