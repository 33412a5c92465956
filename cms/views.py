from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SENIOR_COOKIE_AGE = 60 * 60 * 24 * 365


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
def toggle_senior_mode(request: HttpRequest) -> HttpResponse:
    """Larger text, higher contrast, bigger targets; remembered in a cookie for a year."""
    response = HttpResponseRedirect(_safe_next(request))
    turn_on = request.POST.get("on", "1" if request.COOKIES.get("senior_mode") != "1" else "0") == "1"
    if turn_on:
        response.set_cookie("senior_mode", "1", max_age=SENIOR_COOKIE_AGE, samesite="Lax",
                            secure=request.is_secure(), httponly=False)
    else:
        response.delete_cookie("senior_mode")
    return response


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    """Answer for django-ratelimit's Ratelimited: 429 with a message people can act on."""
    from django.utils.translation import gettext as _

    message = _("Too many requests. Please wait a few minutes and try again.")
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=429)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


def run_calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download one published course run as an .ics file."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from catalogue.models import CourseRun

    from .ics import run_calendar

    run = get_object_or_404(CourseRun.objects.select_related("course", "venue"), pk=pk)
    course = run.course
    if not course.live or course.get_view_restrictions().exists():
        raise Http404
    course_url = request.build_absolute_uri(course.url)
    body = run_calendar(run, course_url, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-run-{run.pk}.ics"'
    return response
