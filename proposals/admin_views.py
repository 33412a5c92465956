"""Editors' moderation of learning demand in the Wagtail admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import services
from .admin_access import refuse_unless
from .forms import TopicFilterForm
from .models import DemandTopic
from .roles import can_moderate_topics, is_call_manager

moderators_only = refuse_unless(can_moderate_topics, gettext_lazy("Only editors may moderate learning demand."))


@moderators_only
@require_GET
def topic_moderation(request: HttpRequest) -> HttpResponse:
    filters = TopicFilterForm(request.GET or None)
    audience = area = None
    if filters.is_valid():
        audience, area = filters.cleaned_data["audience"], filters.cleaned_data["area"]
    status = request.GET.get("status") or None
    if status not in (None, *DemandTopic.Status.values):
        status = None
    topics = services.ranked_topics(audience=audience, area=area, status=status)[:200]
    topics = list(topics)
    index = services.topic_index()
    for topic in topics:
        topic.similar = services.similar_topics(topic.title, exclude_pk=topic.pk, index=index)
    return render(request, "proposals/admin/topics.html", {
        "topics": topics, "filters": filters, "status": status, "statuses": DemandTopic.Status.choices,
        "header_title": _("Learning demand"), "can_open_call": is_call_manager(request.user),
        "by_audience": services.demand_by("audience"), "by_area": services.demand_by("area"),
    })


@moderators_only
@require_POST
def topic_approve(request: HttpRequest, pk: int) -> HttpResponse:
    services.approve_topic(request.user, get_object_or_404(DemandTopic, pk=pk))
    messages.success(request, _("Topic approved."))
    return redirect("proposals_admin:topics")


@moderators_only
@require_POST
def topic_reject(request: HttpRequest, pk: int) -> HttpResponse:
    services.reject_topic(request.user, get_object_or_404(DemandTopic, pk=pk), request.POST.get("reason", ""))
    messages.success(request, _("Topic rejected."))
    return redirect("proposals_admin:topics")


@moderators_only
@require_POST
def topic_merge(request: HttpRequest, pk: int) -> HttpResponse:
    duplicate = get_object_or_404(DemandTopic, pk=pk)
    target = get_object_or_404(DemandTopic, pk=request.POST.get("into") or 0)
    moved = services.merge_topic(request.user, duplicate, target)
    messages.success(request, _("Merged; %(n)s supporters moved.") % {"n": moved})
    return redirect("proposals_admin:topics")


@moderators_only
@require_POST
def topics_to_call(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.POST.getlist("topics") if x.isdigit()]
    topics = list(DemandTopic.objects.filter(pk__in=ids))
    call = services.create_call_from_topics(request.user, topics)
    messages.success(request, _("Draft call created; complete it and publish."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[call.pk]))
