"""The public pages every browser test run loads, in Simplified Chinese, English and senior mode.

To add a page, append a PublicPage row: `path` is a URL or a function of the seeded data (see
tests/e2e/seed.py) returning one; `seed` optionally creates extra data the page needs and may add keys to
the dict. Each row is loaded in the three modes and checked with axe-core.

    PublicPage("search", "/search/?q=太极"),
    PublicPage("call", lambda data: data["call"].url, seed=lambda data: data.update(call=make_open_call())),
    PublicPage("proposal-form", lambda data: data["call"].url + "apply/", seed=...),
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str | Callable[[dict], str]
    seed: Callable[[dict], None] | None = None
    # The same page must exist in English (else the language switcher lands on the English home page).
    translated: bool = True

    def url(self, data: dict) -> str:
        if self.seed is not None:
            self.seed(data)
        return self.path(data) if callable(self.path) else self.path


PAGES: list[PublicPage] = [
    PublicPage("home", "/"),
    PublicPage("catalogue-filtered", "/courses/?audience=seniors&mode=offline&upcoming=on"),
    PublicPage("course", lambda data: data["courses"][0].url),
    PublicPage("institution", lambda data: data["college"].url),
    PublicPage("institutions", "/courses/institutions/"),
    PublicPage("venue", lambda data: data["library"].get_absolute_url()),
    PublicPage("search", "/search/?q=太极&mode=offline"),
    PublicPage("learning-map", lambda data: f"/map/?near={data['east'].pk}&step_free=on"),
]
