"""The one interface every search backend implements, and the value objects it speaks."""

from __future__ import annotations

import abc
import datetime
from dataclasses import dataclass, field
from typing import Any

# Facets in display order. Every facet is also a filter; values are what appears in URLs.
FACETS = ("category", "audience", "level", "mode", "language", "price", "district", "institution", "status")
# Facets whose values are stored per course in the index (the others are computed at query time).
STORED_FACETS = ("category", "audience", "level", "mode", "language", "price", "district", "institution")
VISIBILITY = "shown_in"  # stored like a facet, never shown: which language versions a visitor sees
RUN_STATUSES = ("upcoming", "enrolling", "ongoing", "ended")
SORTS = ("relevance", "start", "newest", "title", "distance")
MAX_PAGE_SIZE = 100
MAX_RADIUS_KM = 200.0


class SearchError(Exception):
    """Raised by a backend that cannot answer (server down, index missing)."""


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass
class SearchQuery:
    q: str = ""
    # facet name -> selected values (OR within a facet, AND across facets)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    point: GeoPoint | None = None
    radius_km: float | None = None
    start_from: datetime.date | None = None
    start_to: datetime.date | None = None
    hide_outdated: bool = False
    today: datetime.date | None = None  # injected for run-status computations; defaults to localdate()
    language: str | None = None  # content language of the visitor: only the version shown to them

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def selected(self, facet: str) -> list[str]:
        return [str(v) for v in self.filters.get(facet, []) if str(v) != ""]

    def active_filters(self) -> dict[str, list[str]]:
        return {name: self.selected(name) for name in FACETS if self.selected(name)}

    def effective_sort(self) -> str:
        if self.sort == "relevance" and not self.q.strip():
            return "distance" if self.point else "start"
        return self.sort


@dataclass
class Hit:
    id: int
    title: str
    url: str
    snippet: str = ""
    title_highlighted: str = ""
    score: float | None = None
    distance_km: float | None = None
    provider: str = ""
    mode: str = ""
    price: str = "0"
    next_start: str | None = None
    needs_update: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "snippet": self.snippet,
            "title_highlighted": self.title_highlighted, "score": self.score, "distance_km": self.distance_km,
            "provider": self.provider, "mode": self.mode, "price": self.price, "next_start": self.next_start,
            "needs_update": self.needs_update,
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "count": self.count, "selected": self.selected}


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    query: SearchQuery
    backend: str = ""
    degraded: bool = False  # answered by the fallback path because the configured backend failed

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))


class SearchBackend(abc.ABC):
    name = "base"

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult: ...

    @abc.abstractmethod
    def autocomplete(self, prefix: str, limit: int = 8, language: str | None = None) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def more_like_this(self, course_id: int, limit: int = 4, language: str | None = None) -> list[Hit]: ...

    @abc.abstractmethod
    def index_documents(self, documents: list) -> int: ...

    @abc.abstractmethod
    def delete_documents(self, course_ids: list[int]) -> None: ...

    @abc.abstractmethod
    def rebuild(self, documents_iter, total: int, progress=None) -> int:
        """Replace the whole index with ``documents_iter`` (atomically where the backend allows)."""

    @abc.abstractmethod
    def indexed_versions(self) -> dict[int, str]:
        """course id -> indexed_at ISO string for every document, for status reports."""
