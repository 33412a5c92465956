import pytest

from tests.factories import UserFactory, add_member, category, create_course, run_dates

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_courses_only(client, institution):
    create_course(institution, "书法入门", categories=[category("calligraphy")], runs=[run_dates(10)])
    create_course(institution, "未发布课程", publish=False)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert "书法入门" in response.content.decode()
    assert "未发布课程" not in response.content.decode()


def test_course_page_shows_runs(client, institution):
    course = create_course(institution, "太极拳", runs=[run_dates(10)])
    response = client.get(course.url)
    assert response.status_code == 200
    assert "太极拳" in response.content.decode()


def test_institution_member_cannot_edit_other_institution_course(client, institution, other_institution):
    theirs = create_course(other_institution, "别人的课程")
    ours = create_course(institution, "我们的课程")
    user = UserFactory(username="editor-a")
    add_member(user, institution)
    client.force_login(user)
    assert client.get(f"/admin/pages/{ours.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{theirs.pk}/edit/").status_code in (302, 403)


def test_out_of_range_ids_in_filters_are_a_bad_request_not_a_crash(client, institution):
    huge = "9" * 40
    for param in ("institution", "district", "level"):
        response = client.get("/courses/", {param: huge})
        assert response.status_code == 400, param


def test_audience_and_language_filters_match_by_slug_and_code(client, institution):
    from catalogue.models import Audience, Language
    from tests.factories import language

    some_audience = Audience.objects.first()
    mandarin = Language.objects.get(code="zh-hans")
    create_course(institution, "粤语入门", audiences=[some_audience], languages=[language("yue")])
    create_course(institution, "普通话课程", languages=[mandarin])
    by_language = client.get("/courses/", {"language": "zh-hans"})
    assert by_language.status_code == 200
    assert "普通话课程" in by_language.content.decode() and "粤语入门" not in by_language.content.decode()
    by_audience = client.get("/courses/", {"audience": some_audience.slug})
    assert by_audience.status_code == 200
    assert "粤语入门" in by_audience.content.decode() and "普通话课程" not in by_audience.content.decode()


def test_translated_course_is_listed_once_in_the_visitors_language(client, institution):
    from wagtail.models import Locale

    original = create_course(institution, "智能手机入门", runs=[run_dates(10)])
    create_course(institution, "太极拳", runs=[run_dates(12)])
    english = Locale.objects.get(language_code="en")
    institution.copy_for_translation(english).save_revision().publish()
    translated = original.copy_for_translation(english)
    translated.title = "Smartphone basics"
    translated.summary = "A free beginners' course."
    translated.save_revision().publish()

    chinese_page = client.get("/courses/").content.decode()
    assert chinese_page.count('<article class="course-card') == 2
    assert "智能手机入门" in chinese_page
    assert "Smartphone basics" not in chinese_page
    english_page = client.get("/en/courses/").content.decode()
    assert "Smartphone basics" in english_page
    assert "智能手机入门" not in english_page
    assert "太极拳" in english_page  # untranslated courses still appear, in Chinese
    assert english_page.count('<article class="course-card') == 2
