"""Sign-in is rate limited on every sign-in route, and every POST endpoint refuses requests without a CSRF
token. New POST endpoints come in through the permission matrix (rows with method="post") or
CSRF_EXTRA_POSTS below."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from tests.factories import UserFactory, create_course

from .messages import RATE_LIMIT, SIGN_IN_LIMIT, says
from .permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

SIGN_IN_URLS = ["/accounts/login/", "/admin/login/", "/django-admin/login/", "/_util/login/", "/en/_util/login/",
                "/admin/password_reset/"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_every_sign_in_route_is_rate_limited(url):
    with translation.override("en" if url.startswith("/en/") else settings.LANGUAGE_CODE):
        view = resolve(url).func
    view_class = getattr(view, "view_class", None)
    assert getattr(view_class or view, "rate_limited_sign_in", False), f"{url} has no sign-in rate limit"


@override_settings(LOGIN_RATE_LIMIT_PER_USERNAME="3/h")
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_password_guessing_on_one_account_gets_429_with_a_message(client, url):
    UserFactory(username="amy", is_staff=True, is_superuser=True)
    for _ in range(3):
        assert client.post(url, {"username": "amy", "password": "guess"}).status_code == 200
    response = client.post(url, {"username": "amy", "password": "pass-word-123"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert says(response.content.decode(), SIGN_IN_LIMIT)
    assert "_auth_user_id" not in client.session  # even the right password waits
    # Another account from the same address is not locked out.
    UserFactory(username="bob")
    assert client.post(url, {"username": "bob", "password": "pass-word-123"}).status_code == 302


@override_settings(LOGIN_RATE_LIMIT_PER_ADDRESS="4/h", LOGIN_RATE_LIMIT_PER_USERNAME="100/h")
def test_spraying_many_accounts_from_one_address_gets_429(client):
    statuses = [client.post("/accounts/login/", {"username": f"user{n}", "password": "x"}).status_code
                for n in range(6)]
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429, 429]


@override_settings(LOGIN_RATE_LIMIT_PER_USERNAME="2/h")
def test_django_admin_sign_in_is_limited_too(client):
    for _ in range(2):
        client.post("/django-admin/login/", {"username": "root", "password": "guess"})
    response = client.post("/django-admin/login/", {"username": "root", "password": "guess"})
    assert response.status_code == 429
    assert says(response.content.decode(), RATE_LIMIT)


def test_reading_the_sign_in_page_is_never_limited(client):
    for _ in range(10):
        assert client.get("/accounts/login/").status_code == 200


# --- CSRF ---

# POST endpoints not in the matrix: (label, url builder taking the test's objects, data, user needed).
CSRF_EXTRA_POSTS = [
    ("admin-login", lambda objs: "/admin/login/", {"username": "root", "password": "x"}, False),
    ("django-admin-login", lambda objs: "/django-admin/login/", {"username": "root", "password": "x"}, False),
    ("page-edit", lambda objs: f"/admin/pages/{objs['course'].pk}/edit/", {"title": "x"}, True),
    ("image-add", lambda objs: "/admin/images/add/", {"title": "x"}, True),
    ("venue-add", lambda objs: "/admin/snippets/catalogue/venue/add/", {"name": "x"}, True),
    # Django REST framework's SessionAuthentication, not the middleware, guards the admin API.
    ("admin-api-action", lambda objs: f"/admin/api/main/pages/{objs['course'].pk}/action/copy/",
     {"destination_page_id": 1}, True),
]


def matrix_posts():
    return [route for route in MATRIX if route.method == "post"]


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def named_patterns(resolver: URLResolver, namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def url_with_placeholders(name: str) -> str:
    """The route's URL with placeholder arguments: CSRF is checked before the view looks anything up."""
    from django.urls import converters, reverse

    pattern = dict(named_patterns(get_resolver()))[name]
    kwargs = {key: 1 if isinstance(converter, converters.IntConverter) else "x"
              for key, converter in getattr(pattern.pattern, "converters", {}).items()}
    return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("route", matrix_posts(), ids=lambda route: route.id)
def test_matrix_post_endpoints_refuse_requests_without_csrf_token(csrf_client, site, route):
    url = url_with_placeholders(route.name)
    response = csrf_client.post(url, {"next": "/", "username": "a", "password": "b", "language": "en"})
    assert response.status_code == 403


@pytest.mark.parametrize(("label", "url", "data", "signed_in"), CSRF_EXTRA_POSTS,
                         ids=[row[0] for row in CSRF_EXTRA_POSTS])
def test_admin_post_endpoints_refuse_requests_without_csrf_token(csrf_client, superuser, institution, label, url,
                                                                 data, signed_in):
    objs = {"course": create_course(institution, "书法入门")}
    if signed_in:
        csrf_client.force_login(superuser)
    response = csrf_client.post(url(objs), data)
    assert response.status_code == 403


def test_a_real_form_with_its_token_is_accepted(csrf_client, site):
    page = csrf_client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    UserFactory(username="carla")
    response = csrf_client.post("/accounts/login/", {"username": "carla", "password": "pass-word-123",
                                                    "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# Views allowed to skip Django's CSRF middleware, each with its reason (route text -> reason). Django REST
# framework views are accepted when every authentication they use is SessionAuthentication, which enforces
# CSRF itself, or when they answer only safe methods (nothing to forge).
CSRF_EXEMPT_ALLOWED: dict[str, str] = {}


def checks_csrf_itself(callback) -> bool:
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return False
    from rest_framework.authentication import SessionAuthentication

    read_only = set(getattr(callback, "actions", None) or {"post": None}) <= {"get", "head", "options"}
    return read_only or all(issubclass(auth, SessionAuthentication) for auth in view_class.authentication_classes)


def walk_callbacks(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from walk_callbacks(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf_without_a_reason():
    exempt = {route for route, callback in walk_callbacks(get_resolver())
              if getattr(callback, "csrf_exempt", False) and not checks_csrf_itself(callback)}
    assert exempt <= set(CSRF_EXEMPT_ALLOWED), f"csrf_exempt views: {sorted(exempt - set(CSRF_EXEMPT_ALLOWED))}"
