"""Public demand pages and the applicant's proposal workspace."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit
from wagtail.log_actions import log

from catalogue.models import institutions_of
from cms.views import rate_limited

from . import services
from .forms import (
    AttachmentForm,
    BudgetFormSet,
    MilestoneFormSet,
    NewProposalForm,
    ProposalForm,
    TeamFormSet,
    TopicFilterForm,
    TopicForm,
)
from .models import CallPage, DemandTopic, Proposal, ProposalAttachment, TeamMember
from .services import ActionRefused


def suggest_rate(group, request) -> str:
    return getattr(settings, "DEMAND_SUGGEST_RATE", "10/h")


def vote_rate(group, request) -> str:
    return getattr(settings, "DEMAND_VOTE_RATE", "60/h")


def refusal(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json") or request.path.endswith("/autosave/"):
        payload = {"error": exc.message}
        if isinstance(exc, services.StaleVersion):
            payload["version"] = exc.current
        return JsonResponse(payload, status=exc.status)
    return render(request, "proposals/refused.html", {"message": exc.message}, status=exc.status)


def answers_refusals(view):
    """Turn an ActionRefused raised by a service into a 403/400/409 page with its message."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ActionRefused as exc:
            return refusal(request, exc)

    return wrapper


# --------------------------------------------------------------------------- demand


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    filters = TopicFilterForm(request.GET or None)
    audience = area = None
    if filters.is_valid():
        audience, area = filters.cleaned_data["audience"], filters.cleaned_data["area"]
    topics = services.ranked_topics(audience=audience, area=area)
    page = Paginator(topics, 30).get_page(request.GET.get("page"))
    voted = set()
    if request.user.is_authenticated:
        voted = set(request.user.topic_votes.values_list("topic_id", flat=True))
    return render(request, "proposals/topic_list.html", {"topics": page, "filters": filters, "voted": voted})


@require_GET
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(DemandTopic.objects.select_related("audience", "area", "merged_into"), pk=pk)
    if topic.status == DemandTopic.Status.MERGED and topic.merged_into_id:
        return redirect("proposals:topic", pk=topic.merged_into_id)
    voted = request.user.is_authenticated and topic.votes.filter(user=request.user).exists()
    own = request.user.is_authenticated and topic.suggested_by_id == request.user.pk
    if topic.status == DemandTopic.Status.REJECTED and not own:
        raise Http404
    return render(request, "proposals/topic_detail.html",
                  {"topic": topic, "support": topic.votes.count(), "voted": voted, "own": own})


@login_required
@ratelimit(key="user", rate=suggest_rate, method="POST", block=False)
def topic_suggest(request: HttpRequest) -> HttpResponse:
    similar = []
    if request.method == "POST":
        if getattr(request, "limited", False):
            return rate_limited(request)
        form = TopicForm(request.POST)
        if form.is_valid():
            similar = services.similar_topics(form.cleaned_data["title"])
            if similar and not request.POST.get("confirm_new"):
                # Offer to support an existing topic instead; a second POST with confirm_new goes ahead.
                messages.warning(request, _("Similar topics exist. Support one of them, or confirm yours is new."))
            else:
                topic = services.suggest_topic(request.user, **{k: form.cleaned_data[k] for k in
                                                                ("title", "description", "audience", "area")})
                messages.success(request, _("Thank you. Your topic is listed and awaits moderation."))
                return redirect("proposals:topic", pk=topic.pk)
    else:
        form = TopicForm()
    return render(request, "proposals/topic_form.html", {"form": form, "similar": similar},
                  status=400 if request.method == "POST" and not similar else 200)


@require_GET
@ratelimit(key="ip", rate="60/m", block=False)
def topic_similar(request: HttpRequest) -> JsonResponse:
    if getattr(request, "limited", False):
        return rate_limited(request)
    title = request.GET.get("title", "")[:120]
    topics = services.similar_topics(title) if len(title.strip()) >= 2 else []
    return JsonResponse({"results": [{"id": t.pk, "title": t.title, "url": f"/topics/{t.pk}/"} for t in topics]})


@require_POST
@login_required
@ratelimit(key="user", rate=vote_rate, method="POST", block=False)
@answers_refusals
def topic_vote(request: HttpRequest, pk: int) -> HttpResponse:
    if getattr(request, "limited", False):
        return rate_limited(request)
    topic = get_object_or_404(DemandTopic, pk=pk)
    if request.POST.get("action") == "withdraw":
        services.withdraw_vote(request.user, topic)
        messages.info(request, _("Your support has been withdrawn."))
    elif services.vote_for_topic(request.user, topic):
        messages.success(request, _("Thank you for your support."))
    else:
        messages.info(request, _("You already support this topic."))
    return redirect("proposals:topic", pk=topic.pk)


# --------------------------------------------------------------------------- proposals


def _own_proposal(request: HttpRequest, pk: int) -> Proposal:
    """The proposal if the user's institution owns it; 404 otherwise, so others cannot probe ids."""
    proposal = get_object_or_404(Proposal.objects.select_related("call", "institution"), pk=pk)
    if not services.can_edit_proposal(request.user, proposal):
        raise Http404
    return proposal


@login_required
@require_GET
def my_proposals(request: HttpRequest) -> HttpResponse:
    return render(request, "proposals/my_proposals.html", {"proposals": services.proposals_for(request.user)})


@login_required
@answers_refusals
def proposal_new(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(CallPage.objects.live(), pk=call_id)
    institutions = institutions_of(request.user)
    eligible = [i.pk for i in institutions if call.accepts_institution(i)]
    if not institutions.exists():
        raise services.forbid(_("Only members of an institution can submit proposals."))
    if not call.is_accepting_proposals():
        raise ActionRefused(_("This call is not accepting proposals."))
    form = NewProposalForm(request.POST or None, institutions=institutions.filter(pk__in=eligible))
    if request.method == "POST" and form.is_valid():
        proposal = services.create_proposal(request.user, call, form.cleaned_data["institution"],
                                            form.cleaned_data["title"])
        return redirect("proposals:edit", pk=proposal.pk)
    return render(request, "proposals/proposal_new.html", {"form": form, "call": call},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    from reviews.public import applicant_view

    context = {"proposal": proposal, "versions": proposal.versions.all(),
               "problems": services.submission_problems(proposal) if proposal.is_editable else []}
    context.update(applicant_view(proposal))
    return render(request, "proposals/proposal_detail.html", context)


@login_required
@answers_refusals
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    services.require_editable(request.user, proposal)
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, instance=proposal)
        formsets = _formsets(request, proposal)
        if form.is_valid() and all(f.is_valid() for f in formsets):
            try:
                with transaction.atomic():
                    services.claim_version(proposal, form.cleaned_data["version"])
                    form.save()
                    _save_team(formsets[0])
                    formsets[1].save()
                    formsets[2].save()
                    log(proposal, "proposals.edit", user=request.user)
            except services.StaleVersion as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Saved."))
                return redirect("proposals:edit", pk=proposal.pk)
        else:
            status = 400
    else:
        form = ProposalForm(instance=proposal, initial={"version": proposal.version})
        formsets = _formsets(request, proposal)
    return render(request, "proposals/proposal_form.html", {
        "proposal": proposal, "form": form, "team": formsets[0], "milestones": formsets[1], "budget": formsets[2],
        "attachment_form": AttachmentForm(), "total": proposal.budget_total(),
    }, status=status)


def _formsets(request: HttpRequest, proposal: Proposal) -> list:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return [TeamFormSet(data, files, instance=proposal, prefix="team"),
            MilestoneFormSet(data, instance=proposal, prefix="milestones"),
            BudgetFormSet(data, instance=proposal, prefix="budget")]


def _save_team(formset) -> None:
    from django.core.files.uploadedfile import UploadedFile

    for form in formset.forms:
        upload = getattr(form, "cleaned_data", {}).get("cv")
        if isinstance(upload, UploadedFile):
            form.instance.cv_name = upload.name[:200]
    members = formset.save(commit=False)
    for member in formset.deleted_objects:
        if member.cv:
            member.cv.delete(save=False)
        member.delete()
    for member in members:
        member.save()


@login_required
@require_POST
@answers_refusals
def proposal_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Background save of a draft's text fields. Answers 409 with the current version when a newer save exists."""
    proposal = _own_proposal(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"error": _("The version number is missing.")}, status=400)
    form = ProposalForm(request.POST, instance=Proposal.objects.get(pk=proposal.pk))
    if not form.is_valid():
        return JsonResponse({"error": _("Some fields are invalid."), "fields": form.errors}, status=400)
    values = {k: form.cleaned_data[k] for k in services.AUTOSAVE_FIELDS}
    new_version = services.autosave(request.user, proposal, version, values)
    return JsonResponse({"version": new_version, "saved": True})


@login_required
@require_POST
@answers_refusals
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    version = services.submit_proposal(request.user, proposal)
    messages.success(request, _("Proposal submitted (version %(n)s).") % {"n": version.number})
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
@answers_refusals
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    services.withdraw_proposal(request.user, proposal)
    messages.success(request, _("Proposal withdrawn."))
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
@answers_refusals
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    services.require_editable(request.user, proposal)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = " ".join(str(e) for e in form.errors.get("file", [])) or _("Choose a file.")
        raise ActionRefused(errors)
    services.add_attachment(request.user, proposal, form.cleaned_data["file"], form.mime)
    messages.success(request, _("File added."))
    return redirect("proposals:edit", pk=proposal.pk)


@login_required
@require_POST
@answers_refusals
def attachment_delete(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_id, proposal=proposal)
    services.remove_attachment(request.user, attachment)
    messages.success(request, _("File removed."))
    return redirect("proposals:edit", pk=proposal.pk)


@login_required
@require_GET
def download(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Private files, only to the proposing institution, call managers and assigned reviewers
    (who never get CVs in a blind call)."""
    from reviews.public import is_assigned_reviewer

    if kind == "attachment":
        item = get_object_or_404(ProposalAttachment.objects.select_related("proposal__call"), pk=pk)
        stored, name, mime = item.file, item.original_name, item.mime_type
    elif kind == "cv":
        item = get_object_or_404(TeamMember.objects.select_related("proposal__call"), pk=pk)
        if not item.cv:
            raise Http404
        stored, name, mime = item.cv, item.cv_name or "cv", None
    else:
        raise Http404
    proposal = item.proposal
    allowed = services.can_view_proposal(request.user, proposal) or (
        is_assigned_reviewer(request.user, proposal) and not (kind == "cv" and proposal.call.blind_review)
    )
    if not allowed:
        return render(request, "proposals/refused.html",
                      {"message": _("You do not have access to this file.")}, status=403)
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name,
                            content_type=mime or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def proposal_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A submitted version exactly as it was sent."""
    proposal = _own_proposal(request, pk)
    version = get_object_or_404(proposal.versions, number=number)
    return render(request, "proposals/proposal_version.html", {"proposal": proposal, "version": version,
                                                               "data": version.snapshot})
