"""A small public catalogue for page and browser tests: two districts, streets, venues, courses, runs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from catalogue.models import Area, Venue
from tests.factories import audience, catalogue_page, category, create_course, create_institution

COURSE_TITLES = [
    "智能手机入门", "太极拳基础", "书法入门", "快递员职业技能", "营养膳食与健康", "防诈骗讲座",
    "乡村电商直播", "果树种植技术", "合唱团", "英语口语", "老年摄影", "广场舞",
]


def restore_migration_rows() -> None:
    """Rows the migrations create, for databases flushed between transactional tests: the Wagtail
    root page and collection, the default locale, the seeded taxonomy and the role groups."""
    import importlib

    from django.apps import apps
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    from cms.setup import ensure_roles_after_migrate

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    importlib.import_module("catalogue.migrations.0002_seed_taxonomy").seed(apps, None)
    ensure_roles_after_migrate(sender=None)


def seed_public_catalogue(per_page: int = 5) -> dict:
    """Idempotent enough for one test database; returns the objects tests refer to."""
    city, _ = Area.objects.get_or_create(level=Area.Level.CITY, name="示范市", defaults={"name_en": "Demo City"})
    east = Area.objects.create(level=Area.Level.DISTRICT, name="东城区", name_en="East District", parent=city)
    west = Area.objects.create(level=Area.Level.DISTRICT, name="西城区", name_en="West District", parent=city)
    east_street = Area.objects.create(level=Area.Level.STREET, name="和平街道", name_en="Peace Street", parent=east)
    west_street = Area.objects.create(level=Area.Level.STREET, name="春风街道", name_en="Spring Street", parent=west)
    library = Venue.objects.create(
        name="东城社区学习中心", address="和平路10号", area=east_street, latitude=Decimal("31.230000"),
        longitude=Decimal("121.480000"), step_free=True, hearing_loop=True,
        accessibility_notes="入口有坡道，电梯到二楼。",
    )
    school = Venue.objects.create(
        name="西城老年学校", address="春风路88号", area=west_street, latitude=Decimal("31.200000"),
        longitude=Decimal("121.400000"), accessible_toilet=True,
    )
    catalogue = catalogue_page()
    catalogue.per_page = per_page
    catalogue.save_revision().publish()
    college = create_institution("示范社区学院", district=east)
    university = create_institution("开放大学西城分校", institution_type="university", district=west)
    today = timezone.localdate()
    courses = []
    for i, title in enumerate(COURSE_TITLES):
        start = today + datetime.timedelta(days=3 + i * 2)
        venue = library if i % 2 == 0 else school
        run = {
            "start_date": start, "end_date": start + datetime.timedelta(days=56),
            "schedule": "每周二 9:30–11:00" if i % 3 else "Tuesdays 14:00-16:00", "venue": venue, "capacity": 30,
            "enrolment_close": start,
        }
        cats = [category("smartphone")] if i == 0 else [category("rural")] if "乡村" in title or "果树" in title else []
        auds = [audience("seniors")] if i % 4 == 0 else [audience("delivery-workers")] if "快递" in title else []
        courses.append(create_course(
            college if i % 2 == 0 else university, title, categories=cats, audiences=auds, runs=[run],
            summary=f"{title}：面向社区居民的免费课程，零基础也能学。", price=Decimal("0") if i % 5 else Decimal("120"),
        ))
    return {"east": east, "west": west, "library": library, "school": school, "college": college,
            "university": university, "courses": courses, "catalogue": catalogue}


def seed_home_collections() -> None:
    """Featured collections on the home page, as editors set them up."""
    from cms.models import HomePage
    from cms.site_structure import ensure_site_structure

    home = HomePage.objects.get(pk=ensure_site_structure().pk)
    home.featured = [
        ("collection", {"title": "老年学习", "description": "为长者开设的课程，节奏慢、字号大。", "audience": "seniors",
                        "category": "", "courses": [], "limit": 4}),
        ("collection", {"title": "快递小哥学院", "description": "为快递外卖骑手准备的职业与安全课程。",
                        "audience": "delivery-workers", "category": "", "courses": [], "limit": 4}),
        ("collection", {"title": "乡村振兴", "description": "", "audience": "", "category": "rural", "courses": [],
                        "limit": 4}),
    ]
    home.save_revision().publish()


def translate_course(course, language_code: str):
    """Publish a translation of a course (and its institution) so the language switcher has a target."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language_code)
    institution = course.get_parent().specific
    if institution.get_translation_or_none(locale) is None:
        inst_t = institution.copy_for_translation(locale)
        inst_t.title = "Demo Community College"
        inst_t.save_revision().publish()
    translated = course.copy_for_translation(locale)
    translated.title = "Smartphone basics"
    translated.summary = "A free beginners' course on using a smartphone."
    translated.save_revision().publish()
    return translated
