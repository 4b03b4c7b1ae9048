"""The spellings of each language, for ``--lang`` and ``KENPO_LANG`` alike.

Both read the same table, so a spelling works in both or in neither. Adding a
language is one more entry here (and its catalogue).
"""

from __future__ import annotations

import re
import unicodedata

from kenpo_cli.i18n import Lang

# The code, then the spellings messages list, then the others (all compared folded).
SPELLINGS: dict[Lang, tuple[str, ...]] = {
    "ja": ("ja", "japanese", "日本語", "jp", "jpn", "にほんご"),
    "en": ("en", "english", "英語", "eng", "えいご"),
}
_SHOWN = 3
_BY_SPELLING = {word: code for code, words in SPELLINGS.items() for word in words}
# A locale such as en_US.UTF-8, ja-JP or en_GB@euro names its language first.
_LOCALE = r"([a-z]{2,3})(?:[_-][a-z0-9]+)?(?:\.[a-z0-9_-]+)?(?:@[a-z0-9]+)?"


def lang_code(value: str | None) -> Lang | None:
    """The language ``value`` names (any case, full-width, a locale), else ``None``."""
    if not value:
        return None
    key = unicodedata.normalize("NFKC", value).strip().lower()
    if key in _BY_SPELLING:
        return _BY_SPELLING[key]
    m = re.fullmatch(_LOCALE, key)  # compiled only for a locale-like value
    return _BY_SPELLING.get(m.group(1)) if m else None


def accepted_langs() -> str:
    """The accepted values, for a message: ``ja (japanese, 日本語), en (english, 英語)``."""
    return ", ".join(f"{words[0]} ({', '.join(words[1:_SHOWN])})" for words in SPELLINGS.values())
