"""Build verdicts from the words a member would use."""

from __future__ import annotations

from datetime import date
from typing import Any

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import gather
from kenpo_cli.core.model import Verdict
from kenpo_cli.core.rules import evaluate

TODAY = date(2026, 11, 26)


def judge(as_of: str, rules: rulepack.RulePack | None = None, **facts: Any) -> Verdict:
    """The verdict for facts given as codes or dates, as on the command line."""
    gathered = gather({"as_of": as_of, **facts}, TODAY)
    return evaluate(gathered.facts(), gathered.as_of(TODAY), rules or rulepack.builtin())


def steps(v: Verdict) -> set[tuple[str, str]]:
    """(action, item) pairs of a verdict."""
    return {(a.action.value, a.item.value) for a in v.actions}


def step(v: Verdict, action: str, item: str) -> Any:
    found = [a for a in v.actions if a.action.value == action and a.item.value == item]
    assert found, f"no {action} {item} in {sorted(steps(v))}"
    return found[0]


def cites(v: Verdict) -> set[str]:
    return {s for a in v.actions for s in a.sources}
