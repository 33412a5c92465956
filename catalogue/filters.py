"""Filters for the public catalogue listing (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .models import (
    Area,
    Audience,
    Category,
    CoursePage,
    CourseRun,
    InstitutionPage,
    Language,
    QualificationLevel,
    institutions_in_locale,
)


class OutOfRangeIsInvalidMixin:
    """A number too big for the database column is just another unknown choice, not a server error."""

    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError as exc:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:40]}
            ) from exc


class LabelledChoiceMixin(OutOfRangeIsInvalidMixin):
    def label_from_instance(self, obj) -> str:
        return getattr(obj, "label", str(obj))


class LabelledMultipleChoiceField(LabelledChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class LabelledChoiceField(LabelledChoiceMixin, forms.ModelChoiceField):
    pass


class SafeModelChoiceField(OutOfRangeIsInvalidMixin, forms.ModelChoiceField):
    pass


class SafeModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SafeModelChoiceField


class LabelledMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LabelledMultipleChoiceField


class LabelledChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LabelledChoiceField


YES_NO = forms.CheckboxInput


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Keywords"), max_length=100)
    category = LabelledMultipleChoiceFilter(
        queryset=Category.objects.all(), to_field_name="slug", method="filter_category", label=_("Category"),
        widget=forms.CheckboxSelectMultiple,
    )
    audience = LabelledMultipleChoiceFilter(
        queryset=Audience.objects.all(), to_field_name="slug", method="filter_audience", label=_("Audience"),
        widget=forms.CheckboxSelectMultiple,
    )
    level = LabelledChoiceFilter(
        field_name="level", queryset=QualificationLevel.objects.all(), to_field_name="number", label=_("Level"),
    )
    mode = django_filters.MultipleChoiceFilter(
        choices=CoursePage.Mode.choices, label=_("Mode"), widget=forms.CheckboxSelectMultiple
    )
    language = LabelledMultipleChoiceFilter(
        queryset=Language.objects.all(), to_field_name="code", method="filter_language", label=_("Language"),
        widget=forms.CheckboxSelectMultiple,
    )
    free = django_filters.BooleanFilter(method="filter_free", label=_("Free only"), widget=YES_NO)
    district = LabelledChoiceFilter(
        queryset=Area.objects.filter(level=Area.Level.DISTRICT), method="filter_district", label=_("District"),
    )
    institution = SafeModelChoiceFilter(
        queryset=InstitutionPage.objects.live(), method="filter_institution", label=_("Institution"),
    )
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label=_("Has a current or upcoming run"), widget=YES_NO
    )
    sort = django_filters.ChoiceFilter(
        method="apply_sort", label=_("Sort by"), empty_label=None,
        choices=[("title", _("Title")), ("newest", _("Newest")), ("start", _("Starting soonest"))],
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any language version of an institution is accepted, but the menu offers each institution once,
        # in the visitor's language where a translation exists.
        field = self.form.fields["institution"]
        field.widget.choices = [("", field.empty_label)] + [
            (institution.pk, institution.title)
            for institution in institutions_in_locale(Locale.get_active()).order_by("title")
        ]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_category(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        ids = Category.descendant_ids([c.pk for c in value])
        return queryset.filter(pk__in=_courses_linked("categories", category_id__in=ids))

    def filter_audience(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=_courses_linked("audiences", audience__in=value))

    def filter_language(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=_courses_linked("languages", language__in=value))

    def filter_free(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value:
            return queryset.filter(price=0)
        return queryset

    def filter_district(self, queryset: QuerySet, name: str, value: Area | None) -> QuerySet:
        if not value:
            return queryset
        area_ids = Area.descendant_ids([value.pk])
        with_runs_there = CourseRun.objects.filter(venue__area_id__in=area_ids).values("course_id")
        return queryset.filter(Q(pk__in=with_runs_there) | Q(provider__district_id__in=area_ids))

    def filter_institution(self, queryset: QuerySet, name: str, value: InstitutionPage | None) -> QuerySet:
        if not value:
            return queryset
        # Any language version of the institution: courses hang under whichever one they were created in.
        return queryset.filter(provider__translation_key=value.translation_key)

    def filter_upcoming(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value:
            current = CourseRun.objects.filter(end_date__gte=timezone.localdate()).values("course_id")
            return queryset.filter(pk__in=current)
        return queryset

    def apply_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return sort_courses(queryset, value)

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = sort_courses(queryset, "title")
        return queryset


def _courses_linked(relation: str, **lookup) -> QuerySet:
    """Ids of courses with a matching many-to-many row: a subquery, so no join multiplies the rows."""
    through = getattr(CoursePage, relation).through
    return through.objects.filter(**lookup).values("coursepage_id")


def sort_courses(queryset: QuerySet, key: str) -> QuerySet:
    if key == "newest":
        return queryset.order_by("-first_published_at", "-pk")
    if key == "start":
        today = timezone.localdate()
        next_run = CourseRun.objects.filter(course=OuterRef("pk"), end_date__gte=today).order_by("start_date")
        return queryset.annotate(next_start=Subquery(next_run.values("start_date")[:1])).order_by(
            F("next_start").asc(nulls_last=True), "title", "pk"
        )
    return queryset.order_by("title", "pk")
