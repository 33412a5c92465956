"""Fixtures shared by the proposals and reviews tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from proposals.models import BudgetLine, CallIndexPage, CallPage, Milestone, Proposal, RubricCriterion, TeamMember
from proposals.roles import CALL_MANAGERS, REVIEWERS
from tests.factories import UserFactory, add_member

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def isolated_files_and_cache(settings, tmp_path):
    """Private files in a temporary folder; a fresh rate-limit cache for every test."""
    from django.core.cache import cache

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_call(index: CallIndexPage | None = None, *, title: str = "社区数字素养课程征集", opens_in: int = -1,
              closes_in: int = 10, publish: bool = True, criteria=None, **fields) -> CallPage:
    index = index or CallIndexPage.objects.first()
    now = timezone.now()
    fields.setdefault("budget_min", Decimal("10000"))
    fields.setdefault("budget_max", Decimal("50000"))
    call = CallPage(
        title=title, problem_statement="<p>老年人不会用手机挂号。</p>", expected_outcomes="会用手机挂号\n会视频通话",
        opens_at=now + datetime.timedelta(days=opens_in), closes_at=now + datetime.timedelta(days=closes_in),
        live=publish,
        **fields,
    )
    for order, (name, max_score, weight) in enumerate(criteria or [("需求相关性", 5, "2"), ("设计质量", 5, "1"),
                                                                     ("团队", 10, "1")]):
        call.criteria.add(RubricCriterion(name=name, max_score=max_score, weight=Decimal(weight), sort_order=order))
    index.add_child(instance=call)
    revision = call.save_revision()
    if publish:
        revision.publish()
    call.refresh_from_db()
    return call


def close_call(call: CallPage) -> None:
    """Move the close moment into the past (as time passing would)."""
    now = timezone.now()
    CallPage.objects.filter(pk=call.pk).update(opens_at=now - datetime.timedelta(days=20),
                                               closes_at=now - datetime.timedelta(minutes=1))
    call.refresh_from_db()


def set_phase(call: CallPage, phase: str) -> None:
    CallPage.objects.filter(pk=call.pk).update(phase=phase)
    call.refresh_from_db()


def make_proposal(call: CallPage, institution, user, *, title: str = "手机挂号不求人", budget=("30000",),
                  status: str = Proposal.Status.DRAFT) -> Proposal:
    proposal = Proposal.objects.create(
        call=call, institution=institution, created_by=user, title=title, summary="教老年人使用手机挂号。",
        syllabus_outline="第一课 手机基础\n第二课 挂号应用", learning_outcomes="独立挂号\n视频问诊", status=status,
        submitted_at=timezone.now() if status != Proposal.Status.DRAFT else None,
    )
    TeamMember.objects.create(proposal=proposal, name="王老师", role="主讲",
                              cv=SimpleUploadedFile("cv.pdf", PDF_BYTES), cv_name="王老师简历.pdf")
    today = timezone.localdate()
    Milestone.objects.create(proposal=proposal, title="教材初稿", due_date=today + datetime.timedelta(60))
    Milestone.objects.create(proposal=proposal, title="首期开班", due_date=today + datetime.timedelta(120))
    for amount in budget:
        BudgetLine.objects.create(proposal=proposal, item="课酬", amount=Decimal(amount))
    return proposal


def in_group(user, name: str):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def call_index(site) -> CallIndexPage:
    return CallIndexPage.objects.get(locale=site.locale)


@pytest.fixture
def call(call_index) -> CallPage:
    return make_call(call_index)


@pytest.fixture
def manager(db):
    return in_group(UserFactory(username="manager", is_staff=False), CALL_MANAGERS)


@pytest.fixture
def reviewers(db):
    return [in_group(UserFactory(username=f"reviewer{i}"), REVIEWERS) for i in range(1, 5)]


@pytest.fixture
def applicant(institution):
    user = UserFactory(username="applicant")
    add_member(user, institution)
    return user


@pytest.fixture
def outsider(other_institution):
    user = UserFactory(username="outsider")
    add_member(user, other_institution)
    return user
