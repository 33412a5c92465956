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


def _page_translation_url(page, code: str, request) -> str | None:
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return None
    target = page if page.locale_id == locale.pk else page.get_translation_or_none(locale)
    if target is None or not target.live:
        return None
    return target.get_url(request)


def _home_url(code: str, request) -> str:
    from wagtail.models import Locale, Site

    site = Site.find_for_request(request)
    locale = Locale.objects.filter(language_code=code).first()
    if site and locale:
        home = site.root_page if site.root_page.locale_id == locale.pk else site.root_page.get_translation_or_none(
            locale
        )
        if home is not None and home.live:
            return home.get_url(request) or "/"
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


def _same_page_url(context, code: str, current_language: str) -> str | None:
    request = context.get("request")
    page = context.get("page")
    from wagtail.models import Page

    if isinstance(page, Page):
        current = page.get_url(request) or ""
        url = _page_translation_url(page, code, request)
        if url is None:
            return None
        # Routable sub-pages (e.g. /courses/institutions/) keep their tail in the other language.
        tail = request.path[len(current):] if current and request.path.startswith(current) else ""
        return url + tail
    # translate_url resolves the path in the language it was written in, so leave that language active.
    with translation.override(current_language):
        translated = translate_url(request.path, code)
    return translated if translated != request.path or code == current_language else None


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the same page in that language where it exists, else that language's home."""
    request = context.get("request")
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if request is not None:
            with translation.override(code):
                url = _same_page_url(context, code, current)
                if url is None:
                    url = _home_url(code, request)
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
