"""Factories for the catalogue. Pages are created through Wagtail's tree API (add_child), like editors do."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import (
    Area,
    Audience,
    CatalogueIndexPage,
    Category,
    CoursePage,
    CourseRun,
    InstitutionPage,
    Language,
    Membership,
    Teacher,
    Venue,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pass-word-123")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"区{n}")
    name_en = factory.Sequence(lambda n: f"District {n}")
    level = Area.Level.DISTRICT
    parent = factory.LazyFunction(
        lambda: Area.objects.get_or_create(level=Area.Level.CITY, name="示范市", defaults={"name_en": "Demo City"})[0]
    )


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"社区学习点{n}")
    address = "人民路1号"
    area = factory.SubFactory(AreaFactory)
    latitude = Decimal("31.230000")
    longitude = Decimal("121.470000")


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    name = factory.Sequence(lambda n: f"老师{n}")


def catalogue_page() -> CatalogueIndexPage:
    from cms.site_structure import ensure_site_structure

    home = ensure_site_structure()
    return CatalogueIndexPage.objects.filter(locale=home.locale).get()


def create_institution(title: str = "示范社区学院", **fields) -> InstitutionPage:
    parent = fields.pop("parent", None) or catalogue_page()
    fields.setdefault("institution_type", InstitutionPage.InstitutionType.COMMUNITY_SCHOOL)
    page = InstitutionPage(title=title, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def create_course(
    institution: InstitutionPage,
    title: str = "书法入门",
    *,
    categories=(),
    audiences=(),
    languages=(),
    runs: list[dict] | None = None,
    publish: bool = True,
    **fields,
) -> CoursePage:
    fields.setdefault("summary", f"{title}：面向社区居民的课程")
    fields.setdefault("price", Decimal("0"))
    page = CoursePage(title=title, **fields)
    institution.add_child(instance=page)
    if categories:
        page.categories.set(categories)
    if audiences:
        page.audiences.set(audiences)
    if languages:
        page.languages.set(languages)
    for run in runs or []:
        CourseRun.objects.create(course=page, **run)
    page.save()
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.live = False
        page.save(update_fields=["live"])
    page.refresh_from_db()
    return page


def run_dates(start_in_days: int, length_days: int = 30) -> dict:
    today = timezone.localdate()
    start = today + datetime.timedelta(days=start_in_days)
    return {"start_date": start, "end_date": start + datetime.timedelta(days=length_days)}


def add_member(user, institution: InstitutionPage, role: str = Membership.Role.MEMBER) -> Membership:
    return Membership.objects.create(user=user, institution=institution, role=role)


def category(slug: str) -> Category:
    return Category.objects.get(slug=slug)


def audience(slug: str) -> Audience:
    return Audience.objects.get(slug=slug)


def language(code: str) -> Language:
    return Language.objects.get(code=code)
