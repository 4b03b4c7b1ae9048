"""Facts that contradict each other, or a date no such document can have, are refused."""

from __future__ import annotations

from datetime import date

from kenpo_cli.core.model import Facts, Status
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.thresholds import limits
from kenpo_cli.errors import ContradictoryFacts


def refuse_contradictions(facts: Facts, as_of: date, pack: RulePack) -> None:
    """Raise :class:`ContradictoryFacts` naming both facts when they cannot all be true."""
    f = facts
    if f.joined_on is not None and f.left_on is not None and f.joined_on >= f.left_on:
        # Joined again on the day of losing it (同日得喪, as a 定年再雇用 is filed), or after
        # it (a rehire): the 資格喪失日 is the earlier membership's, and the person may be a
        # member now. Which, and what became of the earlier cards, only the office knows
        # (the FAQ does not say): refused, saying what to fill in, never judged "left".
        if f.retired_on is not None:  # said in the sheet's own terms: its 退職日
            raise ContradictoryFacts(
                "contradiction_rejoined_after_retiring",
                ("joined_on", f.joined_on),
                ("retired_on", f.retired_on),
            )
        key = "contradiction_same_day_rejoined" if f.joined_on == f.left_on else None
        raise ContradictoryFacts(
            key or "contradiction_joined_after_left",
            ("joined_on", f.joined_on),
            ("left_on", f.left_on),
        )
    if f.status is Status.LEFT and f.left_on is None and f.joined_on and f.joined_on > as_of:
        raise ContradictoryFacts(
            "contradiction_left_before_joining", ("joined_on", f.joined_on), ("as_of", as_of)
        )
    lim = limits(as_of, pack)
    if f.kakuninsho_expiry is not None:
        latest = lim.kakuninsho_latest
        if f.kakuninsho_expiry > latest:
            raise ContradictoryFacts(
                "kakuninsho_expiry_too_late",
                ("kakuninsho_expiry", f.kakuninsho_expiry),
                ("as_of", as_of),
                latest=latest.isoformat(),
            )
        if f.kakuninsho_expiry <= lim.kakuninsho_early:
            raise ContradictoryFacts(
                "kakuninsho_expiry_too_early",
                ("kakuninsho_expiry", f.kakuninsho_expiry),
                start=pack.transition_start.isoformat(),
            )
    if f.cert_expiry is not None and f.cert_expiry > lim.cert_latest:
        raise ContradictoryFacts(
            "cert_expiry_too_late", ("cert_expiry", f.cert_expiry), ("as_of", as_of)
        )
