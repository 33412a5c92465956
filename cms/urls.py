from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search.urls import api_urlpatterns as search_api_urls

from . import views
from .auth_views import AdminLoginView, AdminPasswordResetView, PublicLoginView, limit_sign_in

urlpatterns = [
    path("django-admin/login/", limit_sign_in(admin.site.login)),
    path("django-admin/", admin.site.urls),
    # Rate-limited sign-in in front of Wagtail's own (same URL name, matched first).
    path("admin/login/", AdminLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/password_reset/", AdminPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("senior-mode/", views.toggle_senior_mode, name="senior_mode"),
    path("calendar/runs/<int:pk>.ics", views.run_calendar_file, name="run_calendar"),
    path("healthz", views.health, name="health"),
    path("accounts/login/", PublicLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((search_api_urls, "search_api"))),
]

urlpatterns += i18n_patterns(
    path("", include("catalogue.urls")),
    path("", include("proposals.urls")),
    path("", include("reviews.urls")),
    path("", include("search.urls")),
    # Wagtail's sign-in for private pages, replaced by the rate-limited one.
    path("_util/login/", PublicLoginView.as_view(), name="wagtailcore_login"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
