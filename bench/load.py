"""Load test: concurrent clients on loopback over a mix of catalogue, course page, search and API calls.

    python bench/load.py                       # start a production-like server on a bench database, then drive it
    python bench/load.py --url http://127.0.0.1:8000 --clients 20 --duration 30

Prints throughput, p50/p95/p99 latency and error counts, overall and per kind of request. Errors are
5xx answers, timeouts and broken connections; 404s are counted apart (routes that do not exist yet, such
as the search API before it lands). Exits 1 when any error happened. Only loopback addresses are
accepted, and both the number of clients and the run (time and request count) are bounded.

The server it starts is gunicorn (WSGI, several worker processes with threads, DEBUG off), because
Django's runserver is single-process and not what production runs.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = ROOT / "bench" / "load.sqlite3"
MAX_CLIENTS = 200
MAX_DURATION = 600
SEARCH_TERMS = ["书法", "太极", "手机", "英语", "摄影", "烹饪", "健康", "Python", "书", "养生保健", "历史", "绘画"]
CATALOGUE_QUERIES = [
    "", "?q=书法", "?free=on", "?sort=start", "?sort=newest", "?upcoming=on", "?page=2", "?q=太极&free=on",
    "?category=calligraphy", "?mode=online", "?language=zh-hans", "?level=3",
]
# (kind, weight): how often each kind of request is made.
MIX = [("catalogue", 20), ("catalogue_filtered", 15), ("course_page", 30), ("search_page", 15), ("api_search", 15),
       ("api_autocomplete", 5)]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int | str, int]] = defaultdict(lambda: defaultdict(int))
        self.count = 0

    def add(self, kind: str, status: int | str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1

    def claim(self, limit: int) -> bool:
        """Reserve one request of the budget; False once it is spent."""
        with self.lock:
            if self.count >= limit:
                return False
            self.count += 1
            return True


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def is_error(status: int | str) -> bool:
    return isinstance(status, str) or status >= 500


class Target:
    def __init__(self, base_url: str, course_paths: list[str], rng: random.Random) -> None:
        self.base = urlsplit(base_url)
        self.course_paths = course_paths or ["/courses/"]
        self.rng = rng

    def next_request(self) -> tuple[str, str]:
        kind = self.rng.choices([kind for kind, _ in MIX], weights=[weight for _, weight in MIX])[0]
        raw_term = self.rng.choice(SEARCH_TERMS)
        term, prefix = quote(raw_term), quote(raw_term[:2])
        paths = {
            "catalogue": "/courses/",
            "catalogue_filtered": "/courses/" + self.rng.choice(CATALOGUE_QUERIES[1:]),
            "course_page": self.rng.choice(self.course_paths),
            "search_page": f"/search/?q={term}",
            "api_search": f"/api/v1/courses/?q={term}&page_size=20",
            "api_autocomplete": f"/api/v1/autocomplete/?q={prefix}",
        }
        return kind, quote(paths[kind], safe="/?&=%")


def client_loop(target: Target, recorder: Recorder, deadline: float, max_requests: int, timeout: float) -> None:
    connection = None
    while time.monotonic() < deadline and recorder.claim(max_requests):
        kind, path = target.next_request()
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(target.base.hostname, target.base.port or 80, timeout=timeout)
            connection.request("GET", path, headers={"Accept-Language": "zh-hans"})
            response = connection.getresponse()
            response.read()
            status: int | str = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            if connection is not None:
                connection.close()
            connection = None
        recorder.add(kind, status, time.perf_counter() - started)
    if connection is not None:
        connection.close()


def fetch(base_url: str, path: str, timeout: float = 30.0) -> tuple[int, str]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", quote(path, safe="/?&=%"))
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def discover_course_paths(base_url: str, pages: int = 5) -> list[str]:
    """Course page URLs as a visitor finds them: links on the first catalogue pages."""
    found: list[str] = []
    for page in range(1, pages + 1):
        status, body = fetch(base_url, f"/courses/?page={page}")
        if status != 200:
            break
        for path in re.findall(r'href="(/courses/[^"/?#]+/[^"/?#]+/)"', body):
            if not path.startswith("/courses/institutions/") and path not in found:
                found.append(path)
    return found


def report(recorder: Recorder, elapsed: float, clients: int) -> dict:
    all_latencies = [value for values in recorder.latencies.values() for value in values]
    kinds = {}
    for kind, values in sorted(recorder.latencies.items()):
        statuses = recorder.statuses[kind]
        kinds[kind] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "errors": sum(count for status, count in statuses.items() if is_error(status)),
            "not_found": statuses.get(404, 0),
            "rate_limited": statuses.get(429, 0),
            "statuses": {str(status): count for status, count in sorted(statuses.items(), key=str)},
        }
    total = len(all_latencies)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "throughput_rps": round(total / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(all_latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(all_latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(all_latencies, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(all_latencies) * 1000, 1) if all_latencies else 0.0,
        "errors": sum(kind["errors"] for kind in kinds.values()),
        "not_found": sum(kind["not_found"] for kind in kinds.values()),
        "rate_limited": sum(kind["rate_limited"] for kind in kinds.values()),
        "kinds": kinds,
    }


def print_report(result: dict) -> None:
    print(f"\nLoad: {result['clients']} clients, {result['seconds']} s, {result['requests']} requests")
    print(f"  throughput  {result['throughput_rps']} req/s")
    print(f"  latency     p50 {result['p50_ms']} ms   p95 {result['p95_ms']} ms   p99 {result['p99_ms']} ms")
    print(f"  errors      {result['errors']} (5xx, timeouts, broken connections)")
    print(f"  not found   {result['not_found']} (404: routes not there yet, counted apart)")
    print(f"  limited     {result['rate_limited']} (429: the site's per-address limits; every client here "
          "shares 127.0.0.1)")
    print(f"\n  {'kind':<20}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'404':>7}  statuses")
    for kind, row in result["kinds"].items():
        print(f"  {kind:<20}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['errors']:>8}"
              f"{row['not_found']:>7}  {row['statuses']}")


# --- a production-like server of our own ---

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1,localhost",
               SECURE_SSL_REDIRECT="0", SQLITE_PATH=str(database), LOG_LEVEL="ERROR")
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


SEED_FALLBACK = """
from catalogue.models import CoursePage, InstitutionPage
from tests.factories import create_course, create_institution, run_dates
wanted = {courses}
have = CoursePage.objects.count()
institutions = list(InstitutionPage.objects.all()[:10]) or [create_institution(f"压测学院{{n}}") for n in range(10)]
names = ["书法", "太极拳", "智能手机", "英语口语", "摄影", "家常烹饪", "健康养生", "Python 编程", "国画", "历史"]
for n in range(have, wanted):
    create_course(institutions[n % len(institutions)], f"{{names[n % len(names)]}} {{n}}", runs=[run_dates(n % 60)])
print(CoursePage.objects.count(), "courses")
"""


def prepare_database(env: dict[str, str], courses: int) -> None:
    print(f"Preparing {env['SQLITE_PATH']} ...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "setup_site")
    commands = manage(env, "help", "--commands").stdout.split()
    if "seed_demo" in commands:
        manage(env, "seed_demo", "--courses", str(courses), "--if-empty")
    else:
        manage(env, "shell", "-c", SEED_FALLBACK.format(courses=courses))
    if "search_reindex" in commands:  # the search page and API read the index, not the tables
        manage(env, "search_reindex")


def start_server(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [gunicorn, "cms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--timeout", "60", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(f"http://127.0.0.1:{port}", "/healthz", timeout=2)[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            raise SystemExit("The server exited while starting.")
    stop_server(process)
    raise SystemExit("The server did not answer /healthz within 60 s.")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_load(base_url: str, clients: int, duration: float, max_requests: int, timeout: float, seed: int) -> dict:
    course_paths = discover_course_paths(base_url)
    print(f"Found {len(course_paths)} course pages; driving {base_url} with {clients} clients "
          f"for up to {duration} s / {max_requests} requests ...", flush=True)
    recorder = Recorder()
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(target=client_loop, daemon=True,
                         args=(Target(base_url, course_paths, random.Random(seed + n)), recorder, deadline,
                               max_requests, timeout))
        for n in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + timeout + 5)
    return report(recorder, time.perf_counter() - started, clients)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback; without it a server is started")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--courses", type=int, default=int(os.environ.get("BENCH_COURSES", "300")),
                        help="courses in the bench database when the server is started here")
    parser.add_argument("--database", type=Path, default=BENCH_DB)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the result as JSON too")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be between 1 and {MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be between 0 and {MAX_DURATION} seconds")
    if args.url and not is_loopback(urlsplit(args.url).hostname or ""):
        parser.error("--url must point at this machine (127.0.0.0/8, localhost or ::1)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    process = None
    base_url = args.url
    if base_url is None:
        env = server_env(args.database)
        prepare_database(env, args.courses)
        port = free_port()
        process = start_server(env, port, args.workers, args.threads)
        base_url = f"http://127.0.0.1:{port}"
        print(f"Started gunicorn ({args.workers} workers x {args.threads} threads, DEBUG off) on {base_url}")
    try:
        result = run_load(base_url.rstrip("/"), args.clients, args.duration, args.max_requests, args.timeout,
                          args.seed)
    finally:
        if process is not None:
            stop_server(process)
    print_report(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
