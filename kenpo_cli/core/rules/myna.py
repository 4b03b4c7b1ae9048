"""The マイナ保険証 and its certificate: use, check, renew or replace (faq-myna-*, national)."""

from __future__ import annotations

from datetime import timedelta
from typing import assert_never

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Myna, Reason, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.found import found_card_steps
from kenpo_cli.core.rules.situation import Situation, act, after_lapse, before_closed

A = ActionKind


def myna_steps(s: Situation) -> list[Action]:
    """The steps for the member's My Number card, by what they said of it."""
    match s.facts.myna:
        case Myna.YES:
            return [_card_step(s), *_cert_steps(s), *_lapsed_steps(s), *_update_steps(s)]
        case Myna.UNKNOWN:
            if s.ended:
                return []
            check = act(A.CHECK, Item.MYNAPORTAL, "check_registration", Src.MYNA_REGISTRATION_CHECK)
            if s.facts.kakuninsho is Holding.NONE:
                # Not registered: then a 資格確認書 comes unasked (faq-myna-without).
                check = check._replace(
                    reasons=(*check.reasons, Reason("check_registration_else_kakuninsho")),
                    sources=(*check.sources, Src.MYNA_WITHOUT),
                )
            return [check]
        case Myna.LOST:
            return _lost_card_steps(s)
        case Myna.FOUND:
            return found_card_steps(s)
        case Myna.NO:
            return []
        case other:
            assert_never(other)


def _lost_card_steps(s: Situation) -> list[Action]:
    """Suspend the card by phone first, then have it reissued (national-myna-card-lost)."""
    lost = Src.NATIONAL_MYNA_CARD_LOST
    steps = [
        act(A.CONTACT, Item.MYNA_CARD, "contact_myna_card_lost", lost),
        act(A.RENEW, Item.MYNA_CARD, "renew_myna_lost", lost),
    ]
    # (Not for someone leaving on a known day: the card would stop working then.)
    if (
        s.member
        and s.left_on is None
        and s.facts.kakuninsho is Holding.NONE
        and s.pack.kakuninsho_on_myna_loss
    ):
        source = s.pack.source_of("kakuninsho_on_myna_loss")
        apply = act(A.SUBMIT, Item.KAKUNINSHO_APPLICATION, "apply_kakuninsho", source)
        if s.kakuninsho_kept:  # (not said: one sent before registering may be at hand)
            kept = Reason(
                "apply_kakuninsho_unless_kept", (("expiry", s.kakuninsho_expiry.isoformat()),)
            )
            apply = apply._replace(
                reasons=(*apply.reasons, kept), sources=(*apply.sources, Src.KAKUNINSHO_AFTER_MYNA)
            )
        steps.append(apply)
    elif s.member and s.left_on is not None and s.kakuninsho_kept:
        # Leaving on a known day, no 資格確認書 is sent for the days left; one kept from
        # before registering, if at hand, works to the day before (coverage hangs on it).
        last = min(s.left_on - timedelta(days=1), s.kakuninsho_expiry)
        look = act(
            A.CHECK, Item.KAKUNINSHO, "check_kakuninsho_kept_leaving", Src.KAKUNINSHO_AFTER_MYNA,
            until=last,
        )  # fmt: skip
        steps.insert(1, look)
    return steps


def _card_step(s: Situation) -> Action:
    grace = s.pack.source_of("cert_grace_months")
    if s.ended:
        if not s.myna_usable and s.grace_end is not None and s.as_of > s.grace_end:
            return act(A.KEEP, Item.MYNA, "keep_myna_after_leaving_lapsed", Src.MYNA_WHAT, grace)
        return act(A.KEEP, Item.MYNA, "keep_myna_after_leaving", Src.MYNA_WHAT)
    joined = s.facts.joined_on
    if not s.member and joined is not None:  # joins later: not this society's card yet
        return act(A.KEEP, Item.MYNA, "keep_myna_until_joined", Src.MYNA_WHAT, joined_on=joined)
    if not s.myna_usable:
        return act(A.KEEP, Item.MYNA, "keep_myna_lapsed", grace, grace_end=s.grace_end or s.as_of)
    if s.in_grace and s.grace_end is not None:
        return act(
            A.CARRY, Item.MYNA, "carry_myna_in_grace", grace, Src.MYNA_WHAT, grace_end=s.grace_end
        )
    return act(A.CARRY, Item.MYNA, "carry_myna", Src.MYNA_WHAT)


def _cert_steps(s: Situation) -> list[Action]:
    """Renew the certificate: early while it is valid (by its expiry), then by the grace
    period's end, then as soon as possible (overdue)."""
    cert, ends = s.facts.cert_expiry, s.grace_end
    if cert is None or ends is None:
        return []
    grace = s.pack.source_of("cert_grace_months")
    if s.as_of > ends:
        key, by = "renew_cert_lapsed", ends
    elif s.as_of > cert:
        key, by = "renew_cert_in_grace", ends
    elif cert <= s.limits.cert_window:  # the renewal window has opened
        key, by = "renew_cert_soon", cert
    else:
        return []
    # The renewal window (from three months before) is cited only while it is what applies.
    sources = [grace, s.pack.source_of("cert_renew_notice_months")] if by == cert else [grace]
    step = act(A.RENEW, Item.MYNA_CERT, key, *sources, by=by, expiry=cert, grace_end=ends)
    # (due on a day the municipal office is closed: by its last open day before)
    return [before_closed(s, step, by, "renew_before_closed_day")]


def _lapsed_steps(s: Situation) -> list[Action]:
    """After the grace period: a 資格確認書 is on its way; ask the 健保 if a visit cannot wait."""
    holds_kakuninsho = s.facts.kakuninsho is Holding.HELD and s.valid(Item.KAKUNINSHO)
    # (Not said: the step to check that it came says to ask if it has not: kakuninsho.py)
    if not s.member or s.myna_usable or holds_kakuninsho or after_lapse(s):
        return []
    return [
        act(
            A.CONTACT,
            Item.KENPO,
            "contact_kakuninsho_after_lapse",
            Src.NATIONAL_KAKUNINSHO_AFTER_LAPSE,
        )
    ]


def _update_steps(s: Situation) -> list[Action]:
    """Look in マイナポータル (it needs a live certificate) for changes reaching the card."""
    if not s.live_cert or s.ended:
        return []
    days = s.pack.myna_update_days
    update = s.pack.source_of("myna_update_days")
    steps = []
    if s.updating and s.ready_on is not None:
        steps.append(
            act(
                A.CHECK,
                Item.MYNAPORTAL,
                "check_portal_new_member",
                update,
                Src.MYNA_REGISTRATION_CHECK,
                Src.OSHIRASE_EVERYONE,
                days=days,
                ready=s.ready_on,
            )
        )
    if s.facts.name_changed is YesNo.YES:
        steps.append(
            act(
                A.CHECK,
                Item.MYNAPORTAL,
                "check_portal_name_change",
                Src.OSHIRASE_CHANGE,
                update,
                days=days,
            )
        )
    return steps
