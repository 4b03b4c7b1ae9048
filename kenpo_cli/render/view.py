"""What a person reads of a verdict, in their language, before any layout.

The plain, rich and Markdown renderers all draw this one view, so they never
disagree on content: only on colour, boxes and checkboxes. Nothing here decides:
the verdict says what applies and when; this only puts it into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from kenpo_cli.core.model import (
    CONDITIONS,
    Action,
    ActionKind,
    Audience,
    Item,
    KeyDate,
    KeyDateKind,
    Verdict,
    WhyNot,
)
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.i18n import Glosser, Messages


@dataclass(frozen=True)
class StepView:
    title: str  # "資格確認書を返却する"
    reason: str
    when: str  # deadline or start day with days left, "when you leave", or ""
    sources: tuple[str, ...]  # full citations
    source_ids: tuple[str, ...]
    overdue: bool = False
    contact: str = ""  # how to reach the society, for a step that says to contact it


@dataclass(frozen=True)
class Event:
    day: date
    label: str
    is_today: bool = False
    shown: str = ""  # the day as the language writes it (2026-11-26, 2026年11月26日)
    of_step: bool = False  # a step's own day (its deadline or start), said by the step too
    due: bool = False  # a deadline: on today's day it is still ahead ("due today")


@dataclass(frozen=True)
class Option:
    """One thing to show at reception, and what to add when the card cannot be read."""

    shown: str
    fallback: str = ""


@dataclass(frozen=True)
class Reception:
    """What to show at reception: one of ``options``."""

    title: str
    options: list[Option]


@dataclass
class VerdictView:
    headline: str
    urgent: str  # the most urgent deadline, or ""
    can_see_doctor: bool | None
    reception: Reception | None
    steps: list[StepView]
    warnings: list[str]
    timeline: list[Event]
    rules: str
    footnote: str = ""  # the rules and where the sources are, in one line, for a terminal
    recap: list[str] = field(default_factory=list)  # the first step, and how many there are
    labels: dict[str, str] = field(default_factory=dict)
    phrases: bool = False  # the language spaces its phrases: lines break only there


# The headline for each answer to "can I see a doctor today?" (the warning it already
# says is left out below it by the verdict: Verdict.news).
_HEADLINES: dict[WhyNot | None, str] = {
    None: "can_see_doctor",
    WhyNot.ENDED: "cannot_see_doctor_left",
    WhyNot.NOT_JOINED: "cannot_see_doctor_not_joined",
    WhyNot.NO_DOCUMENT: "cannot_see_doctor",
    WhyNot.UNKNOWN: "unknown_see_doctor",
    WhyNot.NO_READER: "cannot_see_doctor_no_reader",
}
# The words for a step that waits for an event of unknown date.
_ON = {"leaving": "on_leaving"}
_LABELS = (
    "steps",
    "none",
    "sources",
    "warnings",
    "timeline",
    "label_sep",
    "when_sep",
    "sources_hint",
    "recap",
)


def _days(days: int, msgs: Messages, ahead: str, one: str, zero: str) -> str:
    if days == 0:
        return msgs.ui(zero)
    return msgs.ui(one) if days == 1 else msgs.ui(ahead, days=str(days))


# A member's return with the leaving day known: the step's ``by`` is the employer's
# deadline (CONTRACT: the 資格喪失届's), but the member hands the card in by the 退職日.
_HANDED_IN_BY = frozenset({"return_kakuninsho_dated", "return_kakuninsho_renewed_dated"})


def _when(a: Action, today: date, msgs: Messages, audience: Audience = Audience.MEMBER) -> str:
    if a.on is not None:
        return msgs.ui(_ON[a.on])
    last = _handed_in_by(a) if audience is Audience.MEMBER else None
    if a.by is not None and last is not None and today <= last:
        left = _days((last - today).days, msgs, "days_left", "one_day_left", "due_today")
        said = {"last": msgs.date(last), "by": msgs.day(a.by), "left": left}
        visit = _workday_before(last)
        if visit is not None and today <= visit:  # a 退職日 on a Sunday: the Friday before
            return msgs.ui("when_hand_in_closed", visit=msgs.day(visit), **said)
        return msgs.ui("when_hand_in", **said)
    if a.by is not None:
        days = (a.by - today).days
        if days < 0:
            left = _days(-days, msgs, "overdue", "overdue_one", "due_today")
        else:
            left = _days(days, msgs, "days_left", "one_day_left", "due_today")
        when = msgs.ui("when", when=msgs.ui("by", date=msgs.date(a.by)), left=left)
        visit = _last_visit(a, today)
        if visit is None:
            return when
        if visit < today:  # no open day left before it: the next one, after
            return msgs.ui("when_office_reopens", when=when, visit=msgs.day(_reopens(today)))
        return msgs.ui("when_office_closed", when=when, visit=msgs.day(visit))
    if a.from_ is not None:
        start = _days((a.from_ - today).days, msgs, "in_days", "tomorrow", "starts_today")
        return msgs.ui("when_from", date=msgs.date(a.from_), left=start)
    return ""


def _last_visit(a: Action, today: date) -> date | None:
    """For a renewal at the municipal office due on a day it is closed (a Sunday, 12/31):
    the last day before it that it is open (None for any other step, or an open day)."""
    if (a.action, a.item) != (ActionKind.RENEW, Item.MYNA_CERT) or a.by is None or a.by < today:
        return None
    from kenpo_cli.core.open_days import closed, open_on_or_before

    if not closed(a.by):
        return None
    return open_on_or_before(a.by)


def _workday_before(day: date) -> date | None:
    """The last working day before ``day`` when it is a Sunday, a holiday or in the New
    Year closure (a 退職日 on 12/31: the card is handed in by the last day at work), else
    None."""
    from kenpo_cli.core.open_days import closed, open_on_or_before

    return open_on_or_before(day) if closed(day) else None


def _reopens(today: date) -> date:
    from kenpo_cli.core.open_days import open_on_or_after

    return open_on_or_after(today)


def _handed_in_by(a: Action) -> date | None:
    """The 退職日 by which a member hands a card to the employer, when the step says it."""
    reason = next((r for r in a.reasons if r.key in _HANDED_IN_BY), None)  # (after an "if")
    if reason is None:
        return None
    last = dict(reason.params).get("last")
    return date.fromisoformat(last) if last else None


def step_title(a: Action, msgs: Messages) -> str:
    """``資格確認書を返却する`` style: the action said of the item, in the language's grammar.

    The catalogue's [step] may word a step by its reason (when the title must carry a
    condition: the first reason, or one of model.CONDITIONS), by action and item, or by
    action alone, the first it has.
    """
    # (a condition, wherever it stands among the reasons: the title says it too, and so
    # the headline: "1284 days overdue: hand in …" for a card maybe never issued)
    conditions = [r.key for r in a.reasons[1:] if r.key in CONDITIONS]
    for key in (a.reasons[0].key, *conditions, f"{a.action.value}_{a.item.value}", a.action.value):
        if msgs.has("step", key):
            return msgs("step", key, item=msgs.item(a.item.value))
    raise KeyError(a.action.value)


def source_label(source_id: str, pack: RulePack, msgs: Messages) -> str:
    """``FAQ・資格確認書に関するQ&A「…」[id]`` style reference to one source."""
    src = pack.sources[source_id]
    return msgs.ui(
        "source_label",
        kind=msgs.ui(f"source_kind_{src.kind}"),
        section=msgs.text(src.section),
        question=msgs.text(src.question),
        id=source_id,
    )


def reception(v: Verdict, msgs: Messages) -> Reception | None:
    """The reception list as minimal sets: a set that only adds to another one is what to
    add "when the card cannot be read", said under it, not a choice of its own."""
    if not v.present:
        return None
    choices = v.reception  # the decision is the verdict's (core/model.py); this words it

    def shown(option: tuple[Item, ...]) -> str:
        return msgs.ui("plus").join(msgs.item(i.value) for i in option)

    options = []
    for base, extras in choices:
        either = msgs.ui("or").join(msgs.item(i.value) for i in extras)
        fallback = msgs.ui("present_fallback", extras=either) if extras else ""
        options.append(Option(shown(base), fallback))
    title = msgs.ui("present_one" if len(choices) == 1 else "present_any")
    return Reception(title, options)


def _event_label(k: KeyDate, v: Verdict, msgs: Messages) -> str:
    if k.kind is KeyDateKind.DEADLINE or k.kind is KeyDateKind.START:
        deadline = k.kind is KeyDateKind.DEADLINE
        step = next(
            a
            for a in v.actions
            if _event(a) == k.event and (a.by if deadline else a.from_) == k.day
        )
        key = "event_deadline" if deadline else "event_start"
        return msgs.ui(key, step=step_title(step, msgs))
    return msgs("event", k.event)


def _void_after_leaving(k: KeyDate, v: Verdict) -> bool:
    """A 資格確認書's expiry on or after the 資格喪失日: the card stops working that day
    and goes back, so its printed expiry is no day of the member's (it read as "still
    valid until then")."""
    left = v.facts.left_on
    return k.event == "kakuninsho_expiry" and left is not None and k.day >= left


def _hand_in(k: KeyDate, v: Verdict, msgs: Messages) -> Event | None:
    """A member's return due by the 退職日 is in the timeline on that day, as its step says
    (the employer's later deadline, the step's ``by``, was read as the member's own)."""
    if k.kind is not KeyDateKind.DEADLINE or v.audience is Audience.EMPLOYER:
        return None
    step = next((a for a in v.actions if _event(a) == k.event and a.by == k.day), None)
    last = _handed_in_by(step) if step is not None else None
    if step is None or last is None:
        return None
    label = msgs.ui("event_hand_in", step=step_title(step, msgs))
    return Event(last, label, of_step=True, due=True)


def _event(a: Action) -> str:
    return f"{a.action.value}:{a.item.value}"


def timeline(v: Verdict, msgs: Messages) -> list[Event]:
    """What is ahead, and the last thing behind, around today (the verdict's choice:
    Verdict.timeline), with today among them."""
    from kenpo_cli.core.dates import to_wareki

    steps = (KeyDateKind.DEADLINE, KeyDateKind.START)
    events = [
        _hand_in(k, v, msgs)
        or Event(
            k.day,
            _event_label(k, v, msgs),
            of_step=k.kind in steps,
            due=k.kind is KeyDateKind.DEADLINE,
        )
        for k in v.timeline
        if not _void_after_leaving(k, v)
    ]
    events.append(Event(v.as_of, msgs("event", "today"), is_today=True))
    events = [
        replace(
            e,
            label=msgs.ui("timeline_label", label=e.label, wareki=to_wareki(e.day)),
            shown=msgs.day(e.day),
        )
        for e in events
    ]
    # Today sorts after a same-day event, which has already happened ("from that day"),
    # but before a deadline that day: that is still to be met, today.
    return sorted(events, key=lambda e: (e.day, 2 if e.due else e.is_today))


_SAID_IN_WHEN = frozenset({"hand_in_before_closed_day", "renew_before_closed_day"})


def _step(a: Action, v: Verdict, pack: RulePack, msgs: Messages) -> StepView:
    return StepView(
        title=step_title(a, msgs),
        # (the working day before a closed 退職日: said in the step's "when" line here)
        reason=msgs.reasons(tuple(r for r in a.reasons if r.key not in _SAID_IN_WHEN), v.audience),
        when=_when(a, v.as_of, msgs, v.audience),
        sources=tuple(source_label(s, pack, msgs) for s in a.sources),
        source_ids=a.sources,
        overdue=v.overdue(a),
        contact=contact_line(pack, msgs) if _asks_the_society(a) else "",
    )


def _asks_the_society(a: Action) -> bool:
    return a.action is ActionKind.CONTACT and a.item is Item.KENPO


def contact_line(pack: RulePack, msgs: Messages) -> str:
    """``連絡先: ○○健康保険組合 電話 03-… （平日 9:00〜17:00） https://…``, from the pack's
    [contact]; without one, where a member finds it."""
    c = pack.contact
    if c is None:
        return msgs.ui("contact_unknown")
    parts = [msgs.text(c.name)] if c.name else []
    if c.phone:
        hours = msgs.ui("contact_hours", hours=msgs.text(c.hours)) if c.hours else ""
        parts.append(msgs.ui("contact_phone", phone=c.phone) + hours)
    if c.web:
        parts.append(c.web)
    return msgs.ui("contact", contact=" ".join(parts))


def _urgent(v: Verdict, msgs: Messages) -> str:
    """The nearest deadline (overdue ones first, as the verdict orders them); before it,
    a call that stops a lost My Number card (it has no day: it is now)."""
    if v.actions and v.actions[0].reasons[0].key == "contact_myna_card_lost":
        return msgs.ui("urgent_call", step=step_title(v.actions[0], msgs))
    first = v.most_urgent
    if first is None:
        return ""
    key = "urgent_overdue" if v.overdue(first) else "urgent"
    return msgs.ui(key, step=step_title(first, msgs), when=_when(first, v.as_of, msgs, v.audience))


def _recap(v: Verdict, msgs: Messages) -> list[str]:
    """The first step (and its day: unless the nearest deadline, which the urgent line
    says), and how many steps there are, for the end of a screen."""
    if not v.actions:
        return []
    first, out = v.actions[0], []
    # (The lost card's call is the urgent line already: not said twice.)
    if first.by is None and first.reasons[0].key != "contact_myna_card_lost":
        when = _when(first, v.as_of, msgs, v.audience)
        step = f"{step_title(first, msgs)} — {when}" if when else step_title(first, msgs)
        out.append(msgs.ui("recap_first", step=step))
    if len(v.actions) > 1:
        out.append(msgs.ui("recap_more", n=str(len(v.actions))))
    return out


def _headline(v: Verdict, msgs: Messages) -> str:
    key = _HEADLINES[v.why_not]
    section = "ui_employer" if v.audience is Audience.EMPLOYER else "ui"
    return msgs(section if msgs.has(section, key) else "ui", key, date=v.as_of.isoformat())


def build(v: Verdict, pack: RulePack, msgs: Messages) -> VerdictView:
    """The view of ``v`` in ``msgs``' language, hard words read out the first time."""
    return glossed(_build(v, pack, msgs), msgs.glosser())


def glossed(view: VerdictView, gloss: Glosser) -> VerdictView:
    """``view`` with each hard word's reading after its first appearance, in the order
    every renderer draws it. Citations are left in the FAQ's own words (and are shown
    only on request, so a reading there could be the one the reader never sees)."""
    g = gloss
    headline, urgent = g(view.headline), g(view.urgent)
    reception = view.reception and Reception(
        g(view.reception.title), [Option(g(o.shown), g(o.fallback)) for o in view.reception.options]
    )
    steps = [
        replace(s, title=g(s.title), when=g(s.when), reason=g(s.reason), contact=g(s.contact))
        for s in view.steps
    ]
    warnings = [g(w) for w in view.warnings]
    timeline = [replace(e, label=g(e.label)) for e in view.timeline]
    return replace(
        view,
        headline=headline,
        urgent=urgent,
        reception=reception,
        steps=steps,
        warnings=warnings,
        timeline=timeline,
    )


def _build(v: Verdict, pack: RulePack, msgs: Messages) -> VerdictView:
    return VerdictView(
        headline=_headline(v, msgs),
        urgent=_urgent(v, msgs),
        can_see_doctor=v.can_see_doctor,
        reception=reception(v, msgs),
        steps=[_step(a, v, pack, msgs) for a in v.actions],
        warnings=[msgs.voiced("warning", w.code, v.audience, w.params) for w in v.news],
        timeline=timeline(v, msgs),
        rules=f"{msgs.ui('rules')}: {msgs.text(pack.name)} ({v.rules_id} {v.rules_version})",
        footnote=msgs.ui("sources_footnote", rules=msgs.text(pack.name)),
        recap=_recap(v, msgs),
        labels={k: msgs.ui(k) for k in _LABELS},
        phrases=msgs.phrases,
    )
