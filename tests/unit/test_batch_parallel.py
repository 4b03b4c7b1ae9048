"""A long sheet judged by several processes (kenpo_cli/batch/parallel.py) gives, byte for
byte, what one process gives: the rows in the sheet's order, every error row, the
summary on stderr (its counts, masked columns, lines set aside, repeated ids) and the
exit status. Here the sharing starts after a few rows and blocks are a few rows long,
so that every kind of row falls in a worker's block."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kenpo_cli.batch import command, parallel
from kenpo_cli.batch.header import find_header
from kenpo_cli.batch.writers import JsonlWriter
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages
from tests.helpers import default_signals
from tests.inprocess import run_main
from tests.unit.test_batch_cache import a_row

HEADER = "社員番号,資格取得日,退職日,マイナ保険証,電子証明書有効期限,資格確認書,資格確認書有効期限,お知らせ,保険証,連絡不能,備考"  # noqa: E501
# Rows that are not people, or not well formed, or say more than the verdict: each must
# be set aside, refused or masked in a worker as it is in one process.
ODD = [
    "",  # blank
    "合計,,,,,,,,,,",  # a total
    HEADER,  # the header again, on a new page
    "社員一覧 2/2ページ",  # a title, its other cells left out
    "出力日,2026/12/06",  # a footer
    "7001,,,,,,,,,,",  # an id alone: judged on defaults, and said
    "7002,R8.4.1,,はい,,,,,,,控え 123456789018",  # a マイナンバー passed through: masked
    "7003,2020/4/1,,はい,,,,,,,,extra",  # one cell too many: an error row
    "7004,1900/1/0,1900/1/0,いいえ,,有,,,,,",  # Excel's empty date
    "7005,あした,,はい,,,,,,,",  # not a date: an error row
    "1,2019/4/1,,はい,,,,,,,",  # an id met before
    "7006,2021/4/1,,はい,,,,,,,,",  # a trailing comma: no error
]


def _sheet(rows: list[str]) -> str:
    lines = [HEADER]
    for i, row in enumerate(rows):
        lines.append(row + ",")  # a_row has no 備考
        lines.append(ODD[i % len(ODD)])
    return "\n".join(lines) + '\n7999,"2020/4/1\n'  # a quote never closed at the end


def _runs(
    monkeypatch: pytest.MonkeyPatch, tmp: Path, text: str | bytes, args: list[str]
) -> list[tuple[int, str, bytes | None]]:
    """The same batch run in one process, in two and in three, its outputs as bytes."""
    src = tmp / "staff.csv"
    src.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    shared: list[int] = []
    real = parallel.share

    def counted(persons, work, count):  # type: ignore[no-untyped-def]
        shared.append(count)
        real(persons, work, count)

    monkeypatch.setattr(command, "PARALLEL_FROM", 5)
    monkeypatch.setattr(parallel, "BLOCK", 3)
    monkeypatch.setattr(parallel, "share", counted)
    results = []
    for jobs in ("1", "2", "3"):
        out = tmp / f"out-{jobs}{args[-1] if args else ''}"
        out.unlink(missing_ok=True)
        ran = run_main(
            monkeypatch, ["batch", str(src), "--as-of", "2026-11-26", *args, "-o", str(out)],
            KENPO_JOBS=jobs,
        )  # fmt: skip
        results.append((ran.status, ran.stderr, out.read_bytes() if out.exists() else None))
    assert shared == [2, 3], "the later runs shared the rows among two and three processes"
    return results


@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.integers(30, 60).flatmap(lambda n: st.tuples(*(a_row(i) for i in range(n)))))
def test_shared_work_writes_what_one_process_writes(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory, rows: tuple[str, ...]
) -> None:
    tmp = tmp_path_factory.mktemp("par")
    text = _sheet([*rows, *rows])  # the second half meets caches the first filled
    for args in ([], ["--format", "csv"], ["--only", "overdue"]):
        one, two, three = _runs(monkeypatch, tmp, text, args)
        assert one[2] is not None and one[0] == 3  # the error rows: exit 3
        assert two == one and three == one


def test_the_summary_counts_rows_judged_by_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A sheet where every kind of row comes after sharing began, said on stderr.
    rows = [f"{n},2020/4/1,2026/10/31,いいえ,,有,2027/11/30,,,," for n in range(1, 41)]
    one, two, three = _runs(monkeypatch, tmp_path, _sheet(rows), [])
    assert two == one and three == one
    stderr = one[1]
    assert one[2] is not None and b"123456789018" not in one[2]
    assert "123456789018" not in stderr
    for said in ("備考", "合計", "40"):  # the masked column, a total, the 40 returns
        assert said in stderr, said


def test_rows_judged_on_defaults_are_listed_in_line_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # An id alone on every other row: the summary names their first lines, in order,
    # whichever worker judged each.
    rows = [f"{n},2020/4/1,,はい,,,,,,," if n % 2 else f"{n},,,,,,,,,," for n in range(1, 60)]
    one, two, three = _runs(monkeypatch, tmp_path, "\n".join([HEADER, *rows]) + "\n", [])
    assert two == one and three == one
    assert "3, 5, 7, 9, 11" in one[1]


def test_people_noted_by_workers_are_counted_and_their_first_lines_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Every third person turns 75 within three months of 2026-11-26, after sharing began
    # too: the note counts them all and names the first five lines, in order.
    born = {0: "1952/01/15", 1: "1980/01/15", 2: "1980/01/15"}
    ends = {0: "2026/10/31", 1: "2027/3/31", 2: "", 3: "", 4: ""}  # (a fifth ended)
    rows = [
        f"{n},{born[n % 3]},{'退職' if n % 4 == 0 else '在籍'},はい,{ends[n % 5]}"
        for n in range(1, 61)
    ]
    text = "\n".join(["社員番号,生年月日,在籍区分,マイナ保険証,契約満了日", *rows]) + "\n"
    one, two, three = _runs(monkeypatch, tmp_path, text, [])
    assert two == one and three == one and one[0] == 0
    (said,) = [line for line in one[1].splitlines() if "75歳の誕生日" in line]
    assert "20人" in said and "4, 7, 10, 13, 16 …" in said
    # Every fourth has left with no 退職日: all 15 counted, the first five named.
    (undated,) = [line for line in one[1].splitlines() if "退職日・資格喪失日が空欄" in line]
    assert "15人" in undated and "5, 9, 13, 17, 21 …" in undated
    # Every fifth's contract ended, with no leaving day: those still members are named.
    (ended,) = [line for line in one[1].splitlines() if "契約満了日 が過ぎている" in line]
    assert "9人" in ended and "6, 11, 16, 26, 31 …" in ended, ended  # (not 21: 退職)


def test_undecodable_bytes_met_after_sharing_began_are_found_in_the_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = [f"{n},2020/4/1,,はい,,有,,,,,メモ" for n in range(1, 41)]
    text = "\n".join([HEADER, *rows]).encode("utf-8") + b"\n41,2020/4/1,,,,,,,,,\xff\xfe\n"
    text += "\n".join(rows).encode("utf-8") + b"\n"
    one, two, three = _runs(monkeypatch, tmp_path, text, [])
    assert two == one and three == one
    assert one[2] is not None and one[0] == 3
    assert "\ufffd".encode() in one[2]  # the bad row: its bytes as U+FFFD


def test_a_day_on_many_rows_is_shared_out_and_one_on_a_few_stays_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows go to the process their printed day points to, so that a verdict is judged
    in one process. A day on a fifth of a sheet (Excel's empty date 1900/1/0) would then
    give one process all of them, and keep the others waiting: past SAME_DAY rows they
    are shared as the split says (here a quarter to the reading process)."""
    monkeypatch.setattr(parallel, "BLOCK", 100)
    persons = [
        (n, n + 1, ["1900/1/0" if n % 2 else f"2027/1/{n // 2 % 25 + 1}"], None, False)
        for n in range(1, 2001)
    ]
    split = parallel._Split(2)
    split.cut = split.PARTS // 4
    split.table = split._table()
    processes: dict[str, set[int]] = {}
    empty = [0, 0]  # the rows of 1900/1/0 each process was given
    for this in parallel._rounds(persons, split, lambda cells: cells[0]):
        for n, block in enumerate(this.blocks):
            for person in block:
                day = person[2][0]  # type: ignore[index]
                processes.setdefault(day, set()).add(n)
                empty[n] += day == "1900/1/0"
    assert sum(empty) == 1000
    assert 200 <= empty[0] <= 300, empty  # a quarter, but for the first SAME_DAY by hash
    assert processes.pop("1900/1/0") == {0, 1}
    assert len(processes) == 25 and all(len(p) == 1 for p in processes.values())  # 40 a day


def test_rows_are_written_back_in_the_order_they_were_read() -> None:
    persons = [(n, n, [f"2027/1/{n % 28 + 1}" if n % 3 else ""], None, False) for n in range(500)]
    split = parallel._Split(3)
    for this in parallel._rounds(persons, split, lambda cells: cells[0]):
        taken = [iter(block) for block in this.blocks]
        rows = [next(taken[n]) for n in this.owners]
        assert [p[0] for p in rows] == sorted(p[0] for p in rows)
        assert all(next(rest, None) is None for rest in taken)


def test_a_day_typed_two_ways_goes_to_one_process() -> None:
    """2026/3/31, R8.3.31, 令和8年3月31日 and Excel's 46112 are one leaving day, so one
    verdict: routed by their text, each process judged it afresh."""
    text = "社員番号,退職日,電子証明書有効期限\n1,2026/3/31,\n"
    opened = command.open_rows(io.BytesIO(text.encode("utf-8")), "auto")
    header, _ = find_header(opened.rows, Messages("ja"), {}, JsonlWriter.reserved)
    day = parallel.router(header)
    forms = ["2026/3/31", "R8.3.31", "令和8年3月31日", "46112", "2026-03-31 00:00:00"]
    assert {day(["1", form, ""]) for form in forms} == {date(2026, 3, 31)}
    assert day(["2", "", "2027/5/1"]) == date(2027, 5, 1)  # no leaving day: the expiry
    assert day(["3", "", ""]) == day(["4", "-", "なし"]) == ""  # none: shared out
    assert day(["5", "3月末", ""]) == "3月末"  # (an error row later): by its text


def test_the_reading_process_takes_fewer_rows_when_a_worker_waits_and_more_when_it_does() -> None:
    split = parallel._Split(2)
    start = split.cut
    assert 0 < start < split.most == split.PARTS // 2  # at most its even part
    split.starved = True  # a worker waited for rows: this process takes a part fewer
    split.adjust()
    assert split.cut == start - 1 and split.table.count(0) == start - 1
    split.idle = True  # this process waited for an answer: a part more
    split.adjust()
    split.idle = True
    split.adjust()
    assert split.cut == start + 1 and split.table.count(0) == start + 1
    split.adjust()  # neither waited
    assert split.cut == start + 1
    for _ in range(100):
        split.idle = True
        split.adjust()
    assert split.cut == split.most
    for _ in range(100):
        split.starved = True
        split.adjust()
    assert split.cut == 0 and 0 not in split.table
    three = parallel._Split(4)  # three workers: each its even share of the rest
    shares = [three.table.count(n) for n in range(4)]
    assert shares[0] == three.cut and max(shares[1:]) - min(shares[1:]) <= 1, shares


def test_kenpo_jobs_is_a_whole_number(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(f"{HEADER}\n1,2020/4/1,,はい,,,,,,,\n", encoding="utf-8")
    for bad in ("0", "000", "two", "２", "-1", "1.5", "+2"):
        ran = run_main(monkeypatch, ["batch", str(src)], KENPO_JOBS=bad)
        assert ran.status == 2 and "KENPO_JOBS" in ran.stderr, (bad, ran)
        assert "Traceback" not in ran.stderr and ran.stdout == ""
    for asked, got in ((" 2 ", 2), ("3", 3), ("007", 4), ("100", 4), ("9" * 5000, 4)):
        monkeypatch.setenv("KENPO_JOBS", asked)  # more than MOST is MOST: never a fork bomb
        assert parallel.jobs() == (got if parallel.can_fork() else 1), asked
    monkeypatch.delenv("KENPO_JOBS")
    assert 1 <= parallel.jobs() <= parallel.MOST


def test_where_processes_cannot_be_forked_one_process_judges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows has no fork, and macOS forks unsafely: one process there, whatever is asked."""
    monkeypatch.setenv("KENPO_JOBS", "4")
    monkeypatch.delattr(os, "fork")
    assert parallel.jobs() == 1
    monkeypatch.undo()
    monkeypatch.setenv("KENPO_JOBS", "4")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert parallel.jobs() == 1
    with pytest.raises(KenpoError):
        monkeypatch.setenv("KENPO_JOBS", "many")
        parallel.jobs()


def test_a_worker_that_fails_fails_the_run_and_saves_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = [f"{n},2020/4/1,,はい,,,,,,," for n in range(1, 40)]
    src = tmp_path / "staff.csv"
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    monkeypatch.setattr(command, "PARALLEL_FROM", 5)
    monkeypatch.setattr(parallel, "BLOCK", 3)
    real = command.Judging.run
    parent = os.getpid()

    def broken(self, persons):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise ZeroDivisionError("a bug in a worker")
        real(self, persons)

    monkeypatch.setattr(command.Judging, "run", broken)
    out = tmp_path / "out.jsonl"
    ran = run_main(monkeypatch, ["batch", str(src), "-o", str(out)], KENPO_JOBS="2")
    assert ran.status == 70, ran
    assert not out.exists() and not list(tmp_path.glob("*.tmp*"))
    assert "ZeroDivisionError" not in ran.stderr  # (shown with KENPO_DEBUG=1)
    with pytest.raises(parallel.WorkerFailed, match="ZeroDivisionError: a bug in a worker"):
        run_main(monkeypatch, ["batch", str(src), "-o", str(out)], KENPO_JOBS="2", KENPO_DEBUG="1")
    assert not out.exists()


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_killed_from_outside_stops_the_run_as_an_interruption(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ending: signal.Signals
) -> None:
    """The system short of memory, or someone's kill: not a bug of ours (no exit 70, no
    "internal error"), but the run cannot finish. Exit 130, the signal named, nothing
    saved, the earlier file kept."""
    rows = [f"{n},2020/4/1,,はい,,,,,,," for n in range(1, 40)]
    src = tmp_path / "staff.csv"
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("earlier\n", encoding="utf-8")
    monkeypatch.setattr(command, "PARALLEL_FROM", 5)
    monkeypatch.setattr(parallel, "BLOCK", 3)
    parent = os.getpid()

    def killed(self, persons):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os.kill(os.getpid(), ending)
        real(self, persons)

    real = command.Judging.run
    monkeypatch.setattr(command.Judging, "run", killed)
    ran = run_main(monkeypatch, ["batch", str(src), "-o", str(out)], KENPO_JOBS="2")
    assert ran.status == 130, ran
    assert ending.name in ran.stderr and "out.jsonl" in ran.stderr
    assert "内部エラー" not in ran.stderr and "Traceback" not in ran.stderr
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "staff.csv"]


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
def test_ctrl_c_stops_the_workers_and_saves_nothing(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: kenpo exits 130 quietly, its workers are
    gone, and the output file is not made."""
    rows = [f"{n},2020/4/{n % 28 + 1},,はい,,有,,,,," for n in range(1, 200_001)]
    src = tmp_path / "staff.csv"
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "KENPO_JOBS": "3"}  # two workers beside the reading process
    proc = subprocess.Popen(
        [sys.executable, "-m", "kenpo_cli", "batch", str(src), "-o", str(out)],
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's job is
        preexec_fn=default_signals,  # (a background job ignores SIGINT)
    )
    children: list[str] = []
    deadline = time.monotonic() + 60
    # (Polling for a sign, with a deadline: both workers. The first is forked a moment
    # before the second, and stopping at the first sign of one was a race.)
    while len(children) < 2 and proc.poll() is None and time.monotonic() < deadline:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        time.sleep(0.01)
    assert len(children) == 2, "the workers were started"
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert b"Traceback" not in stderr
    assert not out.exists() and not list(tmp_path.glob("*.tmp*"))
    for child in children:
        assert not Path(f"/proc/{child}").exists() or "Z" in _state(child), child


def _state(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][:1]
    except OSError:
        return "Z"
