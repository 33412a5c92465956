"""Key public pages in a real browser: both languages, senior mode, no serious accessibility violations."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS, describe, run_axe
from tests.e2e.pages import PAGES

pytestmark = [pytest.mark.e2e]


def switch_language(tab, label: str) -> None:
    tab.locator(".lang-switch").get_by_role("link", name=label, exact=True).click()
    tab.wait_for_load_state()


@pytest.mark.parametrize("public_page", PAGES, ids=[p.name for p in PAGES])
def test_page_is_accessible_in_both_languages_and_senior_mode(page, seeded, public_page):
    url = public_page.url(seeded)
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("main#main h1").count() >= 1
    violations = run_axe(page)
    assert not violations, f"{url} (zh-hans):\n{describe(violations)}"

    switch_language(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    if public_page.translated and url != "/":
        assert not page.url.split("?")[0].endswith("/en/"), f"no English version of {url}: landed on {page.url}"
    violations = run_axe(page)
    assert not violations, f"{page.url} (en):\n{describe(violations)}"

    switch_language(page, "简体")
    page.locator("button.senior-toggle").click()
    page.wait_for_function("document.documentElement.classList.contains('senior')")
    page.reload()
    assert "senior" in (page.locator("html").get_attribute("class") or ""), "senior mode is not remembered"
    violations = run_axe(page)
    assert not violations, f"{url} (senior):\n{describe(violations)}"


def test_catalogue_filter_and_paging(page, seeded):
    page.goto("/courses/")
    heading = page.locator("#results-heading")
    total = int(re.search(r"\d+", heading.inner_text()).group())
    from catalogue.models import CoursePage

    # The seeded English translation of a course is not listed a second time on the Chinese catalogue.
    assert total == CoursePage.objects.live().filter(locale__language_code="zh-hans").count()
    first_on_page_one = page.locator(".course-card h3").first.inner_text()

    page.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert "page=2" in page.url
    assert page.locator(".course-card h3").first.inner_text() != first_on_page_one

    page.goto("/courses/")
    page.locator("input[name=audience][value=seniors]").check()
    page.locator(".filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "audience=seniors" in page.url
    filtered = int(re.search(r"\d+", page.locator("#results-heading").inner_text()).group())
    assert 0 < filtered < total
    assert page.locator("input[name=audience][value=seniors]").is_checked()


def test_learning_map_sorts_by_distance_from_chosen_district(page, seeded):
    page.goto("/map/")
    page.locator("select[name=near]").select_option(str(seeded["west"].pk))
    page.locator(".filters button[type=submit]").click()
    page.wait_for_load_state()
    cards = page.locator(".venue-card h3")
    assert cards.first.inner_text() == seeded["school"].name
    assert page.locator(".venue-card .distance").count() == 2
    page.get_by_role("link", name=seeded["east"].name, exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".venue-card h3").all_inner_texts() == [seeded["library"].name]


def test_learning_map_draws_a_map_layer_only_when_tiles_are_configured(page, seeded):
    from wagtail.models import Site

    from cms.models import PlatformSettings

    page.goto("/map/")
    assert page.locator(".map-layer").count() == 0
    settings = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    settings.map_tile_url = "/static/cms/no-tiles/{z}/{x}/{y}.png"
    settings.save()
    page.goto("/map/")
    page.wait_for_selector(".map-layer a.marker")
    assert page.locator(".map-layer a.marker").count() == 2
    assert page.locator(".map-layer img.tile").count() >= 1
    assert not run_axe(page)


def test_home_shows_courses_near_a_district_and_featured_collections(page, seeded):
    page.goto("/")
    assert page.get_by_role("heading", name="快递小哥学院").is_visible()
    assert page.locator("section.collection").nth(1).locator(".course-card").count() >= 1
    page.locator("#near-district").select_option(str(seeded["east"].pk))
    page.locator(".near-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".near .venue-card").count() > 0
    assert "公里" in page.locator(".near .venue-card .distance").first.inner_text()

    # The header search box sends the query to the unified search page.
    page.get_by_role("searchbox").fill("太极")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_load_state()
    assert re.search(r"/search/\?q=%E5%A4%AA%E6%9E%81", page.url), page.url


def test_senior_mode_and_skip_link_work_without_javascript(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/courses/")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.className") == "skip-link"
        tab.keyboard.press("Enter")
        assert tab.url.endswith("#main")
        tab.locator("button.senior-toggle").click()
        tab.wait_for_load_state()
        assert tab.url.endswith("/courses/")
        assert "senior" in (tab.locator("html").get_attribute("class") or "")
        assert tab.locator("button.senior-toggle").get_attribute("aria-pressed") == "true"
    finally:
        context.close()


def test_course_page_offers_calendar_and_share_link(page, seeded):
    course = seeded["courses"][0]
    page.goto(course.url)
    with page.expect_download() as download_info:
        page.locator(".run-actions a").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("BEGIN:VCALENDAR")
    share = page.locator("#share-url")
    assert share.input_value().endswith(course.url)
    assert page.locator("[data-copy-target]").is_visible()


def test_screenshots_for_visual_review(page, seeded):
    """Saves phone-sized screenshots under tests/e2e/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/")
    page.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)
    page.goto(seeded["courses"][0].url)
    page.locator("button.senior-toggle").click()
    page.wait_for_function("document.documentElement.classList.contains('senior')")
    page.screenshot(path=str(ARTIFACTS / "course-senior-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/en/map/?near={seeded['east'].pk}")
    page.screenshot(path=str(ARTIFACTS / "map-en-desktop.png"), full_page=True)
    assert (ARTIFACTS / "home-phone.png").stat().st_size > 10_000
