"""Shared set-up for the freshness tests: aging a course, a local HTTP server with good and bad links."""

from __future__ import annotations

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import CourseFlag, CoursePage


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def age_course(course: CoursePage, days: int) -> None:
    """Pretend the course was first published and last revised ``days`` ago."""
    moment = timezone.now() - datetime.timedelta(days=days)
    CoursePage.objects.filter(pk=course.pk).update(
        first_published_at=moment, last_published_at=moment, latest_revision_created_at=moment
    )


def open_reasons(course: CoursePage) -> set[str]:
    return set(CourseFlag.objects.filter(course=course, cleared_at__isnull=True).values_list("reason", flat=True))


def flag_outdated() -> str:
    from io import StringIO

    out = StringIO()
    call_command("flag_outdated", "--no-progress", stdout=out)
    return out.getvalue()


def body_with_links(*urls: str) -> str:
    links = "".join(f'<a href="{url}">link {i}</a> ' for i, url in enumerate(urls))
    return json.dumps([{"type": "paragraph", "value": f"<p>See {links}</p>", "id": "b1"}])


class _Handler(BaseHTTPRequestHandler):
    slow_seconds = 2.0

    def _answer(self, with_body: bool) -> None:
        if self.path.startswith("/slow"):
            time.sleep(self.slow_seconds)
        status = 404 if self.path.startswith("/missing") else 200
        if self.path.startswith("/no-head") and self.command == "HEAD":
            status = 405
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            if with_body:
                self.wfile.write(b"ok")
        except OSError:
            pass  # the checker gave up on the slow URL and closed the connection

    def do_HEAD(self):  # noqa: N802
        self.server.requests.append(("HEAD", self.path))
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self.server.requests.append(("GET", self.path))
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def link_server():
    """A local web server: /ok answers 200, /missing 404, /slow answers too late, /no-head refuses HEAD."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
