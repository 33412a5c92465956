"""Raise and clear outdated-content flags on every course. Idempotent: safe to run on a schedule."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalogue.freshness import SIGNALS, Outcome, all_course_ids_in_batches, evaluate_courses
from catalogue.models import CoursePage


class Command(BaseCommand):
    help = "Compute the freshness signals for all courses and raise or clear their flags."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--reason", action="append", choices=sorted(SIGNALS),
                            help="Only these signals (repeatable); all by default.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar (e.g. in cron).")

    def handle(self, *args, batch_size: int, reason, no_progress: bool, **options):
        total = CoursePage.objects.count()
        outcome = Outcome()
        with tqdm(total=total, unit="course", disable=no_progress, file=self.stderr) as progress:
            for ids in all_course_ids_in_batches(batch_size):
                outcome.add(evaluate_courses(ids, reasons=reason))
                progress.update(len(ids))
        self.stdout.write(
            f"Checked {total} courses: {outcome.raised} flags raised, {outcome.cleared} cleared, "
            f"{len(outcome.changed_courses)} courses changed."
        )
