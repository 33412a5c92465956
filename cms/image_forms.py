"""Admin image form: every uploaded image needs a description, used as its alt text on the site."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class AltTextRequiredImageForm(BaseImageForm):
    """Makes the image description (Wagtail's default alt text) mandatory.

    The multiple-upload view first creates the image from the file alone and then shows this form for
    each image; the description is required wherever the field is actually shown to the editor.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("description")
        if field is not None:
            field.label = _("Alt text (description)")
            field.help_text = _(
                "Describe what the image shows for people who cannot see it, e.g. "
                "“Teacher helping two seniors use a smartphone”. Required."
            )

    def clean_description(self):
        value = (self.cleaned_data.get("description") or "").strip()
        if not value and self.add_prefix("description") in self.data:
            raise forms.ValidationError(_("Please describe the image; the description is its alt text."))
        return value
