"""Admin: a "Search index" report for superusers (document counts, queued updates, retry button)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from .backends import SearchError, configured_backend_name, get_backend
from .documents import indexable_courses
from .indexing import retry_pending
from .models import PendingIndexUpdate


def search_index_report(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        delivered, remaining = retry_pending()
        messages.info(request, _("Delivered %(d)s queued updates; %(r)s still queued.") % {"d": delivered,
                                                                                          "r": remaining})
        return redirect("search_index_report")
    rows = []
    names = ["embedded"] + (["elasticsearch"] if configured_backend_name() == "elasticsearch" else [])
    for name in names:
        try:
            rows.append({"backend": name, "documents": len(get_backend(name).indexed_versions()), "error": ""})
        except SearchError as error:
            rows.append({"backend": name, "documents": None, "error": str(error)})
    return TemplateResponse(request, "search/admin/index_report.html", {
        "public_courses": indexable_courses().count(),
        "rows": rows,
        "pending": PendingIndexUpdate.objects.all()[:200],
        "pending_count": PendingIndexUpdate.objects.count(),
        "configured": configured_backend_name(),
    })


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [path("reports/search-index/", search_index_report, name="search_index_report")]


@hooks.register("register_reports_menu_item")
def register_search_index_menu_item():
    return AdminOnlyMenuItem(gettext_lazy("Search index"), reverse("search_index_report"), name="search-index",
                             icon_name="search", order=900)
