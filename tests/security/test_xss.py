"""Script payloads in every text field of the public forms (xss_table.XSS_FORMS) come back escaped, and
text that editors save is escaped wherever the public site shows it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from tests.factories import VenueFactory, create_course, run_dates

from .roles import build_role_users
from .xss_table import DANGEROUS_MARKERS, PAYLOADS, XSS_FORMS, XssForm

pytestmark = pytest.mark.django_db


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_escaped(response, where: str) -> None:
    if response.status_code in (301, 302, 303):
        target = urlsplit(response["Location"])
        assert not target.scheme or target.scheme in ("http", "https"), f"{where}: redirect to {target.geturl()}"
        assert target.netloc in ("", "testserver"), f"{where}: redirect off site to {target.geturl()}"
        return
    assert response.status_code < 500, where
    if response.get("Content-Type", "").startswith("application/json"):
        return  # JSON is data, not markup: served as application/json with nosniff it is never run
    body = body_of(response)
    for marker in DANGEROUS_MARKERS:
        assert marker not in body, f"{where}: unescaped {marker!r}"


def cases():
    for form in XSS_FORMS:
        for field_name in form.fields:
            yield pytest.param(form, field_name, id=f"{form.label}-{field_name}")


@pytest.mark.parametrize(("form", "field_name"), list(cases()))
def test_script_payloads_come_back_escaped(client, site, form: XssForm, field_name: str):
    objs = form.setup()
    if form.role:
        objs["users"] = build_role_users(objs.get("institution") or _any_institution())
        client.force_login(objs["users"][form.role])
    form.prepare(objs)
    for payload in PAYLOADS:
        cache.clear()  # keep sign-in rate limits out of the way
        data = {**form.base(objs), **form.extra, field_name: payload}
        response = getattr(client, form.method)(form.url(objs), data)
        assert_escaped(response, f"{form.label}.{field_name}={payload!r}")
        for url in form.follow_up(objs):
            assert_escaped(client.get(url), f"{form.label} follow-up {url}")


def _any_institution():
    from tests.factories import create_institution

    return create_institution("转义角色学院")


def test_editor_text_is_escaped_on_every_public_page(client, institution):
    """Titles, summaries and names are typed by institution staff; the public must see them as text."""
    payload = PAYLOADS[0]
    venue = VenueFactory(name=payload, address=payload, institution=institution)
    course = create_course(institution, payload, summary=payload, runs=[{**run_dates(5), "venue": venue}])
    institution.title = payload
    institution.save_revision().publish()
    for url in ("/", "/courses/", f"/courses/?q={payload}", "/courses/institutions/", course.url,
                institution.url, venue.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response, url)
