"""{% related_courses page %}: "more like this" for a course page."""

from __future__ import annotations

from django import template

from ..backends import run_with_fallback

register = template.Library()


@register.inclusion_tag("search/related_courses.html")
def related_courses(page, limit: int = 4) -> dict:
    if page is None:
        return {"related": []}
    return {"related": run_with_fallback("more_like_this", page.pk, limit, page.locale.language_code)}
