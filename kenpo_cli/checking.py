"""The steps of ``kenpo check`` between the command line and the rules core.

Precedence of facts: flags, then the answers file, then the wizard, then the
contract's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from kenpo_cli.core.facts import CHOICE_FACTS, Gathered, gather
from kenpo_cli.core.model import Facts, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules import evaluate
from kenpo_cli.files import answers_of, load_answers, save_answers
from kenpo_cli.i18n import Messages


def gather_all(flags: Mapping[str, str | None], answers: Path | None, today: date) -> Gathered:
    """Facts from flags over those of the answers file (each parsed and checked)."""
    given = gather(flags, today, flags=True)
    if answers is None:
        return given
    from_file = gather(load_answers(answers), today, origin=f"{answers}: ")
    return given.merged_under(from_file)


def defaults_note(gathered: Gathered, msgs: Messages) -> str:
    """The stderr note naming the facts that fell back to their defaults ("" if none)."""
    defaults = Facts().as_dict()
    given = set(gathered.values) | ({"status"} if "left_on" in gathered.values else set())
    missing = [f"{k}={defaults[k]}" for k in CHOICE_FACTS if k not in given]
    return msgs.ui("defaults_note", fields=", ".join(missing)) if missing else ""


def verdict_for(gathered: Gathered, today: date, pack: RulePack) -> Verdict:
    return evaluate(gathered.facts(), gathered.as_of(today), pack)


def save(path: Path, gathered: Gathered) -> None:
    """Save the facts used: every closed-choice fact, and the dates that were given."""
    facts = gathered.facts().as_dict()
    used = {k: v for k, v in facts.items() if v is not None}
    if "as_of" in gathered.values:
        used = {"as_of": gathered.values["as_of"], **used}
    save_answers(path, answers_of(used))


def render(
    verdict: Verdict, pack: RulePack, msgs: Messages, output: str, *, rich: bool, width: int
) -> str:
    """The verdict as ``output`` (json, markdown or text; rich text for colour terminals)."""
    if output == "json":
        from kenpo_cli.render.json import dumps, verdict_dict

        return dumps(verdict_dict(verdict, msgs)) + "\n"
    from kenpo_cli.render import text, view

    shown = view.build(verdict, pack, msgs)
    if output == "markdown":
        return text.verdict_markdown(shown, msgs.ui("markdown_title"))
    if rich:
        return text.verdict_rich(shown, width)
    return text.verdict_plain(shown, min(width, text.WIDTH))
