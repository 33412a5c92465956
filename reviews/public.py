"""What other apps may ask the reviews app."""

from __future__ import annotations

from .services import applicant_feedback, is_assigned_reviewer, latest_decision

__all__ = ["applicant_view", "is_assigned_reviewer"]


def applicant_view(proposal) -> dict:
    """Decision, feedback and reviewers' comments meant for the applicant; never panel comments,
    scores or reviewer identities."""
    commission = getattr(proposal, "commission", None) if proposal.status == proposal.Status.AWARDED else None
    return {
        "decision": latest_decision(proposal),
        "reviewer_feedback": applicant_feedback(proposal),
        "commission": commission,
        "commission_milestones": commission.milestones.all() if commission else [],
    }
