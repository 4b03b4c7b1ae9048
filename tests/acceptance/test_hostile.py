"""The installed command against hostile files, streams, environments and arguments.

Nothing is lost (an output file is whole or untouched, never the input), nothing is
leaked (no valid マイナンバー in any output), and bad input or a hostile environment
ends with a clear exit 2 (or just works), never exit 70 and never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.core import rulepack
from tests.acceptance.test_cli import KENPO, kenpo
from tests.helpers import default_signals

VALID = "123456789018"  # a マイナンバー's shape and check digit
HEADER = "社員番号,氏名,マイナ保険証,資格確認書,資格喪失日,備考"
ROWS = ["1001,髙橋 一郎,はい,無,,", "1002,山﨑 花子,いいえ,有,R8.10.16,", "1003,佐藤,yes,held,,"]


def shell(script: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash with ``$KENPO`` set, for redirections Python cannot express."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    full.update(env, KENPO=shlex.quote(str(KENPO)))
    return subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
    )


def staff(tmp_path: Path, rows: list[str] = ROWS, name: str = "staff.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# ---- nothing lost ---------------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "hard link", "another path", "stdin"])
def test_output_that_is_the_input_is_refused_before_anything_is_written(
    tmp_path: Path, how: str
) -> None:
    src = staff(tmp_path)
    before = src.read_bytes()
    if how == "hard link":
        os.link(src, tmp_path / "copy.csv")
    target = {"same": "staff.csv", "hard link": "copy.csv", "another path": "./x/../staff.csv"}
    (tmp_path / "x").mkdir()
    if how == "stdin":
        r = shell("$KENPO batch - -o staff.csv < staff.csv", tmp_path)
    else:
        r = shell(f"$KENPO batch staff.csv -o {target[how]}", tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert "入力ファイル" in r.stderr and len(r.stderr.splitlines()) == 1
    assert src.read_bytes() == before


@pytest.mark.parametrize(
    "script",
    [
        "$KENPO check --no-input --rules pack.toml --ics pack.toml",
        "$KENPO check --no-input --rules pack.toml --save-answers pack.toml",
        "$KENPO batch staff.csv --rules pack.toml -o pack.toml",
        "$KENPO batch staff.csv --rules pack.toml --ics ./pack.toml",
        "KENPO_RULES=pack.toml $KENPO check --no-input --ics pack.toml",
        "$KENPO check --no-input --answers mine.toml --save-answers mine.toml",
        "$KENPO check --no-input --answers - --save-answers mine.toml < mine.toml",
    ],
)
def test_no_output_replaces_a_rule_pack_or_answers_file_being_read(
    tmp_path: Path, script: str
) -> None:
    staff(tmp_path)
    pack = tmp_path / "pack.toml"
    pack.write_text(kenpo("rules", "show", "--toml").stdout, encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text('myna = "yes"\n', encoding="utf-8")
    before = pack.read_bytes(), mine.read_bytes()
    r = shell(script, tmp_path)
    assert r.returncode == 2 and "入力ファイル" in r.stderr, r.stderr
    assert (pack.read_bytes(), mine.read_bytes()) == before


def test_appending_stdout_to_the_input_is_refused(tmp_path: Path) -> None:
    src = staff(tmp_path)
    before = src.read_bytes()
    r = shell("$KENPO batch staff.csv >> staff.csv", tmp_path)
    assert r.returncode == 2 and src.read_bytes() == before


def interrupted_batch(
    tmp_path: Path, out: Path, sig: int, *flags: str, command: list[str] | None = None
) -> tuple[int, str]:
    """``kenpo batch - -o out`` sent ``sig`` while it is still reading its rows.

    Its input never ends before the signal (standard input stays open), and the signal
    goes once the run has shown it started writing (its temporary file is there), so a
    fast machine cannot finish first and a slow one cannot be signalled at start-up.
    """
    err = tmp_path / "stderr.txt"
    with err.open("wb") as stderr:
        proc = subprocess.Popen(
            [*(command or [str(KENPO)]), "batch", "-", "-o", str(out), *flags],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=tmp_path,
            preexec_fn=default_signals,  # (a run under nohup ignores SIGHUP)
        )
    assert proc.stdin
    try:
        proc.stdin.write("\n".join([HEADER, *ROWS * 700, ""]).encode())
        proc.stdin.flush()
        # Deadlines, not waits: generous, as a loaded 2-core machine starts slowly.
        deadline = time.monotonic() + 180
        while not others(tmp_path, out, err) and proc.poll() is None:
            assert time.monotonic() < deadline, "the run never started writing"
            time.sleep(0.01)
        proc.send_signal(sig)
        status = proc.wait(timeout=180)
    finally:
        proc.kill()
        proc.stdin.close()
    return status, err.read_text(encoding="utf-8")


def others(tmp_path: Path, *known: Path) -> list[str]:
    """The files in ``tmp_path`` other than ``known``: what a run left behind."""
    return sorted(p.name for p in tmp_path.iterdir() if p not in known)


def test_an_interrupted_batch_leaves_the_earlier_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("earlier result\n")
    status, err = interrupted_batch(tmp_path, out, signal.SIGINT)  # Ctrl-C
    assert status == 130, err
    assert out.read_text() == "earlier result\n"
    assert others(tmp_path, out, tmp_path / "stderr.txt") == []  # no temporary file left
    assert "out.jsonl" in err and "Traceback" not in err


def test_a_symlink_output_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    staff(tmp_path)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    precious.chmod(0o644)
    (tmp_path / "out.jsonl").symlink_to(precious)
    r = shell("$KENPO batch staff.csv -o out.jsonl", tmp_path)
    assert r.returncode == 2 and "シンボリックリンク" in r.stderr
    assert precious.read_text() == "keep me\n"
    assert stat.S_IMODE(precious.stat().st_mode) == 0o644


def test_dev_null_as_output_keeps_its_mode(tmp_path: Path) -> None:
    staff(tmp_path)
    before = stat.S_IMODE(os.stat(os.devnull).st_mode)
    r = shell(f"$KENPO batch staff.csv -o {os.devnull}", tmp_path)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(os.stat(os.devnull).st_mode) == before


def test_dash_as_output_means_standard_output(tmp_path: Path) -> None:
    staff(tmp_path)
    r = shell("$KENPO batch staff.csv -o - --format csv --codes", tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("\ufeffrow,")
    assert not (tmp_path / "-").exists()


def test_answers_from_standard_input_and_save_answers_replaced_whole(tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text("old\n")
    saved.chmod(0o640)  # the user's own file: kenpo replaces it whole but keeps its mode
    r = kenpo(
        "check",
        "--no-input",
        "--json",
        "--answers",
        "-",
        "--save-answers",
        str(saved),
        stdin='{"myna": "yes", "as_of": "2026-11-26"}',
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["facts"]["myna"] == "yes"
    assert json.loads(saved.read_text())["myna"] == "yes"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch staff.csv -o /dev/full",
        "$KENPO batch staff.csv > /dev/full",
        "$KENPO check --no-input --json > /dev/full",
        "$KENPO check --no-input --save-answers /dev/full",
    ],
)
def test_a_full_device_is_one_clear_line(tmp_path: Path, script: str) -> None:
    staff(tmp_path)
    r = shell(script, tmp_path)
    assert r.returncode == 2, r.stderr
    assert (
        len(r.stderr.strip().splitlines()) == 1 and "ディスクの空きがありません" in r.stderr
    )  # in the user's language


# ---- streams --------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch big.csv | head -1",
        "$KENPO batch big.csv --format csv | head -c 10",
        "$KENPO check --no-input --json --as-of 2026-11-26 | head -c1",
        "$KENPO rules show --toml | head -1",
        "$KENPO --help | head -1",
    ],
)
def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path, script: str) -> None:
    staff(tmp_path, [f"{n},名前,はい,無,," for n in range(50_000)], "big.csv")
    r = shell(f"{script} > /dev/null; echo ${{PIPESTATUS[0]}}", tmp_path)
    assert r.stderr == "" and r.stdout == "0\n", (r.stdout, r.stderr)


@pytest.mark.parametrize(
    ("script", "status"),
    [
        ("$KENPO check --no-input --json >&-", 0),
        ("$KENPO check --no-input --json 2>&-", 0),
        ("$KENPO check --no-input --json --myna maybe 2>&-", 2),
        ("$KENPO batch - <&-", 2),
        ("$KENPO check --no-input --answers - <&-", 2),  # closed: not an empty file
        ("$KENPO batch staff.csv -o out.jsonl >&- 2>&-", 0),
        ("$KENPO check --no-input <&- >&- 2>&-", 0),
    ],
)
def test_closed_standard_streams(tmp_path: Path, script: str, status: int) -> None:
    staff(tmp_path)
    r = shell(script, tmp_path)
    assert r.returncode == status, r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
    if "-o out.jsonl" in script:  # fd 1 closed must not become the output file
        assert len(jsonl((tmp_path / "out.jsonl").read_text())) == len(ROWS)


def run_bytes(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    return subprocess.run(
        [str(KENPO), *args],
        capture_output=True,
        env={**full, **env},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp932"])
def test_consoles_that_cannot_carry_every_character(tmp_path: Path, encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding}
    for args in (
        ["check", "--no-input", "--plain", "--lang", "en", "--myna", "yes"],  # has 電子証明書
        ["check", "--no-input", "--plain", "--lang", "ja", "--kakuninsho", "held"],
        ["sources", "--lang", "en"],
        ["check", "--no-input", "--lang", "ja", "--myna", "たぶん"],
    ):
        r = run_bytes(args, env)
        assert r.returncode in (0, 2), (args, r.stderr)
        # What reaches the console is text in the console's own encoding.
        out, err = r.stdout.decode(encoding), r.stderr.decode(encoding)
        assert "Traceback" not in err and out + err
    # Data files are UTF-8 whatever the console: every name comes back as it was.
    src = staff(tmp_path, ["1,𠮷野 😀,はい,無,,", "2,Émile—Ω,no,held,,"])
    r = run_bytes(["batch", str(src)], env)
    assert r.returncode == 0, r.stderr
    assert [o["氏名"] for o in jsonl(r.stdout.decode("utf-8"))] == ["𠮷野 😀", "Émile—Ω"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_a_closed_terminal_clean_up_like_ctrl_c(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "out.csv"
    out.write_text("earlier\n")
    status, err = interrupted_batch(tmp_path, out, sig, "--format", "csv")
    assert status == 130, err
    assert out.read_text() == "earlier\n"
    assert others(tmp_path, out, tmp_path / "stderr.txt") == []
    assert "Traceback" not in err


# Windows has no SIGHUP: Ctrl-Break and a closed console window come as SIGBREAK, which
# Linux lacks. Here SIGUSR1 stands in for it.
_AS_ON_WINDOWS = """
import signal, sys
signal.SIGBREAK = signal.SIGUSR1
from kenpo_cli.cli.entry import main
main()
"""


def test_ctrl_break_or_a_closed_console_on_windows_clean_up_like_ctrl_c(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("earlier\n")
    kenpo_as_on_windows = [sys.executable, "-c", _AS_ON_WINDOWS]
    status, err = interrupted_batch(
        tmp_path, out, signal.SIGUSR1, "--format", "csv", command=kenpo_as_on_windows
    )
    assert status == 130, err
    assert out.read_text() == "earlier\n"
    assert others(tmp_path, out, tmp_path / "stderr.txt") == []


# Ctrl-C while the modules load, or while Python shuts down after the command: the
# command's own handler is not there, so kenpo.entry must keep the traceback away.
_AT_LOAD = """
import builtins, os, signal, sys
from kenpo_cli.cli import entry
real = builtins.__import__
def loading(name, *args, **kwargs):
    if name == "kenpo_cli.cli.app":
        os.kill(os.getpid(), signal.SIGINT)
    return real(name, *args, **kwargs)
builtins.__import__ = loading
sys.argv = ["kenpo", "check", "--no-input"]
entry.main()
"""
_AT_EXIT = """
import atexit, os, signal, sys
from kenpo_cli.cli import entry
atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))
sys.argv = ["kenpo", "check", "--no-input"]
entry.main()
"""


@pytest.mark.parametrize(("script", "status"), [(_AT_LOAD, 130), (_AT_EXIT, 0)])
def test_ctrl_c_before_and_after_the_command_is_quiet(script: str, status: int) -> None:
    python = Path(str(KENPO)).parent / "python"
    r = subprocess.run(
        [str(python), "-c", script], capture_output=True, text=True, timeout=60, cwd="/"
    )
    assert r.returncode == status
    assert "Traceback" not in r.stderr and "KeyboardInterrupt" not in r.stderr, r.stderr


# ---- batch: one bad row never costs another -------------------------------------


def test_every_record_comes_back_once_whatever_is_wrong_with_its_neighbours(
    tmp_path: Path,
) -> None:
    rows = [
        "1,a,はい,無,,",
        '2,b,はい,無,,"a stray quote that never closes',
        "3,c,いいえ,有,,",
        f"4,d,はい,無,,{'x' * 140_000}",  # over csv's own field limit: read all the same
        "5,e,はい,無,1500-12-31,",  # off the calendar kenpo accepts (9999-12-31 is "no end")
        "6,f,はい,無,0001-01-01,",
        '7,g,いいえ,有,,"quoted, with a comma"',
        "8,h,いいえ,有,,",
    ]
    r = kenpo("batch", str(staff(tmp_path, rows)), "--as-of", "2026-11-26")
    assert r.returncode == 3, r.stderr
    out = jsonl(r.stdout)
    assert [o["社員番号"] for o in out] == [str(n) for n in range(1, 9)]
    errors = {o["社員番号"]: o.get("error", "") for o in out}
    assert "引用符" in errors["2"] and len(out[3]["備考"]) == 140_000
    assert "1868" in errors["5"] and "資格喪失日" in errors["6"]
    assert [n for n, e in errors.items() if not e] == ["1", "3", "4", "7", "8"]
    assert "8行を処理（エラー 3行）" in r.stderr


def test_my_number_columns_are_dropped_and_stderr_says_so(tmp_path: Path) -> None:
    header = ",".join(
        [
            "社員番号",
            "マイナンバー（個人番号）",
            "個人番号 (12桁)",
            "マイナ保険証",
            "my number",
            "マイナンバーカード",
        ]
    )
    path = tmp_path / "hr.csv"
    path.write_text(f"{header}\n1,{VALID},{VALID},はい,{VALID},有\n", encoding="utf-8")
    r = kenpo("batch", str(path), "--as-of", "2026-11-26")
    assert r.returncode == 0, r.stderr
    row = jsonl(r.stdout)[0]
    assert set(row) >= {"社員番号", "マイナンバーカード"}
    assert not any("個人番号" in k or "マイナンバー（" in k or "my number" in k for k in row)
    assert "マイナンバー（個人番号）" in r.stderr and "my number" in r.stderr
    assert VALID not in r.stdout + r.stderr


def test_control_characters_reach_the_terminal_escaped(tmp_path: Path) -> None:
    r = kenpo("check", "--no-input", "--myna", "\x1b[2J\x07yes\u202e")
    assert r.returncode == 2
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr and "\u202e" not in r.stderr
    assert "\\x1b[2J\\x07yes\\u202e" in r.stderr
    path = staff(tmp_path, ["1,\x1b]0;title\x07,maybe\x1b[31m,無,,"])
    r = kenpo("batch", str(path), "--format", "csv")
    assert "\x1b" not in r.stderr
    assert "\x1b]0;title\x07" in r.stdout  # a CSV cell keeps its text for the spreadsheet
    r = kenpo("batch", str(path))
    assert json.loads(r.stdout)["氏名"] == "\x1b]0;title\x07"  # JSON escapes it


def test_batch_rows_on_a_terminal_show_escape_sequences_without_running_them(
    tmp_path: Path,
) -> None:
    import pexpect

    path = staff(tmp_path, ["1,\x1b]0;title\x07\u202e\x9b2J,はい,無,,"])
    for fmt in ("csv", "jsonl"):
        child = pexpect.spawn(
            str(KENPO), ["batch", str(path), "--format", fmt], encoding="utf-8", timeout=20
        )
        child.expect(pexpect.EOF)
        shown = str(child.before)
        assert not {"\x1b", "\x07", "\u202e", "\x9b"} & set(shown), (fmt, shown)
        assert "title" in shown and "2J" in shown


def test_json_lines_keep_bidi_and_c1_characters_as_escapes(tmp_path: Path) -> None:
    path = staff(tmp_path, ["1,a\u202eb\x9bc,はい,無,,"])
    r = kenpo("batch", str(path))
    assert "\u202e" not in r.stdout and "\x9b" not in r.stdout and "\\u202e" in r.stdout
    assert json.loads(r.stdout)["氏名"] == "a\u202eb\x9bc"


# ---- dates, answers files and rule packs -----------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--as-of", "9999-12-31"),
        ("--left-on", "0001-01-01"),
        ("--cert-expiry", "1867-12-31"),
        ("--joined-on", "２２００／０１／０１"),
    ],
)
def test_dates_off_the_calendar_are_one_clear_error(option: str, value: str) -> None:
    r = kenpo("check", "--no-input", "--json", option, value)
    assert r.returncode == 2 and r.stdout == ""
    assert option in r.stderr and "2026-11-26" in r.stderr and "1868" in r.stderr


@pytest.mark.parametrize("value", ["9999-12-31", "2199-12-31"])
def test_expiry_at_the_edge_of_the_calendar(value: str) -> None:
    r = kenpo("expiry", "--json", "--date", "2199-12-31", "--cert-expiry", value)
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr
    assert (r.returncode == 0) == (value == "2199-12-31")


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("far kakuninsho_expiry", ("value = 2027-11-30", "value = 9999-12-31")),
        ("ancient transition", ("value = 2024-12-02", "value = 0001-01-01")),
        ("escape in a question", ('question.ja = "', 'question.ja = "\\u001b[31m')),
        ("bidi in a name", ('name.ja = "', 'name.ja = "\\u202e')),
        ("5000-digit integer", ("value = 3\n", "value = " + "9" * 5000 + "\n")),
        ("deep array", ("[pack]", "x = " + "[" * 50_000 + "\n[pack]")),
    ],
)
def test_hostile_rule_packs_are_one_clear_error(
    tmp_path: Path, name: str, edit: tuple[str, str]
) -> None:
    text = rulepack.builtin_text()
    assert edit[0] in text, name
    pack = tmp_path / "pack.toml"
    pack.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    commands = (["expiry", "--json"], ["check", "--no-input", "--myna", "yes"], ["sources"])
    r = kenpo(*commands[len(name) % 3], "--rules", str(pack))
    assert r.returncode == 2, (name, r.stderr)
    assert len(r.stderr.splitlines()) == 1 and len(r.stderr) < 400
    assert "\x1b" not in r.stderr and "\u202e" not in r.stderr


@pytest.mark.parametrize("option", ["--answers", "--rules"])
def test_endless_or_huge_files_are_read_only_up_to_a_cap(tmp_path: Path, option: str) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * (3 << 20) + b"\n")
    for source in ("/dev/zero", str(huge)):
        r = kenpo("check", "--no-input", option, source)
        assert r.returncode == 2 and "1 MiB" in r.stderr and len(r.stderr) < 400


def test_answers_file_that_is_deep_or_has_a_huge_number(tmp_path: Path) -> None:
    for content in ("[" * 100_000, '{"myna": ' + "9" * 5000 + "}", '{"myna": ' + "9" * 4000 + "}"):
        path = tmp_path / "a.json"
        path.write_text(content)
        r = kenpo("check", "--no-input", "--answers", str(path))
        assert r.returncode == 2 and len(r.stderr) < 400, r.stderr[:300]


# ---- the command line ----------------------------------------------------------


def test_a_usage_error_is_one_line_from_the_installed_command() -> None:
    # Every kind of usage error is tried in tests/unit/test_fuzz_cli.py (in-process).
    r = kenpo("check", "--zzz")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "kenpo: エラー: 不明なオプション --zzz（kenpo check --help で一覧）\n"
    r = kenpo("check", "--no-input", "extra", env={"KENPO_LANG": "english"})
    assert r.stderr == "kenpo: error: unexpected argument: extra (see kenpo check --help)\n"


def test_help_and_version_are_as_before() -> None:
    r = kenpo("--help", env={"KENPO_LANG": "en"})
    assert r.returncode == 0 and r.stdout.startswith("Usage: kenpo [OPTIONS] COMMAND")
    r = kenpo("check", "--help")
    assert r.returncode == 0 and "--save-answers" in r.stdout
    r = kenpo("--version")
    assert r.returncode == 0 and re.fullmatch(r"kenpo \d+\.\d+\.\d+\n", r.stdout)
    r = kenpo(env={"KENPO_LANG": "en"})
    assert r.returncode == 2 and "Commands:" in r.stdout + r.stderr


LEAVER_FLAGS = "--no-input --as-of 2026-11-26 --left-on 2026-12-31 --kakuninsho held"


@pytest.mark.parametrize(
    "script",
    [
        f"$KENPO check {LEAVER_FLAGS} --json --save-answers /dev/stdout | cat",
        f"$KENPO check {LEAVER_FLAGS} --json --ics /dev/stdout | cat",
        f"$KENPO check {LEAVER_FLAGS} --json --ics - | cat",
        f"$KENPO check {LEAVER_FLAGS} --json --ics /proc/self/fd/1 > out.json",
        "$KENPO batch staff.csv --ics /dev/stdout | cat",
    ],
)
def test_a_second_output_into_standard_output_is_refused(tmp_path: Path, script: str) -> None:
    # The verdict's JSON (or the rows) must stay the only thing on standard output.
    staff(tmp_path)
    r = shell("set -o pipefail; " + script, tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "BEGIN:VCALENDAR" not in r.stdout and not (tmp_path / "-").exists()


def test_a_calendar_thrown_away_beside_a_thrown_away_verdict_is_fine(tmp_path: Path) -> None:
    r = shell(f"$KENPO check {LEAVER_FLAGS} --ics /dev/null > /dev/null", tmp_path)
    assert r.returncode == 0, r.stderr


def test_a_my_number_in_enclosed_numbers_reaches_no_channel(tmp_path: Path) -> None:
    circled, dingbat = "⑫3456789018", "➀➁➂➃➄➅➆➇➈🄋➀➇"  # 123456789018, as a form types it
    said = kenpo("check", "--no-input", "--as-of", circled)
    assert said.returncode == 2 and circled not in said.stderr and "*" in said.stderr
    src = tmp_path / "m.csv"
    src.write_text(f"社員番号,氏名,資格確認書,退職日\n{circled},{dingbat},有,2026-12-31\n")
    ran = kenpo("batch", str(src), "--as-of", "2026-11-26", "--ics", str(tmp_path / "m.ics"))
    assert ran.returncode == 0, ran.stderr
    calendar = (tmp_path / "m.ics").read_text(encoding="utf-8")
    for text in (ran.stdout, ran.stderr, calendar):
        assert circled not in text and dingbat not in text and "3456789018" not in text
    pack = rulepack.builtin_text().replace('ja = "', 'ja = "\\u246b3456789018 ', 1)
    (tmp_path / "p.toml").write_text(pack, encoding="utf-8")
    shown = kenpo("rules", "show", "--rules", str(tmp_path / "p.toml"))
    assert shown.returncode == 2 and "3456789018" not in shown.stdout + shown.stderr
