"""Daily email digest of newly flagged courses for each institution's editors."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .freshness import conf
from .freshness_models import CourseFlag, FlagNotification


@dataclass
class DigestResult:
    emails: int = 0
    flags: int = 0
    skipped_recently_notified: int = 0


def _recipients_by_institution(institution_ids) -> dict[int, list]:
    """Active users with an email address in each institution's editors group."""
    from .models import InstitutionPage

    groups = dict(InstitutionPage.objects.filter(pk__in=institution_ids, editors_group__isnull=False)
                  .values_list("pk", "editors_group_id"))
    users = get_user_model().objects.filter(groups__in=groups.values(), is_active=True).exclude(email="")
    by_group = defaultdict(list)
    for user in users.prefetch_related("groups"):
        for group in user.groups.all():
            by_group[group.pk].append(user)
    return {institution: by_group.get(group, []) for institution, group in groups.items()}


def _digest_text(user, flags: list[CourseFlag]) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return render_to_string("catalogue/freshness/digest_email.txt", {"user": user, "flags": flags, "base_url": base})


def send_freshness_digest(now: datetime.datetime | None = None) -> DigestResult:
    """Email each editor the open flags of their institution's courses that they have not been told about.

    Each (flag, person) pair is recorded, so nothing is sent twice; a person who got a digest within the
    last ``digest_min_hours`` waits for the next day's run, which keeps it to one email a day at most.
    """
    now = now or timezone.now()
    result = DigestResult()
    open_flags = list(
        CourseFlag.objects.filter(cleared_at__isnull=True, course__live=True, course__provider__isnull=False)
        .select_related("course").order_by("course__title", "course_id", "reason")
    )
    if not open_flags:
        return result
    recipients = _recipients_by_institution({flag.course.provider_id for flag in open_flags})
    already = set(FlagNotification.objects.filter(flag__in=open_flags).values_list("flag_id", "recipient_id"))
    recently = set(FlagNotification.objects.filter(
        sent_at__gte=now - datetime.timedelta(hours=conf("digest_min_hours"))
    ).values_list("recipient_id", flat=True))
    pending: dict[int, list[CourseFlag]] = defaultdict(list)
    users = {}
    for flag in open_flags:
        for user in recipients.get(flag.course.provider_id, []):
            if (flag.pk, user.pk) not in already:
                pending[user.pk].append(flag)
                users[user.pk] = user
    for user_pk, flags in pending.items():
        if user_pk in recently:
            result.skipped_recently_notified += 1
            continue
        user = users[user_pk]
        with transaction.atomic():
            FlagNotification.objects.bulk_create(
                [FlagNotification(flag=flag, recipient=user, sent_at=now) for flag in flags], ignore_conflicts=True
            )
            send_mail(
                subject=_("%(count)d course(s) need updating") % {"count": len({f.course_id for f in flags})},
                message=_digest_text(user, flags),
                from_email=None,
                recipient_list=[user.email],
            )
        result.emails += 1
        result.flags += len(flags)
    return result
