"""Production settings: `check --deploy` passes, secrets come only from the environment, and the security
headers (HSTS, CSP, frame options, referrer policy, nosniff) are really sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.factories import create_course

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "k3Jd8sQz-production-like-secret-8fQ2vLw9xR4tY7uI0oP5aS6dF1gH3jK2lZ"


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET, ALLOWED_HOSTS="learning.example.org,testserver",
               SQLITE_PATH=str(tmp_path / "prod.sqlite3"), DJANGO_SETTINGS_MODULE="cms.settings")
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_environment(tmp_path):
    args = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(args, production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_catches_a_weak_secret(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="short")
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


PRODUCTION_PROBE = textwrap.dedent("""
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client
    client = Client()
    plain = client.get("/healthz")
    secure = client.get("/healthz", secure=True)
    print(json.dumps({
        "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
        "secure_status": secure.status_code, "headers": dict(secure.headers),
        "session_cookie_secure": settings.SESSION_COOKIE_SECURE, "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
        "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY, "hsts": settings.SECURE_HSTS_SECONDS,
    }))
""")


def test_production_sends_secure_headers_and_redirects_to_https(tmp_path):
    result = run([sys.executable, "-c", PRODUCTION_PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["plain_status"] == 301 and probe["plain_location"].startswith("https://")
    assert probe["secure_status"] == 200
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert probe["session_cookie_secure"] and probe["csrf_cookie_secure"] and probe["session_cookie_httponly"]
    assert probe["hsts"] >= 31536000


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_public_pages_get_a_strict_policy(client, institution):
    course = create_course(institution, "书法入门")
    for url in ("/", "/courses/", course.url, "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = csp_directives(response)
        assert "'unsafe-inline'" not in directives["script-src"], url
        assert "'unsafe-eval'" not in directives["script-src"], url
        # Only this site's files, plus the per-request nonce when a template asked for one.
        assert all(source == "'self'" or source.startswith("'nonce-") for source in directives["script-src"]), url
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_wagtail_admin_works_under_its_own_policy(client, superuser, institution):
    course = create_course(institution, "书法入门")
    client.force_login(superuser)
    for url in ("/admin/", f"/admin/pages/{course.pk}/edit/", "/admin/images/", "/admin/snippets/catalogue/venue/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = csp_directives(response)
        assert directives["frame-ancestors"] == ["'self'"], url  # the page preview frames the admin's own views
        assert directives["object-src"] == ["'none'"], url
    preview = client.post(f"/admin/pages/{course.pk}/edit/preview/", {})
    assert preview.status_code == 200
    assert client.get(f"/admin/pages/{course.pk}/edit/preview/")["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_senior_mode_cookie_is_lax_and_not_cross_site(client):
    response = client.post("/senior-mode/", {"on": "1", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"  # no open redirect
    assert response.cookies["senior_mode"]["samesite"] == "Lax"
