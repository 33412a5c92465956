"""Who may use which route: the one table the permission tests are generated from.

Every named route of the project must appear here (test_permission_matrix walks the URL resolver and fails
on any that is missing), so a new view cannot ship without saying who may use it.

To add a row: ``Route(name, allowed, ...)`` with
- ``name``: the URL name as ``reverse`` takes it ("proposals:detail");
- ``allowed``: the roles that succeed (sets from roles.py: EVERYONE, SIGNED_IN, EDITORS, PLATFORM, ...);
- ``kwargs``: a function World -> URL kwargs (objects in World; put new ones in ``world.extras`` from
  ``WORLD_EXTRAS`` below), or ``path`` for pages Wagtail serves;
- ``method``/``data``: "post" and a function World -> form data for POST endpoints;
- ``ok``: the statuses that mean success (a POST that redirects after success: ``ok=(302,)``);
- ``label``: tells several rows for one URL name apart.
An allowed role must not be sent to a sign-in page. Every role not in ``allowed`` must be refused:
401/403/404, or a redirect to a sign-in page or to the admin dashboard (Wagtail's "no permission" answer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .matrix_commissioning import ADMIN_USERS
from .roles import (
    EDITORS,
    EVERYONE,
    INSTITUTION_STAFF,
    NOBODY,
    PLATFORM,
    SIGNED_IN,
    SUPERUSER,
    World,
)


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[str]
    kwargs: Callable[[World], dict] | None = None
    path: Callable[[World], str] | None = None
    method: str = "get"
    data: Callable[[World], dict] | None = None
    ok: tuple[int, ...] = (200,)
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.name.replace(":", "-")


# Apps add objects their rows need: a function World -> None that fills world.extras.
WORLD_EXTRAS: list[Callable[[World], None]] = []


def _catalogue_snippets(world: World) -> None:
    """Teachers and venues belong to an institution: its staff edit their own, platform editors all."""
    from tests.factories import TeacherFactory, VenueFactory

    world.extras["own_teacher"] = TeacherFactory(institution=world.institution)
    world.extras["other_teacher"] = TeacherFactory(institution=world.other_institution)
    world.extras["other_venue"] = VenueFactory(institution=world.other_institution)


WORLD_EXTRAS.append(_catalogue_snippets)


def _snippet(key: str) -> Callable[[World], dict]:
    return lambda w: {"pk": (getattr(w, key, None) or w.extras[key]).pk}


def _login_data(world: World) -> dict:
    return {"username": "nobody-here", "password": "wrong-password"}


def _default_site_pk() -> int:
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).pk


def _platform_settings(world: World) -> dict:
    return {"app_name": "cms", "model_name": "platformsettings", "pk": _default_site_pk()}


def _add_course(parent_attr: str) -> Callable[[World], dict]:
    return lambda world: {"content_type_app_name": "catalogue", "content_type_model_name": "coursepage",
                          "parent_page_id": getattr(world, parent_attr).pk}


def _edit(page_attr: str) -> Callable[[World], dict]:
    return lambda world: {"page_id": getattr(world, page_attr).pk}


PUBLIC_SITE = [
    Route("wagtail_serve", EVERYONE, path=lambda w: "/", label="home-page"),
    Route("wagtail_serve", EVERYONE, path=lambda w: "/courses/", label="catalogue-page"),
    Route("wagtail_serve", EVERYONE, path=lambda w: "/courses/?q=书法&free=on&sort=start", label="catalogue-filtered"),
    Route("wagtail_serve", EVERYONE, path=lambda w: "/courses/institutions/", label="institution-list"),
    Route("wagtail_serve", EVERYONE, path=lambda w: w.institution.url, label="institution-page"),
    Route("wagtail_serve", EVERYONE, path=lambda w: w.own_course.url, label="course-page"),
    Route("wagtail_serve", EVERYONE, path=lambda w: "/en/courses/", label="catalogue-page-english"),
    # Unpublished pages are served to nobody; editors see them only through the admin preview.
    Route("wagtail_serve", NOBODY, path=lambda w: w.draft_course.get_url(), label="draft-course-page"),
    Route("catalogue:venue", EVERYONE, kwargs=lambda w: {"pk": w.venue.pk}),
    Route("health", EVERYONE),
    Route("login", EVERYONE),
    Route("login", EVERYONE, method="post", data=_login_data, label="login-post"),
    Route("wagtailcore_login", EVERYONE),
    Route("logout", EVERYONE, method="post", ok=(302,)),
    Route("set_language", EVERYONE, method="post", data=lambda w: {"language": "en", "next": "/"}, ok=(302,)),
    Route("senior_mode", EVERYONE, method="post", data=lambda w: {"on": "1", "next": "/"}, ok=(302,)),
    Route("wagtaildocs_serve", EVERYONE,
          path=lambda w: f"/documents/{w.public_document.pk}/{w.public_document.filename}", label="public-document"),
    Route("wagtaildocs_serve", SIGNED_IN,
          path=lambda w: f"/documents/{w.login_document.pk}/{w.login_document.filename}",
          label="members-only-document"),
    Route("wagtaildocs_authenticate_with_password", EVERYONE,
          kwargs=lambda w: {"restriction_id": w.password_restriction.pk}),
]

WAGTAIL_ADMIN = [
    # Signed-in editors are sent on to the dashboard; everyone else gets the form.
    Route("wagtailadmin_login", EVERYONE, ok=(200, 302)),
    Route("wagtailadmin_password_reset", EVERYONE),
    Route("wagtailadmin_home", ADMIN_USERS),
    Route("wagtailadmin_pages:edit", EDITORS, kwargs=_edit("own_course"), label="edit-own-course"),
    Route("wagtailadmin_pages:edit", PLATFORM, kwargs=_edit("other_course"), label="edit-other-institution-course"),
    Route("wagtailadmin_pages:edit", EDITORS, kwargs=_edit("institution"), label="edit-own-institution"),
    Route("wagtailadmin_pages:add", EDITORS, kwargs=_add_course("institution"), label="add-course-to-own-institution"),
    Route("wagtailadmin_pages:add", PLATFORM, kwargs=_add_course("other_institution"),
          label="add-course-to-other-institution"),
    # Wagtail lets whoever may publish under a page delete it too: institutions manage their own courses.
    Route("wagtailadmin_pages:delete", EDITORS, kwargs=_edit("own_course"), label="delete-own-course"),
    Route("wagtailadmin_pages:delete", PLATFORM, kwargs=_edit("other_course"), label="delete-other-institution-course"),
    Route("wagtailadmin_pages:unpublish", PLATFORM, kwargs=_edit("other_course"),
          label="unpublish-other-institution-course"),
    Route("wagtailsnippets_catalogue_venue:list", EDITORS, label="snippets-venues"),
    Route("wagtailsnippets_catalogue_teacher:list", EDITORS, label="snippets-teachers"),
    Route("wagtailsnippets_catalogue_venue:edit", EDITORS, kwargs=_snippet("venue"), label="edit-own-venue"),
    Route("wagtailsnippets_catalogue_venue:edit", PLATFORM, kwargs=_snippet("other_venue"),
          label="edit-other-institution-venue"),
    Route("wagtailsnippets_catalogue_teacher:edit", EDITORS, kwargs=_snippet("own_teacher"), label="edit-own-teacher"),
    Route("wagtailsnippets_catalogue_teacher:edit", PLATFORM, kwargs=_snippet("other_teacher"),
          label="edit-other-institution-teacher"),
    Route("wagtailsnippets_catalogue_category:list", PLATFORM, label="snippets-categories"),
    Route("wagtailsnippets_catalogue_area:list", PLATFORM, label="snippets-areas"),
    Route("wagtailsnippets_catalogue_membership:list", PLATFORM, label="snippets-memberships"),
    Route("wagtailimages:index", EDITORS, label="images"),
    Route("wagtaildocs:index", ADMIN_USERS, label="documents"),
    Route("wagtailadmin_reports:locked_pages", PLATFORM | (ADMIN_USERS - EDITORS), label="report-locked-pages"),
    Route("wagtailadmin_reports:aging_pages", ADMIN_USERS, label="report-aging-pages"),
    Route("wagtailadmin_reports:site_history", ADMIN_USERS, label="report-site-history"),
    Route("wagtailusers_users:index", frozenset({SUPERUSER}), label="users"),
    Route("wagtailusers_groups:index", frozenset({SUPERUSER}), label="groups"),
    Route("wagtailsites:index", frozenset({SUPERUSER}), label="sites"),
    Route("wagtailsettings:edit", frozenset({SUPERUSER}), kwargs=_platform_settings, label="platform-settings"),
]

DJANGO_ADMIN = [
    Route("admin:index", frozenset({SUPERUSER}), label="django-admin"),
]

# Apps append their rows here (or in their own module imported below) as their views land.
MATRIX: list[Route] = PUBLIC_SITE + WAGTAIL_ADMIN + DJANGO_ADMIN

from . import matrix_commissioning  # noqa: E402  (its rows need Route, defined above)

if matrix_commissioning.ENABLED:
    MATRIX += matrix_commissioning.rows()
    WORLD_EXTRAS.append(matrix_commissioning.build_commissioning_world)

from . import tables_search  # noqa: E402

MATRIX += tables_search.matrix_rows(Route)

__all__ = ["MATRIX", "Route", "WORLD_EXTRAS", "INSTITUTION_STAFF"]
