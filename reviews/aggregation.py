"""Review totals and per-proposal statistics for the ranking table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


def _round(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def weighted_total(review) -> Decimal | None:
    """Sum of score × weight over the best possible sum, as 0–100, so calls with different rubrics compare."""
    scores = list(review.scores.select_related("criterion"))
    if not scores:
        return None
    criteria = list(review.proposal.call.criteria.all())
    best = sum((Decimal(c.max_score) * c.weight for c in criteria), Decimal("0"))
    if not best:
        return None
    got = sum((Decimal(s.value) * s.criterion.weight for s in scores), Decimal("0"))
    return _round(got / best * 100)


@dataclass
class ProposalStats:
    proposal: object
    totals: list[Decimal] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    assigned: int = 0
    threshold: Decimal = Decimal("15")

    @property
    def count(self) -> int:
        return len(self.totals)

    @property
    def mean(self) -> Decimal | None:
        return _round(statistics.fmean(self.totals)) if self.totals else None

    @property
    def median(self) -> Decimal | None:
        return _round(statistics.median(self.totals)) if self.totals else None

    @property
    def stdev(self) -> Decimal | None:
        # Population standard deviation: the panel is the whole population of reviews for this proposal.
        return _round(statistics.pstdev([float(t) for t in self.totals])) if len(self.totals) >= 2 else None

    @property
    def disagreement(self) -> bool:
        """Totals spread beyond the call's threshold, or one reviewer says fund while another says don't."""
        spread = self.stdev is not None and self.stdev > self.threshold
        split = "yes" in self.recommendations and "no" in self.recommendations
        return spread or split

    @property
    def recommendation(self) -> str:
        """Unanimous yes/no, otherwise maybe (as Hypha does)."""
        if not self.recommendations:
            return ""
        if all(r == "yes" for r in self.recommendations):
            return "yes"
        if all(r == "no" for r in self.recommendations):
            return "no"
        return "maybe"


def call_ranking(call) -> list[ProposalStats]:
    """Submitted-or-decided proposals of the call, best mean first; unreviewed ones last."""
    from proposals.models import Proposal

    from .models import Assignment, Review

    proposals = Proposal.objects.filter(call=call).exclude(
        status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN]
    ).select_related("institution")
    reviews = Review.objects.filter(proposal__call=call, status=Review.Status.SUBMITTED) \
        .select_related("proposal__call").prefetch_related("scores__criterion")
    stats = {p.pk: ProposalStats(proposal=p, threshold=call.disagreement_threshold) for p in proposals}
    for review in reviews:
        entry = stats.get(review.proposal_id)
        if entry is None:
            continue
        total = weighted_total(review)
        if total is not None:
            entry.totals.append(total)
        if review.recommendation:
            entry.recommendations.append(review.recommendation)
    for assignment in Assignment.objects.filter(proposal__call=call).values("proposal_id"):
        if assignment["proposal_id"] in stats:
            stats[assignment["proposal_id"]].assigned += 1
    return sorted(stats.values(), key=lambda s: (s.mean is None, -(s.mean or 0), s.proposal.pk))
