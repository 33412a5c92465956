"""The learning map: learning points (venues) by district and street, filterable, with distances."""

from __future__ import annotations

import json

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .geo import Point, distance_km, district_centroid, districts, format_km

RUNS_PER_VENUE = 3


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class LearningMapForm(forms.Form):
    q = forms.CharField(label=_("Name or address"), required=False, max_length=100)
    district = AreaChoiceField(label=_("District"), queryset=None, required=False, empty_label=_("All districts"))
    street = AreaChoiceField(label=_("Street"), queryset=None, required=False, empty_label=_("All streets"))
    category = forms.ChoiceField(label=_("Courses about"), required=False)
    step_free = forms.BooleanField(label=_("Step-free access only"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop only"), required=False)
    near = AreaChoiceField(
        label=_("Measure distance from district"), queryset=None, required=False, empty_label=_("No district")
    )
    lat = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6)
    lon = forms.DecimalField(label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6)

    def __init__(self, *args, **kwargs):
        from catalogue.models import Area, Category

        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts()
        self.fields["near"].queryset = districts()
        self.fields["street"].queryset = Area.objects.filter(level=Area.Level.STREET).order_by("name")
        self.fields["category"].choices = [("", _("Any subject"))] + [
            (c.slug, c.label) for c in Category.objects.filter(parent__isnull=True)
        ]
        for name in ("lat", "lon"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        street, district = data.get("street"), data.get("district")
        if street and district and street.parent_id != district.pk:
            self.add_error("street", _("This street is not in the chosen district."))
        return data

    def point(self) -> Point | None:
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lon") is not None:
            return Point(float(data["lat"]), float(data["lon"]), str(_("the coordinates you gave")))
        if data.get("near"):
            return district_centroid(data["near"])
        return None


def filtered_venues(data: dict):
    from catalogue.models import Area, Category, CourseRun, Venue

    today = timezone.localdate()
    venues = Venue.objects.filter(is_open=True).select_related("area", "area__parent", "area__parent__parent")
    if data.get("q"):
        venues = venues.filter(Q(name__icontains=data["q"]) | Q(address__icontains=data["q"]))
    area = data.get("street") or data.get("district")
    if area:
        venues = venues.filter(area__in=Area.descendant_ids([area.pk]))
    if data.get("step_free"):
        venues = venues.filter(step_free=True)
    if data.get("hearing_loop"):
        venues = venues.filter(hearing_loop=True)
    from .home import public_courses

    upcoming = CourseRun.objects.filter(end_date__gte=today, course__in=public_courses().values("pk"))
    if data.get("category"):
        roots = Category.objects.filter(slug=data["category"]).values_list("pk", flat=True)
        upcoming = upcoming.filter(course__categories__in=Category.descendant_ids(roots)).distinct()
        venues = venues.filter(runs__in=upcoming).distinct()
    return venues.prefetch_related(
        Prefetch(
            "runs", queryset=upcoming.select_related("course").order_by("start_date"), to_attr="upcoming_runs"
        )
    )


def district_summary(data: dict) -> list[dict]:
    """One row per district: how many open learning points and courses it has (the no-map district view)."""
    from catalogue.models import Area, Venue

    from .home import public_courses

    today = timezone.localdate()
    rows = []
    children: dict[int, list[int]] = {}
    for pk, parent_id in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    current_runs = Q(runs__end_date__gte=today, runs__course__in=public_courses().values("pk"))
    counts = {
        row["area"]: row
        for row in Venue.objects.filter(is_open=True).values("area").annotate(
            venues=Count("pk", distinct=True), courses=Count("runs__course", filter=current_runs, distinct=True),
        )
    }
    for district in districts():
        stack, ids = [district.pk], []
        while stack:
            pk = stack.pop()
            ids.append(pk)
            stack.extend(children.get(pk, []))
        venues = sum(counts[i]["venues"] for i in ids if i in counts)
        courses = sum(counts[i]["courses"] for i in ids if i in counts)
        selected = data.get("district") is not None and data["district"].pk == district.pk
        rows.append({"district": district, "venues": venues, "courses": courses, "selected": selected})
    return rows


def with_distances(venues, point: Point | None) -> list:
    venues = list(venues)
    for venue in venues:
        venue.distance_km = (
            distance_km(point, venue.latitude, venue.longitude) if point and venue.has_location else None
        )
        venue.distance_label = format_km(venue.distance_km)
    if point:
        venues.sort(key=lambda v: (v.distance_km is None, v.distance_km or 0, v.name))
    else:
        venues.sort(key=lambda v: (v.area.district().name if v.area.district() else "", v.area.name, v.name))
    return venues


def map_points(venues) -> str:
    return json.dumps([
        {"name": v.name, "lat": float(v.latitude), "lon": float(v.longitude), "url": v.get_absolute_url()}
        for v in venues if v.has_location
    ])


def learning_map_context(page, request) -> dict:
    from wagtail.models import Site

    from .models import PlatformSettings

    form = LearningMapForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    point = form.point() if data else None
    venues = with_distances(filtered_venues(data), point)
    for venue in venues:
        venue.shown_runs = venue.upcoming_runs[:RUNS_PER_VENUE]
    paginator = Paginator(venues, page.per_page)
    query = request.GET.copy()
    query.pop("page", None)
    site = Site.find_for_request(request)
    tile_url = PlatformSettings.for_site(site).map_tile_url if site else ""
    streets = []
    if data.get("district"):
        from catalogue.models import Area

        streets = Area.objects.filter(level=Area.Level.STREET, parent=data["district"]).order_by("name")
    return {
        "form": form,
        "point": point,
        "venues": paginator.get_page(request.GET.get("page")),
        "paginator": paginator,
        "querystring": query.urlencode(),
        "district_rows": district_summary(data),
        "streets": streets,
        "map_tile_url": tile_url,
        "map_points": map_points(venues) if tile_url else "",
    }
