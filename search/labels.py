"""Labels and order of facet values, in the active language."""

from __future__ import annotations

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


def ordered_labels(facet: str, values: set[str]) -> list[tuple[str, str]]:
    """(value, label) pairs in display order for the given values of a facet."""
    if facet == "category":
        categories = list(Category.objects.all())
        by_pk = {c.pk: c for c in categories}

        def depth(c):
            return len(c.ancestors()) if c.parent_id in by_pk else 0

        # Depth-first: each category followed by its children, in sort order.
        children: dict = {}
        for c in categories:
            children.setdefault(c.parent_id, []).append(c)
        order: list[tuple[str, str]] = []

        def walk(parent_id, level):
            for c in children.get(parent_id, []):
                if c.slug in values:
                    order.append((c.slug, ("— " * level) + c.label))
                walk(c.pk, level + 1)

        walk(None, 0)
        return order
    if facet == "audience":
        return [(a.slug, a.label) for a in Audience.objects.filter(slug__in=values)]
    if facet == "language":
        return [(lang.code, lang.label) for lang in Language.objects.filter(code__in=values)]
    if facet == "level":
        return [(str(lv.number), str(lv)) for lv in QualificationLevel.objects.filter(number__in=numeric(values))]
    if facet == "mode":
        return [(value, label) for value, label in CoursePage.Mode.choices if value in values]
    if facet == "price":
        return [(v, str(PRICE_LABELS[v])) for v in PRICE_LABELS if v in values]
    if facet == "district":
        areas = Area.objects.filter(pk__in=numeric(values), level=Area.Level.DISTRICT).order_by("name")
        return [(str(a.pk), a.label) for a in areas]
    if facet == "institution":
        pages = InstitutionPage.objects.filter(pk__in=numeric(values)).order_by("title")
        return [(str(p.pk), p.title) for p in pages]
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
