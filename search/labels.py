"""Labels and order of facet values, in the active language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalogue.models import Area, Audience, Category, CoursePage, InstitutionPage, Language, QualificationLevel

from .backends.base import FACETS, RUN_STATUSES, FacetValue, SearchQuery

FACET_TITLES = {
    "category": _("Category"),
    "audience": _("Audience"),
    "level": _("Level"),
    "mode": _("Mode"),
    "language": _("Language"),
    "price": _("Price"),
    "district": _("District"),
    "institution": _("Institution"),
    "status": _("Availability"),
}
PRICE_LABELS = {"free": _("Free"), "paid": _("Paid")}
STATUS_LABELS = {
    "enrolling": _("Open for enrolment"),
    "upcoming": _("Coming soon"),
    "ongoing": _("Ongoing"),
    "ended": _("Ended"),
}
MAX_FACET_VALUES = 50


def bilingual(name: str, name_en: str) -> str:
    """The same choice as BilingualNameMixin.label, on plain values."""
    if (translation.get_language() or "").startswith("en") and name_en:
        return name_en
    return name


def ordered_labels(facet: str, values: set[str]) -> list[tuple[str, str]]:
    """(value, label) pairs in display order for the given values of a facet (plain value queries:
    this runs on every search)."""
    if facet == "category":
        rows = list(Category.objects.values_list("pk", "parent_id", "slug", "name", "name_en"))
        children: dict = {}
        for row in rows:
            children.setdefault(row[1], []).append(row)
        order: list[tuple[str, str]] = []

        def walk(parent_id, level, seen):
            for pk, _parent, slug, name, name_en in children.get(parent_id, []):
                if pk in seen:
                    continue
                if slug in values:
                    order.append((slug, ("— " * level) + bilingual(name, name_en)))
                walk(pk, level + 1, seen | {pk})

        walk(None, 0, frozenset())
        return order
    if facet == "audience":
        return [(slug, bilingual(name, name_en)) for slug, name, name_en in
                Audience.objects.filter(slug__in=values).values_list("slug", "name", "name_en")]
    if facet == "language":
        return list(Language.objects.filter(code__in=values).values_list("code", "name"))
    if facet == "level":
        return [(str(number), f"{number} · {bilingual(name, name_en)}") for number, name, name_en in
                QualificationLevel.objects.filter(number__in=numeric(values)).values_list("number", "name", "name_en")]
    if facet == "mode":
        return [(value, str(label)) for value, label in CoursePage.Mode.choices if value in values]
    if facet == "price":
        return [(v, str(PRICE_LABELS[v])) for v in PRICE_LABELS if v in values]
    if facet == "district":
        areas = Area.objects.filter(pk__in=numeric(values), level=Area.Level.DISTRICT).order_by("name")
        return [(str(pk), bilingual(name, name_en)) for pk, name, name_en in areas.values_list("pk", "name", "name_en")]
    if facet == "institution":
        pages = InstitutionPage.objects.filter(pk__in=numeric(values)).order_by("title")
        return [(str(pk), title) for pk, title in pages.values_list("pk", "title")]
    if facet == "status":
        return [(s, str(STATUS_LABELS[s])) for s in ("enrolling", "upcoming", "ongoing", "ended") if s in values]
    return [(v, v) for v in sorted(values)]


def numeric(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def facet_labels(counts: dict[str, dict[str, int]], query: SearchQuery) -> dict[str, list[FacetValue]]:
    """Turn raw counts into labelled facet values; selected values always show, even with no hits."""
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        raw = {str(k): int(v) for k, v in counts.get(facet, {}).items() if v}
        selected = set(query.selected(facet))
        values = set(raw) | selected
        if facet == "status":
            values &= set(RUN_STATUSES)
        items = [
            FacetValue(value=value, label=label, count=raw.get(value, 0), selected=value in selected)
            for value, label in ordered_labels(facet, values)
        ]
        if facet == "institution" and len(items) > MAX_FACET_VALUES:
            items.sort(key=lambda item: (not item.selected, -item.count, item.label))
            items = items[:MAX_FACET_VALUES]
        facets[facet] = items
    return facets
