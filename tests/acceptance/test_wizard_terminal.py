"""The installed ``kenpo check`` wizard driven in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import json
import os
import re
import stat
import time
from datetime import date
from pathlib import Path

import pexpect
import pyte
import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.i18n import Messages
from kenpo_cli.render.text import display_width
from tests.acceptance.test_cli import KENPO
from tests.helpers import screen_lines

DOWN, SPACE, ENTER = "\x1b[B", " ", "\r"
UP, LEFT, CTRL_U = "\x1b[A", "\x1b[D", "\x15"


def spawn(*args: str, env: dict[str, str] | None = None) -> pexpect.spawn[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "NO_COLOR"))}
    # No cursor-position request: prompt_toolkit otherwise waits for a reply pexpect never sends.
    base.update(TERM="xterm", COLUMNS="100", LINES="40", PROMPT_TOOLKIT_NO_CPR="1")
    base.update(env or {})
    assert KENPO
    return pexpect.spawn(
        KENPO, ["check", *args], env=base, encoding="utf-8", timeout=20, dimensions=(40, 100)
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
    child.send(UP + ENTER)  # none of these (the last choice)
    child.expect("Use these answers")
    child.send(ENTER)  # no save offer: --save-answers already says where
    child.expect("you can see a doctor")
    child.expect("Renew: My Number card certificate")
    child.expect("2027-01-31")
    child.expect("Your answers are saved in")
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
    child.send(UP + ENTER)  # どれもなし (the last choice)
    child.expect("この答えで判定しますか")
    child.send(ENTER)
    child.expect("保存しますか")
    child.send(ENTER)  # 保存しない
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
def test_ctrl_d_reads_as_leaving_the_questions(where: str) -> None:
    child = spawn("--lang", "en", *(["--myna", "yes"] if where == "date" else []))
    child.expect("certificate" if where == "date" else "Do you have a マイナ保険証")
    child.sendeof()
    assert finish(child) == 130
    said = child.before or ""
    assert "You left the questions" in said and "kenpo check" in said
    assert "--no-input" not in said  # advice for scripts, not for a person
    assert "Traceback" not in said


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
    child.send(UP + ENTER)  # none of these (the last choice)
    child.expect("Use these answers")
    child.send(ENTER)
    child.expect("Save your answers")
    child.send(ENTER)  # don't
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


# ---- a whole journey, watched on the screen --------------------------------------------

ROWS = 40


def squashed(text: str) -> str:
    return "".join(text.split())


class Terminal:
    """``kenpo check`` in a pseudo-terminal of ``columns``, its screen kept by pyte."""

    def __init__(self, columns: int, *args: str, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "NO_COLOR"))}
        env.update(TERM="xterm", COLUMNS=str(columns), LINES=str(ROWS), PROMPT_TOOLKIT_NO_CPR="1")
        assert KENPO
        self.screen = pyte.Screen(columns, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.child: pexpect.spawn[bytes] = pexpect.spawn(
            KENPO, ["check", *args], env=env, cwd=str(cwd), dimensions=(ROWS, columns)
        )
        self.everything = b""
        self.ended = False

    def _read(self, seconds: float = 0.2) -> bool:
        """Feed the screen what the program wrote; False once its output has ended."""
        if self.ended:
            return False
        try:
            data = self.child.read_nonblocking(65536, timeout=seconds)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            self.ended = True
            return False
        self.everything += data
        self.stream.feed(data)
        return True

    def lines(self) -> list[str]:
        return screen_lines(self.screen)

    def wait_for(self, *texts: str, seconds: float = 30) -> list[str]:
        """The screen, once every text is on it (in full, however it is wrapped)."""
        deadline = time.monotonic() + seconds
        while True:
            reading = self._read()
            shown = squashed("".join(self.lines()))
            if all(squashed(t) in shown for t in texts):
                return self.lines()
            if not reading or time.monotonic() > deadline:
                break
        raise AssertionError(f"not on screen: {texts}\n" + "\n".join(self.lines()))

    def send(self, keys: str) -> None:
        self.child.send(keys.encode())

    def finish(self, seconds: float = 30) -> tuple[int, str]:
        """The exit status and everything written, read to the end of the output.

        A program still running at the deadline (stuck on a question) fails the test,
        with what it had written, rather than hanging the suite.
        """
        deadline = time.monotonic() + seconds
        while self._read(seconds=0.5):
            if time.monotonic() > deadline:
                self.child.terminate(force=True)
                said = self.everything.decode("utf-8", "replace")
                raise AssertionError(f"still running after {seconds} s:\n{said}")
        self.child.close()
        assert self.child.exitstatus is not None, self.child.signalstatus
        return self.child.exitstatus, self.everything.decode("utf-8", "replace")


def too_wide(lines: list[str], columns: int) -> list[str]:
    return [line for line in lines if display_width(line) > columns]


@pytest.mark.parametrize("columns", [60, 100])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_member_goes_back_changes_an_answer_on_the_review_and_saves(
    lang: str, columns: int, tmp_path: Path
) -> None:
    msgs = Messages(lang)
    q = msgs.section("question")
    expiry = rulepack.builtin().kakuninsho_expiry.isoformat()
    t = Terminal(columns, "--lang", lang, "--as-of", "2026-11-26", cwd=tmp_path)

    # 1 of at most 7, each question saying how to answer it.
    t.wait_for(q["myna"], msgs("question", "progress", k="1", n="8"), q["select_hint"])
    t.send(ENTER)  # yes
    # A date question shows an example before any mistake...
    t.wait_for(q["cert_expiry"], q["date_hint"])
    t.send("2026-02-30" + ENTER)
    # ...and a mistake right under the answer, in full, within the screen's width.
    error = msgs(
        "error", "invalid_date_impossible", field=msgs("fact", "cert_expiry"), value="2026-02-30"
    )
    screen = t.wait_for(error)
    typed = next(i for i, line in enumerate(screen) if line.startswith("> 2026-02-30"))
    assert squashed(screen[typed + 1]) and squashed(error).startswith(squashed(screen[typed + 1]))
    assert not too_wide(screen, columns)

    # Going back: ← on an empty answer.
    t.send(CTRL_U + LEFT)
    t.wait_for(q["myna"], msgs("question", "progress", k="1", n="8"))
    t.send(DOWN + ENTER)  # no
    t.wait_for(q["documents"], msgs("question", "progress", k="2", n="7"))
    t.send(SPACE + DOWN + DOWN + SPACE + ENTER)  # a 資格確認書 and the お知らせ
    # The ticks chosen stay on screen.
    t.wait_for(
        q["doc_kakuninsho_held"],
        q["doc_oshirase_held"],
        msgs("question", "kakuninsho_expiry", expiry=expiry),
    )
    t.send(ENTER)  # blank: the society's date
    t.wait_for(q["events"])
    t.send(SPACE + ENTER)  # leaving
    t.wait_for(q["left_on"])
    t.send(ENTER)  # the day is not known yet
    t.wait_for(q["dependants"])
    t.send("2" + ENTER)  # two dependants: their cards go back too

    # Every answer on one screen, then change the first.
    t.wait_for(q["review"], q["review_title"], q["blank_leaving"], q["myna_no"])
    t.send(DOWN + ENTER)
    t.wait_for(q["myna"])
    t.send(UP + ENTER)  # yes, after all
    t.wait_for(q["cert_expiry"])
    t.send("R9.3.31" + ENTER)
    t.wait_for(q["documents"])  # now with the portal: asked again, ticks kept
    t.send(ENTER)
    t.wait_for(q["events"])
    t.send(ENTER)
    screen = t.wait_for(q["review"], msgs.date(date(2027, 3, 31)), q["myna_yes"])
    assert not too_wide(screen, columns)
    t.send(ENTER)

    # Save, to a file of the member's choosing.
    t.wait_for(q["save"])
    t.send(DOWN + ENTER)
    t.wait_for(q["save_file"], q["save_default"])
    t.send("mine.json" + ENTER)  # typing replaces the suggested name
    status, said = t.finish()
    assert status == 0, said
    assert squashed(msgs.ui("answers_saved", file="mine.json")) in squashed(said)
    saved = json.loads((tmp_path / "mine.json").read_text())
    assert stat.S_IMODE((tmp_path / "mine.json").stat().st_mode) == 0o600
    assert saved["myna"] == "yes" and saved["cert_expiry"] == "2027-03-31"
    assert saved["status"] == "leaving" and saved["left_on"] == ""
    assert saved["dependants"] == 2
    assert saved["kakuninsho"] == "held" and saved["kakuninsho_expiry"] == ""
    assert saved["oshirase"] == "held" and saved["joined_on"] == ""

    # The saved file answers every question.
    again = Terminal(columns, "--lang", lang, "--answers", "mine.json", cwd=tmp_path)
    status, said = again.finish()
    assert status == 0 and squashed(msgs.ui("steps")) in squashed(said)  # a verdict, in full
    assert q["myna"] not in said and q["events"] not in said


@pytest.mark.parametrize(("env", "flags"), [({"NO_COLOR": "1"}, []), ({}, ["--plain"])])
def test_no_color_and_plain_reach_the_questions(env: dict[str, str], flags: list[str]) -> None:
    child = spawn("--lang", "en", *flags, env=env)
    child.expect("goes back")  # the first question, drawn in full
    shown = child.before or ""
    child.sendintr()
    finish(child)
    assert not colours(shown)


def colours(screen: str) -> set[str]:
    """The colour parameters of the screen's SGR sequences (bold, reverse… are no colour)."""
    params = {p for sgr in re.findall(r"\x1b\[([0-9;]*)m", screen) for p in sgr.split(";")}
    colour = {str(n) for n in [*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)]}
    return params & colour


def test_colour_reaches_the_questions_when_wanted() -> None:
    child = spawn("--lang", "en")
    child.expect("goes back")
    shown = child.before or ""
    child.sendintr()
    finish(child)
    assert colours(shown)


def test_ticking_have_and_lost_for_one_document_is_said_at_the_question() -> None:
    child = spawn("--lang", "ja", "--as-of", "2026-11-26", "--myna", "no")
    child.expect("手元にあるもの")
    child.send(SPACE + DOWN + SPACE + ENTER)  # 資格確認書: have it, and lost it
    child.expect("どちらか一方だけ")
    child.send(SPACE + ENTER)  # asked again from the top: untick "have", keep "lost"
    child.expect("当てはまるもの")
    child.sendintr()
    assert finish(child) == 130


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_every_choice_is_shown_whole_on_a_narrow_terminal(lang: str, tmp_path: Path) -> None:
    # A choice longer than the screen is wrapped under itself, never cut at the edge.
    msgs = Messages(lang)
    t = Terminal(60, "--lang", lang, "--myna", "no", "--as-of", "2026-11-27", cwd=tmp_path)
    screen = t.wait_for(msgs("question", "doc_old_card"))  # the last choice: all are drawn
    shown = re.sub("〈[^〉]*〉", "", squashed("".join(screen)))  # readings aside
    for key in ("doc_kakuninsho_held", "doc_oshirase_held", "doc_oshirase_lost"):
        assert squashed(msgs("question", key)) in shown, key
    assert not too_wide(screen, 60)
    t.send("\x03")
    assert t.finish()[0] == 130


def test_going_back_takes_the_undone_answer_off_the_screen(tmp_path: Path) -> None:
    msgs = Messages("en")
    q = msgs.section("question")
    t = Terminal(100, "--lang", "en", "--as-of", "2026-11-27", cwd=tmp_path)
    t.wait_for(q["myna"])
    t.send(DOWN + ENTER)  # No
    t.wait_for(q["documents"], q["myna_no"])
    t.send(LEFT)  # back to the first question: its answer is undone
    t.wait_for(q["myna"])
    t.send(UP + ENTER)  # Yes, this time (the cursor starts on the answer undone)
    screen = t.wait_for(q["cert_expiry"], q["myna_yes"])
    said = [line for line in screen if q["myna_title"] in line]
    assert len(said) == 1 and q["myna_yes"] in said[0], screen  # no stale "No" above
    t.send("\x03")
    assert t.finish()[0] == 130
