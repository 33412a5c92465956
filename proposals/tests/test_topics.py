import pytest
from wagtail.models import ModelLogEntry

from proposals.models import CallPage, DemandTopic, TopicVote
from proposals.similarity import similarity
from tests.factories import UserFactory, audience

pytestmark = pytest.mark.django_db


def _topic(title, user=None, **fields):
    from proposals.services import suggest_topic

    return suggest_topic(user or UserFactory(), title=title, **fields)


def test_bigram_similarity_matches_chinese_variants():
    assert similarity("太极拳入门", "太极拳 入门班") >= 0.5
    assert similarity("智能手机使用", "智能手机的使用") >= 0.5
    assert similarity("太极拳入门", "英语口语") == 0
    assert similarity("Smartphone basics", "smartphone  BASICS!") == 1


def test_anonymous_cannot_suggest_or_vote(client, site):
    topic = _topic("书法入门")
    assert client.post("/topics/suggest/", {"title": "围棋"}).status_code == 302
    assert client.post(f"/topics/{topic.pk}/vote/").status_code == 302
    assert DemandTopic.objects.count() == 1
    assert TopicVote.objects.filter(topic=topic).count() == 1


def test_suggest_creates_topic_supported_by_its_author(client, site):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/topics/suggest/", {"title": "手机视频通话", "description": "想和孙子视频",
                                                "audience": audience("seniors").pk if _has("seniors") else ""})
    assert response.status_code == 302
    topic = DemandTopic.objects.get()
    assert topic.status == DemandTopic.Status.PENDING
    assert list(topic.votes.values_list("user", flat=True)) == [user.pk]
    assert ModelLogEntry.objects.filter(action="proposals.topic_suggest", object_id=str(topic.pk)).exists()


def _has(slug):
    from catalogue.models import Audience

    return Audience.objects.filter(slug=slug).exists()


def test_similar_title_warns_and_offers_existing_topic(client, site):
    existing = _topic("智能手机使用入门")
    client.force_login(UserFactory())
    response = client.post("/topics/suggest/", {"title": "智能手机的使用入门"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "智能手机使用入门" in body and f"/topics/{existing.pk}/vote/" in body
    assert DemandTopic.objects.count() == 1
    confirmed = client.post("/topics/suggest/", {"title": "智能手机的使用入门", "confirm_new": "1"})
    assert confirmed.status_code == 302
    assert DemandTopic.objects.count() == 2
    assert client.get("/topics/similar/", {"title": "智能手机使用"}).json()["results"]


def test_one_vote_per_person_per_topic(client, site):
    topic = _topic("太极拳")
    voter = UserFactory()
    client.force_login(voter)
    client.post(f"/topics/{topic.pk}/vote/")
    client.post(f"/topics/{topic.pk}/vote/")
    assert topic.votes.count() == 2
    client.post(f"/topics/{topic.pk}/vote/", {"action": "withdraw"})
    assert topic.votes.count() == 1


def test_voting_is_rate_limited(client, site, settings):
    settings.DEMAND_VOTE_RATE = "2/m"
    topics = [_topic(f"课程主题{i}号") for i in range(3)]
    client.force_login(UserFactory())
    assert client.post(f"/topics/{topics[0].pk}/vote/").status_code == 302
    assert client.post(f"/topics/{topics[1].pk}/vote/").status_code == 302
    refused = client.post(f"/topics/{topics[2].pk}/vote/")
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode() or "请" in refused.content.decode()
    assert topics[2].votes.count() == 1


def test_suggesting_is_rate_limited(client, site, settings):
    settings.DEMAND_SUGGEST_RATE = "1/m"
    client.force_login(UserFactory())
    assert client.post("/topics/suggest/", {"title": "摄影基础"}).status_code == 302
    assert client.post("/topics/suggest/", {"title": "烘焙入门"}).status_code == 429
    assert DemandTopic.objects.count() == 1


def test_rejected_and_merged_topics_take_no_votes(client, site, manager):
    from proposals.services import reject_topic

    topic = _topic("某主题")
    reject_topic(manager, topic, "不属于学习需求")
    client.force_login(UserFactory())
    assert client.post(f"/topics/{topic.pk}/vote/").status_code == 400
    assert topic.votes.count() == 1


def test_moderation_refused_to_public_users(client, site):
    topic = _topic("瑜伽")
    client.force_login(UserFactory())
    assert client.post(f"/admin/demand/{topic.pk}/approve/").status_code in (302, 403)
    topic.refresh_from_db()
    assert topic.status == DemandTopic.Status.PENDING


def test_reject_needs_reason_and_changes_nothing_without(client, site, manager):
    topic = _topic("瑜伽")
    client.force_login(manager)
    response = client.post(f"/admin/demand/{topic.pk}/reject/", {"reason": " "})
    assert response.status_code == 400
    topic.refresh_from_db()
    assert topic.status == DemandTopic.Status.PENDING
    assert client.post(f"/admin/demand/{topic.pk}/reject/", {"reason": "重复且不清楚"}).status_code == 302
    topic.refresh_from_db()
    assert topic.status == DemandTopic.Status.REJECTED and topic.rejection_reason == "重复且不清楚"


def test_merge_moves_votes_without_double_counting(client, site, manager):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    target = _topic("老年人智能手机", user=alice)
    duplicate = _topic("老人智能手机课", user=bob)
    TopicVote.objects.create(topic=duplicate, user=alice)
    TopicVote.objects.create(topic=duplicate, user=carol)
    client.force_login(manager)
    assert client.post(f"/admin/demand/{duplicate.pk}/merge/", {"into": target.pk}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == DemandTopic.Status.MERGED and duplicate.merged_into == target
    assert set(target.votes.values_list("user", flat=True)) == {alice.pk, bob.pk, carol.pk}
    assert client.post(f"/admin/demand/{target.pk}/merge/", {"into": target.pk}).status_code == 400
    assert client.get(f"/topics/{duplicate.pk}/").status_code == 302


def test_rankings_by_support_and_audience(client, site, manager):
    from catalogue.models import Audience

    group = Audience.objects.first()
    popular = _topic("热门主题", audience=group)
    quiet = _topic("冷门主题")
    for _ in range(3):
        TopicVote.objects.create(topic=popular, user=UserFactory())
    body = client.get("/topics/").content.decode()
    assert body.index("热门主题") < body.index("冷门主题")
    filtered = client.get("/topics/", {"audience": group.pk}).content.decode()
    assert "热门主题" in filtered and "冷门主题" not in filtered
    client.force_login(manager)
    admin_list = client.get("/admin/demand/").content.decode()
    assert admin_list.index("热门主题") < admin_list.index("冷门主题")
    assert quiet.pk


def test_call_managers_turn_approved_topics_into_a_draft_call(client, site, manager):
    from proposals.services import approve_topic

    first, second, pending = _topic("手机挂号"), _topic("网上缴费"), _topic("未审核主题")
    approve_topic(manager, first)
    approve_topic(manager, second)
    client.force_login(manager)
    refused = client.post("/admin/demand/to-call/", {"topics": [first.pk, pending.pk]})
    assert refused.status_code == 400
    assert not CallPage.objects.exists()
    response = client.post("/admin/demand/to-call/", {"topics": [first.pk, second.pk]})
    assert response.status_code == 302
    call = CallPage.objects.get()
    assert not call.live
    assert set(call.demand_topics.all()) == {first, second}
    assert response["Location"] == f"/admin/pages/{call.pk}/edit/"


def test_editors_who_are_not_call_managers_cannot_open_calls(client, site):
    from django.contrib.auth.models import Group

    from catalogue.roles import PLATFORM_EDITORS
    from proposals.services import approve_topic

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=PLATFORM_EDITORS))
    topic = _topic("书法")
    approve_topic(editor, topic)
    client.force_login(editor)
    assert client.post("/admin/demand/to-call/", {"topics": [topic.pk]}).status_code == 403
    assert not CallPage.objects.exists()


def test_moderation_page_sums_support_by_audience_and_area(client, site, manager):
    from catalogue.models import Audience
    from tests.factories import AreaFactory

    group, district = Audience.objects.first(), AreaFactory(name="静安区")
    first = _topic("园艺", audience=group, area=district)
    _topic("茶艺", audience=group)
    TopicVote.objects.create(topic=first, user=UserFactory())
    client.force_login(manager)
    body = client.get("/admin/demand/").content.decode()
    by_audience = body[body.index('id="by-audience"'):body.index('id="by-area"')]
    assert group.name in by_audience and "<td>2</td><td>3</td>" in by_audience
    assert district.name in body[body.index('id="by-area"'):]
    by_city = client.get("/topics/", {"area": district.parent_id}).content.decode()  # the district's city
    assert "园艺" in by_city and "茶艺" not in by_city


def test_institution_editors_with_admin_access_cannot_moderate(client, site, institution):
    from tests.factories import add_member

    editor = UserFactory()
    add_member(editor, institution)
    topic = _topic("插花")
    client.force_login(editor)
    assert client.get("/admin/demand/").status_code == 403
    assert client.post(f"/admin/demand/{topic.pk}/approve/").status_code == 403
    topic.refresh_from_db()
    assert topic.status == DemandTopic.Status.PENDING
