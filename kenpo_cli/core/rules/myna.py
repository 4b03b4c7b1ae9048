"""The マイナ保険証 and its certificate: use, check, renew or replace (faq-myna-*, national)."""

from __future__ import annotations

from datetime import timedelta
from typing import assert_never

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Myna, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, act

A = ActionKind


def myna_steps(s: Situation) -> list[Action]:
    """The steps for the member's My Number card, by what they said of it."""
    match s.facts.myna:
        case Myna.YES:
            return [_card_step(s), *_cert_steps(s), *_update_steps(s)]
        case Myna.UNKNOWN:
            if s.ended:
                return []
            return [
                act(A.CHECK, Item.MYNAPORTAL, "check_registration", Src.MYNA_REGISTRATION_CHECK)
            ]
        case Myna.LOST:
            return _lost_card_steps(s)
        case Myna.NO:
            return []
        case other:
            assert_never(other)


def _lost_card_steps(s: Situation) -> list[Action]:
    steps = [act(A.RENEW, Item.MYNA, "renew_myna_lost", Src.NATIONAL_MYNA_CARD_LOST)]
    if s.member and s.facts.kakuninsho is Holding.NONE and s.pack.kakuninsho_on_myna_loss:
        source = s.pack.source_of("kakuninsho_on_myna_loss")
        steps.append(act(A.SUBMIT, Item.KAKUNINSHO_APPLICATION, "apply_kakuninsho", source))
    return steps


def _card_step(s: Situation) -> Action:
    grace = s.pack.source_of("cert_grace_months")
    if s.ended:
        return act(A.KEEP, Item.MYNA, "keep_myna_after_leaving", Src.MYNA_WHAT)
    if not s.myna_usable:
        return act(A.KEEP, Item.MYNA, "keep_myna_lapsed", grace, grace_end=s.grace_end or s.as_of)
    if s.facts.cert_expiry and s.as_of > s.facts.cert_expiry and s.grace_end:
        return act(
            A.CARRY, Item.MYNA, "carry_myna_in_grace", grace, Src.MYNA_WHAT, grace_end=s.grace_end
        )
    return act(A.CARRY, Item.MYNA, "carry_myna", Src.MYNA_WHAT)


def _cert_steps(s: Situation) -> list[Action]:
    cert, ends = s.facts.cert_expiry, s.grace_end
    if cert is None or ends is None:
        return []
    grace = s.pack.source_of("cert_grace_months")
    if s.as_of > ends:
        return [
            act(
                A.RENEW,
                Item.MYNA_CERT,
                "renew_cert_lapsed",
                grace,
                expired=cert,
                grace_end=ends,
            )
        ]
    if s.as_of > cert:
        return [
            act(
                A.RENEW,
                Item.MYNA_CERT,
                "renew_cert_in_grace",
                grace,
                by=ends,
                expired=cert,
                grace_end=ends,
            )
        ]
    if s.as_of >= cert - timedelta(days=s.pack.cert_renew_notice_days):
        return [
            act(
                A.RENEW,
                Item.MYNA_CERT,
                "renew_cert_soon",
                grace,
                s.pack.source_of("cert_renew_notice_days"),
                by=ends,
                expiry=cert,
                grace_end=ends,
            )
        ]
    return []


def _update_steps(s: Situation) -> list[Action]:
    days = s.pack.myna_update_days
    update = s.pack.source_of("myna_update_days")
    steps = []
    if s.updating and s.facts.joined_on is not None:
        steps.append(
            act(
                A.CHECK,
                Item.MYNAPORTAL,
                "check_portal_new_member",
                update,
                Src.MYNA_REGISTRATION_CHECK,
                days=days,
                ready=s.facts.joined_on + timedelta(days=days),
            )
        )
    if s.facts.name_changed is YesNo.YES and not s.ended:
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
