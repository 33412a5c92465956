from django.urls import path

from . import admin_views

app_name = "reviews_admin"
urlpatterns = [
    path("", admin_views.call_list, name="calls"),
    path("calls/<int:call_id>/", admin_views.call_dashboard, name="call"),
    path("calls/<int:call_id>/phase/", admin_views.change_phase, name="phase"),
    path("calls/<int:call_id>/assign/", admin_views.assign, name="assign"),
    path("calls/<int:call_id>/auto-assign/", admin_views.auto_assign, name="auto_assign"),
    path("calls/<int:call_id>/ranking.csv", admin_views.ranking_csv, name="ranking_csv"),
    path("assignments/<int:pk>/remove/", admin_views.unassign, name="unassign"),
    path("proposals/<int:pk>/", admin_views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/decide/", admin_views.decide, name="decide"),
    path("commissions/", admin_views.commission_list, name="commissions"),
]
