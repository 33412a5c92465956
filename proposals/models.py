"""Learning demand, calls for proposals (Wagtail pages) and the proposals institutions submit to them."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from catalogue.models import Area, Audience, CoursePage, InstitutionPage


class PrivateStorage(Storage):
    """Looks up settings.STORAGES["private"] on every use, so files never land in public media
    and a changed setting (e.g. in tests) takes effect at once."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["private"], name)


def private_storage() -> Storage:
    return PrivateStorage()


# ---------------------------------------------------------------------------------------------------------------
# Learning demand
# ---------------------------------------------------------------------------------------------------------------


class DemandTopic(models.Model):
    """Something people want to learn, suggested by the public and supported by votes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        MERGED = "merged", _("merged into another topic")
        REJECTED = "rejected", _("rejected")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    audience = models.ForeignKey(
        Audience, null=True, blank=True, on_delete=models.SET_NULL, related_name="demand_topics",
        verbose_name=_("who would learn"),
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="demand_topics", verbose_name=_("area"),
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="suggested_topics",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_topics",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("audience"), FieldPanel("area")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learning demand topic")
        verbose_name_plural = _("learning demand topics")
        permissions = [("moderate_demandtopic", "Can moderate learning demand topics")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.APPROVED)


class TopicVote(models.Model):
    topic = models.ForeignKey(DemandTopic, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="one_vote_per_person_per_topic")]


# ---------------------------------------------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.user} → {self.topic}"


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("answer"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        template = "proposals/blocks/faq.html"


class CallIndexPage(Page):
    """/calls/: open, upcoming and closed calls."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["proposals.CallPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("calls for proposals")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        calls = list(CallPage.objects.child_of(self).live().public().order_by("closes_at"))
        now = timezone.now()
        context["open_calls"] = [c for c in calls if c.public_state(now) == "open"]
        context["upcoming_calls"] = [c for c in calls if c.public_state(now) == "upcoming"]
        context["closed_calls"] = [c for c in calls if c.public_state(now) == "closed"][::-1]
        return context


class CallPageForm(WagtailAdminPageForm):
    eligible_institution_types = forms.MultipleChoiceField(
        choices=InstitutionPage.InstitutionType.choices, widget=forms.CheckboxSelectMultiple, required=False,
        label=_("eligible institution types"), help_text=_("Leave all unticked to accept every type."),
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The maximum budget cannot be below the minimum."))
        return cleaned


class CallPage(Page):
    """A public call for course proposals, with its scoring rubric."""

    class Phase(models.TextChoices):
        OPEN = "open", _("open for proposals")
        REVIEW = "review", _("in review")
        DECISION = "decision", _("decision")
        CLOSED = "closed", _("closed")

    # Only these moves are allowed; each is made by a call manager.
    TRANSITIONS = {Phase.OPEN: [Phase.REVIEW], Phase.REVIEW: [Phase.DECISION], Phase.DECISION: [Phase.CLOSED]}

    problem_statement = RichTextField(_("problem statement"), features=["bold", "italic", "link", "ul", "ol", "h3"])
    target_audiences = ParentalManyToManyField(Audience, blank=True, related_name="calls",
                                               verbose_name=_("target audiences"))
    expected_outcomes = models.TextField(_("expected outcomes"), help_text=_("One outcome per line."))
    budget_min = models.DecimalField(_("minimum budget (CNY)"), max_digits=12, decimal_places=2,
                                     default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    budget_max = models.DecimalField(_("maximum budget (CNY)"), max_digits=12, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"))])
    number_of_awards = models.PositiveSmallIntegerField(_("number of awards"), default=1,
                                                        validators=[MinValueValidator(1)])
    eligible_institution_types = models.JSONField(_("eligible institution types"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("Submissions are refused from this moment on."))
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.OPEN, editable=False)
    blind_review = models.BooleanField(
        _("blind review"), default=False,
        help_text=_("Reviewers do not see the institution, the team names or CVs."),
    )
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        _("reviewers per proposal"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"), max_digits=5, decimal_places=1, default=Decimal("15"),
        help_text=_("Flag a proposal when the standard deviation of its review totals (0–100) exceeds this."),
    )
    faq = StreamField([("faq", FaqBlock())], blank=True, verbose_name=_("FAQ"))
    demand_topics = ParentalManyToManyField(DemandTopic, blank=True, related_name="calls",
                                            verbose_name=_("learning demand topics"))

    base_form_class = CallPageForm
    content_panels = Page.content_panels + [
        FieldPanel("problem_statement"),
        FieldPanel("target_audiences"),
        FieldPanel("expected_outcomes"),
        FieldPanel("demand_topics"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("budget_min"), FieldPanel("budget_max")]), FieldPanel("number_of_awards")],
            heading=_("budget and awards"),
        ),
        FieldPanel("eligible_institution_types"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("dates")),
        InlinePanel("criteria", heading=_("scoring rubric"), label=_("criterion"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("blind_review"), FieldPanel("reviewers_per_proposal"), FieldPanel("disagreement_threshold")],
            heading=_("review"),
        ),
        FieldPanel("faq"),
        InlinePanel("attachments", heading=_("attachments"), label=_("attachment")),
    ]
    parent_page_types = ["proposals.CallIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("call for proposals")

    def public_state(self, now=None) -> str:
        """open, upcoming or closed, as the public sees it."""
        now = now or timezone.now()
        if self.phase != self.Phase.OPEN or now >= self.closes_at:
            return "closed"
        return "upcoming" if now < self.opens_at else "open"

    def is_accepting_proposals(self, now=None) -> bool:
        return self.live and self.public_state(now) == "open"

    def accepts_institution(self, institution: InstitutionPage) -> bool:
        return not self.eligible_institution_types or institution.institution_type in self.eligible_institution_types

    def eligible_type_labels(self) -> list[str]:
        labels = dict(InstitutionPage.InstitutionType.choices)
        return [str(labels.get(code, code)) for code in self.eligible_institution_types]

    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.expected_outcomes.splitlines() if line.strip()]

    def allowed_next_phases(self) -> list[str]:
        return [str(p) for p in self.TRANSITIONS.get(self.Phase(self.phase), [])]

    def budget_in_range(self, total: Decimal) -> bool:
        return self.budget_min <= total <= self.budget_max

    def commissioned_courses(self):
        """Published courses commissioned through this call."""
        ids = Proposal.objects.filter(call=self, commissioned_course__isnull=False).values("commissioned_course")
        return CoursePage.objects.live().public().filter(pk__in=ids).order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from catalogue.models import institutions_of

        context["state"] = self.public_state()
        context["criteria"] = self.criteria.all()
        context["commissioned_courses"] = self.commissioned_courses()
        context["can_propose"] = self.is_accepting_proposals() and any(
            self.accepts_institution(i) for i in institutions_of(request.user)
        )
        return context


class RubricCriterion(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("max score"), default=5,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)])
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0.01"))])

    panels = [FieldPanel("name"), FieldPanel("description"),
              FieldRowPanel([FieldPanel("max_score"), FieldPanel("weight")])]

    class Meta(Orderable.Meta):
        verbose_name = _("rubric criterion")

    def __str__(self) -> str:
        return self.name


class CallAttachment(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("document"))
    title = models.CharField(_("title"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    def label(self) -> str:
        return self.title or self.document.title


# ---------------------------------------------------------------------------------------------------------------
# Proposals
# ---------------------------------------------------------------------------------------------------------------


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REVISION_REQUESTED = "revision", _("revision requested")
        AWARDED = "awarded", _("awarded")
        REJECTED = "rejected", _("not funded")

    call = models.ForeignKey(CallPage, on_delete=models.PROTECT, related_name="proposals")
    institution = models.ForeignKey(InstitutionPage, on_delete=models.PROTECT, related_name="proposals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="created_proposals")
    title = models.CharField(_("course title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    syllabus_outline = models.TextField(_("syllabus outline"), max_length=20000, blank=True)
    learning_outcomes = models.TextField(_("learning outcomes"), max_length=5000, blank=True,
                                         help_text=_("One outcome per line."))
    delivery_mode = models.CharField(_("delivery mode"), max_length=10, choices=CoursePage.Mode.choices,
                                     default=CoursePage.Mode.OFFLINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    # Optimistic concurrency: every save must name the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    commissioned_course = models.ForeignKey(CoursePage, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="commissioned_from", editable=False)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("proposal")

    def __str__(self) -> str:
        return self.title

    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines.all()), Decimal("0"))

    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def is_editable(self) -> bool:
        if self.status == self.Status.REVISION_REQUESTED:
            return True
        return self.status == self.Status.DRAFT and self.call.is_accepting_proposals()

    def snapshot(self) -> dict:
        """Everything an assessor reads, frozen at submission."""
        return {
            "title": self.title, "summary": self.summary, "syllabus_outline": self.syllabus_outline,
            "learning_outcomes": self.learning_outcomes, "delivery_mode": self.delivery_mode,
            "team": [{"name": m.name, "role": m.role, "cv": m.cv.name if m.cv else ""} for m in self.team.all()],
            "milestones": [{"title": m.title, "due_date": m.due_date.isoformat(), "description": m.description}
                           for m in self.milestones.all()],
            "budget": [{"item": b.item, "amount": str(b.amount)} for b in self.budget_lines.all()],
            "budget_total": str(self.budget_total()),
            "attachments": [a.original_name for a in self.attachments.all()],
        }


def proposal_upload_path(instance, filename: str) -> str:
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"proposals/{uuid.uuid4().hex}.{ext}"


class TeamMember(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role in the project"), max_length=120)
    cv = models.FileField(_("CV"), upload_to=proposal_upload_path, storage=private_storage, blank=True)
    cv_name = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Milestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due"))
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=proposal_upload_path, storage=private_storage)
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ProposalVersion(models.Model):
    """A frozen copy of a proposal at each submission."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="unique_proposal_version")]

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number}"

