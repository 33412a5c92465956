from django import template
from django.db.models import Avg, Count

from catalogue.freshness import shows_learner_notice
from catalogue.freshness_models import CourseRating, LearnerReport

register = template.Library()


@register.simple_tag
def course_freshness(course, user) -> dict:
    """What the course page needs for its freshness notice, report form and rating form."""
    signed_in = getattr(user, "is_authenticated", False)
    ratings = CourseRating.objects.filter(course_id=course.pk).aggregate(average=Avg("score"), count=Count("pk"))
    return {
        "show_notice": shows_learner_notice(course),
        "signed_in": signed_in,
        "reported": signed_in and LearnerReport.objects.filter(
            course_id=course.pk, user=user, resolved_at__isnull=True).exists(),
        "my_rating": (CourseRating.objects.filter(course_id=course.pk, user=user).values_list("score", flat=True)
                      .first() if signed_in else None),
        "average": ratings["average"],
        "rating_count": ratings["count"],
        "scores": range(1, 6),
    }
