"""The link checker against a local web server: good, missing and too-slow links; flags follow the links."""

import time

import pytest

from catalogue.linkcheck import check_url, check_urls, links_in_stream_data
from catalogue.models import CourseFlag, CourseLink, CoursePage, LinkStatus
from tests.factories import create_course, run_dates

from . import freshness_helpers
from .freshness_helpers import body_with_links, fresh_rate_limits, open_reasons  # noqa: F401

link_server = freshness_helpers.link_server


@pytest.fixture
def local_links(settings):
    # The checker refuses private addresses by default; the test server lives on 127.0.0.1.
    settings.FRESHNESS = {**settings.FRESHNESS, "link_allow_private_hosts": True, "link_timeout": 0.5,
                          "link_host_delay": 0, "link_recheck_hours": 0}


def run_check_links(*args) -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("check_links", "--no-progress", *args, stdout=out)
    return out.getvalue()


def test_links_are_found_in_rich_text_and_url_values():
    data = [
        {"type": "paragraph", "value": '<p><a href="https://a.example/x?y=1&amp;z=2">a</a>'
                                       '<a linktype="page" id="3">internal</a></p>'},
        {"type": "section", "value": {"heading": "h", "text": '<a href="http://b.example/">b</a>'}},
        {"type": "link", "value": "https://c.example/page"},
        {"type": "quote", "value": "not a link https://d.example in prose"},
    ]
    assert links_in_stream_data(data) == {"https://a.example/x?y=1&z=2", "http://b.example/", "https://c.example/page"}


def test_check_url_good_missing_slow_and_head_refused(link_server, local_links):
    base = link_server.base_url
    assert check_url(f"{base}/ok").ok
    missing = check_url(f"{base}/missing")
    assert not missing.ok and missing.status_code == 404
    started = time.monotonic()
    slow = check_url(f"{base}/slow", timeout=0.3)
    assert not slow.ok and slow.error == "timed out"
    assert time.monotonic() - started < 1.5
    refused_head = check_url(f"{base}/no-head")
    assert refused_head.ok and refused_head.status_code == 200
    assert ("HEAD", "/no-head") in link_server.requests and ("GET", "/no-head") in link_server.requests


def test_private_addresses_are_not_probed_unless_allowed(link_server):
    result = check_url(f"{link_server.base_url}/ok", allow_private=False)
    assert result.skipped and link_server.requests == []


def test_one_request_at_a_time_per_host_with_a_delay(link_server):
    urls = [f"{link_server.base_url}/ok?n={n}" for n in range(3)]
    started = time.monotonic()
    results = check_urls(urls, workers=4, host_delay=0.2, timeout=1, allow_private=True)
    assert all(result.ok for result in results.values())
    # Same host: sequential, with two pauses between three requests.
    assert time.monotonic() - started >= 0.4


@pytest.mark.django_db
def test_broken_link_flag_raised_and_cleared_when_the_link_is_fixed(institution, link_server, local_links):
    base = link_server.base_url
    course = create_course(institution, "链接课程", runs=[{**run_dates(10), "online_url": f"{base}/ok"}],
                           body=body_with_links(f"{base}/ok", f"{base}/missing", f"{base}/slow"))
    assert set(CourseLink.objects.filter(course=course).values_list("url", flat=True)) == {
        f"{base}/ok", f"{base}/missing", f"{base}/slow"}
    output = run_check_links()
    assert "Checked 3 links: 2 broken" in output
    assert "broken_link" in open_reasons(course)
    flag = CourseFlag.objects.get(course=course, reason="broken_link", cleared_at__isnull=True)
    assert [link["url"] for link in flag.evidence["links"]] == [f"{base}/missing", f"{base}/slow"]
    assert {link["status"] for link in flag.evidence["links"]} == {404, None}

    # The editor replaces the dead links and publishes: the flag clears without a new check.
    page = CoursePage.objects.get(pk=course.pk)
    page.body = body_with_links(f"{base}/ok")
    page.save_revision().publish()
    assert "broken_link" not in open_reasons(course)
    assert CourseFlag.objects.get(pk=flag.pk).cleared_because == "published"


@pytest.mark.django_db
def test_broken_link_flag_clears_when_the_site_recovers(institution, link_server, local_links):
    url = f"{link_server.base_url}/ok"
    course = create_course(institution, "链接恢复", runs=[run_dates(10)], body=body_with_links(url))
    LinkStatus.objects.create(url=url, is_broken=True, status_code=500)
    from catalogue.freshness import evaluate_courses

    evaluate_courses([course.pk])
    assert "broken_link" in open_reasons(course)
    run_check_links("--all")
    assert "broken_link" not in open_reasons(course)
    assert CourseFlag.objects.get(course=course, reason="broken_link").cleared_because == "link_fixed"
    assert not LinkStatus.objects.get(url=url).is_broken
