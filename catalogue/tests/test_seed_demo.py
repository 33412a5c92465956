"""seed_demo builds a consistent Wagtail tree that renders and edits like hand-made pages."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from catalogue.models import (
    Area,
    Audience,
    Category,
    CoursePage,
    CourseRun,
    InstitutionPage,
    Language,
    QualificationLevel,
    Teacher,
    Venue,
)
from catalogue.signals import demo_courses_seeded

pytestmark = pytest.mark.django_db

N = 40
INSTITUTIONS = 8  # one of each type; the full 30 only slow the tests down


def seed(**options) -> str:
    out = io.StringIO()
    options = {"courses": N, "seed": 7, "institutions": INSTITUTIONS, **options}
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def seeded(settings, tmp_path, site):
    settings.MEDIA_ROOT = tmp_path
    return seed()


def test_builds_a_complete_and_consistent_catalogue(seeded):
    from django.utils import timezone

    assert f"{N} courses" in seeded
    assert CoursePage.objects.count() == N
    institutions = InstitutionPage.objects.filter(locale__language_code="zh-hans")
    assert institutions.count() == INSTITUTIONS
    assert set(institutions.values_list("institution_type", flat=True)) == set(InstitutionPage.InstitutionType.values)
    assert not institutions.filter(logo__isnull=True).exists()
    assert InstitutionPage.objects.filter(locale__language_code="en").count() == INSTITUTIONS
    assert Venue.objects.count() >= 100
    assert not Venue.objects.filter(latitude__isnull=True).exists()
    assert Venue.objects.filter(step_free=True).exists() and Venue.objects.filter(hearing_loop=True).exists()
    assert set(Area.objects.values_list("level", flat=True)) == {1, 2, 3, 4}
    assert Area.objects.filter(level=Area.Level.DISTRICT).count() == 8
    assert Teacher.objects.count() >= 3 * INSTITUTIONS

    # Every seeded category, audience, level, language and mode has courses; free and paid; English ones.
    for model in (Category, Audience, QualificationLevel, Language):
        assert not model.objects.annotate(n=Count("courses")).filter(n=0).exists(), model
    assert set(CoursePage.objects.values_list("mode", flat=True)) == set(CoursePage.Mode.values)
    assert CoursePage.objects.filter(price=0).exists() and CoursePage.objects.filter(price__gt=0).exists()
    assert CoursePage.objects.filter(languages__code="en").exists()
    assert CoursePage.objects.filter(cover_image__isnull=False).exists()

    # Runs pass the same validation as the admin form, and lie in the past and the future.
    today = timezone.localdate()
    runs = list(CourseRun.objects.all())
    for run in runs:
        run.full_clean()
    assert any(r.end_date < today for r in runs) and any(r.start_date > today for r in runs)

    # The Wagtail tree is what add_child would have built.
    assert Page.find_problems() == ([], [], [], [], [])
    for institution in InstitutionPage.objects.all():
        assert institution.numchild == institution.get_children().count()
    for course in CoursePage.objects.all():
        parent = course.get_parent()
        assert course.provider_id == parent.pk
        assert course.url_path == f"{parent.url_path}{course.slug}/"
        assert course.locale_id == parent.locale_id
        assert course.live and course.first_published_at


def test_seeded_pages_render_publicly_and_edit_in_the_admin(client, superuser, seeded):
    for course in CoursePage.objects.order_by("pk")[:8]:
        response = client.get(course.url)
        assert response.status_code == 200, course.url
        assert course.title in response.content.decode()
    institution = InstitutionPage.objects.filter(numchild__gt=0).first()
    assert client.get(institution.url).status_code == 200
    assert client.get(f"/venues/{Venue.objects.first().pk}/").status_code == 200
    district = Area.objects.filter(level=Area.Level.DISTRICT).first()
    assert client.get(f"/courses/?district={district.pk}&upcoming=on&sort=start").status_code == 200
    assert client.get("/en/courses/institutions/").status_code == 200
    # Small demos are added to Wagtail's own search index, so the admin's page search finds them.
    english = CoursePage.objects.filter(languages__code="en").first()
    assert english.pk in {page.pk for page in CoursePage.objects.search(english.title.split()[0])}

    client.force_login(superuser)
    course = CoursePage.objects.filter(runs__isnull=False).first()
    runs_before = course.runs.count()
    url = f"/admin/pages/{course.pk}/edit/"
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # The StreamField editor is drawn by JavaScript, so its inputs are not in the HTML.
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>修改后的介绍</p>"))])}))
    data["title"] = "管理后台修改过的标题"
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    course.refresh_from_db()
    assert course.title == "管理后台修改过的标题" and course.live_revision_id
    assert course.runs.count() == runs_before
    assert "修改后的介绍" in client.get(course.url).content.decode()


def test_if_empty_is_idempotent_and_a_plain_rerun_adds_courses(seeded):
    assert "nothing to do" in seed(if_empty=True)
    assert CoursePage.objects.count() == N
    received = []

    def listener(sender, course_ids, **kwargs):
        received.extend(course_ids)

    demo_courses_seeded.connect(listener)
    try:
        seed(courses=10, seed=8)
    finally:
        demo_courses_seeded.disconnect(listener)
    assert CoursePage.objects.count() == N + 10
    assert len(received) == 10 and set(received) <= set(CoursePage.objects.values_list("pk", flat=True))
    assert InstitutionPage.objects.filter(locale__language_code="zh-hans").count() == INSTITUTIONS
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.parametrize("option", [{"courses": -1}, {"institutions": 0}, {"batch_size": 0}])
def test_refuses_nonsense_options(site, option):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed(**option)
