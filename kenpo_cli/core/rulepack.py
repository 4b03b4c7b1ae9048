"""The rule pack: every date and policy switch, each with its source, loaded and validated.

The built-in pack ships as ``kenpo_cli/data/rules.toml``; another society's pack has
the same keys. A value may be one (``value = …``) or a dated series, as OpenFisca's
parameters are (``values.2027-12-01 = { value = …, source = "…" }``: the value in force
from that day, each with its source); the rules read it through :meth:`RulePack.on`
(the pack as it stands on a day) or :meth:`RulePack.value`. Validation reports the
first problem as a :class:`KenpoError` whose code and parameters name the key, so the
CLI can say it in either language.
"""

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, get_type_hints

from kenpo_cli import datafiles
from kenpo_cli.core.dates import EARLIEST, LATEST
from kenpo_cli.errors import KenpoError, os_reason
from kenpo_cli.io.smallfile import MAX_SHOWN, TooLarge, read_small
from kenpo_cli.privacy import my_number_spans, terminal_control


class Src(StrEnum):
    """The source ids the rules cite; every pack must define each of them."""

    OLD_CARD_UNTIL = "faq-old-card-until"
    OLD_CARD_AFTER = "faq-old-card-after-transition"
    OSHIRASE_WHAT = "faq-oshirase-what"
    OSHIRASE_ALONE = "faq-oshirase-alone"
    OSHIRASE_CARRY = "faq-oshirase-carry"
    OSHIRASE_EVERYONE = "faq-oshirase-everyone"
    OSHIRASE_EXPIRY = "faq-oshirase-expiry"
    OSHIRASE_CHANGE = "faq-oshirase-change"
    OSHIRASE_LOST = "faq-oshirase-lost"
    OSHIRASE_LEAVING = "faq-oshirase-leaving"
    KAKUNINSHO_WHAT = "faq-kakuninsho-what"
    KAKUNINSHO_WITHOUT_MYNA = "faq-kakuninsho-without-myna"
    KAKUNINSHO_EXPIRY = "faq-kakuninsho-expiry"
    KAKUNINSHO_LOST = "faq-kakuninsho-lost"
    KAKUNINSHO_LEAVING = "faq-kakuninsho-leaving"
    KAKUNINSHO_AFTER_MYNA = "faq-kakuninsho-after-myna"
    KAKUNINSHO_LOST_ON_LEAVING = "faq-kakuninsho-lost-on-leaving"
    MYNA_WHAT = "faq-myna-what"
    MYNA_WITHOUT = "faq-myna-without"
    MYNA_UPDATE = "faq-myna-update"
    MYNA_REGISTERED = "faq-myna-registered"
    MYNA_REGISTRATION_CHECK = "faq-myna-registration-check"
    MYNA_NO_READER = "faq-myna-no-reader"
    MYNA_CERT_EXPIRED = "faq-myna-cert-expired"
    NATIONAL_OLD_CARD_RETURN = "national-old-card-return"
    NATIONAL_MYNA_CARD_LOST = "national-myna-card-lost"
    NATIONAL_MYNA_CARD_FOUND = "national-myna-card-found"
    NATIONAL_KAKUNINSHO_FOUND = "national-kakuninsho-found"
    NATIONAL_DEPENDANTS = "national-dependants"
    NATIONAL_KAKUNINSHO_ON_REQUEST = "national-kakuninsho-on-request"
    NATIONAL_CERT_RENEWAL = "national-cert-renewal"
    NATIONAL_PORTAL_NEEDS_CERT = "national-portal-needs-cert"
    NATIONAL_KAKUNINSHO_AFTER_LAPSE = "national-kakuninsho-after-lapse"
    NATIONAL_KAKUNINSHO_DETAILS = "national-kakuninsho-details"
    NATIONAL_MYNA_DETAILS = "national-myna-details"
    NATIONAL_NEXT_INSURANCE = "national-next-insurance"
    NATIONAL_TRANSITION_MEASURE = "national-transition-measure"
    NATIONAL_LOSS_NOTIFICATION = "national-loss-notification"
    NATIONAL_NINI_KEIZOKU = "national-nini-keizoku"
    NATIONAL_KOKUHO = "national-kokuho"
    NATIONAL_ACQUISITION = "national-acquisition-notification"
    NATIONAL_NO_NEW_CARDS = "national-no-new-cards"


# Ranges of the integer values (the types come from the RulePack fields below).
INT_RANGES: dict[str, tuple[int, int]] = {
    "cert_grace_months": (0, 24),
    "cert_renew_notice_months": (0, 12),
    "myna_update_days": (0, 60),
    "kakuninsho_renewal_notice_days": (0, 366),
    "loss_notification_days": (1, 60),
    "nini_keizoku_days": (1, 60),
    "nini_keizoku_min_months": (0, 24),
    "kokuho_days": (1, 60),
    "joiner_documents_days": (0, 90),
}
# Values added after kenpo 0.1: a pack written before them must state them (it does
# not take our society's), and the message shows how (with the built-in value).
_LATER_VALUES = frozenset({"kakuninsho_renewal_notice_days"})
# National values (the same for every society): a pack that lacks one takes the built-in
# value, as it takes the national sources.
_NATIONAL_VALUES = frozenset(
    {
        "transition_measure_until",
        "loss_notification_days",
        "nini_keizoku_days",
        "nini_keizoku_min_months",
        "kokuho_days",
        "joiner_documents_days",
    }
)
SOURCE_KINDS = frozenset({"faq", "national", "society"})
# Keys of [pack] and [values.*]: True when required.
_PACK_KEYS = {"id": True, "version": True, "name": True}
_VALUE_KEYS = {"value": True, "source": True, "note": False}
_SERIES_KEYS = {"values": True, "note": False}  # a dated series: values.<day> = {value, source}
_SERIES_EXAMPLE = 'values.2027-12-01 = { value = 2028-07-31, source = "…" }'
_SOURCE_KEYS = {
    "kind": True,
    "section": True,
    "question": True,
    "url": False,
    "answer": False,
    "date": False,  # a national rule's date (of the law's version or the notice)
}
# The optional [contact]: how members reach the society (a phone number or a web page).
_CONTACT_KEYS = {"name": False, "phone": False, "hours": False, "web": False}
_PHONE = "a phone number such as 03-1234-5678 (digits, -, spaces, brackets, a leading +)"
_WEB = "web address starting with https:// (or http://)"
# Packs written for kenpo 0.1 gave the English text as separate `*_en` keys.
_LEGACY_EN = ("name", "section", "question")

# A text in several languages: language code to text ("ja" is always there).
Text = Mapping[str, str]


class Source(NamedTuple):
    """Where a rule comes from: an FAQ entry, a national rule or the society's own rule."""

    id: str
    kind: str
    section: Text
    question: Text
    url: str | None = None
    answer: Text | None = None  # the answer in a sentence or two (kenpo sources)
    date: str | None = None  # ISO date of a national rule's text or notice


class Contact(NamedTuple):
    """How members reach the society: shown with the steps that say to contact it."""

    name: Text | None = None
    phone: str | None = None
    hours: Text | None = None  # when the phone is answered
    web: str | None = None


class Dated(NamedTuple):
    """One entry of a dated series: ``value`` is in force from ``start`` on."""

    start: date
    value: Any
    source: str


class RulePack(NamedTuple):
    """A validated rule pack; read its values as attributes (a dated series' attribute is
    its first value: read the value in force on a day through :meth:`on` or :meth:`value`)."""

    id: str
    version: str
    name: Text
    transition_start: date
    old_card_valid_until: date
    kakuninsho_expiry: date
    cert_grace_months: int
    cert_renew_notice_months: int
    myna_update_days: int
    kakuninsho_renewal_notice_days: int
    oshirase_reissued: bool
    oshirase_return_on_leaving: bool
    portal_replaces_oshirase: bool
    kakuninsho_reissue_for_myna_holders: bool
    kakuninsho_return_on_leaving: bool
    kakuninsho_return_if_expired: bool
    kakuninsho_on_myna_loss: bool
    transition_measure_until: date
    loss_notification_days: int
    nini_keizoku_days: int
    nini_keizoku_min_months: int
    kokuho_days: int
    joiner_documents_days: int
    value_sources: Mapping[str, str]
    sources: Mapping[str, Source]
    text: str
    contact: Contact | None = None
    series: Mapping[str, tuple[Dated, ...]] = MappingProxyType({})  # key: its dated series

    def __repr__(self) -> str:
        return f"RulePack({self.id!r} {self.version!r})"

    def value(self, key: str, on: date) -> Any:
        """The value of ``key`` in force on ``on``: a series' last entry that has begun
        by then (its first before any has)."""
        return _entry(self, key, on).value if key in self.series else getattr(self, key)

    def on(self, day: date) -> "RulePack":
        """The pack as it stands on ``day``: every dated series read on that day, with
        the source of the entry in force. A pack without a series is itself."""
        if not self.series:
            return self
        key = (id(self), day)
        found = _ON.get(key)
        if found is not None and found[0] is self:
            return found[1]
        entries = {k: _entry(self, k, day) for k in self.series}
        sources = {**self.value_sources, **{k: e.source for k, e in entries.items()}}
        made = self._replace(
            value_sources=MappingProxyType(sources), **{k: e.value for k, e in entries.items()}
        )
        if len(_ON) > 64:
            _ON.clear()
        _ON[key] = (self, made)
        return made

    def source_of(self, key: str) -> str:
        """The source id the pack gives for value ``key``."""
        return self.value_sources[key]


_NOT_VALUES = ("id", "version", "name", "value_sources", "sources", "text", "contact", "series")
# The packs as they stand on a day, by (pack, day): a batch asks for one day many times.
_ON: dict[tuple[int, date], tuple[RulePack, RulePack]] = {}


def _entry(pack: RulePack, key: str, day: date) -> Dated:
    entries = pack.series[key]
    found = entries[0]
    for entry in entries:
        if entry.start > day:
            break
        found = entry
    return found


@cache
def value_types() -> dict[str, type]:
    """Each [values.*] key and its type: the RulePack fields above, so the two never differ
    (worked out when a pack is validated or shown, not on every run)."""
    return {k: t for k, t in get_type_hints(RulePack).items() if k not in _NOT_VALUES}


def package_data(name: str) -> str:
    """The text of ``kenpo_cli/data/<name>``."""
    return datafiles.text(name)


def builtin_text() -> str:
    """The TOML text of the built-in pack."""
    return package_data("rules.toml")


_BUILTIN: RulePack | None = None


def builtin() -> RulePack:
    """The built-in pack (parsed once per process).

    It ships with kenpo and is validated by the tests (tests/unit/test_rulepacks.py
    checks that this equals :func:`parse` of it), so a run only reads it.
    """
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = _trusted(datafiles.load("rules.toml"), builtin_text())
    return _BUILTIN


def _trusted(doc: Mapping[str, Any], text: str) -> RulePack:
    """A pack known to be valid, read without checking it again."""
    values = doc["values"]
    sources = {
        sid: Source(
            sid,
            e["kind"],
            _frozen(e["section"]),
            _frozen(e["question"]),
            e.get("url"),
            _frozen(e["answer"]) if "answer" in e else None,
            e["date"].isoformat() if "date" in e else None,
        )
        for sid, e in doc["sources"].items()
    }
    series = {
        k: tuple(Dated(date.fromisoformat(d), e["value"], e["source"]) for d, e in v.items())
        for k, v in ((k, v["values"]) for k, v in values.items() if "values" in v)
    }
    firsts = {
        k: v["values"][next(iter(v["values"]))] if "values" in v else v for k, v in values.items()
    }
    return RulePack(
        id=doc["pack"]["id"],
        version=doc["pack"]["version"],
        name=_frozen(doc["pack"]["name"]),
        value_sources=MappingProxyType({k: v["source"] for k, v in firsts.items()}),
        sources=MappingProxyType(sources),
        text=text,
        contact=_contact(doc["contact"], "") if "contact" in doc else None,
        series=MappingProxyType(series),
        **{k: v["value"] for k, v in firsts.items()},
    )


def _frozen(texts: dict[str, str]) -> Text:
    return MappingProxyType(texts)


def load(path: str | Path) -> RulePack:
    """Read and validate the pack at ``path``."""
    where = str(path)
    try:
        raw = read_small(path)
    except OSError as exc:
        raise KenpoError("rules_unreadable", file=where, reason=os_reason(exc)) from None
    except TooLarge:
        raise KenpoError("rules_too_large", file=where, limit=MAX_SHOWN) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KenpoError("rules_encoding", file=where) from None
    return parse(text, where)


def parse(text: str, where: str) -> RulePack:
    """Validate TOML ``text`` (from ``where``) as a rule pack."""
    import tomli  # only for a pack from a file (the built-in one is read ready-made)

    if spans := my_number_spans(text):
        # A pack is shown whole (`rules show --toml`), its ids and texts in every output.
        line = str(text.count("\n", 0, spans[0][0]) + 1)
        raise KenpoError("rules_my_number", file=where, line=line)

    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise KenpoError("rules_syntax", file=where, reason=str(exc)) from None
    except ValueError:  # an integer of thousands of digits
        raise KenpoError("rules_syntax", file=where, reason="an integer too long") from None
    except RecursionError:
        raise KenpoError("rules_syntax", file=where, reason="nested too deeply") from None
    if (key := _my_number_at(doc, "")) is not None:
        # Written with escapes ("\u0031…", a line-continued string) the text above
        # holds no digits in a row; the values the pack is read as do.
        raise KenpoError("rules_my_number_key", file=where, key=key)
    _check_keys(doc, {"pack": True, "values": True, "sources": True, "contact": False}, where, "")
    pack = _table(doc, "pack", where)
    _fold_legacy_en(pack)
    _check_keys(pack, _PACK_KEYS, where, "pack.")
    meta = {k: _string(pack, k, where, "pack.") for k in ("id", "version")}
    sources = _read_sources(_table(doc, "sources", where), where)
    values_table = _table(doc, "values", where)
    _complete(values_table, sources, where)
    values, value_sources, series = _read_values(values_table, sources, where)
    _check_order(values, series, where)
    missing = [s for s in Src if s not in sources]
    if missing:
        raise KenpoError("rules_missing_source", file=where, key=f"sources.{missing[0]}")
    return RulePack(
        id=meta["id"],
        version=meta["version"],
        name=_text(pack, "name", where, "pack."),
        value_sources=MappingProxyType(value_sources),
        sources=MappingProxyType(sources),
        text=text,
        contact=_contact(_table(doc, "contact", where), where) if "contact" in doc else None,
        series=MappingProxyType(series),
        **values,
    )


def _my_number_at(value: Any, where: str) -> str | None:
    """The key (dotted) of the first key or string of a parsed pack holding a マイナンバー."""
    if isinstance(value, str):
        return where if my_number_spans(value) else None
    if isinstance(value, dict):
        for key, inner in value.items():
            here = f"{where}.{key}" if where else str(key)
            if my_number_spans(str(key)) or (found := _my_number_at(inner, here)) is not None:
                return here if my_number_spans(str(key)) else found
    if isinstance(value, list):
        for i, inner in enumerate(value):
            if (found := _my_number_at(inner, f"{where}[{i}]")) is not None:
                return found
    return None


def _contact(table: dict[str, Any], where: str) -> Contact:
    """The [contact] table, checked: a phone number or a web page at least, each of a
    shape a member can dial or open."""
    import re

    _check_keys(table, _CONTACT_KEYS, where, "contact.")
    if "phone" not in table and "web" not in table:
        raise KenpoError("rules_missing_key", file=where, key="contact.phone")
    phone = _string(table, "phone", where, "contact.") if "phone" in table else None
    digits = sum(c.isdigit() for c in phone or "")
    if phone is not None and (
        not re.fullmatch(r"\+?[0-9(][0-9\- ()]*[0-9]", phone) or not 10 <= digits <= 15
    ):
        raise KenpoError("rules_type", file=where, key="contact.phone", expected=_PHONE)
    web = _string(table, "web", where, "contact.") if "web" in table else None
    if web is not None and not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", web):
        raise KenpoError("rules_type", file=where, key="contact.web", expected=_WEB)
    return Contact(
        name=_text(table, "name", where, "contact.") if "name" in table else None,
        phone=phone,
        hours=_text(table, "hours", where, "contact.") if "hours" in table else None,
        web=web,
    )


def _complete(values: dict[str, Any], sources: dict[str, Source], where: str) -> None:
    """Fill in what a pack written for an earlier kenpo could not know: the national rules
    (the same for every society) from the built-in pack, a renewal window counted in days
    in months. A value added since is refused, naming it: the society states its own."""
    days = values.pop("cert_renew_notice_days", None)  # kenpo 0.1 counted the window in days
    if isinstance(days, dict) and "cert_renew_notice_months" not in values:
        value = days.get("value")
        if type(value) is int and value >= 0:  # (any size: a float could not hold it)
            days = {**days, "value": min(12, round(min(value, 360) / 30))}
        values["cert_renew_notice_months"] = days
    for key in sorted(_LATER_VALUES - set(values)):
        # Not our society's value in silence: the pack states its own (exit 2, an example).
        base = builtin()
        example = f'[values.{key}] value = {getattr(base, key)} source = "{base.source_of(key)}"'
        raise KenpoError("rules_missing_value", file=where, key=f"values.{key}", example=example)
    for key in sorted(_NATIONAL_VALUES - set(values)):
        base = builtin()
        values[key] = {"value": getattr(base, key), "source": base.source_of(key)}
    for sid in Src:
        if sid not in sources and sid.startswith("national-"):
            sources[sid] = builtin().sources[sid]


def _read_sources(table: dict[str, Any], where: str) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for sid, entry in table.items():
        prefix = f"sources.{sid}."
        if control := terminal_control(sid):  # ids are printed by `kenpo sources`
            raise KenpoError("rules_control", file=where, key=prefix[:-1], char=control)
        if not isinstance(entry, dict):
            raise KenpoError("rules_type", file=where, key=prefix[:-1], expected="table")
        _fold_legacy_en(entry)
        _check_keys(entry, _SOURCE_KEYS, where, prefix)
        kind = _string(entry, "kind", where, prefix)
        if kind not in SOURCE_KINDS:
            raise KenpoError(
                "rules_bad_value",
                file=where,
                key=prefix + "kind",
                expected="faq, national, society",
            )
        out[sid] = Source(
            id=sid,
            kind=kind,
            section=_text(entry, "section", where, prefix),
            question=_text(entry, "question", where, prefix),
            url=_string(entry, "url", where, prefix) if "url" in entry else None,
            answer=_text(entry, "answer", where, prefix) if "answer" in entry else None,
            date=_day(entry["date"], where, prefix + "date") if "date" in entry else None,
        )
    return out


def _day(value: Any, where: str, key: str) -> str:
    """A source's date: a TOML date in the calendar kenpo knows, as ISO text."""
    return str(_typed(value, date, where, key).isoformat())


def _read_values(
    table: dict[str, Any], sources: dict[str, Source], where: str
) -> tuple[dict[str, Any], dict[str, str], dict[str, tuple[Dated, ...]]]:
    _check_keys(table, dict.fromkeys(value_types(), True), where, "values.")
    values: dict[str, Any] = {}
    value_sources: dict[str, str] = {}
    series: dict[str, tuple[Dated, ...]] = {}
    for key, kind in value_types().items():
        prefix = f"values.{key}."
        entry = table[key]
        if not isinstance(entry, dict):
            raise KenpoError("rules_type", file=where, key=prefix[:-1], expected="table")
        if "values" in entry:
            _check_keys(entry, _SERIES_KEYS, where, prefix)
            series[key] = _read_series(entry["values"], kind, sources, where, prefix + "values")
            values[key], value_sources[key] = series[key][0].value, series[key][0].source
        else:
            _check_keys(entry, _VALUE_KEYS, where, prefix)
            values[key] = _typed(entry["value"], kind, where, prefix + "value")
            value_sources[key] = _source(entry, sources, where, prefix)
        if "note" in entry:
            _string(entry, "note", where, prefix)
    return values, value_sources, series


def _source(entry: dict[str, Any], sources: dict[str, Source], where: str, prefix: str) -> str:
    source = _string(entry, "source", where, prefix)
    if source not in sources:
        raise KenpoError("rules_unknown_source", file=where, key=prefix + "source", value=source)
    return source


def _read_series(
    table: Any, kind: type, sources: dict[str, Source], where: str, key: str
) -> tuple[Dated, ...]:
    """``values.<day> = { value = …, source = "…" }``: days real, in order, each once."""
    if not isinstance(table, dict) or not table:
        raise KenpoError("rules_type", file=where, key=key, expected=_SERIES_EXAMPLE)
    out: list[Dated] = []
    for day, entry in table.items():
        prefix = f"{key}.{day}."
        try:
            start = date.fromisoformat(day) if len(day) == 10 else None
        except ValueError:
            start = None
        if start is None or not EARLIEST <= start <= LATEST:
            raise KenpoError("rules_series_day", file=where, key=prefix[:-1], example="2027-12-01")
        if out and start <= out[-1].start:
            raise KenpoError(
                "rules_series_order", file=where, key=prefix[:-1], after=out[-1].start.isoformat()
            )
        if not isinstance(entry, dict):
            raise KenpoError("rules_type", file=where, key=prefix[:-1], expected=_SERIES_EXAMPLE)
        _check_keys(entry, _VALUE_KEYS, where, prefix)
        value = _typed(entry["value"], kind, where, prefix + "value")
        out.append(Dated(start, value, _source(entry, sources, where, prefix)))
        if "note" in entry:
            _string(entry, "note", where, prefix)
    return tuple(out)


def _typed(value: Any, kind: type, where: str, key: str) -> Any:
    # bool is an int in Python, and a TOML datetime is a date: compare exact types.
    if type(value) is not kind:
        raise KenpoError("rules_type", file=where, key=key, expected=_type_name(kind))
    if isinstance(value, date) and not EARLIEST <= value <= LATEST:
        # The rules add months and days to these: keep them far from the calendar's end.
        first, last = EARLIEST.isoformat(), LATEST.isoformat()
        raise KenpoError("rules_range", file=where, key=key, low=first, high=last)
    if isinstance(value, int) and kind is int:
        low, high = INT_RANGES[key.split(".")[1]]
        if not low <= value <= high:
            raise KenpoError("rules_range", file=where, key=key, low=str(low), high=str(high))
    return value


def _check_order(values: dict[str, Any], series: dict[str, tuple[Dated, ...]], where: str) -> None:
    def each(key: str) -> list[tuple[str, Any]]:
        if key not in series:
            return [(f"values.{key}.value", values[key])]
        return [(f"values.{key}.values.{e.start}.value", e.value) for e in series[key]]

    starts = each("transition_start")
    first = max(v for _, v in starts)
    for later, strict in (("old_card_valid_until", False), ("kakuninsho_expiry", True)):
        for key, value in each(later):
            if value < first or (strict and value == first):
                after = next(k for k, v in starts if v == first)
                raise KenpoError("rules_order", file=where, key=key, after=after)
    # A 資格確認書 issued from a series entry's day expires after that day: a renewal's
    # cards cannot have lapsed when they are issued (2028-07-31 typed as 2027-07-31).
    for entry in series.get("kakuninsho_expiry", ()):
        if entry.value <= entry.start:
            key = f"values.kakuninsho_expiry.values.{entry.start}"
            raise KenpoError("rules_order", file=where, key=f"{key}.value", after=key)
    # The measure runs from the old card's end: it cannot end before it.
    ends = each("old_card_valid_until")
    last_card = max(v for _, v in ends)
    for key, value in each("transition_measure_until"):
        if value < last_card:
            after = next(k for k, v in ends if v == last_card)
            raise KenpoError("rules_order", file=where, key=key, after=after)


def _type_name(kind: type) -> str:
    return {date: "date (YYYY-MM-DD)", int: "integer", bool: "true or false", str: "string"}[kind]


def _table(doc: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = doc[key]
    if not isinstance(value, dict):
        raise KenpoError("rules_type", file=where, key=key, expected="table")
    return value


def _string(table: dict[str, Any], key: str, where: str, prefix: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise KenpoError("rules_type", file=where, key=prefix + key, expected="non-empty string")
    if control := terminal_control(value):
        # Shown on the terminal later: an escape sequence or a bidi override would act.
        raise KenpoError("rules_control", file=where, key=prefix + key, char=control)
    return value


def _text(table: dict[str, Any], key: str, where: str, prefix: str) -> Text:
    """A text in one language for all (a string) or several (``{ja = "…", en = "…"}``)."""
    value = table[key]
    if isinstance(value, str):
        return MappingProxyType({"ja": _string(table, key, where, prefix)})
    if not isinstance(value, dict) or "ja" not in value:
        raise KenpoError(
            "rules_type", file=where, key=prefix + key, expected='string or {ja = "…", en = "…"}'
        )
    return MappingProxyType(
        {lang: _string(value, lang, where, f"{prefix}{key}.") for lang in value}
    )


def _fold_legacy_en(table: dict[str, Any]) -> None:
    """Read a kenpo 0.1 pack's ``name_en``-style keys as the ``en`` text of ``name``."""
    for key in _LEGACY_EN:
        english = table.pop(f"{key}_en", None)
        if english is not None and isinstance(table.get(key), str):
            table[key] = {"ja": table[key], "en": english}


def _check_keys(table: dict[str, Any], allowed: dict[str, bool], where: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise KenpoError("rules_unknown_key", file=where, key=prefix + key)
    for key, required in allowed.items():
        if required and key not in table:
            raise KenpoError("rules_missing_key", file=where, key=prefix + key)
