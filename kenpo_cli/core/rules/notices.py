"""Things a member should know that are not steps: a table of (code, when, what it says)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from kenpo_cli.core.model import Holding, Item, Myna, Notice
from kenpo_cli.core.rules.situation import Situation

Options = tuple[tuple[Item, ...], ...]


class Rule(NamedTuple):
    """A notice: its code, when it applies, and the dates its message fills in."""

    code: str
    applies: Callable[[Situation, Options], bool]
    params: Callable[[Situation], dict[str, date | None]] = lambda s: {}


def _holder_without_reissue(s: Situation) -> bool:
    return s.facts.myna is Myna.YES and not s.pack.kakuninsho_reissue_for_myna_holders


def _kakuninsho_coming(s: Situation) -> bool:
    # faq-old-card-until: members without a マイナ保険証 are sent one, unasked.
    f = s.facts
    before_end = s.as_of <= s.pack.old_card_valid_until
    return s.member and before_end and f.myna is not Myna.YES and f.kakuninsho is Holding.NONE


NOTICES: tuple[Rule, ...] = (
    Rule(
        "not_yet_member",
        lambda s, p: s.facts.joined_on is not None and s.as_of < s.facts.joined_on,
        lambda s: {"joined_on": s.facts.joined_on},
    ),
    Rule("membership_ended", lambda s, p: s.ended),
    Rule(
        "leaving_soon",
        lambda s, p: s.leaving_later and s.left_on is not None,
        lambda s: {"left_on": s.left_on},
    ),
    Rule("leaving_undated", lambda s, p: s.leaving_later and s.left_on is None),
    Rule(
        "kakuninsho_not_reissued",
        lambda s, p: (
            s.facts.kakuninsho is Holding.LOST and _holder_without_reissue(s) and not s.leaving
        ),
    ),
    Rule(
        "oshirase_not_reissued",
        lambda s, p: (
            s.facts.oshirase is Holding.LOST and not s.pack.oshirase_reissued and not s.ended
        ),
    ),
    Rule(
        "cert_lapsed",
        lambda s, p: s.facts.myna is Myna.YES and s.grace_end is not None and s.as_of > s.grace_end,
        lambda s: {"grace_end": s.grace_end},
    ),
    Rule(
        "kakuninsho_coming",
        lambda s, p: _kakuninsho_coming(s),
        lambda s: {"from": s.pack.old_card_valid_until},
    ),
    Rule("oshirase_alone", lambda s, p: s.member and not p and s.facts.oshirase is Holding.HELD),
)


def notices(s: Situation, present: Options) -> tuple[Notice, ...]:
    """The notices that apply to the member today, in the table's order."""
    out = []
    for rule in NOTICES:
        if rule.applies(s, present):
            params = tuple((k, v.isoformat()) for k, v in rule.params(s).items() if v)
            out.append(Notice(rule.code, params))
    return tuple(out)
