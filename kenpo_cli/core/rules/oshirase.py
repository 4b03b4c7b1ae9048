"""The 資格情報のお知らせ, and the マイナポータル screen that stands in for it (faq-oshirase-*)."""

from __future__ import annotations

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Reader, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, act, later

A = ActionKind


def portal_stands_in(s: Situation) -> bool:
    """Whether the member can show the portal screen instead of the お知らせ."""
    return s.facts.portal is YesNo.YES and s.pack.portal_replaces_oshirase


def oshirase_steps(s: Situation) -> list[Action]:
    """Carry, keep or destroy the お知らせ, or what stands in for it."""
    f, pack = s.facts, s.pack
    steps: list[Action] = []
    if f.oshirase is Holding.HELD:
        if s.ended:
            return [_leaving_step(s)]
        steps.append(_now(s))
        if s.leaving_later:
            steps.append(_leaving_step(s))
    elif s.member and s.myna_usable:
        lost = f.oshirase is Holding.LOST
        source = pack.source_of("oshirase_reissued") if lost else Src.OSHIRASE_CARRY
        if lost and pack.oshirase_reissued:
            steps.append(act(A.CONTACT, Item.KENPO, "contact_oshirase_reissue", source))
        elif not portal_stands_in(s):
            steps.append(act(A.CHECK, Item.MYNAPORTAL, "check_portal_setup", source))
    if s.member and s.myna_usable and portal_stands_in(s) and not s.updating:
        steps.append(
            act(
                A.CARRY,
                Item.PORTAL_SCREEN,
                "carry_portal_screen",
                pack.source_of("portal_replaces_oshirase"),
                Src.OSHIRASE_LOST,
            )
        )
    return steps


def _now(s: Situation) -> Action:
    if not (s.member and s.myna_usable):
        return act(A.KEEP, Item.OSHIRASE, "keep_oshirase", Src.OSHIRASE_ALONE, Src.OSHIRASE_EXPIRY)
    if s.updating:
        return act(
            A.CARRY,
            Item.OSHIRASE,
            "carry_oshirase_new_member",
            Src.OSHIRASE_EVERYONE,
            s.pack.source_of("myna_update_days"),
        )
    if s.facts.reader is Reader.NONE:
        return act(
            A.CARRY,
            Item.OSHIRASE,
            "carry_oshirase_no_reader",
            Src.MYNA_NO_READER,
            Src.OSHIRASE_WHAT,
        )
    if portal_stands_in(s):
        return act(
            A.KEEP,
            Item.OSHIRASE,
            "keep_oshirase_portal",
            s.pack.source_of("portal_replaces_oshirase"),
        )
    return act(A.CARRY, Item.OSHIRASE, "carry_oshirase", Src.OSHIRASE_CARRY, Src.OSHIRASE_WHAT)


def _leaving_step(s: Situation) -> Action:
    source = s.pack.source_of("oshirase_return_on_leaving")
    if s.pack.oshirase_return_on_leaving:
        return act(A.RETURN, Item.OSHIRASE, "return_oshirase", source, at=later(s))
    return act(A.DISPOSE, Item.OSHIRASE, "dispose_oshirase_leaving", source, at=later(s))
