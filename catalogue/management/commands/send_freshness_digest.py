"""Send each institution's editors one email listing their newly flagged courses. Run daily."""

from django.core.management.base import BaseCommand

from catalogue.freshness_digest import send_freshness_digest


class Command(BaseCommand):
    help = "Email institution editors the courses that became flagged since their last digest."

    def handle(self, *args, **options):
        result = send_freshness_digest()
        self.stdout.write(
            f"Sent {result.emails} digests covering {result.flags} flags "
            f"({result.skipped_recently_notified} people already had one today)."
        )
