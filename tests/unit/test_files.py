"""Output files are written whole or not at all; answers files are read with a cap."""

from __future__ import annotations

import errno
import io
import os
import signal
import stat
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.cli.app import main
from kenpo_cli.errors import KenpoError
from kenpo_cli.io import safeio, streams
from kenpo_cli.io.answers import load_answers, save_answers
from kenpo_cli.io.smallfile import MAX_BYTES
from tests.inprocess import run_main


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_is_private_from_the_start(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with safeio.output_file(target) as out:
        temp = next(p for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600  # before a byte is written
        out.write("row\n")
        assert not target.exists()  # nothing at the target until the end
    assert target.read_text() == "row\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_a_full_disk_keeps_the_earlier_file(tmp_path: Path, monkeypatch: Any) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("yesterday's result\n")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("kenpo_cli.io.safeio.os.fsync", no_space)
    with pytest.raises(KenpoError) as caught, safeio.output_file(target) as out:
        out.write("half of today's\n")
    assert caught.value.code == "output_failed"
    assert "No space left" in caught.value.params["reason"]
    assert target.read_text() == "yesterday's result\n"
    assert leftovers(tmp_path) == []
    assert safeio.abandoned()[-1] == str(target)


class FullDisk(io.RawIOBase):
    """A file on a disk that fills up after ``room`` bytes (ENOSPC, as on a real disk)."""

    def __init__(self, fd: int, room: int) -> None:
        self.fd, self.room = fd, room

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        if len(b) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(b)
        return os.write(self.fd, b)

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


def test_a_disk_that_fills_part_way_keeps_the_earlier_file(
    tmp_path: Path, monkeypatch: Any
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    monkeypatch.setattr(
        safeio, "open", lambda fd, mode: io.BufferedWriter(FullDisk(fd, 1000)), raising=False
    )
    with pytest.raises(KenpoError) as caught, safeio.output_file(target) as out:
        for n in range(10_000):
            out.write(f"{n},row\n")
    assert caught.value.code == "output_failed"
    assert target.read_text() == "old\n" and leftovers(tmp_path) == []


def test_ctrl_c_part_way_keeps_the_earlier_file(tmp_path: Path) -> None:
    target = tmp_path / "answers.json"
    target.write_text("{}\n")
    with pytest.raises(KeyboardInterrupt), safeio.output_file(target) as out:
        out.write('{"myna": ')
        raise KeyboardInterrupt
    assert target.read_text() == "{}\n" and leftovers(tmp_path) == []


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("precious\n")
    real.chmod(0o644)
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with pytest.raises(KenpoError) as caught, safeio.output_file(link) as out:
        out.write("overwritten\n")
    assert caught.value.code == "output_symlink"
    assert real.read_text() == "precious\n" and stat.S_IMODE(real.stat().st_mode) == 0o644
    assert link.is_symlink()


def test_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(KenpoError):
        safeio.write_file(link, "x")
    assert not (tmp_path / "nowhere").exists()


def test_the_input_file_is_refused_through_any_name(tmp_path: Path) -> None:
    src = tmp_path / "staff.csv"
    src.write_text("myna\nyes\n")
    other_name = tmp_path / "hard-link.csv"
    os.link(src, other_name)
    with open(src, "rb") as f:
        ids = [safeio.id_of_stream(f)]
        for target in (src, other_name, tmp_path / "." / "staff.csv"):
            with pytest.raises(KenpoError) as caught:
                safeio.check_target(target, ids)
            assert caught.value.code == "output_is_input"
    assert src.read_text() == "myna\nyes\n"


def test_a_device_is_written_without_touching_its_mode() -> None:
    before = os.stat(os.devnull)
    safeio.write_file(os.devnull, "nothing to keep\n")
    after = os.stat(os.devnull)
    assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode)
    assert stat.S_ISCHR(after.st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_device_is_one_clear_error() -> None:
    with pytest.raises(KenpoError) as caught:
        safeio.write_file("/dev/full", "x" * 100_000)
    assert caught.value.code == "output_failed"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_batch_onto_a_full_device_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Batch rows are written as bytes under the text stream: a full disk is still the
    user's news (exit 2, the file named), never a traceback."""
    staff = tmp_path / "staff.csv"
    staff.write_text("社員番号,マイナ保険証\n" + "".join(f"{n},はい\n" for n in range(3000)))
    ran = run_main(monkeypatch, ["batch", str(staff), "-o", "/dev/full"])
    assert ran.status == 2 and "/dev/full" in ran.stderr and "Traceback" not in ran.stderr


def test_a_directory_or_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    for target in (tmp_path, tmp_path / "no" / "such" / "dir.json"):
        with pytest.raises(KenpoError) as caught:
            safeio.write_file(target, "{}")
        assert caught.value.code == "output_failed"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may replace anything")
def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "kept.json"
    target.write_text("{}")
    target.chmod(0o444)
    with pytest.raises(KenpoError):
        safeio.write_file(target, "new")
    assert target.read_text() == "{}"


def test_save_answers_to_dash_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KenpoError) as caught:
        save_answers("-", {"myna": "yes"})
    assert caught.value.code == "answers_to_stdout"
    assert not Path("-").exists()


def test_save_answers_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    target.write_text("old = 1\n")
    target.chmod(0o640)
    save_answers(target, {"myna": "yes"})
    assert target.read_text() == 'myna = "yes"\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the user's file keeps its mode
    fresh = tmp_path / "new.toml"
    save_answers(fresh, {"myna": "yes"})
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600  # a file kenpo creates is private


def test_answers_from_standard_input(monkeypatch: Any) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b'{"myna": "yes"}'))
    monkeypatch.setattr(sys, "stdin", fake)
    assert load_answers("-") == {"myna": "yes"}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"[" * 100_000, "answers_syntax"),  # nested too deeply for JSON, no TOML either
        (b"a = " + b"[" * 100_000, "answers_format"),
        (b'{"myna": ' + b"9" * 5000 + b"}", "answers_format"),  # too long to convert
        (b" " * (MAX_BYTES + 1), "answers_too_large"),
    ],
)
def test_hostile_answers_files_are_one_clear_error(
    tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "answers"
    path.write_bytes(content)
    with pytest.raises(KenpoError) as caught:
        load_answers(path)
    assert caught.value.code == code
    assert all(len(v) < 300 for v in caught.value.params.values())


def test_dev_zero_is_read_only_up_to_the_cap() -> None:
    with pytest.raises(KenpoError) as caught:
        load_answers("/dev/zero")
    assert caught.value.code == "answers_too_large"


def test_toml_dates_are_checked_like_typed_ones(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("as_of = 9999-12-31\nleft_on = 2026-10-16T09:00:00\n")
    assert load_answers(path) == {"as_of": "9999-12-31", "left_on": "2026-10-16"}


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        # JSON keeps the last of two keys without a word: the 退職日 would be 04-30
        (
            "a.json",
            '{"status": "left", "left_on": "2026-03-31", "left_on": "2026-04-30"}',
            "left_on",
        ),
        # TOML calls these two keys; kenpo reads both as one fact
        ("a.toml", 'status = "left"\nleft_on = "2026-03-31"\nleft-on = "2026-04-30"\n', "left-on"),
        ("b.json", '{"left-on": "2026-03-31", "left_on": "2026-04-30"}', "left_on"),
    ],
)
def test_a_fact_given_twice_with_two_values_is_refused(
    tmp_path: Path, name: str, content: str, field: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(KenpoError) as caught:
        load_answers(path)
    assert (caught.value.code, caught.value.params["field"]) == ("answers_twice", field)


def test_a_fact_given_twice_alike_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"left_on": "2026-03-31", "left-on": "2026-03-31", "left_on": "2026-03-31"}')
    assert load_answers(path)["left_on"] == "2026-03-31"


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    target.chmod(0o644)
    with safeio.output_file(target) as out:
        out.write("new\n")
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_disk_or_an_unknown_device_is_never_an_output() -> None:
    """Rows written to /dev/sdb would overwrite a disk; /dev/kmsg would log them."""
    block = os.stat_result((stat.S_IFBLK | 0o660, 0, 0, 1, 0, 0, 0, 0, 0, 0))
    assert not safeio.writable_device(block, "/dev/sdb")
    fifo = os.stat_result((stat.S_IFIFO | 0o600, 0, 0, 1, 0, 0, 0, 0, 0, 0))
    assert safeio.writable_device(fifo, "p")
    assert safeio.writable_device(os.stat(os.devnull), os.devnull)
    if os.path.exists("/dev/zero"):
        assert not safeio.writable_device(os.stat("/dev/zero"), "/dev/zero")


class _GoneReader(io.StringIO):
    """Standard output whose reader went away after the first rows (`| head -1`)."""

    def write(self, s: str) -> int:
        if self.tell() + len(s) > 2000:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(s)


@pytest.mark.parametrize("goes_on", [True, False])
def test_a_reader_going_away_completes_the_calendar_or_says_it_was_not_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, goes_on: bool
) -> None:
    """With a file open the run goes on and completes it; where it cannot (goes_on
    False stands for that), stderr names the file and the status is not 0."""
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "社員番号,資格確認書,資格喪失日\n" + "".join(f"{n},有,R20.3.31\n" for n in range(500))
    )
    cal = tmp_path / "cal.ics"
    cal.write_text("earlier\n")
    if not goes_on:
        monkeypatch.setattr(safeio, "outputs_pending", lambda: False)
    monkeypatch.setattr("kenpo_cli.io.streams.silence_stdout", lambda: None)
    err = io.StringIO()
    monkeypatch.setattr(sys, "argv", ["kenpo", "batch", str(staff), "--ics", str(cal)])
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    monkeypatch.setattr(sys, "stdout", _GoneReader())
    monkeypatch.setattr(sys, "stderr", err)
    previous = {s: signal.getsignal(s) for s in streams.ENDING_SIGNALS}
    try:
        with pytest.raises(SystemExit) as ended:
            main()
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    if goes_on:
        assert ended.value.code == 0, err.getvalue()
        assert cal.read_bytes().endswith(b"END:VCALENDAR\r\n")
    else:
        assert ended.value.code == 2 and "cal.ics" in err.getvalue(), err.getvalue()
        assert cal.read_text() == "earlier\n"


@pytest.mark.parametrize(
    ("name", "content", "kind", "line", "column"),
    [
        # a comma too many (Python 3.13 points at it, 3.11 and 3.12 just after it)
        ("a.json", '{"status": "enrolled",}', "JSON", "1", "22-23"),
        ("answers", '{\n  "status": "enrolled"\n  "myna": "yes"\n}', "JSON", "3", "3"),
        ("a.toml", "status = enrolled\n", "TOML", "1", "10"),  # a word without quotes
        ("answers.txt", 'status = "enrolled"\nmyna = \n', "TOML", "2", "8"),
    ],
)
def test_an_answers_file_that_does_not_parse_says_where_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    content: str,
    kind: str,
    line: str,
    column: str,
) -> None:
    """Notepad users mistype a comma or a quote: the error names the line and column in
    their language, and shows how a line is written, not the parser's English."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KenpoError) as caught:
        load_answers(path)
    assert caught.value.code == "answers_syntax"
    assert caught.value.params["kind"] == kind
    first, _, last = column.partition("-")
    said = caught.value.params["column"]
    assert caught.value.params["line"] == line and int(first) <= int(said) <= int(last or first)
    ran = run_main(monkeypatch, ["check", "--answers", str(path), "--no-input"])
    assert ran.status == 2 and "Traceback" not in ran.stderr
    assert f"{line}行目、{said}文字目" in ran.stderr and "status" in ran.stderr
    assert "Expecting" not in ran.stderr and "Invalid" not in ran.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_no_program_reads_is_refused_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # -o onto a named pipe with no reader waited for ever (an attacker's review); with a
    # reader it is written as any pipe.
    sheet, pipe = tmp_path / "staff.csv", tmp_path / "pipe"
    sheet.write_text("社員番号,マイナ保険証\nE1,はい\n", encoding="utf-8")
    os.mkfifo(pipe)
    ran = run_main(monkeypatch, ["--lang", "en", "batch", str(sheet), "-o", str(pipe)])
    assert ran.status == 2 and "pipe no program reads" in ran.stderr, ran.stderr
    # A reader (its end opened first, without waiting for a writer): the rows reach it
    # (a few hundred bytes: the pipe holds them until they are read below).
    fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        ran = run_main(monkeypatch, ["batch", str(sheet), "-o", str(pipe)])
        got = os.read(fd, 1 << 16)
    finally:
        os.close(fd)
    assert ran.status == 0 and b'"E1"' in got, ran.stderr
