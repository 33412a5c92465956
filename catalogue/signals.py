from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.signals import post_page_move

from .models import InstitutionPage, Membership
from .roles import ensure_institution_group

# Sent after courses were written in bulk (seed_demo), which bypasses page signals; `course_ids` lists them.
# Indexes kept outside the page tables listen to this to catch up.
demo_courses_seeded = Signal()


@receiver(post_save, sender=InstitutionPage)
def give_new_institution_an_editors_group(sender, instance, created, raw=False, **kwargs):
    if raw or instance.editors_group_id:
        return
    ensure_institution_group(instance)


@receiver(post_save, sender=Membership)
def add_member_to_editors_group(sender, instance, raw=False, **kwargs):
    if raw:
        return
    group = instance.institution.editors_group or ensure_institution_group(instance.institution)
    instance.user.groups.add(group)


@receiver(post_delete, sender=Membership)
def remove_member_from_editors_group(sender, instance, **kwargs):
    group = instance.institution.editors_group
    if group is not None:
        instance.user.groups.remove(group)


@receiver(post_page_move)
def keep_course_provider_after_move(sender, instance, **kwargs):
    from .models import CoursePage

    for course in CoursePage.objects.descendant_of(instance, inclusive=True):
        previous = course.provider_id
        course.sync_provider()
        if course.provider_id != previous:
            CoursePage.objects.filter(pk=course.pk).update(provider_id=course.provider_id)
