"""The vocabulary of kenpo as immutable types: facts in, verdict out (CONTRACT.md, Vocabulary).

The records are NamedTuples rather than frozen dataclasses: equally immutable and
typed, and several milliseconds cheaper to create at start-up, which every one-shot
call pays (benchmarks/oneshot.py).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple


class Status(StrEnum):
    ENROLLED = "enrolled"
    LEFT = "left"


class Myna(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
    LOST = "lost"


class Holding(StrEnum):
    """Whether the member has a paper document (the 資格確認書 or the お知らせ)."""

    NONE = "none"
    HELD = "held"
    LOST = "lost"


class OldCard(StrEnum):
    NONE = "none"
    HELD = "held"


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class Reader(StrEnum):
    OK = "ok"
    NONE = "none"


class ActionKind(StrEnum):
    """What a step asks of the member, in the order a screen lists them."""

    CARRY = "carry"
    KEEP = "keep"
    RETURN = "return"
    DISPOSE = "dispose"
    SUBMIT = "submit"
    RENEW = "renew"
    CHECK = "check"
    CONTACT = "contact"


class Item(StrEnum):
    OLD_CARD = "old_card"
    MYNA = "myna"
    MYNA_CERT = "myna_cert"
    KAKUNINSHO = "kakuninsho"
    OSHIRASE = "oshirase"
    PORTAL_SCREEN = "portal_screen"
    MYNAPORTAL = "mynaportal"
    KENPO = "kenpo"
    KAKUNINSHO_REISSUE = "kakuninsho_reissue"
    KAKUNINSHO_LOSS_REPORT = "kakuninsho_loss_report"
    NAME_CHANGE = "name_change"
    KAKUNINSHO_APPLICATION = "kakuninsho_application"


# What can be done with a document one holds; each held document gets exactly one of
# these for today (tests/unit/test_properties.py).
DISPOSITIONS = (ActionKind.CARRY, ActionKind.KEEP, ActionKind.RETURN, ActionKind.DISPOSE)


class Facts(NamedTuple):
    """What the member tells kenpo; ``None`` dates are unknown (CONTRACT.md, Facts).

    Build it with :func:`make_facts`, which applies "left_on implies status=left".
    """

    status: Status = Status.ENROLLED
    left_on: date | None = None
    joined_on: date | None = None
    myna: Myna = Myna.NO
    cert_expiry: date | None = None
    kakuninsho: Holding = Holding.NONE
    kakuninsho_expiry: date | None = None
    oshirase: Holding = Holding.HELD
    old_card: OldCard = OldCard.NONE
    portal: YesNo = YesNo.NO
    reader: Reader = Reader.OK
    name_changed: YesNo = YesNo.NO
    unreachable: YesNo = YesNo.NO

    def as_dict(self) -> dict[str, str | None]:
        """The facts as codes and ISO dates, in contract order (for JSON and answers files)."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in zip(self._fields, self, strict=True)
        }


def make_facts(**values: Any) -> Facts:
    """:class:`Facts` from typed values; a ``left_on`` date makes the status ``left``."""
    if values.get("left_on") is not None:
        values["status"] = Status.LEFT
    return Facts(**values)


FACT_NAMES: tuple[str, ...] = Facts._fields


class Action(NamedTuple):
    """One step: ``action`` ``item``, why (a message key with parameters) and on what source."""

    action: ActionKind
    item: Item
    reason: str
    sources: tuple[str, ...]
    params: tuple[tuple[str, str], ...] = ()
    by: date | None = None
    from_: date | None = None


class Notice(NamedTuple):
    """A warning for the member: a message key with parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()


class Verdict(NamedTuple):
    """What kenpo concludes for one member on one day; language-neutral."""

    as_of: date
    facts: Facts
    rules_id: str
    rules_version: str
    can_see_doctor: bool
    present: tuple[tuple[Item, ...], ...]
    actions: tuple[Action, ...]
    warnings: tuple[Notice, ...] = ()
