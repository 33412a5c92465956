"""The messages the tests expect, in every language the site speaks, so assertions hold whatever the
request's language is and whatever translations are added later."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

SIGN_IN_LIMIT = "Too many sign-in attempts. Please wait a few minutes and try again."
RATE_LIMIT = "Too many requests. Please wait a few minutes and try again."
NOTHING_SAVED = "Nothing was saved"
DATABASE_FAILED = ("We could not save your changes because of a temporary problem on our side. "
                   "Nothing was saved. Please try again in a moment.")
DISK_FULL = ("The server has no room to store your file right now. Nothing was saved. "
             "Please try again later or contact the site team.")


def translations(msgid: str) -> set[str]:
    found = {msgid}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(translation.gettext(msgid))
    return found


def says(text: str, msgid: str) -> bool:
    """Whether ``text`` contains the message in one of the site's languages (HTML-escaped or not)."""
    from django.utils.html import escape

    return any(option in text or escape(option) in text for option in translations(msgid))
