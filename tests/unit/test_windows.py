"""What Windows does differently, simulated here (nothing runs Windows in CI): no
``os.fchmod``, Excel holding the output file open, SIGBREAK for a closed console."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.errors import KenpoError
from kenpo_cli.io import safeio
from tests.inprocess import run_main

STAFF = "社員番号,氏名,マイナ保険証,資格確認書\n1,山田,はい,無\n"


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Files behave as on Windows: a program holding one stops others replacing it, and
    the retries take no time here."""
    monkeypatch.setattr(safeio, "LOCKING", True)
    monkeypatch.setattr(safeio, "RETRY_DELAYS", (0.0, 0.0))
    return monkeypatch


# ---- no os.fchmod (Windows Pythons before 3.13) ---------------------------------------


def test_an_existing_output_is_replaced_without_fchmod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "fchmod", raising=False)
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    out = tmp_path / "結果.csv"
    out.write_text("yesterday\n", encoding="utf-8")
    out.chmod(0o640)
    r = run_main(monkeypatch, ["batch", str(src), "--format", "csv", "-o", str(out)])
    assert r.status == 0, r.stderr
    assert "山田" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the user's mode kept, by path
    assert leftovers(tmp_path) == []


# ---- Excel holds the output -------------------------------------------------------


def _held_by_excel(target: Path, monkeypatch: pytest.MonkeyPatch, times: int) -> list[str]:
    """``os.replace`` onto ``target`` refused ``times`` times, as Windows refuses while
    Excel has the file open; returns the calls made."""
    calls: list[str] = []
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if Path(dst) == target and len(calls) <= times:
            raise PermissionError(errno.EACCES, "Access is denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_a_file_held_open_by_excel_is_one_clear_error_and_nothing_is_lost(
    tmp_path: Path, windows: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    out = tmp_path / "結果.csv"
    out.write_text("yesterday\n", encoding="utf-8")
    calls = _held_by_excel(out, windows, times=99)
    r = run_main(windows, ["batch", str(src), "--format", "csv", "-o", str(out)])
    assert r.status == 2, r.stderr
    assert "結果.csv" in r.stderr and "Excel" in r.stderr and "閉じて" in r.stderr
    assert "Traceback" not in r.stderr
    assert len(calls) == 3  # tried, then retried twice (RETRY_DELAYS)
    assert out.read_text(encoding="utf-8") == "yesterday\n"
    assert leftovers(tmp_path) == []


def test_a_file_let_go_of_within_a_moment_is_replaced(
    tmp_path: Path, windows: pytest.MonkeyPatch
) -> None:
    """An antivirus scanner or OneDrive holds a new file for a moment only."""
    out = tmp_path / "answers.json"
    out.write_text("{}\n")
    _held_by_excel(out, windows, times=2)
    safeio.write_file(out, "new\n")
    assert out.read_text() == "new\n" and leftovers(tmp_path) == []


def test_a_file_excel_holds_is_refused_before_the_work(
    tmp_path: Path, windows: pytest.MonkeyPatch
) -> None:
    """Opening a file Excel shows for writing fails on Windows: kenpo asks first, so a
    long batch is not run for nothing."""
    out = tmp_path / "結果.csv"
    out.write_text("yesterday\n", encoding="utf-8")
    real_open = open

    def sharing_violation(path: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
        if mode == "r+b" and Path(path) == out:
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        return real_open(path, mode, *args, **kw)

    windows.setattr(safeio, "open", sharing_violation, raising=False)
    with pytest.raises(KenpoError) as caught:
        safeio.check_target(out)
    assert caught.value.code == "output_in_use"
    assert leftovers(tmp_path) == [] and out.read_text(encoding="utf-8") == "yesterday\n"


def test_elsewhere_a_refused_rename_is_not_blamed_on_excel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safeio, "LOCKING", False)
    out = tmp_path / "out.json"
    calls = _held_by_excel(out, monkeypatch, times=99)
    with pytest.raises(KenpoError) as caught:
        safeio.write_file(out, "x")
    assert caught.value.code == "output_failed" and len(calls) == 1


# ---- leftovers say what they are ------------------------------------------------------


def test_a_temporary_file_is_named_after_kenpo_and_its_target(tmp_path: Path) -> None:
    target = tmp_path / ("社員の確認結果" * 8 + ".csv")
    with safeio.output_file(target) as out:
        (temp,) = leftovers(tmp_path)
        out.write("x")
    assert temp.startswith(".kenpo-社員の確認結果") and temp.endswith(".tmp")
    assert len(temp) < 60  # a Windows path stays short


# ---- answers files as Notepad saves them ---------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16"])
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_an_answers_file_saved_by_notepad_is_read_like_a_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, suffix: str
) -> None:
    """Notepad saves "ANSI" (cp932 on a Japanese Windows), "Unicode" (UTF-16 with a
    BOM) or UTF-8 with or without a BOM: all are read, as batch reads CSVs."""
    path = tmp_path / f"answers{suffix}"
    body = (
        'myna = "いいえ"\nkakuninsho = "有"  # 資格確認書\n'
        if suffix == ".toml"
        else '{"myna": "いいえ", "kakuninsho": "有"}\r\n'
    )
    path.write_bytes(body.encode(encoding))
    r = run_main(monkeypatch, ["check", "--no-input", "--json", "--answers", str(path)])
    assert r.status == 0, r.stderr
    facts = json.loads(r.stdout)["facts"]
    assert (facts["myna"], facts["kakuninsho"]) == ("no", "held")


def test_an_answers_file_in_no_encoding_kenpo_reads_names_the_ones_it_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(b'myna = "\x81 \xe3\x81"\n')  # neither UTF-8 nor cp932
    r = run_main(monkeypatch, ["check", "--no-input", "--answers", str(path)])
    assert r.status == 2 and "UTF-8, UTF-16 or cp932" in r.stderr, r.stderr


# ---- box lines without termios -------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "code_page", "wide"),
    [
        ({"WT_SESSION": "a1b2"}, 932, False),  # Windows Terminal: box lines one column
        ({}, 932, True),  # the console of a Japanese Windows: two columns
        ({}, 936, True),
        ({}, 437, False),  # a Western console: one column
        ({}, None, True),  # nothing tells: no boxes, which look right either way
        ({"KENPO_AMBIGUOUS_WIDTH": "narrow"}, 932, False),  # the user's word wins
    ],
)
def test_box_lines_on_windows_follow_what_can_be_told(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], code_page: int | None, wide: bool
) -> None:
    from kenpo_cli.cli import terminal

    monkeypatch.setitem(sys.modules, "termios", None)  # import termios: ImportError
    monkeypatch.setattr(terminal, "_console_code_page", lambda: code_page)
    assert terminal.ambiguous_is_wide(env) is wide


def test_no_box_is_drawn_where_the_width_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    from kenpo_cli.cli import app as cli
    from kenpo_cli.cli import terminal

    monkeypatch.setitem(sys.modules, "termios", None)
    monkeypatch.setattr(terminal, "_console_code_page", lambda: None)
    monkeypatch.delenv("WT_SESSION", raising=False)
    monkeypatch.delenv("KENPO_AMBIGUOUS_WIDTH", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    from kenpo_cli.render.formats import OutputFormat

    assert cli._ambiguous_wide(OutputFormat.TEXT) is True  # plain rules, "*" bullets


# ---- data on a Windows console ---------------------------------------------------------


class Console(io.StringIO):
    """A terminal, as far as ``isatty`` says, on a real descriptor."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd


@pytest.mark.parametrize("windows_console", [True, False])
def test_data_on_a_windows_console_goes_through_the_console_as_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, windows_console: bool
) -> None:
    """A Windows console shows text, not bytes: UTF-8 bytes written around it would come
    out in its code page (mojibake). Pipes and files get UTF-8 bytes (the other tests)."""
    monkeypatch.setattr(safeio, "CONSOLE_TAKES_TEXT", windows_console)
    with open(tmp_path / "screen", "wb") as screen:
        console = Console(screen.fileno())
        monkeypatch.setattr(sys, "stdout", console)
        out, own = safeio.stdout_text()
        out.write("資格確認書\n")
        out.flush()
        if own:
            out.close()
    if windows_console:
        assert (out, own) == (console, False) and console.getvalue() == "資格確認書\n"
    else:
        assert own and (tmp_path / "screen").read_bytes() == "資格確認書\n".encode()
