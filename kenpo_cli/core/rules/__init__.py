"""The rules: from a member's facts, a day and a rule pack to a verdict.

Each module covers one document or topic, and each step cites the FAQ entries
(or national rules) it rests on; :func:`evaluate` puts them together. Nothing here
reads the clock, a file or the terminal.
"""

from __future__ import annotations

from datetime import date, timedelta

from kenpo_cli.core.model import Action, ActionKind, Coverage, Facts, Item, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.after_leaving import after_leaving_steps
from kenpo_cli.core.rules.consistency import refuse_contradictions
from kenpo_cli.core.rules.dependants import with_dependants
from kenpo_cli.core.rules.found import as_held, found_kakuninsho_steps
from kenpo_cli.core.rules.kakuninsho import kakuninsho_steps
from kenpo_cli.core.rules.key_dates import key_dates
from kenpo_cli.core.rules.membership import access_steps, membership_steps
from kenpo_cli.core.rules.myna import myna_steps
from kenpo_cli.core.rules.notices import notices
from kenpo_cli.core.rules.old_card import old_card_steps
from kenpo_cli.core.rules.oshirase import oshirase_steps
from kenpo_cli.core.rules.reception import coverage, reception_options
from kenpo_cli.core.rules.situation import Situation, situation

__all__ = ["Situation", "evaluate", "situation"]

A = ActionKind
# Among steps with no date, the order a person acts in: what gets them seen or unblocks
# them first, what they merely keep or throw away last.
_UNDATED_ORDER = {
    kind: n
    for n, kind in enumerate((A.CONTACT, A.SUBMIT, A.RENEW, A.RETURN, A.CHECK, A.CARRY, A.KEEP))
}
# How to learn what coverage hangs on: whether a card is registered, whether (or which)
# 資格確認書 is at hand.
_FIND_OUT = ((A.CHECK, Item.MYNAPORTAL), (A.CHECK, Item.KAKUNINSHO))


# A lost 資格確認書's reissue: when nothing else gets the member seen, it comes before the
# dated steps (a leaver's loss report, 国保), as the member is insured until leaving.
_REISSUE = (A.SUBMIT, Item.KAKUNINSHO_REISSUE)
# Calling to suspend a lost My Number card (national-myna-card-lost): first, whatever else
# is due, as anyone could use it meanwhile.
_SUSPEND = "contact_myna_card_lost"
# Steps that cannot be taken after their day (任意継続 is applied for within 20 days or
# never): in their last days they come before steps already late, which stay owed.
_LAPSES = frozenset({(A.SUBMIT, Item.NINI_KEIZOKU)})
_LAST_DAYS = timedelta(days=3)


def merge(steps: list[Action]) -> tuple[Action, ...]:
    """Fold repeats of one step into one that keeps every reason and cites every source."""
    merged: dict[tuple[ActionKind, Item, date | None, str | None], Action] = {}
    for step in steps:
        key = (step.action, step.item, step.from_, step.on)
        first = merged.get(key)
        if first is None:
            merged[key] = step
            continue
        reasons = first.reasons + tuple(r for r in step.reasons if r not in first.reasons)
        sources = first.sources + tuple(x for x in step.sources if x not in first.sources)
        by = min((d for d in (first.by, step.by) if d), default=None)
        merged[key] = first._replace(reasons=reasons, sources=sources, by=by)
    return tuple(merged.values())


def ordered(steps: tuple[Action, ...], covered: Coverage, today: date) -> tuple[Action, ...]:
    """Steps in the order a person acts (CONTRACT.md): when coverage is unknown, how to
    find out; then what is overdue or due, by date; then the rest by date, a step that
    applies now counting as today's; last, what waits for a leaving day not yet known.
    Steps on one day go in the order of _UNDATED_ORDER."""

    def rank(a: Action) -> tuple[int, date, int]:
        urgency = _UNDATED_ORDER.get(a.action, len(_UNDATED_ORDER))
        if a.reasons[0].key == _SUSPEND:  # a lost card is stopped before anything else
            return (0, date.min, 1)
        if covered is Coverage.UNKNOWN and (a.action, a.item) in _FIND_OUT and a.now:
            return (0, date.min, 0)
        if covered is Coverage.NO and (a.action, a.item) == _REISSUE and a.now:
            return (0, date.min, 2)  # nothing works at reception: the new card first
        if a.by is not None:
            if (a.action, a.item) in _LAPSES and a.by - today <= _LAST_DAYS:
                return (1, date.min, urgency)  # lost for good after its day: before the late
            return (1, a.by, urgency)
        if a.on is not None:
            return (3, date.max, urgency)
        return (2, a.from_ or today, urgency)

    return tuple(sorted(steps, key=rank))


def evaluate(facts: Facts, as_of: date, rules: RulePack, *, timeline: bool = True) -> Verdict:
    """The verdict for a member with ``facts`` on ``as_of`` under the pack ``rules``.

    ``timeline=False`` leaves ``key_dates`` empty: a batch row shows none, and a batch
    judges thousands of verdicts.

    Raises :class:`~kenpo_cli.errors.ContradictoryFacts` for facts that cannot all be true.
    """
    rules = rules.on(as_of)  # a dated series' value in force that day, for every rule
    refuse_contradictions(facts, as_of, rules)
    s = situation(as_held(facts), as_of, rules)  # a found 資格確認書: the new one is held
    present = reception_options(s)
    covered, why_not, unknown = coverage(s, present)
    steps = [
        *myna_steps(s),
        *kakuninsho_steps(s),
        *oshirase_steps(s),
        *old_card_steps(s),
        *membership_steps(s),
        *after_leaving_steps(s),
        *found_kakuninsho_steps(facts, s),
    ]
    steps += access_steps(s, why_not, steps)
    steps = with_dependants(s, steps)  # a leaver's return covers the 被扶養者' cards
    actions = ordered(merge(steps), covered, as_of)
    return Verdict(
        as_of=as_of,
        facts=facts,
        rules_id=rules.id,
        rules_version=rules.version,
        coverage=covered,
        present=present,
        actions=actions,
        warnings=notices(s, present),
        key_dates=key_dates(s, actions) if timeline else (),
        why_not=why_not,
        unknown_because=unknown,
        audience=s.audience,
    )
