"""Filters for the public catalogue listing (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Area, Audience, Category, CoursePage, InstitutionPage, Language, QualificationLevel


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
        field_name="audiences__slug", queryset=Audience.objects.all(), to_field_name="slug", label=_("Audience"),
        widget=forms.CheckboxSelectMultiple, distinct=True,
    )
    level = LabelledChoiceFilter(
        field_name="level", queryset=QualificationLevel.objects.all(), to_field_name="number", label=_("Level"),
    )
    mode = django_filters.MultipleChoiceFilter(
        choices=CoursePage.Mode.choices, label=_("Mode"), widget=forms.CheckboxSelectMultiple
    )
    language = LabelledMultipleChoiceFilter(
        field_name="languages__code", queryset=Language.objects.all(), to_field_name="code", label=_("Language"),
        widget=forms.CheckboxSelectMultiple, distinct=True,
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

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_category(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        ids = Category.descendant_ids([c.pk for c in value])
        return queryset.filter(categories__in=ids).distinct()

    def filter_free(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value:
            return queryset.filter(price=0)
        return queryset

    def filter_district(self, queryset: QuerySet, name: str, value: Area | None) -> QuerySet:
        if not value:
            return queryset
        area_ids = Area.descendant_ids([value.pk])
        return queryset.filter(Q(runs__venue__area__in=area_ids) | Q(provider__district__in=area_ids)).distinct()

    def filter_institution(self, queryset: QuerySet, name: str, value: InstitutionPage | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(provider=value)

    def filter_upcoming(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value:
            return queryset.filter(runs__end_date__gte=timezone.localdate()).distinct()
        return queryset

    def apply_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return sort_courses(queryset, value)

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = sort_courses(queryset, "title")
        return queryset


def sort_courses(queryset: QuerySet, key: str) -> QuerySet:
    if key == "newest":
        return queryset.order_by("-first_published_at", "-pk")
    if key == "start":
        today = timezone.localdate()
        return queryset.annotate(
            next_start=Min("runs__start_date", filter=Q(runs__end_date__gte=today))
        ).order_by("next_start", "title")
    return queryset.order_by("title", "pk")
