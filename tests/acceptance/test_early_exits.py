"""Exit statuses and messages at the edges: shell completion, names that hold escape
sequences, a closed standard input, long names, read-only places, signals, encodings
kenpo does not read. Never exit 70, never a raw escape sequence, never a ``.tmp`` left."""

from __future__ import annotations

import csv
import errno
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.errors import KenpoError
from kenpo_cli.io import safeio
from tests.acceptance.test_cli import KENPO
from tests.acceptance.test_hostile import ROWS, interrupted_batch, shell, staff

# ---- shell completion is code too: exit 2, never 70 ------------------------------


@pytest.mark.parametrize(
    "env",
    [
        {"_KENPO_COMPLETE": "complete_bash"},  # COMP_WORDS unset
        {"_KENPO_COMPLETE": "complete_bash", "COMP_WORDS": "kenpo ch", "COMP_CWORD": "abc"},
        {"_KENPO_COMPLETE": "complete_bash", "COMP_WORDS": "kenpo", "COMP_CWORD": "9"},
        {"_KENPO_COMPLETE": "bogus"},
        {"_KENPO_COMPLETE": "complete_tcsh"},
        {"_KENPO_COMPLETE": "finish_bash"},
    ],
)
def test_a_broken_completion_request_is_exit_2(tmp_path: Path, env: dict[str, str]) -> None:
    r = shell("$KENPO", tmp_path, **env)
    assert r.returncode in (0, 2), r.stderr
    assert "内部エラー" not in r.stderr and "Traceback" not in r.stderr
    if r.returncode == 2:
        assert "COMP_WORDS" in r.stderr or "_KENPO_COMPLETE" in r.stderr, r.stderr
    if "COMP_WORDS" not in env:
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr


@pytest.mark.parametrize(
    ("setup", "args"),
    [
        ("mkdir -p home/.bashrc", "--install-completion bash"),
        ("mkdir -p home && touch home/.bash_completions", "--install-completion bash"),
        ("mkdir -p home", "--install-completion tcsh"),
    ],
)
def test_a_completion_that_cannot_be_installed_is_exit_2(
    tmp_path: Path, setup: str, args: str
) -> None:
    r = shell(f"{setup} && HOME=$PWD/home SHELL=/bin/bash $KENPO {args}", tmp_path)
    assert r.returncode == 2, r.stderr
    assert "内部エラー" not in r.stderr and len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("args", ["--install-completion bash", "--install-completion"])
def test_completion_is_not_installed_through_a_symlinked_start_up_file(
    tmp_path: Path, args: str
) -> None:
    """A dotfile manager's ~/.bashrc link: kenpo would append to whatever it points to."""
    (tmp_path / "home").mkdir()
    (tmp_path / "dotfiles").write_text("# mine\n")
    (tmp_path / "home" / ".bashrc").symlink_to(tmp_path / "dotfiles")
    r = shell(f"HOME=$PWD/home SHELL=/bin/bash $KENPO {args}", tmp_path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert ".bashrc" in r.stderr and "--show-completion" in r.stderr
    assert (tmp_path / "dotfiles").read_text() == "# mine\n"
    assert not (tmp_path / "home" / ".bash_completions").exists()


def test_completion_is_not_installed_into_a_home_that_does_not_exist(tmp_path: Path) -> None:
    r = shell("HOME=$PWD/nobody/home SHELL=/bin/bash $KENPO --install-completion bash", tmp_path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "nobody/home" in r.stderr
    assert not (tmp_path / "nobody").exists()


def test_install_completion_names_the_shell_it_installs(tmp_path: Path) -> None:
    """`--install-completion powershell` installs PowerShell's (or says why it cannot),
    never bash's because bash is the shell running it."""
    r = shell(
        "mkdir home && HOME=$PWD/home SHELL=/bin/bash $KENPO --install-completion pwsh", tmp_path
    )
    assert not (tmp_path / "home" / ".bash_completions").exists()
    assert r.returncode in (0, 2) and "内部エラー" not in r.stderr
    if r.returncode == 0:
        assert "pwsh" in r.stdout


# ---- every message that names a file escapes it ----------------------------------

_NAME = "e\x1b]0;x\x07"


def _raw_controls(text: str) -> bool:
    return "\x1b" in text or "\x07" in text


@pytest.mark.parametrize(
    "script",
    [
        f"$KENPO check --myna yes --save-answers $'{_NAME}.toml' < /dev/null",  # saved in …
        f"ulimit -f 1; $KENPO batch big.csv -o $'{_NAME}.jsonl'",  # nothing written to …
        f"ulimit -f 1; $KENPO batch big.csv --ics $'{_NAME}.ics' --ics-all > /dev/null",
        f"cp big.csv $'{_NAME}.csv' && $KENPO batch $'{_NAME}.csv' > /dev/null",  # reading …
        f"$KENPO check --no-input --answers $'{_NAME}.toml'",
        f"$KENPO batch staff.csv -o $'{_NAME}/x'",
    ],
)
def test_a_file_name_with_an_escape_sequence_never_reaches_the_terminal_raw(
    tmp_path: Path, script: str
) -> None:
    staff(tmp_path)
    staff(tmp_path, [f"{n},名前,いいえ,有,R20.3.31," for n in range(3000)], "big.csv")
    r = shell(script, tmp_path)
    assert r.stderr and not _raw_controls(r.stderr), repr(r.stderr)
    assert "\\x1b" in r.stderr, r.stderr
    assert r.returncode != 70


# ---- a closed standard input is not an empty file ---------------------------------


@pytest.mark.parametrize(
    "script", ["$KENPO check --no-input --answers - <&-", "$KENPO batch - <&-"]
)
def test_a_closed_standard_input_is_said_to_be_closed(tmp_path: Path, script: str) -> None:
    r = shell(script, tmp_path)
    assert r.returncode == 2 and "閉じられています" in r.stderr, r.stderr


# ---- a long name, the longest a file system takes --------------------------------


def test_a_name_near_the_file_systems_limit_is_written(tmp_path: Path) -> None:
    staff(tmp_path)
    long = "給" * 80  # 240 bytes of UTF-8: with ".csv", 244 of the 255 a name may have
    r = shell(
        f"$KENPO batch staff.csv -o {long}.csv --format csv --ics {long}.ics"
        f" && $KENPO check --no-input --save-answers {long}.tom",
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    with (tmp_path / f"{long}.csv").open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 1 + len(ROWS)
    assert (tmp_path / f"{long}.ics").exists() and (tmp_path / f"{long}.tom").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# ---- a read-only place is said to be read-only ------------------------------------


def test_a_file_on_a_read_only_file_system_is_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("earlier\n")

    class ReadOnly:
        f_flag = getattr(os, "ST_RDONLY", 1)

    def statvfs(path: Any) -> ReadOnly:
        return ReadOnly()

    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    monkeypatch.setattr(os, "statvfs", statvfs)
    with pytest.raises(KenpoError) as caught:
        safeio.check_target(target)
    assert caught.value.params["reason"].startswith("errno:EROFS:")
    assert target.read_text() == "earlier\n"


def test_a_read_only_file_is_still_no_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("earlier\n")
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(KenpoError) as caught:
        safeio.check_target(target)
    assert caught.value.params["reason"] == f"errno:EACCES:{os.strerror(errno.EACCES)}"


# ---- every catchable signal that would end kenpo cleans up ------------------------


@pytest.mark.parametrize(
    "sig",
    [
        signal.SIGUSR1,
        signal.SIGUSR2,
        signal.SIGALRM,
        signal.SIGQUIT,
        signal.SIGPROF,
        signal.SIGABRT,
        signal.SIGTRAP,
        signal.SIGSYS,
        *((signal.SIGRTMIN, signal.SIGRTMAX) if hasattr(signal, "SIGRTMIN") else ()),
    ],
)
def test_a_signal_that_ends_kenpo_leaves_no_temporary_file(tmp_path: Path, sig: int) -> None:
    # The run reads standard input that stays open and is signalled once its temporary
    # file is there (tests/acceptance/test_hostile.py): it can neither finish first nor
    # be signalled before it has begun.
    out = tmp_path / "out.csv"
    out.write_text("earlier\n")
    status, err = interrupted_batch(tmp_path, out, sig, "--format", "csv")
    assert status == 130, err
    assert out.read_text() == "earlier\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


_TERM_AT_LOAD = """
import builtins, os, signal, sys
from kenpo_cli.cli import entry
real = builtins.__import__
def loading(name, *args, **kwargs):
    if name == "kenpo_cli.cli.app":
        os.kill(os.getpid(), signal.SIGTERM)
    return real(name, *args, **kwargs)
builtins.__import__ = loading
sys.argv = ["kenpo", "check", "--no-input"]
entry.main()
"""


def test_sigterm_while_kenpo_loads_is_130_not_143() -> None:
    python = Path(str(KENPO)).parent / "python"
    r = subprocess.run(
        [str(python), "-c", _TERM_AT_LOAD], capture_output=True, text=True, timeout=60, cwd="/"
    )
    assert r.returncode == 130 and "Traceback" not in r.stderr, r.stderr


_AFTER_THE_RUN = """
import gc, os, signal, sys
from kenpo_cli.cli import app, entry
def command():
    print("collecting", gc.isenabled(), "set aside", gc.get_freeze_count() > 1000)
app.main = command
sys.argv = ["kenpo", "check", "--no-input"]
entry.main()
os.kill(os.getpid(), signal.SIGTERM)
print("still here")
"""


def test_the_command_runs_collecting_and_a_signal_after_it_changes_nothing() -> None:
    # The start-up objects are set aside, and collection is back on for the command (a
    # batch of a million rows must not keep its garbage). A kill that comes once the
    # command has ended and said so leaves its exit status alone.
    python = Path(str(KENPO)).parent / "python"
    r = subprocess.run(
        [str(python), "-c", _AFTER_THE_RUN], capture_output=True, text=True, timeout=60, cwd="/"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["collecting True set aside True", "still here"]


# ---- encodings kenpo does not read --------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "mark", "name"),
    [
        ("utf-32", b"", "UTF-32"),
        ("utf-32-le", b"", "UTF-32"),
        ("utf-32-be", b"", "UTF-32"),
        ("gb18030", b"\x84\x31\x95\x33", "GB18030"),
        ("utf-7", b"+/v8-", "UTF-7"),
    ],
)
def test_an_encoding_kenpo_does_not_read_is_named(
    tmp_path: Path, encoding: str, mark: bytes, name: str
) -> None:
    text = "\n".join(["社員番号,氏名,マイナ保険証,資格確認書,資格喪失日,備考", *ROWS]) + "\n"
    (tmp_path / "staff.csv").write_bytes(mark + text.encode(encoding))
    r = shell("$KENPO batch staff.csv", tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert name in r.stderr and "見出し" not in r.stderr, r.stderr


# ---- messages that say what is wrong ---------------------------------------------


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("$KENPO batch staff.csv -o ''", "-o の値が空"),
        ("$KENPO batch staff.csv --ics ''", "--ics の値が空"),
        ("$KENPO check --no-input --save-answers ''", "--save-answers の値が空"),
        ("$KENPO check --no-input --save-answers=", "--save-answers の値が空"),
        ("$KENPO batch staff.csv -o out.csv/", "out.csv/ は末尾が /"),
        ("$KENPO batch staff.csv --ics kenpo.ics/", "kenpo.ics/ は末尾が /"),
        ("setsid $KENPO batch staff.csv -o /dev/tty < /dev/null", "端末なし"),
    ],
)
def test_an_output_named_wrongly_is_said_so(tmp_path: Path, script: str, said: str) -> None:
    """Not '. is a folder' for an empty value, nor out.csv written for out.csv/, nor 'a
    disk' for /dev/tty without a terminal."""
    staff(tmp_path)
    r = shell(script, tmp_path)
    assert r.returncode == 2 and said in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv"]


def test_blank_lines_above_the_header_are_not_an_empty_file(tmp_path: Path) -> None:
    src = staff(tmp_path)
    src.write_text("\n" * 15 + src.read_text("utf-8"), encoding="utf-8")
    r = shell("$KENPO batch staff.csv", tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == len(ROWS)


def test_an_empty_first_sheet_is_passed_over_and_named(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "表紙"
    book.save(tmp_path / "cover.xlsx")  # the empty sheet alone
    data = book.create_sheet("社員一覧")
    for row in csv.reader(staff(tmp_path).read_text("utf-8").splitlines()):
        data.append(row)
    book.save(tmp_path / "staff.xlsx")
    r = shell("$KENPO batch staff.xlsx", tmp_path)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == len(ROWS), r.stderr
    assert "シート「表紙」には見出し行がない" in r.stderr and "「社員一覧」を読みました" in r.stderr
    assert r.stdout == shell("$KENPO batch staff.xlsx --sheet 社員一覧", tmp_path).stdout
    r = shell("$KENPO batch cover.xlsx", tmp_path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "'表紙' は空" in r.stderr and "CSV" not in r.stderr


def test_a_byte_that_is_no_cp932_character_is_shown_as_itself(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_bytes('myna = "はい'.encode("cp932") + b'\xff"\n')
    r = shell("$KENPO check --no-input --answers mine.toml", tmp_path)
    assert r.returncode == 2 and "\\xff" in r.stderr, r.stderr
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in r.stderr)
