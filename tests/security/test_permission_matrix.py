"""Generated from permission_matrix.MATRIX: one test per (route, role), plus a walk over the URL resolver
that fails when a named route is missing from the table."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .permission_matrix import MATRIX, WORLD_EXTRAS, Route
from .roles import ROLES, build_world

# Routes under these prefixes belong to Wagtail's or Django's admin; they are covered by explicit rows
# for their entry points, and required in the table only when the view is the project's own.
ADMIN_PREFIXES = ("admin/", "django-admin/")
PROJECT_PACKAGES = {"cms", "catalogue", "proposals", "reviews", "search", "freshness"}
# Views that are not endpoints a person or client uses.
NOT_ENDPOINTS = {"wagtailcore_authenticate_with_password"}
REFUSAL_STATUSES = {401, 403, 404}
SIGN_IN_PATHS = ("/accounts/login/", "/admin/login/", "/django-admin/login/", "/_util/login/")


def walk_routes(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    """(full name, route text, view module) for every named route."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from walk_routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), view_module(pattern.callback)


def view_module(callback) -> str:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return (view_class or callback).__module__


def routes_that_need_a_row() -> set[str]:
    needed = set()
    for name, route, module in walk_routes(get_resolver()):
        is_admin = route.lstrip("^").startswith(ADMIN_PREFIXES)
        is_project_view = module.split(".")[0] in PROJECT_PACKAGES
        if name not in NOT_ENDPOINTS and (not is_admin or is_project_view):
            needed.add(name)
    return needed


def test_every_named_route_is_in_the_matrix():
    missing = routes_that_need_a_row() - {route.name for route in MATRIX}
    assert not missing, f"Add these routes to tests/security/permission_matrix.py: {sorted(missing)}"


def test_matrix_rows_are_unique():
    ids = [route.id for route in MATRIX]
    assert len(ids) == len(set(ids)), "Give rows for the same URL name distinct labels"


def redirect_target(response) -> str | None:
    return urlsplit(response["Location"]).path if response.status_code in (301, 302) else None


def is_refusal(response) -> bool:
    target = redirect_target(response)
    if target is not None:
        return target.endswith(SIGN_IN_PATHS) or target == reverse("wagtailadmin_home")
    return response.status_code in REFUSAL_STATUSES


MATRIX_FILES = Path(tempfile.mkdtemp(prefix="matrix-files-"))
PRIVATE_IN_TMP = {"BACKEND": settings.STORAGES["private"]["BACKEND"],
                  "OPTIONS": {**settings.STORAGES["private"].get("OPTIONS", {}), "location": MATRIX_FILES / "private"}}


@override_settings(MEDIA_ROOT=MATRIX_FILES / "media", STORAGES={**settings.STORAGES, "private": PRIVATE_IN_TMP})
class PermissionMatrixTests(TestCase):
    """Data is built once for the class; each generated test makes one request as one role."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        for extend in WORLD_EXTRAS:
            extend(cls.world)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MATRIX_FILES, ignore_errors=True)

    def setUp(self):
        cache.clear()  # sign-in rate limits must not carry over between requests

    def request_as(self, route: Route, role: str):
        user = self.world.users[role]
        if user is not None:
            self.client.force_login(user)
        url = route.path(self.world) if route.path else reverse(route.name, kwargs=route.kwargs(self.world)
                                                                if route.kwargs else None)
        data = route.data(self.world) if route.data else {}
        return getattr(self.client, route.method)(url, data)

    def check(self, route: Route, role: str) -> None:
        response = self.request_as(route, role)
        where = f"{route.method.upper()} {route.id} as {role}: {response.status_code} {response.get('Location', '')}"
        if role in route.allowed:
            self.assertIn(response.status_code, route.ok, where)
            self.assertFalse((redirect_target(response) or "").endswith(SIGN_IN_PATHS), where)
        else:
            self.assertTrue(is_refusal(response), f"should be refused: {where}")


def _make_test(route: Route, role: str):
    def test(self):
        self.check(route, role)

    test.__doc__ = f"{route.id}: {role} is {'allowed' if role in route.allowed else 'refused'}"
    return test


for _route in MATRIX:
    for _role in ROLES:
        setattr(PermissionMatrixTests, f"test_{_route.id}__{_role}".replace("-", "_"), _make_test(_route, _role))
