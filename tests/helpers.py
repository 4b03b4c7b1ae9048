"""Build verdicts from the words a member would use."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Any

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import gather
from kenpo_cli.core.model import Action, Verdict
from kenpo_cli.core.rules import evaluate

TODAY = date(2026, 11, 26)


def judge(as_of: str, **facts: Any) -> Verdict:
    """The verdict for facts given as codes or dates, as on the command line
    (``rules=`` another pack than the built-in one)."""
    rules: rulepack.RulePack = facts.pop("rules", None) or rulepack.builtin()
    gathered = gather({"as_of": as_of, **facts}, TODAY)
    day = gathered.as_of(TODAY)
    return evaluate(gathered.facts(as_of=day), day, rules)


def steps(v: Verdict) -> set[tuple[str, str]]:
    """(action, item) pairs of a verdict."""
    return {(a.action.value, a.item.value) for a in v.actions}


def step(v: Verdict, action: str, item: str) -> Any:
    found = [a for a in v.actions if a.action.value == action and a.item.value == item]
    assert found, f"no {action} {item} in {sorted(steps(v))}"
    return found[0]


def reason_keys(a: Action) -> list[str]:
    """The message keys of a step's reasons, in order."""
    return [r.key for r in a.reasons]


def params(a: Action) -> dict[str, str]:
    """Every value a step's reasons fill in."""
    return {k: v for r in a.reasons for k, v in r.params}


def cites(v: Verdict) -> set[str]:
    return {s for a in v.actions for s in a.sources}


SNAPSHOTS = Path(__file__).parent / "snapshots"


def matches_snapshot(name: str, text: str, update: bool) -> None:
    """Compare ``text`` with ``tests/snapshots/<name>``; ``--update-snapshots`` rewrites it."""
    path = SNAPSHOTS / name
    if update:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: write it with --update-snapshots and review it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{name} (snapshot)",
                f"{name} (now)",
            )
        )
        raise AssertionError(f"output changed; if intended, run pytest --update-snapshots\n{diff}")


def screen_lines(screen: Any) -> list[str]:
    """A pyte screen's lines, read from its cells.

    ``pyte.Screen.display`` fails (IndexError) on a row whose wide character lost its
    right half when the window narrowed mid-redraw; the cells themselves are whole: a
    wide character's second cell holds "" and adds nothing."""
    return [
        "".join(screen.buffer[y][x].data for x in range(screen.columns)).rstrip()
        for y in range(screen.lines)
    ]


def default_signals() -> None:
    """``preexec_fn`` for a child a test signals: the signals a terminal sends at their
    defaults, whatever this run inherited. Under ``nohup`` (SIGHUP ignored) or as a
    shell's background job (SIGINT ignored) kenpo keeps an ignored signal ignored, as it
    should, and a test that sent one waited for an exit that never came."""
    import signal

    for name in ("SIGINT", "SIGHUP", "SIGTERM", "SIGQUIT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
