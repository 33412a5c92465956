from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import DemandTopic
from .roles import can_moderate_topics

LOG_ACTIONS = [
    ("proposals.topic_suggest", _("Suggest learning topic"), _("Learning topic suggested")),
    ("proposals.topic_approve", _("Approve learning topic"), _("Learning topic approved")),
    ("proposals.topic_reject", _("Reject learning topic"), _("Learning topic rejected")),
    ("proposals.topic_merge", _("Merge learning topic"), _("Learning topic merged into another")),
    ("proposals.call_from_topics", _("Draft call from topics"), _("Call drafted from learning topics")),
    ("proposals.call_phase", _("Change call phase"), _("Call phase changed")),
    ("proposals.create", _("Create proposal"), _("Proposal created")),
    ("proposals.edit", _("Edit proposal"), _("Proposal edited")),
    ("proposals.submit", _("Submit proposal"), _("Proposal submitted")),
    ("proposals.withdraw", _("Withdraw proposal"), _("Proposal withdrawn")),
    ("proposals.attachment_add", _("Add proposal file"), _("File added to proposal")),
    ("proposals.attachment_remove", _("Remove proposal file"), _("File removed from proposal")),
]


@hooks.register("register_log_actions")
def register_proposal_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_demand_admin_urls():
    return [path("demand/", include("proposals.admin_urls", namespace="proposals_admin"))]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_topics(request.user)


@hooks.register("register_admin_menu_item")
def register_demand_menu_item():
    return ModeratorMenuItem(_("Learning demand"), reverse("proposals_admin:topics"), icon_name="pick",
                             order=300)


class DemandTopicViewSet(SnippetViewSet):
    model = DemandTopic
    icon = "pick"
    add_to_admin_menu = False
    list_display = ["title", "status", "audience", "area", "created_at"]
    list_filter = ["status", "audience"]
    search_fields = ["title", "description"]


register_snippet(DemandTopicViewSet)
