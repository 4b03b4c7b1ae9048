"""The vocabulary of kenpo as immutable types: facts in, verdict out (CONTRACT.md, Vocabulary).

The records are NamedTuples rather than frozen dataclasses: equally immutable and
typed, and several milliseconds cheaper to create at start-up, which every one-shot
call pays (benchmarks/oneshot.py).
"""

from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    ENROLLED = "enrolled"
    LEFT = "left"
    LEAVING = "leaving"  # still a member; will leave on a day not yet known


class Myna(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
    LOST = "lost"
    FOUND = "found"  # lost, suspended, then found: works again once the suspension is lifted


class Holding(StrEnum):
    """Whether the member has a paper document (the 資格確認書 or the お知らせ)."""

    NONE = "none"
    HELD = "held"
    LOST = "lost"
    # Not said (or not known): for the 資格確認書 of a member without a マイナ保険証 this is
    # not "none", as one was sent unasked (CONTRACT.md: "not given" is not "none").
    UNKNOWN = "unknown"
    # Lost, reissued, then found: the new one is held, and the old one found goes back.
    FOUND = "found"


class OldCard(StrEnum):
    NONE = "none"
    HELD = "held"
    # Not said: "none", except for a leaver who owed it back on leaving (the step then
    # says "if you still have it": situation.read_unsaid).
    UNKNOWN = "unknown"


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class Reader(StrEnum):
    OK = "ok"
    NONE = "none"


class ActionKind(StrEnum):
    """What a step asks of the member."""

    CARRY = "carry"
    KEEP = "keep"
    RETURN = "return"
    DISPOSE = "dispose"
    SUBMIT = "submit"
    RENEW = "renew"
    CHECK = "check"
    CONTACT = "contact"


class Item(StrEnum):
    OLD_CARD = "old_card"
    MYNA = "myna"
    MYNA_CERT = "myna_cert"
    KAKUNINSHO = "kakuninsho"
    OSHIRASE = "oshirase"
    PORTAL_SCREEN = "portal_screen"
    MYNAPORTAL = "mynaportal"
    KENPO = "kenpo"
    KAKUNINSHO_REISSUE = "kakuninsho_reissue"
    KAKUNINSHO_LOSS_REPORT = "kakuninsho_loss_report"
    NAME_CHANGE = "name_change"
    KAKUNINSHO_APPLICATION = "kakuninsho_application"
    MYNA_CARD = "myna_card"
    OLD_CARD_LOSS_REPORT = "old_card_loss_report"  # 被保険者証回収不能届
    NINI_KEIZOKU = "nini_keizoku"  # 任意継続: staying on after leaving, applied for
    KOKUHO = "kokuho"  # 国民健康保険, at the municipal office
    FOUND_KAKUNINSHO = "found_kakuninsho"  # the old 資格確認書, found after its reissue
    DEPENDANTS_KAKUNINSHO = "dependants_kakuninsho"  # those of the member's 被扶養者


# The documents whose validity has dates (kenpo expiry, and reception in the rules).
DATED_DOCUMENTS = (Item.OLD_CARD, Item.KAKUNINSHO, Item.OSHIRASE, Item.MYNA)

# What can be done with a document one holds; each held document gets exactly one of
# these for today (tests/unit/test_properties.py).
DISPOSITIONS = (ActionKind.CARRY, ActionKind.KEEP, ActionKind.RETURN, ActionKind.DISPOSE)


class Coverage(StrEnum):
    """Whether the member can get insured care on the verdict's day (``can_see_doctor``)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # it hangs on a fact the member does not know


class WhyNot(StrEnum):
    """Why a member is not covered (or not known to be) on the verdict's day."""

    ENDED = "ended"  # membership is over
    NOT_JOINED = "not_joined"  # membership has not begun
    NO_DOCUMENT = "no_document"  # a member, but nothing held works at reception
    NO_READER = "no_reader"  # the card works, but not at a clinic that cannot read it
    UNKNOWN = "unknown"  # it hangs on a fact the member does not know


class Audience(StrEnum):
    """Who reads the verdict: the member, or their employer (about an unreachable leaver)."""

    MEMBER = "member"
    EMPLOYER = "employer"


class KeyDateKind(StrEnum):
    """What a key date of a verdict is (for the timeline and calendars)."""

    DEADLINE = "deadline"  # a step's ``by``
    START = "start"  # a step's ``from``
    EXPIRY = "expiry"  # a document stops being valid after this day
    GRACE_END = "grace_end"  # the last day a マイナ保険証 works after its certificate expired
    MEMBERSHIP_START = "membership_start"
    MEMBERSHIP_END = "membership_end"  # the 資格喪失日: the first day without membership
    READY = "ready"  # a new membership should have reached the マイナ保険証 by about then


class Facts(NamedTuple):
    """What the member tells kenpo; ``None`` dates are unknown (CONTRACT.md, Facts).

    Build it with :func:`kenpo_cli.core.facts.make_facts`, which derives ``left_on``
    from ``retired_on`` and the status from ``left_on``, and refuses contradictions.
    """

    status: Status = Status.ENROLLED
    left_on: date | None = None
    joined_on: date | None = None
    myna: Myna = Myna.NO
    cert_expiry: date | None = None
    kakuninsho: Holding = Holding.UNKNOWN
    kakuninsho_expiry: date | None = None
    oshirase: Holding = Holding.HELD
    old_card: OldCard = OldCard.UNKNOWN
    portal: YesNo = YesNo.NO
    reader: Reader = Reader.OK
    name_changed: YesNo = YesNo.NO
    unreachable: YesNo = YesNo.NO
    retired_on: date | None = None
    dependants: int | None = None  # 被扶養者 (a count); None: not known, not "none"

    def as_dict(self) -> dict[str, str | int | None]:
        """The facts as codes and ISO dates, in contract order (for JSON and answers files)."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in zip(self._fields, self, strict=True)
        }


FACT_NAMES: tuple[str, ...] = Facts._fields


class Reason(NamedTuple):
    """Why a step is there: a message key and the values it fills in."""

    key: str
    params: tuple[tuple[str, str], ...] = ()


class Action(NamedTuple):
    """One step: ``action`` ``item``, why (one reason or more) and on what sources."""

    action: ActionKind
    item: Item
    reasons: tuple[Reason, ...]
    sources: tuple[str, ...]
    by: date | None = None
    from_: date | None = None
    on: str | None = None  # an event of unknown date the step waits for ("leaving")

    @property
    def day(self) -> date | None:
        """The step's date: its deadline, else the day it applies from."""
        return self.by or self.from_

    @property
    def now(self) -> bool:
        """Whether the step applies already (not from a later day or event)."""
        return self.from_ is None and self.on is None


class Urgency(StrEnum):
    """How soon a step is due on a day: what every output marks as overdue, due now or for
    later (the JSON's ``overdue``, the screen's red deadline, batch's ``--only``, its
    summary, workbook and office calendar)."""

    OVERDUE = "overdue"  # its deadline (``by``) is behind the day
    NOW = "now"  # it applies on the day, and its deadline (if any) has not passed
    LATER = "later"  # it starts on a later day, or waits for an event (leaving)


def urgency(step: Action, as_of: date) -> Urgency:
    """Whether ``step`` is overdue, due now or for later, on ``as_of``. A return that
    starts on the 資格喪失日 is due now on the 退職日, the day before: the last day the
    card can be handed over at work."""
    if step.by is not None and step.by < as_of:
        return Urgency.OVERDUE
    start = step.from_
    if start is not None and step.action is ActionKind.RETURN:
        start -= timedelta(days=1)
    if step.on is not None or (start is not None and start > as_of):
        return Urgency.LATER
    return Urgency.NOW


class Notice(NamedTuple):
    """A warning for the member: a message key with parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()


class KeyDate(NamedTuple):
    """A day that matters to the verdict: what happens (an event key) and of which kind."""

    day: date
    kind: KeyDateKind
    event: str
    item: Item | None = None


# Warnings another part of the verdict already says, so that a reader is not told twice
# (the JSON lists every warning, for programs; a person reads :attr:`Verdict.news`):
# the reason there is no coverage (``why_not``, which the headline says) ...
_SAID_BY_WHY_NOT = {WhyNot.ENDED: "membership_ended", WhyNot.NOT_JOINED: "not_yet_member"}
# ... and a step whose reason says the warning word for word.
_SAID_BY_STEP = {"oshirase_alone": (ActionKind.KEEP, Item.OSHIRASE)}


class Verdict(NamedTuple):
    """What kenpo concludes for one member on one day; language-neutral."""

    as_of: date
    facts: Facts
    rules_id: str
    rules_version: str
    coverage: Coverage
    present: tuple[tuple[Item, ...], ...]
    actions: tuple[Action, ...]
    warnings: tuple[Notice, ...] = ()
    key_dates: tuple[KeyDate, ...] = ()
    why_not: WhyNot | None = None
    unknown_because: tuple[str, ...] = ()
    audience: Audience = Audience.MEMBER
    assumed: tuple[str, ...] = ()  # facts no one gave, taken at their default

    @property
    def can_see_doctor(self) -> bool | None:
        """The contract's ``can_see_doctor``: ``None`` when it is not known."""
        if self.coverage is Coverage.UNKNOWN:
            return None
        return self.coverage is Coverage.YES

    # Decisions every output makes alike, made here once (renderers only word them).

    def overdue(self, step: Action) -> bool:
        """Whether ``step``'s deadline has passed on the verdict's day."""
        return urgency(step, self.as_of) is Urgency.OVERDUE

    @property
    def most_urgent(self) -> Action | None:
        """The nearest deadline: the first step with a ``by`` (the steps are in the order
        a person acts, overdue ones first). One for a document that may not exist ("if you
        have one") is passed over once its day has gone by, for one with a deadline still
        owed ("1284 days overdue: give back" a card maybe never issued); still to come, it
        is nearest (a 健保 clerk found "next: 国保 by 12/14" above "give back, today")."""
        dated = [a for a in self.actions if a.by is not None]
        sure = next((a for a in dated if not conditional(a)), None)
        maybe = next((a for a in dated if conditional(a) and not self.overdue(a)), None)
        if maybe is not None and (sure is None or (maybe.by or date.max) <= (sure.by or date.max)):
            return maybe  # (a step still owed after its day is in the list before it)
        return sure or (dated[0] if dated else None)

    @property
    def reception(self) -> tuple[tuple[tuple[Item, ...], tuple[Item, ...]], ...]:
        """``present`` as choices: each minimal set, with what to add to it if the card
        cannot be read (the items of the sets that only add to it), in ``present``'s order.
        Every set of ``present`` is a choice or a choice with one of its fallbacks."""
        present = self.present
        out = []
        for base in present:
            if any(set(m) < set(base) for m in present):
                continue  # it only adds to a smaller set: a fallback of that one
            extras: list[Item] = []
            for option in present:
                if set(base) < set(option):
                    extras += [i for i in option if i not in base and i not in extras]
            out.append((base, tuple(extras)))
        return tuple(out)

    @property
    def news(self) -> tuple[Notice, ...]:
        """The warnings to tell a person below the headline and the steps: those that
        neither the answer to "can I see a doctor?" (``why_not``) nor a step already says."""
        said = _SAID_BY_WHY_NOT.get(self.why_not) if self.why_not else None
        steps = {(a.action, a.item) for a in self.actions}
        return tuple(
            w for w in self.warnings if w.code != said and _SAID_BY_STEP.get(w.code) not in steps
        )

    @property
    def timeline(self) -> tuple[KeyDate, ...]:
        """The key dates a timeline shows: every one from the verdict's day on, and the
        last one behind it (what has just happened), in order."""
        behind = [k for k in self.key_dates if k.day < self.as_of]
        ahead = [k for k in self.key_dates if k.day >= self.as_of]
        return tuple(behind[-1:] + ahead)

    def cards_to_collect(self) -> int:
        """The 資格確認書 the employer collects for this verdict, counted as cards, not
        people (the batch summary; its other counts and their urgency: batch_judge.py)."""
        return cards_to_collect(self.actions, self.facts.dependants)


# Reasons that make a step conditional on a document that may not exist ("if you have
# one", "only if one was issued"): the title says so (render/view.py), and the batch
# lists the step on its task sheets but leaves it out of the summary's counts.
CONDITIONS = frozenset(
    {
        "kakuninsho_if_received_before_myna",
        "kakuninsho_if_sent_before_leaving",
        "kakuninsho_if_came_before_leaving",
        "loss_report_if_issued",
        "old_card_if_still_held",
        "old_card_report_if_not_collected",
    }
)


def conditional(a: Action) -> bool:
    """Whether step ``a`` is for a document that may not exist (see CONDITIONS)."""
    return any(r.key in CONDITIONS for r in a.reasons)


def cards_to_collect(steps: tuple[Action, ...], dependants: int | None) -> int:
    """The 資格確認書 an employer collects for one member's verdict: cards, not people
    (the member's, each dependant's, and an old one found after its reissue)."""
    pairs = {(a.action, a.item) for a in steps}
    returned = [a for a in steps if (a.action, a.item) == (ActionKind.RETURN, Item.KAKUNINSHO)]
    said = {r.key for a in returned for r in a.reasons}
    # One that may never have come (a マイナ保険証 holder's, not said; a leaver's of
    # November 2025): not counted as a card to collect.
    own = bool(returned) and not said & CONDITIONS
    # The dependants' cards go with the member's return, or in a step of their own; those
    # of a leaver from before 2025-12-02 were old 保険証 (counted with the other documents).
    apart = (ActionKind.RETURN, Item.DEPENDANTS_KAKUNINSHO) in pairs
    # (under a step for a card that may never have come, theirs are as uncertain: left out
    # of the count as the step is, so the summary's total and its breakdown agree)
    theirs = apart or (own and bool(said & _DEPENDANTS_CARDS))
    found = (ActionKind.RETURN, Item.FOUND_KAKUNINSHO) in pairs
    return int(own) + (dependants or 0) * int(theirs) + int(found)


_DEPENDANTS_CARDS = frozenset({"dependants_kakuninsho", "dependants_kakuninsho_one"})
