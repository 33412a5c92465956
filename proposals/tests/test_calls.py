import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from proposals.models import CallPage
from proposals.public import open_calls
from proposals.tests.fixtures import make_call
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_calls_index_lists_open_upcoming_and_closed(client, call_index):
    make_call(call_index, title="正在征集的课程")
    make_call(call_index, title="即将开放的征集", opens_in=5, closes_in=30)
    make_call(call_index, title="已经截止的征集", opens_in=-30, closes_in=-1)
    make_call(call_index, title="未发布的征集", publish=False)
    response = client.get("/calls/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("正在征集的课程") < body.index("即将开放的征集") < body.index("已经截止的征集")
    assert "未发布的征集" not in body
    assert [c.title for c in open_calls(5)] == ["正在征集的课程"]


def test_call_page_shows_rubric_budget_and_dates(client, call):
    body = client.get(call.url).content.decode()
    assert "需求相关性" in body and "设计质量" in body
    assert "10000.00" in body and "50000.00" in body
    assert call.public_state() == "open"


def test_phase_change_refused_to_non_managers(client, call, applicant):
    client.force_login(applicant)  # an institution editor: has Wagtail admin access, but is no call manager
    response = client.post(f"/admin/commissioning/calls/{call.pk}/phase/", {"phase": "review"})
    assert response.status_code == 403
    assert client.get(f"/admin/commissioning/calls/{call.pk}/").status_code == 403
    assert client.get(f"/admin/commissioning/calls/{call.pk}/ranking.csv").status_code == 403
    call.refresh_from_db()
    assert call.phase == CallPage.Phase.OPEN


def test_phase_cannot_move_to_review_before_close(client, call, manager):
    client.force_login(manager)
    response = client.post(f"/admin/commissioning/calls/{call.pk}/phase/", {"phase": "review"})
    assert response.status_code == 400
    with translation.override(settings.LANGUAGE_CODE):  # the admin answers in the site's default language
        reason = translation.gettext("Review can start only after the call has closed.")
    assert reason in response.content.decode()
    call.refresh_from_db()
    assert call.phase == CallPage.Phase.OPEN


def test_phase_transitions_only_along_the_workflow(client, call, manager):
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(manager)
    url = f"/admin/commissioning/calls/{call.pk}/phase/"
    assert client.post(url, {"phase": "decision"}).status_code == 400
    assert client.post(url, {"phase": "review"}).status_code == 302
    assert client.post(url, {"phase": "open"}).status_code == 400
    assert client.post(url, {"phase": "decision"}).status_code == 302
    assert client.post(url, {"phase": "closed"}).status_code == 302
    call.refresh_from_db()
    assert call.phase == CallPage.Phase.CLOSED
    assert PageLogEntry.objects.filter(page=call, action="proposals.call_phase").count() == 3


def test_commissioning_admin_refuses_plain_users(client, call):
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/admin/commissioning/").status_code in (302, 403)
    assert client.get(f"/admin/commissioning/calls/{call.pk}/").status_code in (302, 403)


def test_call_managers_can_edit_call_pages(client, call, manager):
    client.force_login(manager)
    assert client.get(f"/admin/pages/{call.pk}/edit/").status_code == 200


def test_call_managers_create_a_call_in_the_page_editor(client, call_index, manager):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    client.force_login(manager)
    data = nested_form_data({
        "title": "社区养老课程征集", "slug": "elderly-care",
        "problem_statement": rich_text("<p>社区缺少照护课程。</p>"),
        "expected_outcomes": "会照护", "budget_min": "1000", "budget_max": "20000", "number_of_awards": "2",
        "opens_at": "2030-01-01 09:00", "closes_at": "2030-02-01 17:00",
        "criteria": inline_formset([{"name": "相关性", "description": "", "max_score": "5", "weight": "2"}]),
        "reviewers_per_proposal": "2", "disagreement_threshold": "15",
        "faq": streamfield([("faq", {"question": "谁能申请？", "answer": rich_text("<p>社区学校。</p>")})]),
        "attachments": inline_formset([]),
    })
    data["action-publish"] = "action-publish"
    data["eligible_institution_types"] = ["library", "community_school"]
    response = client.post(f"/admin/pages/add/proposals/callpage/{call_index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    call = CallPage.objects.get(slug="elderly-care")
    assert call.live and call.eligible_institution_types == ["library", "community_school"]
    assert call.criteria.get().weight == 2
    assert call.opens_at.utcoffset() is not None

    bad = dict(data, slug="bad-dates", closes_at="2029-12-01 09:00", budget_max="10")
    response = client.post(f"/admin/pages/add/proposals/callpage/{call_index.pk}/", bad)
    assert response.status_code == 200
    assert not CallPage.objects.filter(slug="bad-dates").exists()


def test_roles_exist_after_migrate(db):
    from django.contrib.auth.models import Group

    managers = Group.objects.get(name="Call managers")
    assert managers.permissions.filter(codename="access_admin").exists()
    assert managers.permissions.filter(codename="moderate_demandtopic").exists()
    assert Group.objects.filter(name="Reviewers").exists()
