"""The calls section of the page tree."""

from __future__ import annotations

from wagtail.models import Locale, Page

CALLS_TITLES = {"zh-hans": "课程征集", "zh-hant": "課程徵集", "en": "Calls for proposals"}


def ensure_call_index(home: Page, locales: dict[str, Locale]):
    """Idempotent: /calls/ under the home page in every language; call managers get its page permissions."""
    from .models import CallIndexPage
    from .roles import CALL_MANAGERS, grant_call_pages

    index = CallIndexPage.objects.filter(locale_id=home.locale_id).first()
    if index is None:
        home.refresh_from_db()
        index = home.add_child(instance=CallIndexPage(
            title=CALLS_TITLES.get(home.locale.language_code, "Calls"), slug="calls", locale_id=home.locale_id,
        ))
        index.save_revision().publish()
    for code, locale in locales.items():
        if locale.pk == index.locale_id or index.get_translation_or_none(locale) is not None:
            continue
        if home.get_translation_or_none(locale) is None:
            continue
        translated = index.copy_for_translation(locale)
        translated.title = CALLS_TITLES.get(code, index.title)
        translated.save_revision().publish()
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=CALL_MANAGERS).first()
    if group is not None:
        grant_call_pages(group)
    return index
