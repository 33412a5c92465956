"""Taxonomy snippets: categories (a tree), audiences, qualification levels, languages, areas.

Names are stored in Simplified Chinese with an English twin; ``label`` picks the one
for the active language (Traditional Chinese readers get the Chinese name).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class BilingualNameMixin(models.Model):
    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        if (translation.get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.name if not self.name_en else f"{self.name} / {self.name_en}"


class TreeMixin(models.Model):
    """A small adjacency-list tree; the trees here are hundreds of rows, not millions."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        abstract = True

    def ancestors(self) -> list:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))

    @classmethod
    def descendant_ids(cls, root_ids) -> set[int]:
        """Ids of the given nodes and everything below them."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in cls.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found: set[int] = set()
        stack = [int(pk) for pk in root_ids]
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, []))
        return found

    def clean(self) -> None:
        super().clean()
        if self.pk and self.parent_id:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("A node cannot be placed under itself.")})
                node = node.parent


class Category(TreeMixin, BilingualNameMixin, index.Indexed):
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("default review interval (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How often courses in this category should be reviewed, unless the course says otherwise."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("review_interval_months"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Audience(BilingualNameMixin):
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class QualificationLevel(BilingualNameMixin):
    number = models.PositiveSmallIntegerField(
        _("level"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("number"), FieldPanel("name"), FieldPanel("name_en"), FieldPanel("description")]

    class Meta:
        ordering = ["number"]
        verbose_name = _("qualification level")
        verbose_name_plural = _("qualification levels")

    def __str__(self) -> str:
        return f"{self.number} · {self.label}"


class Language(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("e.g. zh-hans, en, yue"))
    name = models.CharField(_("name"), max_length=60)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        ordering = ["code"]
        verbose_name = _("language of instruction")
        verbose_name_plural = _("languages of instruction")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name


class Area(TreeMixin, BilingualNameMixin):
    """City → district → street → community."""

    class Level(models.IntegerChoices):
        CITY = 1, _("city")
        DISTRICT = 2, _("district")
        STREET = 3, _("street")
        COMMUNITY = 4, _("community")

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("Administrative division code."))

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("level"), FieldPanel("parent"), FieldPanel("code")]

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def clean(self) -> None:
        super().clean()
        if self.level == self.Level.CITY and self.parent_id:
            raise ValidationError({"parent": _("A city has no parent area.")})
        if self.level and self.level != self.Level.CITY:
            if not self.parent_id:
                raise ValidationError({"parent": _("Choose the area this one belongs to.")})
            if self.parent.level != self.level - 1:
                raise ValidationError(
                    {"parent": _("A %(level)s must sit directly under a %(parent)s.")
                     % {"level": self.get_level_display(), "parent": self.Level(self.level - 1).label}}
                )

    def district(self) -> Area | None:
        node: Area | None = self
        while node is not None and node.level > self.Level.DISTRICT:
            node = node.parent
        return node if node is not None and node.level == self.Level.DISTRICT else None
