"""How long `manage.py flag_outdated` takes on many courses, and how many queries it makes.

Builds a throw-away SQLite database with N course pages (inserted in bulk straight into the page tree),
a mix of past and current runs, stale revisions, learner reports and ratings, then runs the command
twice: the first run raises the flags, the second must change nothing (idempotent) and is the steady
state a daily schedule sees.

    .venv/bin/python bench/flag_outdated_bench.py --courses 100000
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="flag-bench-")
    os.environ["SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build(args.courses)
    print(f"set-up: {args.courses} courses in {time.perf_counter() - started:.1f}s")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalogue.models import CourseFlag

    for label in ("first run (raises flags)", "second run (idempotent)"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call_command("flag_outdated", "--no-progress", "--batch-size", str(args.batch_size))
            elapsed = time.perf_counter() - started
        open_flags = CourseFlag.objects.filter(cleared_at=None).count()
        print(f"{label}: {elapsed:.1f}s, {len(queries)} queries, "
              f"{args.courses / elapsed:.0f} courses/s, open flags {open_flags}")


def build(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from catalogue.models import Category, CoursePage, CourseRating, CourseRun, LearnerReport
    from tests.factories import create_institution

    institution = create_institution("基准学院")
    content_type = ContentType.objects.get_for_model(CoursePage)
    now = timezone.now()
    today = timezone.localdate()
    users = [get_user_model().objects.create(username=f"bench{n}") for n in range(5)]
    category_ids = list(Category.objects.values_list("pk", flat=True)[:20])
    chunk = 5000
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        with transaction.atomic():
            pages = []
            for offset in range(size):
                n = start + offset
                revised = now - datetime.timedelta(days=900 if n % 10 == 0 else 30)
                pages.append(Page(
                    title=f"课程 {n}", draft_title=f"课程 {n}", slug=f"course-{n}", content_type=content_type,
                    path=Page._get_path(institution.path, institution.depth + 1, n + 1),
                    depth=institution.depth + 1, numchild=0, url_path=f"{institution.url_path}course-{n}/",
                    locale_id=institution.locale_id, live=True, first_published_at=revised,
                    last_published_at=revised, latest_revision_created_at=revised,
                ))
            Page.objects.bulk_create(pages)
            ids = list(Page.objects.filter(path__in=[p.path for p in pages]).values_list("pk", flat=True))
            _insert_course_rows(connection, ids, institution.pk, today)
            CoursePage.categories.through.objects.bulk_create([
                CoursePage.categories.through(coursepage_id=pk, category_id=category_ids[pk % len(category_ids)])
                for pk in ids
            ])
            runs = []
            for pk in ids:
                start_in = -400 if pk % 3 == 0 else 20  # a third only had runs long ago
                begin = today + datetime.timedelta(days=start_in)
                runs.append(CourseRun(course_id=pk, start_date=begin, end_date=begin + datetime.timedelta(days=30)))
            CourseRun.objects.bulk_create(runs)
            LearnerReport.objects.bulk_create([
                LearnerReport(course_id=pk, user=user) for pk in ids if pk % 50 == 0 for user in users[:3]
            ])
            CourseRating.objects.bulk_create([
                CourseRating(course_id=pk, user=user, score=1, updated_at=now) for pk in ids if pk % 40 == 0
                for user in users
            ])
    Page.objects.filter(pk=institution.pk).update(numchild=count)


def _insert_course_rows(connection, ids, institution_id, today) -> None:
    """The course-specific table row for each bulk-created page (multi-table inheritance)."""
    from catalogue.models import CoursePage

    fields = [f for f in CoursePage._meta.local_concrete_fields if f.name != "page_ptr"]
    overrides = {"summary": "基准课程", "provider": institution_id, "last_reviewed": None}
    columns = ["page_ptr_id"] + [f.column for f in fields]
    rows = []
    for pk in ids:
        row = [pk]
        for f in fields:
            value = overrides.get(f.name, f.get_default())
            if f.name == "last_reviewed" and pk % 7 == 0:
                value = today - datetime.timedelta(days=500)
            row.append(f.get_db_prep_save(value, connection))
        rows.append(row)
    table = CoursePage._meta.db_table
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({placeholders})', rows)


if __name__ == "__main__":
    main()
