"""The rules: from a member's facts, a day and a rule pack to a verdict.

Each ``*_steps`` function covers one document or topic and cites the FAQ entries
(or national rules) it rests on; :func:`evaluate` puts them together. Nothing here
reads the clock, a file or the terminal.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple, assert_never

from kenpo_cli.core.model import (
    Action,
    ActionKind,
    Facts,
    Holding,
    Item,
    Myna,
    Notice,
    OldCard,
    Reader,
    Status,
    Verdict,
    YesNo,
)
from kenpo_cli.core.rulepack import RulePack, Src
from kenpo_cli.core.validity import grace_end

A = ActionKind
_ACCESS_STEPS = frozenset({A.SUBMIT, A.CHECK, A.RENEW})
_ORDER = {kind: n for n, kind in enumerate(ActionKind)}


class Situation(NamedTuple):
    """The facts seen on one day under one pack: what the rules actually branch on."""

    facts: Facts
    as_of: date
    pack: RulePack
    ended: bool  # membership is over on as_of
    leaving_later: bool  # left_on is after as_of
    member: bool  # a member of this society on as_of
    kakuninsho_expiry: date
    grace_end: date | None
    myna_usable: bool
    updating: bool  # a new member's マイナ保険証 may not show the membership yet

    @property
    def left_on(self) -> date | None:
        return self.facts.left_on

    @property
    def leaving(self) -> bool:
        return self.ended or self.leaving_later

    @property
    def leaving_day(self) -> date:
        """The day leaving takes effect for the steps it triggers (today once it has)."""
        if self.leaving_later and self.left_on is not None:
            return self.left_on
        return self.as_of


def situation(facts: Facts, as_of: date, pack: RulePack) -> Situation:
    """Derive the situation the rules branch on."""
    left = facts.status is Status.LEFT or facts.left_on is not None
    ended = left and (facts.left_on is None or as_of >= facts.left_on)
    leaving_later = facts.left_on is not None and as_of < facts.left_on
    joined_later = facts.joined_on is not None and as_of < facts.joined_on
    ends = grace_end(facts.cert_expiry, pack) if facts.cert_expiry else None
    myna_usable = facts.myna is Myna.YES and (ends is None or as_of <= ends)
    updating = (
        facts.joined_on is not None
        and facts.myna is Myna.YES
        and facts.joined_on <= as_of < facts.joined_on + timedelta(days=pack.myna_update_days)
    )
    return Situation(
        facts=facts,
        as_of=as_of,
        pack=pack,
        ended=ended,
        leaving_later=leaving_later,
        member=not ended and not joined_later,
        kakuninsho_expiry=facts.kakuninsho_expiry or pack.kakuninsho_expiry,
        grace_end=ends,
        myna_usable=myna_usable,
        updating=updating,
    )


def act(
    kind: ActionKind,
    item: Item,
    reason: str,
    *sources: str,
    by: date | None = None,
    from_: date | None = None,
    **params: date | str | int,
) -> Action:
    """One step; dates in ``params`` become ISO strings for the message catalogue."""
    shown = tuple((k, v.isoformat() if isinstance(v, date) else str(v)) for k, v in params.items())
    return Action(kind, item, reason, tuple(sources), shown, by, from_)


def _later(s: Situation) -> date | None:
    """The ``from`` day of a leaving step: set only while leaving is still ahead."""
    return s.left_on if s.leaving_later else None


# ---- the old card -----------------------------------------------------------------


def old_card_steps(s: Situation) -> list[Action]:
    """The old card works to the transition's end, then is destroyed (faq-old-card-*)."""
    if s.facts.old_card is not OldCard.HELD:
        return []
    last = s.pack.old_card_valid_until
    first_invalid = last + timedelta(days=1)
    if s.as_of > last:
        return [
            act(
                A.DISPOSE,
                Item.OLD_CARD,
                "dispose_old_card",
                Src.OLD_CARD_AFTER,
                s.pack.source_of("old_card_valid_until"),
                since=first_invalid,
            )
        ]
    steps = []
    valid_until = s.pack.source_of("old_card_valid_until")
    if s.member:
        steps.append(act(A.CARRY, Item.OLD_CARD, "carry_old_card", valid_until, until=last))
    elif not s.ended:  # joins later: nothing to show it for yet
        steps.append(act(A.KEEP, Item.OLD_CARD, "keep_old_card", valid_until, until=last))
    # Leaving while the card is still in force: the national rule is to hand it back.
    if s.leaving and s.leaving_day <= last:
        steps.append(
            act(
                A.RETURN,
                Item.OLD_CARD,
                "return_old_card",
                Src.NATIONAL_OLD_CARD_RETURN,
                from_=_later(s),
            )
        )
    else:
        steps.append(
            act(
                A.DISPOSE,
                Item.OLD_CARD,
                "dispose_old_card_later",
                Src.OLD_CARD_AFTER,
                from_=first_invalid,
                since=first_invalid,
            )
        )
    return steps


# ---- the 資格確認書 ---------------------------------------------------------------


def kakuninsho_steps(s: Situation) -> list[Action]:
    """Carry, keep, return, dispose or replace the 資格確認書 (faq-kakuninsho-*)."""
    match s.facts.kakuninsho:
        case Holding.HELD:
            return _held_kakuninsho(s)
        case Holding.LOST:
            return _lost_kakuninsho(s)
        case Holding.NONE:
            return []
        case other:
            assert_never(other)


def _must_return_kakuninsho(s: Situation) -> bool:
    expired = s.leaving_day > s.kakuninsho_expiry
    return s.pack.kakuninsho_return_on_leaving and (
        not expired or s.pack.kakuninsho_return_if_expired
    )


def _kakuninsho_leaving_step(s: Situation) -> Action:
    exp = s.kakuninsho_expiry
    if not _must_return_kakuninsho(s):
        return act(
            A.DISPOSE,
            Item.KAKUNINSHO,
            "dispose_kakuninsho_leaving",
            s.pack.source_of("kakuninsho_return_if_expired"),
            from_=_later(s),
            expiry=exp,
        )
    if s.facts.unreachable is YesNo.YES:
        return act(
            A.SUBMIT,
            Item.KAKUNINSHO_LOSS_REPORT,
            "loss_report_unreachable",
            Src.KAKUNINSHO_LOST_ON_LEAVING,
            from_=_later(s),
        )
    sources = [s.pack.source_of("kakuninsho_return_on_leaving")]
    if s.facts.myna is Myna.YES:
        sources.append(Src.KAKUNINSHO_AFTER_MYNA)
    return act(
        A.RETURN, Item.KAKUNINSHO, "return_kakuninsho", *sources, from_=_later(s), expiry=exp
    )


def _held_kakuninsho(s: Situation) -> list[Action]:
    exp = s.kakuninsho_expiry
    if s.ended:
        return [_kakuninsho_leaving_step(s)]
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
        steps.append(_kakuninsho_leaving_step(s))
    return steps


def _lost_kakuninsho(s: Situation) -> list[Action]:
    if s.leaving:
        if not _must_return_kakuninsho(s):
            return []
        return [
            act(
                A.SUBMIT,
                Item.KAKUNINSHO_LOSS_REPORT,
                "loss_report_lost",
                Src.KAKUNINSHO_LOST_ON_LEAVING,
                from_=_later(s),
            )
        ]
    sources = [Src.KAKUNINSHO_LOST]
    if s.facts.myna is Myna.YES:
        if not s.pack.kakuninsho_reissue_for_myna_holders:
            return []
        sources.append(s.pack.source_of("kakuninsho_reissue_for_myna_holders"))
    return [act(A.SUBMIT, Item.KAKUNINSHO_REISSUE, "submit_reissue", *sources)]


# ---- the お知らせ -----------------------------------------------------------------


def oshirase_steps(s: Situation) -> list[Action]:
    """Carry, keep or destroy the お知らせ, or what stands in for it (faq-oshirase-*)."""
    f, pack = s.facts, s.pack
    portal_stands_in = f.portal is YesNo.YES and pack.portal_replaces_oshirase
    steps: list[Action] = []
    if f.oshirase is Holding.HELD:
        if s.ended:
            return [_oshirase_leaving_step(s)]
        steps.append(_oshirase_now(s, portal_stands_in))
        if s.leaving_later:
            steps.append(_oshirase_leaving_step(s))
    elif s.member and s.myna_usable:
        lost = f.oshirase is Holding.LOST
        source = pack.source_of("oshirase_reissued") if lost else Src.OSHIRASE_CARRY
        if lost and pack.oshirase_reissued:
            steps.append(act(A.CONTACT, Item.KENPO, "contact_oshirase_reissue", source))
        elif not portal_stands_in:
            steps.append(act(A.CHECK, Item.MYNAPORTAL, "check_portal_setup", source))
    if s.member and s.myna_usable and portal_stands_in and not s.updating:
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


def _oshirase_now(s: Situation, portal_stands_in: bool) -> Action:
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
    if portal_stands_in:
        return act(
            A.KEEP,
            Item.OSHIRASE,
            "keep_oshirase_portal",
            s.pack.source_of("portal_replaces_oshirase"),
        )
    return act(A.CARRY, Item.OSHIRASE, "carry_oshirase", Src.OSHIRASE_CARRY, Src.OSHIRASE_WHAT)


def _oshirase_leaving_step(s: Situation) -> Action:
    if s.pack.oshirase_return_on_leaving:
        return act(
            A.RETURN,
            Item.OSHIRASE,
            "return_oshirase",
            s.pack.source_of("oshirase_return_on_leaving"),
            from_=_later(s),
        )
    return act(
        A.DISPOSE,
        Item.OSHIRASE,
        "dispose_oshirase_leaving",
        s.pack.source_of("oshirase_return_on_leaving"),
        from_=_later(s),
    )


# ---- the マイナ保険証 -------------------------------------------------------------


def myna_steps(s: Situation) -> list[Action]:
    """Use, check, renew or replace the マイナ保険証 (faq-myna-*, national rules)."""
    match s.facts.myna:
        case Myna.YES:
            return [_myna_card_step(s), *_cert_steps(s), *_myna_update_steps(s)]
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


def _myna_card_step(s: Situation) -> Action:
    if s.ended:
        return act(A.KEEP, Item.MYNA, "keep_myna_after_leaving", Src.MYNA_WHAT)
    if not s.myna_usable:
        return act(
            A.KEEP,
            Item.MYNA,
            "keep_myna_lapsed",
            s.pack.source_of("cert_grace_months"),
            grace_end=s.grace_end or s.as_of,
        )
    if s.facts.cert_expiry and s.as_of > s.facts.cert_expiry and s.grace_end:
        return act(
            A.CARRY,
            Item.MYNA,
            "carry_myna_in_grace",
            s.pack.source_of("cert_grace_months"),
            Src.MYNA_WHAT,
            grace_end=s.grace_end,
        )
    return act(A.CARRY, Item.MYNA, "carry_myna", Src.MYNA_WHAT)


def _cert_steps(s: Situation) -> list[Action]:
    cert, ends = s.facts.cert_expiry, s.grace_end
    if cert is None or ends is None:
        return []
    if s.as_of > ends:
        return [
            act(
                A.RENEW,
                Item.MYNA_CERT,
                "renew_cert_lapsed",
                s.pack.source_of("cert_grace_months"),
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
                s.pack.source_of("cert_grace_months"),
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
                s.pack.source_of("cert_grace_months"),
                s.pack.source_of("cert_renew_notice_days"),
                by=ends,
                expiry=cert,
                grace_end=ends,
            )
        ]
    return []


def _myna_update_steps(s: Situation) -> list[Action]:
    days = s.pack.myna_update_days
    steps = []
    if s.updating and s.facts.joined_on is not None:
        steps.append(
            act(
                A.CHECK,
                Item.MYNAPORTAL,
                "check_portal_new_member",
                s.pack.source_of("myna_update_days"),
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
                s.pack.source_of("myna_update_days"),
                days=days,
            )
        )
    return steps


# ---- membership -------------------------------------------------------------------


def membership_steps(s: Situation) -> list[Action]:
    """Forms a member hands in whatever their documents (faq-oshirase-change)."""
    if s.facts.name_changed is YesNo.YES and not s.ended:
        return [act(A.SUBMIT, Item.NAME_CHANGE, "submit_name_change", Src.OSHIRASE_CHANGE)]
    return []


def access_steps(
    s: Situation, present: tuple[tuple[Item, ...], ...], steps: list[Action]
) -> list[Action]:
    """A member with nothing that works at reception, and no step that fixes it, asks the 健保."""
    if not s.member or present or any(a.action in _ACCESS_STEPS for a in steps):
        return []
    return [
        act(A.CONTACT, Item.KENPO, "contact_no_document", Src.MYNA_WITHOUT, Src.KAKUNINSHO_WHAT)
    ]


# ---- reception --------------------------------------------------------------------


def reception_options(s: Situation) -> tuple[tuple[Item, ...], ...]:
    """The alternative sets of documents that get insured care at reception on ``as_of``."""
    if not s.member:
        return ()
    f, pack = s.facts, s.pack
    options: list[tuple[Item, ...]] = []
    if s.myna_usable:
        if f.reader is Reader.OK and not s.updating:
            options.append((Item.MYNA,))
        if f.oshirase is Holding.HELD:
            options.append((Item.MYNA, Item.OSHIRASE))
        if f.portal is YesNo.YES and pack.portal_replaces_oshirase and not s.updating:
            options.append((Item.MYNA, Item.PORTAL_SCREEN))
    if f.kakuninsho is Holding.HELD and s.as_of <= s.kakuninsho_expiry:
        options.append((Item.KAKUNINSHO,))
    if f.old_card is OldCard.HELD and s.as_of <= pack.old_card_valid_until:
        options.append((Item.OLD_CARD,))
    return tuple(options)


def notices(s: Situation, present: tuple[tuple[Item, ...], ...]) -> tuple[Notice, ...]:
    """Things the member should know that are not steps."""
    f, out = s.facts, []
    if f.joined_on is not None and s.as_of < f.joined_on:
        out.append(Notice("not_yet_member", (("joined_on", f.joined_on.isoformat()),)))
    if s.ended:
        out.append(Notice("membership_ended"))
    elif s.leaving_later and s.left_on is not None:
        out.append(Notice("leaving_soon", (("left_on", s.left_on.isoformat()),)))
    holder_without_reissue = f.myna is Myna.YES and not s.pack.kakuninsho_reissue_for_myna_holders
    if f.kakuninsho is Holding.LOST and holder_without_reissue and not s.leaving:
        out.append(Notice("kakuninsho_not_reissued"))
    if f.oshirase is Holding.LOST and not s.pack.oshirase_reissued and not s.ended:
        out.append(Notice("oshirase_not_reissued"))
    if f.myna is Myna.YES and s.grace_end is not None and s.as_of > s.grace_end:
        out.append(Notice("cert_lapsed", (("grace_end", s.grace_end.isoformat()),)))
    before_end = s.as_of <= s.pack.old_card_valid_until
    if s.member and before_end and f.myna is not Myna.YES and f.kakuninsho is Holding.NONE:
        # faq-old-card-until: members without a マイナ保険証 are sent one, unasked.
        out.append(
            Notice("kakuninsho_coming", (("from", s.pack.old_card_valid_until.isoformat()),))
        )
    if s.member and not present and f.oshirase is Holding.HELD:
        out.append(Notice("oshirase_alone"))
    return tuple(out)


def _merge(steps: list[Action]) -> tuple[Action, ...]:
    """Order steps by kind and fold repeats of one step into one citing every source."""
    merged: dict[tuple[ActionKind, Item, date | None], Action] = {}
    for step in steps:
        key = (step.action, step.item, step.from_)
        if key in merged:
            first = merged[key]
            sources = first.sources + tuple(x for x in step.sources if x not in first.sources)
            merged[key] = first._replace(sources=sources)
        else:
            merged[key] = step
    return tuple(sorted(merged.values(), key=lambda a: (_ORDER[a.action], a.from_ or date.min)))


def evaluate(facts: Facts, as_of: date, rules: RulePack) -> Verdict:
    """The verdict for a member with ``facts`` on ``as_of`` under the pack ``rules``."""
    s = situation(facts, as_of, rules)
    present = reception_options(s)
    steps = [
        *myna_steps(s),
        *kakuninsho_steps(s),
        *oshirase_steps(s),
        *old_card_steps(s),
        *membership_steps(s),
    ]
    steps += access_steps(s, present, steps)
    return Verdict(
        as_of=as_of,
        facts=facts,
        rules_id=rules.id,
        rules_version=rules.version,
        can_see_doctor=bool(present),
        present=present,
        actions=_merge(steps),
        warnings=notices(s, present),
    )
