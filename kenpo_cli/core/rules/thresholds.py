"""The days the rules compare a member's dates with: declared once, read by the rules
and by the batch's representative alike.

A rule that compares a member's date (a 資格取得日, a certificate expiry, …) with a day
worked out from the verdict's day and the pack reads that day here (``s.limits``), and
:data:`CUTS` says which of the member's dates it bounds. The batch's representative
(representative.py) moves a date only within the class these days leave it in, so a
day declared here is honoured by batch as by check; tests/unit/test_representative.py
checks every one of them, one day either side, and names the one that fails.

Each limit is the last day of a class: a member's date is compared with it as
``date <= limit`` (or, which is the same, ``date > limit``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from kenpo_cli.core.dates import months_before
from kenpo_cli.core.rulepack import RulePack

# A 資格確認書 runs at most five years (the legal maximum); a certificate at most five
# years from the birthday after it was issued, so ten years ahead cannot be right.
KAKUNINSHO_MAX_YEARS = 5
CERT_MAX_YEARS = 10
CONTINUATION_DAYS = 20  # 任意継続: applied for within 20 days of the 資格喪失日
# The first 資格確認書 went out "around November 2025" (faq-old-card-until): from about
# a month before the old card's last day.
BULK_ISSUE_LEAD = timedelta(days=30)


class Limits(NamedTuple):
    """The days of one verdict's day and pack that the member's dates are compared with."""

    as_of: date
    settled: date  # a 資格取得日 up to this day has reached the card (myna_update_days)
    cert_window: date  # a certificate expiring up to this day may be renewed already
    cert_latest: date  # the latest certificate expiry that is not refused
    kakuninsho_early: date  # a 資格確認書 expiry before transition_start is refused
    kakuninsho_latest: date  # the latest 資格確認書 expiry that is not refused
    kakuninsho_default: date  # the pack's, for a 資格確認書 whose expiry was not given
    old_card_last: date  # a leaver up to this day owes the old card back
    continuation_closed: date  # a 資格喪失日 up to this day: the 任意継続 window has closed
    posted: date  # a 資格取得日 up to this day: the new member's documents have had their post
    cards_stopped: date  # the last day a card of this society was issued: a 資格取得日
    # after it makes a card held the previous insurer's
    # a certificate expiring up to this day had stopped the card (its grace over) before
    # the first 資格確認書 expired: its holder was sent the renewed one
    lapsed_before_renewal: date
    # a 資格取得日 up to this day: a member when the first 資格確認書 went out (a 資格喪失日
    # after it: a member then)
    bulk_sent: date


# Which of the member's dates each limit bounds. A limit the rules compare with must be
# here, or the representative would not keep a date on its side of it.
CUTS: dict[str, tuple[str, ...]] = {
    "as_of": ("joined_on", "left_on", "cert_expiry", "kakuninsho_expiry"),
    "settled": ("joined_on",),
    "cert_window": ("cert_expiry",),
    "cert_latest": ("cert_expiry",),
    "kakuninsho_early": ("kakuninsho_expiry",),
    "kakuninsho_latest": ("kakuninsho_expiry",),
    "kakuninsho_default": ("left_on",),
    "old_card_last": ("left_on", "joined_on"),
    "continuation_closed": ("left_on",),
    "posted": ("joined_on",),
    "cards_stopped": ("joined_on",),
    "lapsed_before_renewal": ("cert_expiry",),
    "bulk_sent": ("joined_on", "left_on"),
}


def years_after(day: date, years: int) -> date:
    """``day`` the given number of years later (28 February for a 29th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def limits(as_of: date, pack: RulePack) -> Limits:
    """The limits of ``as_of`` under ``pack`` (worked out once per day and pack: a batch
    has one day, and months are dear to add)."""
    last_pack, last = _LAST[0]
    if last_pack is pack and last is not None and last.as_of == as_of:
        return last
    made = _limits(as_of, pack)
    _LAST[0] = (pack, made)
    return made


_LAST: list[tuple[object, Limits | None]] = [(None, None)]  # the last pack and its limits


def _limits(as_of: date, pack: RulePack) -> Limits:
    pack = pack.on(as_of)  # a dated series' value in force that day
    notice_months = pack.cert_renew_notice_months
    # The last expiry whose renewal window (notice_months before it) has opened by
    # as_of: months_before only grows with the day, so a search finds where it passes.
    low, high = as_of, as_of + timedelta(days=31 * (notice_months + 1))
    while low < high:
        middle = low + (high - low) // 2
        if months_before(middle, notice_months) > as_of:
            high = middle
        else:
            low = middle + timedelta(days=1)
    return Limits(
        as_of=as_of,
        settled=as_of - timedelta(days=max(pack.myna_update_days, 0)),
        posted=as_of - timedelta(days=max(pack.joiner_documents_days, 0)),
        cert_window=low - timedelta(days=1),
        cert_latest=years_after(as_of, CERT_MAX_YEARS),
        kakuninsho_early=pack.transition_start - timedelta(days=1),
        kakuninsho_latest=years_after(as_of, KAKUNINSHO_MAX_YEARS),
        kakuninsho_default=pack.kakuninsho_expiry,
        old_card_last=pack.old_card_valid_until,
        continuation_closed=as_of - timedelta(days=CONTINUATION_DAYS),
        cards_stopped=pack.transition_start - timedelta(days=1),
        lapsed_before_renewal=_lapsed_before(pack.kakuninsho_expiry, pack),
        bulk_sent=pack.old_card_valid_until - BULK_ISSUE_LEAD,
    )


def _lapsed_before(day: date, pack: RulePack) -> date:
    """The last certificate expiry whose grace period ends before ``day`` (the grace end
    only grows with the expiry: a search finds where it passes)."""
    from kenpo_cli.core.model import Item
    from kenpo_cli.core.validity import DocumentDates, valid_until

    def ends(expiry: date) -> date:
        end = valid_until(Item.MYNA, DocumentDates(expiry), pack)
        assert end is not None  # (a certificate's date given: its grace has an end)
        return end

    low, high = day - timedelta(days=366), day
    while low < high:
        middle = low + (high - low + timedelta(days=1)) // 2
        if ends(middle) < day:
            low = middle
        else:
            high = middle - timedelta(days=1)
    return low
