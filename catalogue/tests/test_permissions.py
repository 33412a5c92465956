"""Who may do what, tested from the side that must be refused."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from catalogue.models import Category, CoursePage, InstitutionPage
from catalogue.roles import PLATFORM_EDITORS
from tests.factories import UserFactory, add_member, category, create_course

from .admin_forms import add_course_url, course_form_data, edit_page_url

pytestmark = pytest.mark.django_db

REFUSED = (302, 403)  # Wagtail redirects to the dashboard with a message, or answers 403


@pytest.fixture
def member_of_a(client, institution):
    user = UserFactory(username="member-a")
    add_member(user, institution)
    client.force_login(user)
    return client


@pytest.fixture
def their_course(other_institution):
    return create_course(other_institution, "别人的课程")


def test_member_can_add_and_edit_own_courses(member_of_a, institution):
    response = member_of_a.post(add_course_url(institution), course_form_data("我们的新课", slug="ours"))
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="ours")
    assert course.live and course.provider_id == institution.pk
    assert member_of_a.get(edit_page_url(course)).status_code == 200


def test_member_cannot_open_or_post_edit_of_other_institutions_course(member_of_a, their_course):
    assert member_of_a.get(edit_page_url(their_course)).status_code in REFUSED
    response = member_of_a.post(edit_page_url(their_course),
                                course_form_data("被篡改", slug=their_course.slug, publish=False))
    assert response.status_code in REFUSED
    their_course.refresh_from_db()
    assert their_course.title == "别人的课程"
    assert their_course.get_latest_revision().content["title"] == "别人的课程"


def test_member_cannot_publish_other_institutions_course(member_of_a, their_course):
    response = member_of_a.post(edit_page_url(their_course), course_form_data("被发布", slug=their_course.slug))
    assert response.status_code in REFUSED
    their_course.refresh_from_db()
    assert their_course.title == "别人的课程"
    assert member_of_a.post(f"/admin/pages/{their_course.pk}/unpublish/").status_code in REFUSED
    their_course.refresh_from_db()
    assert their_course.live


def test_member_cannot_add_course_under_other_institution(member_of_a, other_institution):
    assert member_of_a.get(add_course_url(other_institution)).status_code in REFUSED
    response = member_of_a.post(add_course_url(other_institution), course_form_data("混进来", slug="sneaky"))
    assert response.status_code in REFUSED
    assert not CoursePage.objects.filter(slug="sneaky").exists()


def test_member_cannot_edit_other_institution_page(member_of_a, other_institution):
    assert member_of_a.get(edit_page_url(other_institution)).status_code in REFUSED
    response = member_of_a.post(edit_page_url(other_institution), {
        "title": "被改名", "slug": other_institution.slug, "institution_type": "university",
        "action-publish": "action-publish",
    })
    assert response.status_code in REFUSED
    other_institution.refresh_from_db()
    assert other_institution.title == "另一所大学"


def test_member_cannot_move_own_course_to_other_institution(member_of_a, institution, other_institution):
    ours = create_course(institution, "我们的课程")
    response = member_of_a.post(f"/admin/pages/{ours.pk}/move/{other_institution.pk}/confirm/")
    assert response.status_code in REFUSED
    ours.refresh_from_db()
    assert ours.get_parent().pk == institution.pk and ours.provider_id == institution.pk


def test_member_cannot_delete_other_institutions_course_or_own_institution(member_of_a, institution, their_course):
    assert member_of_a.post(f"/admin/pages/{their_course.pk}/delete/").status_code in REFUSED
    assert CoursePage.objects.filter(pk=their_course.pk).exists()
    create_course(institution, "我们的课程")
    # The institution page has courses under it: deleting it would take them along.
    assert member_of_a.post(f"/admin/pages/{institution.pk}/delete/").status_code in REFUSED
    assert InstitutionPage.objects.filter(pk=institution.pk).exists()


def test_member_cannot_edit_taxonomy(member_of_a):
    calligraphy = category("calligraphy")
    url = f"/admin/snippets/catalogue/category/edit/{calligraphy.pk}/"
    assert member_of_a.get(url).status_code in REFUSED
    response = member_of_a.post(url, {"name": "改掉", "name_en": "x", "slug": "calligraphy",
                                      "review_interval_months": 12, "sort_order": 0})
    assert response.status_code in REFUSED
    assert Category.objects.get(pk=calligraphy.pk).name == "书法"
    assert member_of_a.post("/admin/snippets/catalogue/audience/add/",
                            {"name": "新人群", "slug": "new"}).status_code in REFUSED


def test_user_without_membership_gets_no_admin(client, institution):
    client.force_login(UserFactory(username="nobody"))
    course = create_course(institution, "我们的课程")
    assert client.get(edit_page_url(course)).status_code in REFUSED
    assert client.get("/admin/").status_code in REFUSED


def test_platform_editor_can_edit_every_course_institution_and_taxonomy(client, institution, other_institution):
    editor = UserFactory(username="platform")
    editor.groups.add(Group.objects.get(name=PLATFORM_EDITORS))
    client.force_login(editor)
    theirs = create_course(other_institution, "别人的课程")
    assert client.get(edit_page_url(theirs)).status_code == 200
    assert client.get(edit_page_url(institution)).status_code == 200
    assert client.get(add_course_url(other_institution)).status_code == 200
    response = client.post(edit_page_url(theirs), course_form_data("平台修订", slug=theirs.slug))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "平台修订" and theirs.live
    calligraphy = category("calligraphy")
    response = client.post(f"/admin/snippets/catalogue/category/edit/{calligraphy.pk}/", {
        "name": "书法篆刻", "name_en": "Calligraphy and seal carving", "slug": "calligraphy",
        "parent": calligraphy.parent_id, "review_interval_months": 24, "sort_order": 12, "description": "",
    })
    assert response.status_code == 302
    assert Category.objects.get(pk=calligraphy.pk).name == "书法篆刻"
    response = client.post(f"/admin/pages/{theirs.pk}/move/{institution.pk}/confirm/")
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.get_parent().pk == institution.pk and theirs.provider_id == institution.pk


def test_anonymous_sees_live_course_but_not_draft(client, institution):
    live = create_course(institution, "已发布课程")
    draft = create_course(institution, "草稿课程", publish=False)
    assert client.get(live.url).status_code == 200
    assert client.get(f"/courses/{institution.slug}/{draft.slug}/").status_code == 404
    page = client.get(institution.url).content.decode()
    assert "已发布课程" in page and "草稿课程" not in page


def test_unpublished_institution_is_not_public(client, other_institution):
    create_course(other_institution, "下架机构的课程")
    other_institution.unpublish()
    assert client.get(f"/courses/{other_institution.slug}/").status_code == 404
    assert "另一所大学" not in client.get("/courses/institutions/").content.decode()


@pytest.mark.parametrize("restriction", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_private_course_is_refused_to_anonymous_and_left_out_of_listings(client, institution, restriction):
    private = create_course(institution, "内部培训课程", summary="仅限内部员工的秘密内容")
    PageViewRestriction.objects.create(page=private, restriction_type=restriction, password="s3cret-pass")
    response = client.get(private.url)
    assert response.status_code in (200, 302, 401, 403)
    assert "仅限内部员工的秘密内容" not in response.content.decode()
    if restriction == PageViewRestriction.LOGIN:
        assert response.status_code == 302 and "/login" in response["Location"]
    for url in ("/courses/", institution.url):
        assert "内部培训课程" not in client.get(url).content.decode()


def test_institution_editors_group_is_scoped_to_its_own_subtree(institution, other_institution):
    group = InstitutionPage.objects.get(pk=institution.pk).editors_group
    pages = set(group.page_permissions.values_list("page_id", flat=True))
    assert pages == {institution.pk}


def teacher_form(name: str, institution) -> dict:
    return {"name": name, "title": "", "bio": "", "photo": "", "institution": institution.pk if institution else ""}


def test_member_changes_only_own_institutions_teachers(member_of_a, institution, other_institution):
    from tests.factories import TeacherFactory

    ours = TeacherFactory(name="我们的老师", institution=institution)
    theirs = TeacherFactory(name="别人的老师", institution=other_institution)
    edit = "/admin/snippets/catalogue/teacher/edit/{}/"
    assert member_of_a.get(edit.format(ours.pk)).status_code == 200
    assert member_of_a.post(edit.format(ours.pk), teacher_form("我们的老师（改）", institution)).status_code == 302
    ours.refresh_from_db()
    assert ours.name == "我们的老师（改）"
    assert member_of_a.get(edit.format(theirs.pk)).status_code in REFUSED
    assert member_of_a.post(edit.format(theirs.pk), teacher_form("被改", institution)).status_code in REFUSED
    theirs.refresh_from_db()
    assert theirs.name == "别人的老师" and theirs.institution_id == other_institution.pk


def test_member_cannot_add_a_teacher_to_another_institution(member_of_a, institution, other_institution):
    from catalogue.models import Teacher

    response = member_of_a.post("/admin/snippets/catalogue/teacher/add/", teacher_form("冒名老师", other_institution))
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not Teacher.objects.filter(name="冒名老师").exists()
    response = member_of_a.post("/admin/snippets/catalogue/teacher/add/", teacher_form("无主老师", None))
    assert "institution" in response.context["form"].errors
    response = member_of_a.post("/admin/snippets/catalogue/teacher/add/", teacher_form("新老师", institution))
    assert response.status_code == 302
    assert Teacher.objects.get(name="新老师").institution_id == institution.pk


def test_member_cannot_change_shared_or_other_institutions_venues(member_of_a, institution, other_institution):
    from tests.factories import VenueFactory

    shared = VenueFactory(name="社区共享学习点")
    theirs = VenueFactory(name="别人的校区", institution=other_institution)
    ours = VenueFactory(name="我们的校区", institution=institution)
    edit = "/admin/snippets/catalogue/venue/edit/{}/"
    for venue in (shared, theirs):
        assert member_of_a.get(edit.format(venue.pk)).status_code in REFUSED
        assert member_of_a.post(edit.format(venue.pk), {"name": "被改", "address": "x", "area": venue.area_id,
                                                        "institution": institution.pk}).status_code in REFUSED
        venue.refresh_from_db()
        assert venue.name != "被改"
    assert member_of_a.get(edit.format(ours.pk)).status_code == 200


def test_platform_editor_changes_any_teacher_or_venue(client, other_institution):
    from tests.factories import TeacherFactory, VenueFactory

    editor = UserFactory(username="platform-2")
    editor.groups.add(Group.objects.get(name=PLATFORM_EDITORS))
    client.force_login(editor)
    theirs = TeacherFactory(name="别人的老师", institution=other_institution)
    response = client.post(f"/admin/snippets/catalogue/teacher/edit/{theirs.pk}/", teacher_form("平台改过", None))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.name == "平台改过" and theirs.institution_id is None
    assert client.get(f"/admin/snippets/catalogue/venue/edit/{VenueFactory().pk}/").status_code == 200
