"""Facts that get the same verdict: one representative for many, so a batch judges it once.

A date matters to the rules only through where it falls against the day's thresholds,
unless a step or a notice prints it (or a date made from it). A 資格取得日 ten years
ago and one five years ago give the same verdict; a certificate expiring in three years
and one in four do too. :func:`representative` puts such a date at one fixed point of
its class, and leaves alone every date the verdict shows.

What "the same verdict" means: the same coverage, reception options, steps (with their
reasons, sources and dates), notices and audience; ``facts`` and ``key_dates`` (which
echo the dates themselves) are not compared, and batch output shows neither.
The classes are those the days of thresholds.py leave: a date moves only to another day
of its class (the last, as a rule), never across a day declared there, so a rule that
compares with a day declared there is honoured here without being written again.
tests/unit/test_representative.py checks it against :func:`~kenpo_cli.core.rules.evaluate`
one day either side of every declared day, for every fact it bounds.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from kenpo_cli.core.dates import months_after
from kenpo_cli.core.model import Facts, Holding, Myna
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.thresholds import CUTS, Limits, limits

LONG_AGO = date(1900, 1, 1)  # a 資格取得日 whose exact day no rule sees any more

# Where each fact the representative may move sits in Facts, looked up by its name.
_LEFT, _JOINED, _CERT, _EXPIRY, _RETIRED = (
    Facts._fields.index(name)
    for name in ("left_on", "joined_on", "cert_expiry", "kakuninsho_expiry", "retired_on")
)


def cuts(fact: str, lim: Limits, *, but: str = "") -> tuple[date, ...]:
    """The declared days (thresholds.CUTS) a member's ``fact`` is compared with, in order."""
    return tuple(
        sorted({getattr(lim, n) for n, facts in CUTS.items() if fact in facts and n != but})
    )


def ceiling(day: date, days: tuple[date, ...]) -> date:
    """The last day of ``day``'s class: the first of ``days`` (in order) on or after it."""
    i = bisect_left(days, day)
    return days[i] if i < len(days) else day


def representative(facts: Facts, as_of: date, pack: RulePack) -> Facts:
    """Facts that get exactly the verdict ``facts`` get on ``as_of`` (see the module)."""
    if _LAST[0] != as_of or _LAST[1] is not pack:
        _LAST[:] = (as_of, pack, representer(as_of, pack))
    return _LAST[2](facts)  # type: ignore[no-any-return]


_LAST: list[Any] = [None, None, None]  # the last (as_of, pack, representer): a batch has one day


def representer(as_of: date, pack: RulePack) -> Callable[[Facts], Facts]:
    """:func:`representative` for one day and pack, its thresholds worked out once.

    A batch calls it for every row (benchmarks/batch.py): the thresholds are read from
    the closure, and new facts are made only when a date moves.
    """
    lim = limits(as_of, pack)
    settled, cert_window, cert_latest = lim.settled, lim.cert_window, lim.cert_latest
    cert_cuts = cuts("cert_expiry", lim)
    # The last day of the class past the renewal window: the next declared day after it.
    cert_far = ceiling(cert_window + timedelta(days=1), cert_cuts)
    cert_split = cert_far != cert_latest  # another declared day between: find its class
    posted, cards_stopped, min_months = (
        lim.posted,
        lim.cards_stopped,
        pack.on(as_of).nini_keizoku_min_months,
    )
    k_early, k_latest = lim.kakuninsho_early, lim.kakuninsho_latest
    expiry_cuts = cuts("kakuninsho_expiry", lim)
    new = tuple.__new__  # a Facts from its values, without _replace's keyword machinery
    no, lost, none = Myna.NO, Myna.LOST, Holding.NONE

    def represent(f: Facts) -> Facts:
        left, joined, cert, expiry = f.left_on, f.joined_on, f.cert_expiry, f.kakuninsho_expiry
        if joined is None and cert is None and left is None and expiry is None:
            return f  # nothing to move: the common row without dates is cheap
        # The 退職日 only ever gives left_on: the rules read it only to name it when they
        # refuse a 資格取得日 on or after the 資格喪失日 (a 同日得喪, a rehire).
        named = joined is not None and left is not None and joined >= left
        moved = f.retired_on is not None and not named
        # A 資格取得日 long enough ago that the membership has reached the card: the rules
        # compare it with as_of (not a member yet; the card not updated yet) and with
        # left_on (joined after leaving is refused, naming it), and print it only while
        # it is near.
        # Before cards stopped being issued (a card held is then this society's), and
        # long enough before leaving for 任意継続 either way.
        if (
            joined is not None
            and joined <= settled
            and joined <= posted
            and joined <= cards_stopped
            and (left is None or months_after(joined, min_months) <= left)
        ):
            joined, moved = LONG_AGO, True
        # A certificate expiry no step prints: any day for a card that is not registered
        # (only whether one was given is said: unused_cert_expiry), or far enough ahead
        # that its renewal window has not begun (too late is refused, naming it).
        if cert is not None and cert <= cert_latest:
            if f.myna is no or f.myna is lost:
                cert, moved = as_of, True
            elif cert > cert_window:  # Myna.YES or UNKNOWN
                cert, moved = (ceiling(cert, cert_cuts) if cert_split else cert_far), True
        # (A 資格喪失日 is never moved: every leaver's return, 任意継続 and 国民健康保険
        # steps print a deadline counted from it.)
        # A 資格確認書 expiry where none is held: only whether it was given is said
        # (unused_kakuninsho_expiry), and one out of range is refused, naming it; held or
        # lost, every step about it prints it.
        if expiry is not None and f.kakuninsho is none and k_early < expiry <= k_latest:
            expiry, moved = ceiling(expiry, expiry_cuts), True
        if not moved:
            return f
        # By name, never by position: a fact added to Facts keeps its value here.
        values = list(f)
        values[_LEFT], values[_JOINED], values[_CERT], values[_EXPIRY] = left, joined, cert, expiry
        values[_RETIRED] = f.retired_on if named else None
        return new(Facts, values)

    return represent
