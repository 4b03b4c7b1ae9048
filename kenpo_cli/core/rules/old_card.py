"""The old card-type insurance card (faq-old-card-*, national-old-card-return)."""

from __future__ import annotations

from datetime import timedelta

from kenpo_cli.core.model import Action, ActionKind, Item, OldCard
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, When, act, later

A = ActionKind


def old_card_steps(s: Situation) -> list[Action]:
    """The old card works to the transition's end, then is destroyed."""
    if s.facts.old_card is not OldCard.HELD:
        return []
    last = s.pack.old_card_valid_until
    first_invalid = last + timedelta(days=1)
    valid_until = s.pack.source_of("old_card_valid_until")
    if s.as_of > last:
        return [
            act(
                A.DISPOSE,
                Item.OLD_CARD,
                "dispose_old_card",
                Src.OLD_CARD_AFTER,
                valid_until,
                since=first_invalid,
            )
        ]
    steps = []
    until = s.valid_until(Item.OLD_CARD) or last
    if s.member:
        steps.append(act(A.CARRY, Item.OLD_CARD, "carry_old_card", valid_until, until=until))
    elif not s.ended:  # joins later: nothing to show it for yet
        steps.append(act(A.KEEP, Item.OLD_CARD, "keep_old_card", valid_until, until=last))
    # Leaving while the card is still in force: the national rule is to hand it back.
    if s.leaving and s.leaving_day <= last:
        steps.append(
            act(
                A.RETURN,
                Item.OLD_CARD,
                "return_old_card",
                Src.NATIONAL_OLD_CARD_RETURN,
                at=later(s),
            )
        )
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
