"""Home page, general content pages and site-wide settings."""

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
