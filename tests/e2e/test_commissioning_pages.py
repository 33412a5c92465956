"""Commissioning pages in a real browser: the public call and topic pages, and the proposal form an
institution member fills in, checked with axe-core like the other public pages."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import describe, run_axe

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def open_call(seeded):
    from proposals.models import CallIndexPage
    from proposals.tests.fixtures import make_call

    return make_call(CallIndexPage.objects.filter(locale__language_code="zh-hans").first())


def sign_in(tab, live_server, user) -> None:
    """Give the browser a real session for this user (the login form itself is tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("path", ["/calls/", "call", "/topics/"])
def test_commissioning_public_pages_are_accessible(page, open_call, path):
    url = open_call.url if path == "call" else path
    response = page.goto(url)
    assert response.status == 200
    assert open_call.title in page.content() or path == "/topics/"
    violations = run_axe(page)
    assert not violations, f"{url}:\n{describe(violations)}"


def test_proposal_form_is_accessible_and_saves(page, live_server, open_call, seeded):
    from proposals.models import Proposal
    from tests.factories import UserFactory, add_member

    member = UserFactory(username="e2e-applicant")
    add_member(member, seeded["college"])
    sign_in(page, live_server, member)

    response = page.goto(f"/proposals/new/{open_call.pk}/")
    assert response.status == 200
    violations = run_axe(page)
    assert not violations, f"new proposal form:\n{describe(violations)}"
    page.locator("input[name=title]").fill("长者手机课")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get(title="长者手机课")
    assert f"/proposals/{proposal.pk}/edit/" in page.url
    violations = run_axe(page)
    assert not violations, f"proposal edit form:\n{describe(violations)}"
