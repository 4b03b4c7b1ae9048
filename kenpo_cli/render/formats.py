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

    __slots__ = ("msgs", "pack", "rich", "sources", "wide", "width")

    def __init__(
        self,
        pack: RulePack,
        msgs: Messages,
        rich: bool = False,
        width: int = 80,
        sources: bool = False,  # every citation in full, not just its id
        wide: bool = False,  # the terminal draws ambiguous characters (─ • —) double-width
    ) -> None:
        self.pack, self.msgs, self.rich, self.width = pack, msgs, rich, width
        self.sources, self.wide = sources, wide


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
        return text.verdict_rich(shown, screen.width, screen.sources, screen.wide)
    return text.verdict_plain(shown, min(screen.width, text.WIDTH), screen.sources, screen.wide)


VERDICT_RENDERERS: dict[OutputFormat, Callable[[Verdict, Screen], str]] = {
    OutputFormat.TEXT: _text,
    OutputFormat.MARKDOWN: _markdown,
    OutputFormat.JSON: _json,
}


def render_verdict(v: Verdict, fmt: OutputFormat, screen: Screen) -> str:
    """The verdict as ``fmt``."""
    return VERDICT_RENDERERS[fmt](v, screen)
