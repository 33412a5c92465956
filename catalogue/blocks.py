"""StreamField blocks for course bodies."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "doc-full"
        template = "catalogue/blocks/section.html"


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("answer"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "catalogue/blocks/faq.html"


class CourseBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    section = SectionBlock(label=_("section"))
    image = ImageBlock(label=_("image"))
    faq = FAQBlock(label=_("question and answer"))
    quote = blocks.BlockQuoteBlock(label=_("quote"))

    class Meta:
        block_counts = {}

