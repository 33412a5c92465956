"""What the home page shows besides its editable content."""

from django.utils import timezone


def home_context(page, request) -> dict:
    from catalogue.models import CoursePage

    today = timezone.localdate()
    courses = CoursePage.objects.live().public().select_related("provider", "cover_image")
    return {
        "newest_courses": courses.order_by("-first_published_at")[:6],
        "starting_soon": courses.filter(runs__start_date__gte=today).distinct().order_by("runs__start_date")[:6],
    }
