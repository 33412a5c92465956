import datetime

from django.core.management.base import BaseCommand

from search.backends import BACKEND_NAMES, SearchError, configured_backend_name, get_backend
from search.documents import indexable_courses
from search.models import PendingIndexUpdate


def as_datetime(value) -> datetime.datetime:
    """An indexed_at value (a string from SQLite or Elasticsearch, or a datetime) as an aware datetime."""
    if not isinstance(value, datetime.datetime):
        try:
            value = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def stale_report(indexed: dict[int, str]) -> dict[str, list[int]]:
    """Compare the index with the database: missing, extra (no longer public) and stale documents
    (the course was published again after its document was written)."""
    live = dict(indexable_courses().values_list("pk", "last_published_at"))
    missing = sorted(set(live) - set(indexed))
    extra = sorted(set(indexed) - set(live))
    stale = sorted(pk for pk, at in indexed.items()
                   if pk in live and live[pk] is not None and live[pk] > as_datetime(at))
    return {"missing": missing, "extra": extra, "stale": stale}


class Command(BaseCommand):
    help = "Compare search index document counts with the database and list missing or stale documents."

    def add_arguments(self, parser):
        parser.add_argument("--backend", choices=[*BACKEND_NAMES, "all"], default="all")

    def handle(self, *args, backend="all", **options):
        names = list(BACKEND_NAMES) if backend == "all" else [backend]
        if backend == "all" and configured_backend_name() == "embedded":
            names = ["embedded"]
        total = indexable_courses().count()
        self.stdout.write(f"database: {total} public courses")
        for name in names:
            try:
                indexed = get_backend(name).indexed_versions()
            except SearchError as error:
                self.stdout.write(self.style.ERROR(f"{name}: unreachable ({error})"))
                continue
            report = stale_report(indexed)
            self.stdout.write(
                f"{name}: {len(indexed)} documents; missing {len(report['missing'])}, "
                f"no longer public {len(report['extra'])}, stale {len(report['stale'])}"
            )
            for key, ids in report.items():
                if ids:
                    self.stdout.write(f"  {key}: {', '.join(map(str, ids[:20]))}{' …' if len(ids) > 20 else ''}")
        pending = PendingIndexUpdate.objects.count()
        self.stdout.write(f"queued updates waiting for retry: {pending}")
