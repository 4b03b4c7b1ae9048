"""What a member sees in a real terminal (pexpect), its screen kept by pyte.

This file has its own small harness: it waits for text on the screen, or for the end
of the output, each with a deadline, and never sleeps a fixed time.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.i18n import Messages
from kenpo_cli.render import view
from kenpo_cli.render.text import display_width, wrap
from tests.acceptance.test_cli import KENPO
from tests.helpers import judge, screen_lines

DOWN, UP, SPACE, ENTER, ESC = "\x1b[B", "\x1b[A", " ", "\r", "\x1b"
DEADLINE = 20.0


def squashed(text: str) -> str:
    return "".join(text.split())


class Screen:
    """``kenpo ARGS`` in a pseudo-terminal of ``columns`` × ``rows``."""

    def __init__(
        self,
        *args: str,
        columns: int = 80,
        rows: int = 24,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "NO_COLOR"))}
        base.update(TERM="xterm", COLUMNS=str(columns), LINES=str(rows))
        base.update(PROMPT_TOOLKIT_NO_CPR="1", **(env or {}))
        assert KENPO
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child: pexpect.spawn[bytes] = pexpect.spawn(
            KENPO, list(args), env=base, cwd=str(cwd) if cwd else None, dimensions=(rows, columns)
        )
        self.everything = b""
        self.ended = False

    def _read(self, wait: float) -> None:
        if self.ended:
            return
        try:
            data = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.ended = True
            return
        self.everything += data
        self.stream.feed(data)

    def lines(self) -> list[str]:
        return screen_lines(self.screen)

    def wait_for(self, *texts: str, seconds: float = DEADLINE) -> list[str]:
        """The screen, once every text is on it (however it is wrapped)."""
        deadline = time.monotonic() + seconds
        while True:
            shown = squashed("".join(self.lines()))
            if all(squashed(t) in shown for t in texts):
                return self.lines()
            if self.ended or time.monotonic() > deadline:
                raise AssertionError(f"not on screen: {texts}\n" + "\n".join(self.lines()))
            self._read(0.1)

    def send(self, keys: str) -> None:
        self.child.send(keys.encode())

    def resize(self, columns: int, rows: int) -> None:
        """The window made ``columns`` wide (the program is told, as by a terminal)."""
        self.screen.resize(rows, columns)
        self.child.setwinsize(rows, columns)

    def finish(self, seconds: float = DEADLINE) -> int:
        """The exit status, once the output has ended (everything read)."""
        deadline = time.monotonic() + seconds
        while not self.ended:
            if time.monotonic() > deadline:
                self.child.terminate(force=True)
                raise AssertionError("still running:\n" + "\n".join(self.lines()))
            self._read(0.2)
        self.child.close()
        assert self.child.exitstatus is not None, self.child.signalstatus
        return int(self.child.exitstatus)


# ---- a list of ticks -------------------------------------------------------------------


def test_enter_on_the_highlighted_item_with_nothing_ticked_ticks_it(tmp_path: Path) -> None:
    q = Messages("en").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "en", "--as-of", "2026-11-26", "--myna", "no"]
    t = Screen(*args, "--save-answers", str(saved))
    t.wait_for(q["documents"], q["ticked_none"])
    t.send(ENTER)  # on the first item, "I have a 資格確認書", without Space
    ticked = Messages("en")("question", "checkbox_ticked", choice=q["doc_kakuninsho_held"])
    t.wait_for(ticked)  # said, and not yet answered: the member may tick more
    t.send(ENTER)
    t.wait_for(q["kakuninsho_expiry"].split("?")[0])
    t.send(ENTER)  # the society's date
    t.wait_for(q["events"])
    t.send(UP)  # to "none of these", the last item
    t.send(ENTER)
    t.wait_for(q["review"])
    t.send(ENTER)
    assert t.finish() == 0
    answers = json.loads(saved.read_text())
    assert answers["kakuninsho"] == "held", answers
    assert answers["status"] == "enrolled" and answers["oshirase"] == "none", answers


def test_none_of_these_is_a_choice_that_unticks_the_others(tmp_path: Path) -> None:
    q = Messages("ja").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "ja", "--as-of", "2026-11-26", "--myna", "no"]
    facts = ["--kakuninsho", "held", "--oshirase", "held", "--old-card", "none"]
    t = Screen(*args, "--save-answers", str(saved), *facts, "--kakuninsho-expiry", "2027-11-30")
    t.wait_for(q["events"], q["ticked_none"])
    t.send(SPACE)  # leaving…
    t.send(UP + SPACE)  # …no: none of these
    t.send(ENTER)
    t.wait_for(q["review"])
    t.send(ENTER)
    assert t.finish() == 0
    answers = json.loads(saved.read_text())
    assert answers["status"] == "enrolled", answers


def test_enter_on_none_of_these_answers_none_whatever_was_ticked(tmp_path: Path) -> None:
    # The hint says: if none applies, choose 「どれもなし」 and press Enter. A tick made
    # before (and regretted) must not be what is recorded.
    q = Messages("ja").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "ja", "--as-of", "2026-11-26", "--myna", "no"]
    t = Screen(*args, "--save-answers", str(saved))
    t.wait_for(q["documents"], q["ticked_none"])
    t.send(SPACE)  # 資格確認書を持っている…
    t.send(UP)  # …then to 「どれもなし」
    t.send(ENTER)
    t.wait_for(q["events"])
    t.send(SPACE + UP + ENTER)  # the same on the events list
    t.wait_for(q["review"])
    t.send(ENTER)
    assert t.finish() == 0
    answers = json.loads(saved.read_text())
    assert answers["kakuninsho"] == "none" and answers["status"] == "enrolled", answers


def test_enter_after_unticking_does_not_tick_again(tmp_path: Path) -> None:
    q = Messages("ja").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "ja", "--as-of", "2026-11-26", "--myna", "no"]
    t = Screen(*args, "--save-answers", str(saved))
    t.wait_for(q["documents"], q["ticked_none"])
    t.send(SPACE + SPACE)  # ticked, and unticked on purpose
    t.send(ENTER)
    t.wait_for(q["checkbox_nothing_ticked"])  # said; nothing ticked behind the member's back
    t.send(ENTER + ENTER)  # and again, twice: still not ticked behind their back
    t.send(UP + ENTER)  # none of these
    t.wait_for(q["events"])
    t.send(UP + ENTER)
    t.wait_for(q["review"])
    t.send(ENTER)
    assert t.finish() == 0
    answers = json.loads(saved.read_text())
    assert answers["kakuninsho"] == "none", answers


LEFT, HOME = "\x1b[D", "\x01"


def test_going_back_keeps_the_ticks_not_yet_confirmed() -> None:
    q = Messages("ja").section("question")
    t = Screen("check", "--lang", "ja", "--as-of", "2026-11-26")
    t.wait_for(q["myna"])
    t.send(DOWN + ENTER)  # いいえ
    t.wait_for(q["documents"], q["ticked_none"])
    t.send(SPACE)  # 資格確認書を持っている, ticked…
    t.send(LEFT)  # …and back to look at the first question
    t.wait_for(q["myna"])
    t.send(ENTER)
    t.wait_for(q["documents"])
    t.send(ENTER)  # the tick is still there: Enter confirms it
    t.wait_for(q["kakuninsho_expiry"].split("？")[0])
    t.send("\x03")
    assert t.finish() == 130


def test_going_back_keeps_the_date_typed(tmp_path: Path) -> None:
    q = Messages("ja").section("question")
    args = ["check", "--lang", "ja", "--as-of", "2026-11-26"]
    t = Screen(*args, "--kakuninsho", "held", "--oshirase", "none", "--old-card", "none")
    asked = q["kakuninsho_expiry"].split("？")[0]
    t.wait_for(q["myna"])
    t.send(DOWN + ENTER)  # いいえ
    t.wait_for(asked)
    t.send("2027-11-30" + HOME + LEFT)  # typed, then ← at the start of the line: back
    t.wait_for(q["myna"])
    t.send(ENTER)
    lines = t.wait_for(asked, "> 2027-11-30")  # the question is drawn before its answer
    assert any("> 2027-11-30" in line for line in lines), "\n".join(lines)
    t.send("\x03")
    assert t.finish() == 130


def test_an_answer_taken_back_after_the_window_narrowed_leaves_nothing_behind() -> None:
    q = Messages("ja").section("question")
    t = Screen("check", "--lang", "ja", "--as-of", "2026-11-26", columns=80)
    t.wait_for(q["myna"])
    t.resize(40, 24)
    t.send(DOWN + DOWN + ENTER)  # カードはあるが、登録したかわからない: a long record
    t.wait_for(q["documents"])
    assert q["myna_unknown"] in squashed("".join(t.lines()))
    t.send(LEFT)  # back: the record goes, all of it
    t.wait_for(q["myna"])
    shown = t.wait_for(q["myna_unknown"])  # the choice itself is on screen again…
    records = [line for line in shown if "1." in line or "わからない" in line]
    assert len(records) <= 1, "\n".join(shown)  # …but not its record above the question
    t.send("\x03")
    assert t.finish() == 130


def test_a_leaving_day_typed_as_not_decided_reaches_the_verdict(tmp_path: Path) -> None:
    # 「未定」 as the 資格喪失日 was exit 70 (内部エラー), the answers lost.
    q = Messages("ja").section("question")
    saved = tmp_path / "mine.json"
    t = Screen("check", "--lang", "ja", "--as-of", "2026-11-26", "--save-answers", str(saved))
    t.wait_for(q["myna"])
    t.send(DOWN + ENTER)  # いいえ
    t.wait_for(q["documents"], q["ticked_none"])
    t.send(UP + ENTER)  # どれもなし
    t.wait_for(q["events"])
    t.send(SPACE + ENTER)  # 退職する・した
    t.wait_for(q["left_on"].split("？")[0])
    t.send("未定" + ENTER)
    t.wait_for(q["dependants"].split("？")[0])  # asked of a leaver: their cards go back too
    t.send(ENTER)  # not known
    t.wait_for(q["review"], q["blank_leaving"])
    t.send(ENTER)
    assert t.finish() == 0
    assert json.loads(saved.read_text())["status"] == "leaving"


# ---- the member's language ---------------------------------------------------------------


def test_an_english_locale_asks_in_english() -> None:
    en = Messages("en").section("question")
    t = Screen("check", "--as-of", "2026-11-26", env={"LANG": "en_US.UTF-8"})
    t.wait_for(en["myna"], en["select_hint"])
    t.send("\x03")
    assert t.finish() == 130


# ---- the verdict on one screen ----------------------------------------------------------

MEMBERS = {
    "myna holder": ["--myna", "yes", "--cert-expiry", "2029-05-01", "--oshirase", "held"],
    "資格確認書 holder": [
        *("--myna", "no", "--kakuninsho", "held", "--kakuninsho-expiry", "2027-11-30"),
        *("--oshirase", "held"),
    ],
    "leaver": [
        *("--myna", "yes", "--cert-expiry", "2029-05-01", "--left-on", "2026-12-01"),
        *("--kakuninsho", "none", "--oshirase", "held"),
    ],
    "lost card": ["--myna", "lost", "--kakuninsho", "none", "--oshirase", "held"],
    "cert expired": ["--myna", "yes", "--cert-expiry", "2026-08-10", "--oshirase", "held"],
}
COMMON = ("myna holder", "資格確認書 holder")


def unread(text: str) -> str:
    """``text`` without the readings やさしい日本語 adds after hard words, squashed."""
    return squashed(re.sub("〈[^〉]*〉", "", text))


def essentials(member: str, lang: str) -> tuple[str, str, str]:
    """The headline, the first step's title and the verdict's last line (its footnote)."""
    verdict = judge("2026-11-26", **facts_of(MEMBERS[member]))
    msgs = Messages(lang)
    shown = view.build(verdict, rulepack.builtin(), msgs)
    return shown.headline, view.step_title(verdict.actions[0], msgs), shown.footnote


def facts_of(flags: list[str]) -> dict[str, str]:
    return {flags[i][2:].replace("-", "_"): flags[i + 1] for i in range(0, len(flags), 2)}


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
@pytest.mark.parametrize("member", list(MEMBERS))
def test_the_headline_and_the_first_step_are_on_the_last_screen(
    member: str, lang: str, columns: int
) -> None:
    headline, first, footnote = essentials(member, lang)
    args = ["check", "--no-input", "--lang", lang, "--as-of", "2026-11-26", *MEMBERS[member]]
    t = Screen(*args, columns=columns, rows=24)
    assert t.finish() == 0
    last = unread("".join(t.lines()))  # the screen as the output left it
    assert unread(headline) in last, "\n".join(t.lines())
    assert unread(first) in last, "\n".join(t.lines())
    if member in COMMON and columns == 80:  # the whole verdict, from its first line
        said = unread(t.everything.decode())
        assert said.count(unread(headline)) == 1, "said again: it did not fit"
        assert unread(footnote) in last
    assert "faq-" not in "".join(t.lines())  # ids mean nothing to a member: --sources


@pytest.mark.parametrize("columns", [60, 80])
def test_the_questions_make_way_for_the_verdict(columns: int) -> None:
    q = Messages("en").section("question")
    headline, first, footnote = essentials("myna holder", "en")
    args = ["check", "--lang", "en", "--as-of", "2026-11-26", "--myna", "yes"]
    t = Screen(*args, "--cert-expiry", "2029-05-01", columns=columns, rows=24)
    t.wait_for(q["documents"])
    t.send(DOWN + DOWN + SPACE + ENTER)  # the お知らせ
    t.wait_for(q["events"])
    t.send(UP + ENTER)  # none of these
    t.wait_for(q["review"], q["review_title"])
    t.send(ENTER)
    t.wait_for(q["save"])
    t.send(ENTER)  # not saved
    assert t.finish() == 0
    last = unread("".join(t.lines()))
    for title in ("review_title", "documents_title", "events_title"):  # the answers are gone
        assert unread(q[title]) not in last, "\n".join(t.lines())
    assert unread(headline) in last and unread(first) in last, "\n".join(t.lines())
    if columns == 80:
        assert unread(footnote) in last


# ---- keys a member may press ------------------------------------------------------------


def test_esc_then_digits_do_not_fill_a_date_box_with_junk(tmp_path: Path) -> None:
    q = Messages("en").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "en", "--as-of", "2026-11-26", "--myna", "yes"]
    t = Screen(*args, "--save-answers", str(saved))
    t.wait_for(q["cert_expiry"].split("?")[0])
    t.send(ESC + "2026-10-15")  # Esc, then the date (prompt_toolkit: a repeat count of 2026)
    screen = t.wait_for("2026-10-15")
    assert "----" not in "".join(screen)
    t.send(ENTER)
    t.wait_for(q["documents"])
    t.send("\x03")
    assert t.finish() == 130


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_narrowed_window_redraws_the_question_and_its_choices_whole(lang: str) -> None:
    q = Messages(lang).section("question")
    args = ["check", "--lang", lang, "--as-of", "2026-11-26", "--myna", "no"]
    t = Screen(*args, columns=120, rows=24)
    labels = [q[key] for key in ("doc_kakuninsho_held", "doc_oshirase_held", "ticked_none")]
    t.wait_for(q["documents"], q["checkbox_hint"], *labels)
    t.resize(50, 24)
    screen = t.wait_for(q["documents"], q["checkbox_hint"], *labels)
    assert max(display_width(line) for line in screen) <= 50
    # The hint wrapped between words at the new width, not cut inside them.
    shown = [line.strip() for line in screen]
    for line in wrap(q["checkbox_hint"], 49):
        assert line.strip() in shown, "\n".join(screen)
    t.send("\x03")
    assert t.finish() == 130


def test_ctrl_c_and_ctrl_d_say_the_same() -> None:
    said = []
    for key in ("\x03", "\x04"):
        t = Screen("check", "--lang", "en", "--as-of", "2026-11-26")
        t.wait_for(Messages("en").section("question")["myna"])
        t.send(key)
        assert t.finish() == 130
        said.append([line for line in t.lines() if line])
    assert said[0] == said[1]
    quit_message = Messages("en").ui("wizard_quit")
    assert squashed(quit_message) in squashed("".join(said[0]))


def test_ctrl_d_with_text_typed_deletes_a_character(tmp_path: Path) -> None:
    q = Messages("en").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "en", "--as-of", "2026-11-26", "--myna", "yes"]
    t = Screen(*args, "--save-answers", str(saved))
    t.wait_for(q["cert_expiry"].split("?")[0])
    t.send("20261")
    t.wait_for("> 20261")
    t.send("\x1b[D\x04")  # ←, then Ctrl-D: the 1 goes
    t.wait_for("> 2026")
    t.send("-10-15" + ENTER)
    t.wait_for(q["documents"])
    t.send(UP + ENTER)  # none of these
    t.wait_for(q["events"])
    t.send(UP + ENTER)
    t.wait_for(q["review"])
    t.send(ENTER)
    assert t.finish() == 0
    assert json.loads(saved.read_text())["cert_expiry"] == "2026-10-15"


def test_a_none_of_these_answer_is_still_none_when_the_member_comes_back_to_it(
    tmp_path: Path,
) -> None:
    # Answered 「どれもなし」, then back with ←: the list comes back with 「どれもなし」
    # ticked, so Enter keeps that answer rather than ticking the first item.
    q = Messages("ja").section("question")
    saved = tmp_path / "mine.json"
    args = ["check", "--lang", "ja", "--as-of", "2026-11-26", "--myna", "no"]
    t = Screen(*args, "--save-answers", str(saved))
    t.wait_for(q["documents"], q["ticked_none"])
    t.send(UP + ENTER)  # none of these
    t.wait_for(q["events"])
    t.send(UP + ENTER)  # none of these
    t.wait_for(q["review"])
    t.send(LEFT)  # back to the last list
    t.wait_for(q["events"])
    t.send(ENTER)
    t.wait_for(q["review"])
    t.send(ENTER)
    assert t.finish() == 0
    answers = json.loads(saved.read_text())
    assert answers["kakuninsho"] == "none" and answers["status"] == "enrolled", answers
