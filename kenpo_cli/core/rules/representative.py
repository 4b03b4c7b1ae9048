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

from kenpo_cli.core.dates import months_before
from kenpo_cli.core.model import Facts, Holding, Myna, Status
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.consistency import CERT_MAX_YEARS, KAKUNINSHO_MAX_YEARS, _years_after

LONG_AGO = date(1900, 1, 1)  # a 資格取得日 whose exact day no rule sees any more


def representative(facts: Facts, as_of: date, pack: RulePack) -> Facts:
    """Facts that get exactly the verdict ``facts`` get on ``as_of`` (see the module)."""
    joined = _joined_on(facts, as_of, pack)
    cert = _cert_expiry(facts, as_of, pack)
    left = _left_on(facts, as_of, pack)
    kakuninsho_expiry = _kakuninsho_expiry(facts, as_of, pack)
    if (joined, cert, left, kakuninsho_expiry) == (
        facts.joined_on,
        facts.cert_expiry,
        facts.left_on,
        facts.kakuninsho_expiry,
    ) and facts.retired_on is None:
        return facts
    # retired_on only ever gives left_on (make_facts): the rules never read it.
    return facts._replace(
        joined_on=joined,
        cert_expiry=cert,
        left_on=left,
        kakuninsho_expiry=kakuninsho_expiry,
        retired_on=None,
    )


def _joined_on(f: Facts, as_of: date, pack: RulePack) -> date | None:
    """A 資格取得日 long enough ago that the membership has reached the card: the rules
    compare it with ``as_of`` (not yet a member; card not updated yet) and ``left_on``
    (joined after leaving is refused), and print it only while it is near."""
    joined = f.joined_on
    if joined is None or joined > as_of:
        return joined
    if joined + timedelta(days=pack.myna_update_days) > as_of:
        return joined
    if f.left_on is not None and joined > f.left_on:
        return joined  # refused: keep what the error message names
    return LONG_AGO


def _cert_expiry(f: Facts, as_of: date, pack: RulePack) -> date | None:
    """A certificate expiry that no step prints: far enough ahead that its renewal window
    has not begun, or any day at all for a card that is not registered (only whether it
    was given is said: unused_cert_expiry)."""
    cert = f.cert_expiry
    if cert is None:
        return None
    latest = _years_after(as_of, CERT_MAX_YEARS)
    if cert > latest:
        return cert  # refused: keep what the error message names
    if f.myna in (Myna.NO, Myna.LOST):
        return as_of
    # Myna.YES, and Myna.UNKNOWN (coverage asks what a registered card would give).
    notice = pack.cert_renew_notice_months
    if months_before(cert, notice) > as_of and months_before(latest, notice) > as_of:
        return latest
    return cert


def _left_on(f: Facts, as_of: date, pack: RulePack) -> date | None:
    """A 資格喪失日 that has passed: the rules then see only whether it fell on or before the
    資格確認書's expiry and the old card's last day (the duties are fixed that day), and
    that it is not before the 資格取得日. The latest day of that class stands for it.
    A leaving day still ahead is printed (from, leaving_soon), so it stays."""
    left = f.left_on
    if left is None or left > as_of or f.status is not Status.LEFT:
        return left
    if f.joined_on is not None and f.joined_on > left:
        return left  # refused: keep what the error message names
    kakuninsho_expiry = f.kakuninsho_expiry or pack.kakuninsho_expiry
    bounds = [as_of, *(t for t in (kakuninsho_expiry, pack.old_card_valid_until) if left <= t)]
    return min(bounds)


def _kakuninsho_expiry(f: Facts, as_of: date, pack: RulePack) -> date | None:
    """The 資格確認書's expiry where it is held or lost is printed in every step about it;
    without one, only whether it was given is said (unused_kakuninsho_expiry)."""
    expiry = f.kakuninsho_expiry
    if expiry is None or f.kakuninsho is not Holding.NONE:
        return expiry
    first, latest = pack.transition_start, _years_after(as_of, KAKUNINSHO_MAX_YEARS)
    if not first <= expiry <= latest or first > latest:
        return expiry  # refused: keep what the error message names
    return first
