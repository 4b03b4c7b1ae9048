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

from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from kenpo_cli.core.dates import months_before
from kenpo_cli.core.model import Facts, Holding, Myna, Status
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.consistency import CERT_MAX_YEARS, KAKUNINSHO_MAX_YEARS, _years_after
from kenpo_cli.core.rules.notices import CONTINUATION_DAYS

LONG_AGO = date(1900, 1, 1)  # a 資格取得日 whose exact day no rule sees any more


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
    )


@lru_cache(maxsize=64)
def _horizon(
    as_of: date,
    update_days: int,
    notice_months: int,
    first: date,
    kakuninsho_default: date,
    old_card_last: date,
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
        settled=as_of - timedelta(days=max(update_days, 0)),
        cert_far=low,
        cert_latest=_years_after(as_of, CERT_MAX_YEARS),
        kakuninsho_first=first,
        kakuninsho_latest=_years_after(as_of, KAKUNINSHO_MAX_YEARS),
        kakuninsho_default=kakuninsho_default,
        old_card_last=old_card_last,
    )


_LAST: list[Any] = [None, None, None]  # the last (as_of, pack, horizon): a batch has one day


def representative(facts: Facts, as_of: date, pack: RulePack) -> Facts:
    """Facts that get exactly the verdict ``facts`` get on ``as_of`` (see the module)."""
    joined, cert, left, expiry = facts[2], facts[4], facts[1], facts[6]
    if joined is None and cert is None and left is None and expiry is None:
        return facts  # nothing to move: the common row without dates is cheap
    if _LAST[0] == as_of and _LAST[1] is pack:
        h = _LAST[2]
    else:
        h = horizon(as_of, pack)
        _LAST[:] = (as_of, pack, h)
    joined, cert = _joined_on(facts, h), _cert_expiry(facts, h)
    left, expiry = _left_on(facts, h), _kakuninsho_expiry(facts, h)
    if (
        joined is facts.joined_on
        and cert is facts.cert_expiry
        and left is facts.left_on
        and expiry is facts.kakuninsho_expiry
        and facts.retired_on is None
    ):
        return facts
    # retired_on only ever gives left_on (make_facts): the rules never read it.
    f = facts
    return Facts(
        f.status, left, joined, f.myna, cert, f.kakuninsho, expiry, f.oshirase, f.old_card,
        f.portal, f.reader, f.name_changed, f.unreachable, None,
    )  # fmt: skip


def _joined_on(f: Facts, h: Horizon) -> date | None:
    """A 資格取得日 long enough ago that the membership has reached the card: the rules
    compare it with ``as_of`` (not yet a member; card not updated yet) and ``left_on``
    (joined after leaving is refused), and print it only while it is near."""
    joined = f.joined_on
    if joined is None or joined > h.settled or joined > h.as_of:
        return joined
    if f.left_on is not None and joined > f.left_on:
        return joined  # refused: keep what the error message names
    return LONG_AGO


def _cert_expiry(f: Facts, h: Horizon) -> date | None:
    """A certificate expiry that no step prints: far enough ahead that its renewal window
    has not begun, or any day at all for a card that is not registered (only whether it
    was given is said: unused_cert_expiry)."""
    cert = f.cert_expiry
    if cert is None or cert > h.cert_latest:
        return cert  # (too late is refused: keep what the error message names)
    if f.myna is Myna.NO or f.myna is Myna.LOST:
        return h.as_of
    # Myna.YES, and Myna.UNKNOWN (coverage asks what a registered card would give).
    if cert >= h.cert_far and h.cert_latest >= h.cert_far:
        return h.cert_latest
    return cert


def _left_on(f: Facts, h: Horizon) -> date | None:
    """A 資格喪失日 that has passed: the rules then see only whether it fell on or before the
    資格確認書's expiry and the old card's last day (the duties are fixed that day), and
    that it is not before the 資格取得日. The latest day of that class stands for it.
    A leaving day still ahead is printed (from, leaving_soon), and so is one whose 任意継続
    window is still open (next_insurance_by), so they stay; a class's stand-in is one
    whose window has closed too."""
    left = f.left_on
    latest = h.as_of - timedelta(days=CONTINUATION_DAYS)  # its window closed before as_of
    if left is None or left > latest or f.status is not Status.LEFT:
        return left
    if f.joined_on is not None and f.joined_on > left:
        return left  # refused: keep what the error message names
    kakuninsho_expiry = f.kakuninsho_expiry or h.kakuninsho_default
    bounds = [latest, *(t for t in (kakuninsho_expiry, h.old_card_last) if left <= t)]
    return min(bounds)


def _kakuninsho_expiry(f: Facts, h: Horizon) -> date | None:
    """The 資格確認書's expiry where it is held or lost is printed in every step about it;
    without one, only whether it was given is said (unused_kakuninsho_expiry)."""
    expiry = f.kakuninsho_expiry
    if expiry is None or f.kakuninsho is not Holding.NONE:
        return expiry
    if not h.kakuninsho_first <= expiry <= h.kakuninsho_latest:
        return expiry  # refused: keep what the error message names
    return h.kakuninsho_first
