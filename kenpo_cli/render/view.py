"""What a person reads of a verdict, in their language, before any layout.

The plain, rich and Markdown renderers all draw this one view, so they never
disagree on content: only on colour, boxes and checkboxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kenpo_cli.core.dates import to_wareki
from kenpo_cli.core.model import Action, ActionKind, Holding, Myna, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.validity import grace_end
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
    can_see_doctor: bool
    present: list[str]
    groups: list[tuple[str, list[StepView]]]
    warnings: list[str]
    timeline: list[Event]
    rules: str
    labels: dict[str, str] = field(default_factory=dict)


def shown_date(day: date, msgs: Messages) -> str:
    """A date for people: ISO, and in Japanese the 和暦 beside it (``…（令和9年1月31日）``)."""
    if msgs.lang == "ja":
        return f"{day.isoformat()}（{to_wareki(day)}）"
    return day.isoformat()


def _when(a: Action, today: date, msgs: Messages) -> str:
    if a.by is not None:
        days = (a.by - today).days
        left = (
            msgs.ui("days_left", days=str(days))
            if days >= 0
            else msgs.ui("overdue", days=str(-days))
        )
        return msgs.ui("when", when=msgs.ui("by", date=shown_date(a.by, msgs)), left=left)
    if a.from_ is not None:
        left = msgs.ui("days_left", days=str((a.from_ - today).days))
        return msgs.ui("when", when=msgs.ui("from", date=shown_date(a.from_, msgs)), left=left)
    return ""


def source_label(source_id: str, pack: RulePack, msgs: Messages) -> str:
    """``FAQ 資格確認書に関するQ&A「…」`` style reference to one source."""
    src = pack.sources[source_id]
    kind = msgs.ui(f"source_kind_{src.kind}")
    if msgs.lang == "en":
        return f"{kind}: {src.section_en} — “{src.question_en}” [{source_id}]"
    return f"{kind}・{src.section}「{src.question}」[{source_id}]"


def timeline(v: Verdict, pack: RulePack, msgs: Messages) -> list[Event]:
    """The person's key days from the transition to their next expiry, today included."""
    f = v.facts
    events = [Event(pack.old_card_valid_until, msgs.ui("transition_end"))]
    if f.kakuninsho is Holding.HELD:
        expiry = f.kakuninsho_expiry or pack.kakuninsho_expiry
        events.append(Event(expiry, msgs.ui("kakuninsho_expiry")))
    if f.myna is Myna.YES and f.cert_expiry is not None:
        events.append(Event(f.cert_expiry, msgs.ui("cert_expiry_event")))
        events.append(Event(grace_end(f.cert_expiry, pack), msgs.ui("grace_end_event")))
    if f.joined_on is not None:
        events.append(Event(f.joined_on, msgs.ui("joined_on_event")))
    if f.left_on is not None:
        events.append(Event(f.left_on, msgs.ui("left_on_event")))
    events.append(Event(v.as_of, msgs.ui("today"), is_today=True))
    if msgs.lang == "ja":
        events = [Event(e.day, f"{e.label}（{to_wareki(e.day)}）", e.is_today) for e in events]
    # Today sorts after a same-day event: "on that day" has already happened.
    return sorted(events, key=lambda e: (e.day, e.is_today))


def _headline(v: Verdict) -> str:
    """Which headline: covered today, or why not (membership over, not yet begun, no document)."""
    if v.can_see_doctor:
        return "can_see_doctor"
    codes = {w.code for w in v.warnings}
    if "membership_ended" in codes:
        return "cannot_see_doctor_left"
    if "not_yet_member" in codes:
        return "cannot_see_doctor_not_joined"
    return "cannot_see_doctor"


def build(v: Verdict, pack: RulePack, msgs: Messages) -> VerdictView:
    """The view of ``v`` in ``msgs``' language."""
    day = v.as_of.isoformat()
    headline_key = _headline(v)
    headline = msgs.ui(headline_key, date=day)
    # The headline already says why the member is not covered: do not say it twice.
    said = {
        "cannot_see_doctor_left": "membership_ended",
        "cannot_see_doctor_not_joined": "not_yet_member",
    }.get(headline_key)
    present = [" + ".join(msgs.item(i.value) for i in option) for option in v.present]
    groups: list[tuple[str, list[StepView]]] = []
    for kind in ActionKind:
        steps = [
            StepView(
                item=msgs.item(a.item.value),
                reason=msgs("reason", a.reason, a.params),
                when=_when(a, v.as_of, msgs),
                sources=tuple(source_label(s, pack, msgs) for s in a.sources),
            )
            for a in v.actions
            if a.action is kind
        ]
        if steps:
            groups.append((msgs("action", kind.value), steps))
    name = pack.name_en if msgs.lang == "en" else pack.name
    return VerdictView(
        headline=headline,
        can_see_doctor=v.can_see_doctor,
        present=present,
        groups=groups,
        warnings=[msgs("warning", w.code, w.params) for w in v.warnings if w.code != said],
        timeline=timeline(v, pack, msgs),
        rules=f"{msgs.ui('rules')}: {name} ({v.rules_id} {v.rules_version})",
        labels={
            k: msgs.ui(k)
            for k in (
                "present",
                "steps",
                "none",
                "sources",
                "warnings",
                "timeline",
                "label_sep",
            )
        },
    )
