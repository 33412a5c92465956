"""Reviewers' pages: their assignments, the review form, conflict declarations; milestone tracking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from proposals.models import Proposal
from proposals.services import ActionRefused, forbid
from proposals.views import answers_refusals

from . import services
from .models import Assignment, CommissionMilestone, Review


@login_required
@require_GET
def my_assignments(request: HttpRequest) -> HttpResponse:
    assignments = Assignment.objects.filter(reviewer=request.user).select_related("proposal__call",
                                                                                   "proposal__institution")
    reviews = {r.proposal_id: r for r in Review.objects.filter(reviewer=request.user)}
    rows = [(a, reviews.get(a.proposal_id)) for a in assignments]
    return render(request, "reviews/my_assignments.html", {"rows": rows})


def _parse_scores(request: HttpRequest, proposal: Proposal) -> dict[int, int | None]:
    scores: dict[int, int | None] = {}
    for criterion in proposal.call.criteria.all():
        raw = request.POST.get(f"score-{criterion.pk}", "").strip()
        if raw == "":
            scores[criterion.pk] = None
            continue
        try:
            scores[criterion.pk] = int(raw)
        except ValueError as exc:
            raise ActionRefused(_("%(name)s: enter a whole number.") % {"name": criterion.name}) from exc
    return scores


@login_required
@answers_refusals
def review_proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("call", "institution"), pk=proposal_id)
    if not services.is_assigned_reviewer(request.user, proposal):
        raise forbid(_("You are not assigned to review this proposal."))
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        services.save_review(
            request.user, proposal, scores=_parse_scores(request, proposal),
            panel_comments=request.POST.get("panel_comments", "")[:10000],
            applicant_comments=request.POST.get("applicant_comments", "")[:10000],
            recommendation=request.POST.get("recommendation", ""), submit=submit,
        )
        messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
        return redirect("reviews:review", proposal_id=proposal.pk)
    review = Review.objects.filter(proposal=proposal, reviewer=request.user).first()
    own_scores = {s.criterion_id: s.value for s in review.scores.all()} if review else {}
    criteria = [(c, own_scores.get(c.pk)) for c in proposal.call.criteria.all()]
    others = []
    if services.can_see_other_reviews(request.user, proposal):
        others = list(Review.objects.filter(proposal=proposal, status=Review.Status.SUBMITTED)
                      .exclude(reviewer=request.user).prefetch_related("scores__criterion"))
    return render(request, "reviews/review_form.html", {
        "proposal": proposal, "call": proposal.call, "blind": proposal.call.blind_review, "review": review,
        "criteria": criteria, "others": others, "recommendations": Review.Recommendation.choices,
        "can_edit": proposal.call.phase == "review" and not (review and review.is_submitted),
    })


@login_required
@require_POST
@answers_refusals
def declare_conflict(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    services.declare_conflict(request.user, proposal, request.POST.get("reason", ""))
    messages.success(request, _("Conflict of interest recorded; the proposal has been taken off your list."))
    return redirect("reviews:mine")


@login_required
@require_POST
@answers_refusals
def complete_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(CommissionMilestone.objects.select_related("commission__proposal"), pk=pk)
    services.complete_milestone(request.user, milestone)
    messages.success(request, _("Milestone marked as done."))
    return redirect("proposals:detail", pk=milestone.commission.proposal_id)
