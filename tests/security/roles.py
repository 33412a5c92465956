"""One user per role, and a small world of pages, snippets and files for the permission matrix.

Roles, from least to most trusted. Reviewers and call managers are groups the proposals app owns; when it
has created them (with their permissions) after migrate they are reused, otherwise they are created empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

PUBLIC = "public"
LEARNER = "learner"
INSTITUTION_MEMBER = "institution_member"
INSTITUTION_ADMIN = "institution_admin"
REVIEWER = "reviewer"
CALL_MANAGER = "call_manager"
PLATFORM_EDITOR = "platform_editor"
SUPERUSER = "superuser"

ROLES = (PUBLIC, LEARNER, INSTITUTION_MEMBER, INSTITUTION_ADMIN, REVIEWER, CALL_MANAGER, PLATFORM_EDITOR, SUPERUSER)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {PUBLIC}
INSTITUTION_STAFF = frozenset({INSTITUTION_MEMBER, INSTITUTION_ADMIN})
EDITORS = INSTITUTION_STAFF | {PLATFORM_EDITOR, SUPERUSER}
PLATFORM = frozenset({PLATFORM_EDITOR, SUPERUSER})
NOBODY: frozenset[str] = frozenset()

REVIEWERS_GROUP = "Reviewers"
CALL_MANAGERS_GROUP = "Call managers"


def build_role_users(institution) -> dict[str, object | None]:
    """A user for every role; ``public`` is None (anonymous). Institution roles belong to ``institution``."""
    from catalogue.models import Membership
    from catalogue.roles import PLATFORM_EDITORS, ensure_platform_editors
    from tests.factories import UserFactory, add_member

    ensure_platform_editors()
    users: dict[str, object | None] = {PUBLIC: None, LEARNER: UserFactory(username="role-learner")}
    users[INSTITUTION_MEMBER] = UserFactory(username="role-member")
    add_member(users[INSTITUTION_MEMBER], institution, Membership.Role.MEMBER)
    users[INSTITUTION_ADMIN] = UserFactory(username="role-institution-admin")
    add_member(users[INSTITUTION_ADMIN], institution, Membership.Role.ADMIN)
    for role, group_name in ((REVIEWER, REVIEWERS_GROUP), (CALL_MANAGER, CALL_MANAGERS_GROUP),
                             (PLATFORM_EDITOR, PLATFORM_EDITORS)):
        users[role] = UserFactory(username=f"role-{role.replace('_', '-')}")
        users[role].groups.add(Group.objects.get_or_create(name=group_name)[0])
    users[SUPERUSER] = UserFactory(username="role-superuser", is_staff=True, is_superuser=True)
    return users


@dataclass
class World:
    """What the matrix rows point at. Apps add their own objects in ``extras`` (see build_world)."""

    institution: object
    other_institution: object
    own_course: object
    other_course: object
    draft_course: object
    venue: object
    public_document: object
    login_document: object
    password_restriction: object
    users: dict[str, object | None]
    extras: dict[str, object] = field(default_factory=dict)


def build_world() -> World:
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    from tests.factories import VenueFactory, create_course, create_institution, run_dates

    institution = create_institution("矩阵社区学院")
    other_institution = create_institution("矩阵另一所大学", institution_type="university")
    root = Collection.get_first_root_node()
    members_only = root.add_child(name="Members only")
    CollectionViewRestriction.objects.create(collection=members_only, restriction_type="login")
    password_only = root.add_child(name="Password only")
    password_restriction = CollectionViewRestriction.objects.create(
        collection=password_only, restriction_type="password", password="open-sesame"
    )
    return World(
        institution=institution,
        other_institution=other_institution,
        own_course=create_course(institution, "矩阵书法", runs=[run_dates(10)]),
        other_course=create_course(other_institution, "矩阵太极", runs=[run_dates(10)]),
        draft_course=create_course(institution, "矩阵草稿", publish=False),
        venue=VenueFactory(institution=institution),
        public_document=Document.objects.create(
            title="Timetable", file=ContentFile(b"Monday 9:00", name="timetable.txt"), collection=root
        ),
        login_document=Document.objects.create(
            title="Members", file=ContentFile(b"members", name="members.txt"), collection=members_only
        ),
        password_restriction=password_restriction,
        users=build_role_users(institution),
    )
