"""Sign-in views for the public site and the Wagtail admin, with rate limits against password guessing.

Two limits apply to POSTs: one per client address (loose, because a library or community centre puts
many learners behind one address) and one per username (tight, because that is what guessing targets).
When either is exceeded the form comes back with status 429 and a message saying what to do.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit
from wagtail.admin.views.account import LoginView as WagtailLoginView
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView


def login_rate_per_address(group: str, request: HttpRequest) -> str:
    return settings.LOGIN_RATE_LIMIT_PER_ADDRESS


def login_rate_per_username(group: str, request: HttpRequest) -> str:
    return settings.LOGIN_RATE_LIMIT_PER_USERNAME


def username_key(group: str, request: HttpRequest) -> str:
    return (request.POST.get("username") or "").strip().lower()


def _limits(view):
    view = ratelimit(group="login-address", key="ip", rate=login_rate_per_address, method="POST", block=False)(view)
    return ratelimit(group="login-username", key=username_key, rate=login_rate_per_username, method="POST",
                     block=False)(view)


def limit_sign_in(view):
    """The same limits for a function-based sign-in view (Django's admin), answering 429 in plain words."""
    from .views import rate_limited

    @wraps(view)
    def limited_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(request, "limited", False):
            return rate_limited(request)
        return view(request, *args, **kwargs)

    wrapped = _limits(limited_view)
    wrapped.rate_limited_sign_in = True
    return wrapped


class RateLimitedLoginMixin:
    """Refuse sign-in attempts past the limits with a 429 and the form, so people know to wait."""

    rate_limited_sign_in = True

    @method_decorator(_limits)
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(request, "limited", False):
            return self.too_many_attempts()
        return super().dispatch(request, *args, **kwargs)

    def too_many_attempts(self) -> HttpResponse:
        form = self.get_form_class()(self.request, data=self.request.POST)
        form.cleaned_data = {}
        form._errors = ErrorDict()
        form.add_error(None, _("Too many sign-in attempts. Please wait a few minutes and try again."))
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        response["Retry-After"] = "60"
        return response


def email_key(group: str, request: HttpRequest) -> str:
    return (request.POST.get("email") or "").strip().lower()


class AdminPasswordResetView(WagtailPasswordResetView):
    """Wagtail's password reset, limited so it cannot be used to flood someone's inbox."""

    rate_limited_sign_in = True

    @method_decorator(ratelimit(group="password-reset-address", key="ip", rate=login_rate_per_address,
                                method="POST", block=False))
    @method_decorator(ratelimit(group="password-reset-email", key=email_key, rate=login_rate_per_username,
                                method="POST", block=False))
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(request, "limited", False):
            from .views import rate_limited

            return rate_limited(request)
        return super().dispatch(request, *args, **kwargs)


class PublicLoginView(RateLimitedLoginMixin, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = False


class AdminLoginView(RateLimitedLoginMixin, WagtailLoginView):
    pass
