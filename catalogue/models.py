"""Institutions, courses, course runs, venues and teachers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from .blocks import CourseBodyBlock
from .permissions import InstitutionOwnedForm
from .taxonomy import Area, Audience, Category, Language, QualificationLevel  # noqa: F401

__all__ = [
    "Area", "Audience", "Category", "Language", "QualificationLevel", "Teacher", "Venue",
    "CatalogueIndexPage", "InstitutionPage", "CoursePage", "CourseRun", "Membership",
]


class Teacher(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title or role"), max_length=120, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("photo"),
    )
    institution = models.ForeignKey(
        "catalogue.InstitutionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="teachers",
        verbose_name=_("institution"),
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("bio"), FieldPanel("photo"),
              FieldPanel("institution")]
    base_form_class = InstitutionOwnedForm
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name


class Venue(index.Indexed, models.Model):
    """A learning point: where offline runs take place."""

    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("address"), max_length=255)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="venues", verbose_name=_("area"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("Untick when the venue has closed; its courses get flagged.")
    )
    institution = models.ForeignKey(
        "catalogue.InstitutionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="venues",
        verbose_name=_("run by"),
    )

    panels = [
        FieldPanel("name"), FieldPanel("address"), FieldPanel("area"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("location")),
        MultiFieldPanel(
            [FieldPanel("step_free"), FieldPanel("hearing_loop"), FieldPanel("accessible_toilet"),
             FieldPanel("accessibility_notes")],
            heading=_("accessibility"),
        ),
        FieldPanel("opening_hours"), FieldPanel("phone"), FieldPanel("is_open"), FieldPanel("institution"),
    ]
    base_form_class = InstitutionOwnedForm
    search_fields = [index.SearchField("name"), index.SearchField("address"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogue:venue", args=[self.pk])

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class DefaultLanguageFallbackMixin:
    """Untranslated pages stay reachable under every language prefix.

    Courses usually exist in one language only. When /en/courses/<institution>/<course>/ has no English
    page, route through the default-language version of this page instead of answering 404, so the
    language switcher never leads to a dead end. Draft and private pages stay refused: Wagtail still checks
    them after routing.
    """

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            original = self._default_language_version() if path_components else None
            if original is None:
                raise
            return original.route(request, path_components)

    def _default_language_version(self):
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return None
        original = self.get_translation_or_none(Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first())
        return original.specific if original is not None and original.live else None


class CatalogueIndexPage(DefaultLanguageFallbackMixin, RoutablePageMixin, Page):
    """The course catalogue: all courses with filters; institutions are its children."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField(
        _("courses per page"), default=20, validators=[MinValueValidator(5), MaxValueValidator(100)]
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    subpage_types = ["catalogue.InstitutionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    @path("")
    def course_list(self, request):
        from .views import render_course_list

        return render_course_list(request, self)

    @path("institutions/")
    def institution_list(self, request):
        from .views import render_institution_list

        return render_institution_list(request, self)


class InstitutionPage(DefaultLanguageFallbackMixin, Page):
    class InstitutionType(models.TextChoices):
        UNIVERSITY = "university", _("university")
        OPEN_UNIVERSITY = "open_university", _("open university")
        VOCATIONAL = "vocational", _("vocational school")
        LIBRARY = "library", _("library")
        MUSEUM = "museum", _("museum")
        COMMUNITY_SCHOOL = "community_school", _("community school")
        COMPANY = "company", _("company")
        NGO = "ngo", _("NGO")

    institution_type = models.CharField(_("type"), max_length=30, choices=InstitutionType.choices)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("logo"),
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    district = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="institutions",
        limit_choices_to={"level": Area.Level.DISTRICT}, verbose_name=_("district"),
    )
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Untick when the institution stops offering courses; its courses get flagged."),
    )
    editors_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="institution",
    )

    content_panels = Page.content_panels + [
        FieldPanel("short_name"),
        FieldPanel("institution_type"),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("email"), FieldPanel("phone"), FieldPanel("district")],
            heading=_("contact"),
        ),
        FieldPanel("is_active"),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]
    # Each copy (including a translation) gets its own editors group from the post_save signal.
    exclude_fields_in_copy = ["editors_group"]
    parent_page_types = ["catalogue.CatalogueIndexPage"]
    subpage_types = ["catalogue.CoursePage"]
    # Each institution (and each translation of it) gets its own editors group, never a copy's.
    exclude_fields_in_copy = ["editors_group"]

    class Meta:
        verbose_name = _("institution")

    def live_courses(self):
        """Courses of this institution in every language: a translated institution page lists them too."""
        return (
            CoursePage.objects.filter(provider__translation_key=self.translation_key).live().public()
            .select_related("provider", "cover_image").order_by("title", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from django.core.paginator import Paginator

        paginator = Paginator(self.live_courses(), 20)
        context["courses"] = paginator.get_page(request.GET.get("page"))
        return context


class CoursePage(Page):
    class Mode(models.TextChoices):
        ONLINE = "online", _("online")
        OFFLINE = "offline", _("in person")
        BLENDED = "blended", _("blended")

    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(CourseBodyBlock(), blank=True, verbose_name=_("description"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cover image"),
    )
    categories = ParentalManyToManyField(Category, blank=True, related_name="courses", verbose_name=_("categories"))
    audiences = ParentalManyToManyField(Audience, blank=True, related_name="courses", verbose_name=_("audiences"))
    languages = ParentalManyToManyField(Language, blank=True, related_name="courses", verbose_name=_("languages"))
    level = models.ForeignKey(
        QualificationLevel, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses",
        verbose_name=_("qualification level"),
    )
    teachers = ParentalManyToManyField(Teacher, blank=True, related_name="courses", verbose_name=_("teachers"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    # The parent institution, kept in step on save and move so that filters and search can join on it.
    provider = models.ForeignKey(
        InstitutionPage, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    credit_hours = models.DecimalField(
        _("credit hours"), max_digits=6, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    credits = models.DecimalField(
        _("credits"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    price = models.DecimalField(
        _("price (CNY)"), max_digits=9, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))], help_text=_("0 means free."),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )
    total_hours = models.DecimalField(
        _("total hours"), max_digits=6, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Leave empty to use the category's default."),
    )
    # Freshness: set by the outdated-content checks; search demotes flagged courses.
    needs_update = models.BooleanField(_("needs updating"), default=False, db_index=True, editable=False)
    flagged_since = models.DateTimeField(_("flagged since"), null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("categories"), FieldPanel("audiences"), FieldPanel("level"), FieldPanel("languages"),
             FieldPanel("mode")],
            heading=_("classification"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("price"), FieldPanel("credit_hours"), FieldPanel("credits")]),
             FieldRowPanel([FieldPanel("hours_per_week"), FieldPanel("total_hours")])],
            heading=_("price and effort"),
        ),
        FieldPanel("prerequisites"),
        FieldPanel("learning_outcomes"),
        FieldPanel("teachers"),
        InlinePanel("runs", heading=_("course runs"), label=_("run")),
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("review_interval_months")], heading=_("review"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("mode"),
    ]
    parent_page_types = ["catalogue.InstitutionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course")

    @cached_property
    def institution(self) -> InstitutionPage | None:
        if self.provider_id:
            return self.provider
        parent = self.get_parent() if self.path else None
        return parent.specific if parent else None

    def sync_provider(self) -> None:
        parent = self.get_parent() if self.path else None
        self.provider_id = parent.pk if parent is not None and parent.specific_class is InstitutionPage else None

    def full_clean(self, *args, **kwargs):
        if self.path:
            self.sync_provider()
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if self.path:
            self.sync_provider()
        return super().save(*args, **kwargs)

    @property
    def is_free(self) -> bool:
        return not self.price

    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def effective_review_interval(self) -> int:
        if self.review_interval_months:
            return self.review_interval_months
        intervals = [c.review_interval_months for c in self.categories.all()]
        return min(intervals) if intervals else 12

    def review_due_date(self) -> datetime.date | None:
        if not self.last_reviewed:
            return None
        return add_months(self.last_reviewed, self.effective_review_interval())

    def ordered_runs(self):
        return self.runs.select_related("venue", "venue__area").order_by("start_date")

    def upcoming_runs(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.ordered_runs().filter(end_date__gte=today)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    import calendar

    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class CourseRun(Orderable):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        ENROLLING = "enrolling", _("enrolling")
        ONGOING = "ongoing", _("ongoing")
        ENDED = "ended", _("ended")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="runs")
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    enrolment_open = models.DateField(_("enrolment opens"), null=True, blank=True)
    enrolment_close = models.DateField(_("enrolment closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    schedule = models.CharField(_("schedule"), max_length=200, blank=True, help_text=_("e.g. Tuesdays 9:30–11:00"))
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs", verbose_name=_("venue")
    )
    online_url = models.URLField(_("online URL"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("enrolment_open"), FieldPanel("enrolment_close")]),
        FieldPanel("capacity"),
        FieldPanel("schedule"),
        FieldPanel("venue"),
        FieldPanel("online_url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["end_date"])]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(_("A run cannot end before it starts."))
        if self.enrolment_open and self.enrolment_close and self.enrolment_close < self.enrolment_open:
            errors.setdefault("enrolment_close", []).append(_("Enrolment cannot close before it opens."))
        if self.end_date and self.enrolment_open and self.enrolment_open > self.end_date:
            errors.setdefault("enrolment_open", []).append(_("Enrolment must open before the run ends."))
        if self.end_date and self.enrolment_close and self.enrolment_close > self.end_date:
            errors.setdefault("enrolment_close", []).append(_("Enrolment must close by the day the run ends."))
        if errors:
            raise ValidationError(errors)

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.end_date < today:
            return self.Status.ENDED
        if self.start_date <= today:
            return self.Status.ONGOING
        if self.is_enrolling(today):
            return self.Status.ENROLLING
        return self.Status.UPCOMING

    def is_enrolling(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        opens = self.enrolment_open or datetime.date.min
        closes = self.enrolment_close or self.start_date
        return opens <= today <= closes and today <= self.end_date

    def get_status_display(self) -> str:
        return self.Status(self.status()).label


class Membership(models.Model):
    """Who belongs to which institution, and as what. Keeps the institution's editors group in step."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        ADMIN = "admin", _("institution admin")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(InstitutionPage, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("institution"), FieldPanel("role")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "institution"], name="unique_membership")]
        verbose_name = _("institution membership")

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"


def institutions_in_locale(locale) -> models.QuerySet[InstitutionPage]:
    """Live public institutions in this language, plus default-language ones not yet translated into it."""
    default = Locale.get_default()
    chosen: dict = {}
    # Tens of rows: choosing in Python keeps the query trivial for the database.
    for pk, key, locale_id in InstitutionPage.objects.live().public().values_list("pk", "translation_key", "locale_id"):
        if locale_id == locale.pk:
            chosen[key] = pk
        elif locale_id == default.pk:
            chosen.setdefault(key, pk)
    return InstitutionPage.objects.filter(pk__in=list(chosen.values()))


def institutions_of(user) -> models.QuerySet[InstitutionPage]:
    """The institutions a user belongs to (empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return InstitutionPage.objects.none()
    return InstitutionPage.objects.filter(memberships__user=user)


# Freshness records (flags, reviews, learner reports, ratings, link checks) live in their own module.
from .freshness_models import (  # noqa: E402
    CourseFlag,
    CourseLink,
    CourseRating,
    CourseReview,
    FlagNotification,
    FlagReason,
    LearnerReport,
    LinkStatus,
)

__all__ += [
    "CourseFlag", "CourseLink", "CourseRating", "CourseReview", "FlagNotification", "FlagReason", "LearnerReport",
    "LinkStatus",
]
