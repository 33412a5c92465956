import pytest
from django.core.management import call_command

from proposals.models import CallPage, DemandTopic, Proposal
from tests.factories import create_institution

pytestmark = pytest.mark.django_db


def test_commissioning_demo_builds_topics_an_open_call_and_submitted_proposals(client, catalogue):
    for name in ("示范社区学院", "开放大学", "城市图书馆"):
        create_institution(name)
    call_command("seed_commissioning_demo", verbosity=0)

    call = CallPage.objects.get()
    assert call.is_accepting_proposals()
    assert call.criteria.count() == 6
    assert DemandTopic.objects.filter(status=DemandTopic.Status.APPROVED).count() == 8
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 3
    assert Proposal.objects.filter(status=Proposal.Status.DRAFT).count() == 0  # only three institutions
    assert client.get("/calls/").status_code == 200
    assert call.title in client.get(call.url).content.decode()
    assert client.login(username="member1", password="learn-anywhere-2026")
    assert client.get("/proposals/").status_code == 200

    call_command("seed_commissioning_demo", "--if-empty", verbosity=0)
    assert CallPage.objects.count() == 1
