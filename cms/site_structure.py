"""Create the page tree a fresh platform needs: locales, home page, course catalogue, the default site."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

CATALOGUE_TITLES = {"zh-hans": "课程超市", "zh-hant": "課程超市", "en": "Course marketplace"}
MAP_TITLES = {"zh-hans": "学习地图", "zh-hant": "學習地圖", "en": "Learning map"}
HOME_TITLES = {"zh-hans": "终身学习平台", "zh-hant": "終身學習平台", "en": "Learning City"}


def ensure_locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}


@transaction.atomic
def ensure_site_structure():
    """Idempotent. Returns the default-language home page."""
    from catalogue.models import CatalogueIndexPage
    from cms.models import HomePage

    locales = ensure_locales()
    default_locale = locales[settings.LANGUAGE_CODE]
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        # Wagtail's first migration leaves a plain "Welcome" page; the home page takes its place.
        for welcome in Page.objects.filter(depth=2, content_type__model="page"):
            Site.objects.filter(root_page=welcome).delete()
            welcome.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(
            title=HOME_TITLES.get(default_locale.language_code, "Learning City"), slug="home", locale=default_locale
        ))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name=settings.WAGTAIL_SITE_NAME)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    catalogue = CatalogueIndexPage.objects.filter(locale=default_locale).first()
    if catalogue is None:
        home.refresh_from_db()
        catalogue = home.add_child(instance=CatalogueIndexPage(
            title=CATALOGUE_TITLES.get(default_locale.language_code, "Courses"), slug="courses",
            locale=default_locale,
        ))
    ensure_translations(home, catalogue, locales)
    ensure_learning_map(home, locales)
    from proposals.site import ensure_call_index

    ensure_call_index(home, locales)
    return home


def ensure_section_page(home, model, slug: str, titles: dict[str, str], locales: dict):
    """Idempotent: a page of `model` at /<slug>/ under the home page, published in every language whose home
    page exists. Returns the default-language page. Other apps use this for their own sections."""
    page = model.objects.filter(locale_id=home.locale_id).first()
    if page is None:
        home.refresh_from_db()
        page = home.add_child(instance=model(
            title=titles.get(home.locale.language_code, slug), slug=slug, locale_id=home.locale_id,
        ))
        page.save_revision().publish()
    for code, locale in locales.items():
        if locale.pk == page.locale_id or page.get_translation_or_none(locale) is not None:
            continue
        if home.get_translation_or_none(locale) is None:
            continue
        translated = page.copy_for_translation(locale)
        translated.title = titles.get(code, page.title)
        translated.save_revision().publish()
    return page


def ensure_learning_map(home, locales: dict) -> None:
    """The learning map page at /map/, in every language."""
    from cms.models import LearningMapPage

    ensure_section_page(home, LearningMapPage, "map", MAP_TITLES, locales)


def ensure_translations(home, catalogue, locales: dict[str, Locale]) -> None:
    """Home and catalogue pages exist in every language so /en/ and /zh-hant/ have a tree."""
    for code, locale in locales.items():
        if locale.pk == home.locale_id:
            continue
        home_t = home.get_translation_or_none(locale)
        if home_t is None:
            home_t = home.copy_for_translation(locale)
            home_t.title = HOME_TITLES.get(code, home.title)
            home_t.save_revision().publish()
        catalogue_t = catalogue.get_translation_or_none(locale)
        if catalogue_t is None:
            catalogue_t = catalogue.copy_for_translation(locale)
            catalogue_t.title = CATALOGUE_TITLES.get(code, catalogue.title)
            catalogue_t.save_revision().publish()
