"""Permission-matrix rows for demand topics, calls and proposals, reviews, commissions and the freshness
reports. They join MATRIX only when those apps' views exist, so the table can land before them."""

from __future__ import annotations

import importlib.util

from django.core.files.uploadedfile import SimpleUploadedFile

from .roles import (
    CALL_MANAGER,
    EDITORS,
    EVERYONE,
    INSTITUTION_STAFF,
    PLATFORM_EDITOR,
    REVIEWER,
    SIGNED_IN,
    SUPERUSER,
    World,
)

ENABLED = all(importlib.util.find_spec(module) is not None
              for module in ("proposals.urls", "reviews.urls", "catalogue.freshness_views"))

MANAGERS = frozenset({CALL_MANAGER, SUPERUSER})
MODERATORS = frozenset({CALL_MANAGER, PLATFORM_EDITOR, SUPERUSER})
APPLICANTS = INSTITUTION_STAFF
APPLICANTS_AND_MANAGERS = INSTITUTION_STAFF | MANAGERS
# Call managers get Wagtail admin access from the proposals app (for call pages and documents).
ADMIN_USERS = EDITORS | ({CALL_MANAGER} if ENABLED else set())


def build_commissioning_world(world: World) -> None:
    """A published call in review, a submitted proposal assigned to the reviewer, a draft proposal with an
    attachment, a demand topic, a commission with a milestone."""
    from proposals.models import CallIndexPage, DemandTopic, Proposal, ProposalAttachment
    from proposals.services import submit_proposal
    from proposals.tests.fixtures import PDF_BYTES, make_call, make_proposal
    from reviews.models import Assignment, Commission, CommissionMilestone

    index = CallIndexPage.objects.filter(locale=world.institution.locale).first()
    open_call = make_call(index, title="矩阵征集")
    applicant = world.users["institution_member"]
    draft = make_proposal(open_call, world.institution, applicant, title="矩阵草稿方案")
    attachment, attachment_to_delete = (ProposalAttachment.objects.create(
        proposal=draft, file=SimpleUploadedFile(name, PDF_BYTES), original_name=name,
        mime_type="application/pdf", size=len(PDF_BYTES), uploaded_by=applicant,
    ) for name in ("plan.pdf", "old-plan.pdf"))
    to_submit = make_proposal(open_call, world.institution, applicant, title="矩阵已提交（开放中）")
    submit_proposal(applicant, to_submit)  # a real first version, as the applicant would make it
    review_call = make_call(index, title="矩阵评审中")
    submitted = make_proposal(review_call, world.institution, applicant, title="矩阵已提交方案",
                              status=Proposal.Status.SUBMITTED)
    unassigned = make_proposal(review_call, world.institution, applicant, title="矩阵未分配方案",
                               status=Proposal.Status.SUBMITTED)
    type(review_call).objects.filter(pk=review_call.pk).update(phase="review")
    Assignment.objects.create(proposal=submitted, reviewer=world.users[REVIEWER])
    decision_call = make_call(index, title="矩阵决定中")
    to_decide = make_proposal(decision_call, world.institution, applicant, title="矩阵待决定方案",
                              status=Proposal.Status.SUBMITTED)
    type(decision_call).objects.filter(pk=decision_call.pk).update(phase="decision")
    awarded = make_proposal(review_call, world.institution, applicant, title="矩阵已资助方案",
                            status=Proposal.Status.AWARDED)
    commission = Commission.objects.create(proposal=awarded, call=review_call)
    milestone = CommissionMilestone.objects.create(commission=commission, title="教材初稿",
                                                   due_date=world.own_course.go_live_at or _today())
    topic = DemandTopic.objects.create(title="矩阵需求：手机挂号", status=DemandTopic.Status.APPROVED)
    pending_topic = DemandTopic.objects.create(title="矩阵待审需求", status=DemandTopic.Status.PENDING)
    world.extras.update(open_call=open_call, draft=draft, attachment=attachment,
                        attachment_to_delete=attachment_to_delete, review_call=review_call,
                        submitted=submitted, milestone=milestone, topic=topic, pending_topic=pending_topic,
                        submitted_open=to_submit, unassigned=unassigned, to_decide=to_decide)


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _x(key: str, attr: str = "pk"):
    return lambda world: getattr(world.extras[key], attr)


def _draft_form(world: World) -> dict:
    draft = world.extras["draft"]
    return {"title": draft.title, "summary": draft.summary, "syllabus_outline": draft.syllabus_outline,
            "learning_outcomes": draft.learning_outcomes, "delivery_mode": draft.delivery_mode,
            "version": draft.version}


def _pdf(world: World) -> dict:
    from proposals.tests.fixtures import PDF_BYTES

    return {"file": SimpleUploadedFile("extra.pdf", PDF_BYTES, content_type="application/pdf")}


def rows():
    from .permission_matrix import Route

    return [
        # Learning demand: public to read, signed-in to suggest and vote, editors and call managers moderate.
        Route("proposals:topics", EVERYONE),
        Route("proposals:topic", EVERYONE, kwargs=lambda w: {"pk": _x("topic")(w)}),
        Route("proposals:topic_similar", EVERYONE, path=lambda w: "/topics/similar/?title=手机挂号"),
        Route("proposals:topic_suggest", SIGNED_IN),
        Route("proposals:topic_vote", SIGNED_IN, kwargs=lambda w: {"pk": _x("topic")(w)}, method="post", ok=(302,)),
        Route("proposals_admin:topics", MODERATORS),
        Route("proposals_admin:approve", MODERATORS, kwargs=lambda w: {"pk": _x("pending_topic")(w)},
              method="post", ok=(302,)),
        Route("proposals_admin:reject", MODERATORS, kwargs=lambda w: {"pk": _x("pending_topic")(w)},
              method="post", data=lambda w: {"reason": "重复"}, ok=(302,)),
        Route("proposals_admin:merge", MODERATORS, kwargs=lambda w: {"pk": _x("pending_topic")(w)},
              method="post", data=lambda w: {"into": _x("topic")(w)}, ok=(302,)),
        Route("proposals_admin:to_call", MANAGERS, method="post", data=lambda w: {"topics": [_x("topic")(w)]},
              ok=(200, 302)),
        # Proposals: the proposing institution's staff; call managers read them.
        Route("proposals:mine", SIGNED_IN),
        Route("proposals:new", APPLICANTS, kwargs=lambda w: {"call_id": _x("open_call")(w)}),
        # Call managers read proposals in the review admin (reviews_admin:proposal), not here.
        Route("proposals:detail", APPLICANTS, kwargs=lambda w: {"pk": _x("submitted")(w)}),
        Route("proposals:edit", APPLICANTS, kwargs=lambda w: {"pk": _x("draft")(w)}),
        Route("proposals:version", APPLICANTS, kwargs=lambda w: {"pk": _x("submitted_open")(w), "number": 1}),
        Route("proposals:autosave", APPLICANTS, kwargs=lambda w: {"pk": _x("draft")(w)}, method="post",
              data=_draft_form),
        Route("proposals:submit", APPLICANTS, kwargs=lambda w: {"pk": _x("draft")(w)}, method="post",
              ok=(200, 302)),
        Route("proposals:withdraw", APPLICANTS, kwargs=lambda w: {"pk": _x("submitted_open")(w)}, method="post",
              ok=(302,)),
        Route("proposals:attachment_upload", APPLICANTS, kwargs=lambda w: {"pk": _x("draft")(w)}, method="post",
              data=_pdf, ok=(302,)),
        Route("proposals:attachment_delete", APPLICANTS,
              kwargs=lambda w: {"pk": _x("draft")(w), "attachment_id": _x("attachment_to_delete")(w)}, method="post",
              ok=(302,)),
        Route("proposals:download", APPLICANTS_AND_MANAGERS,
              kwargs=lambda w: {"kind": "attachment", "pk": _x("attachment")(w)}),
        # Reviews: assigned reviewers only; call managers run the calls.
        Route("reviews:mine", SIGNED_IN),
        Route("reviews:review", frozenset({REVIEWER}), kwargs=lambda w: {"proposal_id": _x("submitted")(w)}),
        Route("reviews:conflict", frozenset({REVIEWER}), kwargs=lambda w: {"proposal_id": _x("submitted")(w)},
              method="post", data=lambda w: {"reason": "我是申请机构的顾问"}, ok=(302,)),
        Route("reviews:milestone_done", APPLICANTS_AND_MANAGERS, kwargs=lambda w: {"pk": _x("milestone")(w)},
              method="post", ok=(302,)),
        Route("reviews_admin:calls", MANAGERS),
        Route("reviews_admin:call", MANAGERS, kwargs=lambda w: {"call_id": _x("review_call")(w)}),
        Route("reviews_admin:phase", MANAGERS, kwargs=lambda w: {"call_id": _x("review_call")(w)}, method="post",
              data=lambda w: {"phase": "decision"}, ok=(302,)),
        Route("reviews_admin:assign", MANAGERS, kwargs=lambda w: {"call_id": _x("review_call")(w)},
              method="post", data=lambda w: {"proposal": _x("unassigned")(w),
                                             "reviewer": w.users[REVIEWER].pk}, ok=(302,)),
        Route("reviews_admin:auto_assign", MANAGERS, kwargs=lambda w: {"call_id": _x("review_call")(w)},
              method="post", ok=(302,)),
        Route("reviews_admin:unassign", MANAGERS, kwargs=lambda w: {"pk": _assignment_pk(w)}, method="post",
              ok=(302,)),
        Route("reviews_admin:ranking_csv", MANAGERS, kwargs=lambda w: {"call_id": _x("review_call")(w)}),
        Route("reviews_admin:proposal", MANAGERS, kwargs=lambda w: {"pk": _x("submitted")(w)}),
        Route("reviews_admin:decide", MANAGERS, kwargs=lambda w: {"pk": _x("to_decide")(w)}, method="post",
              data=lambda w: {"outcome": "revise", "feedback": "请补充预算"}, ok=(302,)),
        Route("reviews_admin:commissions", MANAGERS),
        # Freshness: learners report and rate; editors see the report and mark their courses reviewed.
        Route("catalogue:report_outdated", SIGNED_IN, kwargs=lambda w: {"pk": w.own_course.pk}, method="post",
              data=lambda w: {"note": "时间变了"}, ok=(302,)),
        Route("catalogue:rate_course", SIGNED_IN, kwargs=lambda w: {"pk": w.own_course.pk}, method="post",
              data=lambda w: {"score": 4}, ok=(302,)),
        # Anyone with admin access opens the report; it lists only the courses they may edit.
        Route("catalogue_freshness:report", ADMIN_USERS),
        Route("catalogue_freshness:report_results", ADMIN_USERS),
        Route("catalogue_freshness:review", EDITORS, kwargs=lambda w: {"pk": w.own_course.pk},
              label="mark-own-course-reviewed"),
        Route("catalogue_freshness:review", frozenset({PLATFORM_EDITOR, SUPERUSER}),
              kwargs=lambda w: {"pk": w.other_course.pk}, label="mark-other-institution-course-reviewed"),
    ]


def _assignment_pk(world: World) -> int:
    from reviews.models import Assignment

    return Assignment.objects.get(proposal=world.extras["submitted"], reviewer=world.users[REVIEWER]).pk
