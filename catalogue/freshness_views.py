"""Public freshness endpoints: "this information is out of date" reports and course ratings."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from cms.views import rate_limited

from .freshness import conf, evaluate_courses
from .freshness_models import CourseRating, FlagReason, LearnerReport
from .models import CoursePage


class LearnerReportForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What is out of date? (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)],
    )


def _report_rate(group, request) -> str:
    return conf("report_rate")


def _public_course(pk: int) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live().public(), pk=pk)


def _back_to_course(course: CoursePage) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{course.url}#freshness")


def _invalid(request: HttpRequest, course: CoursePage, form: forms.Form, form_name: str) -> HttpResponse:
    """Show the errors next to what the person typed, so nothing is lost."""
    return TemplateResponse(request, "catalogue/freshness/form_errors.html",
                            {"course": course, "form": form, "form_name": form_name}, status=400)


def learner_feedback(form_class: type[forms.Form], form_name: str):
    """The shared steps of a learner's feedback POST: a public course, a signed-in learner within the rate
    limit, a valid form (else the errors with what was typed). `handle(request, course, cleaned_data)` then
    saves it and answers."""

    def decorator(handle):
        @wraps(handle)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            course = _public_course(pk)
            if not request.user.is_authenticated:
                return redirect_to_login(course.url)
            if getattr(request, "limited", False):
                return rate_limited(request)
            form = form_class(request.POST)
            if not form.is_valid():
                return _invalid(request, course, form, form_name)
            return handle(request, course, form.cleaned_data)

        return view

    return decorator


@require_POST
@ratelimit(key="user_or_ip", rate=_report_rate, method="POST", block=False, group="freshness-report")
@learner_feedback(LearnerReportForm, "report")
def report_outdated(request: HttpRequest, course: CoursePage, data: dict) -> HttpResponse:
    try:
        with transaction.atomic():
            LearnerReport.objects.create(course=course, user=request.user, note=data["note"])
    except IntegrityError:
        messages.info(request, _("You have already reported this course. Thank you, the editors will check it."))
        return _back_to_course(course)
    evaluate_courses([course.pk], reasons=[FlagReason.LEARNER_REPORTS])
    messages.success(request, _("Thank you. The course's editors will check the information."))
    return _back_to_course(course)


@require_POST
@ratelimit(key="user_or_ip", rate=_report_rate, method="POST", block=False, group="freshness-rating")
@learner_feedback(RatingForm, "rating")
def rate_course(request: HttpRequest, course: CoursePage, data: dict) -> HttpResponse:
    CourseRating.objects.update_or_create(
        course=course, user=request.user, defaults={"score": data["score"], "updated_at": timezone.now()}
    )
    evaluate_courses([course.pk], reasons=[FlagReason.LOW_RATING])
    messages.success(request, _("Thank you for rating this course."))
    return _back_to_course(course)
