"""Template tags for the site chrome: the language switcher."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()

SHORT_NAMES = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}
HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


@register.filter
def html_lang(code: str) -> str:
    """BCP 47 tag for a Django language code (zh-hans → zh-Hans)."""
    return HTML_LANG.get(code, code)


def _locales() -> dict:
    from wagtail.models import Locale

    return {locale.language_code: locale for locale in Locale.objects.all()}


def _live_translations(page) -> dict:
    """locale id → live translation of the page (the page itself included), in one query."""
    return {p.locale_id: p for p in page.get_translations(inclusive=True).live().only("id", "locale_id", "url_path")}


def _home_url(code: str, request, locales: dict | None = None) -> str:
    from wagtail.models import Site

    site = Site.find_for_request(request)
    locale = (locales if locales is not None else _locales()).get(code)
    if site and locale:
        home = _live_translations(site.root_page).get(locale.pk)
        if home is not None:
            return home.get_url(request) or "/"
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


def _same_page_url(context, code: str, current_language: str, translations: dict | None, locales: dict) -> str | None:
    request = context.get("request")
    page = context.get("page")
    if translations is not None:
        locale = locales.get(code)
        target = translations.get(locale.pk) if locale else None
        if target is None:
            return None
        current = page.get_url(request) or ""
        # Routable sub-pages (e.g. /courses/institutions/) keep their tail in the other language.
        tail = request.path[len(current):] if current and request.path.startswith(current) else ""
        return (target.get_url(request) or "/") + tail
    # translate_url resolves the path in the language it was written in, so leave that language active.
    with translation.override(current_language):
        translated = translate_url(request.path, code)
    return translated if translated != request.path or code == current_language else None


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the same page in that language where it exists, else that language's home."""
    from wagtail.models import Page

    request = context.get("request")
    current = translation.get_language()
    page = context.get("page")
    locales = _locales() if request is not None else {}
    translations = _live_translations(page) if isinstance(page, Page) and request is not None else None
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if request is not None:
            with translation.override(code):
                url = _same_page_url(context, code, current, translations, locales)
                if url is None:
                    url = _home_url(code, request, locales)
                elif request.GET:
                    url = f"{url}?{request.GET.urlencode()}"
        links.append({
            "code": code, "lang": html_lang(code), "name": name, "short": SHORT_NAMES.get(code, name),
            "url": url or "/", "current": code == current,
        })
    return links


@register.simple_tag(takes_context=True)
def nav_url(context, slug: str, tail: str = "") -> str:
    """URL of the site page with this slug, in the active language when it is translated."""
    from wagtail.models import Page, Site

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    pages = Page.objects.in_site(site) if site else Page.objects.all()
    page = pages.filter(slug=slug).first()
    if page is None:
        return "/" + (f"{slug}/" if slug else "") + tail
    return (page.localized.get_url(request) or "/") + tail


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    request = context.get("request")
    return _home_url(translation.get_language(), request) if request is not None else "/"
