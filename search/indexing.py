"""Keeping the search indexes in step with the database.

The embedded index is written synchronously, in the same transaction as the edit that caused it. When
Elasticsearch is configured, its documents are written after the transaction commits; if Elasticsearch
cannot be reached the course ids are queued in ``PendingIndexUpdate`` and retried on the next write and
by ``manage.py search_retry``, so an edit is never lost from search.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .backends import configured_backend_name, get_backend
from .backends.base import SearchError
from .documents import build_documents, translation_siblings
from .models import PendingIndexUpdate

logger = logging.getLogger("search")


def update_courses(course_ids: Iterable[int]) -> None:
    """Re-index the given courses everywhere: call after bulk updates that bypass signals
    (e.g. ``CoursePage.objects.filter(...).update(needs_update=True)``). Courses that no longer exist
    or are no longer public are removed from the index."""
    ids = sorted({int(pk) for pk in course_ids if pk is not None})
    if not ids:
        return
    ids = sorted(set(ids) | translation_siblings(ids))
    update_embedded(ids)
    if configured_backend_name() != "embedded":
        transaction.on_commit(lambda: push_to_remote(ids))


def update_embedded(ids: list[int]) -> None:
    from .backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend()
    documents = list(build_documents(ids))
    found = {doc.id for doc in documents}
    backend.delete_documents([pk for pk in ids if pk not in found])
    backend.index_documents(documents)


def push_to_remote(ids: list[int]) -> bool:
    """Write the given courses (and anything queued before) to the configured remote backend.
    Returns True when everything went through; otherwise the ids stay queued."""
    pending = list(PendingIndexUpdate.objects.values_list("course_id", flat=True))
    all_ids = sorted(set(ids) | set(pending))
    try:
        backend = get_backend()
        documents = list(build_documents(all_ids))
        found = {doc.id for doc in documents}
        backend.index_documents(documents)
        backend.delete_documents([pk for pk in all_ids if pk not in found])
    except SearchError as error:
        queue_failed(all_ids, error)
        return False
    PendingIndexUpdate.objects.filter(course_id__in=all_ids).delete()
    return True


def queue_failed(ids: list[int], error: Exception) -> None:
    logger.warning("Search index update failed for %d course(s), queued for retry: %s", len(ids), error)
    now = timezone.now()
    existing = set(PendingIndexUpdate.objects.filter(course_id__in=ids).values_list("course_id", flat=True))
    PendingIndexUpdate.objects.filter(course_id__in=existing).update(
        attempts=F("attempts") + 1, last_error=str(error)[:2000], updated_at=now
    )
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(course_id=pk, attempts=1, last_error=str(error)[:2000]) for pk in ids
         if pk not in existing]
    )


def retry_pending() -> tuple[int, int]:
    """Retry the queue; returns (delivered, still pending)."""
    ids = list(PendingIndexUpdate.objects.values_list("course_id", flat=True))
    if not ids:
        return 0, 0
    if configured_backend_name() == "embedded":
        # Nothing remote to deliver to any more: the embedded index is always current.
        PendingIndexUpdate.objects.all().delete()
        return len(ids), 0
    delivered = push_to_remote([])
    remaining = PendingIndexUpdate.objects.count()
    return (len(ids) if delivered else 0), remaining


def remove_courses(course_ids: Iterable[int]) -> None:
    """Drop courses from every index (deleted pages)."""
    ids = sorted({int(pk) for pk in course_ids})
    if not ids:
        return
    from .backends.embedded import EmbeddedBackend

    EmbeddedBackend().delete_documents(ids)
    if configured_backend_name() != "embedded":
        transaction.on_commit(lambda: push_to_remote(ids))
