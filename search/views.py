"""Public search page, JSON API and autocomplete."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from .backends import run_search, run_with_fallback
from .backends.base import SearchQuery, SearchResult
from .labels import FACET_TITLES
from .params import QueryError, active_content_language, parse_search_params, query_to_params
from .text import highlight

AUTOCOMPLETE_MIN_CHARS = 1
# Lazy: the labels are read per request, in the visitor's language.
SORT_LABELS = {
    "relevance": gettext_lazy("Best match"), "start": gettext_lazy("Starting soonest"),
    "newest": gettext_lazy("Newest"), "title": gettext_lazy("Title"), "distance": gettext_lazy("Nearest"),
}


def too_many(request: HttpRequest) -> HttpResponse:
    from cms.views import rate_limited

    return rate_limited(request)


def result_to_dict(result: SearchResult) -> dict[str, Any]:
    query = result.query
    return {
        "total": result.total,
        "page": query.page,
        "page_size": query.page_size,
        "num_pages": result.num_pages,
        "sort": query.effective_sort(),
        "backend": result.backend,
        "degraded": result.degraded,
        "results": [hit.to_dict() for hit in result.hits],
        "facets": {name: [v.to_dict() for v in values] for name, values in result.facets.items()},
    }


@require_GET
@ratelimit(key="ip", rate="120/m", block=False)
def api_courses(request: HttpRequest) -> JsonResponse:
    if getattr(request, "limited", False):
        return too_many(request)
    try:
        query = parse_search_params(request.GET)
    except QueryError as error:
        return JsonResponse({"error": error.message, "field": error.field}, status=400)
    return JsonResponse(result_to_dict(run_search(query)), json_dumps_params={"ensure_ascii": False})


@require_GET
@ratelimit(key="ip", rate="300/m", block=False)
def api_autocomplete(request: HttpRequest) -> JsonResponse:
    if getattr(request, "limited", False):
        return too_many(request)
    prefix = " ".join(request.GET.get("q", "").split())[:50]
    if len(prefix) < AUTOCOMPLETE_MIN_CHARS:
        return JsonResponse({"suggestions": []})
    suggestions = [{**item, "type": "course"}
                   for item in run_with_fallback("autocomplete", prefix, 8, active_content_language())]
    return JsonResponse({"suggestions": category_suggestions(prefix) + suggestions},
                        json_dumps_params={"ensure_ascii": False})


def category_suggestions(prefix: str, limit: int = 3) -> list[dict[str, Any]]:
    """Categories whose name starts with what was typed: one click to the filtered list."""
    from django.db.models import Q

    from catalogue.models import Category

    matches = Category.objects.filter(Q(name__startswith=prefix) | Q(name_en__istartswith=prefix))[:limit]
    search_url = reverse("search:search")
    return [{"id": c.pk, "label": c.label, "url": search_url + url_with([("category", c.slug)]),
             "highlighted": highlight(c.label, prefix), "type": "category"} for c in matches]


def url_with(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else "?"


def active_chips(query: SearchQuery, result: SearchResult) -> list[dict[str, str]]:
    """One removable chip per active filter; the link is the current URL without that value."""
    params = query_to_params(query)
    labels = {(name, v.value): v.label for name, values in result.facets.items() for v in values}
    chips = []
    for key, value in params:
        if key in ("sort", "lat", "lon", "radius"):
            continue
        remaining = [(k, v) for k, v in params if (k, v) != (key, value)]
        if key == "q":
            label = f"“{value}”"
        elif key in FACET_TITLES:
            label = f"{FACET_TITLES[key]}: {labels.get((key, value), value).lstrip('— ')}"
        else:
            label = {"start_from": _("From %s"), "start_to": _("Until %s"),
                     "hide_outdated": _("Hide courses needing an update")}.get(key, key)
            label = label % value if "%s" in label else label
        chips.append({"label": label, "remove_url": url_with(remaining)})
    if query.point:
        remaining = [(k, v) for k, v in params if k not in ("lat", "lon", "radius") and not (
            k == "sort" and v == "distance")]
        chips.append({"label": _("Within %(km)s km") % {"km": f"{query.radius_km:g}"},
                      "remove_url": url_with(remaining)})
    return chips


def facet_groups(query: SearchQuery, result: SearchResult) -> list[dict[str, Any]]:
    groups = []
    for name, values in result.facets.items():
        if values:
            groups.append({"name": name, "title": FACET_TITLES.get(name, name), "values": values})
    return groups


@require_GET
@ratelimit(key="ip", rate="120/m", block=False)
def search_page(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many(request)
    error = None
    try:
        query = parse_search_params(request.GET)
    except QueryError as exc:
        error = exc.message
        query = SearchQuery(q=" ".join(request.GET.get("q", "").split())[:100], language=active_content_language())
    result = run_search(query)
    params = query_to_params(query)
    context = {
        "query": query,
        "result": result,
        "error": error,
        "chips": active_chips(query, result),
        "facet_groups": facet_groups(query, result),
        "sort_choices": [(k, v) for k, v in SORT_LABELS.items() if k != "distance" or query.point],
        "current_sort": query.effective_sort(),
        "querystring": urlencode(params),
        "prev_url": url_with(params + [("page", str(query.page - 1))]) if query.page > 1 else None,
        "next_url": url_with(params + [("page", str(query.page + 1))]) if query.page < result.num_pages else None,
        "suggestions": no_result_suggestions(query) if result.total == 0 else [],
    }
    return TemplateResponse(request, "search/search.html", context, status=400 if error else 200)


def no_result_suggestions(query: SearchQuery) -> list[dict[str, str]]:
    """Ways out of an empty page: drop the filters, search fewer words, or shorter Chinese words."""
    suggestions = []
    if query.active_filters() or query.point or query.start_from or query.start_to:
        suggestions.append({"label": _("Search all courses for “%(q)s”") % {"q": query.q},
                            "url": url_with([("q", query.q)] if query.q else [])})
    words = query.q.split()
    if len(words) > 1:
        for word in words:
            suggestions.append({"label": word, "url": url_with([("q", word)])})
    elif len(query.q) > 2 and all("\u4e00" <= ch <= "\u9fff" for ch in query.q):
        for part in {query.q[:2], query.q[-2:]}:
            suggestions.append({"label": part, "url": url_with([("q", part)])})
    for item in run_with_fallback("autocomplete", query.q[:2], 4, query.language) if query.q else []:
        suggestions.append({"label": item["label"], "url": item["url"]})
    return suggestions
