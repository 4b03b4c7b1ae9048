"""Message catalogues: every sentence kenpo prints, in Japanese and English.

The rules produce message keys; this module turns them into text. Both catalogues
hold the same keys (a test checks it), so the verdict never depends on the language.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal

import tomli

from kenpo_cli.core.rulepack import package_data

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@cache
def catalogue(lang: Lang) -> dict[str, dict[str, str]]:
    """All messages of ``lang``, by section and key."""
    return tomli.loads(package_data(f"messages.{lang}.toml"))


class Messages:
    """Look up and fill in messages of one language."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._cat = catalogue(lang)

    def __call__(
        self, section: str, key: str, params: Iterable[tuple[str, str]] = (), /, **kw: str
    ) -> str:
        template = self._cat[section][key]
        return template.format(**dict(params), **kw)

    def catalogue_section(self, section: str) -> dict[str, str]:
        return dict(self._cat[section])

    def item(self, code: str) -> str:
        return self._cat["item"][code]

    def ui(self, key: str, **kw: str) -> str:
        return self("ui", key, **kw)


def pick_lang(value: str | None) -> Lang:
    """``ja`` or ``en`` from a flag or ``KENPO_LANG`` value (``en_US.UTF-8`` counts as en)."""
    if value and value.strip().lower().startswith("en"):
        return "en"
    return "ja"
