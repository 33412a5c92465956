"""XSS, fuzz and rate-limit rows for demand topics, proposals, reviews and freshness reports. They join the
tables only when those views exist (same switch as matrix_commissioning)."""

from __future__ import annotations

from .matrix_commissioning import ENABLED
from .roles import INSTITUTION_MEMBER, LEARNER, REVIEWER

__all__ = ["ENABLED", "fuzz_targets", "rate_limited", "xss_forms"]


def _draft_setup() -> dict:
    from tests.factories import create_institution

    return {"institution": create_institution("表格测试学院")}


def _make_draft(objs: dict) -> None:
    from proposals.models import CallIndexPage
    from proposals.tests.fixtures import make_call, make_proposal

    index = CallIndexPage.objects.filter(locale=objs["institution"].locale).first()
    objs["call"] = make_call(index, title="表格测试征集")
    objs["draft"] = make_proposal(objs["call"], objs["institution"], objs["users"][INSTITUTION_MEMBER])


def _autosave_base(objs: dict) -> dict:
    from proposals.models import Proposal

    draft = Proposal.objects.get(pk=objs["draft"].pk)  # the version moves on with every save
    return {"title": draft.title, "summary": draft.summary, "syllabus_outline": draft.syllabus_outline,
            "learning_outcomes": draft.learning_outcomes, "delivery_mode": draft.delivery_mode,
            "version": draft.version}


def _assign_reviewer(objs: dict) -> None:
    from proposals.models import Proposal
    from reviews.models import Assignment

    _make_draft(objs)
    Proposal.objects.filter(pk=objs["draft"].pk).update(status=Proposal.Status.SUBMITTED)
    type(objs["call"]).objects.filter(pk=objs["call"].pk).update(phase="review")
    Assignment.objects.create(proposal=objs["draft"], reviewer=objs["users"][REVIEWER])


def _course_setup() -> dict:
    from tests.factories import create_course, create_institution, run_dates

    institution = create_institution("表格测试学院")
    return {"institution": institution, "course": create_course(institution, "表格测试课程", runs=[run_dates(5)])}


def _topic_pages(objs: dict) -> list[str]:
    from proposals.models import DemandTopic

    return ["/topics/"] + [f"/topics/{pk}/" for pk in DemandTopic.objects.values_list("pk", flat=True)]


def xss_forms(XssForm) -> list:
    return [
        XssForm("topic-suggest", lambda objs: "/topics/suggest/", ("title", "description"), method="post",
                base=lambda objs: {"title": "手机挂号", "description": "教老人用手机", "confirm_new": "on"},
                role=LEARNER, follow_up=_topic_pages),
        XssForm("topic-filters", lambda objs: "/topics/", ("audience", "area", "page")),
        XssForm("topic-similar", lambda objs: "/topics/similar/", ("title",)),
        # Autosave stores the text; the detail, edit and list pages then show it.
        XssForm("proposal-text", lambda objs: f"/proposals/{objs['draft'].pk}/autosave/",
                ("title", "summary", "syllabus_outline", "learning_outcomes"), method="post",
                base=_autosave_base, role=INSTITUTION_MEMBER, setup=_draft_setup, prepare=_make_draft,
                follow_up=lambda objs: [f"/proposals/{objs['draft'].pk}/", f"/proposals/{objs['draft'].pk}/edit/",
                                        "/proposals/"]),
        XssForm("review-comments", lambda objs: f"/reviews/proposals/{objs['draft'].pk}/",
                ("panel_comments", "applicant_comments", "recommendation"), method="post",
                base=lambda objs: {"panel_comments": "好", "applicant_comments": "好", "action": "save"},
                role=REVIEWER, setup=_draft_setup, prepare=_assign_reviewer,
                follow_up=lambda objs: [f"/reviews/proposals/{objs['draft'].pk}/", "/reviews/"]),
        XssForm("report-outdated", lambda objs: f"/freshness/courses/{objs['course'].pk}/report/", ("note",),
                method="post", role=LEARNER, setup=_course_setup,
                follow_up=lambda objs: [objs["course"].url]),
        XssForm("rate-course", lambda objs: f"/freshness/courses/{objs['course'].pk}/rate/", ("score",),
                method="post", role=LEARNER, setup=_course_setup),
    ]


def fuzz_targets(FuzzTarget) -> list:
    return [
        FuzzTarget("topic-filters", lambda objs: "/topics/", ("audience", "area", "page")),
        FuzzTarget("topic-similar", lambda objs: "/topics/similar/", ("title",), json_errors=True),
        FuzzTarget("topic-suggest", lambda objs: "/topics/suggest/",
                   ("title", "description", "audience", "area", "confirm_new"), method="post", role=LEARNER),
        FuzzTarget("proposal-form", lambda objs: f"/proposals/{objs['draft'].pk}/edit/",
                   ("title", "summary", "syllabus_outline", "learning_outcomes", "delivery_mode", "version",
                    "team-TOTAL_FORMS", "team-INITIAL_FORMS", "team-0-name", "team-0-role"),
                   method="post", role=INSTITUTION_MEMBER, setup=_draft_setup, prepare=_make_draft),
        FuzzTarget("proposal-autosave", lambda objs: f"/proposals/{objs['draft'].pk}/autosave/",
                   ("title", "summary", "syllabus_outline", "learning_outcomes", "delivery_mode", "version"),
                   method="post", role=INSTITUTION_MEMBER, setup=_draft_setup, prepare=_make_draft,
                   json_errors=True),
        FuzzTarget("report-outdated", lambda objs: f"/freshness/courses/{objs['course'].pk}/report/", ("note",),
                   method="post", role=LEARNER, setup=_course_setup),
        FuzzTarget("rate-course", lambda objs: f"/freshness/courses/{objs['course'].pk}/rate/", ("score",),
                   method="post", role=LEARNER, setup=_course_setup),
    ]


def _topic_setup() -> dict:
    from proposals.models import DemandTopic

    return {"topic": DemandTopic.objects.create(title="限流测试需求", status=DemandTopic.Status.APPROVED)}


def rate_limited(Limited) -> list:
    return [
        Limited("topic-suggest", lambda objs: "/topics/suggest/",
                lambda objs: {"title": f"需求{objs.setdefault('n', 0)}", "confirm_new": "on"},
                "DEMAND_SUGGEST_RATE", role=LEARNER),
        Limited("topic-vote", lambda objs: f"/topics/{objs['topic'].pk}/vote/", lambda objs: {},
                "DEMAND_VOTE_RATE", role=LEARNER, setup=_topic_setup),
        Limited("report-outdated", lambda objs: f"/freshness/courses/{objs['course'].pk}/report/",
                lambda objs: {"note": "时间变了"}, "FRESHNESS.report_rate", role=LEARNER, setup=_course_setup),
    ]
