"""The calls section of the page tree."""

from __future__ import annotations

from wagtail.models import Locale, Page

CALLS_TITLES = {"zh-hans": "课程征集", "zh-hant": "課程徵集", "en": "Calls for proposals"}


def ensure_call_index(home: Page, locales: dict[str, Locale]):
    """Idempotent: /calls/ under the home page in every language; call managers get its page permissions."""
    from cms.site_structure import ensure_section_page

    from .models import CallIndexPage
    from .roles import CALL_MANAGERS, grant_call_pages

    index = ensure_section_page(home, CallIndexPage, "calls", CALLS_TITLES, locales)
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=CALL_MANAGERS).first()
    if group is not None:
        grant_call_pages(group)
    return index
