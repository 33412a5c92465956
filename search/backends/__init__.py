"""Backend selection and the query path with its fallback.

``settings.SEARCH_BACKEND`` names the backend ("embedded" or "elasticsearch"). The embedded index is
always kept up to date (it lives in the site's database), so when Elasticsearch cannot answer a query
the embedded backend answers instead and the result is marked ``degraded``.
"""

from __future__ import annotations

import logging

from django.conf import settings

from .base import SearchBackend, SearchError, SearchQuery, SearchResult

logger = logging.getLogger("search")

BACKEND_NAMES = ("embedded", "elasticsearch")


def configured_backend_name() -> str:
    name = getattr(settings, "SEARCH_BACKEND", "embedded") or "embedded"
    return name if name in BACKEND_NAMES else "embedded"


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or configured_backend_name()
    if name == "elasticsearch":
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend.from_settings()
    if name != "embedded":
        raise ValueError(f"Unknown search backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}.")
    from .embedded import EmbeddedBackend

    return EmbeddedBackend()


def fallback_backend() -> SearchBackend:
    from .embedded import EmbeddedBackend

    return EmbeddedBackend()


def run_search(query: SearchQuery) -> SearchResult:
    """Search with the configured backend; on failure answer from the embedded index (never raise)."""
    backend = get_backend()
    if backend.name == "embedded":
        return backend.search(query)
    try:
        return backend.search(query)
    except Exception as error:  # noqa: BLE001 - any failure of a remote backend must not become a 500
        logger.warning("Search backend %s failed, answering from the embedded index: %s", backend.name, error)
        result = fallback_backend().search(query)
        result.degraded = True
        return result


def run_with_fallback(method: str, *args, **kwargs):
    """Autocomplete / more-like-this with the same fallback rule as run_search."""
    backend = get_backend()
    if backend.name == "embedded":
        return getattr(backend, method)(*args, **kwargs)
    try:
        return getattr(backend, method)(*args, **kwargs)
    except Exception as error:  # noqa: BLE001
        logger.warning("Search backend %s failed on %s, using the embedded index: %s", backend.name, method, error)
        return getattr(fallback_backend(), method)(*args, **kwargs)


__all__ = ["SearchQuery", "SearchResult", "SearchError", "get_backend", "run_search", "run_with_fallback"]
