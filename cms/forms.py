"""Base forms for Wagtail's image and document uploads (WAGTAILIMAGES_IMAGE_FORM_BASE,
WAGTAILDOCS_DOCUMENT_FORM_BASE): every admin upload path builds its form on these."""

from __future__ import annotations

from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm

from .image_forms import AltTextRequiredImageForm
from .uploads import IMAGE_TYPES, reencode_image, validate_document, validate_upload


class SafeImageUploadMixin:
    """Content-sniffed, bomb-guarded, and stored only as a fresh re-encoding of the pixels.

    Re-encoding here rather than in a custom image model keeps the stock ``wagtailimages.Image`` that
    every page and snippet already points at, and still covers the add, multiple-upload and chooser
    upload views, which all build their form from WAGTAILIMAGES_IMAGE_FORM_BASE. A mixin, so other
    image-form rules (e.g. required alt text) combine with it in one base form.
    """

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data:
            return uploaded
        mime = validate_upload(uploaded, allowed=IMAGE_TYPES, max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
        return reencode_image(uploaded, mime)


class SafeImageForm(SafeImageUploadMixin, AltTextRequiredImageForm):
    pass


class SafeDocumentForm(BaseDocumentForm):
    """Documents whose content matches an accepted type and their own extension."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data:
            return uploaded
        validate_document(uploaded, max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
        return uploaded
