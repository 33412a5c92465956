#!/usr/bin/env python
"""Search benchmark: seed N courses in a separate SQLite file, rebuild the embedded index, run a fixed
mix of queries and print reindex speed, latency percentiles per query kind and peak memory.

    .venv/bin/python bench/search_bench.py --courses 10000
    .venv/bin/python bench/search_bench.py --courses 100000 --reuse

Seeding is one function (``seed_courses``): ``--seed synthetic`` (default) writes pages with bulk SQL in
seconds; ``--seed demo`` calls ``manage.py seed_demo --courses N`` when that command exists.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CN_WORDS = ["书法", "太极拳", "智能手机", "人工智能", "摄影", "烹饪", "钢琴", "绘画", "养生", "剪纸", "茶艺", "编程",
            "理财", "防诈骗", "法律", "育儿", "舞蹈", "园艺", "急救", "瑜伽", "围棋", "京剧", "合唱", "电脑", "短视频",
            "电商", "护理", "英语口语", "普通话", "中医", "营养", "插花", "篆刻", "古筝", "二胡", "国画", "手工"]
CN_SUFFIX = ["入门", "基础班", "提高班", "进阶", "工作坊", "实践课", "兴趣班", "讲座", "训练营"]
CN_PHRASES = ["适合零基础学员", "由资深老师授课", "在社区学习点上课", "结合生活实际", "小班教学", "提供教材",
              "欢迎老年朋友参加", "线上线下结合", "每周一次", "学完可获得证书", "帮助居民掌握实用技能"]
EN_WORDS = ["Photography", "Piano", "Cooking", "Python", "Gardening", "First aid", "Yoga", "Spoken English",
            "Smartphone", "Painting", "Chess", "Digital skills"]
EN_SUFFIX = ["for beginners", "workshop", "intermediate class", "in practice", "basics"]
CENTRE = (31.2304, 121.4737)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "/tmp/learningcity-search-bench.sqlite3"))
    parser.add_argument("--seed", choices=["synthetic", "demo"], default="synthetic")
    parser.add_argument("--reuse", action="store_true", help="Keep the database if it already has N courses.")
    parser.add_argument("--rounds", type=int, default=8, help="How many times the query mix is run.")
    return parser.parse_args()


def setup_django(db_path: str, fresh: bool) -> None:
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(db_path + suffix).unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = db_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    os.environ["SEARCH_BACKEND"] = "embedded"
    os.environ.pop("ELASTICSEARCH_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_courses(n: int, method: str = "synthetic") -> None:
    """Put ``n`` public courses in the database."""
    if method == "demo":
        from django.core.management import call_command

        call_command("seed_demo", courses=n)
        return
    seed_synthetic(n)


def base36(number: int, width: int = 4) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = alphabet[rest] + out
    return out.rjust(width, "0")


def seed_synthetic(n: int, institutions: int = 60, seed: int = 7) -> None:
    """Bulk SQL: pages are written directly (tree paths computed here), so 100k courses take a minute."""
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from catalogue.models import Area, Audience, Category, CoursePage, CourseRun, InstitutionPage, Language, Venue
    from catalogue.models import QualificationLevel as Level
    from tests.factories import catalogue_page, create_institution

    rng = random.Random(seed)
    catalogue_page()
    city, _ = Area.objects.get_or_create(level=Area.Level.CITY, name="示范市", defaults={"name_en": "Demo City"})
    districts = [Area.objects.create(level=Area.Level.DISTRICT, name=f"第{i}区", name_en=f"District {i}", parent=city)
                 for i in range(12)]
    venues = []
    for i in range(300):
        lat = CENTRE[0] + rng.uniform(-0.25, 0.25)
        lon = CENTRE[1] + rng.uniform(-0.3, 0.3)
        venues.append(Venue.objects.create(name=f"学习点{i}", address="人民路", area=rng.choice(districts),
                                           latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lon:.6f}")))
    schools = [create_institution(f"社区学院{i}", district=rng.choice(districts)) for i in range(institutions)]
    categories = list(Category.objects.values_list("pk", flat=True))
    audiences = list(Audience.objects.values_list("pk", flat=True))
    languages = list(Language.objects.values_list("pk", flat=True))
    levels = list(Level.objects.values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(CoursePage)
    now = timezone.now()
    today = timezone.localdate()
    course_fields = [f for f in CoursePage._meta.local_concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in course_fields)
    insert_course = (f"INSERT INTO {CoursePage._meta.db_table} ({columns}) "
                     f"VALUES ({', '.join(['%s'] * len(course_fields))})")
    per_school = -(-n // len(schools))
    made = 0
    with transaction.atomic():
        for school in schools:
            count = min(per_school, n - made)
            if count <= 0:
                break
            pages, extras = [], []
            for i in range(count):
                english = rng.random() < 0.15
                if english:
                    title = f"{rng.choice(EN_WORDS)} {rng.choice(EN_SUFFIX)} {made + i}"
                    summary = f"{title}: practical sessions, small groups, friendly teachers."
                else:
                    title = f"{rng.choice(CN_WORDS)}{rng.choice(CN_SUFFIX)}{made + i}"
                    summary = "，".join(rng.sample(CN_PHRASES, 3)) + f"。内容涉及{rng.choice(CN_WORDS)}。"
                slug = f"c{made + i}"
                pages.append(Page(
                    title=title, draft_title=title, slug=slug, content_type=content_type,
                    path=school.path + base36(i + 1), depth=school.depth + 1, numchild=0,
                    url_path=f"{school.url_path}{slug}/", live=True, locale_id=school.locale_id,
                    translation_key=uuid.uuid4(), first_published_at=now, last_published_at=now,
                ))
                extras.append((summary, english))
            Page.objects.bulk_create(pages, batch_size=1000)
            rows, m2m_cat, m2m_aud, m2m_lang, runs = [], [], [], [], []
            for page, (summary, english) in zip(pages, extras, strict=True):
                mode = rng.choice(["online", "offline", "offline", "blended"])
                values = {
                    "page_ptr": page.pk, "summary": summary, "body": "[]", "mode": mode, "provider": school.pk,
                    "level": rng.choice(levels) if rng.random() < 0.7 else None,
                    "price": Decimal("0") if rng.random() < 0.6 else Decimal(rng.randrange(50, 2000)),
                    "needs_update": rng.random() < 0.05, "prerequisites": "", "learning_outcomes": "",
                }
                rows.append(tuple(f.get_db_prep_save(values.get(f.name, f.get_default()), connection)
                                  for f in course_fields))
                for pk in rng.sample(categories, rng.choice([1, 1, 2])):
                    m2m_cat.append(CoursePage.categories.through(coursepage_id=page.pk, category_id=pk))
                for pk in rng.sample(audiences, rng.choice([1, 2])):
                    m2m_aud.append(CoursePage.audiences.through(coursepage_id=page.pk, audience_id=pk))
                m2m_lang.append(CoursePage.languages.through(
                    coursepage_id=page.pk, language_id=languages[2] if english else languages[0]))
                for _ in range(rng.choice([1, 1, 2, 3])):
                    import datetime

                    start = today + datetime.timedelta(days=rng.randrange(-200, 200))
                    runs.append(CourseRun(course_id=page.pk, start_date=start,
                                          end_date=start + datetime.timedelta(days=rng.randrange(1, 90)),
                                          venue=rng.choice(venues) if mode != "online" else None))
            with connection.cursor() as cursor:
                cursor.executemany(insert_course, rows)
            CoursePage.categories.through.objects.bulk_create(m2m_cat, batch_size=2000)
            CoursePage.audiences.through.objects.bulk_create(m2m_aud, batch_size=2000)
            CoursePage.languages.through.objects.bulk_create(m2m_lang, batch_size=2000)
            CourseRun.objects.bulk_create(runs, batch_size=2000)
            Page.objects.filter(pk=school.pk).update(numchild=count)
            made += count
    assert InstitutionPage.objects.count() >= institutions


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def print_line(kind: str, times: list[float], cpu_times: list[float]) -> None:
    print(f"  {kind:18s} n={len(times):4d}  p50={percentile(times, 50):6.1f}  p95={percentile(times, 95):6.1f}  "
          f"p99={percentile(times, 99):6.1f} ms  |  CPU p50={percentile(cpu_times, 50):5.1f}  "
          f"p95={percentile(cpu_times, 95):5.1f}  p99={percentile(cpu_times, 99):5.1f} ms")


def query_mix():
    from catalogue.models import Area
    from search.backends.base import GeoPoint, SearchQuery

    district = str(Area.objects.filter(level=Area.Level.DISTRICT).order_by("pk").values_list("pk", flat=True)[0])
    centre = GeoPoint(*CENTRE)
    return {
        "chinese 1-4 chars": [SearchQuery(q=q) for q in ["书", "拳", "书法", "太极", "手机", "茶艺", "太极拳", "防诈骗",
                                                          "人工智能", "智能手机"]],
        "english": [SearchQuery(q=q) for q in ["photography", "piano", "beginners", "cooking workshop", "yoga"]],
        "facets only": [
            SearchQuery(filters={"category": ["digital"]}),
            SearchQuery(filters={"audience": ["seniors"], "price": ["free"]}),
            SearchQuery(filters={"mode": ["online"], "level": ["2"]}),
            SearchQuery(filters={"district": [district]}, sort="newest"),
            SearchQuery(filters={"status": ["enrolling"]}),
            SearchQuery(),
        ],
        "text + facets": [
            SearchQuery(q="太极", filters={"category": ["health"], "price": ["free"]}),
            SearchQuery(q="书法", filters={"status": ["enrolling", "upcoming"]}, hide_outdated=True),
        ],
        "geo": [SearchQuery(point=centre, radius_km=r, sort="distance") for r in (2, 5, 10)],
    }


def main() -> None:
    args = parse_args()
    fresh = not (args.reuse and Path(args.db).exists())
    setup_django(args.db, fresh)
    from search.backends.embedded import EmbeddedBackend
    from search.documents import build_documents, indexable_courses

    if fresh or indexable_courses().count() < args.courses:
        started = time.perf_counter()
        seed_courses(args.courses, args.seed)
        print(f"seeded {args.courses} courses in {time.perf_counter() - started:.1f}s ({args.seed})")
    total = indexable_courses().count()
    backend = EmbeddedBackend()
    print(f"load average before reindex: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall-clock figures include waiting for the CPU; CPU-time figures do not)")
    started, cpu_started = time.perf_counter(), time.process_time()
    count = backend.rebuild(build_documents(batch_size=1000), total=total, batch_size=1000)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"reindex: {count} docs in {elapsed:.1f}s wall = {count / elapsed:,.0f} docs/s; "
          f"{cpu:.1f}s CPU = {count / cpu:,.0f} docs/s per core")

    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics, as a deployment would have after ANALYZE
        cursor.execute("ANALYZE")
    from search.backends.bitsets import current_token, load_view

    started = time.perf_counter()
    load_view("default", current_token(), 0)
    print(f"bitset view full load: {time.perf_counter() - started:.2f}s "
          "(per process after a full rebuild and at the first search of a day; edits are patched in)")
    mix = query_mix()
    for queries in mix.values():
        for query in queries:
            query.language = "zh-hans"  # as the search page does: the visitor's language versions only
    for queries in mix.values():  # warm caches once
        for query in queries:
            backend.search(query)
    all_times: list[float] = []
    all_cpu: list[float] = []
    print(f"queries ({args.rounds} rounds, every query computes all facets); wall-clock | CPU time:")
    for kind, queries in mix.items():
        times, cpu_times = [], []
        for _ in range(args.rounds):
            for query in queries:
                t0, c0 = time.perf_counter(), time.process_time()
                result = backend.search(query)
                times.append((time.perf_counter() - t0) * 1000)
                cpu_times.append((time.process_time() - c0) * 1000)
                assert result.total >= 0
        all_times += times
        all_cpu += cpu_times
        print_line(kind, times, cpu_times)
    print_line("all", all_times, all_cpu)
    print(f"  mean wall {statistics.mean(all_times):.1f} ms; load average now {os.getloadavg()[0]:.1f}")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory (max RSS): {peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
