"""Terminals that draw ─ • — two columns wide (common in Japan) get no broken boxes."""

from __future__ import annotations

import os

import pexpect
import pytest

from kenpo_cli.render import text
from tests.acceptance.test_cli import KENPO

ARGS = ["check", "--no-input", "--lang", "en", "--as-of", "2026-11-26", "--myna", "yes"]


def run_on_terminal(answer: str | None, **env: str) -> str:
    """The rich screen, on a terminal that answers the cursor-position request with
    ``answer`` (the column after one ─), or whose width is set by the environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "NO_COLOR"))}
    base.pop("PROMPT_TOOLKIT_NO_CPR", None)
    assert KENPO
    child = pexpect.spawn(
        KENPO, ARGS, env={**base, "TERM": "xterm", **env}, encoding="utf-8", timeout=20
    )
    if answer is not None:
        child.expect_exact("\x1b[6n")
        child.send(f"\x1b[1;{answer}R")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return str(child.before)


@pytest.mark.parametrize(("answer", "boxed"), [("2", True), ("3", False)])
def test_the_screen_asks_the_terminal_and_drops_boxes_where_lines_are_double(
    answer: str, boxed: bool
) -> None:
    out = run_on_terminal(answer)
    assert ("╭" in out) is boxed
    assert ("•" in out) is boxed
    assert ("=" * 20 in out) is not boxed


@pytest.mark.parametrize(("setting", "boxed"), [("wide", False), ("narrow", True)])
def test_the_width_can_be_set_for_terminals_that_do_not_answer(setting: str, boxed: bool) -> None:
    out = run_on_terminal(None, KENPO_AMBIGUOUS_WIDTH=setting)
    assert ("╭" in out) is boxed


def test_wide_ambiguous_characters_count_two_columns_when_wrapping() -> None:
    line = "— " * 30
    assert text.display_width("—") == 1 and text.display_width("—", wide=True) == 2
    assert all(text.display_width(w, wide=True) <= 40 for w in text.fill(line, 40, wide=True))
    assert max(text.display_width(w, wide=True) for w in text.fill(line, 40)) > 40


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_error_on_a_narrow_terminal_wraps_by_words(lang: str) -> None:
    # A terminal cuts a long line anywhere (a date, a word); kenpo wraps it first.
    assert KENPO
    args = ["--lang", lang, "check", "--no-input", "--myna", "maybe"]
    child = pexpect.spawn(KENPO, args, dimensions=(24, 60), encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    lines = str(child.before).replace("\r", "").splitlines()
    assert child.exitstatus == 2 and len(lines) > 1
    assert all(text.display_width(line) <= 60 for line in lines), lines
    joined = "".join(line.strip() for line in lines)
    assert "maybe" in joined and "lost" in joined  # nothing lost by the wrapping
