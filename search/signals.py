"""Signal handlers that keep search in step with editors' changes."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue.models import Category, CoursePage, CourseRun, InstitutionPage, Venue

from .indexing import remove_courses, update_courses
from .models import SearchDocument


def courses_under(page) -> list[int]:
    return list(CoursePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


@receiver(page_published)
@receiver(page_unpublished)
def page_visibility_changed(sender, instance, **kwargs):
    if isinstance(instance, CoursePage):
        update_courses([instance.pk])
    elif isinstance(instance, InstitutionPage):
        # Title or district shown on course results; unpublishing hides its courses.
        update_courses(courses_under(instance))


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    update_courses(courses_under(instance))


@receiver(post_delete, sender=CoursePage)
@receiver(post_delete, sender=Page)
def course_deleted(sender, instance, **kwargs):
    # Deleting an institution deletes its course pages through the tree; catch those by id too.
    if isinstance(instance, CoursePage) or SearchDocument.objects.filter(course_id=instance.pk).exists():
        remove_courses([instance.pk])
        # Its translations may now be the version shown in its language.
        update_courses(CoursePage.objects.filter(translation_key=instance.translation_key)
                       .exclude(pk=instance.pk).values_list("pk", flat=True))


@receiver(post_save, sender=CourseRun)
@receiver(post_delete, sender=CourseRun)
def run_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Runs saved with an unpublished draft change nothing public; update_courses re-reads the live row.
    update_courses([instance.course_id])


@receiver(post_save, sender=Venue)
def venue_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    update_courses(CourseRun.objects.filter(venue=instance).values_list("course_id", flat=True).distinct())


@receiver(post_save, sender=Category)
def category_changed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    ids = Category.descendant_ids([instance.pk])
    update_courses(CoursePage.categories.through.objects.filter(category_id__in=ids)
                   .values_list("coursepage_id", flat=True).distinct())
