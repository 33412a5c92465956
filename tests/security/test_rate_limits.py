"""Every endpoint in rate_limit_table.RATE_LIMITED answers 429 with a message past its limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .messages import says
from .rate_limit_table import RATE_LIMITED, Limited
from .roles import build_role_users

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("row", RATE_LIMITED, ids=lambda row: row.label)
def test_over_the_limit_answers_429_with_a_message(client, site, settings, row: Limited):
    if "." in row.setting:
        name, key = row.setting.split(".", 1)
        setattr(settings, name, {**getattr(settings, name, {}), key: "2/h"})
    else:
        setattr(settings, row.setting, "2/h")
    cache.clear()
    objs = row.setup()
    if row.role:
        from tests.factories import create_institution

        client.force_login(build_role_users(objs.get("institution") or create_institution("限流学院"))[row.role])
    send = getattr(client, row.method)
    for _ in range(2):
        assert send(row.url(objs), row.data(objs)).status_code != 429
    response = send(row.url(objs), row.data(objs))
    assert response.status_code == 429
    assert says(response.content.decode(), row.message), response.content.decode()[:300]
    if row.json:
        assert response["Content-Type"].startswith("application/json")
    cache.clear()
