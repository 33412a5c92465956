"""Distances between learning points and a visitor's chosen point, without any map service.

Venues carry latitude/longitude; districts have no coordinates of their own, so a district's
centroid is the mean position of the venues inside it. The number of venues is in the hundreds,
so distances are computed in Python after one query (portable across SQLite and PostgreSQL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    label: str = ""


def distance_km(a: Point, lat: float | Decimal, lon: float | Decimal) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, float(lat), float(lon)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def parse_point(lat: str | None, lon: str | None, label: str = "") -> Point | None:
    """A point from visitor input, or None when missing or out of range (never an exception)."""
    if not lat or not lon:
        return None
    try:
        lat_value, lon_value = float(Decimal(lat.strip())), float(Decimal(lon.strip()))
    except (InvalidOperation, ValueError):
        return None
    if not (-90 <= lat_value <= 90 and -180 <= lon_value <= 180) or math.isnan(lat_value + lon_value):
        return None
    return Point(lat_value, lon_value, label)


def district_centroid(district) -> Point | None:
    """Mean position of the located venues in a district (and its streets and communities)."""
    from catalogue.models import Area, Venue

    ids = Area.descendant_ids([district.pk])
    coords = list(
        Venue.objects.filter(area__in=ids, latitude__isnull=False, longitude__isnull=False)
        .values_list("latitude", "longitude")
    )
    if not coords:
        return None
    lat = sum(float(c[0]) for c in coords) / len(coords)
    lon = sum(float(c[1]) for c in coords) / len(coords)
    return Point(lat, lon, district.label)


def districts():
    from catalogue.models import Area

    return Area.objects.filter(level=Area.Level.DISTRICT).order_by("name")


def chosen_point(params) -> tuple[Point | None, object | None]:
    """The point a visitor chose: coordinates (typed or from geolocation) win over a district.

    Returns (point, district). Bad input gives (None, None) rather than an error page: the page
    then simply shows no distances.
    """
    point = parse_point(params.get("lat"), params.get("lon"))
    district = None
    near = params.get("near", "")
    if near.isdigit():
        district = districts().filter(pk=int(near)).first()
    if point is None and district is not None:
        point = district_centroid(district)
    return point, district


def format_km(km: float | None) -> str:
    """A distance people read at a glance: metres under one kilometre, else kilometres with one decimal."""
    from django.utils.translation import gettext

    if km is None:
        return ""
    if km < 1:
        return gettext("%(n)s m") % {"n": f"{km * 1000:.0f}"}
    return gettext("%(n)s km") % {"n": f"{km:.1f}"}
