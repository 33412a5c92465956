"""Elasticsearch mapping and request bodies, asserted exactly (no server needed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from search.backends.base import GeoPoint, SearchError, SearchQuery
from search.backends.elastic import ElasticsearchBackend, course_source
from search.documents import CourseDoc, RunDoc

TODAY = "2026-11-27"
CJK_TEXT = {"analyzer": "cjk_index", "search_analyzer": "cjk_search", "type": "text",
            "fields": {"english": {"analyzer": "english", "type": "text"}}}
CJK_TEXT_RAW = {**CJK_TEXT, "fields": {**CJK_TEXT["fields"], "raw": {"ignore_above": 256, "type": "keyword"}}}
KEYWORD = {"type": "keyword"}


def backend() -> ElasticsearchBackend:
    return ElasticsearchBackend("http://127.0.0.1:9", prefix="learningcity")


def test_course_mapping_is_explicit():
    index = backend().course_index("learningcity-courses-1").to_dict()
    assert index["mappings"] == {"properties": {
        "title": CJK_TEXT_RAW, "summary": CJK_TEXT, "body": CJK_TEXT, "category_names": CJK_TEXT,
        "provider_title": CJK_TEXT_RAW, "url": {"index": False, "type": "keyword"},
        "provider_id": KEYWORD, "level": KEYWORD, "mode": KEYWORD, "price_band": KEYWORD,
        "price": {"scaling_factor": 100, "type": "scaled_float"},
        "categories": KEYWORD, "audiences": KEYWORD, "languages": KEYWORD, "districts": KEYWORD,
        "shown_in": KEYWORD, "needs_update": {"type": "boolean"}, "published_at": {"type": "date"},
        "indexed_at": {"type": "date"},
        "locations": {"type": "geo_point"},
        "runs": {"type": "nested", "properties": {
            "start_date": {"type": "date"}, "end_date": {"type": "date"}, "enrolment_open": {"type": "date"},
            "enrolment_close": {"type": "date"}, "location": {"type": "geo_point"}}},
        "suggest": {"analyzer": "simple", "preserve_separators": False, "type": "completion"},
    }}
    assert index["settings"] == {
        "number_of_shards": 1, "number_of_replicas": 0,
        "analysis": {
            "analyzer": {
                "cjk_index": {"type": "custom", "tokenizer": "standard",
                              "filter": ["cjk_width", "lowercase", "cjk_bigram_unigram", "stop"]},
                "cjk_search": {"type": "custom", "tokenizer": "standard",
                               "filter": ["cjk_width", "lowercase", "cjk_bigram", "stop"]},
            },
            "filter": {"cjk_bigram_unigram": {"type": "cjk_bigram", "output_unigrams": True}},
        },
    }


def test_smartcn_or_ik_analyzer_by_setting(settings):
    settings.SEARCH_ES_ANALYZER = "smartcn"
    mapping = backend().course_index("x").to_dict()["mappings"]["properties"]
    assert mapping["title"]["analyzer"] == "smartcn" and mapping["title"]["search_analyzer"] == "smartcn"
    settings.SEARCH_ES_ANALYZER = "ik"
    mapping = backend().course_index("x").to_dict()["mappings"]["properties"]
    assert (mapping["summary"]["analyzer"], mapping["summary"]["search_analyzer"]) == ("ik_max_word", "ik_smart")


def ongoing() -> dict:
    return {"bool": {"must": [{"range": {"runs.start_date": {"lte": TODAY}}},
                              {"range": {"runs.end_date": {"gte": TODAY}}}]}}


def enrolling() -> dict:
    return {"bool": {
        "must": [{"range": {"runs.start_date": {"gt": TODAY}}}],
        "must_not": [{"range": {"runs.enrolment_open": {"gt": TODAY}}}],
        "should": [{"bool": {"must_not": [{"exists": {"field": "runs.enrolment_close"}}]}},
                   {"range": {"runs.enrolment_close": {"gte": TODAY}}}],
        "minimum_should_match": 1,
    }}


def status_aggs(filter_clause: dict) -> dict:
    not_enrolling = {"bool": {
        "must": [{"range": {"runs.start_date": {"gt": TODAY}}}],
        "should": [
            {"bool": {"must_not": [{"range": {"runs.start_date": {"gt": TODAY}}}]}},
            {"range": {"runs.enrolment_open": {"gt": TODAY}}},
            {"bool": {"must_not": [{"bool": {"must_not": [{"exists": {"field": "runs.enrolment_close"}}]}},
                                   {"range": {"runs.enrolment_close": {"gte": TODAY}}}]}},
        ],
        "minimum_should_match": 1,
    }}
    courses = {"aggs": {"courses": {"reverse_nested": {}}}}
    return {"filter": filter_clause, "aggs": {"runs": {"nested": {"path": "runs"}, "aggs": {
        "upcoming": {**courses, "filter": not_enrolling},
        "enrolling": {**courses, "filter": enrolling()},
        "ongoing": {**courses, "filter": ongoing()},
        "ended": {**courses, "filter": {"range": {"runs.end_date": {"lt": TODAY}}}},
    }}}}


FACET_FIELDS = {"category": "categories", "audience": "audiences", "level": "level", "mode": "mode",
                "language": "languages", "price": "price_band", "district": "districts", "institution": "provider_id"}
HIGHLIGHT = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "fields": {
    "title": {"number_of_fragments": 0},
    "summary": {"fragment_size": 160, "number_of_fragments": 1},
    "body": {"fragment_size": 160, "number_of_fragments": 1}}}
SOURCE = ["title", "url", "summary", "provider_title", "mode", "price", "needs_update", "runs.start_date"]
DEMOTE = [{"filter": {"term": {"needs_update": True}}, "weight": 0.5}]
ALL_FIELDS = ["title^10", "title.english^10", "summary^2", "summary.english^2", "body", "body.english",
              "provider_title^2", "category_names^3"]


def test_one_request_with_post_filter_and_disjunctive_facet_aggregations():
    query = SearchQuery(q="太极 yoga", filters={"mode": ["online"], "status": ["ongoing"]}, hide_outdated=True,
                        page=2, page_size=10, today=datetime.date(2026, 11, 27))
    mode_filter = {"terms": {"mode": ["online"]}}
    status_filter = {"bool": {"should": [{"nested": {"path": "runs", "query": ongoing()}}],
                              "minimum_should_match": 1}}
    aggs = {
        facet: {"filter": {"bool": {"filter": [status_filter] if facet == "mode" else [mode_filter, status_filter]}},
                "aggs": {"values": {"terms": {"field": field, "size": 100}}}}
        for facet, field in FACET_FIELDS.items()
    }
    aggs["status"] = status_aggs({"bool": {"filter": [mode_filter]}})
    assert backend().build_search(query).to_dict() == {
        "query": {"function_score": {"boost_mode": "multiply", "functions": DEMOTE, "query": {"bool": {
            "filter": [{"term": {"needs_update": False}}],
            "must": [
                {"multi_match": {"query": "太极", "type": "best_fields", "operator": "and", "fields": [
                    "title^10", "summary^2", "body", "provider_title^2", "category_names^3"]}},
                {"multi_match": {"query": "yoga", "type": "best_fields", "operator": "and", "fields": ALL_FIELDS}},
            ]}}}},
        "post_filter": {"bool": {"filter": [mode_filter, status_filter]}},
        "aggs": aggs,
        "sort": ["_score", {"title.raw": {"order": "asc"}}],
        "highlight": HIGHLIGHT,
        "_source": SOURCE,
        "from": 10,
        "size": 10,
        "track_total_hits": True,
    }


def test_geo_request_filters_by_radius_and_sorts_by_distance():
    query = SearchQuery(point=GeoPoint(31.23, 121.47), radius_km=3, sort="distance",
                        today=datetime.date(2026, 11, 27))
    body = backend().build_search(query).to_dict()
    assert "post_filter" not in body
    assert body["query"] == {"function_score": {"boost_mode": "multiply", "functions": DEMOTE, "query": {"bool": {
        "must": [{"match_all": {}}],
        "filter": [{"geo_distance": {"distance": "3km", "locations": {"lat": 31.23, "lon": 121.47}}}]}}}}
    assert body["sort"] == [{"_geo_distance": {"locations": {"lat": 31.23, "lon": 121.47}, "order": "asc",
                                               "unit": "km", "mode": "min"}}]
    assert body["aggs"]["category"] == {"filter": {"bool": {}},
                                        "aggs": {"values": {"terms": {"field": "categories", "size": 100}}}}


def test_soonest_start_sort_uses_nested_upcoming_runs():
    body = backend().build_search(SearchQuery(sort="start", today=datetime.date(2026, 11, 27))).to_dict()
    assert body["sort"] == [
        {"runs.start_date": {"order": "asc", "mode": "min", "missing": "_last", "nested": {
            "path": "runs", "filter": {"range": {"runs.start_date": {"gte": TODAY}}}}}},
        {"title.raw": {"order": "asc"}},
    ]


def test_autocomplete_and_more_like_this_bodies():
    es = backend()
    assert es.autocomplete_body("太", 8) == {"_source": ["title", "url"], "suggest": {"courses": {
        "prefix": "太", "completion": {"field": "suggest", "size": 8, "skip_duplicates": True}}}}
    assert es.more_like_this_search(5, 4).to_dict() == {
        "_source": ["title", "url", "summary", "provider_title", "mode", "price", "needs_update"],
        "query": {"function_score": {"boost_mode": "multiply", "functions": DEMOTE, "query": {"more_like_this": {
            "fields": ["title", "summary", "body", "category_names"],
            "like": [{"_id": "5", "_index": "learningcity-courses"}],
            "max_query_terms": 25, "min_doc_freq": 1, "min_term_freq": 1}}}},
        "size": 4,
    }


@pytest.mark.parametrize(
    "call",
    [
        lambda es: es.search(SearchQuery(q="书法")),
        lambda es: es.autocomplete("书"),
        lambda es: es.more_like_this(1),
        lambda es: es.index_documents([CourseDoc(id=1, title="书法", url="/x/")]),
        lambda es: es.delete_documents([1]),
        lambda es: es.indexed_versions(),
        lambda es: es.rebuild(iter([]), total=0),
    ],
)
def test_every_call_to_an_unreachable_server_raises_search_error(call):
    with pytest.raises(SearchError, match="127.0.0.1:9"):
        call(backend())


def test_indexed_source_of_a_course():
    doc = CourseDoc(
        id=7, title="太极拳 Tai chi", url="/courses/a/b/", summary="晨练", categories=["health", "tai-chi"],
        provider_id=3, level_number=2, price=Decimal("0"), areas=["1", "2"], audiences=["seniors"],
        shown_in=["zh-hans", "en"],
        runs=[RunDoc(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), None, datetime.date(2026, 11, 30),
                     31.2, 121.4)],
    )
    source = course_source(doc, indexed_at=datetime.datetime(2026, 11, 27, 8, 0, tzinfo=datetime.UTC))
    assert source == {
        "title": "太极拳 Tai chi", "summary": "晨练", "body": "", "url": "/courses/a/b/", "category_names": [],
        "provider_title": "", "provider_id": "3", "level": "2", "mode": "offline", "price": 0.0, "price_band": "free",
        "categories": ["health", "tai-chi"], "audiences": ["seniors"], "languages": [], "districts": ["1", "2"],
        "shown_in": ["zh-hans", "en"], "needs_update": False, "published_at": None,
        "indexed_at": "2026-11-27T08:00:00+00:00",
        "locations": [{"lat": 31.2, "lon": 121.4}],
        "runs": [{"start_date": "2026-12-01", "end_date": "2026-12-31", "enrolment_open": None,
                  "enrolment_close": "2026-11-30", "location": {"lat": 31.2, "lon": 121.4}}],
        "suggest": {"input": ["太极拳 Tai chi", "太极拳", "Tai", "chi"], "weight": 10},
    }
