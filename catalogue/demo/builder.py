"""Build the demo catalogue.

Areas, institutions, venues and teachers are few and go through the ordinary model and Wagtail
APIs. Courses can number a hundred thousand, so they are written in bulk: the treebeard
materialised paths are computed here, ``Page`` rows and ``CoursePage`` child rows are inserted
batch by batch, then many-to-many rows and runs, and finally the parents' ``numchild``. The result
is the same tree Wagtail would have built page by page: pages open in the admin and render publicly.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from catalogue.models import (
    Area,
    Audience,
    CatalogueIndexPage,
    Category,
    CoursePage,
    CourseRun,
    InstitutionPage,
    Language,
    QualificationLevel,
    Teacher,
    Venue,
)

from . import data
from .images import PALETTE, draw_cover, draw_logo, draw_portrait, save_wagtail_image

COVER_COUNT = 12
PORTRAIT_COUNT = 8
VENUES_PER_COMMUNITY = 2
ENGLISH_SHARE = 0.12
FREE_SHARE = 0.55
ENGLISH_NAMES = {spec[0]: spec[2] for spec in data.INSTITUTIONS}
PRICES = [Decimal(p) for p in ("30", "50", "80", "120", "150", "200", "380", "680", "1200")]


@dataclass
class SeedReport:
    areas: int = 0
    institutions: int = 0
    venues: int = 0
    teachers: int = 0
    images: int = 0
    courses: int = 0
    runs: int = 0
    course_ids: list[int] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        return (f"{self.courses} courses, {self.runs} runs, {self.institutions} institutions, {self.venues} venues, "
                f"{self.teachers} teachers, {self.areas} areas, {self.images} images")


@dataclass
class Lookups:
    """Everything a course plan needs, loaded once."""

    categories: dict[str, Category]
    audiences: dict[str, Audience]
    levels: dict[int, QualificationLevel]
    languages: dict[str, Language]
    institutions: list[InstitutionPage]
    teachers_by_institution: dict[int, list[int]]
    venues_by_district: dict[int, list[int]]
    all_venue_ids: list[int]
    cover_ids: list[int]


class DemoCatalogueBuilder:
    def __init__(self, seed: int = 2026, today: datetime.date | None = None,
                 progress: Callable[[int], object] | None = None, batch_size: int = 1000,
                 institutions: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.progress = progress or (lambda n: None)
        self.batch_size = batch_size
        self.institution_count = institutions
        self.report = SeedReport()
        self._levels: dict[int, int] = {}

    # ----- the small, fixed part of the city -------------------------------------------------------

    def build_city(self) -> tuple[list[Area], dict[int, list[Area]]]:
        """City, districts, streets and communities. Returns districts and the communities of each district."""
        name, name_en, code = data.CITY
        city, _ = Area.objects.get_or_create(level=Area.Level.CITY, name=name, defaults={"name_en": name_en,
                                                                                          "code": code})
        districts: list[Area] = []
        communities: dict[int, list[Area]] = {}
        for d_index, (d_name, d_en, _lat, _lng, streets) in enumerate(data.DISTRICTS):
            district = self._area(d_name, d_en, Area.Level.DISTRICT, city, f"{code}{d_index + 1:02d}")
            districts.append(district)
            communities[district.pk] = []
            for s_index, (s_name, s_en, comms) in enumerate(streets):
                street = self._area(s_name, s_en, Area.Level.STREET, district, f"{district.code}{s_index + 1:03d}")
                for c_index, (c_name, c_en) in enumerate(comms):
                    communities[district.pk].append(
                        self._area(c_name, c_en, Area.Level.COMMUNITY, street, f"{street.code}{c_index + 1:03d}")
                    )
        self.report.areas = Area.objects.count()
        return districts, communities

    def _area(self, name: str, name_en: str, level: int, parent: Area, code: str) -> Area:
        area, _ = Area.objects.get_or_create(
            level=level, name=name, parent=parent, defaults={"name_en": name_en, "code": code}
        )
        return area

    def build_covers(self) -> list[int]:
        ids = []
        for index in range(COVER_COUNT):
            colour = PALETTE[index % len(PALETTE)]
            image = save_wagtail_image(f"Demo cover {index + 1}", f"demo-cover-{index + 1}.png",
                                       draw_cover(self.rng, colour, f"Learning City · {index + 1}"))
            ids.append(image.pk)
        return ids

    def build_institutions(self, districts: list[Area]) -> list[InstitutionPage]:
        catalogue = CatalogueIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        english = Locale.objects.filter(language_code="en").first()
        institutions = []
        for index, (slug, name, name_en, kind, district_index, initials) in enumerate(
            institution_specs(self.institution_count)
        ):
            page = InstitutionPage.objects.child_of(catalogue).filter(slug=slug).first()
            if page is None:
                logo = save_wagtail_image(f"{name_en} logo", f"logo-{slug}.png",
                                          draw_logo(initials, PALETTE[index % len(PALETTE)]))
                page = InstitutionPage(
                    title=name, slug=slug, short_name=initials, institution_type=kind, logo=logo,
                    description=f"<p>{name}是{data.CITY[0]}终身学习体系的成员单位，面向市民开设各类课程。</p>",
                    website=f"https://{slug}.jianghai.example", email=f"learning@{slug}.jianghai.example",
                    phone=f"0513-8{self.rng.randrange(1000000, 9999999)}",
                    district=districts[district_index % len(districts)],
                )
                catalogue.add_child(instance=page)
                page.save_revision().publish()
                catalogue.refresh_from_db()
                if english is not None:
                    self._translate_institution(page, english, name_en)
            institutions.append(page)
        self.report.institutions = len(institutions)
        return institutions

    def _translate_institution(self, page: InstitutionPage, locale: Locale, title: str) -> None:
        if page.get_translation_or_none(locale) is not None:
            return
        translated = page.copy_for_translation(locale)
        translated.title = translated.draft_title = title
        translated.description = (f"<p>{title} is a member of the Jianghai lifelong learning network, "
                                  "offering courses to everyone in the city.</p>")
        translated.save_revision().publish()

    def build_venues(self, districts: list[Area], communities: dict[int, list[Area]],
                     institutions: list[InstitutionPage]) -> None:
        if Venue.objects.filter(address__startswith=data.CITY[0]).exists():
            self.report.venues = Venue.objects.count()
            return
        centres = {d.pk: (lat, lng) for d, (_n, _e, lat, lng, _s) in zip(districts, data.DISTRICTS, strict=True)}
        venues: list[Venue] = []
        for institution in institutions:
            district = institution.district
            venues.append(self._venue(f"{institution.title}（本部）", district, centres[district.pk], institution))
        for district in districts:
            for community in communities[district.pk]:
                for _ in range(VENUES_PER_COMMUNITY):
                    kind, _kind_en = self.rng.choice(data.VENUE_KINDS)
                    venues.append(self._venue(f"{community.name}{kind}", community, centres[district.pk], None))
        Venue.objects.bulk_create(venues)
        self.report.venues = Venue.objects.count()

    def _venue(self, name: str, area: Area, centre: tuple[float, float], institution) -> Venue:
        lat, lng = centre
        step_free = self.rng.random() < 0.7
        hearing_loop = self.rng.random() < 0.3
        notes = []
        if step_free:
            notes.append("无障碍坡道，电梯可达各楼层。")
        if hearing_loop:
            notes.append("报告厅配备助听环路。")
        if self.rng.random() < 0.2:
            notes.append("可提供手语翻译，请提前三天预约。")
        return Venue(
            name=name[:160], area=area, institution=institution,
            address=f"{data.CITY[0]}{area.name}{self.rng.choice(data.ROADS)}{self.rng.randrange(1, 999)}号",
            latitude=Decimal(f"{lat + self.rng.gauss(0, 0.018):.6f}"),
            longitude=Decimal(f"{lng + self.rng.gauss(0, 0.022):.6f}"),
            step_free=step_free, hearing_loop=hearing_loop, accessible_toilet=self.rng.random() < 0.5,
            accessibility_notes="\n".join(notes), opening_hours=self.rng.choice(data.OPENING_HOURS),
            phone=f"0513-8{self.rng.randrange(1000000, 9999999)}",
        )

    def build_teachers(self, institutions: list[InstitutionPage]) -> None:
        missing = [i for i in institutions if not Teacher.objects.filter(institution=i).exists()]
        portraits = [
            save_wagtail_image(f"Demo portrait {n + 1}", f"demo-portrait-{n + 1}.png",
                               draw_portrait(self.rng, PALETTE[(n * 5) % len(PALETTE)])).pk
            for n in range(PORTRAIT_COUNT)
        ] if missing else []
        teachers = []
        for institution in missing:
            for _ in range(self.rng.randint(3, 6)):
                role, role_en = self.rng.choice(data.TEACHER_ROLES)
                if self.rng.random() < 0.1:
                    name, title = self.rng.choice(data.ENGLISH_TEACHERS), role_en
                    bio = f"{name} has taught adult learners in Jianghai for {self.rng.randint(2, 15)} years."
                else:
                    name = self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN)
                    title = role
                    bio = f"{name}，{role}，从事成人教育与社区教育{self.rng.randint(3, 30)}年。"
                teachers.append(Teacher(name=name, title=title, bio=bio, institution=institution,
                                        photo_id=self.rng.choice(portraits) if self.rng.random() < 0.4 else None))
        Teacher.objects.bulk_create(teachers)
        self.report.teachers = Teacher.objects.count()

    # ----- courses, in bulk ------------------------------------------------------------------------

    def load_lookups(self, institutions: list[InstitutionPage], cover_ids: list[int]) -> Lookups:
        teachers: dict[int, list[int]] = {}
        for pk, institution_id in Teacher.objects.values_list("pk", "institution_id"):
            teachers.setdefault(institution_id, []).append(pk)
        venues_by_district: dict[int, list[int]] = {}
        all_venues = []
        for venue in Venue.objects.filter(is_open=True).select_related("area__parent__parent"):
            district = venue.area.district()
            all_venues.append(venue.pk)
            if district is not None:
                venues_by_district.setdefault(district.pk, []).append(venue.pk)
        return Lookups(
            categories={c.slug: c for c in Category.objects.all()},
            audiences={a.slug: a for a in Audience.objects.all()},
            levels={lv.number: lv for lv in QualificationLevel.objects.all()},
            languages={lang.code: lang for lang in Language.objects.all()},
            institutions=institutions, teachers_by_institution=teachers, venues_by_district=venues_by_district,
            all_venue_ids=all_venues, cover_ids=cover_ids,
        )

    def build_courses(self, count: int, lookups: Lookups) -> None:
        content_type = ContentType.objects.get_for_model(CoursePage)
        parents = {inst.pk: Page.objects.get(pk=inst.pk) for inst in lookups.institutions}
        next_step = {pk: self._next_child_step(parent) for pk, parent in parents.items()}
        category_slugs = [slug for slug in data.TOPICS if slug in lookups.categories]
        created = 0
        while created < count:
            size = min(self.batch_size, count - created)
            plans = [self._plan(created + offset, lookups, category_slugs) for offset in range(size)]
            courses = []
            for plan in plans:
                parent = parents[plan["institution"].pk]
                step = next_step[parent.pk]
                next_step[parent.pk] = step + 1
                courses.append(self._course_row(plan, parent, step, content_type))
            self._insert_courses(courses)
            self._insert_relations(courses, plans)
            created += size
            self.progress(size)
            reset_queries()  # with DEBUG on, Django keeps every (huge) INSERT statement otherwise
        for parent in parents.values():
            Page.objects.filter(pk=parent.pk).update(
                numchild=Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
            )
        self.report.courses = count

    @staticmethod
    def _next_child_step(parent: Page) -> int:
        last = parent.get_last_child()
        return Page._str2int(last.path[-Page.steplen:]) + 1 if last is not None else 1

    def _plan(self, index: int, lookups: Lookups, category_slugs: list[str]) -> dict:
        """Random but coherent attributes of one course."""
        rng = self.rng
        # The first courses walk through every category, audience, level and language so small demos cover all.
        if index < len(category_slugs):
            slug = category_slugs[index]
            institution = self._institution_for(slug, lookups.institutions)
        else:
            institution = rng.choice(lookups.institutions)
            slug = rng.choice(data.TYPE_CATEGORIES[institution.institution_type])
        title_zh, title_en, stem = rng.choice(data.TOPICS[slug])
        english = (rng.random() < ENGLISH_SHARE or slug == "english" and rng.random() < 0.5
                   or index == len(category_slugs))
        variant_zh, variant_en = rng.choice(data.VARIANTS) if rng.random() < 0.6 else ("", "")
        title = f"{title_en}{variant_en}" if english else f"{title_zh}{variant_zh}"
        categories = [lookups.categories[slug]]
        if rng.random() < 0.15 and slug != "academic-credit":
            categories.append(lookups.categories[rng.choice(category_slugs)])
        audience_slugs = list(data.CATEGORY_AUDIENCES.get(slug, ["everyone"]))
        if rng.random() < 0.25:
            audience_slugs.append(rng.choice(list(lookups.audiences)))
        if index < len(lookups.audiences):
            audience_slugs.append(list(lookups.audiences)[index])
        languages = ["en"] if english else ["zh-hans"]
        if english and rng.random() < 0.4:
            languages.append("zh-hans")
        if not english and rng.random() < 0.04:
            languages.append(rng.choice(["yue", "zh-sign"]))
        if index < 4:
            languages.append(["zh-hans", "en", "yue", "zh-sign"][index])
        mode = self._mode_for(slug)
        level = self._level_for(slug, index)
        free = rng.random() < FREE_SHARE and slug != "academic-credit" or institution.institution_type == "ngo"
        price = Decimal("0") if free else rng.choice(PRICES)
        weeks = rng.choice([4, 6, 8, 10, 12, 16])
        hours_per_week = Decimal(rng.choice(["1.5", "2", "2.5", "3", "4"]))
        credits = Decimal(rng.choice(["2", "3", "4"])) if slug == "academic-credit" else None
        staff = lookups.teachers_by_institution.get(institution.pk, [])
        teachers = rng.sample(staff, k=min(rng.randint(1, 2), len(staff)))
        cover_id = rng.choice(lookups.cover_ids) if lookups.cover_ids and rng.random() < 0.7 else None
        reviewed = self.today - datetime.timedelta(days=rng.randint(10, 900)) if rng.random() < 0.85 else None
        return {
            "index": index, "institution": institution, "category_slug": slug, "stem": stem, "title": title,
            "topic": title_en if english else title_zh, "english": english, "categories": categories,
            "audiences": sorted({lookups.audiences[a].pk for a in audience_slugs if a in lookups.audiences}),
            "languages": sorted({lookups.languages[c].pk for c in languages if c in lookups.languages}),
            "mode": mode, "level": level, "price": price, "weeks": weeks, "hours_per_week": hours_per_week,
            "credits": credits, "cover_id": cover_id, "teachers": teachers,
            "runs": self._runs_plan(mode, institution, lookups),
            "published": self.now - datetime.timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 1440)),
            "last_reviewed": reviewed,
        }

    def _institution_for(self, slug: str, institutions: list[InstitutionPage]) -> InstitutionPage:
        suitable = [i for i in institutions if slug in data.TYPE_CATEGORIES[i.institution_type]]
        return self.rng.choice(suitable or institutions)

    def _mode_for(self, slug: str) -> str:
        if slug in {"tai-chi", "dance", "music", "trades", "rural", "painting"}:
            return self.rng.choices(["offline", "blended"], weights=[85, 15])[0]
        if slug in {"academic-credit", "ai", "office-software"}:
            return self.rng.choices(["online", "blended", "offline"], weights=[50, 35, 15])[0]
        return self.rng.choices(["offline", "online", "blended"], weights=[55, 25, 20])[0]

    def _level_for(self, slug: str, index: int) -> int | None:
        if index < 8:
            return index + 1
        if slug == "academic-credit":
            return self.rng.choices([5, 6, 7, 8], weights=[20, 60, 15, 5])[0]
        if slug in {"trades", "elderly-care", "ai", "office-software", "vocational"}:
            return self.rng.choice([2, 3, 4, 5])
        return self.rng.choice([1, 1, 2, 2, 3, None])

    def _runs_plan(self, mode: str, institution: InstitutionPage, lookups: Lookups) -> list[dict]:
        rng = self.rng
        runs = []
        for _ in range(rng.choices([0, 1, 2, 3], weights=[8, 45, 32, 15])[0]):
            start = self.today + datetime.timedelta(days=rng.randint(-420, 240))
            end = start + datetime.timedelta(days=rng.choice([14, 28, 42, 56, 84, 120]))
            venue_id = None
            if mode != "online":
                nearby = lookups.venues_by_district.get(institution.district_id) or lookups.all_venue_ids
                venue_id = rng.choice(nearby) if nearby else None
            runs.append({
                "start_date": start, "end_date": end,
                "enrolment_open": start - datetime.timedelta(days=rng.randint(20, 45)),
                "enrolment_close": start - datetime.timedelta(days=rng.randint(0, 5)),
                "capacity": rng.choice([15, 20, 24, 30, 40, 60, 120]) if mode != "online" else rng.choice([None, 500]),
                "schedule": rng.choice(data.SCHEDULES), "venue_id": venue_id,
            })
        return sorted(runs, key=lambda r: r["start_date"])

    def _course_row(self, plan: dict, parent: Page, step: int, content_type: ContentType) -> CoursePage:
        slug = f"{plan['stem']}-{step}"
        published = plan["published"]
        institution = plan["institution"]
        weeks, per_week = plan["weeks"], plan["hours_per_week"]
        total = per_week * weeks
        return CoursePage(
            path=Page._get_path(parent.path, parent.depth + 1, step), depth=parent.depth + 1, numchild=0,
            translation_key=uuid.uuid4(), locale_id=parent.locale_id, live=True, has_unpublished_changes=False,
            first_published_at=published, last_published_at=published, latest_revision_created_at=published,
            title=plan["title"], draft_title=plan["title"], slug=slug, content_type_id=content_type.pk,
            url_path=f"{parent.url_path}{slug}/", expired=False, locked=False, show_in_menus=False,
            summary=self._summary(plan, institution),
            body=self._body(plan),
            cover_image_id=plan["cover_id"], level_id=self._levels.get(plan["level"]),
            mode=plan["mode"], provider_id=parent.pk, price=plan["price"],
            credits=plan["credits"], credit_hours=(plan["credits"] * 18 if plan["credits"] else
                                                   (total / 2 if self.rng.random() < 0.3 else None)),
            hours_per_week=per_week, total_hours=total,
            prerequisites=self._prerequisites(plan),
            learning_outcomes=self._outcomes(plan),
            last_reviewed=plan["last_reviewed"], needs_update=False,
        )

    @staticmethod
    def _prerequisites(plan: dict) -> str:
        topic, english = plan["topic"], plan["english"]
        if "进阶" in plan["title"] or "next steps" in plan["title"]:
            if english:
                return f"You have taken an introduction to {topic.lower()} or have similar experience."
            return f"已完成{topic}入门课程或具备同等基础。"
        return "No experience needed." if english else "无需基础，欢迎零基础学员。"

    def _summary(self, plan: dict, institution: InstitutionPage) -> str:
        topic = plan["topic"]
        if plan["english"]:
            name = ENGLISH_NAMES.get(institution.slug, institution.title)
            return (f"{topic}: a {plan['weeks']}-week course taught in English by {name}, "
                    f"open to everyone in the city. Small groups, practical exercises and friendly teachers.")
        price = "免费" if not plan["price"] else f"收费 {plan['price']} 元"
        return (f"{institution.title}开设的「{topic}」课程，共{plan['weeks']}周，{price}。"
                f"从身边的实际需要出发，讲练结合，学完就能用。")

    def _outcomes(self, plan: dict) -> str:
        topic = plan["topic"]
        if plan["english"]:
            return "\n".join([f"Understand the essentials of {topic.lower()}",
                              "Practise with real examples from daily life", "Know where to keep learning"])
        return "\n".join([f"掌握{topic}的基本知识和方法", "能够把所学运用到日常生活和工作中", "结识一起学习的伙伴"])

    def _body(self, plan: dict) -> list[dict]:
        topic = plan["topic"]
        if plan["english"]:
            intro = f"<p>This course introduces {topic.lower()} step by step, with plenty of time for questions.</p>"
            faq = {"question": "Do I need to bring anything?",
                   "answer": "<p>Just yourself. Materials are provided; online learners need a phone or computer.</p>"}
            section = {"heading": "How the course works",
                       "text": f"<ul><li>{plan['weeks']} weekly sessions</li><li>Practice between sessions</li></ul>"}
        else:
            intro = f"<p>本课程围绕「{topic}」展开，由浅入深，每次课都留出练习和答疑时间。</p>"
            faq = {"question": "需要自带什么吗？",
                   "answer": "<p>教材和练习用品由主办方提供；线上学员需要手机或电脑。</p>"}
            section = {"heading": "课程安排",
                       "text": f"<ul><li>共 {plan['weeks']} 次课，每周一次</li><li>课后有练习和线上答疑</li></ul>"}
        return [
            {"type": "paragraph", "value": intro, "id": str(uuid.uuid4())},
            {"type": "section", "value": section, "id": str(uuid.uuid4())},
            {"type": "faq", "value": faq, "id": str(uuid.uuid4())},
        ]

    def _insert_courses(self, courses: list[CoursePage]) -> None:
        """Two inserts per batch, like multi-table inheritance does per object: the Page rows, then the child rows."""
        page_fields = [f for f in Page._meta.concrete_fields if f.name != "id"]
        child_fields = CoursePage._meta.local_concrete_fields
        pk_field = Page._meta.pk
        for chunk in _chunks(courses, connection.ops.bulk_batch_size(page_fields, courses) or len(courses)):
            if connection.features.can_return_rows_from_bulk_insert:
                rows = Page._base_manager._insert(chunk, fields=page_fields, returning_fields=[pk_field])
                for course, (pk,) in zip(chunk, rows, strict=True):
                    course.id = course.page_ptr_id = pk
            else:
                Page._base_manager._insert(chunk, fields=page_fields)
                ids = dict(Page.objects.filter(path__in=[c.path for c in chunk]).values_list("path", "pk"))
                for course in chunk:
                    course.id = course.page_ptr_id = ids[course.path]
        for chunk in _chunks(courses, connection.ops.bulk_batch_size(child_fields, courses) or len(courses)):
            CoursePage._base_manager._insert(chunk, fields=child_fields)
        self.report.course_ids.extend(c.pk for c in courses)

    def _insert_relations(self, courses: list[CoursePage], plans: list[dict]) -> None:
        through = {name: getattr(CoursePage, name).through for name in ("categories", "audiences", "languages",
                                                                        "teachers")}
        rows: dict[str, list] = {name: [] for name in through}
        runs = []
        for course, plan in zip(courses, plans, strict=True):
            for category in {c.pk for c in plan["categories"]}:
                rows["categories"].append(through["categories"](coursepage_id=course.pk, category_id=category))
            for audience in plan["audiences"]:
                rows["audiences"].append(through["audiences"](coursepage_id=course.pk, audience_id=audience))
            for language in plan["languages"]:
                rows["languages"].append(through["languages"](coursepage_id=course.pk, language_id=language))
            for teacher in plan["teachers"]:
                rows["teachers"].append(through["teachers"](coursepage_id=course.pk, teacher_id=teacher))
            for order, run in enumerate(plan["runs"]):
                online = course.mode != "offline"
                runs.append(CourseRun(course_id=course.pk, sort_order=order,
                                      online_url=f"https://learn.jianghai.example/c/{course.pk}" if online else "",
                                      **run))
        for name, objs in rows.items():
            through[name].objects.bulk_create(objs, batch_size=2000)
        CourseRun.objects.bulk_create(runs, batch_size=2000)
        self.report.runs += len(runs)

    # ----- everything ------------------------------------------------------------------------------

    def build(self, courses: int, before_courses: Callable[[], None] | None = None) -> SeedReport:
        from cms.site_structure import ensure_site_structure

        ensure_site_structure()
        with transaction.atomic():
            districts, communities = self.build_city()
            cover_ids = self.build_covers()
            institutions = self.build_institutions(districts)
            self.build_venues(districts, communities, institutions)
            self.build_teachers(institutions)
            self.report.images = get_image_model().objects.count()
            lookups = self.load_lookups(institutions, cover_ids)
            self._levels = {number: level.pk for number, level in lookups.levels.items()}
            if before_courses is not None:
                before_courses()
            self.build_courses(courses, lookups)
        refresh_planner_statistics()
        return self.report


def refresh_planner_statistics() -> None:
    """After a bulk load the query planner's statistics are stale (SQLite has none at all); refresh them."""
    if connection.vendor in {"sqlite", "postgresql"}:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def institution_specs(limit: int | None = None) -> list[tuple]:
    """The demo institutions, one of each type first, so that any limit of 8 or more covers every type."""
    by_type: dict[str, list[tuple]] = {}
    for spec in data.INSTITUTIONS:
        by_type.setdefault(spec[3], []).append(spec)
    ordered = []
    while any(by_type.values()):
        for specs in by_type.values():
            if specs:
                ordered.append(specs.pop(0))
    return ordered[:limit] if limit else ordered


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), max(size, 1)):
        yield items[start:start + size]
