"""Property: whatever arrives in the query string or form of a FUZZ_TARGETS endpoint, the answer is never
a server error. FUZZ_EXAMPLES (environment) sets how many inputs each endpoint gets."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import category, create_course, run_dates

from .fuzz_targets import FUZZ_TARGETS, FuzzTarget, query_for
from .roles import build_role_users

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))


@pytest.fixture
def some_courses(institution):
    create_course(institution, "书法入门", categories=[category("calligraphy")], runs=[run_dates(10)])
    create_course(institution, "太极拳", runs=[run_dates(-5)])
    return institution


@pytest.mark.parametrize("target", FUZZ_TARGETS, ids=lambda target: target.label)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_input_makes_a_server_error(client, some_courses, target: FuzzTarget, data):
    objs = prepared(target, some_courses)
    if target.role:
        client.force_login(objs["users"][target.role])
    query = data.draw(query_for(target.params, objs["_valid"]), label="query")
    cache.clear()  # rate limits are tested elsewhere
    response = getattr(client, target.method)(target.url(objs), query)
    assert response.status_code < 500, f"{target.label} {query!r} -> {response.status_code}"
    if target.json_errors and 400 <= response.status_code < 500:
        assert response["Content-Type"].startswith("application/json")


_PREPARED: dict[str, dict] = {}


def prepared(target: FuzzTarget, institution) -> dict:
    """Objects and users for a target, made once per test (they live in the test's transaction)."""
    if target.label not in _PREPARED:
        objs = target.setup()
        objs["institution"] = objs.get("institution") or institution
        objs["users"] = build_role_users(objs["institution"]) if target.role else {}
        target.prepare(objs)
        objs["_valid"] = target.valid()
        _PREPARED[target.label] = objs
    return _PREPARED[target.label]


@pytest.fixture(autouse=True)
def _forget_prepared():
    _PREPARED.clear()
    yield
    _PREPARED.clear()
