"""Every text field of the public forms, for the script-payload tests (test_xss.py).

To add a form: append ``XssForm(label, url, fields, ...)`` to XSS_FORMS (or extend it from an app's test
module) with
- ``url``: a function World-less ``objs`` dict -> URL (``objs`` holds what ``setup`` returned);
- ``fields``: the names of its text inputs; each gets every payload in turn;
- ``method``: "get" for search/filter forms, "post" for forms that save;
- ``base``: valid values for the other fields, so the payload is the only thing wrong or the form saves;
- ``role``: who submits it (None = anonymous; otherwise a key of roles.ROLES);
- ``setup``: a function () -> dict of objects the url/base need (a call, a course...);
- ``prepare``: a function objs -> None run after the role users exist (``objs["users"]``);
A test passes when no payload comes back unescaped, on the response or on ``follow_up`` pages (where the
saved text is shown afterwards, e.g. the proposal detail), and any redirect stays on this site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "书法<script>alert(1)</script>入门",
]
# Markers that only appear if a payload was rendered as markup.
DANGEROUS_MARKERS = ["<script>alert", "<img src=x onerror", "<svg onload", "</textarea><script>"]


@dataclass(frozen=True)
class XssForm:
    label: str
    url: Callable[[dict], str]
    fields: tuple[str, ...]
    method: str = "get"
    base: Callable[[dict], dict] = lambda objs: {}
    role: str | None = None
    setup: Callable[[], dict] = lambda: {}
    follow_up: Callable[[dict], list[str]] = lambda objs: []
    prepare: Callable[[dict], None] = lambda objs: None  # runs once users exist (objs["users"][role])
    extra: dict = field(default_factory=dict)


def _course_setup() -> dict:
    from tests.factories import create_course, create_institution, run_dates

    institution = create_institution("转义测试学院")
    return {"course": create_course(institution, "转义测试课程", runs=[run_dates(5)])}


CATALOGUE_FILTER_FIELDS = ("q", "category", "audience", "level", "mode", "language", "district", "institution",
                           "sort", "page", "free", "upcoming")

XSS_FORMS: list[XssForm] = [
    XssForm("sign-in", lambda objs: "/accounts/login/", ("username", "password", "next"), method="post",
            base=lambda objs: {"username": "someone", "password": "wrong"}),
    XssForm("admin-sign-in", lambda objs: "/admin/login/", ("username", "password", "next"), method="post",
            base=lambda objs: {"username": "someone", "password": "wrong"}),
    XssForm("header-search-box", lambda objs: "/search/", ("q",)),
    XssForm("catalogue-filters", lambda objs: "/courses/", CATALOGUE_FILTER_FIELDS),
    XssForm("catalogue-filters-english", lambda objs: "/en/courses/", ("q", "sort", "level")),
    XssForm("institution-list", lambda objs: "/courses/institutions/", ("page",)),
    XssForm("course-page-query", lambda objs: objs["course"].url, ("q", "page"), setup=_course_setup),
    XssForm("language-switcher", lambda objs: "/i18n/setlang/", ("next", "language"), method="post",
            base=lambda objs: {"language": "en", "next": "/"}),
    XssForm("senior-mode", lambda objs: "/senior-mode/", ("next", "on"), method="post",
            base=lambda objs: {"on": "1", "next": "/"}),
]

from . import tables_commissioning  # noqa: E402

if tables_commissioning.ENABLED:
    XSS_FORMS += tables_commissioning.xss_forms(XssForm)

from . import tables_search  # noqa: E402

XSS_FORMS += tables_search.xss_forms(XssForm)
