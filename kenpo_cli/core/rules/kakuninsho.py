"""The 資格確認書: carry, keep, return, dispose or replace it (faq-kakuninsho-*)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import assert_never

from kenpo_cli.core.model import (
    Action,
    ActionKind,
    Audience,
    Holding,
    Item,
    Myna,
    Reader,
    Reason,
    YesNo,
)
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import (
    Situation,
    When,
    act,
    after_lapse,
    before_closed,
    later,
)

A = ActionKind


class Duty(Enum):
    """Whether a leaver owes the 資格確認書 back (or a loss report in its place)."""

    RETURN = "return"
    NONE = "none"  # it had expired by the day they left: nothing to give back
    IF_VALID = "if_valid"  # it depends on a leaving day kenpo was not told


def return_duty(s: Situation) -> Duty:
    """The duty as it stood on the leaving day, whatever the day kenpo is asked.

    "有効期限が切れている場合は返却不要" is about the card on the day the member left
    (faq-kakuninsho-leaving), so it is judged against the 資格喪失日, not ``as_of``.
    """
    pack = s.pack
    if not pack.kakuninsho_return_on_leaving:
        return Duty.NONE
    if pack.kakuninsho_return_if_expired:
        return Duty.RETURN
    expiry = s.kakuninsho_expiry
    if s.renewal_presumed:
        # Its date not given, and no マイナ保険証: whatever the day, the card held then was
        # in date (the renewed one came before the first expired): it goes back.
        return Duty.RETURN
    if s.left_on is not None:
        return Duty.RETURN if s.left_on <= expiry else Duty.NONE
    if s.ended:  # left on some day up to today, not said which
        return Duty.RETURN if s.as_of <= expiry else Duty.IF_VALID
    # Leaving on a day not yet known: owed then if it is still valid then (the reason says so).
    return Duty.RETURN if s.as_of <= expiry else Duty.NONE


def return_by(s: Situation) -> date | None:
    """The day a document owed back is due: the employer files the 資格喪失届, with it
    attached, within the pack's days of the 資格喪失日, moved past closed days
    (national-loss-notification). None while the leaving day is not known."""
    if s.left_on is None:
        return None
    from kenpo_cli.core.open_days import within

    return within(s.left_on, s.pack.loss_notification_days)


def due(s: Situation, step: Action) -> Action:
    """A return or loss report with its deadline, and the national rule that sets it."""
    by = return_by(s)
    if by is None:
        return step
    source = s.pack.source_of("loss_notification_days")
    sources = step.sources if source in step.sources else (*step.sources, source)
    return step._replace(by=by, sources=sources)


def kakuninsho_steps(s: Situation) -> list[Action]:
    """The steps for the member's 資格確認書, held or lost."""
    if not s.kakuninsho_ours:
        return _other_insurers(s)
    match s.facts.kakuninsho:
        case Holding.HELD:
            return _held(s)
        case Holding.LOST:
            return _lost(s)
        case Holding.NONE:
            if s.may_hold_kakuninsho and s.kakuninsho_ours:
                return [*_none_during_measure(s), _if_it_came(s, maybe=True)]
            return _none_during_measure(s)
        case Holding.UNKNOWN:
            return _unsaid(s)
        case Holding.FOUND:  # the rules see the reissued one as held (rules/found.py)
            return _held(s)
        case other:
            assert_never(other)


def _other_insurers(s: Situation) -> list[Action]:
    """A membership that ended by the day the first 資格確認書 were issued had none: one
    held now is another insurer's, most likely the insurance joined after. Nothing goes
    back here (nor, if lost, a loss report); its insurer's name is printed on it."""
    if s.facts.kakuninsho is not Holding.HELD:  # (a found one is held: rules/found.py)
        return []
    # (the day insurance cards stopped and 資格確認書 began: the amendment's, not the FAQ's
    # entry on the マイナ保険証, which names the day for another purpose)
    source = Src.NATIONAL_NO_NEW_CARDS
    start, left = s.pack.transition_start, s.left_on
    assert left is not None  # (a membership not known to have ended is presumed ours)
    return [
        act(
            A.CHECK,
            Item.KAKUNINSHO,
            "check_kakuninsho_other_insurer",
            source,
            start=start,
            left=left,
        )
    ]


_REGISTERED = (Myna.YES, Myna.LOST, Myna.FOUND)


def _none_during_measure(s: Situation) -> list[Action]:
    """No 資格確認書 and no working マイナ保険証 while the temporary measure lets a clinic
    take the old card or the お知らせ: the 資格確認書 was sent; ask if it never came."""
    from kenpo_cli.core.rules.reception import in_measure

    if not in_measure(s) or s.myna_usable or s.facts.myna in _REGISTERED:
        # (a card lost or found was registered: the bulk issue passed them by, and a lost
        # one's holder applies for a 資格確認書: myna.py)
        return []
    key = "contact_kakuninsho_during_measure"
    joined = s.facts.joined_on
    if joined is not None and joined > s.limits.bulk_sent:
        # Joined after the cards went out: theirs is sent on joining, not "around November
        # 2025". In the first days it is in the post (membership.access_steps waits).
        if s.new_joiner:
            return []
        if s.audience is Audience.MEMBER:
            key = "contact_kakuninsho_joiner_during_measure"
    until = s.pack.transition_measure_until
    source = s.pack.source_of("transition_measure_until")
    return [act(A.CONTACT, Item.KENPO, key, Src.KAKUNINSHO_WITHOUT_MYNA, source, until=until)]


def _unsaid(s: Situation) -> list[Action]:
    """No マイナ保険証 and the 資格確認書 not mentioned: one was sent unasked, so the first
    thing is to look for it (and ask if it never came); a leaver owes it back if it came."""
    steps = []
    if s.member:
        sources = [Src.KAKUNINSHO_WITHOUT_MYNA, s.pack.source_of("kakuninsho_expiry")]
        come_by = s.joiner_documents_by
        if s.new_joiner and come_by is not None:
            sources.append(s.pack.source_of("joiner_documents_days"))
            steps.append(
                act(A.CHECK, Item.KAKUNINSHO, "check_kakuninsho_joiner", *sources, come_by=come_by)
            )
        elif after_lapse(s):
            assert s.grace_end is not None  # (after_lapse: a certificate's grace is over)
            lapsed = (Src.NATIONAL_KAKUNINSHO_AFTER_LAPSE, s.pack.source_of("cert_grace_months"))
            key = "check_kakuninsho_after_lapse"
            steps.append(act(A.CHECK, Item.KAKUNINSHO, key, *lapsed, grace_end=s.grace_end))
        else:
            key = "check_kakuninsho_came"
            if s.as_of > s.kakuninsho_expiry and s.renewal_presumed:
                key = "check_kakuninsho_came_renewed"
            steps.append(act(A.CHECK, Item.KAKUNINSHO, key, *sources, expiry=s.kakuninsho_expiry))
    if s.leaving:
        steps.append(_if_it_came(s))
    return steps


def _short_spell(s: Situation) -> bool:
    """Whether a leaver left within the days a joiner's 資格確認書 takes to come (joined
    11/25, left 12/4): one may never have reached them, so the step is "if one came"."""
    joined, come_by = s.facts.joined_on, s.joiner_documents_by
    return (
        joined is not None
        and come_by is not None
        and s.left_on is not None
        and (s.left_on - timedelta(days=1) <= come_by)
    )


def _if_it_came(s: Situation, maybe: bool = False) -> Action:
    """A leaver's step for a 資格確認書 that may be at hand: whether it came is not known;
    if it did, it goes back; if it came and is lost, the loss report instead
    (faq-kakuninsho-lost-on-leaving). ``maybe``: one may never have been sent
    (situation.may_hold): the employer's report for an unreachable leaver is only for a
    card that was."""
    step = _leaving_step(s)
    if maybe and step.action is A.SUBMIT:
        return step._replace(reasons=(*step.reasons, Reason("loss_report_if_issued")))
    if step.action is A.RETURN:
        cited = step.sources
        if Src.KAKUNINSHO_LOST_ON_LEAVING not in cited:
            cited = (*cited, Src.KAKUNINSHO_LOST_ON_LEAVING)
        holder = s.facts.myna in (Myna.YES, Myna.FOUND)  # (a card found again: registered)
        if holder and not after_lapse(s):  # registered after one came,
            # it stayed theirs; most holders were sent none: the "if" comes first
            came = "kakuninsho_if_received_before_myna"
            reasons = (Reason(came), *step.reasons, Reason("kakuninsho_if_lost"))
        elif maybe:  # left as the first ones were being sent (November 2025)
            came = "kakuninsho_if_sent_before_leaving"
            reasons = (Reason(came), *step.reasons, Reason("kakuninsho_if_lost"))
        elif _short_spell(s):  # left before a joiner's card was due to come
            came = "kakuninsho_if_came_before_leaving"
            reasons = (Reason(came), *step.reasons, Reason("kakuninsho_if_lost"))
        else:
            came = (
                "kakuninsho_if_received"
                if s.facts.myna is Myna.NO
                else "kakuninsho_if_received_unsure"
            )
            reasons = (*step.reasons, Reason(came), Reason("kakuninsho_if_lost"))
        return step._replace(reasons=reasons, sources=cited)
    if step.action is not A.SUBMIT:
        return step._replace(reasons=(*step.reasons, Reason("kakuninsho_if_received")))
    return step


def _leaving_step(s: Situation) -> Action:
    exp = s.kakuninsho_expiry
    duty = return_duty(s)
    if duty is Duty.NONE:
        at = later(s)
        if s.leaving_later and s.as_of <= exp:  # thrown away once expired, not on leaving
            at = When(from_=exp + timedelta(days=1))
        step = act(
            A.DISPOSE,
            Item.KAKUNINSHO,
            "dispose_kakuninsho_left" if s.ended else "dispose_kakuninsho_leaving",
            s.pack.source_of("kakuninsho_return_if_expired"),
            at=at,
            expiry=exp,
        )
        return step
    if s.facts.unreachable is YesNo.YES:
        report = act(
            A.SUBMIT,
            Item.KAKUNINSHO_LOSS_REPORT,
            "loss_report_unreachable",
            Src.KAKUNINSHO_LOST_ON_LEAVING,
            at=later(s),
        )
        return due(s, report)
    sources: list[str] = [s.pack.source_of("kakuninsho_return_on_leaving")]
    if s.facts.myna is Myna.YES:
        sources.append(Src.KAKUNINSHO_AFTER_MYNA)
    renewed = s.renewal_presumed and (s.left_on or s.as_of) > exp
    if renewed:
        sources.append(s.pack.source_of("kakuninsho_expiry"))
    if duty is Duty.IF_VALID:
        reason = "return_kakuninsho_if_valid_when_left"
    elif s.ended:
        reason = "return_kakuninsho_renewed_left" if renewed else "return_kakuninsho_left"
    elif s.left_on is not None:  # leaving on a known day, and still valid then: no "if"
        last = s.left_on - timedelta(days=1)
        dated = "return_kakuninsho_renewed_dated" if renewed else "return_kakuninsho_dated"
        step = act(A.RETURN, Item.KAKUNINSHO, dated, *sources, at=later(s), last=last)
        # (a 退職日 the workplace is closed: by the working day before, if it is closed)
        return due(s, before_closed(s, step, last, "hand_in_before_closed_day"))
    elif renewed or s.renewal_presumed:
        reason = "return_kakuninsho_renewed"
    else:
        reason = "return_kakuninsho"
    step = act(A.RETURN, Item.KAKUNINSHO, reason, *sources, at=later(s), expiry=exp)
    return due(s, step)


def _not_renewed(s: Situation) -> list[Action]:
    """An expired 資格確認書 and nothing else to see a doctor with: a new one should have come."""
    if s.myna_usable or not s.member:
        return []
    return [
        act(
            A.CONTACT,
            Item.KENPO,
            "contact_kakuninsho_not_renewed",
            s.pack.source_of("kakuninsho_expiry"),
            expiry=s.kakuninsho_expiry,
        )
    ]


def _renewed_back(s: Situation) -> list[Action]:
    """The renewed 資格確認書 of a leaver whose card in hand (its date given) expired before
    the 資格喪失日: a member without a マイナ保険証 was sent a new one, unasked, before it
    expired (faq-kakuninsho-expiry), and that one (or the one renewed after it: each is
    sent before the last expires) was in date on leaving: it goes back
    (faq-kakuninsho-leaving), or, if it never came, the 健保 is told."""
    own = s.facts.kakuninsho_expiry
    if (
        own is None  # (not given: the card in hand is presumed the renewed one already)
        or s.facts.myna is Myna.YES
        or s.left_on is None
        or s.left_on <= own - timedelta(days=s.pack.kakuninsho_renewal_notice_days)
        or not s.pack.kakuninsho_return_on_leaving
    ):
        return []
    # Left after it expired: the new one came (or should have). Left in the weeks before,
    # as the new ones were being sent: it may have come, and goes back too if it did.
    came = s.left_on > own
    if s.facts.unreachable is YesNo.YES:  # it cannot be collected: the employer reports it
        report = act(
            A.SUBMIT,
            Item.KAKUNINSHO_LOSS_REPORT,
            "loss_report_unreachable",
            Src.KAKUNINSHO_LOST_ON_LEAVING,
            s.pack.source_of("kakuninsho_expiry"),
            at=later(s),
        )
        return [due(s, report)]
    step = act(
        A.RETURN,
        Item.KAKUNINSHO,
        "return_kakuninsho_renewed_after_expiry" if came else "return_kakuninsho_renewed_if_came",
        s.pack.source_of("kakuninsho_return_on_leaving"),
        s.pack.source_of("kakuninsho_expiry"),
        at=later(s),
        expiry=own,
    )
    return [due(s, step)]


def _held(s: Situation) -> list[Action]:
    exp = s.kakuninsho_expiry
    if s.ended:
        return [_leaving_step(s), *_renewed_back(s)]
    if s.as_of > exp and s.renewal_presumed and s.member:
        # Past the first card's expiry, its own date not given: the one in hand is
        # presumably the renewed card. Read the date on it rather than throw it away.
        check = act(
            A.CHECK,
            Item.KAKUNINSHO,
            "check_kakuninsho_renewed",
            s.pack.source_of("kakuninsho_expiry"),
            Src.KAKUNINSHO_WITHOUT_MYNA,
            expiry=exp,
        )
        return [check, _leaving_step(s)] if s.leaving_later else [check]
    if s.as_of > exp:
        dispose = act(
            A.DISPOSE,
            Item.KAKUNINSHO,
            "dispose_kakuninsho_expired",
            s.pack.source_of("kakuninsho_expiry"),
            expiry=exp,
        )
        return [dispose, *_not_renewed(s), *_renewed_back(s)]
    if s.joining or not s.member:
        # Before joining, or in the first days after: this society's card is still on its
        # way (if one is sent at all), so the card in hand is most likely the previous
        # insurer's, which no longer works and goes back to that insurer.
        key = "check_kakuninsho_joiner_whose" if s.member else "check_kakuninsho_joiner_previous"
        joined, come_by = s.facts.joined_on, s.joiner_documents_by
        assert joined is not None and come_by is not None  # (s.joining: a day joined)
        cited = (Src.NATIONAL_ACQUISITION, Src.KAKUNINSHO_LEAVING)
        check = act(A.CHECK, Item.KAKUNINSHO, key, *cited, joined=joined, come_by=come_by)
        return [check, _leaving_step(s)] if s.leaving_later else [check]
    if s.myna_usable and s.member and s.facts.reader is Reader.NONE:
        # The member's clinic cannot read the card: the 資格確認書 gets them seen there.
        now = act(
            A.CARRY,
            Item.KAKUNINSHO,
            "carry_kakuninsho_no_reader",
            Src.KAKUNINSHO_WHAT,
            Src.MYNA_NO_READER,
            expiry=exp,
        )
    elif s.myna_usable:
        now = act(
            A.KEEP,
            Item.KAKUNINSHO,
            "keep_kakuninsho_with_myna",
            Src.KAKUNINSHO_AFTER_MYNA,
            Src.MYNA_REGISTERED,
            expiry=exp,
        )
    else:
        now = act(
            A.CARRY,
            Item.KAKUNINSHO,
            "carry_kakuninsho",
            Src.KAKUNINSHO_WITHOUT_MYNA,
            Src.KAKUNINSHO_WHAT,
            s.pack.source_of("kakuninsho_expiry"),
            expiry=exp,
        )
    carried = now.reasons[0].key == "carry_kakuninsho"
    dated_return = s.leaving_later and s.left_on is not None and s.left_on <= exp
    if dated_return and now.reasons[0].key == "keep_kakuninsho_with_myna":
        # Leaving on a known day: not "no need to give it back now", but kept until then.
        now = now._replace(reasons=(Reason("keep_kakuninsho_until_return", ()),))
    elif (
        s.leaving_later
        and s.left_on is not None
        and s.left_on > exp
        and now.reasons[0].key == "keep_kakuninsho_with_myna"
    ):
        # It expires before the leaving day: nothing goes back (the step to throw it away).
        until = Reason("keep_kakuninsho_until_expiry", (("expiry", exp.isoformat()),))
        now = now._replace(reasons=(until,))
    if carried and dated_return and s.left_on is not None:
        # Leaving while it is still in date: it works up to the day before the 資格喪失日,
        # not up to its printed expiry.
        last = s.left_on - timedelta(days=1)
        until = Reason("carry_kakuninsho_leaving", (("last", last.isoformat()),))
        now = now._replace(reasons=(until, *now.reasons[1:]))
    return [now, _leaving_step(s), *_renewed_back(s)] if s.leaving_later else [now]


def _lost(s: Situation) -> list[Action]:
    duty = return_duty(s)
    if s.ended:
        if duty is Duty.NONE:  # (the lost one had expired; a renewed one may be in hand)
            return _renewed_back(s)
        report = "loss_report_if_valid_when_left" if duty is Duty.IF_VALID else "loss_report_lost"
        lost = Src.KAKUNINSHO_LOST_ON_LEAVING
        exp = s.kakuninsho_expiry
        reported = due(s, act(A.SUBMIT, Item.KAKUNINSHO_LOSS_REPORT, report, lost, expiry=exp))
        return [reported, *_renewed_back(s)]
    if s.as_of > s.kakuninsho_expiry:  # the lost one had run out anyway
        return _not_renewed(s)
    steps = _reissue(s)
    # Still a member: the 資格確認書 is reissued (S14). Leaving is a later day's business:
    # whatever cannot be given back then is reported then.
    if s.leaving_later and duty is Duty.RETURN:
        # (A マイナ保険証 holder is not reissued one: nothing new to give back.)
        key = "loss_report_at_leaving" if steps else "loss_report_at_leaving_no_reissue"
        later_report = act(
            A.SUBMIT, Item.KAKUNINSHO_LOSS_REPORT, key, Src.KAKUNINSHO_LOST_ON_LEAVING, at=later(s)
        )
        steps.append(due(s, later_report))
    return steps


def _reissue(s: Situation) -> list[Action]:
    sources: list[str] = [Src.KAKUNINSHO_LOST]
    if s.facts.myna is Myna.YES and s.myna_usable:
        # (A card past its grace period does not work: the reissue is for them too.)
        if not s.pack.kakuninsho_reissue_for_myna_holders:
            return []
        sources.append(s.pack.source_of("kakuninsho_reissue_for_myna_holders"))
    # Where to find the 健保's name: on the お知らせ, unless the member has none to read.
    no_oshirase = s.facts.oshirase in (Holding.NONE, Holding.LOST)
    key = "submit_reissue_no_oshirase" if no_oshirase else "submit_reissue"
    if s.facts.myna is Myna.UNKNOWN and not s.pack.kakuninsho_reissue_for_myna_holders:
        key = "submit_reissue_if_not_registered"  # none for a registered card's holder
    return [act(A.SUBMIT, Item.KAKUNINSHO_REISSUE, key, *sources)]
