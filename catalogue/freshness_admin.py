"""Wagtail admin for course freshness: dashboard panel, flagged-courses report, "Mark as reviewed"."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .freshness import URGENCY, mark_reviewed, open_flags_by_course, urgency_expression
from .freshness_models import CourseFlag, FlagReason, LearnerReport
from .models import Category, CoursePage, InstitutionPage
from .roles import can_edit_course

EDITOR_PAGE_ACTIONS = ["add", "change", "publish"]
DASHBOARD_LIMIT = 10


def page_policy() -> PagePermissionPolicy:
    return PagePermissionPolicy()


def user_may_see_freshness(user) -> bool:
    """Anyone with page permissions somewhere sees the report (scoped to what they may edit)."""
    return page_policy().user_has_any_permission(user, EDITOR_PAGE_ACTIONS)


def editable_courses(user) -> QuerySet[CoursePage]:
    """Courses this user may edit, by Wagtail's page permissions (institution editors: their subtree)."""
    pages = page_policy().instances_user_has_any_permission_for(user, ["change", "publish"])
    return CoursePage.objects.filter(pk__in=pages.values("pk"))


def flagged_courses_for(user) -> QuerySet[CoursePage]:
    """Flagged courses the user may edit, most urgent first (weighted reasons, then longest flagged)."""
    return (
        editable_courses(user).filter(needs_update=True).select_related("provider")
        .annotate(urgency=urgency_expression()).order_by("-urgency", "flagged_since", "pk")
    )


def attach_flags(courses) -> list[CoursePage]:
    """Give each course its open flags and a readable summary (one query for the whole page)."""
    courses = list(courses)
    flags = open_flags_by_course(course.pk for course in courses)
    for course in courses:
        course.open_flags = sorted(flags.get(course.pk, []), key=lambda f: -URGENCY.get(f.reason, 0))
        course.reasons_display = "; ".join(str(flag.get_reason_display()) for flag in course.open_flags)
    return courses


def describe_flag(flag: CourseFlag) -> str:
    """The reason plus the most telling piece of its evidence."""
    label = str(flag.get_reason_display())
    evidence = flag.evidence or {}
    detail = ""
    if flag.reason == FlagReason.BROKEN_LINK:
        detail = ", ".join(link["url"] for link in evidence.get("links", [])[:5])
    elif flag.reason == FlagReason.REVIEW_OVERDUE:
        detail = _("due %(date)s") % {"date": evidence.get("due")}
    elif flag.reason == FlagReason.NO_CURRENT_RUN:
        detail = _("last run ended %(date)s") % {"date": evidence.get("last_run_ended")}
    elif flag.reason == FlagReason.STALE_CONTENT:
        detail = _("last revised %(date)s") % {"date": evidence.get("last_revised")}
    elif flag.reason == FlagReason.LEARNER_REPORTS:
        detail = _("%(count)s reports") % {"count": evidence.get("reports")}
    elif flag.reason == FlagReason.LOW_RATING:
        detail = _("average %(avg)s from %(count)s ratings") % {"avg": evidence.get("average"),
                                                                "count": evidence.get("ratings")}
    elif flag.reason == FlagReason.VENUE_CLOSED:
        detail = ", ".join(venue["name"] for venue in evidence.get("venues", []))
    return f"{label} ({detail})" if detail else label


# --- Dashboard panel -----------------------------------------------------------------------------------


class NeedsUpdatingPanel(Component):
    name = "needs_updating"
    template_name = "catalogue/freshness/dashboard_panel.html"
    order = 120

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        courses = flagged_courses_for(self.request.user)
        shown = attach_flags(courses[:DASHBOARD_LIMIT])
        return {
            "courses": shown,
            "total": courses.count() if len(shown) == DASHBOARD_LIMIT else len(shown),
            "report_url": reverse("catalogue_freshness:report"),
        }


# --- Report --------------------------------------------------------------------------------------------

AGE_CHOICES = [
    ("7", _("Flagged over a week ago")),
    ("30", _("Flagged over a month ago")),
    ("90", _("Flagged over three months ago")),
    ("365", _("Flagged over a year ago")),
]


class FlaggedCoursesFilterSet(WagtailFilterSet):
    reason = django_filters.ChoiceFilter(label=_("Reason"), choices=FlagReason.choices, method="filter_reason")
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="provider", queryset=InstitutionPage.objects.order_by("title"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.order_by("sort_order", "name"), method="filter_category",
    )
    age = django_filters.ChoiceFilter(label=_("Flagged for"), choices=AGE_CHOICES, method="filter_age")

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def filter_reason(self, queryset, name, value):
        return queryset.filter(pk__in=CourseFlag.objects.filter(reason=value, cleared_at__isnull=True)
                               .values("course_id"))

    def filter_category(self, queryset, name, value):
        # A parent category includes courses filed under its subcategories.
        return queryset.filter(pk__in=CoursePage.categories.through.objects.filter(
            category_id__in=Category.descendant_ids([value.pk])).values("coursepage_id"))

    def filter_age(self, queryset, name, value):
        return queryset.filter(flagged_since__lte=timezone.now() - datetime.timedelta(days=int(value)))


class FlaggedCoursesReportView(ReportView):
    page_title = _("Courses needing updates")
    header_icon = "warning"
    results_template_name = "catalogue/freshness/report_results.html"
    filterset_class = FlaggedCoursesFilterSet
    index_url_name = "catalogue_freshness:report"
    index_results_url_name = "catalogue_freshness:report_results"
    model = CoursePage
    any_permission_required = EDITOR_PAGE_ACTIONS
    list_export = ["title", "provider.title", "reasons_display", "flagged_since", "last_reviewed", "full_url"]
    export_headings = {
        "title": _("Course"),
        "provider.title": _("Institution"),
        "reasons_display": _("Reasons"),
        "flagged_since": _("Flagged since"),
        "last_reviewed": _("Last reviewed"),
        "full_url": _("URL"),
    }

    @property
    def permission_policy(self):
        return page_policy()

    def get_filename(self):
        return f"courses-needing-updates-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return flagged_courses_for(self.request.user)

    def decorate_paginated_queryset(self, object_list):
        return attach_flags(object_list)


class NeedsUpdatingReportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_see_freshness(request.user)


# --- Edit page: reasons and "Mark as reviewed" ---------------------------------------------------------


def show_flags_on_edit_page(request, page) -> None:
    """A warning at the top of a flagged course's edit page, with a "Mark as reviewed" button."""
    if request.method != "GET" or not isinstance(page, CoursePage) or not page.needs_update:
        return
    flags = open_flags_by_course([page.pk]).get(page.pk, [])
    if not flags:
        return
    reasons = "; ".join(describe_flag(flag) for flag in flags)
    messages.warning(
        request,
        _("This course needs updating: %(reasons)s") % {"reasons": reasons},
        buttons=[messages.button(reverse("catalogue_freshness:review", args=[page.pk]), _("Mark as reviewed"))],
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What did you check? Shown in the course's review history."),
    )


@require_http_methods(["GET", "POST"])
def mark_reviewed_view(request, pk: int):
    course = get_object_or_404(CoursePage, pk=pk)
    if not can_edit_course(request.user, course):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mark_reviewed(course, request.user, form.cleaned_data["note"])
        messages.success(request, _("'%(title)s' marked as reviewed.") % {"title": course.title})
        return redirect("wagtailadmin_pages:edit", course.pk)
    flags = open_flags_by_course([course.pk]).get(course.pk, [])
    return TemplateResponse(request, "catalogue/freshness/mark_reviewed.html", {
        "page_title": _("Mark as reviewed"),
        "page_subtitle": course.title,
        "header_icon": "tick",
        "course": course,
        "form": form,
        "flag_descriptions": [describe_flag(flag) for flag in flags],
        "reviews": course.reviews.select_related("reviewer")[:5],
        "learner_notes": LearnerReport.objects.filter(course=course, resolved_at__isnull=True).exclude(note="")
        .order_by("-created_at")[:20],
    }, status=400 if form.errors else 200)
