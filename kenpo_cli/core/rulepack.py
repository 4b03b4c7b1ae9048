"""The rule pack: every date and policy switch, each with its source, loaded and validated.

The built-in pack ships as ``kenpo_cli/data/rules.toml``; another society's pack has
the same keys. Validation reports the first problem as a :class:`KenpoError` whose
code and parameters name the key, so the CLI can say it in either language.
"""

from __future__ import annotations

import pkgutil
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import tomli

from kenpo_cli.core.dates import EARLIEST, LATEST
from kenpo_cli.errors import KenpoError
from kenpo_cli.privacy import terminal_control
from kenpo_cli.smallfile import MAX_SHOWN, TooLarge, read_small


class Src:
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
    NATIONAL_KAKUNINSHO_ON_REQUEST = "national-kakuninsho-on-request"
    NATIONAL_CERT_RENEWAL = "national-cert-renewal"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        return tuple(v for k, v in vars(cls).items() if k.isupper())


# Each value's key and its type; a pack must give exactly these.
VALUE_TYPES: dict[str, type] = {
    "transition_start": date,
    "old_card_valid_until": date,
    "kakuninsho_expiry": date,
    "cert_grace_months": int,
    "cert_renew_notice_days": int,
    "myna_update_days": int,
    "oshirase_reissued": bool,
    "oshirase_return_on_leaving": bool,
    "portal_replaces_oshirase": bool,
    "kakuninsho_reissue_for_myna_holders": bool,
    "kakuninsho_return_on_leaving": bool,
    "kakuninsho_return_if_expired": bool,
    "kakuninsho_on_myna_loss": bool,
}
INT_RANGES: dict[str, tuple[int, int]] = {
    "cert_grace_months": (0, 24),
    "cert_renew_notice_days": (0, 366),
    "myna_update_days": (0, 60),
}
SOURCE_KINDS = frozenset({"faq", "national", "society"})
_PACK_KEYS = {"id": True, "version": True, "name": True, "name_en": False}
_VALUE_KEYS = {"value": True, "source": True, "note": False}
_SOURCE_KEYS = {
    "kind": True,
    "section": True,
    "question": True,
    "section_en": False,
    "question_en": False,
    "url": False,
}


class Source(NamedTuple):
    """Where a rule comes from: an FAQ entry or a national rule."""

    id: str
    kind: str
    section: str
    question: str
    section_en: str
    question_en: str
    url: str | None = None


class RulePack(NamedTuple):
    """A validated rule pack; read its values as attributes."""

    id: str
    version: str
    name: str
    name_en: str
    transition_start: date
    old_card_valid_until: date
    kakuninsho_expiry: date
    cert_grace_months: int
    cert_renew_notice_days: int
    myna_update_days: int
    oshirase_reissued: bool
    oshirase_return_on_leaving: bool
    portal_replaces_oshirase: bool
    kakuninsho_reissue_for_myna_holders: bool
    kakuninsho_return_on_leaving: bool
    kakuninsho_return_if_expired: bool
    kakuninsho_on_myna_loss: bool
    value_sources: MappingProxyType[str, str]
    sources: MappingProxyType[str, Source]
    text: str

    def __repr__(self) -> str:
        return f"RulePack({self.id!r} {self.version!r})"

    def source_of(self, key: str) -> str:
        """The source id the pack gives for value ``key``."""
        return self.value_sources[key]


def package_data(name: str) -> str:
    """The text of ``kenpo_cli/data/<name>``, read through the package's loader.

    pkgutil.get_data goes through the same loader protocol as importlib.resources
    (so it works from a wheel or a zip), without the ~4 ms importlib.resources adds
    to every one-shot call (benchmarks/oneshot.py).
    """
    data = pkgutil.get_data("kenpo_cli", f"data/{name}")
    assert data is not None, name
    return data.decode("utf-8")


def builtin_text() -> str:
    """The TOML text of the built-in pack."""
    return package_data("rules.toml")


_BUILTIN: RulePack | None = None


def builtin() -> RulePack:
    """The built-in pack (parsed once per process)."""
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = parse(builtin_text(), "rules.toml")
    return _BUILTIN


def load(path: str | Path) -> RulePack:
    """Read and validate the pack at ``path``."""
    where = str(path)
    try:
        raw = read_small(path)
    except OSError as exc:
        raise KenpoError("rules_unreadable", file=where, reason=exc.strerror or str(exc)) from None
    except TooLarge:
        raise KenpoError("rules_too_large", file=where, limit=MAX_SHOWN) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KenpoError("rules_encoding", file=where) from None
    return parse(text, where)


def parse(text: str, where: str) -> RulePack:
    """Validate TOML ``text`` (from ``where``) as a rule pack."""
    try:
        doc = tomli.loads(text)
    except ValueError as exc:  # TOMLDecodeError, or an integer too long to convert
        raise KenpoError("rules_syntax", file=where, reason=str(exc)) from None
    except RecursionError:
        raise KenpoError("rules_syntax", file=where, reason="nested too deeply") from None
    _check_keys(doc, {"pack": True, "values": True, "sources": True}, where, "")
    pack = _table(doc, "pack", where)
    _check_keys(pack, _PACK_KEYS, where, "pack.")
    meta = {k: _string(pack, k, where, "pack.") for k in _PACK_KEYS if k in pack}
    sources = _read_sources(_table(doc, "sources", where), where)
    values, value_sources = _read_values(_table(doc, "values", where), sources, where)
    _check_order(values, where)
    missing = [s for s in Src.all() if s not in sources]
    if missing:
        raise KenpoError("rules_missing_source", file=where, key=f"sources.{missing[0]}")
    return RulePack(
        id=meta["id"],
        version=meta["version"],
        name=meta["name"],
        name_en=meta.get("name_en", meta["name"]),
        value_sources=MappingProxyType(value_sources),
        sources=MappingProxyType(sources),
        text=text,
        **values,
    )


def _read_sources(table: dict[str, Any], where: str) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for sid, entry in table.items():
        prefix = f"sources.{sid}."
        if control := terminal_control(sid):  # ids are printed by `kenpo sources`
            raise KenpoError("rules_control", file=where, key=prefix[:-1], char=control)
        if not isinstance(entry, dict):
            raise KenpoError("rules_type", file=where, key=prefix[:-1], expected="table")
        _check_keys(entry, _SOURCE_KEYS, where, prefix)
        fields = {k: _string(entry, k, where, prefix) for k in _SOURCE_KEYS if k in entry}
        if fields["kind"] not in SOURCE_KINDS:
            raise KenpoError(
                "rules_bad_value",
                file=where,
                key=prefix + "kind",
                expected="faq, national, society",
            )
        out[sid] = Source(
            id=sid,
            kind=fields["kind"],
            section=fields["section"],
            question=fields["question"],
            section_en=fields.get("section_en", fields["section"]),
            question_en=fields.get("question_en", fields["question"]),
            url=fields.get("url"),
        )
    return out


def _read_values(
    table: dict[str, Any], sources: dict[str, Source], where: str
) -> tuple[dict[str, Any], dict[str, str]]:
    _check_keys(table, dict.fromkeys(VALUE_TYPES, True), where, "values.")
    values: dict[str, Any] = {}
    value_sources: dict[str, str] = {}
    for key, kind in VALUE_TYPES.items():
        prefix = f"values.{key}."
        entry = table[key]
        if not isinstance(entry, dict):
            raise KenpoError("rules_type", file=where, key=prefix[:-1], expected="table")
        _check_keys(entry, _VALUE_KEYS, where, prefix)
        values[key] = _typed(entry["value"], kind, where, prefix + "value")
        source = _string(entry, "source", where, prefix)
        if source not in sources:
            raise KenpoError(
                "rules_unknown_source", file=where, key=prefix + "source", value=source
            )
        value_sources[key] = source
        if "note" in entry:
            _string(entry, "note", where, prefix)
    return values, value_sources


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


def _check_order(values: dict[str, Any], where: str) -> None:
    if not values["transition_start"] <= values["old_card_valid_until"]:
        raise KenpoError(
            "rules_order",
            file=where,
            key="values.old_card_valid_until.value",
            after="values.transition_start.value",
        )
    if not values["transition_start"] < values["kakuninsho_expiry"]:
        raise KenpoError(
            "rules_order",
            file=where,
            key="values.kakuninsho_expiry.value",
            after="values.transition_start.value",
        )


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


def _check_keys(table: dict[str, Any], allowed: dict[str, bool], where: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise KenpoError("rules_unknown_key", file=where, key=prefix + key)
    for key, required in allowed.items():
        if required and key not in table:
            raise KenpoError("rules_missing_key", file=where, key=prefix + key)
