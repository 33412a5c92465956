"""Matrix, XSS and fuzz rows for the search page, the search API and the course-run calendar file. They join
the tables only when those views exist."""

from __future__ import annotations

import importlib.util

from .roles import EVERYONE, SUPERUSER, World

ENABLED = importlib.util.find_spec("search.urls") is not None and importlib.util.find_spec("search.views") is not None
CALENDAR_ENABLED = importlib.util.find_spec("cms.ics") is not None

API_PARAMS = ("q", "category", "audience", "level", "mode", "language", "price", "free", "district", "institution",
              "status", "page", "page_size", "sort", "lat", "lon", "start_from", "start_to", "hide_outdated", "lang")


def _first_run_pk(world: World) -> int:
    return world.own_course.runs.order_by("pk").first().pk


def matrix_rows(Route) -> list:
    rows = []
    if ENABLED:
        rows += [
            Route("search:search", EVERYONE, path=lambda w: "/search/?q=书法"),
            Route("search_api:api_courses", EVERYONE, path=lambda w: "/api/v1/courses/?q=书法"),
            Route("search_api:api_autocomplete", EVERYONE, path=lambda w: "/api/v1/autocomplete/?q=书"),
            Route("search_index_report", frozenset({SUPERUSER})),
        ]
    if CALENDAR_ENABLED:
        rows.append(Route("run_calendar", EVERYONE, kwargs=lambda w: {"pk": _first_run_pk(w)}))
    return rows


def xss_forms(XssForm) -> list:
    if not ENABLED:
        return []
    return [
        XssForm("search-page", lambda objs: "/search/", ("q", "category", "sort", "page", "start_from", "lang")),
        XssForm("search-api", lambda objs: "/api/v1/courses/", ("q", "category", "sort", "page")),
        XssForm("autocomplete-api", lambda objs: "/api/v1/autocomplete/", ("q",)),
    ]


def search_values() -> dict[str, list[str]]:
    from .fuzz_targets import catalogue_values

    values = catalogue_values()
    values.update(sort=["relevance", "start", "newest", "distance", "title"], lat=["31.23", "91", "-200"],
                  lon=["121.47", "181"], start_from=["2026-01-01", "2026-13-01"], start_to=["2026-12-31"],
                  page_size=["1", "20", "100", "0"], hide_outdated=["1", "true"], lang=["zh-hans", "en", "xx"],
                  price=["free", "paid"], status=["open", "ongoing", "upcoming", "archived"])
    return values


def fuzz_targets(FuzzTarget) -> list:
    if not ENABLED:
        return []
    return [
        FuzzTarget("search-api", lambda objs: "/api/v1/courses/", API_PARAMS, json_errors=True, valid=search_values),
        FuzzTarget("search-page", lambda objs: "/search/", API_PARAMS, valid=search_values),
        FuzzTarget("autocomplete-api", lambda objs: "/api/v1/autocomplete/", ("q", "lang"), json_errors=True),
    ]
