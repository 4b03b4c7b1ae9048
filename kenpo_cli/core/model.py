"""The vocabulary of kenpo as frozen types: facts in, verdict out (CONTRACT.md, Vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum


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


# The documents a member can hold; each held one gets exactly one undated carry, keep,
# return or dispose step.
DOCUMENTS = (Item.OLD_CARD, Item.MYNA, Item.KAKUNINSHO, Item.OSHIRASE)
DISPOSITIONS = (ActionKind.CARRY, ActionKind.KEEP, ActionKind.RETURN, ActionKind.DISPOSE)


@dataclass(frozen=True)
class Facts:
    """What the member tells kenpo; ``None`` dates are unknown (CONTRACT.md, Facts)."""

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

    def __post_init__(self) -> None:
        # CONTRACT.md: left_on implies status=left.
        if self.left_on is not None and self.status is not Status.LEFT:
            object.__setattr__(self, "status", Status.LEFT)

    def as_dict(self) -> dict[str, str | None]:
        """The facts as codes and ISO dates, in contract order (for JSON and answers files)."""
        out: dict[str, str | None] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


FACT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Facts))
DATE_FACTS = frozenset({"left_on", "joined_on", "cert_expiry", "kakuninsho_expiry"})


@dataclass(frozen=True)
class Action:
    """One step: ``action`` ``item``, why (a message key with parameters) and on what source."""

    action: ActionKind
    item: Item
    reason: str
    sources: tuple[str, ...]
    params: tuple[tuple[str, str], ...] = ()
    by: date | None = None
    from_: date | None = None


@dataclass(frozen=True)
class Notice:
    """A warning for the member: a message key with parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What kenpo concludes for one member on one day; language-neutral."""

    as_of: date
    facts: Facts
    rules_id: str
    rules_version: str
    can_see_doctor: bool
    present: tuple[tuple[Item, ...], ...]
    actions: tuple[Action, ...]
    warnings: tuple[Notice, ...] = field(default=())
