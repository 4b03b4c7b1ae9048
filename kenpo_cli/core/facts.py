"""Turning what people type (flags, answers files, CSV cells) into :class:`Facts`.

Each closed-choice fact takes its code (``yes``, ``held``, …) and the words an HR
sheet or a member would use (``はい``, ``有``, ``紛失``, …), full-width or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kenpo_cli.core.dates import normalise, parse_date
from kenpo_cli.core.model import (
    FACT_NAMES,
    Facts,
    Holding,
    Myna,
    OldCard,
    Reader,
    Status,
    YesNo,
    make_facts,
)
from kenpo_cli.errors import InvalidDate, InvalidValue, KenpoError

EARLIEST_AS_OF = date(2024, 12, 2)

_YES = ("yes", "y", "true", "1", "はい", "有", "有り", "あり", "○", "〇", "◯", "済", "登録済")
_NO = ("no", "n", "false", "0", "いいえ", "無", "無し", "なし", "×", "未", "未登録")
_LOST = ("lost", "紛失", "紛失した", "滅失", "き損", "毀損", "なくした", "失くした")

_ALIASES: dict[type[StrEnum], dict[str, tuple[str, ...]]] = {
    Status: {
        "enrolled": ("在籍", "在職", "加入中", "加入"),
        "left": ("退職", "喪失", "資格喪失", "退職済"),
    },
    Myna: {
        "yes": _YES,
        "no": _NO,
        "unknown": ("?", "不明", "わからない", "分からない"),
        "lost": _LOST,
    },
    Holding: {"held": (*_YES, "持っている", "所持"), "none": _NO, "lost": _LOST},
    OldCard: {"held": (*_YES, "持っている", "所持"), "none": _NO},
    YesNo: {"yes": _YES, "no": _NO},
    Reader: {
        "ok": ("yes", "あり", "有", "使える", "読める"),
        "none": ("no", "なし", "無", "ない", "使えない", "読めない"),
    },
}

CHOICE_FACTS: dict[str, type[StrEnum]] = {
    "status": Status,
    "myna": Myna,
    "kakuninsho": Holding,
    "oshirase": Holding,
    "old_card": OldCard,
    "portal": YesNo,
    "reader": Reader,
    "name_changed": YesNo,
    "unreachable": YesNo,
}
ALL_FIELDS: tuple[str, ...] = ("as_of", *FACT_NAMES)


def _lookup(kind: type[StrEnum]) -> dict[str, StrEnum]:
    table: dict[str, StrEnum] = {normalise(m.value): m for m in kind}
    for code, words in _ALIASES[kind].items():
        for word in words:
            table.setdefault(normalise(word), kind(code))
    return table


_LOOKUPS = {kind: _lookup(kind) for kind in _ALIASES}


def flag_name(field: str) -> str:
    """The command-line flag of a fact: ``left_on`` is ``--left-on``."""
    return "--" + field.replace("_", "-")


def accepted_values(field: str) -> str:
    """The codes a choice field accepts, for error messages (``yes, no, unknown, lost``)."""
    return ", ".join(m.value for m in CHOICE_FACTS[field])


def parse_fact(field: str, raw: Any, today: date, label: str | None = None) -> Any:
    """One fact's typed value from a string (or a TOML date).

    Errors name ``label`` (the flag, key or column the value came from), else ``field``.
    """
    name = label or field
    if isinstance(raw, datetime):  # a TOML date-time: its day is what counts
        value: Any = raw.date()
    elif isinstance(raw, date):
        value = raw
    elif not isinstance(raw, str):
        raise InvalidValue(name, repr(raw), _accepted(field))
    elif field in CHOICE_FACTS:
        found = _LOOKUPS[CHOICE_FACTS[field]].get(normalise(raw))
        if found is None:
            raise InvalidValue(name, raw, accepted_values(field))
        return found
    else:
        value = parse_date(raw, name, today)
    if field == "as_of" and value < EARLIEST_AS_OF:
        raise InvalidDate(name, str(raw), "before_rules")
    return value


def _accepted(field: str) -> str:
    if field in CHOICE_FACTS:
        return accepted_values(field)
    return "2026-11-26"


class Gathered:
    """Facts as given so far: typed values by field name, ``as_of`` included."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)

    def merged_under(self, lower: Gathered) -> Gathered:
        """These values over ``lower``'s (flags over an answers file, for instance)."""
        return Gathered({**lower.values, **self.values})

    def facts(self) -> Facts:
        """The :class:`Facts` these values give, with contract defaults for the rest."""
        return make_facts(**{k: v for k, v in self.values.items() if k != "as_of"})

    def as_of(self, today: date) -> date:
        value = self.values.get("as_of", today)
        assert isinstance(value, date)
        return value


def gather(raw: Mapping[str, Any], today: date, origin: str = "", flags: bool = False) -> Gathered:
    """Parse a mapping of field name to raw value (``None`` or ``""`` means not given).

    Errors name the flag (``--left-on``) when ``flags``, else ``origin`` and the key.
    """
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name not in ALL_FIELDS:
            raise KenpoError(
                "unknown_fact", field=key, origin=origin, accepted=", ".join(ALL_FIELDS)
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        label = flag_name(name) if flags else f"{origin}{key}"
        values[name] = parse_fact(name, value, today, label=label)
    return Gathered(values)
