"""What the home page shows besides its editable content."""

from __future__ import annotations

import datetime

from django.utils import timezone

from catalogue.views import with_listing_relations

from .geo import Point, chosen_point, distance_km, districts

SOON_DAYS = 60
NEAR_LIMIT = 6


def public_courses():
    """The catalogue's public courses in the visitor's language, with what a course card shows."""
    from catalogue.views import public_courses as catalogue_courses

    return catalogue_courses().select_related("provider", "cover_image")


def newest_courses(limit: int = 6) -> list:
    return list(with_listing_relations(public_courses()).order_by("-first_published_at", "-pk")[:limit])


def starting_soon(limit: int = 6) -> list:
    today = timezone.localdate()
    ids = (
        public_courses().filter(runs__start_date__gte=today).order_by("runs__start_date").values_list("pk", flat=True)
    )
    unique_ids = list(dict.fromkeys(ids))[:limit]
    by_id = with_listing_relations(public_courses()).in_bulk(unique_ids)
    return [by_id[pk] for pk in unique_ids if pk in by_id]


def runs_starting_soon_near(point: Point, limit: int = NEAR_LIMIT, days: int = SOON_DAYS) -> list:
    """Published in-person runs starting within `days`, nearest venue first, each with `distance_km` set."""
    from catalogue.models import CourseRun

    today = timezone.localdate()
    runs = (
        CourseRun.objects.filter(
            start_date__gte=today, start_date__lte=today + datetime.timedelta(days=days),
            course__in=public_courses().values("pk"), venue__isnull=False, venue__is_open=True,
            venue__latitude__isnull=False, venue__longitude__isnull=False,
        )
        .select_related("course", "venue", "venue__area")
        .order_by("start_date")[:500]
    )
    for run in runs:
        run.distance_km = distance_km(point, run.venue.latitude, run.venue.longitude)
    return sorted(runs, key=lambda r: (round(r.distance_km, 1), r.start_date))[:limit]


def home_context(page, request) -> dict:
    from proposals.public import open_calls

    point, district = chosen_point(request.GET)
    return {
        "open_calls": open_calls(3),
        "newest_courses": newest_courses(),
        "starting_soon": starting_soon(),
        "near_point": point,
        "near_district": district,
        "near_runs": runs_starting_soon_near(point) if point else [],
        "districts": districts(),
        "location_given": bool(request.GET.get("near") or request.GET.get("lat")),
    }
