"""The steps of ``kenpo check`` between the command line and the rules core.

Precedence of facts: flags, then the answers file, then the wizard, then the
contract's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from kenpo_cli.core.facts import (
    FACT_BY_NAME,
    FACTS,
    Gathered,
    assumed,
    check_as_of,
    flag_name,
    gather,
)
from kenpo_cli.core.model import Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules import evaluate
from kenpo_cli.errors import ContradictoryFacts
from kenpo_cli.i18n import Messages


def gather_all(flags: Mapping[str, str | None], answers: Path | None, today: date) -> Gathered:
    """Facts from flags over those of the answers file (each parsed and checked).

    A date left empty in the file (``""``, or JSON's null) is an answer: there is no such
    date, or it is not known. The wizard does not ask it again (a file it saved holds
    every answer it was given, blanks included)."""
    given = gather(flags, today, flags=True)
    if answers is None:
        return given
    from kenpo_cli.io.answers import load_answers  # only when there is a file to read

    raw = load_answers(answers)
    from_file = gather(raw, today, origin=f"{answers}: ")
    blank = {name: None for name in _blank_dates(raw)}
    return given.merged_under(Gathered({**blank, **from_file.values}))


def _blank_dates(raw: Mapping[str, Any]) -> list[str]:
    names = [key.replace("-", "_") for key, value in raw.items() if value in (None, "")]
    return [n for n in names if n in FACT_BY_NAME and _blank_means_answered(n)]


def _blank_means_answered(name: str) -> bool:
    """A date, or a count of people, left empty: answered as not known."""
    spec = FACT_BY_NAME[name]
    return (spec.is_date or spec.people) and name != "as_of"


def defaults_note(gathered: Gathered, msgs: Messages) -> str:
    """What kenpo says, before the verdict, when it could not ask (no terminal): that
    nothing was asked, which facts took their defaults, and how to answer them ("" when
    none did).

    The defaults are shown as the options that would give them, so that the reader can
    copy one and change its value.
    """
    facts = gathered.facts()
    taken = [
        msgs.ui(
            "default_taken",
            option=f"{flag_name(spec.name)} {getattr(facts, spec.name)}",
            label=msgs("fact", spec.name),
        )
        for spec in FACTS
        if spec.values is not None
        and spec.name not in gathered.values
        and getattr(facts, spec.name) == spec.default
    ]
    if not taken:
        return ""
    return "\n".join([msgs.ui("no_terminal"), *taken, msgs.ui("no_terminal_how")])


def verdict_for(gathered: Gathered, today: date, pack: RulePack) -> Verdict:
    """The verdict for the gathered facts, on their ``as_of`` (today unless given).

    Facts that contradict each other are named as the flags they can be given as.
    """
    as_of = check_as_of(gathered.as_of(today), pack, flag_name("as_of"))
    try:
        verdict = evaluate(gathered.facts(as_of=as_of), as_of, pack)
    except ContradictoryFacts as err:
        raise err.relabel(flag_name) from None
    return verdict._replace(assumed=assumed(tuple(gathered.values)))


def save(path: Path, gathered: Gathered) -> None:
    """Save the facts used: every closed-choice fact, the dates that were given, and
    empty the dates answered as none or not known (so they are not asked again)."""
    facts = gathered.facts().as_dict()
    answered = set(gathered.values)
    used = {k: "" if v is None else v for k, v in facts.items() if v is not None or k in answered}
    if "as_of" in gathered.values:
        used = {"as_of": gathered.values["as_of"], **used}
    from kenpo_cli.io.answers import answers_of, save_answers

    save_answers(path, answers_of(used))
