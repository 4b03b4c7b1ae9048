"""Until when each document is valid: the date answers behind ``kenpo expiry`` and the rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from kenpo_cli.core.dates import month_end_after
from kenpo_cli.core.model import Item
from kenpo_cli.core.rulepack import RulePack


class DocumentStatus(NamedTuple):
    """Whether ``item`` is valid on a day, and until when (``None``: no expiry)."""

    item: Item
    valid: bool
    valid_until: date | None
    days_left: int | None = None
    cert_expiry: date | None = None
    in_grace: bool | None = None


def grace_end(cert_expiry: date, pack: RulePack) -> date:
    """Last day a マイナ保険証 works after its certificate expired on ``cert_expiry``.

    That is the last day of the ``cert_grace_months``-th month after the month of
    ``cert_expiry`` (faq-myna-cert-expired): 2026-11-15 gives 2027-02-28.
    """
    return month_end_after(cert_expiry, pack.cert_grace_months)


def membership_end(left_on: date | None) -> date | None:
    """The last day of membership for someone who loses eligibility on ``left_on``."""
    return None if left_on is None else left_on - timedelta(days=1)


def _until(*limits: date | None) -> date | None:
    known = [d for d in limits if d is not None]
    return min(known) if known else None


def _status(item: Item, day: date, until: date | None, **extra: object) -> DocumentStatus:
    valid = until is None or day <= until
    days_left = (until - day).days if valid and until is not None else None
    return DocumentStatus(item, valid, until, days_left, **extra)  # type: ignore[arg-type]


def old_card_status(day: date, pack: RulePack, left_on: date | None = None) -> DocumentStatus:
    """The old card: valid to the end of the transition (faq-old-card-until)."""
    return _status(Item.OLD_CARD, day, _until(pack.old_card_valid_until, membership_end(left_on)))


def kakuninsho_status(
    day: date, pack: RulePack, expiry: date | None = None, left_on: date | None = None
) -> DocumentStatus:
    """The 資格確認書: valid to its printed expiry, the pack's unless given."""
    printed = expiry or pack.kakuninsho_expiry
    return _status(Item.KAKUNINSHO, day, _until(printed, membership_end(left_on)))


def oshirase_status(day: date, left_on: date | None = None) -> DocumentStatus:
    """The お知らせ never expires (faq-oshirase-expiry); it ends only with membership."""
    return _status(Item.OSHIRASE, day, membership_end(left_on))


def myna_status(
    day: date, pack: RulePack, cert_expiry: date, left_on: date | None = None
) -> DocumentStatus:
    """The マイナ保険証 by its certificate's expiry, grace period included."""
    until = _until(grace_end(cert_expiry, pack), membership_end(left_on))
    status = _status(Item.MYNA, day, until)
    in_grace = cert_expiry < day <= grace_end(cert_expiry, pack)
    return DocumentStatus(
        Item.MYNA, status.valid, until, status.days_left, cert_expiry, in_grace and status.valid
    )


def documents_on(
    day: date,
    pack: RulePack,
    *,
    cert_expiry: date | None = None,
    kakuninsho_expiry: date | None = None,
    left_on: date | None = None,
) -> tuple[DocumentStatus, ...]:
    """Every document's status on ``day`` (the マイナ保険証 only when ``cert_expiry`` is known)."""
    docs = [
        old_card_status(day, pack, left_on),
        kakuninsho_status(day, pack, kakuninsho_expiry, left_on),
        oshirase_status(day, left_on),
    ]
    if cert_expiry is not None:
        docs.append(myna_status(day, pack, cert_expiry, left_on))
    return tuple(docs)
