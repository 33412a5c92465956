"""Elasticsearch 8 backend (elasticsearch-dsl).

* Mappings are explicit: Chinese text is analysed with bigrams plus unigrams at index time and bigrams
  at query time (the built-in ``cjk`` behaviour, extended so one-character words match), or with
  ``smartcn``/IK when ``SEARCH_ES_ANALYZER`` says so; every text field has an ``english`` subfield
  for stemming and keyword subfields for sorting.
* ``<prefix>-courses`` is an alias; a full rebuild fills a new timestamped index and swaps the alias
  in one ``update_aliases`` call, so searches never see a half-built index.
* One request returns hits and facets: facet filters go to ``post_filter`` and each facet's
  aggregation is wrapped in a filter with every other facet's filter (disjunctive facets).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import scan, streaming_bulk
from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    GeoPoint,
    Index,
    InnerDoc,
    Keyword,
    Nested,
    Q,
    ScaledFloat,
    Search,
    Text,
    analyzer,
    token_filter,
)

from ..documents import CourseDoc
from ..labels import facet_labels
from ..text import highlight, query_terms, snippet
from .base import STORED_FACETS, Hit, SearchBackend, SearchError, SearchQuery, SearchResult

logger = logging.getLogger("search")

OUTDATED_WEIGHT = 0.5
FACET_SIZE = 100
FIELDS = {  # facet -> document field
    "category": "categories", "audience": "audiences", "language": "languages", "level": "level",
    "mode": "mode", "price": "price_band", "district": "districts", "institution": "provider_id",
}
TEXT_FIELDS = ["title^10", "title.english^10", "summary^2", "summary.english^2", "body", "body.english",
               "provider_title^2", "category_names^3"]

cjk_bigram_unigram = token_filter("cjk_bigram_unigram", "cjk_bigram", output_unigrams=True)
cjk_index = analyzer(
    "cjk_index", tokenizer="standard", filter=["cjk_width", "lowercase", cjk_bigram_unigram, "stop"]
)
cjk_search = analyzer("cjk_search", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram", "stop"])


def chinese_analyzers() -> tuple[Any, Any]:
    """(index analyzer, search analyzer) chosen by SEARCH_ES_ANALYZER: cjk (built in), smartcn, ik."""
    choice = getattr(settings, "SEARCH_ES_ANALYZER", "cjk")
    if choice == "smartcn":
        return "smartcn", "smartcn"
    if choice == "ik":
        return "ik_max_word", "ik_smart"
    return cjk_index, cjk_search


def chinese_text(**kwargs) -> Text:
    index_analyzer, search_analyzer = chinese_analyzers()
    return Text(analyzer=index_analyzer, search_analyzer=search_analyzer,
                fields={"english": Text(analyzer="english"), **kwargs.pop("fields", {})}, **kwargs)


class RunInner(InnerDoc):
    start_date = Date()
    end_date = Date()
    enrolment_open = Date()
    enrolment_close = Date()
    location = GeoPoint()


def course_document_class() -> type[Document]:
    """Built at call time so the analyzer setting is read when the mapping is made."""

    class CourseIndexDoc(Document):
        title = chinese_text(fields={"raw": Keyword(ignore_above=256)})
        summary = chinese_text()
        body = chinese_text()
        category_names = chinese_text()
        provider_title = chinese_text(fields={"raw": Keyword(ignore_above=256)})
        url = Keyword(index=False)
        provider_id = Keyword()
        level = Keyword()
        mode = Keyword()
        price = ScaledFloat(scaling_factor=100)
        price_band = Keyword()
        categories = Keyword()
        audiences = Keyword()
        languages = Keyword()
        districts = Keyword()
        shown_in = Keyword()
        needs_update = Boolean()
        published_at = Date()
        indexed_at = Date()
        locations = GeoPoint()
        runs = Nested(RunInner)
        suggest = Completion(analyzer="simple", preserve_separators=False)

    return CourseIndexDoc


def institution_document_class() -> type[Document]:
    class InstitutionIndexDoc(Document):
        title = chinese_text(fields={"raw": Keyword(ignore_above=256)})
        description = chinese_text()
        districts = Keyword()
        url = Keyword(index=False)
        suggest = Completion(analyzer="simple", preserve_separators=False)

    return InstitutionIndexDoc


def course_source(doc: CourseDoc, indexed_at: datetime.datetime | None = None) -> dict[str, Any]:
    """The indexed JSON of one course."""
    return {
        "title": doc.title, "summary": doc.summary, "body": doc.body_text, "url": doc.url,
        "category_names": doc.category_names, "provider_title": doc.provider_title,
        "provider_id": str(doc.provider_id) if doc.provider_id else None,
        "level": str(doc.level_number) if doc.level_number else None, "mode": doc.mode,
        "price": float(doc.price), "price_band": "free" if doc.is_free else "paid",
        "categories": doc.categories, "audiences": doc.audiences, "languages": doc.languages,
        "districts": doc.areas, "shown_in": doc.shown_in, "needs_update": doc.needs_update,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "indexed_at": (indexed_at or timezone.now()).isoformat(),
        "locations": [{"lat": r.latitude, "lon": r.longitude} for r in doc.runs if r.latitude is not None],
        "runs": [
            {"start_date": r.start_date.isoformat(), "end_date": r.end_date.isoformat(),
             "enrolment_open": r.enrolment_open.isoformat() if r.enrolment_open else None,
             "enrolment_close": r.enrolment_close.isoformat() if r.enrolment_close else None,
             "location": {"lat": r.latitude, "lon": r.longitude} if r.latitude is not None else None}
            for r in doc.runs
        ],
        "suggest": {"input": [doc.title, *doc.title.split()][:10], "weight": 1 if doc.needs_update else 10},
    }


def status_query(status: str, today: datetime.date) -> Q:
    """Courses with at least one run in the given state (mirrors CourseRun.status())."""
    return Q("nested", path="runs", query=run_status_condition(status, today))


def run_status_condition(status: str, today: datetime.date) -> Q:
    day = today.isoformat()
    if status == "ended":
        return Q("range", runs__end_date={"lt": day})
    if status == "ongoing":
        return Q("range", runs__start_date={"lte": day}) & Q("range", runs__end_date={"gte": day})
    enrolling = (
        Q("range", runs__start_date={"gt": day})
        & ~Q("range", runs__enrolment_open={"gt": day})
        & (Q("range", runs__enrolment_close={"gte": day})
           | (~Q("exists", field="runs.enrolment_close")))
    )
    if status == "enrolling":
        return enrolling
    return Q("range", runs__start_date={"gt": day}) & ~enrolling


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str = "learningcity", client: Elasticsearch | None = None) -> None:
        self.url = url
        self.prefix = prefix
        self.client = client or Elasticsearch(url, request_timeout=3, max_retries=0, retry_on_timeout=False)
        self.course_alias = f"{prefix}-courses"
        self.institution_alias = f"{prefix}-institutions"

    @classmethod
    def from_settings(cls) -> ElasticsearchBackend:
        return cls(url=settings.ELASTICSEARCH_URL, prefix=getattr(settings, "SEARCH_INDEX_PREFIX", "learningcity"))

    # ---- mappings and index management --------------------------------------------------------------------

    def course_index(self, name: str) -> Index:
        index = Index(name)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.document(course_document_class())
        return index

    def institution_index(self, name: str) -> Index:
        index = Index(name)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.document(institution_document_class())
        return index

    def call(self, function, *args, **kwargs):
        """Run a client call, turning every transport or API failure into SearchError."""
        try:
            return function(*args, **kwargs)
        except (TransportError, ApiError) as error:
            raise SearchError(f"Elasticsearch at {self.url}: {error}") from error

    def rebuild(self, documents_iter, total: int, progress=None, batch_size: int = 1000) -> int:
        stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
        new_name = f"{self.course_alias}-{stamp}"
        self.call(self.course_index(new_name).create, using=self.client)
        count = self.bulk(new_name, ({"_op_type": "index", "_id": d.id, "_source": course_source(d)}
                                     for d in documents_iter), progress, batch_size)
        self.call(self.client.indices.refresh, index=new_name)
        self.swap_alias(self.course_alias, new_name)
        self.rebuild_institutions(stamp)
        return count

    def rebuild_institutions(self, stamp: str) -> None:
        from catalogue.models import InstitutionPage

        from ..documents import UrlBuilder
        from ..text import strip_tags

        name = f"{self.institution_alias}-{stamp}"
        self.call(self.institution_index(name).create, using=self.client)
        urls = UrlBuilder()
        rows = InstitutionPage.objects.live().public().values_list(
            "pk", "title", "description", "district_id", "url_path", "locale__language_code")
        self.bulk(name, ({"_op_type": "index", "_id": pk, "_source": {
            "title": title, "description": strip_tags(description), "url": urls.url(path, lang),
            "districts": [str(district)] if district else [], "suggest": {"input": [title]}}}
            for pk, title, description, district, path, lang in rows.iterator()), None, 500)
        self.call(self.client.indices.refresh, index=name)
        self.swap_alias(self.institution_alias, name)

    def swap_alias(self, alias: str, new_index: str) -> None:
        """Point ``alias`` at ``new_index`` in one atomic request, then drop the old indices."""
        old = []
        if self.call(self.client.indices.exists_alias, name=alias):
            old = list(self.call(self.client.indices.get_alias, name=alias).keys())
        actions = [{"remove": {"index": name, "alias": alias}} for name in old]
        actions.append({"add": {"index": new_index, "alias": alias}})
        self.call(self.client.indices.update_aliases, actions=actions)
        for name in old:
            self.call(self.client.indices.delete, index=name, ignore_unavailable=True)

    def ensure_index(self) -> None:
        if not self.call(self.client.indices.exists_alias, name=self.course_alias):
            stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
            name = f"{self.course_alias}-{stamp}"
            self.call(self.course_index(name).create, using=self.client)
            self.swap_alias(self.course_alias, name)

    def bulk(self, index: str, actions, progress=None, batch_size: int = 500) -> int:
        count, errors = 0, []

        def with_index(items):
            for action in items:
                yield {**action, "_index": index}

        try:
            for ok, item in streaming_bulk(self.client, with_index(actions), chunk_size=batch_size,
                                           raise_on_error=False, raise_on_exception=True, max_retries=0):
                info = next(iter(item.values()))
                if ok or (info.get("status") == 404 and "delete" in item):
                    count += 1
                else:
                    errors.append(info)
                if progress and count % batch_size == 0:
                    progress(batch_size)
        except (TransportError, ApiError) as error:
            raise SearchError(f"Elasticsearch at {self.url}: {error}") from error
        if errors:
            raise SearchError(f"{len(errors)} documents were refused by Elasticsearch, e.g. {errors[0]}")
        return count

    def index_documents(self, documents: list[CourseDoc]) -> int:
        if not documents:
            return 0
        self.ensure_index()
        now = timezone.now()
        return self.bulk(self.course_alias, ({"_op_type": "index", "_id": d.id, "_source": course_source(d, now)}
                                             for d in documents))

    def delete_documents(self, course_ids: list[int]) -> None:
        if course_ids:
            self.ensure_index()
            self.bulk(self.course_alias, ({"_op_type": "delete", "_id": pk} for pk in course_ids))

    def refresh(self) -> None:
        self.call(self.client.indices.refresh, index=self.course_alias)

    def drop_all(self) -> None:
        """Delete every index of this prefix by name (Elasticsearch 8 refuses wildcard deletes by default)."""
        names = list(self.call(self.client.indices.get, index=f"{self.prefix}-*", ignore_unavailable=True).keys())
        if names:
            self.call(self.client.indices.delete, index=",".join(names), ignore_unavailable=True)

    def indexed_versions(self) -> dict[int, str]:
        try:
            return {int(hit["_id"]): hit["_source"].get("indexed_at", "")
                    for hit in scan(self.client, index=self.course_alias, _source=["indexed_at"])}
        except (TransportError, ApiError) as error:
            raise SearchError(f"Elasticsearch at {self.url}: {error}") from error

    # ---- queries --------------------------------------------------------------------------------------------

    def facet_filters(self, query: SearchQuery, today: datetime.date) -> dict[str, Q]:
        filters: dict[str, Q] = {}
        for facet in STORED_FACETS:
            values = query.selected(facet)
            if values:
                filters[facet] = Q("terms", **{FIELDS[facet]: values})
        statuses = query.selected("status")
        if statuses:
            filters["status"] = Q("bool", should=[status_query(s, today) for s in statuses], minimum_should_match=1)
        return filters

    def text_queries(self, q: str) -> list[Q]:
        """Chinese words search the CJK-analysed fields only (the English subfields would split them into
        single characters and match them anywhere); other words search every field, stemmed or not."""
        terms = query_terms(q)
        cjk = " ".join(t.text for t in terms if t.cjk)
        other = " ".join(t.text for t in terms if not t.cjk)
        queries = []
        if cjk:
            queries.append(Q("multi_match", query=cjk, fields=[f for f in TEXT_FIELDS if ".english" not in f],
                             type="best_fields", operator="and"))
        if other:
            queries.append(Q("multi_match", query=other, fields=TEXT_FIELDS, type="best_fields", operator="and"))
        return queries or [Q("match_all")]

    def main_query(self, query: SearchQuery) -> Q:
        must = self.text_queries(query.q)
        filters = []
        if query.language:
            filters.append(Q("term", shown_in=query.language))
        if query.hide_outdated:
            filters.append(Q("term", needs_update=False))
        if query.start_from or query.start_to:
            bounds = {}
            if query.start_from:
                bounds["gte"] = query.start_from.isoformat()
            if query.start_to:
                bounds["lte"] = query.start_to.isoformat()
            filters.append(Q("nested", path="runs", query=Q("range", runs__start_date=bounds)))
        if query.point and query.radius_km:
            filters.append(Q("geo_distance", distance=f"{query.radius_km}km",
                             locations={"lat": query.point.lat, "lon": query.point.lon}))
        base = Q("bool", must=must, filter=filters)
        return Q("function_score", query=base, functions=[
            {"filter": Q("term", needs_update=True).to_dict(), "weight": OUTDATED_WEIGHT}], boost_mode="multiply")

    def sort_clause(self, query: SearchQuery, today: datetime.date) -> list:
        sort = query.effective_sort()
        if sort == "distance" and not query.point:
            sort = "start"
        if sort == "relevance":
            return ["_score", {"title.raw": {"order": "asc"}}]
        if sort == "title":
            return [{"title.raw": {"order": "asc"}}]
        if sort == "newest":
            return [{"published_at": {"order": "desc", "missing": "_last"}}, {"title.raw": {"order": "asc"}}]
        if sort == "distance":
            return [{"_geo_distance": {"locations": {"lat": query.point.lat, "lon": query.point.lon},
                                       "order": "asc", "unit": "km", "mode": "min"}}]
        return [
            {"runs.start_date": {"order": "asc", "mode": "min", "missing": "_last", "nested": {
                "path": "runs", "filter": {"range": {"runs.start_date": {"gte": today.isoformat()}}}}}},
            {"title.raw": {"order": "asc"}},
        ]

    def build_search(self, query: SearchQuery) -> Search:
        today = query.today or timezone.localdate()
        filters = self.facet_filters(query, today)
        search = Search(using=self.client, index=self.course_alias).query(self.main_query(query))
        if filters:
            search = search.post_filter(Q("bool", filter=list(filters.values())))
        for facet in STORED_FACETS:
            others = [f for name, f in filters.items() if name != facet]
            bucket = search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others))
            bucket.bucket("values", "terms", field=FIELDS[facet], size=FACET_SIZE)
        others = [f for name, f in filters.items() if name != "status"]
        runs = search.aggs.bucket("status", "filter", filter=Q("bool", filter=others)).bucket(
            "runs", "nested", path="runs")
        for status in ("upcoming", "enrolling", "ongoing", "ended"):
            runs.bucket(status, "filter", filter=run_status_condition(status, today)).bucket(
                "courses", "reverse_nested")
        search = search.sort(*self.sort_clause(query, today)).highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
        ).highlight("title", number_of_fragments=0).highlight(
            "summary", "body", fragment_size=160, number_of_fragments=1)
        search = search.source(["title", "url", "summary", "provider_title", "mode", "price", "needs_update",
                                "runs.start_date"])
        return search.extra(from_=query.offset, size=query.page_size, track_total_hits=True)

    def search(self, query: SearchQuery) -> SearchResult:
        search = self.build_search(query)
        response = self.call(search.execute)
        today = query.today or timezone.localdate()
        hits = [self.hit_from(h, query, today) for h in response.hits]
        counts: dict[str, dict[str, int]] = {}
        aggregations = response.aggregations
        for facet in STORED_FACETS:
            counts[facet] = {b.key: b.doc_count for b in aggregations[facet]["values"].buckets}
        counts["status"] = {s: aggregations["status"]["runs"][s]["courses"].doc_count
                            for s in ("upcoming", "enrolling", "ongoing", "ended")}
        return SearchResult(hits=hits, total=response.hits.total.value, facets=facet_labels(counts, query),
                            query=query, backend=self.name)

    def hit_from(self, hit, query: SearchQuery, today: datetime.date) -> Hit:
        source = hit.to_dict()
        meta = hit.meta
        highlights = getattr(meta, "highlight", None)
        title_hl = highlights.title[0] if highlights is not None and "title" in highlights else \
            highlight(source.get("title", ""), query.q)
        fragment = None
        if highlights is not None:
            for field in ("summary", "body"):
                if field in highlights:
                    fragment = highlights[field][0]
                    break
        starts = sorted(r["start_date"] for r in source.get("runs", []) if r.get("start_date", "") >= str(today))
        distance = None
        if query.point and query.effective_sort() == "distance" and getattr(meta, "sort", None):
            distance = round(float(meta.sort[0]), 2)
        return Hit(
            id=int(meta.id), title=source.get("title", ""), url=source.get("url", ""),
            snippet=fragment or snippet(source.get("summary", ""), query.q), title_highlighted=title_hl,
            score=meta.score, distance_km=distance, provider=source.get("provider_title", ""),
            mode=source.get("mode", ""), price=str(source.get("price", 0)),
            needs_update=bool(source.get("needs_update")), next_start=starts[0] if starts else None,
        )

    def autocomplete_body(self, prefix: str, limit: int) -> dict[str, Any]:
        return {"suggest": {"courses": {"prefix": prefix, "completion": {
            "field": "suggest", "size": limit, "skip_duplicates": True}}}, "_source": ["title", "url"]}

    def autocomplete(self, prefix: str, limit: int = 8, language: str | None = None) -> list[dict[str, Any]]:
        # The completion suggester has no language context yet: suggestions come from every version.
        if not prefix.strip():
            return []
        response = self.call(self.client.search, index=self.course_alias, body=self.autocomplete_body(prefix, limit))
        return [{"id": int(o["_id"]), "label": o["_source"]["title"], "url": o["_source"]["url"],
                 "highlighted": highlight(o["_source"]["title"], prefix)}
                for o in response["suggest"]["courses"][0]["options"]]

    def more_like_this_search(self, course_id: int, limit: int, language: str | None = None) -> Search:
        mlt = Q("more_like_this", fields=["title", "summary", "body", "category_names"],
                like=[{"_index": self.course_alias, "_id": str(course_id)}], min_term_freq=1, min_doc_freq=1,
                max_query_terms=25)
        if language:
            mlt = Q("bool", must=[mlt], filter=[Q("term", shown_in=language)])
        query = Q("function_score", query=mlt, functions=[
            {"filter": Q("term", needs_update=True).to_dict(), "weight": OUTDATED_WEIGHT}], boost_mode="multiply")
        return Search(using=self.client, index=self.course_alias).query(query).source(
            ["title", "url", "summary", "provider_title", "mode", "price", "needs_update"]).extra(size=limit)

    def more_like_this(self, course_id: int, limit: int = 4, language: str | None = None) -> list[Hit]:
        response = self.call(self.more_like_this_search(course_id, limit, language).execute)
        today = timezone.localdate()
        return [self.hit_from(h, SearchQuery(), today) for h in response.hits]
