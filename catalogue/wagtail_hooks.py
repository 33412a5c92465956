from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Area, Audience, Category, Language, Membership, QualificationLevel, Teacher, Venue
from .permissions import InstitutionScopedEditView, InstitutionScopedPermissionPolicy


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    list_display = ["name", "name_en", "parent", "review_interval_months"]
    list_filter = ["parent"]
    search_fields = ["name", "name_en"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "name_en", "slug"]


class LevelViewSet(SnippetViewSet):
    model = QualificationLevel
    icon = "order"
    list_display = ["number", "name", "name_en"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    list_display = ["code", "name"]


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "name_en"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_order = 210
    items = (CategoryViewSet, AudienceViewSet, LevelViewSet, LanguageViewSet, AreaViewSet)


for owned_model in (Teacher, Venue):
    register_permission_policy(owned_model, InstitutionScopedPermissionPolicy(owned_model))


class InstitutionOwnedViewSet(SnippetViewSet):
    """Teachers and venues: institution members change only their own institution's rows."""

    edit_view_class = InstitutionScopedEditView


class VenueViewSet(InstitutionOwnedViewSet):
    model = Venue
    icon = "home"
    list_display = ["name", "area", "is_open"]
    list_filter = ["is_open", "step_free"]
    search_fields = ["name", "address"]


class TeacherViewSet(InstitutionOwnedViewSet):
    model = Teacher
    icon = "user"
    list_display = ["name", "title", "institution"]
    search_fields = ["name"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "group"
    list_display = ["user", "institution", "role"]
    list_filter = ["role"]


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "list-ul"
    menu_order = 200
    items = (VenueViewSet, TeacherViewSet, MembershipViewSet)


register_snippet(TaxonomyGroup)
register_snippet(CatalogueGroup)
