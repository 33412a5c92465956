from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("topics/", views.topic_list, name="topics"),
    path("topics/suggest/", views.topic_suggest, name="topic_suggest"),
    path("topics/similar/", views.topic_similar, name="topic_similar"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/vote/", views.topic_vote, name="topic_vote"),
    path("proposals/", views.my_proposals, name="mine"),
    path("proposals/new/<int:call_id>/", views.proposal_new, name="new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("proposals/<int:pk>/versions/<int:number>/", views.proposal_version, name="version"),
    path("proposals/<int:pk>/autosave/", views.proposal_autosave, name="autosave"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("proposals/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("proposals/<int:pk>/attachments/<int:attachment_id>/delete/", views.attachment_delete,
         name="attachment_delete"),
    path("proposals/files/<str:kind>/<int:pk>/", views.download, name="download"),
]
