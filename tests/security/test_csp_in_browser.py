"""In a real browser the Content-Security-Policy blocks nothing the site itself needs: the public pages (with
and without Wagtail's user bar) and the Wagtail admin (dashboard, page editor, snippet form, image
library, page explorer) load without a CSP violation."""

from __future__ import annotations

import shutil

import pytest

from tests.factories import UserFactory, create_course, run_dates

# The live server needs committed data; the `site` fixture puts the migrated rows back after a flush.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (tests/e2e/install_deps.sh installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        violations: list[str] = []
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        yield page, violations
        browser.close()


def visit(page, url: str) -> None:
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url


@pytest.fixture
def course(institution):
    """Made before the browser starts: Django refuses database calls while Playwright's loop runs."""
    UserFactory(username="csp-admin", password="pass-word-123", is_staff=True, is_superuser=True)
    course = create_course(institution, "书法入门", runs=[run_dates(10)])
    return {"url": course.url, "pk": course.pk, "institution_pk": institution.pk}


def test_public_pages_and_admin_run_without_csp_violations(live_server, course, browser_page):
    page, violations = browser_page
    for path in ("/", "/courses/", course["url"], "/accounts/login/", "/search/?q=书法", "/map/", "/calls/",
                 "/topics/", "/en/courses/"):
        visit(page, live_server.url + path)
    assert violations == [], violations

    visit(page, live_server.url + "/admin/login/")
    page.fill("input[name=username]", "csp-admin")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for path in ("/admin/", f"/admin/pages/{course['pk']}/edit/", "/admin/snippets/catalogue/venue/add/",
                 "/admin/images/", f"/admin/pages/{course['institution_pk']}/"):
        visit(page, live_server.url + path)
    assert violations == [], violations
    # Signed in, public pages carry Wagtail's user bar; it must run under the public policy too.
    visit(page, live_server.url + course["url"])
    assert page.locator("wagtail-userbar").count() == 1
    assert violations == [], violations
    # The editor's scripts ran: Wagtail's Stimulus controllers mark the page as initialised.
    visit(page, live_server.url + f"/admin/pages/{course['pk']}/edit/")
    assert page.locator("[data-controller]").count() > 0
    assert page.evaluate("typeof window.wagtailConfig") == "object"
