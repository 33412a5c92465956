"""Demo commissioning data for `make run`: learning-demand topics with support, an open call with a rubric,
and proposals from demo institutions, plus a call manager, reviewers and an institution member to sign in as.
Everything goes through the same services the site uses, so the audit log and rules apply."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from catalogue.models import Audience, InstitutionPage, Membership

from . import services
from .models import BudgetLine, CallPage, DemandTopic, Milestone, RubricCriterion, TeamMember
from .roles import CALL_MANAGERS, REVIEWERS

DEMO_PASSWORD = "learn-anywhere-2026"
TOPICS = [
    ("用手机预约挂号和看病", "seniors"), ("识别电信诈骗", "seniors"),
    ("外卖骑手交通安全与权益", "delivery-workers"), ("电动车维修基础", "delivery-workers"),
    ("短视频直播卖农产品", "rural-learners"), ("果树病虫害绿色防治", "rural-learners"),
    ("孩子沉迷手机怎么办", "parents-children"), ("用AI工具写工作总结", "employees"), ("太极拳入门", "everyone"),
    ("手语日常交流", "disabilities"), ("家庭急救与心肺复苏", "everyone"), ("老年人智能手机视频通话", "seniors"),
]
RUBRIC = [
    ("需求相关性", "与征集需求和目标人群的契合程度", 5, "2"), ("课程设计质量", "目标、内容与活动是否清晰可行", 5, "2"),
    ("团队能力", "讲师与团队的经验", 5, "1"), ("可行性与进度", "计划与里程碑是否可信", 5, "1"),
    ("经费合理性", "预算是否物有所值", 5, "1"), ("无障碍与包容", "是否照顾老年人与残障人士", 5, "1"),
]


def demo_user(username: str, *, groups: tuple[str, ...] = ()):
    user, created = get_user_model().objects.get_or_create(username=username,
                                                           defaults={"email": f"{username}@example.org"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@transaction.atomic
def seed_commissioning_demo(seed: int = 2026) -> dict:
    rng = random.Random(seed)
    manager = demo_user("call-manager", groups=(CALL_MANAGERS,))
    reviewers = [demo_user(f"reviewer{i}", groups=(REVIEWERS,)) for i in range(1, 5)]
    learners = [demo_user(f"learner{i}") for i in range(1, 31)]
    topics = seed_topics(learners, rng)
    call = seed_open_call(manager, topics[:3])
    members = seed_proposals(call, rng)
    return {"manager": manager, "reviewers": reviewers, "members": members, "call": call, "topics": topics}


def seed_topics(learners: list, rng: random.Random) -> list[DemandTopic]:
    audiences = {a.slug: a for a in Audience.objects.all()}
    topics = []
    for title, audience_slug in TOPICS:
        author = rng.choice(learners)
        topic = services.suggest_topic(author, title=title, description=f"希望能学习{title}，最好在社区就近上课。",
                                       audience=audiences.get(audience_slug))
        for supporter in rng.sample(learners, rng.randint(2, 25)):
            services.vote_for_topic(supporter, topic)
        topics.append(topic)
    DemandTopic.objects.filter(pk__in=[t.pk for t in topics[:8]]).update(status=DemandTopic.Status.APPROVED)
    return sorted(topics, key=lambda t: -t.votes.count())


def seed_open_call(manager, topics: list[DemandTopic]) -> CallPage:
    index = services.call_index()
    now = timezone.now()
    call = CallPage(
        title="老年人数字生活课程征集", budget_min=Decimal("20000"), budget_max=Decimal("80000"), number_of_awards=2,
        problem_statement="<p>很多老年人不会用手机挂号、视频通话和识别诈骗信息。征集面向老年人的数字生活课程。</p>",
        expected_outcomes="学员能独立用手机预约挂号\n学员能识别常见诈骗短信\n课程可在社区学习点开设",
        opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=30),
    )
    for order, (name, description, max_score, weight) in enumerate(RUBRIC):
        call.criteria.add(RubricCriterion(name=name, description=description, max_score=max_score,
                                          weight=Decimal(weight), sort_order=order))
    index.add_child(instance=call)
    call.demand_topics.set(topics)
    call.save_revision(user=manager).publish()
    return call


def seed_proposals(call: CallPage, rng: random.Random) -> list:
    members = []
    for number, institution in enumerate(InstitutionPage.objects.filter(locale=call.locale).order_by("pk")[:4], 1):
        member = demo_user(f"member{number}")
        Membership.objects.get_or_create(user=member, institution=institution)
        proposal = services.create_proposal(member, call, institution, f"{institution.title}：长者手机生活课")
        proposal.summary = "十次课，带长者学会挂号、视频通话、移动支付与防诈骗。"
        proposal.syllabus_outline = "1. 手机基础\n2. 预约挂号\n3. 视频通话\n4. 移动支付\n5. 识别诈骗"
        proposal.learning_outcomes = "能独立预约挂号\n能识别诈骗短信"
        proposal.save()
        TeamMember.objects.create(proposal=proposal, name=f"王老师{number}", role="主讲")
        Milestone.objects.create(proposal=proposal, title="课程上线", due_date=call.closes_at.date()
                                 + datetime.timedelta(days=90))
        BudgetLine.objects.create(proposal=proposal, item="讲师课酬", amount=Decimal(rng.randrange(20000, 60000, 1000)))
        if number <= 3:
            services.submit_proposal(member, proposal)
        members.append(member)
    return members
