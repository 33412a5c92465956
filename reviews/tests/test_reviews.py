import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from catalogue.models import CoursePage
from proposals.models import CallPage, Proposal
from proposals.tests.fixtures import close_call, make_proposal, set_phase
from reviews.aggregation import ProposalStats
from reviews.models import Assignment, ConflictOfInterest, Decision, Review, Score
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(call, applicant, institution):
    proposal = make_proposal(call, institution, applicant, status=Proposal.Status.SUBMITTED)
    close_call(call)
    set_phase(call, CallPage.Phase.REVIEW)
    return proposal


def _assign(proposal, reviewer, manager):
    return Assignment.objects.create(proposal=proposal, reviewer=reviewer, assigned_by=manager)


def _scores(proposal, values):
    return {f"score-{c.pk}": v for c, v in zip(proposal.call.criteria.all(), values, strict=True)}


def _review(client, proposal, values, action="submit", **extra):
    data = {**_scores(proposal, values), "panel_comments": "团队经验不足", "applicant_comments": "请补充教学案例",
            "recommendation": "yes", "action": action, **extra}
    return client.post(f"/reviews/proposals/{proposal.pk}/", data)


# --------------------------------------------------------------------------- assignment


def test_manager_assigns_by_hand_and_it_is_logged(client, submitted, manager, reviewers):
    client.force_login(manager)
    url = f"/admin/commissioning/calls/{submitted.call_id}/assign/"
    assert client.post(url, {"proposal": submitted.pk, "reviewer": reviewers[0].pk}).status_code == 302
    assert Assignment.objects.filter(proposal=submitted, reviewer=reviewers[0]).exists()
    assert ModelLogEntry.objects.filter(action="reviews.assign", object_id=str(submitted.pk)).exists()
    assert client.post(url, {"proposal": submitted.pk, "reviewer": reviewers[0].pk}).status_code == 400


def test_assignment_refused_to_non_managers(client, submitted, reviewers, applicant):
    for user in (reviewers[0], applicant):
        client.force_login(user)
        response = client.post(f"/admin/commissioning/calls/{submitted.call_id}/assign/",
                               {"proposal": submitted.pk, "reviewer": reviewers[1].pk})
        assert response.status_code in (302, 403)
    assert not Assignment.objects.exists()


def test_reviewer_from_proposing_institution_never_assigned(client, submitted, manager, reviewers, institution):
    add_member(reviewers[0], institution)
    client.force_login(manager)
    response = client.post(f"/admin/commissioning/calls/{submitted.call_id}/assign/",
                           {"proposal": submitted.pk, "reviewer": reviewers[0].pk})
    assert response.status_code == 400
    assert "institution" in response.content.decode() or "机构" in response.content.decode()
    client.post(f"/admin/commissioning/calls/{submitted.call_id}/auto-assign/", {"per_proposal": 4})
    assert set(Assignment.objects.values_list("reviewer", flat=True)) == {r.pk for r in reviewers[1:]}


def test_only_reviewers_can_be_assigned(client, submitted, manager):
    client.force_login(manager)
    response = client.post(f"/admin/commissioning/calls/{submitted.call_id}/assign/",
                           {"proposal": submitted.pk, "reviewer": UserFactory().pk})
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_assignment_only_in_review_phase(client, call, applicant, institution, manager, reviewers):
    proposal = make_proposal(call, institution, applicant, status=Proposal.Status.SUBMITTED)
    client.force_login(manager)
    response = client.post(f"/admin/commissioning/calls/{call.pk}/assign/",
                           {"proposal": proposal.pk, "reviewer": reviewers[0].pk})
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_automatic_balancing_gives_n_per_proposal_evenly(client, call, applicant, institution, manager, reviewers):
    proposals = [make_proposal(call, institution, applicant, title=f"提案{i}", status=Proposal.Status.SUBMITTED)
                 for i in range(4)]
    make_proposal(call, institution, applicant, title="草稿")
    close_call(call)
    set_phase(call, CallPage.Phase.REVIEW)
    client.force_login(manager)
    assert client.post(f"/admin/commissioning/calls/{call.pk}/auto-assign/", {"per_proposal": 2}).status_code == 302
    for proposal in proposals:
        assert proposal.assignments.count() == 2
    loads = [Assignment.objects.filter(reviewer=r).count() for r in reviewers]
    assert loads == [2, 2, 2, 2]
    assert Assignment.objects.count() == 8
    client.post(f"/admin/commissioning/calls/{call.pk}/auto-assign/", {"per_proposal": 2})
    assert Assignment.objects.count() == 8
    assert client.post(f"/admin/commissioning/calls/{call.pk}/auto-assign/", {"per_proposal": 0}).status_code == 400


def test_conflict_of_interest_removes_assignment_and_blocks_it(client, submitted, manager, reviewers):
    _assign(submitted, reviewers[0], manager)
    client.force_login(reviewers[0])
    assert client.post(f"/reviews/proposals/{submitted.pk}/conflict/", {"reason": " "}).status_code == 400
    assert Assignment.objects.filter(reviewer=reviewers[0]).exists()
    assert client.post(f"/reviews/proposals/{submitted.pk}/conflict/", {"reason": "曾在该机构任职"}).status_code == 302
    assert not Assignment.objects.filter(reviewer=reviewers[0]).exists()
    assert ConflictOfInterest.objects.filter(reviewer=reviewers[0], proposal=submitted).exists()
    assert client.get(f"/reviews/proposals/{submitted.pk}/").status_code == 403
    client.force_login(manager)
    response = client.post(f"/admin/commissioning/calls/{submitted.call_id}/assign/",
                           {"proposal": submitted.pk, "reviewer": reviewers[0].pk})
    assert response.status_code == 400
    assert ModelLogEntry.objects.filter(action="reviews.conflict").exists()


def test_unassigned_reviewer_cannot_declare_conflict(client, submitted, reviewers):
    client.force_login(reviewers[0])
    assert client.post(f"/reviews/proposals/{submitted.pk}/conflict/", {"reason": "x"}).status_code == 403
    assert not ConflictOfInterest.objects.exists()


# --------------------------------------------------------------------------- what reviewers see


def test_unassigned_reviewer_cannot_see_proposal(client, submitted, manager, reviewers):
    _assign(submitted, reviewers[0], manager)
    client.force_login(reviewers[1])
    response = client.get(f"/reviews/proposals/{submitted.pk}/")
    assert response.status_code == 403
    assert "手机挂号不求人" not in response.content.decode()
    assert "手机挂号不求人" not in client.get("/reviews/").content.decode()
    assert _review(client, submitted, [5, 5, 10]).status_code == 403
    assert not Review.objects.exists()


def test_assigned_reviewer_sees_institution_and_team_when_not_blind(client, submitted, manager, reviewers):
    _assign(submitted, reviewers[0], manager)
    client.force_login(reviewers[0])
    body = client.get(f"/reviews/proposals/{submitted.pk}/").content.decode()
    assert "手机挂号不求人" in body and "示范社区学院" in body and "王老师" in body
    cv = submitted.team.get()
    assert client.get(f"/proposals/files/cv/{cv.pk}/").status_code == 200


def test_blind_review_hides_institution_team_and_cvs(client, submitted, manager, reviewers):
    CallPage.objects.filter(pk=submitted.call_id).update(blind_review=True)
    _assign(submitted, reviewers[0], manager)
    client.force_login(reviewers[0])
    body = client.get(f"/reviews/proposals/{submitted.pk}/").content.decode()
    assert "手机挂号不求人" in body
    assert "示范社区学院" not in body and "王老师" not in body
    cv = submitted.team.get()
    assert f"/proposals/files/cv/{cv.pk}/" not in body
    assert client.get(f"/proposals/files/cv/{cv.pk}/").status_code == 403


def test_score_above_max_is_refused_and_nothing_saved(client, submitted, manager, reviewers):
    _assign(submitted, reviewers[0], manager)
    client.force_login(reviewers[0])
    response = _review(client, submitted, [6, 5, 10])
    assert response.status_code == 400
    assert "5" in response.content.decode()
    assert not Score.objects.exists() and not Review.objects.exists()
    assert _review(client, submitted, ["abc", 5, 10]).status_code == 400
    assert _review(client, submitted, [-1, 5, 10]).status_code == 400
    assert not Review.objects.exists()


def test_draft_then_submit_and_no_changes_after(client, submitted, manager, reviewers):
    _assign(submitted, reviewers[0], manager)
    client.force_login(reviewers[0])
    assert _review(client, submitted, [4, "", ""], action="save").status_code == 302
    review = Review.objects.get()
    assert review.status == Review.Status.DRAFT and review.scores.count() == 1
    assert _review(client, submitted, [4, "", ""]).status_code == 400  # submit needs every score
    assert _review(client, submitted, [4, 3, 8]).status_code == 302
    review.refresh_from_db()
    assert review.is_submitted
    assert _review(client, submitted, [1, 1, 1]).status_code == 400
    assert sorted(review.scores.values_list("value", flat=True)) == [3, 4, 8]
    assert ModelLogEntry.objects.filter(action="reviews.submit").count() == 1


def test_reviews_refused_outside_review_phase(client, submitted, manager, reviewers):
    _assign(submitted, reviewers[0], manager)
    set_phase(submitted.call, CallPage.Phase.DECISION)
    client.force_login(reviewers[0])
    assert _review(client, submitted, [4, 3, 8]).status_code == 400
    assert not Review.objects.exists()


def test_other_scores_hidden_until_own_review_submitted(client, submitted, manager, reviewers):
    for reviewer in reviewers[:2]:
        _assign(submitted, reviewer, manager)
    client.force_login(reviewers[0])
    _review(client, submitted, [1, 2, 3], panel_comments="第一位评审的意见")
    client.force_login(reviewers[1])
    before = client.get(f"/reviews/proposals/{submitted.pk}/").content.decode()
    assert "第一位评审的意见" not in before and "1/5" not in before
    _review(client, submitted, [5, 5, 10], action="save")
    assert "第一位评审的意见" not in client.get(f"/reviews/proposals/{submitted.pk}/").content.decode()
    _review(client, submitted, [5, 5, 10])
    after = client.get(f"/reviews/proposals/{submitted.pk}/").content.decode()
    assert "第一位评审的意见" in after and "1/5" in after
    assert "reviewer1" not in after  # other reviewers stay anonymous


# --------------------------------------------------------------------------- aggregation


def test_weighted_totals_mean_median_and_disagreement(submitted, manager, reviewers):
    from reviews.aggregation import call_ranking
    from reviews.services import save_review

    # criteria: max 5 weight 2, max 5 weight 1, max 10 weight 1 → best = 10 + 5 + 10 = 25
    for reviewer, values, rec in ((reviewers[0], (5, 5, 10), "yes"), (reviewers[1], (0, 0, 0), "no"),
                                  (reviewers[2], (5, 0, 5), "maybe")):
        _assign(submitted, reviewer, manager)
        scores = dict(zip(submitted.call.criteria.values_list("pk", flat=True), values, strict=True))
        save_review(reviewer, submitted, scores=scores, panel_comments="", applicant_comments="",
                    recommendation=rec, submit=True)
    [stats] = call_ranking(submitted.call)
    assert sorted(stats.totals) == [Decimal("0.0"), Decimal("60.0"), Decimal("100.0")]
    assert stats.mean == Decimal("53.3") and stats.median == Decimal("60.0")
    assert stats.stdev == Decimal("41.1")
    assert stats.disagreement and stats.recommendation == "maybe"


def test_agreement_is_not_flagged():
    stats = ProposalStats(proposal=None, totals=[Decimal("80"), Decimal("84")], recommendations=["yes", "yes"])
    assert stats.stdev == Decimal("2.0") and not stats.disagreement and stats.recommendation == "yes"
    assert ProposalStats(proposal=None).mean is None


def test_ranking_csv_for_managers_only(client, call, applicant, institution, manager, reviewers):
    from reviews.services import save_review

    good = make_proposal(call, institution, applicant, title="=好提案", status=Proposal.Status.SUBMITTED)
    weak = make_proposal(call, institution, applicant, title="弱提案", status=Proposal.Status.SUBMITTED)
    close_call(call)
    set_phase(call, CallPage.Phase.REVIEW)
    ids = list(call.criteria.values_list("pk", flat=True))
    for proposal, values in ((good, (5, 5, 10)), (weak, (1, 1, 1))):
        _assign(proposal, reviewers[0], manager)
        save_review(reviewers[0], proposal, scores=dict(zip(ids, values, strict=True)), panel_comments="",
                    applicant_comments="", recommendation="yes", submit=True)
    client.force_login(reviewers[0])
    assert client.get(f"/admin/commissioning/calls/{call.pk}/ranking.csv").status_code in (302, 403)
    client.force_login(manager)
    response = client.get(f"/admin/commissioning/calls/{call.pk}/ranking.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rank", "proposal_id", "title"]
    assert rows[1][2] == "'=好提案" and rows[1][7] == "100.0"
    assert rows[2][2] == "弱提案"
    assert client.get(f"/admin/commissioning/calls/{call.pk}/").status_code == 200


# --------------------------------------------------------------------------- decisions


@pytest.fixture
def reviewed(submitted, manager, reviewers):
    from reviews.services import save_review

    ids = list(submitted.call.criteria.values_list("pk", flat=True))
    _assign(submitted, reviewers[0], manager)
    save_review(reviewers[0], submitted, scores=dict(zip(ids, (4, 4, 8), strict=True)),
                panel_comments="机密：预算偏高", applicant_comments="建议增加实操环节", recommendation="yes",
                submit=True)
    set_phase(submitted.call, CallPage.Phase.DECISION)
    return submitted


def test_decision_refused_to_reviewers_and_applicants(client, reviewed, reviewers, applicant):
    for user in (reviewers[0], applicant):
        client.force_login(user)
        response = client.post(f"/admin/commissioning/proposals/{reviewed.pk}/decide/",
                               {"outcome": "award", "feedback": "好"})
        assert response.status_code == (403 if user == applicant else 302)  # reviewers lack admin access
        assert client.get(f"/admin/commissioning/proposals/{reviewed.pk}/").status_code in (302, 403)
    assert not Decision.objects.exists()


def test_decision_only_in_decision_phase_and_needs_feedback(client, reviewed, manager):
    client.force_login(manager)
    url = f"/admin/commissioning/proposals/{reviewed.pk}/decide/"
    assert client.post(url, {"outcome": "award", "feedback": ""}).status_code == 400
    assert client.post(url, {"outcome": "maybe", "feedback": "x"}).status_code == 400
    set_phase(reviewed.call, CallPage.Phase.REVIEW)
    assert client.post(url, {"outcome": "award", "feedback": "很好"}).status_code == 400
    assert not Decision.objects.exists()
    reviewed.refresh_from_db()
    assert reviewed.status == Proposal.Status.SUBMITTED


def test_applicant_sees_decision_and_applicant_comments_only(client, reviewed, manager, applicant, reviewers,
                                                             django_capture_on_commit_callbacks):
    client.force_login(manager)
    panel_view = client.get(f"/admin/commissioning/proposals/{reviewed.pk}/").content.decode()
    assert "机密：预算偏高" in panel_view and reviewers[0].username in panel_view
    client.force_login(applicant)
    assert "建议增加实操环节" not in client.get(f"/proposals/{reviewed.pk}/").content.decode()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/commissioning/proposals/{reviewed.pk}/decide/",
                    {"outcome": "reject", "feedback": "本轮未获资助，欢迎下次申请"})
    reviewed.refresh_from_db()
    assert reviewed.status == Proposal.Status.REJECTED
    client.force_login(applicant)
    body = client.get(f"/proposals/{reviewed.pk}/").content.decode()
    assert "本轮未获资助" in body and "建议增加实操环节" in body
    assert "机密：预算偏高" not in body and reviewers[0].username not in body and "4/5" not in body
    assert len(mail.outbox) == 1 and applicant.email in mail.outbox[0].to
    assert "机密" not in mail.outbox[0].body
    assert ModelLogEntry.objects.filter(action="reviews.decision").exists()


def test_revision_request_lets_applicant_resubmit_and_keeps_versions(client, reviewed, manager, applicant):
    client.force_login(manager)
    client.post(f"/admin/commissioning/proposals/{reviewed.pk}/decide/",
                {"outcome": "revise", "feedback": "请细化预算"})
    client.force_login(applicant)
    response = client.post(f"/proposals/{reviewed.pk}/autosave/", {
        "version": Proposal.objects.get(pk=reviewed.pk).version, "title": reviewed.title, "summary": "修订后的摘要",
        "syllabus_outline": "大纲", "learning_outcomes": "目标", "delivery_mode": "online"})
    assert response.status_code == 200
    assert client.post(f"/proposals/{reviewed.pk}/submit/").status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.status == Proposal.Status.SUBMITTED
    assert [v.number for v in reviewed.versions.all()] == [1]  # fixture proposal had no version; now one
    assert reviewed.versions.get().snapshot["summary"] == "修订后的摘要"


def test_award_creates_draft_course_under_institution(client, reviewed, manager, institution):
    client.force_login(manager)
    client.post(f"/admin/commissioning/proposals/{reviewed.pk}/decide/", {"outcome": "award", "feedback": "祝贺"})
    reviewed.refresh_from_db()
    assert reviewed.status == Proposal.Status.AWARDED
    course = CoursePage.objects.get(title="手机挂号不求人")
    assert not course.live and course.get_parent().pk == institution.pk
    assert reviewed.commissioned_course == course
    assert reviewed.commission.call_id == reviewed.call_id
    assert [m.title for m in reviewed.commission.milestones.all()] == ["教材初稿", "首期开班"]
    assert course.latest_revision is not None
    listing = client.get("/admin/commissioning/commissions/").content.decode()
    assert "手机挂号不求人" in listing and "教材初稿" in listing
    assert ModelLogEntry.objects.filter(action="reviews.commission").exists()


def test_award_cap_is_enforced(client, call, applicant, institution, manager):
    first = make_proposal(call, institution, applicant, title="第一名", status=Proposal.Status.SUBMITTED)
    second = make_proposal(call, institution, applicant, title="第二名", status=Proposal.Status.SUBMITTED)
    close_call(call)
    set_phase(call, CallPage.Phase.DECISION)
    client.force_login(manager)
    assert client.post(f"/admin/commissioning/proposals/{first.pk}/decide/",
                       {"outcome": "award", "feedback": "祝贺"}).status_code == 302
    assert client.post(f"/admin/commissioning/proposals/{second.pk}/decide/",
                       {"outcome": "award", "feedback": "祝贺"}).status_code == 400
    second.refresh_from_db()
    assert second.status == Proposal.Status.SUBMITTED
    assert not CoursePage.objects.filter(title="第二名").exists()


def test_milestones_tracked_by_institution_not_outsiders(client, reviewed, manager, applicant, outsider):
    client.force_login(manager)
    client.post(f"/admin/commissioning/proposals/{reviewed.pk}/decide/", {"outcome": "award", "feedback": "祝贺"})
    milestone = Proposal.objects.get(pk=reviewed.pk).commission.milestones.first()
    client.force_login(outsider)
    assert client.post(f"/commissions/milestones/{milestone.pk}/done/").status_code == 403
    milestone.refresh_from_db()
    assert milestone.completed_at is None
    client.force_login(applicant)
    assert client.post(f"/commissions/milestones/{milestone.pk}/done/").status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_at is not None
    assert client.post(f"/commissions/milestones/{milestone.pk}/done/").status_code == 400
