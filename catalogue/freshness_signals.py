"""Cheap freshness checks on publish and save; the full sweep is ``manage.py flag_outdated``."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .freshness import evaluate_courses, on_course_published
from .freshness_models import FlagReason
from .models import CoursePage, CourseRun, InstitutionPage, Venue


@receiver(page_published, sender=CoursePage)
def recheck_course_on_publish(sender, instance, revision=None, **kwargs):
    on_course_published(instance, user=getattr(revision, "user", None))


@receiver(page_unpublished, sender=CoursePage)
def clear_flags_of_unpublished_course(sender, instance, **kwargs):
    # Flags are only kept for live courses; an unpublished course has nothing to show learners.
    evaluate_courses([instance.pk], cause="unpublished")


def _evaluate_in_batches(course_ids, reasons, batch_size: int = 1000) -> None:
    course_ids = sorted(set(course_ids))
    for start in range(0, len(course_ids), batch_size):
        evaluate_courses(course_ids[start:start + batch_size], reasons=reasons, cause="resolved")


@receiver(page_published, sender=InstitutionPage)
def recheck_courses_of_institution(sender, instance, **kwargs):
    course_ids = CoursePage.objects.filter(provider_id=instance.pk).values_list("pk", flat=True)
    _evaluate_in_batches(course_ids, [FlagReason.INSTITUTION_INACTIVE])


@receiver(post_save, sender=Venue)
def recheck_courses_at_venue(sender, instance, raw=False, **kwargs):
    if raw:
        return
    course_ids = CourseRun.objects.filter(venue=instance).values_list("course_id", flat=True).distinct()
    _evaluate_in_batches(course_ids, [FlagReason.VENUE_CLOSED])
