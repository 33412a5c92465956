"""Form data for Wagtail admin posts, built the way the admin's own forms submit it."""

from __future__ import annotations

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def course_form_data(title: str = "书法入门", runs: list[dict] | None = None, publish: bool = True,
                     **fields) -> dict:
    """A valid course page form; override any field, pass runs as dicts of run fields."""
    data = {
        "title": title,
        "slug": fields.pop("slug", "course-" + str(abs(hash(title)) % 100000)),
        "summary": "面向社区居民的课程",
        "body": streamfield([("paragraph", rich_text("<p>课程介绍</p>"))]),
        "mode": "offline",
        "price": "0",
        "prerequisites": "",
        "learning_outcomes": "",
        "runs": inline_formset([_run(run) for run in runs or []]),
        "comments": inline_formset([]),
    }
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)


def _run(run: dict) -> dict:
    values = {"start_date": "", "end_date": "", "enrolment_open": "", "enrolment_close": "", "capacity": "",
              "schedule": "", "venue": "", "online_url": ""}
    values.update({key: ("" if value is None else str(value)) for key, value in run.items()})
    return values


def add_course_url(institution) -> str:
    return f"/admin/pages/add/catalogue/coursepage/{institution.pk}/"


def edit_page_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"
