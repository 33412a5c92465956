"""Tables of the embedded search index and the queue of index updates that could not be delivered.

The embedded index is a denormalised copy of what search needs, keyed by course page id, kept in the same
database as the pages so that every edit updates it in the same transaction. The full-text part lives in an
SQLite FTS5 virtual table created by migration 0002 (SQLite only); other databases search the pre-tokenised
``title_tokens``/``body_tokens`` columns instead.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    course_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    # CJK runs split into unigrams and bigrams, English left to the FTS tokenizer (see search.text).
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    provider_id = models.BigIntegerField(null=True, db_index=True)
    provider_title = models.CharField(max_length=255, blank=True)
    level_number = models.PositiveSmallIntegerField(null=True)
    mode = models.CharField(max_length=10)
    price = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    needs_update = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True)
    # Soonest run start on or after the day it was computed; moved on lazily as runs start.
    next_start = models.DateField(null=True)
    indexed_at = models.DateTimeField()

    class Meta:
        # Sorting and filtering happen on the in-memory bitset view; only the daily refresh needs this.
        indexes = [
            models.Index(fields=["next_start"], name="msearch_doc_next_start"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchFacet(models.Model):
    """One (facet, value) pair of a course; categories and areas include their ancestors."""

    course_id = models.BigIntegerField()
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "course_id"], name="msearch_facet_lookup"),
            models.Index(fields=["course_id"], name="msearch_facet_course"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.facet}={self.value}"


class SearchRun(models.Model):
    course_id = models.BigIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    enrolment_open = models.DateField(null=True)
    enrolment_close = models.DateField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["course_id", "start_date"], name="msearch_run_course"),
            # Covering index for "near me": the bounding-box scan never touches the table.
            models.Index(fields=["latitude", "longitude", "course_id"], name="msearch_run_geo"),
            models.Index(fields=["start_date"], name="msearch_run_start"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.start_date}–{self.end_date}"


class IndexChange(models.Model):
    """Courses written to the embedded index since the last full rebuild, in order, so each process can
    patch its in-memory view instead of reloading it (see backends/bitsets.py)."""

    id = models.BigAutoField(primary_key=True)
    course_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"#{self.id} course {self.course_id}"


class PendingIndexUpdate(models.Model):
    """A course whose Elasticsearch document could not be written; retried until it goes through."""

    course_id = models.BigIntegerField(unique=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pending search index update")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"course {self.course_id} ({self.attempts} attempts)"
