"""Message catalogues: every sentence kenpo prints, one catalogue file per language.

A language is a file ``kenpo_cli/data/messages.<code>.toml``; nothing else in the
code names a language. Its ``[meta]`` section says how people spell the language
(``--lang``, ``KENPO_LANG``), which language fills texts it lacks (a rule pack's
FAQ questions, say), and how it writes a date. Every catalogue holds the same keys
(tests/unit/test_i18n.py), so the verdict never depends on the language.

Two things a language may add in data alone. ``date_in_text`` in ``[meta]``: how a
date reads inside a sentence (the core fills messages with ISO dates; やさしい日本語
writes 2027年11月30日); without it, dates stay ISO. ``[reading]``: hard words and
how to read them; :meth:`Messages.glosser` adds the reading after the first time a
word appears on one screen (資格確認書〈しかくかくにんしょ〉). Catalogues without
readings leave the section empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from kenpo_cli import datafiles
from kenpo_cli.core.model import Audience, Reason

Lang = str
DEFAULT_LANG: Lang = "ja"
_PREFIX, _SUFFIX = "messages.", ".toml"
# A value the core filled in as a date (messages get dates as ISO strings).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Day = date  # inside Messages, ``date`` names its method


@cache
def languages() -> tuple[Lang, ...]:
    """The language codes kenpo has a catalogue for, the default first."""
    found = sorted(
        name[len(_PREFIX) : -len(_SUFFIX)]
        for name in datafiles.names()
        if name.startswith(_PREFIX) and name.endswith(_SUFFIX)
    )
    return (DEFAULT_LANG, *(code for code in found if code != DEFAULT_LANG))


# A name followed by itself in brackets, as a gloss of a column named like the fact.
# (A pattern, compiled only when an error message has brackets: not on every run.)
_SAID_TWICE = r"([^\s（）、。:：]+)（\1）"


@cache
def catalogue(lang: Lang) -> Mapping[str, dict[str, Any]]:
    """All messages of ``lang``, by section and key."""
    return datafiles.load(f"{_PREFIX}{lang}{_SUFFIX}")


def _spelling(value: str) -> str:
    return "".join(value.split()).lower().replace("-", "_")


def find_lang(value: str) -> Lang | None:
    """The language ``value`` names (``en``, ``English``, ``英語``, ``en_US.UTF-8``), if any."""
    wanted = _spelling(value)
    if wanted in languages():
        return wanted
    for code in languages():
        spellings = {_spelling(s) for s in catalogue(code)["meta"]["spellings"]}
        if wanted in spellings:
            return code
    # A locale such as en_US.UTF-8 or ja_JP.eucJP names its language first.
    base = wanted.split(".")[0].split("_")[0]
    return base if base != wanted and base in languages() else None


def pick_lang(value: str | None) -> Lang:
    """The language of a ``KENPO_LANG`` value: the default when unset or not one we know."""
    if not value:
        return DEFAULT_LANG
    return find_lang(value) or DEFAULT_LANG


# The locale's variables, in the order POSIX reads them for messages: the first set wins.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def env_lang(environ: Mapping[str, str]) -> Lang:
    """The language the environment asks for: ``KENPO_LANG`` (junk there is ignored),
    else the locale (``en_US.UTF-8`` → en, ``ja_JP.UTF-8`` → ja; ``C`` and languages
    kenpo lacks → the default), else the default."""
    if (named := environ.get("KENPO_LANG")) and (chosen := find_lang(named)):
        return chosen
    locale = next((environ[name] for name in _LOCALE_VARIABLES if environ.get(name)), "")
    base = locale.split(".")[0].split("@")[0].split("_")[0].lower()
    # A locale names its language by ISO 639 code, as the catalogues are named.
    return base if base in languages() else DEFAULT_LANG


def lang_in_argv(argv: Sequence[str]) -> Lang | None:
    """The language ``--lang`` names on a command line, if any: help and usage errors
    come before Click has read the options, and speak it too."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value is not None:
            return find_lang(value)
    return None


def accepted_langs() -> str:
    """``ja (japanese, 日本語), en (english, 英語)`` for messages about ``--lang``."""
    shown = []
    for code in languages():
        others = [w for w in catalogue(code)["meta"]["spellings"] if w != code][:2]
        shown.append(f"{code} ({', '.join(others)})" if others else code)
    return ", ".join(shown)


# Sections whose dates show what to type (an example of a flag's value): ISO, as typed.
_TYPED = frozenset({"error", "help", "question", "fact_help", "batch"})


class Messages:
    """Look up and fill in the messages of one language."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._cat = catalogue(lang)
        meta = self._cat["meta"]
        # The languages whose texts stand in, in order, when a text lacks this one.
        self._fallbacks = (lang, *meta.get("fallback", ()), DEFAULT_LANG)
        self._date = meta["date"]
        self._date_in_text: str = meta.get("date_in_text", "{iso}")
        self._weekdays: list[str] = meta.get("weekdays", ["", "", "", "", "", "", ""])
        # Japanese writes a date into its sentence with no space around it.
        self._tight_dates: bool = meta.get("tight_dates", False)
        self._sentence_sep = meta["sentence_sep"]
        self._gloss: str = meta.get("gloss", "{term}〈{reading}〉")
        self._readings: dict[str, str] = dict(self._cat.get("reading", {}))
        # How lines break: anywhere between wide characters (Japanese), or only at the
        # spaces between phrases (やさしい日本語, written with spaces as municipal pages are).
        self.phrases: bool = meta.get("line_breaks") == "spaces"

    def __call__(
        self, section: str, key: str, params: Iterable[tuple[str, str]] = (), /, **kw: str
    ) -> str:
        texts = self._cat[section]
        template: str = texts[key]
        values = {**dict(params), **kw}
        # A language with a singular ("1 row has", not "1 rows have") gives it as KEY_one.
        if (
            "1" in (values.get("count"), values.get("blank"), values.get("people"))
            and (one := texts.get(f"{key}_one")) is not None
        ):
            template = one
        if isinstance(reason := values.get("reason"), str) and reason.startswith("errno:"):
            values["reason"] = self._os_reason(reason)
        if self._date_in_text != "{iso}" and section not in _TYPED:
            shown = {k: self._in_text(v) for k, v in values.items()}
            if self._tight_dates:
                for k, v in values.items():
                    if shown[k] != v:  # a date: 期限は {expiry} です → 期限は2027年…です
                        template = re.sub(r" ?\{" + k + r"\} ?", "{" + k + "}", template)
            values = shown
        text = template.format(**values)
        if section == "error" and "（" in text:  # a column headed 退職日: not 退職日（退職日）
            text = re.sub(_SAID_TWICE, r"\1", text)
        return text

    def _os_reason(self, reason: str) -> str:
        """``errno:ENOENT:No such file or directory`` in this language, else the system's
        own words (errors.os_reason)."""
        _, name, text = reason.split(":", 2)
        return str(self._cat.get("os_error", {}).get(name, text))

    def _in_text(self, value: str) -> str:
        """``value`` as this language writes it in a sentence, when it is an ISO date."""
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            return value
        try:
            return self.day(date.fromisoformat(value))
        except ValueError:  # 2026-02-30 as a member typed it: echoed as typed
            return value

    def has(self, section: str, key: str) -> bool:
        return key in self._cat.get(section, {})

    def section(self, section: str) -> dict[str, Any]:
        return dict(self._cat[section])

    def item(self, code: str) -> str:
        return self("item", code)

    def ui(self, key: str, **kw: str) -> str:
        return self("ui", key, **kw)

    def voiced(
        self, section: str, key: str, audience: Audience, params: Iterable[tuple[str, str]] = ()
    ) -> str:
        """A message as its reader needs it: an employer reading about a leaver gets the
        ``<section>_employer`` text where the catalogue has one."""
        if audience is Audience.EMPLOYER and self.has(f"{section}_employer", key):
            section = f"{section}_employer"
        return self(section, key, params)

    def reasons(self, reasons: Iterable[Reason], audience: Audience = Audience.MEMBER) -> str:
        """A step's reasons as one text, sentence after sentence."""
        sep: str = self._sentence_sep
        return sep.join(self.voiced("reason", r.key, audience, r.params) for r in reasons)

    def text(self, texts: Mapping[str, str]) -> str:
        """A rule pack's text in this language, else in its fallback, else any."""
        for lang in self._fallbacks:
            if lang in texts:
                return texts[lang]
        return next(iter(texts.values()))

    def date(self, day: date) -> str:
        """A date as people of this language read it (ISO, 和暦, 2027年11月30日, …)."""
        from kenpo_cli.core.dates import to_wareki

        template: str = self._date
        return template.format(
            iso=day.isoformat(),
            wareki=to_wareki(day),
            y=day.year,
            m=day.month,
            d=day.day,
            w=self._weekdays[day.weekday()],
        )

    def day(self, day: Day) -> str:
        """A date inside a sentence: ISO, unless the catalogue's ``date_in_text`` says
        otherwise (2027年11月30日); shorter than :meth:`date`, which may add the 和暦."""
        return self._date_in_text.format(
            iso=day.isoformat(), y=day.year, m=day.month, d=day.day, w=self._weekdays[day.weekday()]
        )

    def standalone(self, text: str) -> str:
        """A text read on its own (a JSON message, say): its hard words read out once."""
        return self.glosser()(text) if self._readings else text

    def glosser(self) -> Glosser:
        """A fresh gloss for one screen: the first time each hard word appears on it,
        its reading follows it."""
        return Glosser(self._readings, self._gloss)


class Glosser:
    """Adds a word's reading after its first appearance on one screen.

    Call it on the screen's texts in the order a person reads them. A longer word
    (資格確認書滅失・回収不能届) is matched before the words inside it; a word inside it
    still gets its own reading where it first stands alone (a learner cannot be expected
    to cut the long reading apart). A word already followed by its reading is left as
    it is.
    """

    def __init__(self, readings: Mapping[str, str], form: str = "{term}〈{reading}〉") -> None:
        self.readings, self.form = dict(readings), form
        self.seen: set[str] = set()
        terms = sorted(self.readings, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, terms))) if terms else None

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(self._once, text)

    def _once(self, match: re.Match[str]) -> str:
        term = match.group(0)
        glossed = self.form.format(term=term, reading=self.readings[term])
        if match.string.startswith(glossed, match.start()):  # glossed by its writer
            self.seen.add(term)
            return term
        if term in self.seen:
            return term
        self.seen.add(term)
        return glossed
