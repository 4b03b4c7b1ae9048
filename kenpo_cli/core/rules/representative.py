"""Facts that get the same verdict: one representative for many, so a batch judges it once.

A date matters to the rules only through where it falls against the day's thresholds,
unless a step or a notice prints it (or a date made from it). A 資格取得日 ten years
ago and one five years ago give the same verdict; a certificate expiring in three years
and one in four do too. :func:`representative` puts such a date at one fixed point of
its class, and leaves alone every date the verdict shows.

What "the same verdict" means: the same coverage, reception options, steps (with their
reasons, sources and dates), notices and audience; ``facts`` and ``key_dates`` (which
echo the dates themselves) are not compared, and batch output shows neither.
tests/unit/test_representative.py checks it against :func:`~kenpo_cli.core.rules.evaluate`
on facts drawn around every threshold. A rule that reads a date in a new way must be
taught here too, or that test goes red.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from kenpo_cli.core.dates import months_after, months_before
from kenpo_cli.core.model import Facts, Holding, Myna
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.consistency import CERT_MAX_YEARS, KAKUNINSHO_MAX_YEARS, _years_after

LONG_AGO = date(1900, 1, 1)  # a 資格取得日 whose exact day no rule sees any more

# Where each fact the representative may move sits in Facts, looked up by its name.
_LEFT, _JOINED, _CERT, _EXPIRY, _RETIRED = (
    Facts._fields.index(name)
    for name in ("left_on", "joined_on", "cert_expiry", "kakuninsho_expiry", "retired_on")
)


class Horizon(NamedTuple):
    """The day's thresholds, worked out once per day and pack (months are dear to add)."""

    as_of: date
    settled: date  # a 資格取得日 up to this day has reached the card
    cert_far: date  # a certificate expiring from this day has no renewal window open yet
    cert_latest: date  # the latest certificate expiry that is not refused
    kakuninsho_first: date  # the earliest 資格確認書 expiry that is not refused
    kakuninsho_latest: date  # the latest
    kakuninsho_default: date  # the pack's, for a 資格確認書 whose expiry was not given
    old_card_last: date


def horizon(as_of: date, pack: RulePack) -> Horizon:
    """The thresholds :func:`representative` compares a member's dates with."""
    return _horizon(
        as_of,
        pack.myna_update_days,
        pack.cert_renew_notice_months,
        pack.transition_start,
        pack.kakuninsho_expiry,
        pack.old_card_valid_until,
        pack.joiner_documents_days,
    )


@lru_cache(maxsize=64)
def _horizon(
    as_of: date,
    update_days: int,
    notice_months: int,
    first: date,
    kakuninsho_default: date,
    old_card_last: date,
    documents_days: int,
) -> Horizon:
    # The first expiry whose window (notice_months before it) opens after as_of:
    # months_before only grows with the day, so a search finds where it passes as_of.
    low, high = as_of, as_of + timedelta(days=31 * (notice_months + 1))
    while low < high:
        middle = low + (high - low) // 2
        if months_before(middle, notice_months) > as_of:
            high = middle
        else:
            low = middle + timedelta(days=1)
    return Horizon(
        as_of=as_of,
        settled=as_of - timedelta(days=max(update_days, documents_days, 0)),
        cert_far=low,
        cert_latest=_years_after(as_of, CERT_MAX_YEARS),
        kakuninsho_first=first,
        kakuninsho_latest=_years_after(as_of, KAKUNINSHO_MAX_YEARS),
        kakuninsho_default=kakuninsho_default,
        old_card_last=old_card_last,
    )


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
    h = horizon(as_of, pack)
    settled, cert_far, cert_latest = h.settled, h.cert_far, h.cert_latest
    far_apart = cert_latest >= cert_far
    cards_stopped, min_months = pack.transition_start, pack.nini_keizoku_min_months
    k_first, k_latest = h.kakuninsho_first, h.kakuninsho_latest
    new = tuple.__new__  # a Facts from its values, without _replace's keyword machinery
    no, lost, none = Myna.NO, Myna.LOST, Holding.NONE

    def represent(f: Facts) -> Facts:
        left, joined, cert, expiry = f.left_on, f.joined_on, f.cert_expiry, f.kakuninsho_expiry
        if joined is None and cert is None and left is None and expiry is None:
            return f  # nothing to move: the common row without dates is cheap
        moved = f.retired_on is not None  # it only ever gives left_on: the rules never read it
        # A 資格取得日 long enough ago that the membership has reached the card: the rules
        # compare it with as_of (not a member yet; the card not updated yet) and with
        # left_on (joined after leaving is refused, naming it), and print it only while
        # it is near.
        # Before cards stopped being issued (a card held is then this society's), and
        # long enough before leaving for 任意継続 either way.
        if (
            joined is not None
            and joined <= settled
            and joined < cards_stopped
            and (left is None or months_after(joined, min_months) <= left)
        ):
            joined, moved = LONG_AGO, True
        # A certificate expiry no step prints: any day for a card that is not registered
        # (only whether one was given is said: unused_cert_expiry), or far enough ahead
        # that its renewal window has not begun (too late is refused, naming it).
        if cert is not None and cert <= cert_latest:
            if f.myna is no or f.myna is lost:
                cert, moved = as_of, True
            elif cert >= cert_far and far_apart:  # Myna.YES or UNKNOWN
                cert, moved = cert_latest, True
        # (A 資格喪失日 is never moved: every leaver's return, 任意継続 and 国民健康保険
        # steps print a deadline counted from it.)
        # A 資格確認書 expiry where none is held: only whether it was given is said
        # (unused_kakuninsho_expiry); held or lost, every step about it prints it.
        if expiry is not None and f.kakuninsho is none and k_first <= expiry <= k_latest:
            expiry, moved = k_first, True
        if not moved:
            return f
        # By name, never by position: a fact added to Facts keeps its value here.
        values = list(f)
        values[_LEFT], values[_JOINED], values[_CERT], values[_EXPIRY] = left, joined, cert, expiry
        values[_RETIRED] = None
        return new(Facts, values)

    return represent
