"""What other apps (e.g. the home page) may ask the proposals app."""

from __future__ import annotations

from django.utils import timezone

from .models import CallPage


def open_calls(limit: int = 3) -> list[CallPage]:
    """Published calls taking proposals now, closing soonest first."""
    now = timezone.now()
    calls = CallPage.objects.live().public().filter(phase=CallPage.Phase.OPEN, opens_at__lte=now, closes_at__gt=now)
    return list(calls.order_by("closes_at")[:limit])
