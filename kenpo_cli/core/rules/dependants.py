"""Dependants (被扶養者): each holds their own 資格確認書 (or お知らせ) and loses
eligibility on the member's 資格喪失日, so a leaver's return covers theirs too, and their
next insurance follows the member's.

Only a count given puts them in the steps and counts; not given, the count stays unknown
in the facts (it is not taken as 0) and the notices say theirs go back too, if any
(``dependants_unknown``, rules/notices.py).
"""

from __future__ import annotations

from kenpo_cli.core.model import Action, ActionKind, Item, Reason, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.kakuninsho import Duty, due, return_duty
from kenpo_cli.core.rules.situation import Situation, act, later

A = ActionKind


_CARDS = (Item.KAKUNINSHO, Item.KAKUNINSHO_LOSS_REPORT)  # steps that cover their cards


def before_kakuninsho(s: Situation) -> bool:
    """Whether the member lost eligibility while the old cards were still in use (by
    the pack's last day of the old card), before any 資格確認書 of this society."""
    return s.left_on is not None and s.left_on <= s.pack.old_card_valid_until


def _covers(a: Action, one: bool, early: bool, sent: bool = False) -> str | None:
    """The reason to add to a leaver's step for the dependants' documents or insurance,
    if it is one. ``early``: left while the old cards were in use (before_kakuninsho):
    the family's old 健康保険証 go back with the member's, and no 資格確認書 of theirs,
    unless the first ones had been sent by then (``sent``: left in November 2025)."""
    if early:
        if a.action is A.RETURN and a.item is Item.OLD_CARD:
            return "dependants_old_card_sent" if sent else "dependants_old_card"
        if a.item is Item.OLD_CARD_LOSS_REPORT:  # the leaver unreachable: nor theirs
            return "dependants_old_card_report_one" if one else "dependants_old_card_report"
        if a.item in _CARDS:
            return None
    if a.action is A.RETURN and a.item is Item.KAKUNINSHO:
        return "dependants_kakuninsho_one" if one else "dependants_kakuninsho"
    if a.action is A.RETURN and a.item is Item.OSHIRASE:  # a society that takes it back
        return "dependants_oshirase_one" if one else "dependants_oshirase"
    if a.item is Item.KAKUNINSHO_LOSS_REPORT and a.reasons[0].key == "loss_report_unreachable":
        # The leaver cannot be reached: nor can their dependants' cards.
        return "dependants_loss_report_one" if one else "dependants_loss_report"
    # Their next insurance follows the member's: a 国民健康保険 household joins together,
    # and under 任意継続 they stay the member's dependants (national-dependants).
    if a.item is Item.KOKUHO:
        return "dependants_kokuho"
    if a.item is Item.NINI_KEIZOKU:
        return "dependants_nini_keizoku"
    return None


def with_dependants(s: Situation, steps: list[Action]) -> list[Action]:
    """``steps`` with the dependants' documents in the leaver's returns (or a step of
    its own for their 資格確認書 when the member returns none of theirs)."""
    n = s.facts.dependants
    if not n or not s.leaving:
        return steps
    # Left while the old cards were in use: the family held old cards, which go back with
    # the member's (national-old-card-return), and no 資格確認書 of this society.
    early = before_kakuninsho(s)
    sent = early and s.left_on is not None and s.left_on > s.limits.bulk_sent
    out, cards_covered = [], False
    for a in steps:
        key = _covers(a, n == 1, early, sent)
        if key is not None:
            said = Reason(key, (("n", str(n)),))
            a = a._replace(
                reasons=(*a.reasons, said), sources=(*a.sources, Src.NATIONAL_DEPENDANTS)
            )
            cards_covered = cards_covered or a.item in _CARDS
        out.append(a)
    if early or cards_covered or not s.pack.kakuninsho_return_on_leaving:
        return out
    if s.facts.unreachable is YesNo.YES:
        # The leaver cannot be reached, nor their family's cards: the employer reports them
        # on the 滅失・回収不能届, as it would the member's own.
        report = act(
            A.SUBMIT,
            Item.KAKUNINSHO_LOSS_REPORT,
            "loss_report_dependants_unreachable",
            Src.KAKUNINSHO_LOST_ON_LEAVING,
            Src.NATIONAL_DEPENDANTS,
            at=later(s),
            n=n,
        )
        return [*out, due(s, report)]
    # The member's own card may have lapsed by the 資格喪失日 (or there was none: a
    # マイナ保険証), but a dependant without a マイナ保険証 was sent a renewed one before
    # theirs expired (faq-kakuninsho-expiry): whether each goes back is theirs to see.
    own_lapsed = return_duty(s) is Duty.NONE
    key = "return_dependants_kakuninsho"
    if own_lapsed:
        key = "return_dependants_kakuninsho_renewed"
    elif s.left_on is not None and s.left_on <= s.kakuninsho_expiry:
        key = "return_dependants_kakuninsho_in_date"  # (none can have expired: no "if")
    theirs = act(
        A.RETURN,
        Item.DEPENDANTS_KAKUNINSHO,
        key,
        s.pack.source_of("kakuninsho_return_on_leaving"),
        *((Src.KAKUNINSHO_EXPIRY,) if own_lapsed else ()),
        Src.NATIONAL_DEPENDANTS,
        at=later(s),
        n=n,
        expiry=s.kakuninsho_expiry,
    )
    # Due with the member's 資格喪失届, like the member's own card (national-loss-notification).
    return [*out, due(s, theirs)]
