"""StreamField blocks shared by the site's general pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or URL"), required=False)

    class Meta:
        icon = "link"
        template = "cms/blocks/call_to_action.html"


class FeaturedCollectionBlock(blocks.StructBlock):
    """A collection of courses for one target group, e.g. a Courier Academy for delivery workers."""

    title = blocks.CharBlock(label=_("title"), max_length=80)
    description = blocks.TextBlock(label=_("description"), required=False)
    audience = blocks.CharBlock(
        label=_("audience slug"), required=False, help_text=_("Show courses for this audience, e.g. delivery-workers")
    )
    category = blocks.CharBlock(label=_("category slug"), required=False)
    courses = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalogue.CoursePage"), label=_("hand-picked courses"), required=False
    )

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/featured_collection.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title", max_length=120,
                               template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("paragraph"))
    image = ImageBlock(label=_("image"))
    call_to_action = CallToActionBlock(label=_("call to action"))
