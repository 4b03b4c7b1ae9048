"""The output formats, and the renderer of a verdict for each (pip-audit's shape).

A renderer is a function from a verdict (and what it is shown with) to ``str``; it
never decides anything. Each imports what it needs when called, so a ``--json`` call
never loads rich.
"""

from collections.abc import Callable, Sequence
from enum import StrEnum

from kenpo_cli.core.model import Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages


class OutputFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


CHECK_FORMATS = (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.JSON)
BATCH_FORMATS = (OutputFormat.JSONL, OutputFormat.CSV)


def parse_format(
    value: str, allowed: Sequence[OutputFormat], *, json_flag: bool = False
) -> OutputFormat:
    """The ``--format`` asked for (``--json`` is short for ``--format json``, and cannot
    go with another format)."""
    if json_flag:
        if value.strip().lower() not in (OutputFormat.TEXT, OutputFormat.JSON):
            raise KenpoError("json_and_format", value=value)
        value = OutputFormat.JSON
    wanted = value.strip().lower()
    for fmt in allowed:
        if fmt.value == wanted:
            return fmt
    accepted = ", ".join(f.value for f in allowed)
    raise KenpoError("bad_option", field="--format", value=value, accepted=accepted)


class Screen:
    """How a verdict is shown: the pack it came from, the language and the terminal.
    (A slotted class: a NamedTuple's creation would cost every one-shot run.)"""

    __slots__ = ("compact", "msgs", "pack", "rich", "rows", "sources", "wide", "width")

    def __init__(
        self,
        pack: RulePack,
        msgs: Messages,
        rich: bool = False,
        width: int = 80,
        sources: bool = False,  # every citation in full, not just its id
        wide: bool = False,  # the terminal draws ambiguous characters (─ • —) double-width
        compact: bool = False,  # a terminal: what to do on one screen, the rest on request
        rows: int = 0,  # the terminal's height (0: not a terminal)
    ) -> None:
        self.rows = rows
        self.pack, self.msgs, self.rich, self.width = pack, msgs, rich, width
        self.sources, self.wide, self.compact = sources, wide, compact


def _json(v: Verdict, screen: Screen) -> str:
    from kenpo_cli.render.json import dumps, verdict_dict

    return dumps(verdict_dict(v, screen.msgs)) + "\n"


def _markdown(v: Verdict, screen: Screen) -> str:
    from kenpo_cli.render import text, view

    shown = view.build(v, screen.pack, screen.msgs)
    return text.verdict_markdown(shown, screen.msgs.ui("markdown_title"))


def _text(v: Verdict, screen: Screen) -> str:
    from kenpo_cli.render import text, view

    shown = view.build(v, screen.pack, screen.msgs)
    if screen.rich:
        width = screen.width
        out = text.verdict_rich(shown, width, screen.sources, screen.wide, screen.compact)
    else:
        width = min(screen.width, text.WIDTH)
        out = text.verdict_plain(shown, width, screen.sources, screen.wide, screen.compact)
    # Taller than the screen (the shell's prompt takes a line): the headline has scrolled
    # away, so it is said again at the end, with the first step.
    if screen.compact and screen.rows and out.count("\n") > screen.rows - 1:
        out += text.recap(shown, width, screen.wide, screen.rich)
    return out


VERDICT_RENDERERS: dict[OutputFormat, Callable[[Verdict, Screen], str]] = {
    OutputFormat.TEXT: _text,
    OutputFormat.MARKDOWN: _markdown,
    OutputFormat.JSON: _json,
}


def render_verdict(v: Verdict, fmt: OutputFormat, screen: Screen) -> str:
    """The verdict as ``fmt``."""
    return VERDICT_RENDERERS[fmt](v, screen)
