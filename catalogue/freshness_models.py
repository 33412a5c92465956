"""Freshness records: flags on courses, reviews, learner reports and ratings, link checks, digests.

The logic that raises and clears flags lives in ``catalogue.freshness``; these are only the records.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FlagReason(models.TextChoices):
    REVIEW_OVERDUE = "review_overdue", _("review overdue")
    NO_CURRENT_RUN = "no_current_run", _("no current or upcoming run")
    STALE_CONTENT = "stale_content", _("content not revised for a long time")
    BROKEN_LINK = "broken_link", _("broken links")
    LEARNER_REPORTS = "learner_reports", _("reported as out of date by learners")
    LOW_RATING = "low_rating", _("low learner ratings")
    VENUE_CLOSED = "venue_closed", _("venue closed")
    INSTITUTION_INACTIVE = "institution_inactive", _("institution no longer active")


class CourseFlag(models.Model):
    """One reason why a course needs updating. At most one open flag per course and reason."""

    course = models.ForeignKey(
        "catalogue.CoursePage", on_delete=models.CASCADE, related_name="flags", verbose_name=_("course")
    )
    reason = models.CharField(_("reason"), max_length=30, choices=FlagReason.choices)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_because = models.CharField(_("cleared because"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("course flag")
        verbose_name_plural = _("course flags")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "reason"], condition=Q(cleared_at__isnull=True), name="one_open_flag_per_reason"
            )
        ]
        indexes = [models.Index(fields=["reason", "cleared_at"])]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class CourseReview(models.Model):
    """An editor confirmed that the course is still correct."""

    course = models.ForeignKey(
        "catalogue.CoursePage", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("course")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reviewer")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("course review")
        indexes = [models.Index(fields=["course", "-reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.course_id} reviewed {self.reviewed_at:%Y-%m-%d}"


class LearnerReport(models.Model):
    """ "This information is out of date", sent by a signed-in learner. Resolved by a review or a new revision."""

    course = models.ForeignKey(
        "catalogue.CoursePage", on_delete=models.CASCADE, related_name="learner_reports", verbose_name=_("course")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("what is out of date?"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner report")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"], condition=Q(resolved_at__isnull=True), name="one_open_report_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"report on {self.course_id} by {self.user_id}"


class CourseRating(models.Model):
    course = models.ForeignKey(
        "catalogue.CoursePage", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("course")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    updated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("course rating")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_rating_per_person"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_between_1_and_5"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 for {self.course_id}"


class CourseLink(models.Model):
    """An external link found in a course (body rich text, URL fields, run online URLs)."""

    course = models.ForeignKey("catalogue.CoursePage", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "url"], name="unique_course_link")]
        indexes = [models.Index(fields=["url"])]

    def __str__(self) -> str:
        return self.url


class LinkStatus(models.Model):
    """The last check of one external URL, shared by every course that links to it."""

    url = models.URLField(max_length=2000, unique=True)
    is_broken = models.BooleanField(default=False, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("link status")
        verbose_name_plural = _("link statuses")

    def __str__(self) -> str:
        return f"{self.url}: {'broken' if self.is_broken else 'ok'}"


class FlagNotification(models.Model):
    """A flag was included in a digest sent to this person; it is never sent to them again."""

    flag = models.ForeignKey(CourseFlag, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flag", "recipient"], name="flag_notified_once")]

    def __str__(self) -> str:
        return f"flag {self.flag_id} sent to {self.recipient_id}"
