"""What the search index knows about a course, built from the database in batches.

Both backends index the same ``CourseDoc``; building them with a handful of queries per batch (no per-page
queries) keeps a full reindex of 100k courses in minutes.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.models import Site

from catalogue.models import Area, Category, CoursePage, CourseRun, InstitutionPage

from .text import strip_tags


@dataclass
class RunDoc:
    start_date: datetime.date
    end_date: datetime.date
    enrolment_open: datetime.date | None = None
    enrolment_close: datetime.date | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class CourseDoc:
    id: int
    title: str
    url: str
    summary: str = ""
    body_text: str = ""
    provider_id: int | None = None
    provider_title: str = ""
    level_number: int | None = None
    mode: str = "offline"
    price: Decimal = Decimal("0")
    needs_update: bool = False
    published_at: datetime.datetime | None = None
    categories: list[str] = field(default_factory=list)  # slugs, with ancestors
    category_names: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)  # area ids as strings, with ancestors
    runs: list[RunDoc] = field(default_factory=list)
    # Content languages whose visitors see this page: its own, plus, for a page in the default language,
    # every language it has no live translation in (the rule the rest of the site follows).
    shown_in: list[str] = field(default_factory=list)

    @property
    def is_free(self) -> bool:
        return not self.price

    def facet_values(self) -> dict[str, list[str]]:
        return {
            "category": self.categories,
            "audience": self.audiences,
            "language": self.languages,
            "level": [str(self.level_number)] if self.level_number else [],
            "mode": [self.mode],
            "price": ["free" if self.is_free else "paid"],
            "district": self.areas,
            "institution": [str(self.provider_id)] if self.provider_id else [],
            "shown_in": self.shown_in,
        }

    def search_body(self) -> str:
        """Everything searchable besides the title, most important first."""
        return "\n".join(
            part for part in [self.summary, " ".join(self.category_names), self.provider_title, self.body_text] if part
        )


def content_languages() -> list[str]:
    return [code for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", settings.LANGUAGES)]


def default_language() -> str:
    from wagtail.models import Locale

    return Locale.get_default().language_code


def translation_siblings(course_ids: Iterable[int]) -> set[int]:
    """The given courses and every translation of them (their visibility depends on each other)."""
    keys = CoursePage.objects.filter(pk__in=list(course_ids)).values("translation_key")
    return set(CoursePage.objects.filter(translation_key__in=keys).values_list("pk", flat=True))


def indexable_courses() -> QuerySet:
    """Courses the public may see: live, no view restriction."""
    return CoursePage.objects.live().public()


def streamfield_text(raw) -> str:
    """All strings in a StreamField's raw JSON, tags stripped (rich text, headings, lists...)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return strip_tags(raw)
    strings: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in {"type", "id"}:
                    walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and key not in {"type", "id", "url", "image", "document"}:
            strings.append(strip_tags(node))

    walk(raw)
    return " ".join(" ".join(strings).split())


class Taxonomy:
    """Small trees loaded once per build: ancestors of categories and areas."""

    def __init__(self) -> None:
        self.categories = {c.pk: c for c in Category.objects.all()}
        self.areas = {a.pk: (a.parent_id, a.level) for a in Area.objects.only("pk", "parent_id", "level")}
        self.languages = content_languages()
        self.default_language = default_language()

    def category_chain(self, pk: int) -> list[Category]:
        chain, seen = [], set()
        node = self.categories.get(pk)
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = self.categories.get(node.parent_id)
        return chain

    def area_chain(self, pk: int | None) -> list[int]:
        chain: list[int] = []
        while pk is not None and pk in self.areas and pk not in chain:
            chain.append(pk)
            pk = self.areas[pk][0]
        return chain


class UrlBuilder:
    """Page URLs the way Wagtail builds them, without loading page objects."""

    def __init__(self) -> None:
        self.roots = list(Site.get_site_root_paths())
        self.cache: dict[tuple[str, str], str] = {}

    def url(self, url_path: str, language_code: str) -> str:
        candidates = [r for r in self.roots if url_path.startswith(r.root_path)]
        if not candidates:
            return ""
        root = next((r for r in candidates if r.language_code == language_code), candidates[0])
        try:
            with translation.override(root.language_code):
                return reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
        except NoReverseMatch:
            return ""


def build_documents(course_ids: Iterable[int] | None = None, batch_size: int = 500) -> Iterator[CourseDoc]:
    """Yield documents for the given courses (all indexable courses when None). Missing or non-public
    courses are simply not yielded; callers delete those ids from the index."""
    queryset = indexable_courses()
    if course_ids is not None:
        ids = sorted({int(pk) for pk in course_ids})
        chunks = (ids[i : i + batch_size] for i in range(0, len(ids), batch_size))
    else:
        all_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        chunks = (all_ids[i : i + batch_size] for i in range(0, len(all_ids), batch_size))
    taxonomy = Taxonomy()
    urls = UrlBuilder()
    for chunk in chunks:
        yield from build_batch(queryset.filter(pk__in=chunk), taxonomy, urls)


def build_batch(queryset: QuerySet, taxonomy: Taxonomy, urls: UrlBuilder) -> list[CourseDoc]:
    rows = list(
        queryset.values_list(
            "pk", "title", "url_path", "locale__language_code", "summary", "body", "learning_outcomes",
            "provider_id", "level__number", "mode", "price", "needs_update", "first_published_at",
        )
    )
    ids = [row[0] for row in rows]
    translation_keys = dict(queryset.values_list("pk", "translation_key"))
    translated: set[tuple] = set(
        indexable_courses().filter(translation_key__in=set(translation_keys.values()))
        .values_list("translation_key", "locale__language_code")
    )
    provider_ids = {row[7] for row in rows if row[7]}
    providers = dict(
        InstitutionPage.objects.filter(pk__in=provider_ids).values_list("pk", "title")
    ) if provider_ids else {}
    provider_district = dict(
        InstitutionPage.objects.filter(pk__in=provider_ids).values_list("pk", "district_id")
    ) if provider_ids else {}
    m2m = {
        "categories": CoursePage.categories.through,
        "audiences": CoursePage.audiences.through,
        "languages": CoursePage.languages.through,
    }
    categories: dict[int, list[int]] = defaultdict(list)
    for course_id, category_id in m2m["categories"].objects.filter(coursepage_id__in=ids).values_list(
        "coursepage_id", "category_id"
    ):
        categories[course_id].append(category_id)
    audiences: dict[int, list[str]] = defaultdict(list)
    for course_id, slug in m2m["audiences"].objects.filter(coursepage_id__in=ids).values_list(
        "coursepage_id", "audience__slug"
    ):
        audiences[course_id].append(slug)
    languages: dict[int, list[str]] = defaultdict(list)
    for course_id, code in m2m["languages"].objects.filter(coursepage_id__in=ids).values_list(
        "coursepage_id", "language__code"
    ):
        languages[course_id].append(code)
    runs: dict[int, list[RunDoc]] = defaultdict(list)
    run_areas: dict[int, set[int]] = defaultdict(set)
    for course_id, start, end, opens, closes, lat, lon, area_id in (
        CourseRun.objects.filter(course_id__in=ids)
        .order_by("start_date")
        .values_list("course_id", "start_date", "end_date", "enrolment_open", "enrolment_close",
                     "venue__latitude", "venue__longitude", "venue__area_id")
    ):
        runs[course_id].append(RunDoc(start, end, opens, closes,
                                      float(lat) if lat is not None else None,
                                      float(lon) if lon is not None else None))
        if area_id:
            run_areas[course_id].add(area_id)

    documents = []
    for (pk, title, url_path, language_code, summary, body, outcomes, provider_id, level_number, mode, price,
         needs_update, published_at) in rows:
        category_slugs: dict[str, None] = {}
        category_names: dict[str, None] = {}
        for category_id in categories.get(pk, []):
            for node in taxonomy.category_chain(category_id):
                category_slugs[node.slug] = None
                category_names[node.name] = None
                if node.name_en:
                    category_names[node.name_en] = None
        area_ids: dict[str, None] = {}
        for area_id in sorted(run_areas.get(pk, set())) + [provider_district.get(provider_id)]:
            for node in taxonomy.area_chain(area_id):
                area_ids[str(node)] = None
        raw_body = getattr(body, "raw_data", body)
        body_text = " ".join(part for part in [streamfield_text(list(raw_body) if raw_body else []), outcomes] if part)
        documents.append(
            CourseDoc(
                id=pk, title=title, url=urls.url(url_path, language_code), summary=summary or "",
                body_text=body_text, provider_id=provider_id, provider_title=providers.get(provider_id, ""),
                level_number=level_number, mode=mode, price=price or Decimal("0"), needs_update=needs_update,
                published_at=published_at, categories=list(category_slugs), category_names=list(category_names),
                audiences=audiences.get(pk, []), languages=languages.get(pk, []), areas=list(area_ids),
                runs=runs.get(pk, []),
                shown_in=[language_code] + ([code for code in taxonomy.languages if code != language_code
                                             and (translation_keys[pk], code) not in translated]
                                            if language_code == taxonomy.default_language else []),
            )
        )
    return documents


def now() -> datetime.datetime:
    return timezone.now()
