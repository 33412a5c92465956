"""Teachers and venues belong to institutions: members change only their own institution's rows.

Wagtail's snippet permissions are per model. This policy keeps the model permission (so a member may add
and change teachers and venues at all) and adds the row check: platform editors and superusers act on
every row; everyone else only on rows whose institution they belong to (in any language version).
Venues without an institution (shared community learning points) are the platform editors' to change.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView

SCOPED_ACTIONS = {"change", "delete"}


def acts_platform_wide(user) -> bool:
    from .roles import PLATFORM_EDITORS

    return user.is_active and (user.is_superuser or user.groups.filter(name=PLATFORM_EDITORS).exists())


def own_institutions(user) -> QuerySet:
    """The user's institutions and their translations."""
    from .models import InstitutionPage, institutions_of

    return InstitutionPage.objects.filter(translation_key__in=institutions_of(user).values("translation_key"))


class InstitutionScopedPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if action not in SCOPED_ACTIONS or acts_platform_wide(user):
            return True
        return instance.institution_id is not None and own_institutions(user).filter(
            pk=instance.institution_id
        ).exists()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        instances = super().instances_user_has_any_permission_for(user, actions)
        if not set(actions) <= SCOPED_ACTIONS or acts_platform_wide(user):
            return instances
        return instances.filter(institution__in=own_institutions(user))


class InstitutionScopedEditView(EditView):
    """Checks the row, not only the model, before showing or saving the edit form."""

    def user_has_permission(self, permission) -> bool:
        return self.user_has_permission_for_instance(permission, self.object)


class InstitutionOwnedForm(WagtailAdminModelForm):
    """Members pick one of their own institutions; platform editors any (or none)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("institution")
        if field is None or self.for_user is None or acts_platform_wide(self.for_user):
            return
        field.queryset = own_institutions(self.for_user)
        field.required = True
        field.empty_label = None
