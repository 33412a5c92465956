"""State changes for topics, calls and proposals. Each one checks who may do it, runs in a transaction and is
recorded in Wagtail's audit log. Refusals raise ActionRefused and change nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.models import InstitutionPage, institutions_of

from .models import CallIndexPage, CallPage, DemandTopic, Proposal, ProposalAttachment, ProposalVersion, TopicVote
from .roles import can_moderate_topics, is_call_manager
from .similarity import BigramIndex


class ActionRefused(Exception):
    """An action that is not allowed: `status` is 403 (who) or 400 (what/when)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def forbid(message: str) -> ActionRefused:
    return ActionRefused(message, status=403)


# --------------------------------------------------------------------------- demand topics


def topic_index() -> BigramIndex:
    """Titles of pending and approved topics, indexed by bigram for duplicate checks."""
    return BigramIndex(DemandTopic.objects.filter(
        status__in=[DemandTopic.Status.PENDING, DemandTopic.Status.APPROVED]).only("pk", "title", "status"))


def similar_topics(title: str, exclude_pk: int | None = None, index: BigramIndex | None = None) -> list[DemandTopic]:
    """Pending or approved topics whose titles look like this one (pass `index` to reuse one fetch)."""
    return (index or topic_index()).query(title, exclude_pk=exclude_pk)


@transaction.atomic
def suggest_topic(user, *, title: str, description: str = "", audience=None, area=None) -> DemandTopic:
    topic = DemandTopic.objects.create(title=title.strip(), description=description.strip(), audience=audience,
                                       area=area, suggested_by=user)
    # The person who suggests a topic supports it.
    TopicVote.objects.create(topic=topic, user=user)
    log(topic, "proposals.topic_suggest", user=user)
    return topic


def vote_for_topic(user, topic: DemandTopic) -> bool:
    """Support a topic once. Returns False when the person already supports it."""
    if not topic.is_public:
        raise ActionRefused(_("This topic no longer takes support."))
    try:
        with transaction.atomic():
            TopicVote.objects.create(topic=topic, user=user)
    except IntegrityError:
        return False
    return True


def withdraw_vote(user, topic: DemandTopic) -> bool:
    return TopicVote.objects.filter(topic=topic, user=user).delete()[0] > 0


def _require_moderator(user) -> None:
    if not can_moderate_topics(user):
        raise forbid(_("Only editors may moderate learning demand."))


@transaction.atomic
def approve_topic(user, topic: DemandTopic) -> None:
    _require_moderator(user)
    if topic.status != DemandTopic.Status.PENDING:
        raise ActionRefused(_("Only topics awaiting moderation can be approved."))
    topic.status = DemandTopic.Status.APPROVED
    topic.save(update_fields=["status"])
    log(topic, "proposals.topic_approve", user=user)


@transaction.atomic
def reject_topic(user, topic: DemandTopic, reason: str) -> None:
    _require_moderator(user)
    if not reason.strip():
        raise ActionRefused(_("Give a reason for the rejection; the person who suggested it will see it."))
    if topic.status not in (DemandTopic.Status.PENDING, DemandTopic.Status.APPROVED):
        raise ActionRefused(_("This topic has already been merged or rejected."))
    topic.status = DemandTopic.Status.REJECTED
    topic.rejection_reason = reason.strip()
    topic.save(update_fields=["status", "rejection_reason"])
    log(topic, "proposals.topic_reject", user=user, data={"reason": topic.rejection_reason})


@transaction.atomic
def merge_topic(user, duplicate: DemandTopic, target: DemandTopic) -> int:
    """Fold a duplicate into another topic; its supporters move across (once each). Returns votes moved."""
    _require_moderator(user)
    if duplicate.pk == target.pk:
        raise ActionRefused(_("A topic cannot be merged into itself."))
    if not duplicate.is_public or not target.is_public:
        raise ActionRefused(_("Only topics that are pending or approved can be merged."))
    already = TopicVote.objects.filter(topic=target).values("user_id")
    moved = TopicVote.objects.filter(topic=duplicate).exclude(user_id__in=already).update(topic=target)
    TopicVote.objects.filter(topic=duplicate).delete()
    duplicate.status = DemandTopic.Status.MERGED
    duplicate.merged_into = target
    duplicate.save(update_fields=["status", "merged_into"])
    log(duplicate, "proposals.topic_merge", user=user, data={"into": target.pk, "votes_moved": moved})
    return moved


def call_index() -> CallIndexPage | None:
    from django.conf import settings

    return CallIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first() or \
        CallIndexPage.objects.first()


@transaction.atomic
def create_call_from_topics(user, topics: list[DemandTopic]) -> CallPage:
    """A draft call drafted from approved topics; the editor completes it in the page editor."""
    if not is_call_manager(user):
        raise forbid(_("Only call managers may open calls."))
    if not topics:
        raise ActionRefused(_("Choose at least one approved topic."))
    if any(t.status != DemandTopic.Status.APPROVED for t in topics):
        raise ActionRefused(_("Only approved topics can become a call."))
    index = call_index()
    if index is None:
        raise ActionRefused(_("The calls section does not exist yet."))
    now = timezone.now()
    audiences = {t.audience for t in topics if t.audience}
    call = CallPage(
        title="; ".join(t.title for t in topics)[:255],
        problem_statement="".join(f"<p>{_escape(t.title)}: {_escape(t.description)}</p>" for t in topics),
        expected_outcomes="\n".join(t.title for t in topics),
        budget_max=0, opens_at=now + timezone.timedelta(days=7), closes_at=now + timezone.timedelta(days=37),
        live=False,
    )
    call.demand_topics.set(topics)
    call.target_audiences.set(audiences)
    index.add_child(instance=call)
    call.save_revision(user=user, log_action=True)
    log(call, "proposals.call_from_topics", user=user, data={"topics": [t.pk for t in topics]})
    return call


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


# --------------------------------------------------------------------------- calls


@transaction.atomic
def change_call_phase(user, call: CallPage, target: str) -> None:
    if not is_call_manager(user):
        raise forbid(_("Only call managers may change a call's phase."))
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    if target not in call.allowed_next_phases():
        raise ActionRefused(_("A call in phase “%(phase)s” cannot move to “%(target)s”.")
                            % {"phase": call.get_phase_display(), "target": target})
    if target == CallPage.Phase.REVIEW and timezone.now() < call.closes_at:
        raise ActionRefused(_("Review can start only after the call has closed."))
    old = call.phase
    CallPage.objects.filter(pk=call.pk).update(phase=target)
    log(call, "proposals.call_phase", user=user, data={"from": old, "to": target})


# --------------------------------------------------------------------------- proposals


def is_member(user, institution: InstitutionPage) -> bool:
    return institutions_of(user).filter(pk=institution.pk).exists()


def can_edit_proposal(user, proposal: Proposal) -> bool:
    return is_member(user, proposal.institution)


def can_view_proposal(user, proposal: Proposal) -> bool:
    """Applicants see their own; call managers see all. Reviewers go through the reviews app."""
    return is_call_manager(user) or is_member(user, proposal.institution)


def proposals_for(user):
    """The proposals of the user's institutions (none for anyone else)."""
    return Proposal.objects.filter(institution__in=institutions_of(user)).select_related("call", "institution")


@transaction.atomic
def create_proposal(user, call: CallPage, institution: InstitutionPage, title: str) -> Proposal:
    if not is_member(user, institution):
        raise forbid(_("You can only propose on behalf of your own institution."))
    if not call.is_accepting_proposals():
        raise ActionRefused(_("This call is not accepting proposals."))
    if not call.accepts_institution(institution):
        raise ActionRefused(_("Institutions of this type are not eligible for this call."))
    proposal = Proposal.objects.create(call=call, institution=institution, created_by=user, title=title.strip())
    log(proposal, "proposals.create", user=user)
    return proposal


class StaleVersion(ActionRefused):
    def __init__(self, current: int):
        super().__init__(_("Someone saved a newer version of this proposal. Reload it before saving again."), 409)
        self.current = current


def claim_version(proposal: Proposal, version: int) -> int:
    """Move the proposal from `version` to the next one, or fail if someone saved in between.
    The conditional UPDATE is atomic, so two saves from the same version cannot both win."""
    updated = Proposal.objects.filter(pk=proposal.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleVersion(Proposal.objects.values_list("version", flat=True).get(pk=proposal.pk))
    proposal.version = version + 1
    return proposal.version


AUTOSAVE_FIELDS = ("title", "summary", "syllabus_outline", "learning_outcomes", "delivery_mode")


@transaction.atomic
def autosave(user, proposal: Proposal, version: int, values: dict) -> int:
    """Save text fields of a draft if nobody saved since `version`. Returns the new version."""
    _require_editable(user, proposal)
    new_version = claim_version(proposal, version)
    changes = {k: v for k, v in values.items() if k in AUTOSAVE_FIELDS}
    Proposal.objects.filter(pk=proposal.pk).update(**changes)
    for key, value in changes.items():
        setattr(proposal, key, value)
    return new_version


def _require_editable(user, proposal: Proposal) -> None:
    if not can_edit_proposal(user, proposal):
        raise forbid(_("Only members of the proposing institution may change this proposal."))
    if not proposal.is_editable:
        if proposal.status == Proposal.Status.DRAFT:
            raise ActionRefused(_("The call has closed; this draft can no longer be changed."))
        raise ActionRefused(_("A %(status)s proposal cannot be changed.") % {"status": proposal.get_status_display()})


def require_editable(user, proposal: Proposal) -> None:
    _require_editable(user, proposal)


def submission_problems(proposal: Proposal) -> list[str]:
    problems = []
    for field in ("summary", "syllabus_outline", "learning_outcomes"):
        if not getattr(proposal, field).strip():
            problems.append(_("%(field)s is empty.") % {"field": Proposal._meta.get_field(field).verbose_name})
    if not proposal.team.exists():
        problems.append(_("Name at least one team member."))
    if not proposal.milestones.exists():
        problems.append(_("Add at least one milestone."))
    total = proposal.budget_total()
    call = proposal.call
    if not call.budget_in_range(total):
        problems.append(_("The budget total %(total)s is outside the call's range %(min)s–%(max)s.")
                        % {"total": total, "min": call.budget_min, "max": call.budget_max})
    if not call.accepts_institution(proposal.institution):
        problems.append(_("Institutions of this type are not eligible for this call."))
    return problems


@transaction.atomic
def submit_proposal(user, proposal: Proposal) -> ProposalVersion:
    proposal = Proposal.objects.select_for_update().select_related("call", "institution").get(pk=proposal.pk)
    if not can_edit_proposal(user, proposal):
        raise forbid(_("Only members of the proposing institution may submit this proposal."))
    resubmission = proposal.status == Proposal.Status.REVISION_REQUESTED
    if proposal.status != Proposal.Status.DRAFT and not resubmission:
        raise ActionRefused(_("Only a draft can be submitted."))
    # The close moment is checked here, on the server, at the moment of submission.
    if not resubmission and not proposal.call.is_accepting_proposals():
        raise ActionRefused(_("The call closed at %(when)s; submissions are no longer accepted.")
                            % {"when": timezone.localtime(proposal.call.closes_at).strftime("%Y-%m-%d %H:%M")})
    problems = submission_problems(proposal)
    if problems:
        raise ActionRefused(" ".join(problems))
    number = proposal.versions.count() + 1
    version = ProposalVersion.objects.create(proposal=proposal, number=number, snapshot=proposal.snapshot(),
                                             submitted_by=user)
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.version += 1
    proposal.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    log(proposal, "proposals.submit", user=user, data={"version": number})
    return version


@transaction.atomic
def withdraw_proposal(user, proposal: Proposal) -> None:
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if not can_edit_proposal(user, proposal):
        raise forbid(_("Only members of the proposing institution may withdraw this proposal."))
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED):
        raise ActionRefused(_("A %(status)s proposal cannot be withdrawn.") % {"status": proposal.get_status_display()})
    if timezone.now() >= proposal.call.closes_at or proposal.call.phase != CallPage.Phase.OPEN:
        raise ActionRefused(_("The call has closed; proposals can no longer be withdrawn."))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.version += 1
    proposal.save(update_fields=["status", "version", "updated_at"])
    log(proposal, "proposals.withdraw", user=user)


@transaction.atomic
def add_attachment(user, proposal: Proposal, uploaded, mime: str) -> ProposalAttachment:
    _require_editable(user, proposal)
    attachment = ProposalAttachment(proposal=proposal, original_name=uploaded.name[:200], mime_type=mime,
                                    size=uploaded.size, uploaded_by=user)
    attachment.file.save(uploaded.name, uploaded, save=False)
    attachment.save()
    log(proposal, "proposals.attachment_add", user=user, data={"name": attachment.original_name})
    return attachment


@transaction.atomic
def remove_attachment(user, attachment: ProposalAttachment) -> None:
    _require_editable(user, attachment.proposal)
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    log(attachment.proposal, "proposals.attachment_remove", user=user, data={"name": name})


def ranked_topics(*, audience=None, area=None, status=None):
    topics = DemandTopic.objects.select_related("audience", "area").annotate(support=Count("votes"))
    if status:
        topics = topics.filter(status=status)
    else:
        topics = topics.filter(Q(status=DemandTopic.Status.PENDING) | Q(status=DemandTopic.Status.APPROVED))
    if audience:
        topics = topics.filter(audience=audience)
    if area:
        topics = topics.filter(area_id__in=type(area).descendant_ids([area.pk]))
    return topics.order_by("-support", "-created_at")


def demand_by(field: str) -> list[dict]:
    """Support summed per audience or per area, for editors deciding what to commission."""
    if field not in ("audience", "area"):
        raise ValueError(field)
    rows = DemandTopic.objects.filter(status__in=[DemandTopic.Status.PENDING, DemandTopic.Status.APPROVED]) \
        .values(f"{field}__pk", f"{field}__name").annotate(topics=Count("pk", distinct=True), support=Count("votes")) \
        .order_by("-support")
    return [{"name": row[f"{field}__name"] or "—", "topics": row["topics"], "support": row["support"]} for row in rows]
