"""The old card-type insurance card (faq-old-card-*, national-old-card-return)."""

from __future__ import annotations

from datetime import timedelta

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Myna, OldCard, Reason, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.kakuninsho import due
from kenpo_cli.core.rules.reception import in_measure, reception_options
from kenpo_cli.core.rules.situation import Situation, When, act, later

A = ActionKind


def returned_on_leaving(s: Situation) -> bool:
    """Whether the card was (or will be) still in force on the leaving day, so it goes back.

    Like the 資格確認書's, the duty is fixed on the 資格喪失日 (national-old-card-return):
    someone who left in 2025-10 still owes the card when asking in 2026.
    """
    last = s.limits.old_card_last
    if not s.old_card_ours:
        return False
    if s.left_on is not None:
        return s.leaving and s.left_on <= last
    return s.leaving and s.as_of <= last


def owes_card(s: Situation) -> bool:
    """Whether the leaver has a step to give the old card back (or to report it), said
    to be held or not said."""
    if s.facts.old_card is OldCard.UNKNOWN:
        return returned_on_leaving(s)
    return s.facts.old_card is OldCard.HELD and s.old_card_ours and returned_on_leaving(s)


def old_card_steps(s: Situation) -> list[Action]:
    """The old card works to the transition's end, then is destroyed; a leaver hands back a
    card still in force on the leaving day."""
    if s.facts.old_card is OldCard.UNKNOWN:  # (situation.read_unsaid: it was owed back)
        return [_if_still_held(s)] if returned_on_leaving(s) else []
    if s.facts.old_card is not OldCard.HELD:
        return []
    if not s.old_card_ours:
        return [_previous_insurers(s)]
    last = s.pack.old_card_valid_until
    first_invalid = last + timedelta(days=1)
    until_source = s.pack.source_of("old_card_valid_until")
    steps = []
    if s.as_of <= last and s.member:
        until = s.valid_until(Item.OLD_CARD) or last
        steps.append(act(A.CARRY, Item.OLD_CARD, "carry_old_card", until_source, until=until))
    # (Someone joining later holds no card of ours: cards stopped before any as_of.)
    if returned_on_leaving(s):
        steps.append(_owed_back(s))
    elif s.ended and s.left_on is None and s.as_of > last:
        # Left on a day not given: owed back if that day was by the transition's end.
        key = "return_old_card_if_left_by"
        sources = (Src.NATIONAL_OLD_CARD_RETURN, until_source)
        steps.append(act(A.RETURN, Item.OLD_CARD, key, *sources, since=first_invalid))
    elif by_measure_card(s):
        # The measure lets it be shown until its end: thrown away after that.
        measure_end = s.pack.transition_measure_until
        steps.append(
            act(
                A.CARRY,
                Item.OLD_CARD,
                "carry_old_card_measure",
                Src.NATIONAL_TRANSITION_MEASURE,
                until=measure_end,
            )
        )
        steps.append(
            act(
                A.DISPOSE,
                Item.OLD_CARD,
                "dispose_old_card_after_measure",
                Src.NATIONAL_TRANSITION_MEASURE,
                Src.OLD_CARD_AFTER,
                at=When(from_=measure_end + timedelta(days=1)),
                until=measure_end,
            )
        )
    elif s.as_of > last:
        sources = (Src.OLD_CARD_AFTER, until_source)
        key = (
            "dispose_old_card_left_undated" if s.ended and s.left_on is None else "dispose_old_card"
        )
        steps.append(act(A.DISPOSE, Item.OLD_CARD, key, *sources, since=first_invalid))
    elif s.member and s.facts.myna is not Myna.YES and s.facts.kakuninsho is not Holding.HELD:
        # Nothing else to show from the day it stops (the 資格確認書 not in hand yet): the
        # measure lets a clinic take it until its end, so it is kept until then.
        measure_end = s.pack.transition_measure_until
        steps.append(
            act(
                A.DISPOSE,
                Item.OLD_CARD,
                "keep_old_card_for_measure",
                Src.NATIONAL_TRANSITION_MEASURE,
                Src.OLD_CARD_AFTER,
                at=When(from_=measure_end + timedelta(days=1)),
                since=first_invalid,
                until=measure_end,
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


def _if_still_held(s: Situation) -> Action:
    """A leaver's step for an old card not said that was owed back on leaving: it goes
    back if it was not collected (most were, on leaving); an unreachable one's report is
    only for a card not collected. As for a card said to be held, the duty stands once
    every card has stopped working (CONTRACT: a duty is fixed on the day it arises)."""
    step = _owed_back(s)
    if step.action is A.SUBMIT:
        return step._replace(reasons=(*step.reasons, Reason("old_card_report_if_not_collected")))
    return step._replace(reasons=(Reason("old_card_if_still_held"), *step.reasons))


def _owed_back(s: Situation) -> Action:
    """A card in force on the leaving day: it goes back through the employer, or, the
    leaver unreachable, the employer reports it (national-old-card-return)."""
    if s.facts.unreachable is YesNo.YES:
        report = act(
            A.SUBMIT,
            Item.OLD_CARD_LOSS_REPORT,
            "old_card_loss_report_unreachable",
            Src.NATIONAL_OLD_CARD_RETURN,
            at=later(s),
        )
        return _void_yet_owed(s, due(s, report))
    key = "return_old_card_left" if s.ended else "return_old_card"
    step = act(A.RETURN, Item.OLD_CARD, key, Src.NATIONAL_OLD_CARD_RETURN, at=later(s))
    return _void_yet_owed(s, due(s, step))


def _void_yet_owed(s: Situation, step: Action) -> Action:
    """Asked once every card has stopped working, the step says why a void card still
    goes back: the duty arose on leaving (a 健保 clerk found "give back" for a card said
    to be held, and "throw away" when not said, for the same leaver)."""
    last = s.pack.old_card_valid_until
    if s.as_of <= last:
        return step
    since = (("since", (last + timedelta(days=1)).isoformat()),)
    return step._replace(reasons=(*step.reasons, Reason("old_card_void_still_owed", since)))


def by_measure_card(s: Situation) -> bool:
    """Whether the member's old card is what gets them seen today, under the measure."""
    return in_measure(s) and (Item.OLD_CARD,) in reception_options(s)


def _previous_insurers(s: Situation) -> Action:
    """A card held by someone who joined after cards stopped being issued is the previous
    insurer's: not valid here. It goes back to that insurer while it was in force when
    they left it, and is thrown away once every card is invalid."""
    sources = (Src.NATIONAL_NO_NEW_CARDS, Src.NATIONAL_OLD_CARD_RETURN)
    if s.as_of <= s.pack.old_card_valid_until:
        return act(A.RETURN, Item.OLD_CARD, "return_old_card_previous", *sources)
    first_invalid = s.pack.old_card_valid_until + timedelta(days=1)
    return act(
        A.DISPOSE,
        Item.OLD_CARD,
        "dispose_old_card_previous",
        *sources,
        s.pack.source_of("old_card_valid_until"),
        since=first_invalid,
    )
