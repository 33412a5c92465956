"""Call managers run calls and reviews; reviewers score the proposals assigned to them."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

CALL_MANAGERS = "Call managers"
REVIEWERS = "Reviewers"
CALL_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=name).exists()


def is_call_manager(user) -> bool:
    return _in_group(user, CALL_MANAGERS)


def is_reviewer(user) -> bool:
    return _in_group(user, REVIEWERS)


def can_moderate_topics(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("proposals.moderate_demandtopic"))


def grant_call_pages(group: Group) -> None:
    from .models import CallIndexPage

    for index in CallIndexPage.objects.all():
        for codename in CALL_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=_permission("wagtailcore", codename)
            )


@transaction.atomic
def ensure_commissioning_roles() -> None:
    """Idempotent; run after every migrate and whenever the calls index is created."""
    from catalogue.roles import PLATFORM_EDITORS

    managers, _ = Group.objects.get_or_create(name=CALL_MANAGERS)
    managers.permissions.add(_permission("wagtailadmin", "access_admin"))
    for codename in ("moderate_demandtopic", "change_demandtopic", "view_demandtopic"):
        managers.permissions.add(_permission("proposals", codename))
    root = Collection.get_first_root_node()
    if root is not None:
        for app_label, codename in (("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document")):
            GroupCollectionPermission.objects.get_or_create(
                group=managers, collection=root, permission=_permission(app_label, codename)
            )
    grant_call_pages(managers)
    Group.objects.get_or_create(name=REVIEWERS)
    editors, _ = Group.objects.get_or_create(name=PLATFORM_EDITORS)
    for codename in ("moderate_demandtopic", "change_demandtopic", "view_demandtopic"):
        editors.permissions.add(_permission("proposals", codename))
