"""From a learning-demand topic to a published course commissioned through a call, all through HTTP."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from catalogue.models import CoursePage
from proposals.models import CallPage, DemandTopic, Proposal, RubricCriterion
from proposals.tests.fixtures import pdf
from reviews.models import Assignment, Review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_from_demand_topic_to_published_commissioned_course(
    client, call_index, manager, reviewers, applicant, institution, django_capture_on_commit_callbacks
):
    # 1. Residents ask for a topic and support it.
    resident, neighbour = UserFactory(username="resident"), UserFactory(username="neighbour")
    client.force_login(resident)
    client.post("/topics/suggest/", {"title": "老年人用手机挂号", "description": "医院都要网上挂号了"})
    topic = DemandTopic.objects.get()
    client.force_login(neighbour)
    client.post(f"/topics/{topic.pk}/vote/")
    assert topic.votes.count() == 2

    # 2. A call manager approves it and drafts a call from it, then completes and publishes the call.
    client.force_login(manager)
    assert client.post(f"/admin/demand/{topic.pk}/approve/").status_code == 302
    response = client.post("/admin/demand/to-call/", {"topics": [topic.pk]})
    call = CallPage.objects.get()
    assert response["Location"] == f"/admin/pages/{call.pk}/edit/"
    assert client.get(f"/admin/pages/{call.pk}/edit/").status_code == 200
    call = call.get_latest_revision_as_object()
    call.budget_min, call.budget_max, call.number_of_awards = Decimal("10000"), Decimal("50000"), 1
    call.opens_at = timezone.now() - datetime.timedelta(hours=1)
    call.closes_at = timezone.now() + datetime.timedelta(days=14)
    call.criteria.add(RubricCriterion(name="需求相关性", max_score=5, weight=Decimal("2")))
    call.criteria.add(RubricCriterion(name="可行性", max_score=5, weight=Decimal("1")))
    call.save_revision(user=manager).publish(user=manager)
    call = CallPage.objects.get(pk=call.pk)
    assert call.live and "老年人用手机挂号" in client.get("/calls/").content.decode()

    # 3. An institution member drafts, completes and submits a proposal.
    client.force_login(applicant)
    assert "Start a proposal" in client.get(call.url).content.decode() or f"/proposals/new/{call.pk}/" in \
        client.get(call.url).content.decode()
    client.post(f"/proposals/new/{call.pk}/", {"title": "手机挂号一点通", "institution": institution.pk})
    proposal = Proposal.objects.get()
    edit = {
        "version": proposal.version, "title": "手机挂号一点通", "summary": "六次课学会手机挂号",
        "syllabus_outline": "1 手机基础\n2 挂号应用", "learning_outcomes": "独立挂号", "delivery_mode": "offline",
        "team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0", "team-MIN_NUM_FORMS": "0", "team-MAX_NUM_FORMS": "30",
        "team-0-name": "张老师", "team-0-role": "主讲", "team-0-cv": pdf("cv.pdf"),
        "milestones-TOTAL_FORMS": "1", "milestones-INITIAL_FORMS": "0", "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "50", "milestones-0-title": "教材完成",
        "milestones-0-due_date": (timezone.localdate() + datetime.timedelta(90)).isoformat(),
        "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "100", "budget-0-item": "课酬与教材", "budget-0-amount": "30000",
    }
    assert client.post(f"/proposals/{proposal.pk}/edit/", edit).status_code == 302
    assert client.post(f"/proposals/{proposal.pk}/attachments/", {"file": pdf("计划书.pdf")}).status_code == 302
    assert client.post(f"/proposals/{proposal.pk}/submit/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.versions.count() == 1

    # 4. The call closes; the manager opens review and balances assignments.
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(manager)
    assert client.post(f"/admin/commissioning/calls/{call.pk}/phase/", {"phase": "review"}).status_code == 302
    client.post(f"/admin/commissioning/calls/{call.pk}/auto-assign/", {"per_proposal": 2})
    assigned = [a.reviewer for a in Assignment.objects.filter(proposal=proposal)]
    assert len(assigned) == 2

    # 5. Reviewers score and submit.
    criteria = list(call.criteria.all())
    for reviewer, values in zip(assigned, ((5, 4), (4, 4)), strict=True):
        client.force_login(reviewer)
        assert proposal.title in client.get("/reviews/").content.decode()
        data = {f"score-{c.pk}": v for c, v in zip(criteria, values, strict=True)}
        data.update({"panel_comments": "可行", "applicant_comments": "请加入防诈骗内容", "recommendation": "yes",
                     "action": "submit"})
        assert client.post(f"/reviews/proposals/{proposal.pk}/", data).status_code == 302
    assert Review.objects.filter(proposal=proposal, status="submitted").count() == 2

    # 6. Ranking, decision phase, award.
    client.force_login(manager)
    ranking = client.get(f"/admin/commissioning/calls/{call.pk}/ranking.csv").content.decode("utf-8-sig")
    assert "手机挂号一点通" in ranking
    assert client.post(f"/admin/commissioning/calls/{call.pk}/phase/", {"phase": "decision"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/commissioning/proposals/{proposal.pk}/decide/",
                               {"outcome": "award", "feedback": "恭喜获得资助"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1

    # 7. The commissioned course is a draft under the institution; the call page lists it once published.
    proposal.refresh_from_db()
    course = proposal.commissioned_course
    assert course is not None and not course.live and course.get_parent().pk == institution.pk
    assert "手机挂号一点通" not in client.get(call.url).content.decode().split("commissioned")[-1]
    client.force_login(applicant)
    body = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "恭喜获得资助" in body and "请加入防诈骗内容" in body and "可行" not in body.replace("可行性", "")
    course = CoursePage.objects.get(pk=course.pk)
    assert course.permissions_for_user(applicant).can_publish()
    course.save_revision(user=applicant).publish(user=applicant)
    listing = client.get(call.url).content.decode()
    assert 'class="commissioned"' in listing and "手机挂号一点通" in listing
    assert client.post(f"/admin/commissioning/calls/{call.pk}/phase/", {"phase": "closed"}).status_code in (302, 403)

    # Every state change left an audit entry.
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"proposals.topic_suggest", "proposals.topic_approve", "proposals.create", "proposals.submit",
            "reviews.assign", "reviews.submit", "reviews.decision", "reviews.commission"} <= actions
    assert PageLogEntry.objects.filter(page=call, action="proposals.call_phase").count() == 2
