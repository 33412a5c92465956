"""StreamField blocks shared by the site's general pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or URL"), required=False)

    class Meta:
        icon = "link"
        template = "cms/blocks/call_to_action.html"


class FeaturedCollectionBlock(blocks.StructBlock):
    """A collection of courses for one target group, e.g. a Courier Academy for delivery workers.

    Hand-picked courses come first, then the newest published courses for the audience and/or
    category (a category includes its sub-categories), up to `limit` cards.
    """

    title = blocks.CharBlock(label=_("title"), max_length=80)
    description = blocks.TextBlock(label=_("description"), required=False)
    audience = blocks.CharBlock(
        label=_("audience slug"), required=False, help_text=_("Show courses for this audience, e.g. delivery-workers")
    )
    category = blocks.CharBlock(
        label=_("category slug"), required=False, help_text=_("Show courses in this category, e.g. rural")
    )
    courses = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalogue.CoursePage"), label=_("hand-picked courses"), required=False
    )
    limit = blocks.IntegerBlock(label=_("number of courses shown"), default=4, min_value=1, max_value=12)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/featured_collection.html"

    def clean(self, value):
        value = super().clean(value)
        from catalogue.models import Audience, Category

        errors = {}
        if value.get("audience") and not Audience.objects.filter(slug=value["audience"]).exists():
            errors["audience"] = ValidationError(_("No audience has this slug."))
        if value.get("category") and not Category.objects.filter(slug=value["category"]).exists():
            errors["category"] = ValidationError(_("No category has this slug."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["collection_courses"] = collection_courses(value)
        context["see_all_query"] = see_all_query(value)
        return context


def collection_courses(value) -> list:
    """Hand-picked live courses, then the newest matching ones, without repeats."""
    from catalogue.models import Audience, Category

    limit = value.get("limit") or 4
    picked = [c.specific for c in value.get("courses") or [] if c is not None and c.live]
    found = list(picked[:limit])
    if len(found) < limit and (value.get("audience") or value.get("category")):
        from catalogue.views import with_listing_relations

        from .home import public_courses

        queryset = with_listing_relations(public_courses())
        if value.get("audience"):
            queryset = queryset.filter(audiences__in=Audience.objects.filter(slug=value["audience"]))
        if value.get("category"):
            roots = Category.objects.filter(slug=value["category"]).values_list("pk", flat=True)
            queryset = queryset.filter(categories__in=Category.descendant_ids(roots))
        queryset = queryset.exclude(pk__in=[c.pk for c in found]).distinct().order_by("-first_published_at", "-pk")
        found.extend(queryset[: limit - len(found)])
    return found


def see_all_query(value) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    if value.get("audience"):
        query["audience"] = value["audience"]
    if value.get("category"):
        query["category"] = value["category"]
    return query.urlencode()


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title", max_length=120,
                               template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("paragraph"))
    # ImageBlock asks for alt text unless the editor marks the image as decorative.
    image = ImageBlock(label=_("image"), template="cms/blocks/image.html")
    call_to_action = CallToActionBlock(label=_("call to action"))
