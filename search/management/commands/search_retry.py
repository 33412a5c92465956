from django.core.management.base import BaseCommand

from search.indexing import retry_pending


class Command(BaseCommand):
    help = "Retry search index updates that could not reach Elasticsearch (run from cron every few minutes)."

    def handle(self, *args, **options):
        delivered, remaining = retry_pending()
        self.stdout.write(f"delivered {delivered}, still queued {remaining}")
        if remaining:
            self.stderr.write(self.style.WARNING("Some updates are still queued; is Elasticsearch reachable?"))
