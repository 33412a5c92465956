"""Endpoints whose parameters the fuzz test (test_fuzz.py) throws arbitrary input at. No 500, ever.

To add one: append ``FuzzTarget(label, url, params, ...)`` with the parameter names the endpoint reads
(the search API's q/limit/offset/facets..., the proposal form's fields); ``method="post"`` for forms,
``role`` for who submits (a roles.py name), ``setup`` for objects the url needs (called once per test),
``ok`` for statuses that count as a handled answer (by default anything below 500).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st


@dataclass(frozen=True)
class FuzzTarget:
    label: str
    url: Callable[[dict], str]
    params: tuple[str, ...]
    method: str = "get"
    role: str | None = None
    setup: Callable[[], dict] = lambda: {}
    json_errors: bool = False  # an API: 4xx answers must be JSON with an "error" or field messages


NASTY_VALUES = [
    "", " ", "0", "-1", "1e309", "9" * 40, "NaN", "on", "off", "true", "null", "[]", "{}", "%00", "\\x00",
    "../../etc/passwd", "书法", "太极", "手机", "書法", "' OR 1=1 --", "\" ; DROP TABLE x; --", "<script>",
    "a" * 5000, "🙂" * 50, "\u202e", "2026-02-30", "99999999999999999999", "*", "?", "%", "_",
]

any_value = st.one_of(
    st.sampled_from(NASTY_VALUES),
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def query_for(params: tuple[str, ...]):
    """A query: some of the known parameters (each possibly repeated) plus the odd unknown one."""
    known = st.dictionaries(st.sampled_from(params), st.lists(any_value, min_size=1, max_size=3), max_size=len(params))
    unknown = st.dictionaries(st.text(min_size=1, max_size=12), st.lists(any_value, max_size=2), max_size=2)
    return st.tuples(known, unknown).map(lambda pair: {**pair[1], **pair[0]})


CATALOGUE_PARAMS = ("q", "category", "audience", "level", "mode", "language", "free", "district", "institution",
                    "upcoming", "sort", "page")

FUZZ_TARGETS: list[FuzzTarget] = [
    FuzzTarget("catalogue-filters", lambda objs: "/courses/", CATALOGUE_PARAMS),
    FuzzTarget("catalogue-filters-english", lambda objs: "/en/courses/", CATALOGUE_PARAMS),
    FuzzTarget("institution-list", lambda objs: "/courses/institutions/", ("page",)),
    FuzzTarget("sign-in-form", lambda objs: "/accounts/login/", ("username", "password", "next"), method="post"),
]
