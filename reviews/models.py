"""Reviewer assignments, conflicts of interest, scored reviews, decisions and commissions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import CoursePage
from proposals.models import CallPage, Proposal, RubricCriterion


class Assignment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_assignment_per_reviewer")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.proposal}"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration; it removes the assignment and blocks it from coming back."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"), max_length=2000)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_conflict_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} ⟂ {self.proposal}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        YES = "yes", _("fund")
        MAYBE = "maybe", _("fund with changes")
        NO = "no", _("do not fund")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    panel_comments = models.TextField(_("comments to the panel"), blank=True, max_length=10000,
                                      help_text=_("Seen by call managers and, after they submit, other reviewers."))
    applicant_comments = models.TextField(_("comments to the applicant"), blank=True, max_length=10000,
                                          help_text=_("Sent to the applicant with the decision, without your name."))
    recommendation = models.CharField(_("recommendation"), max_length=5, choices=Recommendation.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.proposal}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def weighted_total(self) -> Decimal | None:
        """Weighted score as a percentage of the best possible (0–100), or None without scores."""
        from .aggregation import weighted_total

        return weighted_total(self)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        AWARD = "award", _("award")
        REJECT = "reject", _("reject")
        REVISE = "revise", _("request revision")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    feedback = models.TextField(_("feedback to the applicant"), max_length=10000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.proposal}"


class Commission(models.Model):
    """An awarded proposal being built as a course."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="commission")
    call = models.ForeignKey(CallPage, on_delete=models.PROTECT, related_name="commissions")
    course = models.ForeignKey(CoursePage, null=True, on_delete=models.SET_NULL, related_name="commissions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.proposal)


class CommissionMilestone(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title
