"""Home page, general content pages and site-wide settings."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BodyBlock, FeaturedCollectionBlock


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    featured = StreamField(
        [("collection", FeaturedCollectionBlock())], blank=True, verbose_name=_("featured collections")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("featured"), FieldPanel("body")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class LearningMapPage(Page):
    """Learning points (venues) and their courses by district and street, with distances from a chosen point.

    Works as lists without any map service; a map layer appears only when PlatformSettings.map_tile_url is set.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField(
        _("learning points per page"), default=20, validators=[MinValueValidator(5), MaxValueValidator(100)]
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("learning map")

    def get_context(self, request, *args, **kwargs):
        from .learning_map import learning_map_context

        context = super().get_context(request, *args, **kwargs)
        context.update(learning_map_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if form is not None and form.is_bound and not form.is_valid():
            response.status_code = 400
        return response


class StandardPage(Page):
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="cog")
class PlatformSettings(BaseSiteSetting):
    platform_name = models.CharField(_("platform name"), max_length=80, default="终身学习平台")
    platform_name_en = models.CharField(_("platform name (English)"), max_length=80, default="Learning City")
    contact_email = models.EmailField(_("contact email"), blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    map_tile_url = models.CharField(
        _("map tile URL template"), max_length=255, blank=True,
        help_text=_("Optional, e.g. https://tiles.example/{z}/{x}/{y}.png. Without it the map shows lists only."),
    )

    panels = [FieldPanel("platform_name"), FieldPanel("platform_name_en"), FieldPanel("contact_email"),
              FieldPanel("footer_text"), FieldPanel("map_tile_url")]

    class Meta:
        verbose_name = _("platform settings")
