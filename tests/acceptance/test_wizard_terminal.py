"""The installed ``kenpo check`` wizard driven in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pexpect
import pytest

from tests.acceptance.test_cli import KENPO

DOWN, SPACE, ENTER = "\x1b[B", " ", "\r"


def spawn(*args: str) -> pexpect.spawn[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "NO_COLOR"))}
    # No cursor-position request: prompt_toolkit otherwise waits for a reply pexpect never sends.
    env.update(TERM="xterm", COLUMNS="100", LINES="40", PROMPT_TOOLKIT_NO_CPR="1")
    assert KENPO
    return pexpect.spawn(
        KENPO, ["check", *args], env=env, encoding="utf-8", timeout=20, dimensions=(40, 100)
    )


def finish(child: pexpect.spawn[str]) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return int(child.exitstatus)


def test_member_with_a_myna_answers_four_questions_and_gets_a_verdict(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    child = spawn("--lang", "en", "--as-of", "2026-11-26", "--save-answers", str(saved))
    child.expect("Do you have a マイナ保険証")
    child.send(ENTER)  # Yes
    child.expect("certificate")
    child.send("R8.10.15" + ENTER)
    child.expect("Which of these do you have")
    child.send(DOWN + DOWN + SPACE + ENTER)  # the お知らせ
    child.expect("Does any of this apply")
    child.send(ENTER)
    child.expect("you can see a doctor")
    child.expect("Renew: My Number card certificate")
    child.expect("2027-01-31")
    assert finish(child) == 0
    assert "Traceback" not in (child.before or "")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    answers = json.loads(saved.read_text())
    assert answers["myna"] == "yes" and answers["cert_expiry"] == "2026-10-15"
    assert answers["oshirase"] == "held" and answers["kakuninsho"] == "none"


def test_japanese_wizard_rejects_a_bad_date_inline_then_goes_on() -> None:
    child = spawn("--lang", "ja", "--as-of", "2026-11-26", "--myna", "no")
    child.expect("手元にあるもの")
    child.send(SPACE + ENTER)  # 資格確認書を持っている
    child.expect("資格確認書に書かれた有効期限")
    child.send("2027-02-30" + ENTER)
    child.expect("存在しません")
    child.send("\x7f" * 10 + "令和9年11月30日" + ENTER)
    child.expect("当てはまるもの")
    child.send(ENTER)
    child.expect("受診できます")
    assert finish(child) == 0


def test_ctrl_c_exits_130_with_one_short_line() -> None:
    child = spawn("--lang", "en")
    child.expect("Do you have a マイナ保険証")
    child.sendintr()
    assert finish(child) == 130
    assert "Interrupted" in (child.before or "")
    assert "Traceback" not in (child.before or "")


@pytest.mark.parametrize("where", ["list", "date"])
def test_end_of_input_exits_2_with_a_hint_about_no_input(where: str) -> None:
    child = spawn("--lang", "en", *(["--myna", "yes"] if where == "date" else []))
    child.expect("certificate" if where == "date" else "Do you have a マイナ保険証")
    child.sendeof()
    assert finish(child) == 2
    assert "--no-input" in (child.before or "")
    assert "Traceback" not in (child.before or "")


EVERY_FACT = [
    "--as-of",
    "2026-11-26",
    "--status",
    "enrolled",
    "--joined-on",
    "2020-04-01",
    "--myna",
    "no",
    "--kakuninsho",
    "held",
    "--kakuninsho-expiry",
    "2027-11-30",
    "--oshirase",
    "held",
    "--old-card",
    "none",
    "--name-changed",
    "no",
]


@pytest.mark.parametrize("flag", ["--plain", "--json"])
def test_no_question_is_asked_when_every_fact_comes_as_flags(flag: str) -> None:
    child = spawn("--lang", "en", flag, *EVERY_FACT)  # a terminal, and no --no-input
    assert finish(child) == 0
    screen = child.before or ""
    assert "Do you have" not in screen and "Which of these" not in screen
    assert "you can see a doctor" in screen or '"can_see_doctor": true' in screen


def test_json_to_a_file_still_asks_on_screen_and_keeps_stdout_clean(tmp_path: Path) -> None:
    out = tmp_path / "verdict.json"
    assert KENPO
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f"'{KENPO}' check --json --lang en > '{out}'"],
        env={**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8",
        timeout=20,
    )
    child.expect("Do you have a マイナ保険証")
    child.send(DOWN + ENTER)  # No
    child.expect("Which of these")
    child.send(SPACE + ENTER)  # a 資格確認書
    child.expect("expiry date is printed")
    child.send(ENTER)
    child.expect("Does any of this apply")
    child.send(ENTER)
    assert finish(child) == 0
    doc = json.loads(out.read_text())
    assert doc["facts"]["kakuninsho"] == "held" and doc["can_see_doctor"] is True


@pytest.mark.parametrize(
    ("env", "boxes"), [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)]
)
def test_colour_and_boxes_only_on_a_terminal_that_wants_them(
    env: dict[str, str], boxes: bool
) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "NO_COLOR"))}
    assert KENPO
    child = pexpect.spawn(
        KENPO,
        ["check", "--no-input", "--lang", "en", "--myna", "yes"],
        env={**base, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", **env},
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )
    assert finish(child) == 0
    screen = child.before or ""
    assert ("╭" in screen) is boxes
    assert ("\x1b[" in screen) is boxes
    assert "you can see a doctor" in screen
