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


# --- Course freshness: dashboard panel, report, flagged-course warning, "Mark as reviewed" ---

from django.urls import include, path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402

from . import freshness_admin  # noqa: E402


@hooks.register("register_admin_urls")
def register_freshness_urls():
    patterns = [
        path("report/", freshness_admin.FlaggedCoursesReportView.as_view(), name="report"),
        path("report/results/", freshness_admin.FlaggedCoursesReportView.as_view(results_only=True),
             name="report_results"),
        path("courses/<int:pk>/review/", freshness_admin.mark_reviewed_view, name="review"),
    ]
    return [path("freshness/", include((patterns, "catalogue_freshness"), namespace="catalogue_freshness"))]


@hooks.register("register_reports_menu_item")
def register_freshness_report_menu_item():
    return freshness_admin.NeedsUpdatingReportMenuItem(
        _("Courses needing updates"), reverse("catalogue_freshness:report"), name="courses-needing-updates",
        icon_name="warning", order=1050,
    )


@hooks.register("construct_homepage_panels")
def add_needs_updating_panel(request, panels):
    if freshness_admin.user_may_see_freshness(request.user):
        panels.append(freshness_admin.NeedsUpdatingPanel(request))


@hooks.register("before_edit_page")
def warn_about_flags_on_edit_page(request, page):
    freshness_admin.show_flags_on_edit_page(request, page)


@hooks.register("register_log_actions")
def register_freshness_log_actions(actions):
    actions.register_action("catalogue.course_reviewed", _("Mark as reviewed"), _("Marked as reviewed"))
