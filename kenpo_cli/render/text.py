"""Verdicts and date answers for people: plain text, Markdown, and rich for terminals.

Plain text is what screen readers, logs, pipes, ``--plain``, ``NO_COLOR`` and
``TERM=dumb`` get: the same content as the rich screen, with no colour or boxes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from kenpo_cli.core.validity import DocumentStatus
from kenpo_cli.i18n import Messages
from kenpo_cli.render.view import Event, StepView, VerdictView

WIDTH = 80
# A run of ASCII keeps a counter after it (66日, 3件): they are never split.
_TOKEN = re.compile(r"[!-~]+[日年月件行]?|\s+|.", re.DOTALL)
# Text that spaces its phrases (やさしい日本語) breaks only between them.
_PHRASE = re.compile(r"\S+|\s+")
# (The long-vowel mark and small kana belong to the sound before: マイナンバ|ーカード.)
_NO_LINE_START = frozenset(
    "。、，．）」』】〕〉・：；！？,.)]:;!?”’ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々"
)
# A phrase too wide for a line breaks first before a reading 〈…〉 or after a ・.
_PART = re.compile(r"〈[^〉]*〉?[^〈・]*・?|[^〈・]+・?|・")
_NO_LINE_END = frozenset("「『（【〔“‘([")


def display_width(text: str, wide: bool = False) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide characters take two, and so
    do "ambiguous" ones (─ • — …) when the terminal draws them ``wide``."""
    doubled = "WFA" if wide else "WF"
    return sum(2 if unicodedata.east_asian_width(c) in doubled else 1 for c in text)


def _tokens(text: str, room: int, phrases: bool, wide: bool) -> list[str]:
    """What a line may break between: words and wide characters, or with ``phrases`` the
    spaced phrases (a phrase wider than a whole line still breaks inside)."""
    if not phrases:
        return _TOKEN.findall(text)
    out: list[str] = []
    for token in _PHRASE.findall(text):
        if display_width(token, wide) <= room:
            out.append(token)
            continue
        for part in _PART.findall(token):
            out += [part] if display_width(part, wide) <= room else _TOKEN.findall(part)
    return out


def fill(
    text: str,
    width: int,
    indent: str = "",
    first: str | None = None,
    wide: bool = False,
    phrases: bool = False,
) -> list[str]:
    """Fill ``text`` to ``width`` columns, breaking between words or wide characters
    (only at spaces with ``phrases``: text written with spaces between its phrases).

    Closing punctuation never starts a line (the character before it moves down too),
    and an opening bracket never ends one. ``wide``: ambiguous characters take two columns.
    """
    lines: list[str] = []
    lead = first if first is not None else indent
    line: list[str] = []
    used = display_width(lead, wide)
    room = width - max(display_width(lead, wide), display_width(indent, wide))
    for token in _tokens(text, room, phrases, wide):
        if token.isspace():
            if line:
                line.append(" ")
                used += 1
            continue
        w = display_width(token, wide)
        if used + w > width and line:
            carried: list[str] = []
            while (carried or [token])[0][0] in _NO_LINE_START and len(line) > 1:
                carried.insert(0, line.pop())
            while len(line) > 1 and line[-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append((lead + "".join(line)).rstrip())
            lead, line = indent, carried
            used = display_width(indent, wide) + sum(display_width(t, wide) for t in carried)
        line.append(token)
        used += w
    lines.append((lead + "".join(line)).rstrip())
    return lines


def _source_lines(
    step: StepView, lab: dict[str, str], full: bool, compact: bool = False
) -> list[tuple[str, str]]:
    """(lead, text) pairs: each citation in full, or the ids on one line (none on a
    terminal's compact screen, where one footnote says where they are)."""
    lead = f"{lab['sources']}{lab['label_sep']}"
    if full:
        return [(lead, src) for src in step.sources]
    return [] if compact else [(lead, ", ".join(step.source_ids))]


def _timeline(view: VerdictView, compact: bool) -> list[Event]:
    """The timeline's events; on a compact screen without the days its steps already
    say, and without today unless something behind it is shown (the headline says it)."""
    if not compact:
        return view.timeline
    events = [e for e in view.timeline if not e.of_step]
    today = _today(view)
    if not any(e.day < today for e in events):
        events = [e for e in events if not e.is_today]
    return events


def _closing(view: VerdictView, sources: bool, compact: bool) -> list[str]:
    """The last words: the rules used, and where the sources are."""
    if compact and not sources:
        return [view.footnote]
    hint = [view.labels["sources_hint"]] if view.steps and not sources else []
    return [*hint, view.rules]


def verdict_plain(
    view: VerdictView,
    width: int = WIDTH,
    sources: bool = False,
    wide: bool = False,
    compact: bool = False,
) -> str:
    """The verdict as plain text that reads well at ``width`` columns (``compact``: for a
    terminal's one screen, the citations behind --sources and a footnote)."""

    def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
        return fill(text, width, indent, first, wide, view.phrases)

    out = wrap(view.headline, width)
    if view.urgent:
        out += wrap(view.urgent, width)
    out.append("")
    lab = view.labels
    if view.reception:
        out.append(f"{view.reception.title}:")
        for option in view.reception.options:
            out += wrap(option.shown, width, indent="    ", first="  - ")
            if option.fallback:
                out += wrap(option.fallback, width, indent="    ")
        out.append("")
    out.append(f"{lab['steps']}:")
    if not view.steps:
        out.append(f"  {lab['none']}")
    for n, step in enumerate(view.steps, 1):
        number = f"  {n}. "
        pad = " " * display_width(number)
        out += wrap(step.title, width, indent=pad, first=number)
        if step.when:
            out += wrap(step.when, width, indent=pad + "  ", first=pad)
        out += wrap(step.reason, width, indent=pad)
        if step.contact:
            out += wrap(step.contact, width, indent=pad + "  ", first=pad)
        for lead, text in _source_lines(step, lab, sources, compact):
            out += wrap(text, width, indent=pad + "  ", first=pad + lead)
    if view.warnings:
        out += ["", f"{lab['warnings']}:"]
        for w in view.warnings:
            out += wrap(w, width, indent="    ", first="  ! ")
    if events := _timeline(view, compact):
        out += ["", f"{lab['timeline']}:"]
    for event in events:
        mark = ">>" if event.is_today else "  "
        lead = f"  {mark} {_day(event, view)}  "
        out += wrap(event.label, width, indent=" " * display_width(lead), first=lead)
    out.append("")
    for line in _closing(view, sources, compact):
        out += wrap(line, width)
    return "\n".join(out) + "\n"


def verdict_markdown(view: VerdictView, title: str) -> str:
    """The verdict as a printable Markdown checklist (``- [ ] …`` per step, in order)."""
    lab = view.labels
    out = [f"# {title}", "", f"**{view.headline}**", ""]
    if view.urgent:
        out += [view.urgent, ""]
    if view.reception:
        out += [f"## {view.reception.title}", ""]
        for option in view.reception.options:
            out.append(f"- {option.shown}")
            if option.fallback:
                out.append(f"  - {option.fallback}")
        out.append("")
    out += [f"## {lab['steps']}", ""]
    if not view.steps:
        out += [lab["none"], ""]
    for step in view.steps:
        when = f"{lab['when_sep']}{step.when}" if step.when else ""
        out.append(f"- [ ] **{step.title}**{when}: {step.reason}")
        if step.contact:
            out.append(f"  - {step.contact}")
        out += [f"  - {lab['sources']}{lab['label_sep']}{src}" for src in step.sources]
    if view.steps:
        out.append("")
    if view.warnings:
        out += [f"## {lab['warnings']}", ""]
        out += [f"- {w}" for w in view.warnings]
        out.append("")
    out += [f"## {lab['timeline']}", ""]
    for event in view.timeline:
        label = f"**{event.label}**" if event.is_today else event.label
        out.append(f"- {event.shown} {label}")
    out += ["", f"_{view.rules}_", ""]
    return "\n".join(out)


def verdict_rich(
    view: VerdictView,
    width: int = WIDTH,
    sources: bool = False,
    wide: bool = False,
    compact: bool = False,
) -> str:
    """The verdict for a colour terminal: a headline panel, numbered steps, a timeline.

    On a terminal that draws box lines and bullets two columns wide (``wide``), the
    headline is set off by plain rules instead of a box, and bullets are asterisks.
    """

    def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
        return fill(text, width, indent, first, wide, view.phrases)

    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=True,
        color_system="standard",
        highlight=False,
        emoji=False,
    )
    lab = view.labels
    colour = {True: "green", False: "red", None: "yellow"}[view.can_see_doctor]
    inner = width - (2 if wide else 4)  # the panel's border and padding
    head: list[Text] = [Text("\n".join(wrap(view.headline, inner)), style=f"bold {colour}")]
    if view.urgent:
        head.append(Text("\n".join(wrap(view.urgent, inner)), style="bold yellow"))
    if view.reception:
        head.append(Text(f"{view.reception.title}:", style="bold"))
        for option in view.reception.options:
            bullet = "  * " if wide else "  • "
            head.append(Text("\n".join(wrap(option.shown, inner, indent="    ", first=bullet))))
            if option.fallback:
                head.append(Text("\n".join(wrap(option.fallback, inner, indent="    "))))
    if wide:
        rule = Text("=" * (width - 1), style=colour)
        console.print(rule)
        for part in head:
            console.print(Padding(part, (0, 0, 0, 1)), no_wrap=True)
        console.print(rule)
    else:
        console.print(Panel(Group(*head), border_style=colour))
    console.print()
    console.print(Text(lab["steps"], style="bold underline"))
    if not view.steps:
        console.print(Text(f"  {lab['none']}"))
    for n, step in enumerate(view.steps, 1):
        number = f" {n}. "
        pad = " " * display_width(number)
        title = Text("\n".join(wrap(step.title, width - 1, indent=pad, first=number)), style="bold")
        console.print(title, no_wrap=True)
        if step.when:
            style = "bold red" if step.overdue else "yellow"
            for line in wrap(step.when, width - 1, indent=pad + "  ", first=pad):
                console.print(Text(line, style=style), no_wrap=True)
        # Wrapped as in plain text: wide characters counted, ids and numbers kept whole.
        for line in wrap(step.reason, width - 1, indent=pad):
            console.print(Text(line), no_wrap=True)
        for line in wrap(step.contact, width - 1, pad + "  ", pad) if step.contact else []:
            console.print(Text(line, style="bold"), no_wrap=True)
        for lead, text in _source_lines(step, lab, sources, compact):
            for line in wrap(text, width - 1, indent=pad + "  ", first=pad + lead):
                console.print(Text(line, style="dim"), no_wrap=True)
    if view.warnings:
        console.print()
        console.print(Text(lab["warnings"], style="bold underline"))
        for w in view.warnings:
            for line in wrap(w, width - 1, indent="   ", first=" ! "):
                console.print(Text(line, style="magenta"), no_wrap=True)
    events = _timeline(view, compact)
    if events:
        console.print()
        console.print(Text(lab["timeline"], style="bold underline"))
    today = _today(view)
    for event in events:
        style = "bold reverse" if event.is_today else ("dim" if event.day < today else "")
        lead = f" {'>' if event.is_today else ' '} {_day(event, view)}  "
        for line in wrap(event.label, width - 1, indent=" " * display_width(lead), first=lead):
            console.print(Text(line, style=style), no_wrap=True)
    console.print()
    for closing in _closing(view, sources, compact):
        console.print(Text("\n".join(wrap(closing, width - 1)), style="dim"))
    return buf.getvalue()


def recap(view: VerdictView, width: int, wide: bool = False, rich: bool = False) -> str:
    """The headline and the first step again, for the end of a verdict taller than the
    screen: what the member must know stays on the last screen."""
    lines = [f"{view.labels['recap']}:"]
    styles = ["bold underline"]
    colour = {True: "green", False: "red", None: "yellow"}[view.can_see_doctor]
    for text, style in (
        (view.headline, f"bold {colour}"),
        (view.urgent, "bold yellow"),
        *((line, "") for line in view.recap),
    ):
        if text:
            wrapped = fill(text, width - 1, "  ", "  ", wide, view.phrases)
            lines += wrapped
            styles += [style] * len(wrapped)
    if not rich:
        return "\n" + "\n".join(lines) + "\n"
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=True, color_system="standard")
    console.print()
    for line, style in zip(lines, styles, strict=True):
        console.print(Text(line, style=style), no_wrap=True)
    return buf.getvalue()


def _day(event: Event, view: VerdictView) -> str:
    """The event's day, padded to the widest day of the timeline (2026年1月5日 is
    narrower than 2026年11月26日), so the labels stand in one column."""
    widest = max(display_width(e.shown) for e in view.timeline)
    return event.shown + " " * (widest - display_width(event.shown))


def _today(view: VerdictView) -> date:
    return next(e.day for e in view.timeline if e.is_today)


def wrap(
    text: str, width: int, indent: str = "", first: str | None = None, phrases: bool = False
) -> list[str]:
    """:func:`fill` for a terminal that draws ambiguous characters one column wide."""
    return fill(text, width, indent, first, phrases=phrases)


def expiry_plain(
    docs: tuple[DocumentStatus, ...],
    day: str,
    msgs: Messages,
    width: int = WIDTH,
    dependants: int | None = None,
) -> str:
    """``kenpo expiry`` for people: one line per document (and a line for dependants')."""
    gloss = msgs.glosser()
    out = [gloss(msgs.ui("expiry_title", date=day))]
    for d in docs:
        extra = []
        if d.days_left == 0:
            extra.append(msgs.ui("last_day"))
        elif d.days_left is not None:
            extra.append(msgs.ui("days_left", days=str(d.days_left)))
        if d.cert_expiry is not None:
            extra.append(f"{msgs.ui('cert_expiry')} {msgs.day(d.cert_expiry)}")
        if d.in_grace:
            extra.append(msgs.ui("in_grace"))
        tail = msgs.ui("expiry_extra", extra=msgs.ui("list_sep").join(extra)) if extra else ""
        if d.valid is None and d.earlier_until is not None:  # a renewed card, its date not given
            state = msgs.ui("expiry_renewed", until=d.earlier_until.isoformat())
        elif d.valid_until is None:
            state = msgs.ui("expiry_no_expiry")
        elif d.membership_limit:  # the document lives on; membership here does not
            key = "expiry_valid_membership" if d.valid else "expiry_not_valid_membership"
            state = msgs.ui(key, until=d.valid_until.isoformat(), extra=tail)
        elif d.valid:
            state = msgs.ui("expiry_valid", until=d.valid_until.isoformat(), extra=tail)
        else:
            state = msgs.ui("expiry_not_valid", until=d.valid_until.isoformat(), extra=tail)
        if d.item.value == "oshirase" and d.valid:  # valid, yet never enough on its own
            state += msgs.ui("expiry_not_alone")
        name = gloss(msgs.item(d.item.value))
        first = f"  - {name}: "
        out += wrap(gloss(state), width, "      ", first, msgs.phrases)
    if dependants:  # each holds their own, valid as long as the member's membership
        key = "expiry_dependants_one" if dependants == 1 else "expiry_dependants"
        said = msgs.ui(key, n=str(dependants))
        out += wrap(gloss(said), width, "      ", "  - ", msgs.phrases)
    if not any(d.item.value == "myna" for d in docs):  # it needs the certificate's expiry
        out += wrap(gloss(msgs.ui("expiry_myna_hint")), width, "  ", "", msgs.phrases)
    return "\n".join(out) + "\n"
