"""``manage.py seed_demo --courses N``: a believable bilingual demo catalogue, fast enough for N=100000."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalogue.demo.builder import DemoCatalogueBuilder
from catalogue.models import CoursePage
from catalogue.signals import demo_courses_seeded

# Above this many courses the Wagtail search index is left for `manage.py update_index`.
INDEX_LIMIT = 5000


class Command(BaseCommand):
    help = ("Create a demo city: districts, institutions with logos, venues, teachers and N courses with runs. "
            "Safe to run again: the city is reused and N more courses are added.")

    def add_arguments(self, parser):
        parser.add_argument("--courses", type=int, default=300, help="How many courses to create (default 300).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when courses already exist.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable demos.")
        parser.add_argument("--institutions", type=int, default=None,
                            help="Use only the first K demo institutions (8 or more cover every type; default 30).")
        parser.add_argument("--batch-size", type=int, default=1000, help="Courses written per batch.")
        parser.add_argument("--index", choices=["auto", "yes", "no"], default="auto",
                            help=f"Add the courses to Wagtail's search index (auto: when N <= {INDEX_LIMIT}).")

    def handle(self, *args, **options):
        count = options["courses"]
        if count < 0:
            raise CommandError("--courses must be zero or more.")
        if options["institutions"] is not None and options["institutions"] < 1:
            raise CommandError("--institutions must be at least 1.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["if_empty"] and CoursePage.objects.exists():
            self.stdout.write(f"Courses already exist ({CoursePage.objects.count()}); nothing to do.")
            return
        started = time.perf_counter()
        quiet = options["verbosity"] == 0
        if not quiet:
            self.stdout.write("Building the city: districts, institutions, venues, teachers, images…")
        bar = tqdm(total=count, unit="course", desc="Courses", disable=quiet, mininterval=0.5)
        builder = DemoCatalogueBuilder(seed=options["seed"], progress=bar.update, batch_size=options["batch_size"],
                                       institutions=options["institutions"])
        try:
            # The bar's clock starts with the courses, so its rate is the bulk writing rate.
            report = builder.build(count, before_courses=lambda: bar.reset(total=count))
        finally:
            bar.close()
        index_now = options["index"] == "yes" or (options["index"] == "auto" and count <= INDEX_LIMIT)
        if index_now:
            self._index(report.course_ids)
        demo_courses_seeded.send(sender=CoursePage, course_ids=report.course_ids)
        self._update_course_search(options["index"] != "no")
        self.stdout.write(self.style.SUCCESS(
            f"Demo catalogue ready in {time.perf_counter() - started:.1f}s: {report.summary()}."
        ))

    def _update_course_search(self, index_now: bool) -> None:
        """Bulk-written courses bypass the page signals the marketplace search listens to: rebuild its index
        (about 3,000 courses a second, so even 100k courses are searchable a minute later)."""
        if not index_now:
            self.stdout.write("Run `manage.py search_reindex` to make the new courses searchable.")
            return
        try:
            call_command("search_reindex", "--no-progress", stdout=self.stdout._out, stderr=self.stderr._out)
        except CommandError as error:
            self.stderr.write(f"The courses were saved, but the search index was not rebuilt: {error}")

    def _index(self, course_ids: list[int]) -> None:
        from wagtail.search.backends import get_search_backends

        for start in range(0, len(course_ids), 1000):
            chunk = CoursePage.objects.filter(pk__in=course_ids[start:start + 1000])
            for backend in get_search_backends():
                backend.add_bulk(CoursePage, chunk)
