"""Lost, then found: the old 資格確認書 after its reissue, and the suspended My Number card.

A 資格確認書 ``found`` was lost, reissued, then found: the member holds the new one (the
other rules see it as ``held``) and the old one goes back, because it no longer works
(national-kakuninsho-found; the FAQ says nothing of a found one). A member with a
マイナ保険証 is reissued none (faq-kakuninsho-lost): theirs is checked, not sent back,
since the one found is most likely their only one. A found お知らせ is
simply held again: it is never reissued (faq-oshirase-lost), so nothing goes back.

A My Number card ``found`` was lost and suspended: it does not work at reception, as a
マイナ保険証 or otherwise, until the suspension is lifted (national-myna-card-found).
"""

from __future__ import annotations

from kenpo_cli.core.model import Action, ActionKind, Audience, Facts, Holding, Item, Myna
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, act

A = ActionKind


def as_held(facts: Facts) -> Facts:
    """The facts the other rules see: a found 資格確認書 or お知らせ is one held (the
    reissued one, or the お知らせ itself)."""
    if Holding.FOUND not in (facts.kakuninsho, facts.oshirase):
        return facts
    return facts._replace(
        kakuninsho=Holding.HELD if facts.kakuninsho is Holding.FOUND else facts.kakuninsho,
        oshirase=Holding.HELD if facts.oshirase is Holding.FOUND else facts.oshirase,
    )


def found_kakuninsho_steps(facts: Facts, s: Situation) -> list[Action]:
    """The old 資格確認書 found after its reissue: it goes back, or, once past its
    expiry (nothing to give back then), is thrown away."""
    if facts.kakuninsho is not Holding.FOUND or not s.kakuninsho_ours:
        return []  # (another insurer's card: rules/kakuninsho.py says so)
    sources = (Src.NATIONAL_KAKUNINSHO_FOUND, Src.KAKUNINSHO_LOST)
    reissued = s.pack.kakuninsho_reissue_for_myna_holders  # (as rules/kakuninsho.py's _reissue)
    if not s.ended and facts.myna is Myna.YES and s.myna_usable and not reissued:
        # None is reissued to a member with a マイナ保険証 (faq-kakuninsho-lost): the one
        # found is most likely their only one, kept as any other; only one replaced
        # before they registered goes back. (Past its expiry, the held card's own steps
        # say what to do with it.)
        if s.as_of > s.kakuninsho_expiry:
            return []
        return [act(A.CHECK, Item.KAKUNINSHO, "check_found_kakuninsho_myna", *sources)]
    if s.as_of > s.kakuninsho_expiry:
        return [
            act(
                A.DISPOSE,
                Item.FOUND_KAKUNINSHO,
                "dispose_found_kakuninsho",
                *sources,
                expiry=s.kakuninsho_expiry,
            )
        ]
    key = "return_found_kakuninsho_left" if s.ended else "return_found_kakuninsho"
    return [act(A.RETURN, Item.FOUND_KAKUNINSHO, key, *sources)]


def found_card_steps(s: Situation) -> list[Action]:
    """Have the suspension of the found My Number card lifted before it is used (the
    member's own business: not in a verdict written for an unreachable leaver's employer)."""
    if s.audience is Audience.EMPLOYER:
        return []
    key = "lift_myna_suspension" if s.member else "lift_myna_suspension_not_member"
    return [act(A.CONTACT, Item.MYNA_CARD, key, Src.NATIONAL_MYNA_CARD_FOUND)]
