"""A small bilingual corpus shared by the search tests, and the backend parametrisation."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    AreaFactory,
    VenueFactory,
    audience,
    category,
    create_course,
    create_institution,
    language,
    run_dates,
)

# People's Square, Shanghai, and a point about 30 km west of it.
CENTRE = (31.2304, 121.4737)
FAR = (31.2304, 121.1600)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Seven courses covering every filter, built once per module inside a transaction that is rolled
    back afterwards (the contract tests only read)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_corpus()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_corpus() -> dict:
    from catalogue.models import CoursePage
    from tests.factories import catalogue_page

    catalogue_page()

    central = AreaFactory(name="黄浦区", name_en="Huangpu")
    western = AreaFactory(name="青浦区", name_en="Qingpu")
    near_venue = VenueFactory(name="人民广场学习点", area=central, latitude=Decimal(str(CENTRE[0])),
                              longitude=Decimal(str(CENTRE[1])))
    far_venue = VenueFactory(name="青浦学习点", area=western, latitude=Decimal(str(FAR[0])),
                             longitude=Decimal(str(FAR[1])))
    college = create_institution("社区学院", district=central)
    university = create_institution("开放大学", institution_type="university")
    courses = {
        "calligraphy": create_course(
            college, "书法入门", summary="学习毛笔书法的基本笔画。", categories=[category("calligraphy")],
            audiences=[audience("seniors")], languages=[language("zh-hans")], level=level(1), mode="offline",
            runs=[{**run_dates(10), "venue": near_venue}],
        ),
        "taichi": create_course(
            college, "太极拳晨练", summary="每天早上在公园练习太极拳。", categories=[category("tai-chi")],
            audiences=[audience("seniors")], price=Decimal("100"), mode="offline",
            runs=[{"start_date": days(-5), "end_date": days(20), "venue": far_venue}],
        ),
        "phone": create_course(
            university, "智能手机使用", summary="用手机挂号、支付和视频通话。", categories=[category("smartphone")],
            audiences=[audience("seniors")], mode="online",
            runs=[{"start_date": days(20), "end_date": days(50), "enrolment_open": days(-2),
                   "enrolment_close": days(10)}],
        ),
        "ai": create_course(
            university, "人工智能导论", summary="机器学习与大模型的基本概念。", categories=[category("ai")],
            audiences=[audience("employees")], level=level(6), price=Decimal("300"), mode="online",
            runs=[{"start_date": days(-60), "end_date": days(-30)}],
        ),
        "python": create_course(
            university, "Python programming for beginners", summary="Write small programs that automate tasks.",
            categories=[category("office-software")], languages=[language("en")], mode="blended",
            runs=[{**run_dates(40), "enrolment_open": days(30), "venue": near_venue}],
        ),
        "reading": create_course(
            college, "读书会", summary="每月共读一本好书。", categories=[category("languages")], mode="offline",
            runs=[run_dates(5)],
        ),
        "flagged": create_course(
            college, "太极养生", summary="太极与养生。", categories=[category("tai-chi")], mode="offline",
            runs=[run_dates(3)],
        ),
    }
    CoursePage.objects.filter(pk=courses["flagged"].pk).update(needs_update=True, flagged_since=timezone.now())
    from search.indexing import update_courses

    update_courses([courses["flagged"].pk])
    return {"courses": courses, "central": central, "western": western, "college": college,
            "university": university}


def level(number: int):
    from catalogue.models import QualificationLevel

    return QualificationLevel.objects.get(number=number)


@pytest.fixture(scope="module", params=["embedded", "database", "elasticsearch"])
def backend(request, corpus):
    """Each contract test runs on every backend: embedded FTS5, the embedded database path (what
    PostgreSQL uses without Elasticsearch), and Elasticsearch when ELASTICSEARCH_URL is set."""
    from search.backends.embedded import EmbeddedBackend

    if request.param == "embedded":
        return EmbeddedBackend()
    if request.param == "database":
        return EmbeddedBackend(force_database_path=True)
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("Elasticsearch contract tests need ELASTICSEARCH_URL (e.g. http://localhost:9200)")
    from search.backends.elastic import ElasticsearchBackend
    from search.documents import build_documents

    es = ElasticsearchBackend(url=url, prefix=f"test-{os.getpid()}")
    es.rebuild(build_documents(), total=0)
    es.refresh()
    request.addfinalizer(es.drop_all)
    return es
