"""External link checking for courses.

Links come from the course body (rich text ``href`` values and URL fields anywhere in the StreamField)
and from the runs' online URLs. Checks run in a thread pool (a concurrency limit) with one worker per
host at a time and a delay between requests to the same host, so no site is hammered. Each URL is tried
with HEAD, then GET when HEAD is refused or fails; a timeout counts as broken.
"""

from __future__ import annotations

import html
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from .freshness import conf, evaluate_courses
from .freshness_models import CourseLink, FlagReason, LinkStatus

HREF = re.compile(r"""href\s*=\s*["'](https?://[^"'\s]+)["']""", re.IGNORECASE)
USER_AGENT = "LearningCityLinkChecker/1.0 (+course freshness)"
MAX_URL_LENGTH = 2000


# --- Extraction ------------------------------------------------------------------------------------------


def links_in_stream_data(data) -> set[str]:
    """Every external http(s) URL in raw StreamField data: rich text hrefs and plain URL values."""
    found: set[str] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, str):
            if value.startswith(("http://", "https://")) and " " not in value:
                found.add(value)
            elif "href" in value:
                found.update(html.unescape(match) for match in HREF.findall(value))
    return {url for url in found if len(url) <= MAX_URL_LENGTH}


def _raw_stream(body) -> list:
    if body is None:
        return []
    raw = getattr(body, "raw_data", body)
    return list(raw)


def refresh_course_links(course_ids: Iterable[int]) -> None:
    """Store the links each course currently contains (drop ones that disappeared)."""
    from .models import CoursePage, CourseRun

    course_ids = list(course_ids)
    wanted: dict[int, set[str]] = {pk: set() for pk in course_ids}
    for pk, body in CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "body"):
        wanted[pk] |= links_in_stream_data(_raw_stream(body))
    for pk, url in CourseRun.objects.filter(course_id__in=course_ids).exclude(online_url="").values_list(
        "course_id", "online_url"
    ):
        wanted[pk].add(url)
    existing: dict[int, set[str]] = defaultdict(set)
    for pk, url in CourseLink.objects.filter(course_id__in=course_ids).values_list("course_id", "url"):
        existing[pk].add(url)
    with transaction.atomic():
        for pk, urls in wanted.items():
            gone = existing[pk] - urls
            if gone:
                CourseLink.objects.filter(course_id=pk, url__in=gone).delete()
        CourseLink.objects.bulk_create(
            [CourseLink(course_id=pk, url=url) for pk, urls in wanted.items() for url in urls - existing[pk]],
            batch_size=500, ignore_conflicts=True,
        )


# --- Checking --------------------------------------------------------------------------------------------


@dataclass
class LinkResult:
    url: str
    ok: bool
    status_code: int | None = None
    error: str = ""
    skipped: bool = False


# Redirects are followed (urllib's default handler stops after a few hops).
_opener = urllib.request.build_opener()


def _is_private_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unresolvable: let the request fail and report it
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return True
    return False


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_url(url: str, timeout: float | None = None, allow_private: bool | None = None) -> LinkResult:
    """HEAD, then GET if HEAD is refused or fails. Anything but a 2xx/3xx answer in time is broken."""
    timeout = conf("link_timeout") if timeout is None else timeout
    allow_private = conf("link_allow_private_hosts") if allow_private is None else allow_private
    host = urlsplit(url).hostname or ""
    if not allow_private and _is_private_host(host):
        # Never probe the platform's own network from editor-supplied URLs.
        return LinkResult(url, ok=True, skipped=True, error="private address not checked")
    try:
        status = _request(url, "HEAD", timeout)
        if status >= 400:
            status = _request(url, "GET", timeout)
    except TimeoutError:
        return LinkResult(url, ok=False, error="timed out")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return LinkResult(url, ok=False, error="timed out")
        try:
            status = _request(url, "GET", timeout)
        except (urllib.error.URLError, OSError, ValueError) as retry_error:
            reason = getattr(retry_error, "reason", retry_error)
            message = "timed out" if isinstance(reason, TimeoutError) else str(reason)[:300]
            return LinkResult(url, ok=False, error=message)
    return LinkResult(url, ok=status < 400, status_code=status)


def check_urls(
    urls: Iterable[str],
    *,
    workers: int | None = None,
    host_delay: float | None = None,
    timeout: float | None = None,
    allow_private: bool | None = None,
    on_result=None,
) -> dict[str, LinkResult]:
    """Check many URLs: at most ``workers`` hosts at once, one request at a time per host, with a delay."""
    workers = workers or conf("link_workers")
    host_delay = conf("link_host_delay") if host_delay is None else host_delay
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in sorted(set(urls)):
        by_host[(urlsplit(url).hostname or "").lower()].append(url)

    def check_host(host_urls: list[str]) -> list[LinkResult]:
        results = []
        for index, url in enumerate(host_urls):
            if index and host_delay:
                time.sleep(host_delay)
            result = check_url(url, timeout=timeout, allow_private=allow_private)
            results.append(result)
            if on_result:
                on_result(result)
        return results

    results: dict[str, LinkResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for host_results in pool.map(check_host, by_host.values()):
            results.update({r.url: r for r in host_results})
    return results


def store_results(results: Iterable[LinkResult]) -> set[str]:
    """Save check results; answer the URLs whose broken/ok state changed."""
    results = [r for r in results if not r.skipped]
    now = timezone.now()
    known = {s.url: s for s in LinkStatus.objects.filter(url__in=[r.url for r in results])}
    changed, new, updated = set(), [], []
    for result in results:
        status = known.get(result.url)
        if status is None:
            new.append(LinkStatus(url=result.url, is_broken=not result.ok, status_code=result.status_code,
                                  error=result.error, checked_at=now))
            if not result.ok:
                changed.add(result.url)
            continue
        if status.is_broken == result.ok:
            changed.add(result.url)
        status.is_broken, status.status_code = not result.ok, result.status_code
        status.error, status.checked_at = result.error, now
        updated.append(status)
    LinkStatus.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    LinkStatus.objects.bulk_update(updated, ["is_broken", "status_code", "error", "checked_at"], batch_size=500)
    return changed


def urls_due_for_check(force: bool = False) -> list[str]:
    linked = CourseLink.objects.values_list("url", flat=True).distinct()
    if force:
        return list(linked)
    fresh_since = timezone.now() - timedelta(hours=conf("link_recheck_hours"))
    recent = LinkStatus.objects.filter(checked_at__gte=fresh_since).values("url")
    return list(CourseLink.objects.exclude(url__in=recent).values_list("url", flat=True).distinct())


def reflag_courses_linking_to(urls: Iterable[str]):
    """Re-evaluate the broken-link signal for courses that link to these URLs (fixed links clear flags)."""
    from .freshness import Outcome

    urls = list(urls)
    course_ids: set[int] = set()
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        course_ids |= set(CourseLink.objects.filter(url__in=chunk).values_list("course_id", flat=True))
    ordered, outcome = sorted(course_ids), Outcome()
    for start in range(0, len(ordered), 1000):
        outcome.add(evaluate_courses(ordered[start:start + 1000], reasons=[FlagReason.BROKEN_LINK],
                                     cause="link_fixed"))
    return outcome
