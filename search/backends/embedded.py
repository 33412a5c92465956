"""The embedded backend: search tables in the site's own database, no server to run.

On SQLite the text part is an FTS5 table (BM25, title weighted 10:1 over body); on other databases
(PostgreSQL without Elasticsearch) the same pre-tokenised columns are matched with LIKE, ranked by
whether the title matched: slower and without stemming, but correct for Chinese and English alike.
Courses are denormalised into plain tables keyed by course id (documents, (facet, value) pairs, runs).
Filters, disjunctive facet counts (each facet's counts apply every active filter except its own) and
sorting run on an in-memory bitset view of those tables (bitsets.py); SQL answers the text match, the
start-date range and the distance from a point.
"""

from __future__ import annotations

import datetime
import heapq
import math
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ..documents import CourseDoc
from ..labels import facet_labels
from ..text import fts_match_expression, highlight, index_text, query_terms, snippet
from .base import (
    MAX_RADIUS_KM,
    STORED_FACETS,
    VISIBILITY,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from .bitsets import CHANGE, TOKEN, get_view

DOC = "marketplace_search_searchdocument"
FACET = "marketplace_search_searchfacet"
RUN = "marketplace_search_searchrun"
FTS = "marketplace_search_fts"
FTS_CREATE = (  # as in migration 0002
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "title, body, tokenize='porter unicode61 remove_diacritics 2')"
)
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
OUTDATED_FACTOR = 0.5  # flagged courses keep half their relevance
CHANGE_LOG_KEEP = 20_000
DAY_MARKER = "_day"  # facet row (course 0) holding the day the run states were computed for
INDEXED_FACETS = (*STORED_FACETS, "status")
EARTH_KM = 6371.0

Condition = tuple[str, list[Any]]


def use_fts5() -> bool:
    return connection.vendor == "sqlite"


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

    # The text part and the run-based restrictions come from SQL as sets of course ids; everything else
    # (facet filters, counts, sorting) is done on the in-memory bitset view (see bitsets.py).

    def text_matches(self, q: str) -> list[int]:
        """Ids of every course matching the text (no scoring: cheap even for common one-character words)."""
        if not self.fts:
            return list(self.like_scores(q))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [fts_match_expression(q)])
            return [row[0] for row in cursor.fetchall()]

    def text_scores(self, q: str, title_only: bool = False) -> dict[int, float]:
        """Matching course ids with their relevance (higher is better): BM25, title weighted over body.
        ``title_only`` scores just the courses whose title matches, the first tier of a ranking."""
        if not self.fts:
            return self.like_scores(q, title_only)
        expression = fts_match_expression(q)
        if title_only:
            expression = "{title} : (" + expression + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}) FROM {FTS} WHERE {FTS} MATCH %s",
                [expression],
            )
            return dict(cursor.fetchall())

    def like_scores(self, q: str, title_only: bool = False) -> dict[int, float]:
        parts, score_parts, params, score_params = [], [], [], []
        for term in query_terms(q):
            pattern = self.like_pattern(term)
            if title_only:
                parts.append("LOWER(d.title_tokens) LIKE %s")
                params.append(pattern)
            else:
                parts.append("(LOWER(d.title_tokens) LIKE %s OR LOWER(d.body_tokens) LIKE %s)")
                params += [pattern, pattern]
            score_parts.append("CASE WHEN LOWER(d.title_tokens) LIKE %s THEN 10 ELSE 1 END")
            score_params.append(pattern)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.course_id, {' + '.join(score_parts)} FROM {DOC} d WHERE {' AND '.join(parts)}",
                [*score_params, *params],
            )
            return {pk: float(score) for pk, score in cursor.fetchall()}

    @staticmethod
    def like_pattern(term) -> str:
        escaped = " ".join(term.tokens).replace("\\", "").replace("%", "").replace("_", "")
        return f"% {escaped.lower()} %" if term.cjk else f"%{escaped.lower()}%"

    def distances(self, query: SearchQuery) -> dict[int, float]:
        """Courses with a venue within the radius, and the distance to the nearest one."""
        lat, lon, radius = query.point.lat, query.point.lon, float(query.radius_km or MAX_RADIUS_KM)
        dlat = radius / 111.0
        dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        distance, dparams = haversine_sql(lat, lon)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT course_id, MIN(dist) FROM (SELECT r.course_id AS course_id, {distance} AS dist FROM {RUN} r "
                f"WHERE r.latitude BETWEEN %s AND %s AND r.longitude BETWEEN %s AND %s) AS near "
                f"WHERE dist <= %s GROUP BY course_id",
                [*dparams, lat - dlat, lat + dlat, lon - dlon, lon + dlon, radius],
            )
            return {pk: float(d) for pk, d in cursor.fetchall()}

    def start_date_ids(self, query: SearchQuery) -> list[int]:
        sql, params = [], []
        if query.start_from:
            sql.append("start_date >= %s")
            params.append(query.start_from)
        if query.start_to:
            sql.append("start_date <= %s")
            params.append(query.start_to)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT course_id FROM {RUN} WHERE {' AND '.join(sql)}", params)
            return [row[0] for row in cursor.fetchall()]

    def search(self, query: SearchQuery) -> SearchResult:
        today = query.today or timezone.localdate()
        self.refresh_day(today)
        view = get_view()
        masks: dict[str, int] = {}
        distances: dict[int, float] = {}
        if query.q.strip() and query_terms(query.q):
            masks["q"] = view.mask_of_ids(self.text_matches(query.q))
        for facet in INDEXED_FACETS:
            values = query.selected(facet)
            if values:
                masks[facet] = view.any_of(facet, values)
        if query.language:
            masks[VISIBILITY] = view.bits.get(VISIBILITY, {}).get(query.language, 0)
        if query.start_from or query.start_to:
            masks["dates"] = view.mask_of_ids(self.start_date_ids(query))
        if query.hide_outdated:
            masks["outdated"] = view.universe & ~view.outdated
        if query.point:
            distances = self.distances(query)  # within the radius, or MAX_RADIUS_KM just for sorting
            if query.radius_km:
                masks["geo"] = view.mask_of_ids(distances)
        combined = view.universe
        for mask in masks.values():
            combined &= mask
        total = combined.bit_count()
        counts = {}
        for facet in INDEXED_FACETS:
            base = view.universe
            for name, mask in masks.items():
                if name != facet:
                    base &= mask
            counts[facet] = view.counts(facet, base)
        scores: dict[int, float] = {}
        ids = self.ordered_page(view, query, combined, scores, distances) if total else []
        hits = self.load_hits(ids, query)
        for hit in hits:
            if hit.id in scores:
                hit.score = round(scores[hit.id], 4)
            if hit.id in distances:
                hit.distance_km = round(distances[hit.id], 2)
        return SearchResult(hits=hits, total=total, facets=facet_labels(counts, query), query=query,
                            backend=self.name)

    @staticmethod
    def rank_by_score(view, mask: int, candidates: dict[int, float], scores: dict[int, float]) -> list[int]:
        """Candidates inside ``mask``, best first; flagged courses keep a fraction of their score."""
        data = mask.to_bytes((view.size + 7) // 8, "little")
        outdated = view.outdated.to_bytes((view.size + 7) // 8, "little")
        position, title_rank = view.position, view.keys["title"]
        matches = []
        for pk, score in candidates.items():
            p = position.get(pk)
            if p is not None and data[p >> 3] >> (p & 7) & 1:
                if outdated[p >> 3] >> (p & 7) & 1:
                    score *= OUTDATED_FACTOR
                scores[pk] = score
                matches.append((-score, title_rank[p], pk))
        matches.sort()
        return [pk for _s, _r, pk in matches]

    def ordered_page(self, view, query: SearchQuery, mask: int, scores: dict, distances: dict) -> list[int]:
        sort = query.effective_sort()
        if sort == "distance" and not query.point:
            sort = "start"
        end = query.offset + query.page_size
        if sort == "relevance" and query.q.strip() and query_terms(query.q):
            # Tiered: courses whose title matches come first (scored with BM25, cheap because titles are
            # short); the body-only matches are scored only when the page reaches past the title tier.
            ranked = self.rank_by_score(view, mask, self.text_scores(query.q, title_only=True), scores)
            if len(ranked) < end:
                title_tier = set(ranked)
                body = {pk: s for pk, s in self.text_scores(query.q).items() if pk not in title_tier}
                ranked += self.rank_by_score(view, mask, body, scores)
            return ranked[query.offset : end]
        if sort == "distance":
            data = mask.to_bytes((view.size + 7) // 8, "little")
            position, title_rank = view.position, view.keys["title"]
            nearest = []
            for pk, distance in distances.items():
                p = position.get(pk)
                if p is not None and data[p >> 3] >> (p & 7) & 1:
                    nearest.append((distance, title_rank[p], pk))
            ranked = [pk for _d, _r, pk in heapq.nsmallest(end, nearest)]
            if len(ranked) < end:  # courses without a located venue come last
                located = view.mask_of_ids(distances)
                ranked += view.page(mask & ~located, "title", 0, end - len(ranked))
            return ranked[query.offset : end]
        if sort == "relevance":
            sort = "start"
        return view.page(mask, sort, query.offset, query.page_size)

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
                self.touch(cursor)

    def autocomplete(self, prefix: str, limit: int = 8, language: str | None = None) -> list[dict[str, Any]]:
        if not query_terms(prefix):
            return []
        visible, visible_params = "", []
        if language:
            visible = f" AND d.course_id IN (SELECT course_id FROM {FACET} WHERE facet = %s AND value = %s)"
            visible_params = [VISIBILITY, language]
        with connection.cursor() as cursor:
            if self.fts:
                expression = "{title} : (" + fts_match_expression(prefix, prefix_last=True) + ")"
                cursor.execute(
                    f"SELECT d.course_id, d.title, d.url FROM {FTS} JOIN {DOC} d ON d.course_id = {FTS}.rowid "
                    f"WHERE {FTS} MATCH %s{visible} ORDER BY d.needs_update, bm25({FTS}), d.title LIMIT %s",
                    [expression, *visible_params, limit],
                )
            else:
                parts = [self.like_pattern(t) for t in query_terms(prefix)]
                cursor.execute(
                    f"SELECT d.course_id, d.title, d.url FROM {DOC} d WHERE "
                    + " AND ".join(["LOWER(d.title_tokens) LIKE %s"] * len(parts))
                    + f"{visible} ORDER BY d.needs_update, d.title LIMIT %s",
                    [*parts, *visible_params, limit],
                )
            rows = cursor.fetchall()
        return [{"id": pk, "label": title, "url": url, "highlighted": highlight(title, prefix)}
                for pk, title, url in rows]

    def more_like_this(self, course_id: int, limit: int = 4, language: str | None = None) -> list[Hit]:
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
        if language and candidates:
            marks = ", ".join(["%s"] * len(candidates))
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT course_id FROM {FACET} WHERE facet = %s AND value = %s "
                               f"AND course_id IN ({marks})", [VISIBILITY, language, *candidates])
                visible = {row[0] for row in cursor.fetchall()}
            candidates = [pk for pk in candidates if pk in visible]
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
        # Each text is tokenised once, for both the FTS table and the database-path columns.
        tokens = {d.id: (index_text(d.title), index_text(d.search_body())) for d in documents}
        with transaction.atomic(), connection.cursor() as cursor:
            if not fresh:
                self._delete(cursor, [d.id for d in documents])
            cursor.executemany(
                f"INSERT INTO {DOC} (course_id, title, url, summary, body_text, title_tokens, body_tokens, "
                f"provider_id, provider_title, level_number, mode, price, needs_update, published_at, next_start, "
                f"indexed_at) VALUES ({', '.join(['%s'] * 16)})",
                [self.document_row(d, today, indexed_at, tokens[d.id]) for d in documents],
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
                    [(d.id, *tokens[d.id]) for d in documents],
                )
            if not fresh:
                self.record_changes(cursor, [d.id for d in documents])
        return len(documents)

    @staticmethod
    def document_row(doc: CourseDoc, today: datetime.date, indexed_at, tokens: tuple[str, str]) -> tuple:
        upcoming = [r.start_date for r in doc.runs if r.start_date >= today]
        title_tokens, body_tokens = (" " + " ".join(t.split()) + " " for t in tokens)
        return (
            doc.id, doc.title[:255], doc.url, doc.summary, doc.body_text, title_tokens, body_tokens,
            doc.provider_id, doc.provider_title[:255], doc.level_number, doc.mode, doc.price, doc.needs_update,
            doc.published_at, min(upcoming) if upcoming else None, indexed_at,
        )

    @staticmethod
    def touch(cursor) -> None:
        """Record that the whole index changed, so every process reloads its bitset view."""
        cursor.execute(f"DELETE FROM {FACET} WHERE course_id = 0 AND facet = %s", [TOKEN])
        cursor.execute(f"INSERT INTO {FACET} (course_id, facet, value) VALUES (0, %s, %s)",
                       [TOKEN, uuid.uuid4().hex])
        cursor.execute(f"DELETE FROM {CHANGE}")

    @staticmethod
    def record_changes(cursor, ids: list[int]) -> None:
        """Record changed courses so every process patches its bitset view; old entries are pruned
        (a process that missed them reloads in full)."""
        cursor.executemany(f"INSERT INTO {CHANGE} (course_id) VALUES (%s)", [(pk,) for pk in ids])
        cursor.execute(f"DELETE FROM {CHANGE} WHERE id < (SELECT MAX(id) FROM {CHANGE}) - %s", [CHANGE_LOG_KEEP])

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
            self.record_changes(cursor, list(course_ids))

    def clear(self) -> None:
        with connection.cursor() as cursor:
            for table in (DOC, FACET, RUN):
                cursor.execute(f"DELETE FROM {table}")
            if self.fts:
                # Dropping and re-creating is much faster than deleting every row of an FTS5 table.
                cursor.execute(f"DROP TABLE IF EXISTS {FTS}")
                cursor.execute(FTS_CREATE)
            self.touch(cursor)

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


__all__ = ["EmbeddedBackend"]
