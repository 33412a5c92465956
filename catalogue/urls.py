from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("venues/<int:pk>/", views.venue_detail, name="venue"),
]
