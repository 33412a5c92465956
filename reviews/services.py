"""Assignments, conflicts, reviews, decisions and commissions. Each state change checks the actor's role,
runs in a transaction, and is logged in Wagtail's audit log; refusals raise ActionRefused and change nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.models import CoursePage, Membership
from proposals.models import CallPage, Proposal
from proposals.roles import REVIEWERS, is_call_manager, is_reviewer
from proposals.services import ActionRefused, forbid

from .models import Assignment, Commission, CommissionMilestone, ConflictOfInterest, Decision, Review, Score


def _require_manager(user) -> None:
    if not is_call_manager(user):
        raise forbid(_("Only call managers may do this."))


def reviewer_pool():
    return get_user_model().objects.filter(groups__name=REVIEWERS, is_active=True).distinct().order_by("username")


def ineligibility(reviewer, proposal: Proposal) -> str | None:
    """Why this person cannot review this proposal, or None."""
    if not is_reviewer(reviewer):
        return _("%(user)s is not a reviewer.") % {"user": reviewer}
    if Membership.objects.filter(user=reviewer, institution_id=proposal.institution_id).exists():
        return _("%(user)s belongs to the proposing institution.") % {"user": reviewer}
    if ConflictOfInterest.objects.filter(reviewer=reviewer, proposal=proposal).exists():
        return _("%(user)s declared a conflict of interest with this proposal.") % {"user": reviewer}
    return None


def _check_assignable(proposal: Proposal) -> None:
    if proposal.call.phase != CallPage.Phase.REVIEW:
        raise ActionRefused(_("Reviewers can be assigned only while the call is in review."))
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ActionRefused(_("Only submitted proposals can be reviewed."))


@transaction.atomic
def assign(manager, proposal: Proposal, reviewer) -> Assignment:
    _require_manager(manager)
    _check_assignable(proposal)
    reason = ineligibility(reviewer, proposal)
    if reason:
        raise ActionRefused(reason)
    if Assignment.objects.filter(proposal=proposal, reviewer=reviewer).exists():
        raise ActionRefused(_("%(user)s is already assigned to this proposal.") % {"user": reviewer})
    assignment = Assignment.objects.create(proposal=proposal, reviewer=reviewer, assigned_by=manager)
    log(proposal, "reviews.assign", user=manager, data={"reviewer": reviewer.pk})
    return assignment


@transaction.atomic
def unassign(manager, assignment: Assignment) -> None:
    _require_manager(manager)
    if Review.objects.filter(proposal=assignment.proposal, reviewer=assignment.reviewer,
                             status=Review.Status.SUBMITTED).exists():
        raise ActionRefused(_("This reviewer has already submitted a review."))
    Review.objects.filter(proposal=assignment.proposal, reviewer=assignment.reviewer).delete()
    assignment.delete()
    log(assignment.proposal, "reviews.unassign", user=manager, data={"reviewer": assignment.reviewer_id})


@transaction.atomic
def auto_assign(manager, call: CallPage, per_proposal: int) -> tuple[int, list[Proposal]]:
    """Give every submitted proposal `per_proposal` reviewers, always picking the least-loaded eligible
    reviewer. Returns how many assignments were made and the proposals still short of reviewers."""
    _require_manager(manager)
    if call.phase != CallPage.Phase.REVIEW:
        raise ActionRefused(_("Reviewers can be assigned only while the call is in review."))
    if not 1 <= per_proposal <= 20:
        raise ActionRefused(_("Choose between 1 and 20 reviewers per proposal."))
    pool = list(reviewer_pool())
    load = {r.pk: 0 for r in pool}
    for row in Assignment.objects.filter(proposal__call=call).values("reviewer_id").annotate(n=Count("pk")):
        if row["reviewer_id"] in load:
            load[row["reviewer_id"]] = row["n"]
    proposals = Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED).select_related("call") \
        .annotate(n=Count("assignments")).order_by("n", "pk")
    made, short = 0, []
    for proposal in proposals:
        taken = set(Assignment.objects.filter(proposal=proposal).values_list("reviewer_id", flat=True))
        need = per_proposal - len(taken)
        candidates = sorted((r for r in pool if r.pk not in taken), key=lambda r: (load[r.pk], r.pk))
        for reviewer in candidates:
            if need <= 0:
                break
            if ineligibility(reviewer, proposal):
                continue
            Assignment.objects.create(proposal=proposal, reviewer=reviewer, assigned_by=manager)
            log(proposal, "reviews.assign", user=manager, data={"reviewer": reviewer.pk, "automatic": True})
            load[reviewer.pk] += 1
            need -= 1
            made += 1
        if need > 0:
            short.append(proposal)
    return made, short


def assignment_for(user, proposal: Proposal) -> Assignment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Assignment.objects.filter(proposal=proposal, reviewer=user).first()


def is_assigned_reviewer(user, proposal: Proposal) -> bool:
    return assignment_for(user, proposal) is not None


def can_see_other_reviews(user, proposal: Proposal) -> bool:
    """Only after one's own review is submitted (managers always)."""
    if is_call_manager(user):
        return True
    return Review.objects.filter(proposal=proposal, reviewer=user, status=Review.Status.SUBMITTED).exists()


@transaction.atomic
def declare_conflict(user, proposal: Proposal, reason: str) -> ConflictOfInterest:
    assignment = assignment_for(user, proposal)
    if assignment is None:
        raise forbid(_("You are not assigned to this proposal."))
    if not reason.strip():
        raise ActionRefused(_("Say briefly what the conflict is."))
    if Review.objects.filter(proposal=proposal, reviewer=user, status=Review.Status.SUBMITTED).exists():
        raise ActionRefused(_("You have already submitted a review; ask the call manager to withdraw it."))
    Review.objects.filter(proposal=proposal, reviewer=user).delete()
    assignment.delete()
    conflict = ConflictOfInterest.objects.create(proposal=proposal, reviewer=user, reason=reason.strip())
    log(proposal, "reviews.conflict", user=user, data={"reviewer": user.pk})
    return conflict


@transaction.atomic
def save_review(user, proposal: Proposal, *, scores: dict[int, int | None], panel_comments: str,
                applicant_comments: str, recommendation: str, submit: bool) -> Review:
    """Save the reviewer's draft, or submit it when `submit`. Scores are keyed by criterion id."""
    if assignment_for(user, proposal) is None:
        raise forbid(_("You are not assigned to this proposal."))
    if proposal.call.phase != CallPage.Phase.REVIEW:
        raise ActionRefused(_("The call is not in its review phase."))
    review, _created = Review.objects.select_for_update().get_or_create(proposal=proposal, reviewer=user)
    if review.is_submitted:
        raise ActionRefused(_("This review has been submitted and can no longer be changed."))
    criteria = {c.pk: c for c in proposal.call.criteria.all()}
    errors = []
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.append(_("Unknown criterion."))
        elif value is not None and not 0 <= value <= criterion.max_score:
            errors.append(_("%(name)s must be between 0 and %(max)s.") % {"name": criterion.name,
                                                                          "max": criterion.max_score})
    if recommendation and recommendation not in Review.Recommendation.values:
        errors.append(_("Choose a recommendation from the list."))
    if submit:
        missing = [c.name for pk, c in criteria.items() if scores.get(pk) is None]
        if missing:
            errors.append(_("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)})
        if not recommendation:
            errors.append(_("Give a recommendation before submitting."))
    if errors:
        raise ActionRefused(" ".join(errors))
    for criterion_id, value in scores.items():
        if value is None:
            Score.objects.filter(review=review, criterion_id=criterion_id).delete()
        else:
            Score.objects.update_or_create(review=review, criterion_id=criterion_id, defaults={"value": value})
    review.panel_comments = panel_comments
    review.applicant_comments = applicant_comments
    review.recommendation = recommendation
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        log(proposal, "reviews.submit", user=user, data={"review": review.pk})
    return review


def applicant_feedback(proposal: Proposal) -> list[str]:
    """What reviewers wrote for the applicant, without names or scores; only once a decision exists."""
    if not proposal.decisions.exists():
        return []
    return [text for text in Review.objects.filter(proposal=proposal, status=Review.Status.SUBMITTED)
            .exclude(applicant_comments="").order_by("?").values_list("applicant_comments", flat=True)]


def latest_decision(proposal: Proposal) -> Decision | None:
    return proposal.decisions.first()


OUTCOME_STATUS = {
    Decision.Outcome.AWARD: Proposal.Status.AWARDED,
    Decision.Outcome.REJECT: Proposal.Status.REJECTED,
    Decision.Outcome.REVISE: Proposal.Status.REVISION_REQUESTED,
}


@transaction.atomic
def decide(manager, proposal: Proposal, outcome: str, feedback: str) -> Decision:
    _require_manager(manager)
    proposal = Proposal.objects.select_for_update().select_related("call", "institution").get(pk=proposal.pk)
    call = proposal.call
    if call.phase != CallPage.Phase.DECISION:
        raise ActionRefused(_("Decisions can be made only in the call's decision phase."))
    if outcome not in Decision.Outcome.values:
        raise ActionRefused(_("Choose award, reject or request revision."))
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ActionRefused(_("Only a submitted proposal awaiting decision can be decided."))
    if not feedback.strip():
        raise ActionRefused(_("Write feedback for the applicant."))
    if outcome == Decision.Outcome.AWARD:
        awarded = Proposal.objects.filter(call=call, status=Proposal.Status.AWARDED).count()
        if awarded >= call.number_of_awards:
            raise ActionRefused(_("This call has already made all %(n)s of its awards.") % {"n": call.number_of_awards})
    decision = Decision.objects.create(proposal=proposal, outcome=outcome, feedback=feedback.strip(),
                                       decided_by=manager)
    proposal.status = OUTCOME_STATUS[outcome]
    proposal.version += 1
    proposal.save(update_fields=["status", "version", "updated_at"])
    log(proposal, "reviews.decision", user=manager, data={"outcome": outcome})
    if outcome == Decision.Outcome.AWARD:
        commission(manager, proposal)
    transaction.on_commit(lambda: notify_applicant(proposal, decision))
    return decision


def notify_applicant(proposal: Proposal, decision: Decision) -> int:
    recipients = sorted({m.user.email for m in proposal.institution.memberships.select_related("user")
                         if m.user.email} | ({proposal.created_by.email} if proposal.created_by and
                                             proposal.created_by.email else set()))
    if not recipients:
        return 0
    subject = _("Decision on your proposal “%(title)s”") % {"title": proposal.title}
    body = "\n\n".join([
        _("Call: %(call)s") % {"call": proposal.call.title},
        _("Decision: %(outcome)s") % {"outcome": decision.get_outcome_display()},
        decision.feedback,
        _("Sign in to read the reviewers' comments for you."),
    ])
    return send_mail(subject, body, None, recipients)


def commission(manager, proposal: Proposal) -> Commission:
    """Create the draft course page under the institution and the milestones to track."""
    institution = proposal.institution
    course = CoursePage(
        title=proposal.title, summary=proposal.summary[:600] or proposal.title, mode=proposal.delivery_mode,
        learning_outcomes=proposal.learning_outcomes, live=False, locale_id=institution.locale_id,
    )
    institution.add_child(instance=course)
    course.save_revision(user=manager, log_action=True)
    Proposal.objects.filter(pk=proposal.pk).update(commissioned_course=course)
    proposal.commissioned_course = course
    record = Commission.objects.create(proposal=proposal, call=proposal.call, course=course, created_by=manager)
    CommissionMilestone.objects.bulk_create([
        CommissionMilestone(commission=record, title=m.title, due_date=m.due_date) for m in proposal.milestones.all()
    ])
    log(record, "reviews.commission", user=manager, data={"course": course.pk, "proposal": proposal.pk})
    return record


def can_track_commission(user, record: Commission) -> bool:
    return is_call_manager(user) or Membership.objects.filter(user=user,
                                                              institution_id=record.proposal.institution_id).exists()


@transaction.atomic
def complete_milestone(user, milestone: CommissionMilestone) -> None:
    if not getattr(user, "is_authenticated", False) or not can_track_commission(user, milestone.commission):
        raise forbid(_("Only the commissioned institution and call managers may update milestones."))
    if milestone.completed_at:
        raise ActionRefused(_("This milestone is already complete."))
    milestone.completed_at = timezone.now()
    milestone.completed_by = user
    milestone.save(update_fields=["completed_at", "completed_by"])
    log(milestone.commission, "reviews.milestone_done", user=user, data={"milestone": milestone.title})


def commissioned_courses(call: CallPage):
    return CoursePage.objects.live().public().filter(commissions__call=call)


def ensure_reviewers_group() -> Group:
    return Group.objects.get_or_create(name=REVIEWERS)[0]
