"""Endpoints that must answer 429 with a message once a client goes over its limit (test_rate_limits.py).

To add one (demand suggestions, votes, outdated-content reports...): append ``Limited(label, url, data,
setting, ...)`` where ``setting`` names the Django setting holding the rate (the test lowers it to
"2/h" so three requests are enough), ``role`` who sends it (a roles.py name, None = anonymous),
``setup`` builds objects the url/data need. ``setting`` may name a key of a dict setting
("FRESHNESS.report_rate"). The test checks the first two requests are not refused
for rate, the third gets 429 with a readable message, and for JSON endpoints that the body is JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .messages import RATE_LIMIT, SIGN_IN_LIMIT


@dataclass(frozen=True)
class Limited:
    label: str
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    setting: str
    method: str = "post"
    role: str | None = None
    setup: Callable[[], dict] = lambda: {}
    json: bool = False
    message: str = RATE_LIMIT  # the msgid; checked in every language


RATE_LIMITED: list[Limited] = [
    Limited("public-sign-in", lambda objs: "/accounts/login/", lambda objs: {"username": "ann", "password": "x"},
            "LOGIN_RATE_LIMIT_PER_USERNAME", message=SIGN_IN_LIMIT),
    Limited("admin-sign-in", lambda objs: "/admin/login/", lambda objs: {"username": "ann", "password": "x"},
            "LOGIN_RATE_LIMIT_PER_USERNAME", message=SIGN_IN_LIMIT),
    Limited("page-privacy-sign-in", lambda objs: "/_util/login/", lambda objs: {"username": "ann", "password": "x"},
            "LOGIN_RATE_LIMIT_PER_USERNAME", message=SIGN_IN_LIMIT),
    Limited("admin-password-reset", lambda objs: "/admin/password_reset/",
            lambda objs: {"email": "ann@example.org"}, "LOGIN_RATE_LIMIT_PER_USERNAME", message=RATE_LIMIT),
    Limited("django-admin-sign-in", lambda objs: "/django-admin/login/",
            lambda objs: {"username": "ann", "password": "x"}, "LOGIN_RATE_LIMIT_PER_USERNAME",
            message=RATE_LIMIT),
]

from . import tables_commissioning  # noqa: E402

if tables_commissioning.ENABLED:
    RATE_LIMITED += tables_commissioning.rate_limited(Limited)
