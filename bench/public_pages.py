"""Weight, database queries and render time of the key public pages (people on cheap phones and slow networks).

Usage: .venv/bin/python bench/public_pages.py   (builds a throwaway SQLite database with a small catalogue)
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "public_pages.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    from cms.site_structure import ensure_site_structure
    from tests.e2e.seed import seed_home_collections, seed_public_catalogue

    ensure_site_structure()
    data = seed_public_catalogue(per_page=20)
    seed_home_collections()
    client = Client()
    static = [ROOT / "cms/static/cms/site.css", ROOT / "cms/static/cms/site.js"]
    for path in static:
        raw = path.read_bytes()
        print(f"{path.name:10} {len(raw) / 1024:6.1f} KiB  ({len(gzip.compress(raw)) / 1024:.1f} KiB gzipped)")
    pages = ["/", f"/?near={data['east'].pk}", "/courses/", "/courses/?audience=seniors", data["courses"][0].url,
             data["college"].url, data["library"].get_absolute_url(), "/map/", f"/map/?near={data['east'].pk}", "/en/"]
    print(f"{'status':>6} {'queries':>7} {'html KiB':>8} {'gzip KiB':>8} {'ms':>6}  page")
    for url in pages:
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        body = response.content
        print(f"{response.status_code:>6} {len(queries.captured_queries):>7} {len(body) / 1024:>8.1f} "
              f"{len(gzip.compress(body)) / 1024:>8.1f} {elapsed:>6.0f}  {url}")


if __name__ == "__main__":
    main()
