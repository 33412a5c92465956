"""Storage for files that must never have a public URL (proposal attachments, CVs)."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class NoPublicURL(AttributeError):
    """An AttributeError, so Django's file widgets and templates, which probe for a URL with getattr,
    simply show none; code that asks for the URL directly gets this error."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk outside MEDIA_ROOT with no URL at all.

    A plain FileSystemStorage with ``base_url=None`` falls back to MEDIA_URL, which would hand out
    guessable public links; here asking for a URL is an error, so files can only be sent by a view
    that checks permissions first.
    """

    def url(self, name: str | None) -> str:
        raise NoPublicURL("Private files have no public URL; serve them through a view that checks permissions.")
