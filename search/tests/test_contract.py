"""One contract for every search backend (see conftest.backend)."""

from __future__ import annotations

import pytest

from search.backends.base import GeoPoint, SearchQuery

from .conftest import CENTRE, days

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def facet(result, name) -> dict[str, int]:
    return {item.value: item.count for item in result.facets[name]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("书", {"书法入门", "读书会"}),
        ("书法", {"书法入门"}),
        ("太极", {"太极拳晨练", "太极养生"}),
        ("手机", {"智能手机使用"}),
        ("太极拳", {"太极拳晨练"}),
        ("人工智能", {"人工智能导论"}),
        ("毛笔 笔画", {"书法入门"}),
    ],
)
def test_chinese_words_of_every_length_match(backend, q, expected):
    assert set(titles(backend.search(SearchQuery(q=q)))) == expected


def test_english_words_match_by_stem(backend):
    assert titles(backend.search(SearchQuery(q="program"))) == ["Python programming for beginners"]
    assert titles(backend.search(SearchQuery(q="Beginners"))) == ["Python programming for beginners"]


def test_query_with_no_match_returns_nothing(backend):
    result = backend.search(SearchQuery(q="潜水"))
    assert result.total == 0 and result.hits == []


def test_title_matches_rank_above_body_matches(backend):
    result = backend.search(SearchQuery(q="太极拳"))
    assert titles(result)[0] == "太极拳晨练"
    result = backend.search(SearchQuery(q="书法"))
    assert titles(result) == ["书法入门"]


def test_flagged_courses_are_demoted_and_can_be_hidden(backend):
    assert titles(backend.search(SearchQuery(q="太极"))) == ["太极拳晨练", "太极养生"]
    assert titles(backend.search(SearchQuery(q="太极", hide_outdated=True))) == ["太极拳晨练"]


def test_category_filter_includes_descendants(backend):
    result = backend.search(SearchQuery(filters={"category": ["digital"]}, sort="title"))
    assert set(titles(result)) == {"智能手机使用", "人工智能导论", "Python programming for beginners"}


def test_facet_counts_ignore_their_own_filter_but_apply_the_others(backend):
    result = backend.search(SearchQuery(filters={"mode": ["online"]}))
    assert result.total == 2
    modes = facet(result, "mode")
    assert modes == {"online": 2, "offline": 4, "blended": 1}
    assert [item.value for item in result.facets["mode"] if item.selected] == ["online"]
    categories = facet(result, "category")
    assert categories["digital"] == 2 and "culture-arts" not in categories
    assert facet(result, "price") == {"free": 1, "paid": 1}


def test_filters_combine_across_facets(backend):
    result = backend.search(SearchQuery(filters={"audience": ["seniors"], "price": ["free"]}))
    assert set(titles(result)) == {"书法入门", "智能手机使用"}
    result = backend.search(SearchQuery(filters={"level": ["6"]}))
    assert titles(result) == ["人工智能导论"]
    result = backend.search(SearchQuery(filters={"language": ["en"]}))
    assert titles(result) == ["Python programming for beginners"]


def test_district_filter_uses_venue_area_or_institution_district(backend, corpus):
    central = str(corpus["central"].pk)
    result = backend.search(SearchQuery(filters={"district": [central]}))
    # Every course of the college (district Huangpu) plus the Python course held at the central venue.
    assert set(titles(result)) == {"书法入门", "太极拳晨练", "读书会", "太极养生", "Python programming for beginners"}
    districts = facet(result, "district")
    assert districts[str(corpus["western"].pk)] == 1


def test_institution_filter(backend, corpus):
    result = backend.search(SearchQuery(filters={"institution": [str(corpus["university"].pk)]}))
    assert set(titles(result)) == {"智能手机使用", "人工智能导论", "Python programming for beginners"}


def test_run_status_and_date_range(backend):
    # A run without enrolment dates takes enrolments until it starts (CourseRun.is_enrolling).
    enrolling = backend.search(SearchQuery(filters={"status": ["enrolling"]}))
    assert set(titles(enrolling)) == {"书法入门", "智能手机使用", "读书会", "太极养生"}
    assert titles(backend.search(SearchQuery(filters={"status": ["upcoming"]}))) == [
        "Python programming for beginners"]
    assert titles(backend.search(SearchQuery(filters={"status": ["ended"]}))) == ["人工智能导论"]
    assert titles(backend.search(SearchQuery(filters={"status": ["ongoing"]}))) == ["太极拳晨练"]
    result = backend.search(SearchQuery(filters={"status": ["ongoing", "ended"]}))
    assert set(titles(result)) == {"太极拳晨练", "人工智能导论"}
    assert facet(result, "status") == {"upcoming": 1, "enrolling": 4, "ongoing": 1, "ended": 1}
    ranged = backend.search(SearchQuery(start_from=days(4), start_to=days(15)))
    assert set(titles(ranged)) == {"书法入门", "读书会"}


def test_sorts(backend):
    by_title = titles(backend.search(SearchQuery(sort="title")))
    assert by_title == sorted(by_title)
    by_start = titles(backend.search(SearchQuery(sort="start")))
    assert by_start[:4] == ["太极养生", "读书会", "书法入门", "智能手机使用"]
    newest = titles(backend.search(SearchQuery(sort="newest")))
    assert newest[0] == "太极养生" and newest[-1] == "书法入门"


def test_paging(backend):
    first = backend.search(SearchQuery(sort="title", page=1, page_size=3))
    second = backend.search(SearchQuery(sort="title", page=2, page_size=3))
    third = backend.search(SearchQuery(sort="title", page=3, page_size=3))
    assert first.total == 7 and first.num_pages == 3
    assert len(first.hits) == 3 and len(second.hits) == 3 and len(third.hits) == 1
    assert not set(titles(first)) & set(titles(second))


def test_highlighting(backend):
    hit = backend.search(SearchQuery(q="书法")).hits[0]
    assert "<mark>书法</mark>" in hit.title_highlighted
    assert "<mark>书法</mark>" in hit.snippet
    english = backend.search(SearchQuery(q="programs")).hits[0]
    assert "<mark>programs</mark>" in english.snippet


def test_autocomplete(backend):
    assert {s["label"] for s in backend.autocomplete("太")} == {"太极拳晨练", "太极养生"}
    assert [s["label"] for s in backend.autocomplete("Pyth")] == ["Python programming for beginners"]
    assert backend.autocomplete("") == []


def test_near_me_filters_by_radius_and_sorts_by_distance(backend):
    point = GeoPoint(*CENTRE)
    near = backend.search(SearchQuery(point=point, radius_km=2, sort="distance"))
    assert set(titles(near)) == {"书法入门", "Python programming for beginners"}
    assert all(hit.distance_km is not None and hit.distance_km < 0.1 for hit in near.hits)
    wide = backend.search(SearchQuery(point=point, radius_km=40, sort="distance"))
    assert titles(wide)[-1] == "太极拳晨练"
    assert 25 < wide.hits[-1].distance_km < 35


def test_more_like_this(backend, corpus):
    related = backend.more_like_this(corpus["courses"]["taichi"].pk)
    assert [hit.title for hit in related][0] == "太极养生"
    assert "太极拳晨练" not in [hit.title for hit in related]


def test_point_without_radius_sorts_by_distance_without_filtering(backend):
    result = backend.search(SearchQuery(point=GeoPoint(*CENTRE), sort="distance"))
    assert result.total == 7
    assert set(titles(result)[:2]) == {"书法入门", "Python programming for beginners"}
    assert titles(result)[2] == "太极拳晨练"  # the only other course with a located venue
