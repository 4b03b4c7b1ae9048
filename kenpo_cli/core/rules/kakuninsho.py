"""The 資格確認書: carry, keep, return, dispose or replace it (faq-kakuninsho-*)."""

from __future__ import annotations

from typing import assert_never

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Myna, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, act, later

A = ActionKind


def kakuninsho_steps(s: Situation) -> list[Action]:
    """The steps for the member's 資格確認書, held or lost."""
    match s.facts.kakuninsho:
        case Holding.HELD:
            return _held(s)
        case Holding.LOST:
            return _lost(s)
        case Holding.NONE:
            return []
        case other:
            assert_never(other)


def must_return(s: Situation) -> bool:
    """Whether a leaver owes the 資格確認書 back (or a loss report in its place)."""
    expired = s.leaving_day > s.kakuninsho_expiry
    return s.pack.kakuninsho_return_on_leaving and (
        not expired or s.pack.kakuninsho_return_if_expired
    )


def _leaving_step(s: Situation) -> Action:
    exp = s.kakuninsho_expiry
    if not must_return(s):
        return act(
            A.DISPOSE,
            Item.KAKUNINSHO,
            "dispose_kakuninsho_leaving",
            s.pack.source_of("kakuninsho_return_if_expired"),
            at=later(s),
            expiry=exp,
        )
    if s.facts.unreachable is YesNo.YES:
        return act(
            A.SUBMIT,
            Item.KAKUNINSHO_LOSS_REPORT,
            "loss_report_unreachable",
            Src.KAKUNINSHO_LOST_ON_LEAVING,
            at=later(s),
        )
    sources: list[str] = [s.pack.source_of("kakuninsho_return_on_leaving")]
    if s.facts.myna is Myna.YES:
        sources.append(Src.KAKUNINSHO_AFTER_MYNA)
    return act(A.RETURN, Item.KAKUNINSHO, "return_kakuninsho", *sources, at=later(s), expiry=exp)


def _held(s: Situation) -> list[Action]:
    exp = s.kakuninsho_expiry
    if s.ended:
        return [_leaving_step(s)]
    if s.as_of > exp:
        return [
            act(
                A.DISPOSE,
                Item.KAKUNINSHO,
                "dispose_kakuninsho_expired",
                s.pack.source_of("kakuninsho_expiry"),
                expiry=exp,
            )
        ]
    if s.myna_usable:
        steps = [
            act(
                A.KEEP,
                Item.KAKUNINSHO,
                "keep_kakuninsho_with_myna",
                Src.KAKUNINSHO_AFTER_MYNA,
                Src.MYNA_REGISTERED,
                expiry=exp,
            )
        ]
    elif s.member:
        steps = [
            act(
                A.CARRY,
                Item.KAKUNINSHO,
                "carry_kakuninsho",
                Src.KAKUNINSHO_WITHOUT_MYNA,
                Src.KAKUNINSHO_WHAT,
                s.pack.source_of("kakuninsho_expiry"),
                expiry=exp,
            )
        ]
    else:
        steps = [
            act(
                A.KEEP,
                Item.KAKUNINSHO,
                "keep_kakuninsho_until_joined",
                Src.KAKUNINSHO_WHAT,
                expiry=exp,
            )
        ]
    if s.leaving_later:
        steps.append(_leaving_step(s))
    return steps


def _lost(s: Situation) -> list[Action]:
    if s.leaving:
        if not must_return(s):
            return []
        return [
            act(
                A.SUBMIT,
                Item.KAKUNINSHO_LOSS_REPORT,
                "loss_report_lost",
                Src.KAKUNINSHO_LOST_ON_LEAVING,
                at=later(s),
            )
        ]
    sources: list[str] = [Src.KAKUNINSHO_LOST]
    if s.facts.myna is Myna.YES:
        if not s.pack.kakuninsho_reissue_for_myna_holders:
            return []
        sources.append(s.pack.source_of("kakuninsho_reissue_for_myna_holders"))
    return [act(A.SUBMIT, Item.KAKUNINSHO_REISSUE, "submit_reissue", *sources)]
