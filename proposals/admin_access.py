"""Access guard shared by the commissioning admin views (topic moderation here, review management in reviews)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.shortcuts import render

from .services import ActionRefused


def refuse_unless(allowed: Callable[[object], bool], message: str):
    """403 page with `message` for users `allowed` rejects; ActionRefused from the view becomes its own
    400/403 page with its message, so an illegal step never changes anything silently."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                return render(request, "reviews/admin/refused.html", {"message": message}, status=403)
            try:
                return view(request, *args, **kwargs)
            except ActionRefused as exc:
                return render(request, "reviews/admin/refused.html", {"message": exc.message}, status=exc.status)

        return wrapper

    return decorator
