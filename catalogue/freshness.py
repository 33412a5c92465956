"""Keeping courses current: the signals that flag a course as outdated, and the rules that clear them.

Every signal is a small function that looks at a batch of courses with a handful of aggregate queries
(never one query per course) and answers ``{course_id: evidence}`` for the courses it flags.
``evaluate_courses`` reconciles those answers with the open ``CourseFlag`` rows: new signals raise a
flag, signals that went away clear theirs, and ``CoursePage.needs_update`` / ``flagged_since`` follow.
Running it twice changes nothing the second time, so it is safe on a schedule.

Suggested schedule: ``manage.py flag_outdated --no-progress`` nightly (or hourly), ``manage.py check_links
--no-progress`` nightly, ``manage.py send_freshness_digest`` once a day. Publishing a course, saving a
venue and publishing an institution re-check the affected courses straight away.
Thresholds are in ``settings.FRESHNESS`` (see DEFAULTS below).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.utils import timezone

from .freshness_models import CourseFlag, CourseLink, CourseRating, CourseReview, FlagReason, LearnerReport, LinkStatus

DEFAULTS = {
    "days_after_last_run": 90,
    "months_without_revision": 18,
    "report_count": 3,
    "rating_threshold": 2.5,
    "rating_min_count": 3,
    "notice_after_days": 30,
    "report_rate": "10/h",
    "link_timeout": 10.0,
    "link_workers": 8,
    "link_host_delay": 1.0,
    "link_recheck_hours": 24,
    "link_allow_private_hosts": False,
    "digest_min_hours": 20,
}

# Flags that mean "time has passed": an editor's review answers them.
TIME_BASED = frozenset({FlagReason.REVIEW_OVERDUE, FlagReason.NO_CURRENT_RUN, FlagReason.STALE_CONTENT})
# Learner reports are also answered by a review: the editor has looked at what learners pointed out.
CLEARED_BY_REVIEW = TIME_BASED | {FlagReason.LEARNER_REPORTS}
# Flags about the content itself: a new published revision answers them.
CONTENT_BASED = frozenset(
    {FlagReason.STALE_CONTENT, FlagReason.LEARNER_REPORTS, FlagReason.LOW_RATING, FlagReason.BROKEN_LINK}
)
# Higher is more urgent: things learners run into first (closed doors, dead links) come first.
URGENCY = {
    FlagReason.INSTITUTION_INACTIVE: 50,
    FlagReason.VENUE_CLOSED: 40,
    FlagReason.BROKEN_LINK: 30,
    FlagReason.LEARNER_REPORTS: 25,
    FlagReason.NO_CURRENT_RUN: 20,
    FlagReason.REVIEW_OVERDUE: 15,
    FlagReason.LOW_RATING: 10,
    FlagReason.STALE_CONTENT: 5,
}


def conf(key: str):
    """A freshness threshold from settings.FRESHNESS, falling back to the defaults above."""
    return getattr(settings, "FRESHNESS", {}).get(key, DEFAULTS[key])


@dataclass
class CourseFacts:
    pk: int
    live: bool
    last_reviewed: datetime.date | None
    review_interval: int
    first_published: datetime.date | None
    last_revised: datetime.datetime | None
    institution_active: bool | None


@dataclass
class Batch:
    """What the signals need to know about a batch of courses, loaded once."""

    ids: list[int]
    facts: dict[int, CourseFacts]
    now: datetime.datetime
    today: datetime.date = field(init=False)

    def __post_init__(self) -> None:
        self.today = timezone.localdate(self.now)

    @property
    def live_ids(self) -> list[int]:
        return [pk for pk, facts in self.facts.items() if facts.live]


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def load_batch(ids: Iterable[int], now: datetime.datetime | None = None) -> Batch:
    from .models import CoursePage

    ids = list(ids)
    now = now or timezone.now()
    reviews = dict(
        CourseReview.objects.filter(course_id__in=ids).values("course_id").annotate(last=Max("reviewed_at"))
        .values_list("course_id", "last")
    )
    rows = (
        CoursePage.objects.filter(pk__in=ids)
        .values("pk", "live", "last_reviewed", "review_interval_months", "first_published_at",
                "latest_revision_created_at", "last_published_at", "provider__is_active")
        .annotate(category_interval=Min("categories__review_interval_months"))
    )
    facts = {}
    for row in rows:
        reviewed = [d for d in (row["last_reviewed"], _local_date(reviews.get(row["pk"]))) if d]
        revised = [d for d in (row["latest_revision_created_at"], row["last_published_at"]) if d]
        facts[row["pk"]] = CourseFacts(
            pk=row["pk"],
            live=row["live"],
            last_reviewed=max(reviewed) if reviewed else None,
            review_interval=row["review_interval_months"] or row["category_interval"] or 12,
            first_published=_local_date(row["first_published_at"]),
            last_revised=max(revised) if revised else None,
            institution_active=row["provider__is_active"],
        )
    return Batch(ids=ids, facts=facts, now=now)


# --- Signals: one function per reason ---------------------------------------------------------------


def review_overdue(batch: Batch) -> dict[int, dict]:
    """The review date (last review, or first publication, plus the review interval) has passed."""
    from .models import add_months

    flagged = {}
    for pk in batch.live_ids:
        facts = batch.facts[pk]
        since = facts.last_reviewed or facts.first_published
        if since is None:
            continue
        due = add_months(since, facts.review_interval)
        if due < batch.today:
            flagged[pk] = {"due": due.isoformat(), "last_reviewed": _iso(facts.last_reviewed),
                           "interval_months": facts.review_interval}
    return flagged


def no_current_run(batch: Batch) -> dict[int, dict]:
    """No current or future run, and the last one ended long ago (unless reviewed since then)."""
    from .models import CourseRun

    days = conf("days_after_last_run")
    last_ends = (
        CourseRun.objects.filter(course_id__in=batch.live_ids).values("course_id").annotate(last_end=Max("end_date"))
        .values_list("course_id", "last_end")
    )
    flagged = {}
    for pk, last_end in last_ends:
        overdue_since = last_end + datetime.timedelta(days=days)
        reviewed = batch.facts[pk].last_reviewed
        if overdue_since < batch.today and (reviewed is None or reviewed < overdue_since):
            flagged[pk] = {"last_run_ended": last_end.isoformat(), "days": days}
    return flagged


def stale_content(batch: Batch) -> dict[int, dict]:
    """Neither a new revision nor a review for N months (from Wagtail's revision timestamps)."""
    from .models import add_months

    months = conf("months_without_revision")
    flagged = {}
    for pk in batch.live_ids:
        facts = batch.facts[pk]
        revised = _local_date(facts.last_revised)
        touched = max([d for d in (revised, facts.last_reviewed) if d], default=None)
        if touched and add_months(touched, months) < batch.today:
            flagged[pk] = {"last_revised": _iso(revised), "last_reviewed": _iso(facts.last_reviewed),
                           "months": months}
    return flagged


def broken_links(batch: Batch) -> dict[int, dict]:
    """Links in the course that failed their last check."""
    pairs = CourseLink.objects.filter(
        course_id__in=batch.live_ids, url__in=LinkStatus.objects.filter(is_broken=True).values("url")
    ).values_list("course_id", "url")
    by_course: dict[int, list[str]] = defaultdict(list)
    for pk, url in pairs:
        by_course[pk].append(url)
    if not by_course:
        return {}
    urls = {url for found in by_course.values() for url in found}
    statuses = {s.url: s for s in LinkStatus.objects.filter(url__in=urls)}
    return {
        pk: {"links": [{"url": url, "status": statuses[url].status_code, "error": statuses[url].error}
                       for url in sorted(found)]}
        for pk, found in by_course.items()
    }


def learner_reports(batch: Batch) -> dict[int, dict]:
    """Enough learners said "this information is out of date" since the last review or revision."""
    threshold = conf("report_count")
    counts = (
        LearnerReport.objects.filter(course_id__in=batch.live_ids, resolved_at__isnull=True)
        .values("course_id").annotate(n=Count("pk"), latest=Max("created_at")).filter(n__gte=threshold)
    )
    return {row["course_id"]: {"reports": row["n"], "latest": row["latest"].isoformat()} for row in counts}


def low_rating(batch: Batch) -> dict[int, dict]:
    """Ratings given since the last published revision average at or below the threshold."""
    rows = (
        CourseRating.objects.filter(course_id__in=batch.live_ids, updated_at__gte=F("course__last_published_at"))
        .values("course_id").annotate(average=Avg("score"), n=Count("pk"))
        .filter(n__gte=conf("rating_min_count"), average__lte=conf("rating_threshold"))
    )
    return {row["course_id"]: {"average": round(row["average"], 2), "ratings": row["n"]} for row in rows}


def venue_closed(batch: Batch) -> dict[int, dict]:
    """A run that has not ended yet takes place at a venue marked closed."""
    from .models import CourseRun

    rows = (
        CourseRun.objects.filter(course_id__in=batch.live_ids, end_date__gte=batch.today, venue__is_open=False)
        .values_list("course_id", "venue_id", "venue__name").distinct()
    )
    flagged: dict[int, dict] = {}
    for pk, venue_id, name in rows:
        flagged.setdefault(pk, {"venues": []})["venues"].append({"id": venue_id, "name": name})
    return flagged


def institution_inactive(batch: Batch) -> dict[int, dict]:
    """The institution offering the course has been deactivated."""
    return {pk: {} for pk in batch.live_ids if batch.facts[pk].institution_active is False}


SIGNALS: dict[str, Callable[[Batch], dict[int, dict]]] = {
    FlagReason.REVIEW_OVERDUE: review_overdue,
    FlagReason.NO_CURRENT_RUN: no_current_run,
    FlagReason.STALE_CONTENT: stale_content,
    FlagReason.BROKEN_LINK: broken_links,
    FlagReason.LEARNER_REPORTS: learner_reports,
    FlagReason.LOW_RATING: low_rating,
    FlagReason.VENUE_CLOSED: venue_closed,
    FlagReason.INSTITUTION_INACTIVE: institution_inactive,
}


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


# --- Reconciliation ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    raised: int = 0
    cleared: int = 0
    changed_courses: set[int] = field(default_factory=set)

    def add(self, other: Outcome) -> None:
        self.raised += other.raised
        self.cleared += other.cleared
        self.changed_courses |= other.changed_courses


def evaluate_courses(
    ids: Iterable[int],
    *,
    reasons: Iterable[str] | None = None,
    actor=None,
    cause: str = "resolved",
    now: datetime.datetime | None = None,
) -> Outcome:
    """Compute the signals for these courses and raise or clear flags to match. Idempotent."""
    ids = list(ids)
    reasons = list(reasons or SIGNALS)
    if not ids:
        return Outcome()
    batch = load_batch(ids, now)
    active = {reason: SIGNALS[reason](batch) for reason in reasons}
    with transaction.atomic():
        outcome = _reconcile(batch, active, actor=actor, cause=cause)
        flag_state_changed = sync_course_state(outcome.changed_courses)
    update_search_index(flag_state_changed)
    return outcome


def _reconcile(batch: Batch, active: dict[str, dict[int, dict]], *, actor, cause: str) -> Outcome:
    outcome = Outcome()
    open_flags = CourseFlag.objects.filter(course_id__in=batch.ids, reason__in=list(active), cleared_at__isnull=True)
    existing = {(flag.course_id, flag.reason): flag for flag in open_flags.only("pk", "course_id", "reason",
                                                                                  "evidence")}
    to_clear, to_update = [], []
    for (pk, reason), flag in existing.items():
        evidence = active[reason].get(pk)
        if evidence is None:
            to_clear.append(flag.pk)
            outcome.changed_courses.add(pk)
        elif evidence != flag.evidence:
            flag.evidence = evidence
            to_update.append(flag)
    to_create = [
        CourseFlag(course_id=pk, reason=reason, raised_at=batch.now, evidence=evidence)
        for reason, flagged in active.items() for pk, evidence in flagged.items() if (pk, reason) not in existing
    ]
    if to_clear:
        CourseFlag.objects.filter(pk__in=to_clear).update(
            cleared_at=batch.now, cleared_by=actor if getattr(actor, "pk", None) else None, cleared_because=cause
        )
    if to_update:
        CourseFlag.objects.bulk_update(to_update, ["evidence"], batch_size=500)
    if to_create:
        # ignore_conflicts: a concurrent run that raised the same flag first is not an error.
        CourseFlag.objects.bulk_create(to_create, batch_size=500, ignore_conflicts=True)
        outcome.changed_courses |= {flag.course_id for flag in to_create}
    outcome.raised, outcome.cleared = len(to_create), len(to_clear)
    return outcome


def sync_course_state(course_ids: Iterable[int]) -> set[int]:
    """Bring CoursePage.needs_update / flagged_since in line with the open flags; answer the changed ids."""
    from .models import CoursePage

    course_ids = set(course_ids)
    if not course_ids:
        return set()
    earliest = dict(
        CourseFlag.objects.filter(course_id__in=course_ids, cleared_at__isnull=True).values("course_id")
        .annotate(first=Min("raised_at")).values_list("course_id", "first")
    )
    current = dict(
        (pk, (needs, since)) for pk, needs, since in
        CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "needs_update", "flagged_since")
    )
    unflag, flag_at = [], defaultdict(list)
    for pk, (needs, since) in current.items():
        first = earliest.get(pk)
        if first is None and needs:
            unflag.append(pk)
        elif first is not None and (not needs or since != first):
            flag_at[first].append(pk)
    if unflag:
        CoursePage.objects.filter(pk__in=unflag).update(needs_update=False, flagged_since=None)
    # Flags raised in one run share a timestamp, so this is a handful of UPDATEs, not one per course.
    for first, pks in flag_at.items():
        CoursePage.objects.filter(pk__in=pks).update(needs_update=True, flagged_since=first)
    return set(unflag) | {pk for pks in flag_at.values() for pk in pks}


def update_search_index(course_ids: Iterable[int]) -> None:
    """Let search re-rank courses whose needs_update changed (flags are written with queryset.update,
    which sends no signals)."""
    from search.indexing import update_courses

    course_ids = sorted(set(course_ids))
    if course_ids:
        update_courses(course_ids)


def all_course_ids_in_batches(batch_size: int = 1000):
    """Course ids in ascending batches, using keyset pagination so memory stays flat at any size."""
    from .models import CoursePage

    last = 0
    while True:
        ids = list(CoursePage.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


# --- Editors' actions ----------------------------------------------------------------------------------


def mark_reviewed(course, user, note: str = "") -> CourseReview:
    """Record a review; time-based flags and open learner reports are answered by it."""
    from wagtail.log_actions import log

    from .models import CoursePage

    now = timezone.now()
    with transaction.atomic():
        review = CourseReview.objects.create(course=course, reviewer=user, reviewed_at=now, note=note)
        CoursePage.objects.filter(pk=course.pk).update(last_reviewed=timezone.localdate(now))
        LearnerReport.objects.filter(course=course, resolved_at__isnull=True, created_at__lte=now).update(
            resolved_at=now
        )
        log(instance=course, action="catalogue.course_reviewed", user=user, data={"note": note[:200]})
    evaluate_courses([course.pk], actor=user, cause="reviewed", now=now)
    course.last_reviewed = timezone.localdate(now)
    return review


def on_course_published(course, user=None) -> Outcome:
    """A new revision went live: re-read its links, answer learner reports, recompute its flags."""
    from .linkcheck import refresh_course_links
    from .models import CoursePage

    now = timezone.now()
    with transaction.atomic():
        LearnerReport.objects.filter(course_id=course.pk, resolved_at__isnull=True, created_at__lte=now).update(
            resolved_at=now
        )
        # A draft saved before a review would carry the old date back in; the review record wins.
        latest_review = CourseReview.objects.filter(course_id=course.pk).aggregate(last=Max("reviewed_at"))["last"]
        if latest_review:
            CoursePage.objects.filter(pk=course.pk).filter(
                Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=timezone.localdate(latest_review))
            ).update(last_reviewed=timezone.localdate(latest_review))
        refresh_course_links([course.pk])
    outcome = evaluate_courses([course.pk], actor=user, cause="published", now=now)
    # Publishing copies the revision's needs_update/flagged_since onto the page; they may be stale.
    with transaction.atomic():
        restored = sync_course_state([course.pk])
    update_search_index(restored)
    return outcome


def urgency_expression():
    """An annotation ranking flagged courses: the sum of their open flags' urgency."""
    return Sum(
        Case(*[When(flags__reason=reason, then=Value(weight)) for reason, weight in URGENCY.items()],
             default=Value(0), output_field=IntegerField()),
        filter=Q(flags__cleared_at__isnull=True),
    )


def open_flags_by_course(course_ids: Iterable[int]) -> dict[int, list[CourseFlag]]:
    flags: dict[int, list[CourseFlag]] = defaultdict(list)
    for flag in CourseFlag.objects.filter(course_id__in=list(course_ids), cleared_at__isnull=True).order_by(
        "raised_at"
    ):
        flags[flag.course_id].append(flag)
    return flags


def shows_learner_notice(course, now: datetime.datetime | None = None) -> bool:
    """Learners see a notice once a course has been flagged for longer than the configured time."""
    if not course.needs_update or not course.flagged_since:
        return False
    now = now or timezone.now()
    return now - course.flagged_since >= datetime.timedelta(days=conf("notice_after_days"))
