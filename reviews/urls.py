from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.my_assignments, name="mine"),
    path("reviews/proposals/<int:proposal_id>/", views.review_proposal, name="review"),
    path("reviews/proposals/<int:proposal_id>/conflict/", views.declare_conflict, name="conflict"),
    path("commissions/milestones/<int:pk>/done/", views.complete_milestone, name="milestone_done"),
]
