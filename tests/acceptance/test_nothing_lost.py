"""Nothing lost: no output replaces what the run reads or another output of the run,
by any path; a device that stores data is never written; a reader that goes away
never costs a file.

Each test drives the installed ``kenpo`` through bash, for the redirections a user
types (``<``, ``>>``, ``| head``), and looks at the files afterwards.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.acceptance.test_cli import kenpo
from tests.acceptance.test_hostile import ROWS, shell, staff


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack.toml"
    pack.write_text(kenpo("rules", "show", "--toml").stdout, encoding="utf-8")
    return pack


# ---- outputs against inputs, standard input included -----------------------------


@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch - --ics staff.csv < staff.csv",
        "$KENPO batch - --ics hard.csv < staff.csv",
        "$KENPO batch - -o hard.csv < staff.csv",
        "$KENPO batch - --ics /proc/self/fd/0 < staff.csv",
        "$KENPO check --no-input --answers - --ics mine.toml < mine.toml",
        "$KENPO check --no-input --answers - --ics hard.toml < mine.toml",
        "$KENPO check --no-input --answers - --save-answers hard.toml < mine.toml",
    ],
)
def test_no_output_replaces_what_standard_input_reads(tmp_path: Path, script: str) -> None:
    src = staff(tmp_path)
    mine = tmp_path / "mine.toml"
    mine.write_text('myna = "yes"\n', encoding="utf-8")
    os.link(src, tmp_path / "hard.csv")
    os.link(mine, tmp_path / "hard.toml")
    before = src.read_bytes(), mine.read_bytes()
    r = shell(script, tmp_path)
    assert r.returncode == 2, r.stderr
    assert (src.read_bytes(), mine.read_bytes()) == before
    assert (tmp_path / "hard.csv").read_bytes() == before[0]


@pytest.mark.parametrize(
    "script",
    [
        "$KENPO check --no-input --answers mine.toml >> mine.toml",
        "$KENPO check --no-input --answers - < mine.toml >> mine.toml",
        "$KENPO check --no-input --rules pack.toml >> pack.toml",
        "$KENPO rules show --toml --rules pack.toml >> pack.toml",
        "$KENPO rules show --rules pack.toml >> pack.toml",
        "$KENPO sources --rules pack.toml >> pack.toml",
        "$KENPO expiry --rules pack.toml >> pack.toml",
        "$KENPO batch staff.csv --rules pack.toml >> pack.toml",
        "$KENPO batch - < staff.csv >> staff.csv",
    ],
)
def test_standard_output_appended_to_a_file_being_read_is_refused(
    tmp_path: Path, script: str
) -> None:
    """`>> a.toml` does not truncate: without the check, the file no longer parses."""
    src, pack = staff(tmp_path), _pack(tmp_path)
    mine = tmp_path / "mine.toml"
    mine.write_text('myna = "yes"\n', encoding="utf-8")
    before = [p.read_bytes() for p in (src, pack, mine)]
    r = shell(script, tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert [p.read_bytes() for p in (src, pack, mine)] == before


@pytest.mark.parametrize(
    "script",
    [
        "$KENPO check --no-input --save-answers mine.toml < mine.toml",
        "$KENPO check --no-input --ics staff.csv < staff.csv",
        "$KENPO batch hard.csv -o staff.csv < staff.csv",
        "$KENPO batch hard.csv --ics staff.csv < staff.csv",
        "$KENPO check --no-input >> mine.toml < mine.toml",
    ],
)
def test_standard_input_is_an_input_even_when_the_command_does_not_read_it(
    tmp_path: Path, script: str
) -> None:
    """A file given as standard input is the user's: kenpo may not read it, but never
    replaces it (here it read nothing from it)."""
    src = staff(tmp_path)
    (tmp_path / "hard.csv").write_bytes(src.read_bytes())
    mine = tmp_path / "mine.toml"
    mine.write_text('myna = "yes"\n', encoding="utf-8")
    before = src.read_bytes(), mine.read_bytes()
    r = shell(script, tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert (src.read_bytes(), mine.read_bytes()) == before


@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch staff.csv > /dev/null 2<>staff.csv",
        "$KENPO batch staff.csv > /dev/null 2>>staff.csv",
        "$KENPO batch - > /dev/null 2>>staff.csv < staff.csv",
        "$KENPO check --no-input 2>>staff.csv < staff.csv",
        "$KENPO check --no-input --answers mine.toml 2>>mine.toml",
        "$KENPO batch staff.csv --rules pack.toml > /dev/null 2<>pack.toml",
    ],
)
def test_standard_error_on_a_file_being_read_gets_nothing(tmp_path: Path, script: str) -> None:
    """Not even the refusal is written there (it would overwrite the HR export's first
    bytes, or be appended to it): exit 2 says it."""
    src, pack = staff(tmp_path), _pack(tmp_path)
    mine = tmp_path / "mine.toml"
    mine.write_text('myna = "yes"\n', encoding="utf-8")
    before = [p.read_bytes() for p in (src, pack, mine)]
    r = shell(script, tmp_path)
    assert r.returncode == 2, r.stderr
    assert [p.read_bytes() for p in (src, pack, mine)] == before


# ---- two outputs, one file ------------------------------------------------------


@pytest.mark.parametrize("exists", [False, True])
@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch staff.csv -o link/x.out --ics real/x.out",
        "$KENPO batch staff.csv -o real/x.out --ics link/./x.out",
        "$KENPO check --no-input --save-answers link/x.out --ics real/x.out",
    ],
)
def test_two_outputs_that_are_one_file_are_refused(
    tmp_path: Path, script: str, exists: bool
) -> None:
    staff(tmp_path)
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    target = tmp_path / "real" / "x.out"
    if exists:
        target.write_text("earlier\n")
    r = shell(script, tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert (target.read_text() if exists else target.exists()) == ("earlier\n" if exists else False)


# ---- devices --------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/ptmx"), reason="no /dev/ptmx here")
@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch staff.csv -o /dev/ptmx",
        "$KENPO batch staff.csv --ics /dev/ptmx",
        "$KENPO check --no-input --save-answers /dev/ptmx",
        "$KENPO check --no-input --json > /dev/ptmx",
        "$KENPO batch staff.csv > /dev/ptmx",
    ],
)
def test_a_new_pseudo_terminal_is_refused(tmp_path: Path, script: str) -> None:
    """Opening /dev/ptmx makes a terminal whose other end nobody reads: the output would
    be lost, though isatty() is true."""
    staff(tmp_path)
    r = shell(script, tmp_path)
    assert r.returncode == 2, r.stderr
    assert "疑似端末" in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
@pytest.mark.parametrize(
    "script",
    [
        "$KENPO batch staff.csv -o /dev/zero",
        "$KENPO batch staff.csv --ics /dev/zero",
        "$KENPO check --no-input --save-answers /dev/zero",
        "$KENPO check --no-input --json > /dev/zero",
        "$KENPO batch staff.csv > /dev/zero",
    ],
)
def test_a_device_that_is_not_null_or_a_terminal_is_refused(tmp_path: Path, script: str) -> None:
    """/dev/zero stands for a disk here: writing rows to /dev/sda as a user is refused by
    its permissions, so the rule is seen on a character device everybody may write."""
    staff(tmp_path)
    r = shell(script, tmp_path)
    assert r.returncode == 2, r.stderr
    assert "デバイス" in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


def test_the_null_device_is_still_an_output(tmp_path: Path) -> None:
    staff(tmp_path)
    r = shell("$KENPO batch staff.csv -o /dev/null --ics /dev/null > /dev/null", tmp_path)
    assert r.returncode == 0, r.stderr


# ---- a reader that goes away ----------------------------------------------------


@pytest.mark.parametrize("stdout", ["| head -c 1 > /dev/null", "| true"])
def test_a_reader_going_away_never_costs_the_calendar(tmp_path: Path, stdout: str) -> None:
    staff(tmp_path, [f"{n},名前,いいえ,有,R20.12.{n % 28 + 1}," for n in range(5000)], "big.csv")
    cal = tmp_path / "cal.ics"
    cal.write_text("stale\n")
    script = f"$KENPO batch big.csv --ics cal.ics --ics-all {stdout}; echo ${{PIPESTATUS[0]}}"
    r = shell(script, tmp_path)  # (--ics-all: the employees' own steps, a long calendar)
    status = int(r.stdout.split()[-1])
    text = cal.read_bytes().decode("utf-8")
    # The run goes on with standard output silenced: the calendar is complete.
    assert status == 0 and r.stderr.count("\n") < 12, r.stderr
    assert text.endswith("END:VCALENDAR\r\n") and text.count("BEGIN:VEVENT") >= 5000


def test_a_reader_going_away_never_costs_answers_named_later(tmp_path: Path) -> None:
    """The check's --save-answers promised before the verdict goes to standard output."""
    from kenpo_cli.io import safeio

    safeio.reset()
    safeio.promise(tmp_path / "a.toml")
    assert safeio.outputs_pending()
    with safeio.output_file(tmp_path / "a.toml") as out:
        out.write("x = 1\n")
    assert not safeio.outputs_pending()


# ---- every command, every output option, every way to name one file ---------------

_INPUTS = ("staff.csv", "pack.toml", "mine.toml")


def _aliases(name: str) -> list[str]:
    """Ways to name ``name`` in the run's folder (it exists) or a new file (it does not)."""
    ways = [name, f"./{name}", f"sub/../{name}", f"linkdir/{name}", f"{Path.cwd().root}PWD/{name}"]
    if name in _INPUTS:
        ways.append(f"hard-{name}")
    return ways


_COMMANDS = {
    "batch": ("$KENPO batch {src} --rules pack.toml", ("-o", "--ics")),
    "check": (
        "$KENPO check --no-input --answers {ans} --rules pack.toml",
        ("--save-answers", "--ics"),
    ),
    "rules": ("$KENPO rules show --toml --rules pack.toml", ()),
    "sources": ("$KENPO sources --rules pack.toml", ()),
    "expiry": ("$KENPO expiry --rules pack.toml", ()),
}
_TARGETS = (
    *_INPUTS,
    "new.out",
    "other.out",
    "/dev/null",
    "/dev/zero",
    "/dev/stdout",
    "/dev/stdin",
    "/proc/self/fd/0",
    "/proc/self/fd/1",
)


@st.composite
def _runs(draw: st.DrawFn) -> tuple[set[str], str, dict[str, str]]:
    command = draw(st.sampled_from(sorted(_COMMANDS)))
    template, options = _COMMANDS[command]
    via_stdin = command in ("batch", "check") and draw(st.booleans())
    src = "-" if via_stdin and command == "batch" else "staff.csv"
    ans = "-" if via_stdin and command == "check" else "mine.toml"
    line = template.format(src=src, ans=ans)
    reads = {"pack.toml", "staff.csv" if command == "batch" else "mine.toml"}
    if command not in ("batch", "check"):
        reads = {"pack.toml"}
    outputs: dict[str, str] = {}
    for option in options:
        if draw(st.booleans()):
            target = draw(st.sampled_from(_TARGETS))
            alias = draw(st.sampled_from(_aliases(target))) if "/" not in target else target
            outputs[option] = alias
            line += f" {option} {shlex.quote(alias)}"
    if via_stdin:
        line += " < " + ("staff.csv" if command == "batch" else "mine.toml")
    stdout = draw(st.sampled_from(["none", *(f">> {t}" for t in _TARGETS if "/" not in t)]))
    line += " > /dev/null" if stdout == "none" else " " + stdout
    return reads, line, outputs


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(run=_runs())
def test_no_run_loses_a_file_it_reads_or_writes(
    tmp_path_factory: pytest.TempPathFactory, run: tuple[set[str], str, dict[str, str]]
) -> None:
    """Whatever output names whatever file (the same path, a hard link, a symlinked
    folder, standard input, standard output appended to, a device), every file the run
    reads is unchanged, and every output the run says it wrote is whole."""
    reads, line, outputs = run
    tmp = tmp_path_factory.mktemp("run")
    staff(tmp)
    _pack(tmp)
    (tmp / "mine.toml").write_text('myna = "yes"\n', encoding="utf-8")
    (tmp / "sub").mkdir()
    (tmp / "linkdir").symlink_to(".")
    for name in _INPUTS:
        os.link(tmp / name, tmp / f"hard-{name}")
    script = line.replace(f"{Path.cwd().root}PWD/", f"{tmp}/")
    before = {name: (tmp / name).read_bytes() for name in _INPUTS}
    r = shell(script, tmp)
    assert r.returncode in (0, 2), (script, r.stderr)
    assert "Traceback" not in r.stderr, (script, r.stderr)
    for name in reads:
        assert (tmp / name).read_bytes() == before[name], (script, name, r.stderr)
    if r.returncode != 0:
        return
    for option, alias in outputs.items():
        if alias.startswith(("/dev/", "/proc/")):
            continue
        text = (tmp / alias.replace(f"{Path.cwd().root}PWD/", "")).read_bytes().decode()
        if option == "--ics":
            assert text.startswith("BEGIN:VCALENDAR") and text.endswith("END:VCALENDAR\r\n")
        elif option == "-o":
            assert len(text.splitlines()) == len(ROWS), (script, text)
        else:
            assert "myna" in text and '"yes"' in text, (script, text)
