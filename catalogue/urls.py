from django.urls import path

from . import freshness_views, views

app_name = "catalogue"
urlpatterns = [
    path("venues/<int:pk>/", views.venue_detail, name="venue"),
    path("freshness/courses/<int:pk>/report/", freshness_views.report_outdated, name="report_outdated"),
    path("freshness/courses/<int:pk>/rate/", freshness_views.rate_course, name="rate_course"),
]
