from django.urls import path

from . import views

app_name = "search"

# /search/ (inside i18n_patterns)
urlpatterns = [path("search/", views.search_page, name="search")]

# /api/v1/... (outside i18n_patterns)
api_urlpatterns = [
    path("api/v1/courses/", views.api_courses, name="api_courses"),
    path("api/v1/autocomplete/", views.api_autocomplete, name="api_autocomplete"),
]
