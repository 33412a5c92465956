"""Check the external links of all courses and flag courses with broken ones."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalogue.freshness import all_course_ids_in_batches, conf
from catalogue.linkcheck import (
    check_urls,
    reflag_courses_linking_to,
    refresh_course_links,
    store_results,
    urls_due_for_check,
)


class Command(BaseCommand):
    help = "Extract external links from courses, check the ones due, and raise or clear broken-link flags."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Check every link, even ones checked recently.")
        parser.add_argument("--workers", type=int, default=None, help="Hosts checked at once.")
        parser.add_argument("--timeout", type=float, default=None, help="Seconds per request.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, all: bool, workers, timeout, no_progress: bool, **options):
        for ids in all_course_ids_in_batches(1000):
            refresh_course_links(ids)
        urls = urls_due_for_check(force=all)
        with tqdm(total=len(urls), unit="link", disable=no_progress, file=self.stderr) as progress:
            results = check_urls(urls, workers=workers or conf("link_workers"), timeout=timeout,
                                 on_result=lambda result: progress.update(1))
        changed = store_results(results.values())
        broken = sum(1 for r in results.values() if not r.ok)
        outcome = reflag_courses_linking_to(changed)
        self.stdout.write(
            f"Checked {len(urls)} links: {broken} broken, {len(changed)} changed state; "
            f"{outcome.raised} flags raised, {outcome.cleared} cleared."
        )
