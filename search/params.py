"""Reading a SearchQuery from URL parameters: the same rules for the search page and the JSON API.

Every filter round-trips through the URL: ``?q=&category=a&category=b&level=2&free=1&lat=&lon=&radius=``.
"""

from __future__ import annotations

import datetime

from django.http import QueryDict
from django.utils.translation import gettext as _

from catalogue.models import Area, Audience, Category, CoursePage, InstitutionPage, Language, QualificationLevel

from .backends.base import MAX_PAGE_SIZE, MAX_RADIUS_KM, RUN_STATUSES, SORTS, GeoPoint, SearchQuery

MAX_PAGE = 1000
MAX_QUERY_LENGTH = 100
DEFAULT_RADIUS_KM = 5.0
TRUE_VALUES = {"1", "true", "yes", "on"}


class QueryError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def parse_int(raw: str, field: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise QueryError(_("%(field)s must be a whole number.") % {"field": field}, field) from None
    if not low <= value <= high:
        raise QueryError(
            _("%(field)s must be between %(low)s and %(high)s.") % {"field": field, "low": low, "high": high}, field
        )
    return value


def parse_float(raw: str, field: str, low: float, high: float) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise QueryError(_("%(field)s must be a number.") % {"field": field}, field) from None
    if value != value or not low <= value <= high:  # NaN or out of range
        raise QueryError(
            _("%(field)s must be between %(low)s and %(high)s.") % {"field": field, "low": low, "high": high}, field
        )
    return value


def parse_date(raw: str, field: str) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise QueryError(_("%(field)s must be a date like 2026-09-01.") % {"field": field}, field) from None


def known_values(facet: str, values: list[str]) -> set[str]:
    # Ids that fit a database integer; anything else is simply unknown (and reported as such).
    numbers = [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 18]
    if facet == "category":
        return set(Category.objects.filter(slug__in=values).values_list("slug", flat=True))
    if facet == "audience":
        return set(Audience.objects.filter(slug__in=values).values_list("slug", flat=True))
    if facet == "language":
        return set(Language.objects.filter(code__in=values).values_list("code", flat=True))
    if facet == "level":
        return {str(n) for n in QualificationLevel.objects.filter(number__in=numbers).values_list("number", flat=True)}
    if facet == "mode":
        return {v for v in values if v in CoursePage.Mode.values}
    if facet == "price":
        return {v for v in values if v in ("free", "paid")}
    if facet == "district":
        return {str(pk) for pk in Area.objects.filter(pk__in=numbers).values_list("pk", flat=True)}
    if facet == "institution":
        return {str(pk) for pk in InstitutionPage.objects.filter(pk__in=numbers).values_list("pk", flat=True)}
    if facet == "status":
        return {v for v in values if v in RUN_STATUSES}
    return set()


def parse_search_params(params: QueryDict, *, default_page_size: int = 20) -> SearchQuery:
    """Raise QueryError with a message people can act on for anything malformed or unknown."""
    q = " ".join(params.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(_("The search text can be at most %(n)s characters.") % {"n": MAX_QUERY_LENGTH}, "q")
    filters: dict[str, list[str]] = {}
    for facet in ("category", "audience", "level", "mode", "language", "price", "district", "institution", "status"):
        values = list(dict.fromkeys(v.strip() for v in params.getlist(facet) if v.strip()))
        if facet == "price" and params.get("free", "").lower() in TRUE_VALUES and "free" not in values:
            values.append("free")
        if not values:
            continue
        unknown = [v for v in values if v not in known_values(facet, values)]
        if unknown:
            raise QueryError(
                _("Unknown %(facet)s: %(values)s.") % {"facet": facet, "values": ", ".join(unknown)}, facet
            )
        filters[facet] = values
    page = parse_int(params.get("page") or "1", "page", 1, MAX_PAGE)
    page_size = parse_int(params.get("page_size") or str(default_page_size), "page_size", 1, MAX_PAGE_SIZE)
    point, radius = parse_point(params)
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise QueryError(_("Unknown sort %(sort)s; use one of: %(choices)s.") % {"sort": sort,
                                                                                "choices": ", ".join(SORTS)}, "sort")
    if sort == "distance" and point is None:
        raise QueryError(_("Sorting by distance needs lat and lon."), "sort")
    start_from = parse_date(params.get("start_from", ""), "start_from")
    start_to = parse_date(params.get("start_to", ""), "start_to")
    if start_from and start_to and start_to < start_from:
        raise QueryError(_("start_to must not be before start_from."), "start_to")
    return SearchQuery(
        q=q, filters=filters, sort=sort, page=page, page_size=page_size, point=point, radius_km=radius,
        start_from=start_from, start_to=start_to,
        hide_outdated=params.get("hide_outdated", "").lower() in TRUE_VALUES,
        language=parse_language(params.get("lang", "")),
    )


def active_content_language() -> str | None:
    from django.utils import translation
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None


def parse_language(raw: str) -> str | None:
    """Which language versions of courses to show: ``lang`` if given, else the visitor's language."""
    from .documents import content_languages

    if not raw:
        return active_content_language()
    if raw not in content_languages():
        raise QueryError(_("Unknown language %(lang)s; use one of: %(choices)s.")
                         % {"lang": raw, "choices": ", ".join(content_languages())}, "lang")
    return raw


def parse_point(params: QueryDict) -> tuple[GeoPoint | None, float | None]:
    lat_raw, lon_raw = params.get("lat", "").strip(), params.get("lon", "").strip()
    if not lat_raw and not lon_raw:
        if params.get("radius"):
            raise QueryError(_("A radius needs lat and lon."), "radius")
        return None, None
    if not (lat_raw and lon_raw):
        raise QueryError(_("Give both lat and lon."), "lat" if not lat_raw else "lon")
    lat = parse_float(lat_raw, "lat", -90, 90)
    lon = parse_float(lon_raw, "lon", -180, 180)
    radius = parse_float(params.get("radius") or str(DEFAULT_RADIUS_KM), "radius", 0.1, MAX_RADIUS_KM)
    return GeoPoint(lat, lon), radius


def query_to_params(query: SearchQuery) -> list[tuple[str, str]]:
    """The URL parameters that reproduce ``query`` (page excluded)."""
    items: list[tuple[str, str]] = []
    if query.q:
        items.append(("q", query.q))
    for facet, values in query.active_filters().items():
        items += [(facet, v) for v in values]
    if query.point:
        items += [("lat", f"{query.point.lat:g}"), ("lon", f"{query.point.lon:g}"), ("radius", f"{query.radius_km:g}")]
    if query.start_from:
        items.append(("start_from", query.start_from.isoformat()))
    if query.start_to:
        items.append(("start_to", query.start_to.isoformat()))
    if query.hide_outdated:
        items.append(("hide_outdated", "1"))
    if query.sort != "relevance":
        items.append(("sort", query.sort))
    return items
