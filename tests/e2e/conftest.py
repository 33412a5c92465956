"""Browser tests: Debian's chromium driven by Playwright, axe-core served from node_modules.

No browser is ever downloaded: Playwright launches /usr/bin/chromium (override with E2E_CHROMIUM).
When chromium, axe-core or Playwright is missing the tests skip with a message saying what to install
(`make e2e-deps` installs them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def missing_requirement() -> str | None:
    if not CHROMIUM.exists():
        return f"e2e: chromium not found at {CHROMIUM}; run `make e2e-deps` (apt-get install chromium)"
    if not AXE.exists():
        return f"e2e: axe-core not found at {AXE}; run `make e2e-deps` (npm install)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "e2e: the playwright Python package is missing; run `make install`"
    return None


def pytest_collection_modifyitems(config, items):
    reason = missing_requirement()
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run next to one.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    chromium = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    try:
        yield chromium
    finally:
        chromium.close()
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def seeded(live_server):
    """A small catalogue behind the live server. The database is flushed after each test (live_server needs
    a transactional database), so the rows the migrations made are put back first."""
    from cms.site_structure import ensure_site_structure
    from tests.e2e.seed import (
        restore_migration_rows,
        seed_home_collections,
        seed_public_catalogue,
        translate_course,
    )

    restore_migration_rows()
    ensure_site_structure()
    data = seed_public_catalogue()
    seed_home_collections()
    data["course_en"] = translate_course(data["courses"][0], "en")
    return data


@pytest.fixture
def page(browser, live_server):
    # axe-core is injected as an inline script, which the site's CSP rightly refuses; the CSP itself is
    # checked page by page in tests/security/test_csp_in_browser.py.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def run_axe(tab) -> list[dict]:
    """Serious and critical axe-core violations on the loaded page."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"][:3]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} → {targets}")
    return "\n".join(lines)
