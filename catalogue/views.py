"""Public catalogue views: course listing with filters, institution list, venue page."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Locale

from .filters import CourseFilter
from .models import CoursePage, CourseRun, Venue, institutions_in_locale


def public_courses():
    """Live public courses in the visitor's language; an untranslated course appears in the default
    language, and a translated one appears once, in the visitor's language."""
    return in_visitor_language(CoursePage.objects.live().public())


def in_visitor_language(queryset):
    active, default = Locale.get_active(), Locale.get_default()
    if active.pk == default.pk:
        return queryset.filter(locale=active)
    translated = queryset.model.objects.filter(locale=active).values("translation_key")
    return queryset.filter(Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated)))


def with_listing_relations(queryset):
    today = timezone.localdate()
    return queryset.select_related("provider", "level", "cover_image").prefetch_related(
        "categories",
        Prefetch(
            "runs",
            queryset=CourseRun.objects.filter(end_date__gte=today).select_related("venue").order_by("start_date"),
            to_attr="current_runs",
        ),
    )


def paginate_courses(queryset, per_page: int, number) -> tuple[Paginator, Page]:
    """Page through ids first, then load one page of courses with their relations.

    Sorting only ids keeps the database's sort narrow on large catalogues; the wide rows are read for
    the twenty courses shown.
    """
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    current = paginator.get_page(number)
    ids = list(current.object_list)
    by_id = {course.pk: course for course in with_listing_relations(CoursePage.objects.filter(pk__in=ids))}
    current.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return paginator, current


def render_course_list(request: HttpRequest, page) -> HttpResponse:
    course_filter = CourseFilter(request.GET or None, queryset=public_courses())
    paginator, courses = paginate_courses(course_filter.qs, page.per_page, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status = 400 if course_filter.is_bound and not course_filter.is_valid() else 200
    return TemplateResponse(
        request,
        "catalogue/catalogue_index_page.html",
        {
            "page": page,
            "self": page,
            "filter": course_filter,
            "courses": courses,
            "paginator": paginator,
            "querystring": query.urlencode(),
        },
        status=status,
    )


def render_institution_list(request: HttpRequest, page) -> HttpResponse:
    institutions = institutions_in_locale(page.locale).select_related("district", "logo").order_by("title")
    paginator = Paginator(institutions, 30)
    return TemplateResponse(
        request,
        "catalogue/institution_list.html",
        {"page": page, "self": page, "institutions": paginator.get_page(request.GET.get("page"))},
    )


def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("area", "area__parent", "institution"), pk=pk)
    today = timezone.localdate()
    runs = (
        CourseRun.objects.filter(venue=venue, end_date__gte=today, course__in=public_courses())
        .select_related("course")
        .order_by("start_date")[:50]
    )
    return TemplateResponse(request, "catalogue/venue_detail.html", {"venue": venue, "runs": runs})
