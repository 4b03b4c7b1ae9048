"""The old card-type insurance card (faq-old-card-*, national-old-card-return)."""

from __future__ import annotations

from datetime import timedelta

from kenpo_cli.core.model import Action, ActionKind, Item, OldCard
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, When, act, later

A = ActionKind


def returned_on_leaving(s: Situation) -> bool:
    """Whether the card was (or will be) still in force on the leaving day, so it goes back.

    Like the 資格確認書's, the duty is fixed on the 資格喪失日 (national-old-card-return):
    someone who left in 2025-10 still owes the card when asking in 2026.
    """
    last = s.limits.old_card_last
    if s.left_on is not None:
        return s.leaving and s.left_on <= last
    return s.leaving and s.as_of <= last


def old_card_steps(s: Situation) -> list[Action]:
    """The old card works to the transition's end, then is destroyed; a leaver hands back a
    card still in force on the leaving day."""
    if s.facts.old_card is not OldCard.HELD:
        return []
    last = s.pack.old_card_valid_until
    first_invalid = last + timedelta(days=1)
    until_source = s.pack.source_of("old_card_valid_until")
    steps = []
    if s.as_of <= last and s.member:
        until = s.valid_until(Item.OLD_CARD) or last
        steps.append(act(A.CARRY, Item.OLD_CARD, "carry_old_card", until_source, until=until))
    elif s.as_of <= last and not s.ended:  # joins later: nothing to show it for yet
        steps.append(act(A.KEEP, Item.OLD_CARD, "keep_old_card", until_source, until=last))
    if returned_on_leaving(s):
        key = "return_old_card_left" if s.ended else "return_old_card"
        steps.append(act(A.RETURN, Item.OLD_CARD, key, Src.NATIONAL_OLD_CARD_RETURN, at=later(s)))
    elif s.as_of > last:
        sources = (Src.OLD_CARD_AFTER, until_source)
        key = (
            "dispose_old_card_left_undated" if s.ended and s.left_on is None else "dispose_old_card"
        )
        steps.append(act(A.DISPOSE, Item.OLD_CARD, key, *sources, since=first_invalid))
    else:
        steps.append(
            act(
                A.DISPOSE,
                Item.OLD_CARD,
                "dispose_old_card_later",
                Src.OLD_CARD_AFTER,
                at=When(from_=first_invalid),
                since=first_invalid,
            )
        )
    return steps
