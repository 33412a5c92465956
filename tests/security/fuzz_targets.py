"""Endpoints whose parameters the fuzz test (test_fuzz.py) throws arbitrary input at. No 500, ever.

To add one: append ``FuzzTarget(label, url, params, ...)`` with the parameter names the endpoint reads
(the search API's q/limit/offset/facets..., the proposal form's fields); ``method="post"`` for forms,
``role`` for who submits (a roles.py name), ``setup`` for objects the url needs (called once per test),
``prepare`` for what needs the role users (``objs["users"]``, e.g. assigning the reviewer), ``valid`` for
real values of each parameter (read from the database) so the code behind validation is reached too.
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
    valid: Callable[[], dict[str, list[str]]] = lambda: {}  # real values per parameter, read from the database
    prepare: Callable[[dict], None] = lambda objs: None  # runs once users exist (objs["users"][role])


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


@st.composite
def query_for(draw, params: tuple[str, ...], valid: dict[str, list[str]] | None = None):
    """A query: some of the known parameters, each with one to three values mixing real values (so the
    code paths behind validation run too) and garbage, plus the odd unknown parameter."""
    valid = valid or {}
    query: dict[str, list[str]] = draw(
        st.dictionaries(st.text(min_size=1, max_size=12), st.lists(any_value, max_size=2), max_size=2)
    )
    for name in draw(st.sets(st.sampled_from(params), max_size=len(params))):
        value = st.one_of(st.sampled_from(valid[name]), any_value) if valid.get(name) else any_value
        query[name] = draw(st.lists(value, min_size=1, max_size=3))
    return query


CATALOGUE_PARAMS = ("q", "category", "audience", "level", "mode", "language", "free", "district", "institution",
                    "upcoming", "sort", "page")



def catalogue_values() -> dict[str, list[str]]:
    from catalogue.models import Area, Audience, Category, InstitutionPage, Language, QualificationLevel

    return {
        "category": list(Category.objects.values_list("slug", flat=True)[:20]),
        "audience": list(Audience.objects.values_list("slug", flat=True)),
        "language": list(Language.objects.values_list("code", flat=True)),
        "level": [str(number) for number in QualificationLevel.objects.values_list("number", flat=True)],
        "district": [str(pk) for pk in Area.objects.values_list("pk", flat=True)[:10]],
        "institution": [str(pk) for pk in InstitutionPage.objects.values_list("pk", flat=True)],
        "mode": ["online", "offline", "blended"],
        "sort": ["title", "newest", "start"],
        "free": ["on", "true", "1"],
        "upcoming": ["on", "true", "1"],
        "page": ["1", "2", "last"],
    }


FUZZ_TARGETS: list[FuzzTarget] = [
    FuzzTarget("catalogue-filters", lambda objs: "/courses/", CATALOGUE_PARAMS, valid=catalogue_values),
    FuzzTarget("catalogue-filters-english", lambda objs: "/en/courses/", CATALOGUE_PARAMS, valid=catalogue_values),
    FuzzTarget("institution-list", lambda objs: "/courses/institutions/", ("page",)),
    FuzzTarget("sign-in-form", lambda objs: "/accounts/login/", ("username", "password", "next"), method="post"),
]

from . import tables_commissioning  # noqa: E402

if tables_commissioning.ENABLED:
    FUZZ_TARGETS += tables_commissioning.fuzz_targets(FuzzTarget)

from . import tables_search  # noqa: E402

FUZZ_TARGETS += tables_search.fuzz_targets(FuzzTarget)
