"""Call managers' views in the Wagtail admin: phases, assignments, ranking, decisions, commissions."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from proposals import services as proposal_services
from proposals.admin_access import refuse_unless
from proposals.models import CallPage, Proposal
from proposals.roles import is_call_manager
from proposals.services import ActionRefused

from . import services
from .aggregation import call_ranking
from .models import Assignment, Commission, Decision, Review

managers_only = refuse_unless(is_call_manager, gettext_lazy("Only call managers may do this."))


@managers_only
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    calls = CallPage.objects.all().order_by("-closes_at")
    return render(request, "reviews/admin/calls.html", {"calls": calls, "header_title": _("Commissioning")})


@managers_only
@require_GET
def call_dashboard(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(CallPage, pk=call_id)
    ranking = call_ranking(call)
    assignments = {}
    for a in Assignment.objects.filter(proposal__call=call).select_related("reviewer"):
        assignments.setdefault(a.proposal_id, []).append(a)
    rows = [(stats, assignments.get(stats.proposal.pk, [])) for stats in ranking]
    return render(request, "reviews/admin/call.html", {
        "call": call, "rows": rows, "reviewers": services.reviewer_pool(), "header_title": call.title,
        "outcomes": Decision.Outcome.choices,
        "drafts": Proposal.objects.filter(call=call, status=Proposal.Status.DRAFT).count(),
    })


@managers_only
@require_POST
def change_phase(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(CallPage, pk=call_id)
    proposal_services.change_call_phase(request.user, call, request.POST.get("phase", ""))
    messages.success(request, _("Phase changed."))
    return redirect("reviews_admin:call", call_id=call.pk)


@managers_only
@require_POST
def assign(request: HttpRequest, call_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("call"), pk=request.POST.get("proposal") or 0,
                                 call_id=call_id)
    reviewer = get_object_or_404(get_user_model(), pk=request.POST.get("reviewer") or 0)
    services.assign(request.user, proposal, reviewer)
    messages.success(request, _("Reviewer assigned."))
    return redirect("reviews_admin:call", call_id=call_id)


@managers_only
@require_POST
def auto_assign(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(CallPage, pk=call_id)
    try:
        per_proposal = int(request.POST.get("per_proposal") or call.reviewers_per_proposal)
    except ValueError as exc:
        raise ActionRefused(_("Enter a whole number of reviewers.")) from exc
    made, short = services.auto_assign(request.user, call, per_proposal)
    messages.success(request, _("%(n)s assignments made.") % {"n": made})
    if short:
        messages.warning(request, _("Not enough eligible reviewers for: %(titles)s")
                         % {"titles": ", ".join(p.title for p in short)})
    return redirect("reviews_admin:call", call_id=call.pk)


@managers_only
@require_POST
def unassign(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("proposal"), pk=pk)
    services.unassign(request.user, assignment)
    messages.success(request, _("Assignment removed."))
    return redirect("reviews_admin:call", call_id=assignment.proposal.call_id)


@managers_only
@require_GET
def ranking_csv(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(CallPage, pk=call_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-ranking.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese titles as UTF-8
    writer = csv.writer(response)
    writer.writerow(["rank", "proposal_id", "title", "institution", "status", "reviews", "assigned", "mean",
                     "median", "stdev", "disagreement", "recommendation"])
    for rank, stats in enumerate(call_ranking(call), start=1):
        p = stats.proposal
        writer.writerow([rank, p.pk, _csv_safe(p.title), _csv_safe(p.institution.title), p.status, stats.count,
                         stats.assigned, stats.mean if stats.mean is not None else "",
                         stats.median if stats.median is not None else "",
                         stats.stdev if stats.stdev is not None else "", "yes" if stats.disagreement else "no",
                         stats.recommendation])
    return response


def _csv_safe(text: str) -> str:
    """Stop spreadsheet formula injection from applicant-written titles."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@managers_only
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("call", "institution"), pk=pk)
    reviews = Review.objects.filter(proposal=proposal).select_related("reviewer").prefetch_related("scores__criterion")
    return render(request, "reviews/admin/proposal.html", {
        "proposal": proposal, "reviews": reviews, "decisions": proposal.decisions.all(),
        "outcomes": Decision.Outcome.choices, "header_title": proposal.title,
        "conflicts": proposal.conflicts.select_related("reviewer"),
    })


@managers_only
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    decision = services.decide(request.user, proposal, request.POST.get("outcome", ""),
                               request.POST.get("feedback", ""))
    messages.success(request, _("Decision recorded: %(o)s.") % {"o": decision.get_outcome_display()})
    return redirect("reviews_admin:proposal", pk=proposal.pk)


@managers_only
@require_GET
def commission_list(request: HttpRequest) -> HttpResponse:
    commissions = Commission.objects.select_related("proposal__institution", "call", "course") \
        .prefetch_related("milestones")
    return render(request, "reviews/admin/commissions.html",
                  {"commissions": commissions, "header_title": _("Commissions")})
