"""The embedded backend: search tables in the site's own database, no server to run.

On SQLite the text part is an FTS5 table (BM25, title weighted 10:1 over body); on other databases
(PostgreSQL without Elasticsearch) the same pre-tokenised columns are matched with LIKE, ranked by
whether the title matched: slower and without stemming, but correct for Chinese and English alike.
Filters and facets are plain SQL over a denormalised table keyed by course id; facet counts are
disjunctive (each facet's counts apply every active filter except its own).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ..documents import CourseDoc
from ..labels import facet_labels
from ..text import fts_match_expression, highlight, index_text, query_terms, snippet
from .base import (
    FACETS,
    STORED_FACETS,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
)

DOC = "marketplace_search_searchdocument"
FACET = "marketplace_search_searchfacet"
RUN = "marketplace_search_searchrun"
FTS = "marketplace_search_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
OUTDATED_FACTOR = 0.5
DAY_MARKER = "_day"  # facet row (course 0) holding the day the run states were computed for
INDEXED_FACETS = (*STORED_FACETS, "status")  # flagged courses keep half their relevance
EARTH_KM = 6371.0

Condition = tuple[str, list[Any]]


def use_fts5() -> bool:
    return connection.vendor == "sqlite"


def padded(text: str) -> str:
    return " " + " ".join(index_text(text).split()) + " "


def haversine_sql(lat: float, lon: float) -> Condition:
    sql = (
        "2 * %s * asin(sqrt(power(sin(radians(r.latitude - %s) / 2), 2) + "
        "cos(radians(%s)) * cos(radians(r.latitude)) * power(sin(radians(r.longitude - %s) / 2), 2)))"
    )
    return sql, [EARTH_KM, lat, lat, lon]


def run_status_sql(status: str) -> Condition:
    """A condition on run row ``r`` for one status, mirroring CourseRun.status()."""
    enrolling = (
        "(r.start_date > %s AND COALESCE(r.enrolment_open, %s) <= %s"
        " AND %s <= COALESCE(r.enrolment_close, r.start_date))"
    )
    if status == "ended":
        return "(r.end_date < %s)", ["TODAY"]
    if status == "ongoing":
        return "(r.start_date <= %s AND r.end_date >= %s)", ["TODAY", "TODAY"]
    if status == "enrolling":
        return enrolling, ["TODAY", datetime.date.min, "TODAY", "TODAY"]
    return f"(r.start_date > %s AND NOT {enrolling})", ["TODAY", "TODAY", datetime.date.min, "TODAY", "TODAY"]


def with_today(condition: Condition, today: datetime.date) -> Condition:
    sql, params = condition
    return sql, [today if p == "TODAY" else p for p in params]


def run_status(run, today: datetime.date) -> str:
    """The same states as CourseRun.status(), for an indexed run."""
    if run.end_date < today:
        return "ended"
    if run.start_date <= today:
        return "ongoing"
    opens = run.enrolment_open or datetime.date.min
    closes = run.enrolment_close or run.start_date
    return "enrolling" if opens <= today <= closes else "upcoming"


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, force_database_path: bool = False) -> None:
        self.force_database_path = force_database_path

    @property
    def fts(self) -> bool:
        return use_fts5() and not self.force_database_path

    # ---- querying ---------------------------------------------------------------------------------------

    def conditions(self, query: SearchQuery, today: datetime.date) -> dict[str, Condition]:
        """Every active restriction as an SQL condition on ``d``, keyed so facets can leave theirs out."""
        conds: dict[str, Condition] = {}
        if query.q.strip() and query_terms(query.q):
            conds["q"] = self.text_condition(query.q)
        for facet in INDEXED_FACETS:
            values = query.selected(facet)
            if values:
                marks = ", ".join(["%s"] * len(values))
                conds[facet] = (
                    f"d.course_id IN (SELECT course_id FROM {FACET} WHERE facet = %s AND value IN ({marks}))",
                    [facet, *values],
                )
        if query.start_from or query.start_to:
            sql, params = [], []
            if query.start_from:
                sql.append("r.start_date >= %s")
                params.append(query.start_from)
            if query.start_to:
                sql.append("r.start_date <= %s")
                params.append(query.start_to)
            conds["dates"] = (f"d.course_id IN (SELECT r.course_id FROM {RUN} r WHERE {' AND '.join(sql)})", params)
        if query.hide_outdated:
            conds["outdated"] = ("d.needs_update = %s", [False])
        if query.point and query.radius_km:
            conds["geo"] = self.geo_condition(query)
        return conds

    def text_condition(self, q: str) -> Condition:
        if self.fts:
            return f"d.course_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)", [fts_match_expression(q)]
        parts, params = [], []
        for term in query_terms(q):
            pattern = self.like_pattern(term)
            parts.append("(LOWER(d.title_tokens) LIKE %s OR LOWER(d.body_tokens) LIKE %s)")
            params += [pattern, pattern]
        return "(" + " AND ".join(parts) + ")", params

    @staticmethod
    def like_pattern(term) -> str:
        escaped = " ".join(term.tokens).replace("\\", "").replace("%", "").replace("_", "")
        return f"% {escaped} %" if term.cjk else f"%{escaped}%"

    def geo_condition(self, query: SearchQuery) -> Condition:
        lat, lon, radius = query.point.lat, query.point.lon, float(query.radius_km)
        dlat = radius / 111.0
        dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        distance, dparams = haversine_sql(lat, lon)
        return (
            f"d.course_id IN (SELECT r.course_id FROM {RUN} r WHERE r.latitude BETWEEN %s AND %s "
            f"AND r.longitude BETWEEN %s AND %s AND {distance} <= %s)",
            [lat - dlat, lat + dlat, lon - dlon, lon + dlon, *dparams, radius],
        )

    @staticmethod
    def where(conds: Iterable[Condition]) -> Condition:
        conds = list(conds)
        if not conds:
            return "1 = 1", []
        return " AND ".join(c[0] for c in conds), [p for c in conds for p in c[1]]

    def search(self, query: SearchQuery) -> SearchResult:
        today = query.today or timezone.localdate()
        self.refresh_day(today)
        conds = self.conditions(query, today)
        where_sql, where_params = self.where(conds.values())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {DOC} d WHERE {where_sql}", where_params)
            total = cursor.fetchone()[0]
            ranked = self.ranked_ids(cursor, query, conds, today) if total else []
            facets = self.facet_counts(cursor, query, conds, today)
        hits = self.load_hits([pk for pk, _score, _dist in ranked], query)
        for hit, (_pk, score, distance) in zip(hits, ranked, strict=True):
            hit.score = score
            hit.distance_km = round(distance, 2) if distance is not None else None
        return SearchResult(hits=hits, total=total, facets=facets, query=query, backend=self.name)

    def ranked_ids(self, cursor, query: SearchQuery, conds: dict[str, Condition], today) -> list[tuple]:
        sort = query.effective_sort()
        if sort == "distance" and not query.point:
            sort = "start"
        distance_sql, distance_params = "NULL", []
        if query.point:
            hav, hav_params = haversine_sql(query.point.lat, query.point.lon)
            distance_sql = (f"(SELECT MIN({hav}) FROM {RUN} r "
                            "WHERE r.course_id = d.course_id AND r.latitude IS NOT NULL)")
            distance_params = hav_params
        demote = f"CASE WHEN d.needs_update THEN {OUTDATED_FACTOR} ELSE 1.0 END"
        if sort == "relevance" and "q" in conds and self.fts:
            others = {k: v for k, v in conds.items() if k != "q"}
            where_sql, where_params = self.where(others.values())
            sql = (
                f"SELECT d.course_id, -bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}) * {demote} AS score, "
                f"{distance_sql} AS distance FROM {FTS} JOIN {DOC} d ON d.course_id = {FTS}.rowid "
                f"WHERE {FTS} MATCH %s AND {where_sql} ORDER BY score DESC, d.title, d.course_id LIMIT %s OFFSET %s"
            )
            params = [*distance_params, fts_match_expression(query.q), *where_params]
        else:
            where_sql, where_params = self.where(conds.values())
            score_sql, score_params = "NULL", []
            if sort == "relevance" and "q" in conds:
                score_sql, score_params = self.like_score(query.q, demote)
            order = {
                "relevance": "score DESC, d.title, d.course_id",
                "start": "d.next_start IS NULL, d.next_start, d.title, d.course_id",
                "newest": "d.published_at IS NULL, d.published_at DESC, d.course_id DESC",
                "title": "d.title, d.course_id",
                "distance": "distance IS NULL, distance, d.title, d.course_id",
            }[sort]
            sql = (
                f"SELECT d.course_id, {score_sql} AS score, {distance_sql} AS distance FROM {DOC} d "
                f"WHERE {where_sql} ORDER BY {order} LIMIT %s OFFSET %s"
            )
            params = [*score_params, *distance_params, *where_params]
        cursor.execute(sql, [*params, query.page_size, query.offset])
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]

    def like_score(self, q: str, demote: str) -> Condition:
        parts, params = [], []
        for term in query_terms(q):
            parts.append("CASE WHEN LOWER(d.title_tokens) LIKE %s THEN 10 ELSE 1 END")
            params.append(self.like_pattern(term))
        return f"(({' + '.join(parts)}) * {demote})", params

    def facet_counts(self, cursor, query: SearchQuery, conds: dict[str, Condition], today) -> dict[str, list]:
        counts: dict[str, dict[str, int]] = {}
        for facet in INDEXED_FACETS:
            where_sql, where_params = self.where(v for k, v in conds.items() if k != facet)
            restrict = (f" AND f.course_id IN (SELECT d.course_id FROM {DOC} d WHERE {where_sql})"
                        if where_sql != "1 = 1" else "")
            cursor.execute(
                f"SELECT f.value, COUNT(*) FROM {FACET} f WHERE f.facet = %s{restrict} GROUP BY f.value",
                [facet, *where_params],
            )
            counts[facet] = dict(cursor.fetchall())
        return facet_labels(counts, query)

    def load_hits(self, ids: list[int], query: SearchQuery) -> list[Hit]:
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT course_id, title, url, summary, body_text, provider_title, mode, price, needs_update, "
                f"next_start FROM {DOC} WHERE course_id IN ({marks})",
                ids,
            )
            rows = {row[0]: row for row in cursor.fetchall()}
        hits = []
        for pk in ids:
            row = rows.get(pk)
            if row is None:
                continue
            _, title, url, summary, body_text, provider, mode, price, needs_update, next_start = row
            text = summary if not query.q else f"{summary} {body_text}"
            hits.append(Hit(
                id=pk, title=title, url=url, snippet=snippet(text, query.q),
                title_highlighted=highlight(title, query.q),
                provider=provider, mode=mode, price=str(price), needs_update=bool(needs_update),
                next_start=str(next_start) if next_start else None,
            ))
        return hits

    def refresh_day(self, today: datetime.date) -> None:
        """Run states and the soonest start depend on the date: they are stored for the day they were
        computed (a marker row holds that day) and recomputed by the first search of a new day."""
        marker = today.isoformat()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {FACET} WHERE course_id = 0 AND facet = %s", [DAY_MARKER])
            row = cursor.fetchone()
            if row is not None and row[0] == marker:
                return
            with transaction.atomic():
                cursor.execute(
                    f"UPDATE {DOC} SET next_start = (SELECT MIN(r.start_date) FROM {RUN} r WHERE "
                    f"r.course_id = {DOC}.course_id AND r.start_date >= %s) WHERE next_start < %s",
                    [today, today],
                )
                cursor.execute(f"DELETE FROM {FACET} WHERE facet IN (%s, %s)", ["status", DAY_MARKER])
                cases, params = [], []
                for status in ("ended", "ongoing", "enrolling"):
                    sql, p = with_today(run_status_sql(status), today)
                    cases.append(f"WHEN {sql} THEN '{status}'")
                    params += p
                cursor.execute(
                    f"INSERT INTO {FACET} (course_id, facet, value) SELECT DISTINCT r.course_id, 'status', "
                    f"CASE {' '.join(cases)} ELSE 'upcoming' END FROM {RUN} r",
                    params,
                )
                cursor.execute(f"INSERT INTO {FACET} (course_id, facet, value) VALUES (0, %s, %s)",
                               [DAY_MARKER, marker])

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict[str, Any]]:
        if not query_terms(prefix):
            return []
        with connection.cursor() as cursor:
            if self.fts:
                expression = "{title} : (" + fts_match_expression(prefix, prefix_last=True) + ")"
                cursor.execute(
                    f"SELECT d.course_id, d.title, d.url FROM {FTS} JOIN {DOC} d ON d.course_id = {FTS}.rowid "
                    f"WHERE {FTS} MATCH %s ORDER BY d.needs_update, bm25({FTS}), d.title LIMIT %s",
                    [expression, limit],
                )
            else:
                parts = [self.like_pattern(t) for t in query_terms(prefix)]
                cursor.execute(
                    f"SELECT d.course_id, d.title, d.url FROM {DOC} d WHERE "
                    + " AND ".join(["LOWER(d.title_tokens) LIKE %s"] * len(parts))
                    + " ORDER BY d.needs_update, d.title LIMIT %s",
                    [*parts, limit],
                )
            rows = cursor.fetchall()
        return [{"id": pk, "label": title, "url": url, "highlighted": highlight(title, prefix)}
                for pk, title, url in rows]

    def more_like_this(self, course_id: int, limit: int = 4) -> list[Hit]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT title FROM {DOC} WHERE course_id = %s", [course_id])
            row = cursor.fetchone()
            if row is None:
                return []
            cursor.execute(
                f"SELECT value FROM {FACET} WHERE course_id = %s AND facet = 'category'", [course_id]
            )
            categories = [r[0] for r in cursor.fetchall()]
        words = [t.text for t in query_terms(row[0])]
        candidates: list[int] = []
        if words and self.fts:
            expression = " OR ".join(
                '"' + " ".join(t.tokens).replace('"', '""') + '"' for t in query_terms(row[0])
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s AND rowid != %s "
                    f"ORDER BY bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}) LIMIT %s",
                    [expression, course_id, limit * 3],
                )
                candidates = [r[0] for r in cursor.fetchall()]
        if categories and len(candidates) < limit * 3:
            marks = ", ".join(["%s"] * len(categories))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT f.course_id FROM {FACET} f JOIN {DOC} d ON d.course_id = f.course_id "
                    f"WHERE f.facet = 'category' AND f.value IN ({marks}) AND f.course_id != %s "
                    f"ORDER BY d.needs_update, d.next_start IS NULL, d.next_start LIMIT %s",
                    [*categories, course_id, limit * 3],
                )
                candidates += [r[0] for r in cursor.fetchall() if r[0] not in candidates]
        hits = self.load_hits(candidates, SearchQuery())
        hits.sort(key=lambda h: h.needs_update)  # stable: keeps relevance order, flagged courses last
        return hits[:limit]

    # ---- indexing ---------------------------------------------------------------------------------------

    def index_documents(self, documents: list[CourseDoc], fresh: bool = False) -> int:
        """Write documents, replacing earlier versions (``fresh``: the index is known to be empty)."""
        if not documents:
            return 0
        today = timezone.localdate()
        indexed_at = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            if not fresh:
                self._delete(cursor, [d.id for d in documents])
            cursor.executemany(
                f"INSERT INTO {DOC} (course_id, title, url, summary, body_text, title_tokens, body_tokens, "
                f"provider_id, provider_title, level_number, mode, price, needs_update, published_at, next_start, "
                f"indexed_at) VALUES ({', '.join(['%s'] * 16)})",
                [self.document_row(d, today, indexed_at) for d in documents],
            )
            cursor.executemany(
                f"INSERT INTO {FACET} (course_id, facet, value) VALUES (%s, %s, %s)",
                [(d.id, facet, value) for d in documents for facet, values in d.facet_values().items()
                 for value in values]
                + [(d.id, "status", status) for d in documents for status in {run_status(r, today) for r in d.runs}],
            )
            runs = [(d.id, r.start_date, r.end_date, r.enrolment_open, r.enrolment_close, r.latitude, r.longitude)
                    for d in documents for r in d.runs]
            if runs:
                cursor.executemany(
                    f"INSERT INTO {RUN} (course_id, start_date, end_date, enrolment_open, enrolment_close, "
                    f"latitude, longitude) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    runs,
                )
            if self.fts:
                cursor.executemany(
                    f"INSERT INTO {FTS} (rowid, title, body) VALUES (%s, %s, %s)",
                    [(d.id, index_text(d.title), index_text(d.search_body())) for d in documents],
                )
        return len(documents)

    @staticmethod
    def document_row(doc: CourseDoc, today: datetime.date, indexed_at) -> tuple:
        upcoming = [r.start_date for r in doc.runs if r.start_date >= today]
        return (
            doc.id, doc.title[:255], doc.url, doc.summary, doc.body_text, padded(doc.title), padded(doc.search_body()),
            doc.provider_id, doc.provider_title[:255], doc.level_number, doc.mode, doc.price, doc.needs_update,
            doc.published_at, min(upcoming) if upcoming else None, indexed_at,
        )

    def _delete(self, cursor, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            for table, column in ((DOC, "course_id"), (FACET, "course_id"), (RUN, "course_id")):
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
            if self.fts:
                cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)

    def delete_documents(self, course_ids: list[int]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            self._delete(cursor, list(course_ids))

    def clear(self) -> None:
        with connection.cursor() as cursor:
            for table in (DOC, FACET, RUN):
                cursor.execute(f"DELETE FROM {table}")
            if self.fts:
                cursor.execute(f"DELETE FROM {FTS}")

    def rebuild(self, documents_iter, total: int, progress=None, batch_size: int = 1000) -> int:
        """Swap in a fresh index inside one transaction: readers see the old index until it commits."""
        count = 0
        with transaction.atomic():
            self.clear()
            batch: list[CourseDoc] = []
            for doc in documents_iter:
                batch.append(doc)
                if len(batch) >= batch_size:
                    count += self.index_documents(batch, fresh=True)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                count += self.index_documents(batch, fresh=True)
                if progress:
                    progress(len(batch))
            if self.fts:
                with connection.cursor() as cursor:
                    cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
        return count

    def indexed_versions(self) -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT course_id, indexed_at FROM {DOC}")
            return {pk: str(at) for pk, at in cursor.fetchall()}


__all__ = ["EmbeddedBackend", "FACETS"]
