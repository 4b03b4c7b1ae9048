"""What a person reads of a verdict, in their language, before any layout.

The plain, rich and Markdown renderers all draw this one view, so they never
disagree on content: only on colour, boxes and checkboxes. Nothing here decides:
the verdict says what applies and when; this only puts it into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kenpo_cli.core.model import Action, ActionKind, KeyDateKind, Verdict, WhyNot
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.i18n import Messages


@dataclass(frozen=True)
class StepView:
    item: str
    reason: str
    when: str  # deadline or start day with days left, or ""
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    day: date
    label: str
    is_today: bool = False


@dataclass
class VerdictView:
    headline: str
    can_see_doctor: bool | None
    present: list[str]
    groups: list[tuple[str, list[StepView]]]
    warnings: list[str]
    timeline: list[Event]
    rules: str
    labels: dict[str, str] = field(default_factory=dict)


# The headline for each answer to "can I see a doctor today?", and the warning it
# already says (not repeated below it).
_HEADLINES: dict[WhyNot | None, tuple[str, str | None]] = {
    None: ("can_see_doctor", None),
    WhyNot.ENDED: ("cannot_see_doctor_left", "membership_ended"),
    WhyNot.NOT_JOINED: ("cannot_see_doctor_not_joined", "not_yet_member"),
    WhyNot.NO_DOCUMENT: ("cannot_see_doctor", None),
    WhyNot.UNKNOWN: ("unknown_see_doctor", None),
}
# The key dates a timeline shows (a step's own dates are shown with the step).
_TIMELINE_KINDS = frozenset(KeyDateKind) - {KeyDateKind.DEADLINE, KeyDateKind.START}
# The words for a step that waits for an event of unknown date.
_ON = {"leaving": "on_leaving"}
_LABELS = ("present", "steps", "none", "sources", "warnings", "timeline", "label_sep")


def _when(a: Action, today: date, msgs: Messages) -> str:
    if a.on is not None:
        return msgs.ui(_ON[a.on])
    if a.by is not None:
        days = (a.by - today).days
        left = (
            msgs.ui("days_left", days=str(days))
            if days >= 0
            else msgs.ui("overdue", days=str(-days))
        )
        return msgs.ui("when", when=msgs.ui("by", date=msgs.date(a.by)), left=left)
    if a.from_ is not None:
        left = msgs.ui("days_left", days=str((a.from_ - today).days))
        return msgs.ui("when", when=msgs.ui("from", date=msgs.date(a.from_)), left=left)
    return ""


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


def timeline(v: Verdict, msgs: Messages) -> list[Event]:
    """The member's key days, today included."""
    events = [
        Event(k.day, msgs("event", k.event)) for k in v.key_dates if k.kind in _TIMELINE_KINDS
    ]
    events.append(Event(v.as_of, msgs("event", "today"), is_today=True))
    events = [Event(e.day, _dated(e.label, e.day, msgs), e.is_today) for e in events]
    # Today sorts after a same-day event: "on that day" has already happened.
    return sorted(events, key=lambda e: (e.day, e.is_today))


def _dated(label: str, day: date, msgs: Messages) -> str:
    from kenpo_cli.core.dates import to_wareki

    return msgs.ui("timeline_label", label=label, wareki=to_wareki(day))


def _step(a: Action, v: Verdict, pack: RulePack, msgs: Messages) -> StepView:
    return StepView(
        item=msgs.item(a.item.value),
        reason=msgs.reasons(a.reasons),
        when=_when(a, v.as_of, msgs),
        sources=tuple(source_label(s, pack, msgs) for s in a.sources),
    )


def build(v: Verdict, pack: RulePack, msgs: Messages) -> VerdictView:
    """The view of ``v`` in ``msgs``' language."""
    headline_key, said = _HEADLINES[v.why_not]
    present = [" + ".join(msgs.item(i.value) for i in option) for option in v.present]
    groups: list[tuple[str, list[StepView]]] = []
    for kind in ActionKind:
        steps = [_step(a, v, pack, msgs) for a in v.actions if a.action is kind]
        if steps:
            groups.append((msgs("action", kind.value), steps))
    return VerdictView(
        headline=msgs.ui(headline_key, date=v.as_of.isoformat()),
        can_see_doctor=v.can_see_doctor,
        present=present,
        groups=groups,
        warnings=[msgs("warning", w.code, w.params) for w in v.warnings if w.code != said],
        timeline=timeline(v, msgs),
        rules=f"{msgs.ui('rules')}: {msgs.text(pack.name)} ({v.rules_id} {v.rules_version})",
        labels={k: msgs.ui(k) for k in _LABELS},
    )
