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
from kenpo_cli.render.view import VerdictView

WIDTH = 80
# A run of ASCII keeps a counter after it (66日, 3件): they are never split.
_TOKEN = re.compile(r"[!-~]+[日年月件行]?|\s+|.", re.DOTALL)
_NO_LINE_START = frozenset("。、，．）」』】〕・：；！？,.)]:;!?”’")
_NO_LINE_END = frozenset("「『（【〔“‘([")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Fill ``text`` to ``width`` columns, breaking between words or wide characters.

    Closing punctuation never starts a line (the character before it moves down too),
    and an opening bracket never ends one.
    """
    lines: list[str] = []
    lead = first if first is not None else indent
    line: list[str] = []
    used = display_width(lead)
    for token in _TOKEN.findall(text):
        if token.isspace():
            if line:
                line.append(" ")
                used += 1
            continue
        w = display_width(token)
        if used + w > width and line:
            carried: list[str] = []
            while (carried or [token])[0][0] in _NO_LINE_START and len(line) > 1:
                carried.insert(0, line.pop())
            while len(line) > 1 and line[-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append((lead + "".join(line)).rstrip())
            lead, line = indent, carried
            used = display_width(indent) + sum(display_width(t) for t in carried)
        line.append(token)
        used += w
    lines.append((lead + "".join(line)).rstrip())
    return lines


def verdict_plain(view: VerdictView, width: int = WIDTH) -> str:
    """The verdict as plain text that reads well at ``width`` columns."""
    out = [*wrap(view.headline, width), ""]
    lab = view.labels
    if view.present:
        out.append(f"{lab['present']}:")
        for option in view.present:
            out += wrap(option, width, indent="      ", first="  - ")
        out.append("")
    out.append(f"{lab['steps']}:")
    if not view.groups:
        out.append(f"  {lab['none']}")
    for heading, steps in view.groups:
        out.append(f"  [{heading}]")
        for step in steps:
            title = step.item + (f" — {step.when}" if step.when else "")
            out += wrap(title, width, indent="      ", first="    * ")
            out += wrap(step.reason, width, indent="      ")
            for src in step.sources:
                lead = f"      {lab['sources']}{lab['label_sep']}"
                out += wrap(src, width, indent="        ", first=lead)
    if view.warnings:
        out += ["", f"{lab['warnings']}:"]
        for w in view.warnings:
            out += wrap(w, width, indent="    ", first="  ! ")
    out += ["", f"{lab['timeline']}:"]
    for event in view.timeline:
        mark = ">>" if event.is_today else "  "
        out.append(f"  {mark} {event.day.isoformat()}  {event.label}")
    out += ["", *wrap(view.rules, width)]
    return "\n".join(out) + "\n"


def verdict_markdown(view: VerdictView, title: str) -> str:
    """The verdict as a printable Markdown checklist (``- [ ] …`` per step)."""
    lab = view.labels
    out = [f"# {title}", "", f"**{view.headline}**", ""]
    if view.present:
        out += [f"## {lab['present']}", ""]
        out += [f"- {option}" for option in view.present]
        out.append("")
    out += [f"## {lab['steps']}", ""]
    if not view.groups:
        out += [lab["none"], ""]
    for heading, steps in view.groups:
        out += [f"### {heading}", ""]
        for step in steps:
            when = f" — {step.when}" if step.when else ""
            out.append(f"- [ ] **{step.item}**{when}: {step.reason}")
            out += [f"  - {lab['sources']}{lab['label_sep']}{src}" for src in step.sources]
        out.append("")
    if view.warnings:
        out += [f"## {lab['warnings']}", ""]
        out += [f"- {w}" for w in view.warnings]
        out.append("")
    out += [f"## {lab['timeline']}", ""]
    for event in view.timeline:
        label = f"**{event.label}**" if event.is_today else event.label
        out.append(f"- {event.day.isoformat()} {label}")
    out += ["", f"_{view.rules}_", ""]
    return "\n".join(out)


def verdict_rich(view: VerdictView, width: int = WIDTH) -> str:
    """The verdict for a colour terminal: a headline panel, grouped steps, a timeline."""
    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
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
    colour = "green" if view.can_see_doctor else "red"
    head: list[Text | Table] = [Text(view.headline, style=f"bold {colour}")]
    if view.present:
        head.append(Text(f"{lab['present']}:", style="bold"))
        options = Table.grid(padding=(0, 1))
        options.add_column()
        options.add_column()
        for option in view.present:
            options.add_row("•", option)
        head.append(options)
    console.print(Panel(Group(*head), border_style=colour))
    console.print()
    console.print(Text(lab["steps"], style="bold underline"))
    if not view.groups:
        console.print(Padding(Text(lab["none"]), (0, 0, 0, 2)))
    for heading, steps in view.groups:
        console.print(Padding(Text(heading, style="bold cyan"), (0, 0, 0, 1)))
        for step in steps:
            title = Text("☐ ")
            title.append(step.item, style="bold")
            if step.when:
                title.append(f"  {step.when}", style="yellow")
            console.print(Padding(title, (0, 0, 0, 3)))
            # Wrapped as in plain text: wide characters counted, ids and numbers kept whole.
            for line in wrap(step.reason, width - 1, indent="     "):
                console.print(Text(line), no_wrap=True)
            for src in step.sources:
                label = f"{lab['sources']}{lab['label_sep']}"
                for line in wrap(src, width - 1, indent="       ", first="     " + label):
                    console.print(Text(line, style="dim"), no_wrap=True)
    if view.warnings:
        console.print()
        console.print(Text(lab["warnings"], style="bold underline"))
        for w in view.warnings:
            console.print(Padding(Text(f"! {w}", style="magenta"), (0, 0, 0, 1)))
    table = Table(
        title=lab["timeline"],
        title_justify="left",
        title_style="bold underline",
        show_header=False,
        box=None,
    )
    console.print()
    today = _today(view)
    for event in view.timeline:
        style = "bold reverse" if event.is_today else ("dim" if event.day < today else "")
        table.add_row(
            "▶" if event.is_today else " ", event.day.isoformat(), event.label, style=style
        )
    console.print(table)
    console.print(Text(view.rules, style="dim"))
    return buf.getvalue()


def _today(view: VerdictView) -> date:
    return next(e.day for e in view.timeline if e.is_today)


def expiry_plain(docs: tuple[DocumentStatus, ...], day: str, msgs: Messages) -> str:
    """``kenpo expiry`` for people: one line per document."""
    out = [msgs.ui("expiry_title", date=day)]
    for d in docs:
        extra = []
        if d.days_left is not None:
            extra.append(msgs.ui("days_left", days=str(d.days_left)))
        if d.cert_expiry is not None:
            extra.append(f"{msgs.ui('cert_expiry')} {d.cert_expiry.isoformat()}")
        if d.in_grace:
            extra.append(msgs.ui("in_grace"))
        tail = msgs.ui("expiry_extra", extra=msgs.ui("list_sep").join(extra)) if extra else ""
        if d.valid_until is None:
            state = msgs.ui("expiry_no_expiry")
        elif d.valid:
            state = msgs.ui("expiry_valid", until=d.valid_until.isoformat(), extra=tail)
        else:
            state = msgs.ui("expiry_not_valid", until=d.valid_until.isoformat(), extra=tail)
        out += wrap(state, WIDTH, indent="      ", first=f"  - {msgs.item(d.item.value)}: ")
    return "\n".join(out) + "\n"
