from django.urls import path

from . import admin_views

app_name = "proposals_admin"
urlpatterns = [
    path("", admin_views.topic_moderation, name="topics"),
    path("to-call/", admin_views.topics_to_call, name="to_call"),
    path("<int:pk>/approve/", admin_views.topic_approve, name="approve"),
    path("<int:pk>/reject/", admin_views.topic_reject, name="reject"),
    path("<int:pk>/merge/", admin_views.topic_merge, name="merge"),
]
