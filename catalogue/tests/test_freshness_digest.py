"""Daily digest to the owning institution's editors: batched, never the same flag twice."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from catalogue.freshness_digest import send_freshness_digest
from catalogue.models import FlagNotification, InstitutionPage
from tests.factories import UserFactory, VenueFactory, add_member, create_course, run_dates

from .freshness_helpers import fresh_rate_limits  # noqa: F401

pytestmark = pytest.mark.django_db


def test_editors_get_one_digest_with_their_institutions_flags(institution, other_institution):
    editor = UserFactory(username="ed", email="ed@example.org")
    colleague = UserFactory(username="col", email="col@example.org")
    outsider = UserFactory(username="out", email="out@example.org")
    add_member(editor, institution)
    add_member(colleague, institution)
    add_member(outsider, other_institution)
    first = create_course(institution, "过期课程一", runs=[run_dates(-300, 10)])
    second = create_course(institution, "过期课程二", runs=[run_dates(-300, 10)])
    out = StringIO()
    call_command("send_freshness_digest", stdout=out)
    assert "Sent 2 digests" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["col@example.org", "ed@example.org"]
    body = mail.outbox[0].body
    assert first.title in body and second.title in body
    assert f"/admin/pages/{first.pk}/edit/" in body
    assert FlagNotification.objects.count() == 4

    # Nothing new: nothing sent, even on a later day.
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=1)
    assert send_freshness_digest(now=later).emails == 0
    assert mail.outbox == []


def test_new_flags_wait_for_the_next_daily_batch(institution):
    editor = UserFactory(username="ed2", email="ed2@example.org")
    add_member(editor, institution)
    create_course(institution, "第一门", runs=[run_dates(-300, 10)])
    assert send_freshness_digest().emails == 1
    venue = VenueFactory(is_open=False)
    newer = create_course(institution, "第二门", runs=[{**run_dates(5), "venue": venue}])
    mail.outbox.clear()
    same_day = send_freshness_digest()
    assert same_day.emails == 0 and same_day.skipped_recently_notified == 1
    next_day = send_freshness_digest(now=timezone.now() + datetime.timedelta(days=1))
    assert next_day.emails == 1 and next_day.flags == 1
    assert newer.title in mail.outbox[0].body and "第一门" not in mail.outbox[0].body


def test_editors_without_email_or_inactive_are_skipped(institution):
    add_member(UserFactory(username="noemail", email=""), institution)
    add_member(UserFactory(username="gone", email="gone@example.org", is_active=False), institution)
    create_course(institution, "过期", runs=[run_dates(-300, 10)])
    assert InstitutionPage.objects.get(pk=institution.pk).editors_group is not None
    assert send_freshness_digest().emails == 0
