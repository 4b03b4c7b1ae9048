"""Is a document valid on a day, and until when: one answer for ``kenpo expiry`` and the rules."""

from datetime import date, timedelta
from typing import NamedTuple

from kenpo_cli.core.dates import month_end_after
from kenpo_cli.core.model import DATED_DOCUMENTS, Item, Myna
from kenpo_cli.core.rulepack import RulePack


class DocumentDates(NamedTuple):
    """The member's dates that bound their documents (``None``: not known or not given)."""

    cert_expiry: date | None = None
    kakuninsho_expiry: date | None = None
    left_on: date | None = None


class DocumentStatus(NamedTuple):
    """Whether ``item`` is valid on a day, and until when (``None``: no expiry)."""

    item: Item
    valid: bool | None  # None: not known without a date the member was not asked for
    valid_until: date | None
    days_left: int | None = None
    cert_expiry: date | None = None
    in_grace: bool | None = None
    membership_limit: bool = False  # valid_until is the end of membership, not the document's
    unknown_because: tuple[str, ...] = ()  # the facts that would tell (``valid`` is None)
    earlier_until: date | None = None  # the rule pack's expiry, which a renewal replaced


def grace_end(cert_expiry: date, pack: RulePack) -> date:
    """Last day a マイナ保険証 works after its certificate expired on ``cert_expiry``.

    That is the last day of the ``cert_grace_months``-th month after the month of
    ``cert_expiry`` (faq-myna-cert-expired): 2026-11-15 gives 2027-02-28.
    """
    return month_end_after(cert_expiry, pack.cert_grace_months)


def membership_end(left_on: date | None) -> date | None:
    """The last day of membership for someone who loses eligibility on ``left_on``."""
    return None if left_on is None else left_on - timedelta(days=1)


def kakuninsho_expiry(dates: DocumentDates, pack: RulePack) -> date:
    """The expiry printed on the member's 資格確認書: theirs if given, else the pack's."""
    return dates.kakuninsho_expiry or pack.kakuninsho_expiry


def document_end(item: Item, dates: DocumentDates, pack: RulePack) -> date | None:
    """The last day ``item`` itself is valid, membership aside (``None``: it never expires).

    The マイナ保険証 without a known certificate expiry has no end kenpo can tell.
    """
    match item:
        case Item.OLD_CARD:
            return pack.old_card_valid_until
        case Item.KAKUNINSHO:
            return kakuninsho_expiry(dates, pack)
        case Item.MYNA:
            return grace_end(dates.cert_expiry, pack) if dates.cert_expiry else None
        case Item.OSHIRASE:
            return None
    raise ValueError(f"{item} has no validity of its own")


def valid_until(item: Item, dates: DocumentDates, pack: RulePack) -> date | None:
    """The last day ``item`` is valid for this member: its own end or their membership's."""
    known = [d for d in (document_end(item, dates, pack), membership_end(dates.left_on)) if d]
    return min(known) if known else None


def renewal_presumed(own_expiry: date | None, myna: Myna | None = None) -> bool:
    """Whether a 資格確認書 in hand after the rule pack's expiry is presumably the renewed
    one: a member without a マイナ保険証 is sent a new card before the old one expires
    (faq-kakuninsho-expiry), so without the card's own date it is not known to have
    lapsed. ``myna`` None: not asked (``kenpo expiry``), which presumes the renewal."""
    return own_expiry is None and myna is not Myna.YES


def status_on(item: Item, day: date, dates: DocumentDates, pack: RulePack) -> DocumentStatus:
    """Whether ``item`` is valid on ``day``, until when, and how many days are left.

    After the rule pack's 資格確認書 expiry, with the card's own date not given, a member
    has presumably been sent the renewed card (:func:`renewal_presumed`): whether it is
    valid is not known (``valid`` None) while the membership lasts, and it ends with the
    membership once that has ended.
    """
    pack_end = pack.kakuninsho_expiry
    if item is Item.KAKUNINSHO and renewal_presumed(dates.kakuninsho_expiry) and day > pack_end:
        ended = membership_end(dates.left_on)
        if ended is None or day <= ended:
            return DocumentStatus(
                item, None, None, unknown_because=("kakuninsho_expiry",), earlier_until=pack_end
            )
        if ended > pack_end:  # the renewed card lasted as long as the membership
            return DocumentStatus(item, False, ended, membership_limit=True)
    until = valid_until(item, dates, pack)
    valid = until is None or day <= until
    days_left = (until - day).days if valid and until is not None else None
    own_end = document_end(item, dates, pack)
    limit = until is not None and until == membership_end(dates.left_on) and until != own_end
    if item is not Item.MYNA or dates.cert_expiry is None:
        return DocumentStatus(item, valid, until, days_left, membership_limit=limit)
    in_grace = valid and day > dates.cert_expiry
    return DocumentStatus(item, valid, until, days_left, dates.cert_expiry, in_grace, limit)


def is_valid(item: Item, day: date, dates: DocumentDates, pack: RulePack) -> bool:
    """Whether ``item`` is valid on ``day`` for this member."""
    until = valid_until(item, dates, pack)
    return until is None or day <= until


def documents_on(day: date, pack: RulePack, dates: DocumentDates) -> tuple[DocumentStatus, ...]:
    """Every document's status on ``day`` (the マイナ保険証 only when its certificate date
    is known)."""
    shown = [i for i in DATED_DOCUMENTS if i is not Item.MYNA or dates.cert_expiry is not None]
    return tuple(status_on(item, day, dates, pack) for item in shown)
