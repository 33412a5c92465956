from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from proposals.roles import is_call_manager

LOG_ACTIONS = [
    ("reviews.assign", _("Assign reviewer"), _("Reviewer assigned")),
    ("reviews.unassign", _("Remove reviewer"), _("Reviewer assignment removed")),
    ("reviews.conflict", _("Declare conflict of interest"), _("Conflict of interest declared")),
    ("reviews.submit", _("Submit review"), _("Review submitted")),
    ("reviews.decision", _("Decide on proposal"), _("Decision recorded")),
    ("reviews.commission", _("Commission course"), _("Course commissioned")),
    ("reviews.milestone_done", _("Complete milestone"), _("Commission milestone completed")),
]


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_commissioning_admin_urls():
    return [path("commissioning/", include("reviews.admin_urls", namespace="reviews_admin"))]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_call_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_commissioning_menu_item():
    return ManagerMenuItem(_("Commissioning"), reverse("reviews_admin:calls"), icon_name="tasks", order=310)
