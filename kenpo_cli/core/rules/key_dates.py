"""The days that matter to a verdict: for its timeline and for calendars."""

from __future__ import annotations

from kenpo_cli.core.model import Action, Holding, Item, KeyDate, KeyDateKind, Myna, OldCard
from kenpo_cli.core.rules.situation import Situation

K = KeyDateKind


def key_dates(s: Situation, actions: tuple[Action, ...]) -> tuple[KeyDate, ...]:
    """The member's documents' ends, membership's bounds and every dated step, by day."""
    f = s.facts
    found = []
    # The card's last day for this member: the transition's end, or the last day of a
    # membership that ended before it (a leaver's card stops with the membership).
    old_card_end = s.valid_until(Item.OLD_CARD) or s.pack.old_card_valid_until
    # The transition's end matters while it is ahead, or to someone who still has the card.
    if f.old_card is OldCard.HELD or s.as_of <= old_card_end:
        found.append(KeyDate(old_card_end, K.EXPIRY, "old_card_end", Item.OLD_CARD))
    if f.kakuninsho is Holding.HELD and s.kakuninsho_ours:  # (else its insurer's to print)
        found.append(KeyDate(s.kakuninsho_expiry, K.EXPIRY, "kakuninsho_expiry", Item.KAKUNINSHO))
    if f.myna is Myna.YES and f.cert_expiry is not None and s.grace_end is not None:
        found.append(KeyDate(f.cert_expiry, K.EXPIRY, "cert_expiry", Item.MYNA_CERT))
        found.append(KeyDate(s.grace_end, K.GRACE_END, "grace_end", Item.MYNA))
    if f.joined_on is not None:
        found.append(KeyDate(f.joined_on, K.MEMBERSHIP_START, "joined_on"))
    if f.myna is Myna.YES and s.ready_on is not None:
        found.append(KeyDate(s.ready_on, K.READY, "ready", Item.MYNA))
    if f.left_on is not None:
        found.append(KeyDate(f.left_on, K.MEMBERSHIP_END, "left_on"))
    for a in actions:
        if a.by is not None:
            found.append(KeyDate(a.by, K.DEADLINE, f"{a.action.value}:{a.item.value}", a.item))
        if a.from_ is not None and a.by is None:  # (a deadline says enough)
            found.append(KeyDate(a.from_, K.START, f"{a.action.value}:{a.item.value}", a.item))
    return tuple(sorted(found, key=lambda k: k.day))
