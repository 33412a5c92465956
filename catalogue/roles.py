"""Groups and Wagtail permissions that give each role exactly what it may do.

Institution editors get page permissions on their own institution's subtree only, so
Wagtail itself refuses them everywhere else. Platform editors get the whole tree.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

PLATFORM_EDITORS = "Platform editors"
INSTITUTION_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
PLATFORM_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"]
SNIPPET_PERMISSIONS_FOR_INSTITUTIONS = [
    ("catalogue", "add_teacher"), ("catalogue", "change_teacher"),
    ("catalogue", "add_venue"), ("catalogue", "change_venue"),
]
TAXONOMY_MODELS = ["category", "audience", "qualificationlevel", "language", "area", "teacher", "venue",
                   "membership"]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_page_permissions(group: Group, page: Page, codenames: list[str]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _grant_image_and_document_use(group: Group) -> None:
    root = Collection.get_first_root_node()
    for app_label, codenames in (("wagtailimages", ["add_image", "choose_image"]),
                                 ("wagtaildocs", ["add_document", "choose_document"])):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=_permission(app_label, codename)
            )


@transaction.atomic
def ensure_institution_group(institution) -> Group:
    """Create (or repair) the editors group of an institution page."""
    name = f"Institution {institution.pk} editors"
    group = institution.editors_group or Group.objects.get_or_create(name=name)[0]
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for app_label, codename in SNIPPET_PERMISSIONS_FOR_INSTITUTIONS:
        group.permissions.add(_permission(app_label, codename))
    _grant_page_permissions(group, institution, INSTITUTION_PAGE_PERMISSIONS)
    _grant_image_and_document_use(group)
    if institution.editors_group_id != group.pk:
        type(institution).objects.filter(pk=institution.pk).update(editors_group=group)
        institution.editors_group = group
    return group


@transaction.atomic
def ensure_platform_editors() -> Group:
    group, _ = Group.objects.get_or_create(name=PLATFORM_EDITORS)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for model in TAXONOMY_MODELS:
        for action in ("add", "change", "delete"):
            group.permissions.add(_permission("catalogue", f"{action}_{model}"))
    root = Page.get_first_root_node()
    if root is not None:
        _grant_page_permissions(group, root, PLATFORM_PAGE_PERMISSIONS)
    _grant_image_and_document_use(group)
    return group


def can_edit_course(user, course) -> bool:
    """Whether Wagtail's page permissions let this user edit the course."""
    return course.permissions_for_user(user).can_edit()
