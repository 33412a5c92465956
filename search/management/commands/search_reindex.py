import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.backends import BACKEND_NAMES, SearchError, configured_backend_name, get_backend
from search.documents import build_documents, indexable_courses


class Command(BaseCommand):
    help = "Rebuild the course search index from the database (Elasticsearch: new index, then alias swap)."

    def add_arguments(self, parser):
        parser.add_argument("--backend", choices=[*BACKEND_NAMES, "all"], default=None,
                            help="Which index to rebuild (default: the configured backend; 'all' for both).")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs and cron).")

    def handle(self, *args, backend=None, batch_size=500, no_progress=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        names = list(BACKEND_NAMES) if backend == "all" else [backend or configured_backend_name()]
        if backend is None and "embedded" not in names:
            names.insert(0, "embedded")  # the fallback index is always kept current
        total = indexable_courses().count()
        for name in names:
            started = time.perf_counter()
            with tqdm(total=total, desc=f"{name}", unit="doc", disable=no_progress) as bar:
                try:
                    count = get_backend(name).rebuild(build_documents(batch_size=batch_size), total=total,
                                                      progress=bar.update, batch_size=batch_size)
                except SearchError as error:
                    raise CommandError(f"{name}: {error}") from error
            elapsed = max(time.perf_counter() - started, 1e-9)
            self.stdout.write(self.style.SUCCESS(
                f"{name}: indexed {count} courses in {elapsed:.1f}s ({count / elapsed:.0f} docs/s)"))
