"""The situation the rules branch on, and how a rule says one step."""

from datetime import date, timedelta

from kenpo_cli.core.model import (
    Action,
    ActionKind,
    Audience,
    Facts,
    Holding,
    Item,
    Myna,
    OldCard,
    Reason,
    Status,
    YesNo,
)
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules.thresholds import BULK_ISSUE_LEAD, Limits, limits
from kenpo_cli.core.validity import DocumentDates, is_valid, renewal_presumed, valid_until


class Situation:
    """The facts seen on one day under one pack: what the rules actually branch on.

    A plain class rather than a NamedTuple: it is made once per verdict, and a
    NamedTuple's class costs its creation on every one-shot run (benchmarks/oneshot.py).
    """

    __slots__ = (
        "as_of",
        "audience",
        "dates",
        "ended",
        "facts",
        "grace_end",
        "in_grace",
        "joining",
        "kakuninsho_expiry",
        "kakuninsho_kept",
        "kakuninsho_ours",
        "leaving",
        "leaving_later",
        "left_on",
        "limits",
        "live_cert",
        "may_hold_kakuninsho",
        "member",
        "myna_usable",
        "new_joiner",
        "old_card_ours",
        "pack",
        "updating",
    )  # fmt: skip

    def __init__(
        self,
        *,
        facts: Facts,
        as_of: date,
        pack: RulePack,
        limits: Limits,
        dates: DocumentDates,
        ended: bool,
        leaving_later: bool,
        member: bool,
        kakuninsho_expiry: date,
        grace_end: date | None,
        myna_usable: bool,
        live_cert: bool,
        updating: bool,
        audience: Audience,
        may_hold_kakuninsho: bool = False,
        kakuninsho_kept: bool = False,
    ) -> None:
        self.facts = facts
        self.as_of = as_of
        self.pack = pack
        self.limits = limits  # the days the member's dates are compared with (thresholds.py)
        self.dates = dates
        self.ended = ended  # membership is over on as_of
        self.leaving_later = leaving_later  # leaving is ahead (on left_on, or a day not known)
        self.member = member  # a member of this society on as_of
        self.kakuninsho_expiry = kakuninsho_expiry
        self.grace_end = grace_end  # the card's last day, its certificate's grace included
        self.myna_usable = myna_usable  # the マイナ保険証 works at a reader today
        self.live_cert = live_cert  # the certificate has not expired: マイナポータル works
        self.updating = updating  # a new member's card may not show the membership yet
        self.audience = audience
        # A leaver's 資格確認書 not said, read as none, that may be at hand all the same
        # (see may_hold): the step says "if you have one".
        self.may_hold_kakuninsho = may_hold_kakuninsho
        # A lost My Number card's holder whose 資格確認書 was not said may have kept one
        # sent before registering (faq-kakuninsho-after-myna): still in date.
        self.kakuninsho_kept = kakuninsho_kept
        # Read by many rules, so worked out once (a batch judges thousands of verdicts).
        self.left_on = facts.left_on
        self.leaving = ended or leaving_later
        # The certificate has expired but the card still works (faq-myna-cert-expired).
        self.in_grace = myna_usable and not live_cert
        # No 保険証 was issued from the transition's start: one held by someone who joined
        # on or after it is the previous insurer's (national-no-new-cards).
        joined = facts.joined_on
        self.old_card_ours = joined is None or joined < pack.transition_start
        # 資格確認書 were issued from the same day: a membership that had ended by then had
        # none, and one held is another insurer's (the insurance joined after).
        self.kakuninsho_ours = self.left_on is None or self.left_on > pack.transition_start
        # In the first days after joining, the documents of this society are on their way
        # (national-acquisition-notification): what is in hand is the previous insurer's.
        self.new_joiner = (
            joined is not None
            and joined >= pack.transition_start
            and joined <= as_of < joined + timedelta(days=pack.joiner_documents_days)
        )
        # ... or about to join: a 資格確認書 in hand is not yet known to be this society's
        self.joining = (
            joined is not None
            and joined >= pack.transition_start
            and as_of < joined + timedelta(days=pack.joiner_documents_days)
        )

    @property
    def renewal_presumed(self) -> bool:
        """Whether the 資格確認書 in hand after the pack's expiry is presumably the renewed
        one (:func:`kenpo_cli.core.validity.renewal_presumed`): also for a マイナ保険証
        that had stopped by then, its certificate lapsed (no working card: sent one)."""
        f = self.facts
        if renewal_presumed(f.kakuninsho_expiry, f.myna):
            return True
        return (
            f.kakuninsho_expiry is None
            and f.myna is Myna.YES
            and f.cert_expiry is not None
            and f.cert_expiry <= self.limits.lapsed_before_renewal
        )

    @property
    def joiner_documents_by(self) -> date | None:
        """About when a new member's 資格確認書 or お知らせ has come, at the latest."""
        joined = self.facts.joined_on
        if joined is None:
            return None
        return joined + timedelta(days=self.pack.joiner_documents_days - 1)

    @property
    def ready_on(self) -> date | None:
        """About when a new membership reaches the マイナ保険証, at the earliest."""
        return ready_on(self.facts, self.pack)

    def valid(self, item: Item) -> bool:
        """Whether ``item`` is valid today for this member (kenpo expiry's answer)."""
        return is_valid(item, self.as_of, self.dates, self.pack)

    def valid_until(self, item: Item) -> date | None:
        """The last day ``item`` is valid for this member (kenpo expiry's answer)."""
        return valid_until(item, self.dates, self.pack)


def ready_on(facts: Facts, pack: RulePack) -> date | None:
    """About when a new membership reaches the マイナ保険証, at the earliest: the update
    takes some days from when the 健保 enters the employer's filing (faq-myna-update),
    which is after the 資格取得日, so kenpo can only say "around, or later"."""
    joined = facts.joined_on
    return None if joined is None else joined + timedelta(days=pack.myna_update_days)


def read_unsaid(facts: Facts, as_of: date, pack: RulePack) -> Facts:
    """The facts with "not said" read for this member: a 資格確認書 not stated is unknown
    only for someone who was sent one unasked (no マイナ保険証, after the transition or
    joined since it began; faq-old-card-until, faq-myna-without), or may have been (a
    leaver whose registration is not known either); for anyone else it is "none". An
    お知らせ said to be unknown is taken as not at hand."""
    if facts.oshirase is Holding.UNKNOWN:
        facts = facts._replace(oshirase=Holding.NONE)
    if facts.old_card is OldCard.UNKNOWN and not _owed_old_card(facts, pack):
        facts = facts._replace(old_card=OldCard.NONE)
    if facts.kakuninsho is not Holding.UNKNOWN:
        return facts
    if facts.kakuninsho_expiry is not None:  # its printed date was given: it is at hand
        return facts._replace(kakuninsho=Holding.HELD)
    day = as_of if facts.left_on is None else min(as_of, facts.left_on - timedelta(days=1))
    joined = facts.joined_on
    if joined is not None and day < joined:  # sent on joining: not yet
        return facts._replace(kakuninsho=Holding.NONE)
    # A leaver who does not know whether their card was registered may have been sent one
    # too: what is owed back on leaving is not to be silently dropped (the step says "if
    # it came"). A member still in office checks the registration first (rules/myna.py).
    leaving = facts.status is not Status.ENROLLED or facts.left_on is not None
    unsure = facts.myna is Myna.UNKNOWN and leaving
    sent = (facts.myna is Myna.NO or unsure or _lapsed(facts, day, pack)) and (
        day > pack.old_card_valid_until or (joined is not None and joined >= pack.transition_start)
    )
    return facts if sent else facts._replace(kakuninsho=Holding.NONE)


def _owed_old_card(facts: Facts, pack: RulePack) -> bool:
    """Whether a leaver whose old card was not said owed it back in the card's last year:
    a member before cards stopped being issued, whose 資格喪失日 fell from then to the
    card's last day (old_card.py's returned_on_leaving). Not said, it is not "none" for
    them: it may not have been collected as the cards were being replaced (the step says
    "if you still have it"). Before 2024-12-02 the cards were collected as they always
    had been: a list of long-gone leavers gets no step each for a card handed in then."""
    joined = facts.joined_on
    if facts.left_on is None or (joined is not None and joined >= pack.transition_start):
        return False
    return pack.transition_start <= facts.left_on <= pack.old_card_valid_until


def _lapsed(facts: Facts, day: date, pack: RulePack) -> bool:
    """Whether a マイナ保険証 had stopped working by ``day``, its certificate's grace period
    over: a 資格確認書 is then sent unasked (national-kakuninsho-after-lapse)."""
    if facts.myna is not Myna.YES or facts.cert_expiry is None:
        return False
    ends = valid_until(Item.MYNA, DocumentDates(facts.cert_expiry), pack)
    return ends is not None and day > ends


def may_hold(given: Facts, read: Facts, as_of: date, pack: RulePack) -> bool:
    """Whether a leaver whose 資格確認書 was not said, and is read as none, may hold one
    all the same: the cards went out "around November 2025", before the old card's last
    day, so one whose last day fell in that month may have been sent one; and one
    registered as a マイナ保険証 may have registered after it came (the card stays theirs
    until they leave: faq-kakuninsho-after-myna). Not said, it is not "none" for them:
    the step says "if you have one"."""
    if given.kakuninsho is not Holding.UNKNOWN or read.kakuninsho is not Holding.NONE:
        return False
    if (read.status is Status.ENROLLED and read.left_on is None) or read.myna is Myna.LOST:
        return False
    joined = read.joined_on
    day = as_of if read.left_on is None else min(as_of, read.left_on - timedelta(days=1))
    if joined is not None and day < joined:
        return False
    return day >= pack.old_card_valid_until - BULK_ISSUE_LEAD  # (a last day of 11-01: in)


def after_lapse(s: Situation) -> bool:
    """A マイナ保険証 holder whose 資格確認書 is not said, their card stopped by its
    certificate's lapse: one is sent unasked (situation.read_unsaid keeps it unknown)."""
    return s.facts.myna is Myna.YES and s.facts.kakuninsho is Holding.UNKNOWN


def situation(facts: Facts, as_of: date, pack: RulePack) -> Situation:
    """Derive the situation the rules branch on."""
    given, facts = facts, read_unsaid(facts, as_of, pack)
    left = facts.status is Status.LEFT
    ended = left and (facts.left_on is None or as_of >= facts.left_on)
    leaving_later = (facts.left_on is not None and as_of < facts.left_on) or (
        facts.status is Status.LEAVING
    )
    joined_later = facts.joined_on is not None and as_of < facts.joined_on
    lim = limits(as_of, pack)
    expiry = facts.kakuninsho_expiry or lim.kakuninsho_default
    dates = DocumentDates(facts.cert_expiry, expiry, facts.left_on)
    # The card's own life (its certificate and grace period), membership aside.
    card_end = valid_until(Item.MYNA, DocumentDates(facts.cert_expiry), pack)
    has_card = facts.myna is Myna.YES
    return Situation(
        facts=facts,
        as_of=as_of,
        pack=pack,
        limits=lim,
        dates=dates,
        ended=ended,
        leaving_later=leaving_later,
        member=not ended and not joined_later,
        kakuninsho_expiry=expiry,
        grace_end=card_end,
        myna_usable=has_card and (card_end is None or as_of <= card_end),
        live_cert=has_card and (facts.cert_expiry is None or as_of <= facts.cert_expiry),
        updating=has_card
        and facts.joined_on is not None
        and lim.settled < facts.joined_on <= as_of,
        # Only an employer says a leaver cannot be reached: they read the verdict.
        audience=Audience.EMPLOYER
        if facts.unreachable is YesNo.YES and (ended or leaving_later)
        else Audience.MEMBER,
        may_hold_kakuninsho=may_hold(given, facts, as_of, pack),
        # (said in the step applying for one: a society that issues none on a lost card
        # has no such step, and its verdict does not hang on it)
        kakuninsho_kept=given.kakuninsho is Holding.UNKNOWN
        and facts.myna is Myna.LOST
        and pack.kakuninsho_on_myna_loss
        and pack.old_card_valid_until - BULK_ISSUE_LEAD <= as_of <= expiry
        and (facts.joined_on is None or facts.joined_on <= pack.old_card_valid_until),
    )


class When:
    """When a step applies, if not today: from a day, or on an event of unknown date."""

    __slots__ = ("from_", "on")

    def __init__(self, from_: date | None = None, on: str | None = None) -> None:
        self.from_, self.on = from_, on


NOW = When()


def act(
    kind: ActionKind,
    item: Item,
    reason: str,
    *sources: str,
    by: date | None = None,
    at: When = NOW,
    **params: date | str | int,
) -> Action:
    """One step; dates in ``params`` become ISO strings for the message catalogue."""
    shown = (
        tuple((k, v.isoformat() if isinstance(v, date) else str(v)) for k, v in params.items())
        if params
        else ()
    )
    return Action(kind, item, (Reason(reason, shown),), sources, by, at.from_, at.on)


def before_closed(s: Situation, step: Action, day: date, key: str) -> Action:
    """``step`` due on ``day``, with the reason ``key`` naming the last open day before
    it when ``day`` is a Sunday, a holiday or in the New Year closure (while that day is
    still ahead): a batch's sheet and mail merge say it as the screen's "when" line does."""
    from kenpo_cli.core.open_days import closed, open_on_or_before

    if not closed(day):
        return step
    visit = open_on_or_before(day)
    if s.as_of > visit:
        return step
    return step._replace(reasons=(*step.reasons, Reason(key, (("visit", visit.isoformat()),))))


def later(s: Situation) -> When:
    """When a leaving step applies: from the 資格喪失日 while it is ahead, "on leaving" when
    that day is not known yet, today once the member has left."""
    if not s.leaving_later:
        return NOW
    return When(from_=s.left_on) if s.left_on is not None else When(on="leaving")
