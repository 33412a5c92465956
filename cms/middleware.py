"""Request-wide safety nets: the Content-Security-Policy for public and admin pages, and one transaction
around every write so a failure mid-request leaves nothing half-saved and the person gets a clear answer."""

from __future__ import annotations

import errno
import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("cms.faults")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.ADMIN_URL_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a second policy for the Wagtail and Django admins.

    The public site runs no inline script (a nonce is available for the rare case that needs one); the
    Wagtail admin still ships inline scripts in some widgets and frames its own previews, so it gets a
    looser policy of its own instead of no policy at all.
    """

    def get_policy_parts(self, request: HttpRequest, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts


class AtomicWritesMiddleware:
    """Run every unsafe request's view in one transaction.

    Reads stay outside transactions (on SQLite an IMMEDIATE transaction would serialise them). When the
    database fails mid-write or the disk is full, everything the view wrote is rolled back and the person
    is told plainly that nothing was saved; other requests keep being served.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "_non_atomic_requests", None):
            return None
        try:
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except DatabaseError:
            logger.exception("Database error during %s %s; the request was rolled back", request.method, request.path)
            return fault_response(
                request, 503,
                _("We could not save your changes because of a temporary problem on our side. "
                  "Nothing was saved. Please try again in a moment."),
            )
        except OSError as exc:
            if exc.errno not in DISK_FULL_ERRNOS:
                raise
            logger.exception("Storage full during %s %s; the request was rolled back", request.method, request.path)
            return fault_response(
                request, 507,
                _("The server has no room to store your file right now. Nothing was saved. "
                  "Please try again later or contact the site team."),
            )


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def fault_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A clear answer that needs no database: JSON for the API, a small standalone page otherwise."""
    if wants_json(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        body = render_to_string("errors/fault.html", {"message": message, "status": status})
        response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    if status == 503:
        response["Retry-After"] = "30"
    return response
