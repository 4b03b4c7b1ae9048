"""The installed ``kenpo`` at its edges: help in the chosen language, shell completion on
request, and what it says when there is no terminal to ask on."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kenpo_cli.i18n import Messages
from tests.acceptance.test_cli import KENPO, kenpo


@pytest.mark.parametrize("command", [[], ["check"], ["expiry"], ["batch"], ["sources"], ["rules"]])
def test_help_is_japanese_by_default_and_english_on_request(command: list[str]) -> None:
    ja = kenpo(*command, "--help", env={"COLUMNS": "80"})
    assert ja.returncode == 0 and ja.stdout.startswith("使い方:")
    assert "Usage" not in ja.stdout and "Options" not in ja.stdout
    assert "Show this message" not in ja.stdout
    en = kenpo(*command, "--help", env={"KENPO_LANG": "en"})
    assert en.stdout.startswith("Usage:") and "Show this help and exit." in en.stdout


@pytest.mark.parametrize("where", [["--lang", "en", "--help"], ["--help", "--lang=en"]])
def test_lang_on_the_command_line_sets_the_language_of_help(where: list[str]) -> None:
    r = kenpo("check", *where)
    assert r.returncode == 0 and r.stdout.startswith("Usage: kenpo check [OPTIONS]")
    assert "On a terminal it asks a few questions" in r.stdout


def test_lang_on_the_command_line_wins_over_kenpo_lang() -> None:
    r = kenpo("expiry", "--lang", "ja", "--help", env={"KENPO_LANG": "en"})
    assert r.stdout.startswith("使い方:")


def test_lang_before_the_command_sets_help_and_the_command_s_language() -> None:
    # The root help tells newcomers to write `kenpo --lang en check`: it must work.
    root_help = kenpo("--lang", "en", "--help")
    assert root_help.returncode == 0 and root_help.stdout.startswith("Usage: kenpo")
    assert "--lang easy" in root_help.stdout and "--lang" in kenpo("--help").stdout
    r = kenpo("--lang", "en", "check", "--no-input", "--myna", "yes", "--as-of", "2026-11-26")
    assert r.returncode == 0 and r.stdout.startswith("Today (Thu 2026-11-26) you can see a doctor")
    easy = kenpo("--lang", "easy", "expiry", "--date", "2026-01-01")
    assert easy.returncode == 0 and "使えません" in easy.stdout and "2025年12月1日" in easy.stdout
    mine = kenpo("--lang", "en", "check", "--lang", "ja", "--no-input", "--myna", "yes")
    assert mine.stdout.startswith("今日")  # the command's own --lang wins
    bad = kenpo("--lang", "xx", "check")
    assert bad.returncode == 2 and "--lang" in bad.stderr and "ja" in bad.stderr


def test_install_completion_sets_up_bash_and_says_so(tmp_path: Path) -> None:
    r = kenpo("--install-completion", env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert r.returncode == 0, r.stderr
    script = tmp_path / ".bash_completions" / "kenpo.sh"
    assert "_KENPO_COMPLETE" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()
    assert "bash の補完を" in r.stdout and "installed" not in r.stdout


def test_show_completion_prints_the_script() -> None:
    r = kenpo("--show-completion", env={"SHELL": "/bin/bash"})
    assert r.returncode == 0 and "complete_bash" in r.stdout


@pytest.mark.parametrize(
    ("words", "cword", "offered"),
    [
        ("kenpo ex", 1, {"expiry"}),
        ("kenpo check --kaku", 2, {"--kakuninsho", "--kakuninsho-expiry"}),
        ("kenpo check --myna ", 3, {"yes", "no", "unknown", "lost", "found"}),
    ],
)
def test_an_installed_completion_completes_commands_options_and_values(
    words: str, cword: int, offered: set[str]
) -> None:
    env = {"COMP_WORDS": words, "COMP_CWORD": str(cword), "_KENPO_COMPLETE": "complete_bash"}
    r = kenpo(env=env)
    assert r.returncode == 0, r.stderr
    assert set(r.stdout.split()) == offered


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_without_a_terminal_kenpo_says_first_that_it_asked_nothing_and_what_it_assumed(
    lang: str,
) -> None:
    # The first command of the README, pasted where there is no terminal to ask on.
    assert KENPO
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    r = subprocess.run(
        [KENPO, "check", "--as-of", "2026-11-26", "--lang", lang],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order a reader sees it
        text=True,
        env=env,
        timeout=60,
    )
    msgs = Messages(lang)
    assert r.returncode == 0
    assert r.stdout.startswith(msgs.ui("no_terminal"))
    for default in ("--myna no", "--kakuninsho unknown", "--oshirase held"):
        assert default in r.stdout.split(msgs.ui("no_terminal_how"))[0]
    # Then the verdict itself, unchanged.
    verdict = r.stdout.split(msgs.ui("no_terminal_how"))[1]
    # (No マイナ保険証 and the 資格確認書 not said: one was sent, so it is not known yet.)
    headline = msgs.ui("unknown_see_doctor", date="2026-11-26")
    assert headline.replace(" ", "") in "".join(verdict.split())  # as wrapped on screen


def test_the_no_terminal_note_is_left_out_with_no_input() -> None:
    r = kenpo("check", "--no-input", "--as-of", "2026-11-26")
    assert r.returncode == 0 and r.stderr == ""


# kenpo started with no shell among its parents (cron, a launcher, a job whose shell has
# gone): the grandchild of a process that leaves at once, so its parent is not a shell.
_ORPHANED = """
import os, subprocess, sys, time
kenpo, home, out = sys.argv[1:4]
parent = os.getpid()
if os.fork():
    os._exit(0)
while os.getppid() == parent:  # wait until the parent has gone
    time.sleep(0.01)
env = {**os.environ, "HOME": home, "SHELL": "/bin/bash"}
with open(out + ".part", "w") as f:
    r = subprocess.run([kenpo, "--show-completion"], stdout=f, stderr=f, env=env)
    f.write(f"\\nstatus {r.returncode}\\n")
os.replace(out + ".part", out)
"""


def test_completion_without_a_shell_among_the_parents_follows_shell(tmp_path: Path) -> None:
    out = tmp_path / "said.txt"
    assert KENPO
    subprocess.run(
        [sys.executable, "-c", _ORPHANED, KENPO, str(tmp_path), str(out)],
        check=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not out.exists():
        assert time.monotonic() < deadline, "the orphaned kenpo never finished"
        time.sleep(0.05)
    said = out.read_text()
    assert "status 0" in said and "complete_bash" in said, said
