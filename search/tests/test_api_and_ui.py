"""The JSON API, the search page and the related-courses tag, through the test client."""

from __future__ import annotations

import logging

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data(corpus):
    return corpus


def test_api_returns_results_facets_and_paging(client):
    response = client.get("/api/v1/courses/", {"q": "太极", "page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2 and body["num_pages"] == 2 and body["page"] == 1
    assert body["results"][0]["title"] == "太极拳晨练"
    assert "<mark>太极</mark>" in body["results"][0]["title_highlighted"]
    expected = {"value": "tai-chi", "label": "— 太极与传统健身", "count": 2, "selected": False}
    assert expected in body["facets"]["category"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"), ({"page": "abc"}, "page"), ({"sort": "price"}, "sort"),
        ({"lat": "91", "lon": "121"}, "lat"), ({"lat": "31.2"}, "lon"), ({"lat": "x", "lon": "y"}, "lat"),
        ({"category": "no-such-category"}, "category"), ({"status": "soon"}, "status"),
        ({"start_from": "2026-13-01"}, "start_from"), ({"sort": "distance"}, "sort"),
        ({"q": "书" * 101}, "q"), ({"radius": "5"}, "radius"),
    ],
)
def test_api_rejects_bad_input_with_a_message(client, params, field):
    response = client.get("/api/v1/courses/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["error"]


def test_autocomplete_endpoint(client):
    response = client.get("/api/v1/autocomplete/", {"q": "太"})
    suggestions = response.json()["suggestions"]
    assert suggestions[0] == {"id": suggestions[0]["id"], "label": "太极与传统健身", "type": "category",
                              "url": "/search/?category=tai-chi", "highlighted": "<mark>太</mark>极与传统健身"}
    assert {s["label"] for s in suggestions if s["type"] == "course"} == {"太极拳晨练", "太极养生"}
    assert client.get("/api/v1/autocomplete/").json() == {"suggestions": []}


def test_search_page_round_trips_filters_and_shows_chips(client):
    response = client.get("/search/", {"q": "太极", "category": "health", "free": "1", "sort": "title"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>太极</mark>养生</a>" in html and "拳晨练" not in html  # the paid course is filtered out
    assert 'name="category" value="health" checked' in html
    assert 'name="price" value="free" checked' in html
    assert '<option value="title" selected>' in html
    # Removing the price chip keeps the other filters.
    assert 'href="?q=%E5%A4%AA%E6%9E%81&amp;category=health&amp;sort=title"' in html
    assert "<mark>太极</mark>" in html


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_sort_labels_follow_the_visitor_language(client, language):
    prefix = "" if language == "zh-hans" else f"/{language}"
    html = client.get(f"{prefix}/search/", {"q": "太极"}).content.decode()
    with translation.override(language):
        expected = translation.gettext("Best match")
    assert f'<option value="relevance" selected>{expected}</option>' in html


def test_search_page_pages_with_all_filters_kept(client):
    response = client.get("/search/", {"mode": "offline", "page_size": 2})
    html = response.content.decode()
    assert 'rel="next" href="?mode=offline&amp;page=2"' in html
    assert client.get("/search/", {"mode": "offline", "page": 2}).status_code == 200


def test_no_results_page_suggests_a_way_out(client):
    html = client.get("/search/", {"q": "太极拳 潜水", "mode": "online"}).content.decode()
    assert "No courses match your search." in html or "没有" in html
    assert 'href="?q=%E5%A4%AA%E6%9E%81%E6%8B%B3"' in html  # search one of the words alone


def test_search_page_shows_bad_input_without_failing(client):
    response = client.get("/search/", {"q": "书法", "page": "zz"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<mark>书法</mark>入门" in html and 'role="alert"' in html


def test_unreachable_elasticsearch_falls_back_with_a_banner(client, settings, caplog):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with caplog.at_level(logging.WARNING, logger="search"):
        response = client.get("/search/", {"q": "书法"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>书法</mark>入门" in html and 'class="banner warning"' in html
    assert "answering from the embedded index" in caplog.text
    api = client.get("/api/v1/courses/", {"q": "书法"}).json()
    assert api["degraded"] is True and api["results"][0]["title"] == "书法入门"
    assert client.get("/api/v1/autocomplete/", {"q": "书"}).status_code == 200


def test_related_courses_tag(data):
    page = data["courses"]["taichi"]
    html = Template("{% load search_tags %}{% related_courses page %}").render(Context({"page": page}))
    assert "太极养生" in html and "太极拳晨练" not in html


def test_near_me_on_the_search_page_and_in_english(client):
    from .conftest import CENTRE

    response = client.get("/en/search/", {"lat": CENTRE[0], "lon": CENTRE[1], "radius": "2", "sort": "distance"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Within 2 km" in html and '<option value="distance" selected>' in html
    assert "0.0 km away" in html  # both courses meet at the venue on the point
    api = client.get("/api/v1/courses/", {"lat": CENTRE[0], "lon": CENTRE[1], "radius": "2"}).json()
    assert api["sort"] == "distance" and api["total"] == 2
    assert all(r["distance_km"] is not None for r in api["results"])
