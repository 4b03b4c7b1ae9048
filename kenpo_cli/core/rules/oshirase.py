"""The 資格情報のお知らせ, and the マイナポータル screen that stands in for it (faq-oshirase-*)."""

from __future__ import annotations

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Myna, Reader, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, act, later

A = ActionKind


def portal_stands_in(s: Situation) -> bool:
    """Whether the member can show the portal screen instead of the お知らせ today.

    The screen needs a login to マイナポータル, and that needs a certificate that has not
    expired: in the card's grace period the card still works at a reader, the portal
    does not (national-portal-needs-cert).
    """
    return s.facts.portal is YesNo.YES and s.pack.portal_replaces_oshirase and s.live_cert


def oshirase_steps(s: Situation) -> list[Action]:
    """Carry, keep or destroy the お知らせ, or what stands in for it."""
    match s.facts.oshirase:
        case Holding.HELD:
            if s.ended:
                return [_leaving_step(s)]
            steps = [_now(s)]
            if s.leaving_later:
                steps.append(_leaving_step(s))
        case Holding.LOST:
            steps = _lost(s)
        case Holding.NONE:
            steps = _never_received(s)
    if s.member and s.myna_usable and portal_stands_in(s) and not s.updating:
        steps.append(
            act(
                A.CARRY,
                Item.PORTAL_SCREEN,
                "carry_portal_screen",
                s.pack.source_of("portal_replaces_oshirase"),
                Src.OSHIRASE_LOST,
            )
        )
    return steps


def _lost(s: Situation) -> list[Action]:
    if not (s.member and s.myna_usable):
        return []
    source = s.pack.source_of("oshirase_reissued")
    if s.pack.oshirase_reissued:
        return [act(A.CONTACT, Item.KENPO, "contact_oshirase_reissue", source)]
    if s.live_cert and not portal_stands_in(s):
        return [act(A.CHECK, Item.MYNAPORTAL, "check_portal_setup", source)]
    return []


def _never_received(s: Situation) -> list[Action]:
    """Every member is sent one (S6): not having it is not a loss, but a question for the 健保.

    A new member's comes once the membership is registered, so it is not asked for early;
    a leaver's is thrown away on leaving, so it is not asked for at all.
    """
    if not (s.member and s.myna_usable) or s.new_joiner or s.updating or portal_stands_in(s):
        return []  # (the portal screen stands in for it: faq-oshirase-carry; a new
        # member's is on its way, and is asked about only after the post had time)
    if s.leaving:
        return []  # a leaver throws it away on leaving (faq-oshirase-leaving): not chased
    return [act(A.CONTACT, Item.KENPO, "contact_oshirase_never_received", Src.OSHIRASE_EVERYONE)]


def _now(s: Situation) -> Action:
    from kenpo_cli.core.rules.reception import in_measure, reception_options

    if in_measure(s) and (Item.OSHIRASE,) in reception_options(s):
        # Nothing else works, and the national measure lets a clinic take it alone.
        return act(
            A.CARRY,
            Item.OSHIRASE,
            "carry_oshirase_measure",
            Src.NATIONAL_TRANSITION_MEASURE,
            until=s.pack.transition_measure_until,
        )
    if s.member and s.facts.myna is Myna.UNKNOWN:
        # Unsure whether the card is registered: carried with it, the お知らせ is what the
        # card and it together stand for if it is (faq-oshirase-carry, faq-oshirase-what).
        return act(
            A.CARRY, Item.OSHIRASE, "carry_oshirase_unsure", Src.OSHIRASE_CARRY, Src.OSHIRASE_WHAT
        )
    joined = s.facts.joined_on
    if joined is not None and s.as_of < joined and not s.ended:
        # Not a member yet: ours is sent once the membership is registered, so one in
        # hand is the previous insurer's (faq-oshirase-everyone).
        return act(
            A.KEEP,
            Item.OSHIRASE,
            "keep_oshirase_before_joining",
            Src.OSHIRASE_EVERYONE,
            s.pack.source_of("myna_update_days"),
            joined=joined,
            ready=s.ready_on or joined,
        )
    if not (s.member and s.myna_usable):
        return act(A.KEEP, Item.OSHIRASE, "keep_oshirase", Src.OSHIRASE_ALONE, Src.OSHIRASE_EXPIRY)
    if s.updating:
        # What is in hand in the first days is the previous insurer's: ours comes once
        # the membership is registered (faq-oshirase-everyone).
        return act(
            A.KEEP,
            Item.OSHIRASE,
            "keep_oshirase_new_member",
            Src.OSHIRASE_EVERYONE,
            s.pack.source_of("myna_update_days"),
            ready=s.ready_on or s.as_of,
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
    if s.facts.portal is YesNo.YES and s.pack.portal_replaces_oshirase:  # but no live cert
        return act(
            A.CARRY,
            Item.OSHIRASE,
            "carry_oshirase_portal_needs_cert",
            Src.NATIONAL_PORTAL_NEEDS_CERT,
            Src.OSHIRASE_CARRY,
        )
    return act(A.CARRY, Item.OSHIRASE, "carry_oshirase", Src.OSHIRASE_CARRY, Src.OSHIRASE_WHAT)


def _leaving_step(s: Situation) -> Action:
    source = s.pack.source_of("oshirase_return_on_leaving")
    if s.pack.oshirase_return_on_leaving:
        key = "return_oshirase_left" if s.ended else "return_oshirase"
        return act(A.RETURN, Item.OSHIRASE, key, source, at=later(s))
    key = "dispose_oshirase_left" if s.ended else "dispose_oshirase_leaving"
    return act(A.DISPOSE, Item.OSHIRASE, key, source, at=later(s))
