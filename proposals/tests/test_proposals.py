import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from proposals.models import BudgetLine, CallPage, Proposal, ProposalAttachment, ProposalVersion
from proposals.tests.fixtures import close_call, make_call, make_proposal, pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_member_starts_a_draft_on_an_open_call(client, call, applicant, institution):
    client.force_login(applicant)
    assert client.get(f"/proposals/new/{call.pk}/").status_code == 200
    response = client.post(f"/proposals/new/{call.pk}/", {"title": "手机挂号", "institution": institution.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT and proposal.institution == institution
    assert ModelLogEntry.objects.filter(action="proposals.create", object_id=str(proposal.pk)).exists()


def test_people_without_an_institution_cannot_propose(client, call):
    client.force_login(UserFactory())
    assert client.get(f"/proposals/new/{call.pk}/").status_code == 403
    assert client.post(f"/proposals/new/{call.pk}/", {"title": "x"}).status_code == 403
    assert not Proposal.objects.exists()


def test_member_cannot_propose_for_another_institution(client, call, applicant, other_institution):
    client.force_login(applicant)
    response = client.post(f"/proposals/new/{call.pk}/", {"title": "冒名", "institution": other_institution.pk})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_ineligible_institution_type_refused(client, call_index, applicant, institution):
    call = make_call(call_index, eligible_institution_types=["university"])
    client.force_login(applicant)
    response = client.post(f"/proposals/new/{call.pk}/", {"title": "不合格", "institution": institution.pk})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_upcoming_call_refuses_new_proposals(client, call_index, applicant, institution):
    call = make_call(call_index, opens_in=3, closes_in=20)
    client.force_login(applicant)
    assert client.post(f"/proposals/new/{call.pk}/", {"title": "太早", "institution": institution.pk}) \
        .status_code == 400


def test_other_institution_anonymous_and_public_see_nothing(client, call, applicant, institution, outsider):
    proposal = make_proposal(call, institution, applicant)
    for url in (f"/proposals/{proposal.pk}/", f"/proposals/{proposal.pk}/edit/"):
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(outsider)
    for url in (f"/proposals/{proposal.pk}/", f"/proposals/{proposal.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert "手机挂号不求人" not in client.get("/proposals/").content.decode()
    assert client.post(f"/proposals/{proposal.pk}/submit/").status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/autosave/", {"version": 1, "title": "x"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT and proposal.title == "手机挂号不求人"
    client.force_login(applicant)
    assert "手机挂号不求人" in client.get("/proposals/").content.decode()


def _autosave(client, proposal, version, **fields):
    data = {"version": version, "title": proposal.title, "summary": "", "syllabus_outline": "",
            "learning_outcomes": "", "delivery_mode": "online", **fields}
    return client.post(f"/proposals/{proposal.pk}/autosave/", data)


def test_autosave_never_overwrites_a_newer_save(client, call, applicant, institution):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(applicant)
    first = _autosave(client, proposal, 1, summary="第一个标签页的摘要")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = _autosave(client, proposal, 1, summary="旧标签页的摘要")
    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    proposal.refresh_from_db()
    assert proposal.summary == "第一个标签页的摘要" and proposal.version == 2


def test_autosave_rejects_bad_input(client, call, applicant, institution):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(applicant)
    assert client.post(f"/proposals/{proposal.pk}/autosave/", {"title": "x"}).status_code == 400
    assert _autosave(client, proposal, 1, delivery_mode="teleport").status_code == 400
    proposal.refresh_from_db()
    assert proposal.version == 1


def _edit_data(proposal, version, **overrides):
    data = {
        "version": version, "title": proposal.title, "summary": "新摘要", "syllabus_outline": "大纲",
        "learning_outcomes": "目标", "delivery_mode": "blended",
        "team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0", "team-MIN_NUM_FORMS": "0", "team-MAX_NUM_FORMS": "30",
        "team-0-name": "李老师", "team-0-role": "助教",
        "milestones-TOTAL_FORMS": "1", "milestones-INITIAL_FORMS": "0", "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "50", "milestones-0-title": "试讲", "milestones-0-due_date": "2030-01-10",
        "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "100", "budget-0-item": "场地", "budget-0-amount": "5000",
    }
    data.update(overrides)
    return data


def test_edit_form_saves_team_milestones_budget_and_checks_version(client, call, applicant, institution):
    proposal = Proposal.objects.create(call=call, institution=institution, created_by=applicant, title="新课")
    client.force_login(applicant)
    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 200
    cv = SimpleUploadedFile("cv.pdf", pdf().read())
    response = client.post(f"/proposals/{proposal.pk}/edit/", {**_edit_data(proposal, 1), "team-0-cv": cv})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.summary == "新摘要" and proposal.version == 2
    member = proposal.team.get()
    assert member.cv_name == "cv.pdf" and member.cv.storage.exists(member.cv.name)
    assert proposal.budget_total() == Decimal("5000")
    stale = client.post(f"/proposals/{proposal.pk}/edit/", _edit_data(proposal, 1, summary="旧版本"))
    assert stale.status_code == 409
    proposal.refresh_from_db()
    assert proposal.summary == "新摘要"


def test_edit_form_refuses_bad_cv_file(client, call, applicant, institution):
    proposal = Proposal.objects.create(call=call, institution=institution, created_by=applicant, title="新课")
    client.force_login(applicant)
    bad = SimpleUploadedFile("cv.pdf", b"#!/bin/sh\necho not a pdf\n")
    response = client.post(f"/proposals/{proposal.pk}/edit/", {**_edit_data(proposal, 1), "team-0-cv": bad})
    assert response.status_code == 400
    assert "not accepted" in response.content.decode() or "不" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.version == 1 and not proposal.team.exists()


def test_submit_keeps_a_version_and_logs(client, call, applicant, institution):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(applicant)
    assert client.post(f"/proposals/{proposal.pk}/submit/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    version = ProposalVersion.objects.get(proposal=proposal)
    assert version.number == 1 and version.snapshot["budget_total"] == "30000.00"
    assert ModelLogEntry.objects.filter(action="proposals.submit", object_id=str(proposal.pk)).exists()
    assert client.post(f"/proposals/{proposal.pk}/submit/").status_code == 400
    assert client.post(f"/proposals/{proposal.pk}/edit/", _edit_data(proposal, proposal.version)).status_code == 400


def test_submit_refused_when_budget_outside_range(client, call, applicant, institution):
    too_low = make_proposal(call, institution, applicant, budget=("500",))
    too_high = make_proposal(call, institution, applicant, title="太贵", budget=("40000", "20000"))
    client.force_login(applicant)
    for proposal in (too_low, too_high):
        response = client.post(f"/proposals/{proposal.pk}/submit/")
        assert response.status_code == 400
        assert "10000" in response.content.decode()
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.DRAFT and not proposal.versions.exists()


def test_submit_refused_when_incomplete(client, call, applicant, institution):
    proposal = Proposal.objects.create(call=call, institution=institution, created_by=applicant, title="空的")
    client.force_login(applicant)
    assert client.post(f"/proposals/{proposal.pk}/submit/").status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_submit_after_close_is_refused(client, call, applicant, institution):
    proposal = make_proposal(call, institution, applicant)
    close_call(call)
    client.force_login(applicant)
    response = client.post(f"/proposals/{proposal.pk}/submit/")
    assert response.status_code == 400
    assert "closed" in response.content.decode() or "截止" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT and not proposal.versions.exists()
    assert _autosave(client, proposal, proposal.version, summary="迟到").status_code == 400


def test_close_moment_is_exact(call, applicant, institution):
    from proposals.services import ActionRefused, submit_proposal

    proposal = make_proposal(call, institution, applicant)
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(microseconds=1))
    with pytest.raises(ActionRefused):
        submit_proposal(applicant, proposal)


def test_withdraw_before_close_but_not_after(client, call, applicant, institution):
    early = make_proposal(call, institution, applicant)
    late = make_proposal(call, institution, applicant, title="晚撤回")
    client.force_login(applicant)
    client.post(f"/proposals/{early.pk}/submit/")
    client.post(f"/proposals/{late.pk}/submit/")
    assert client.post(f"/proposals/{early.pk}/withdraw/").status_code == 302
    early.refresh_from_db()
    assert early.status == Proposal.Status.WITHDRAWN
    close_call(call)
    assert client.post(f"/proposals/{late.pk}/withdraw/").status_code == 400
    late.refresh_from_db()
    assert late.status == Proposal.Status.SUBMITTED


def test_attachment_validated_and_stored_privately(client, call, applicant, institution, settings, tmp_path):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(applicant)
    url = f"/proposals/{proposal.pk}/attachments/"
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 this is an executable")
    assert client.post(url, {"file": fake}).status_code == 400
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(url, {"file": big})
    assert response.status_code == 400 and "MB" in response.content.decode()
    assert not ProposalAttachment.objects.exists()
    assert client.post(url, {"file": pdf("计划书.pdf")}).status_code == 302
    attachment = ProposalAttachment.objects.get()
    assert attachment.mime_type == "application/pdf"
    stored = tmp_path / "private" / attachment.file.name
    assert stored.exists()
    assert not (tmp_path / "media" / attachment.file.name).exists()
    download = client.get(f"/proposals/files/attachment/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_private_files_refused_to_others(client, call, applicant, institution, outsider, reviewers):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(applicant)
    client.post(f"/proposals/{proposal.pk}/attachments/", {"file": pdf()})
    attachment = ProposalAttachment.objects.get()
    cv = proposal.team.get()
    client.logout()
    assert client.get(f"/proposals/files/attachment/{attachment.pk}/").status_code == 302
    for user in (outsider, reviewers[0], UserFactory()):
        client.force_login(user)
        assert client.get(f"/proposals/files/attachment/{attachment.pk}/").status_code == 403
        assert client.get(f"/proposals/files/cv/{cv.pk}/").status_code == 403
    assert client.get(f"/proposals/files/other/{cv.pk}/").status_code == 404


def test_attachment_cannot_be_added_by_others_or_after_submit(client, call, applicant, institution, outsider):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(outsider)
    assert client.post(f"/proposals/{proposal.pk}/attachments/", {"file": pdf()}).status_code == 404
    client.force_login(applicant)
    client.post(f"/proposals/{proposal.pk}/submit/")
    assert client.post(f"/proposals/{proposal.pk}/attachments/", {"file": pdf()}).status_code == 400
    assert not ProposalAttachment.objects.exists()


def test_budget_lines_cannot_be_negative(client, call, applicant, institution):
    proposal = Proposal.objects.create(call=call, institution=institution, created_by=applicant, title="新课")
    client.force_login(applicant)
    response = client.post(f"/proposals/{proposal.pk}/edit/", _edit_data(proposal, 1, **{"budget-0-amount": "-5"}))
    assert response.status_code == 400
    assert not BudgetLine.objects.exists()


def test_submitted_versions_are_kept_and_private(client, call, applicant, institution, outsider):
    proposal = make_proposal(call, institution, applicant)
    client.force_login(applicant)
    client.post(f"/proposals/{proposal.pk}/submit/")
    Proposal.objects.filter(pk=proposal.pk).update(summary="提交后被改动的摘要")
    page = client.get(f"/proposals/{proposal.pk}/versions/1/")
    assert page.status_code == 200
    assert "教老年人使用手机挂号。" in page.content.decode() and "提交后被改动" not in page.content.decode()
    assert client.get(f"/proposals/{proposal.pk}/versions/2/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/proposals/{proposal.pk}/versions/1/").status_code == 404
