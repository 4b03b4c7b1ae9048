"""The ``--ics`` file: private, whole or not at all, never the input, never through a link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import kenpo_cli.batch.command as batch_mod
from kenpo_cli.batch.writers import JsonlWriter
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages
from kenpo_cli.io.calendar_file import CalendarOrder, refuse_same_file, write_calendar
from tests import ics_reader

OLD = b"BEGIN:VCALENDAR\r\nX-OLD:yes\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read new files: the calendar must stay private anyway."""
    before = os.umask(0)
    yield
    os.umask(before)


def leftovers(folder: Path, *keep: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p not in keep)


def test_the_file_is_readable_by_its_owner_only(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "kenpo.ics"
    with write_calendar(target) as write:
        write(b"BEGIN:VCALENDAR\r\n")
        write(b"END:VCALENDAR\r\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


def test_an_existing_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    # The contract: never change the mode of a file the tool did not create.
    target = tmp_path / "kenpo.ics"
    target.write_bytes(OLD)
    target.chmod(0o640)
    with write_calendar(target) as write:
        write(b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_bytes() == b"new"


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), KenpoError("batch_no_header")])
def test_after_a_failure_the_old_file_stays_and_no_temporary_file_is_left(
    tmp_path: Path, failure: BaseException
) -> None:
    target = tmp_path / "kenpo.ics"
    target.write_bytes(OLD)
    with pytest.raises(type(failure)), write_calendar(target) as write:
        write(b"BEGIN:VCALENDAR\r\nhalf")
        raise failure
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == ["kenpo.ics"]


def test_nothing_is_created_when_the_first_write_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), write_calendar(tmp_path / "new.ics"):
        raise RuntimeError("boom")
    assert leftovers(tmp_path) == []


def test_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    real = tmp_path / "real.ics"
    real.write_bytes(OLD)
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    with pytest.raises(KenpoError) as err, write_calendar(link) as write:
        write(b"overwritten")
    assert err.value.code == "output_symlink"
    assert real.read_bytes() == OLD and link.is_symlink()


def test_a_folder_in_the_way_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "cal.ics").mkdir()
    with pytest.raises(KenpoError) as err, write_calendar(tmp_path / "cal.ics") as write:
        write(b"x")
    assert err.value.code == "output_failed" and err.value.exit_status == 2
    assert leftovers(tmp_path) == ["cal.ics"]


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(KenpoError) as err, write_calendar(tmp_path / "no" / "cal.ics"):
        pass
    assert err.value.code == "output_failed"


def test_a_device_is_written_into_as_it_is() -> None:
    before = os.stat(os.devnull)
    with write_calendar(Path(os.devnull)) as write:
        write(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_mode == before.st_mode


def test_the_calendar_is_never_the_file_read_or_another_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text("x")
    monkeypatch.chdir(tmp_path)
    for same in (staff, Path("staff.csv"), tmp_path / "." / "staff.csv"):
        with pytest.raises(KenpoError) as err:
            refuse_same_file(same, read=str(staff))
        assert err.value.code == "ics_is_input"
    with pytest.raises(KenpoError) as err:
        refuse_same_file(tmp_path / "out", others={"-o": Path("out")})
    assert err.value.code == "ics_same_file" and err.value.params["other"] == "-o"
    refuse_same_file(tmp_path / "cal.ics", read="-", others={"-o": None, "--answers": staff})


CSV = "社員番号,氏名,資格確認書,資格喪失日\r\n" + "".join(
    f"E{n:04d},名前{n},有,2026-12-16\r\n" for n in range(1, 6)
)


def run_batch(
    tmp_path: Path,
    pack: RulePack,
    ics: Path,
    id_column: str | None = None,
    everything: bool = False,
    text: str = CSV,
    as_of: str = "2026-11-26",
) -> int:
    from kenpo_cli.io import safeio

    safeio.reset()  # a new run (in this process): its outputs are its own
    source = tmp_path / "staff.csv"
    source.write_text(text, encoding="utf-8")
    order = CalendarOrder(ics, datetime(2026, 11, 26, tzinfo=UTC), id_column, everything)
    return batch_mod.run(
        str(source),
        fmt="jsonl",
        output=tmp_path / "out.jsonl",
        encoding="auto",
        as_of=as_of,
        today=datetime(2026, 11, 26).date(),
        pack=pack,
        msgs=Messages("ja"),
        ics=order,
    )


def test_batch_streams_every_row_into_the_calendar(tmp_path: Path, pack: RulePack) -> None:
    ics = tmp_path / "office.ics"
    assert run_batch(tmp_path, pack, ics) == 0
    cal = ics_reader.parse(ics.read_bytes())
    titles = [e.get("SUMMARY").text for e in cal.all("VEVENT")]
    # The office's task: each leaver's 資格確認書 to collect from the leaving day. Their
    # own chore (destroying the お知らせ) is not the office's: only with --ics-all.
    assert titles == [f"E000{n}: 資格確認書を返却する" for n in range(1, 6)]
    assert cal.get("X-WR-CALNAME").text == Messages("ja")("calendar", "office_name")
    assert run_batch(tmp_path, pack, ics, everything=True) == 0
    titles = [e.get("SUMMARY").text for e in ics_reader.parse(ics.read_bytes()).all("VEVENT")]
    # (their own: the お知らせ to destroy, 任意継続 and the 国民健康保険 by their days)
    assert len(titles) == 20 and "E0001: 資格情報のお知らせを処分する" in titles


def test_the_office_calendar_puts_what_is_due_already_on_the_run_s_day(
    tmp_path: Path, pack: RulePack
) -> None:
    text = (
        "社員番号,マイナ保険証,資格確認書,資格喪失日,電子証明書の有効期限\r\n"
        "L1,いいえ,有,2026-10-16,\r\n"  # left in October: the card was due on 10-20
        "C1,はい,無,,2026-06-01\r\n"  # its grace period ended in September: overdue
        "C2,はい,無,,2026-12-20\r\n"  # a renewal ahead: on its deadline
        "T1,いいえ,有,2026-11-22,\r\n"  # due today (11-26): its alarms have gone by
        "R1,いいえ,有,2026-11-27,\r\n"  # 退職日 today: handed over today or never
    )
    ics = tmp_path / "office.ics"
    assert run_batch(tmp_path, pack, ics, text=text) == 0
    events = ics_reader.parse(ics.read_bytes()).all("VEVENT")
    got = {e.get("SUMMARY").text: e.get("DTSTART").text for e in events}
    assert got == {
        "L1: 【期限切れ】資格確認書を返却する": "20261126",
        "C1: 【期限切れ】マイナンバーカードの電子証明書を更新する": "20261126",
        "C2: マイナンバーカードの電子証明書を更新する": "20261220",
        "T1: 【今すぐ】資格確認書を返却する": "20261126",
        "R1: 【今すぐ】資格確認書を返却する": "20261126",
    }
    due_today = next(e for e in events if e.get("SUMMARY").text.startswith("T1"))
    assert [a.get("TRIGGER").raw for a in due_today.all("VALARM")] == ["PT9H"]  # this morning
    # A week later's file updates these events rather than adding others: the UID is the
    # step's, not the run's day.
    uids = [e.get("UID").text for e in events]
    assert run_batch(tmp_path, pack, ics, text=text, as_of="2026-12-03") == 0
    later = ics_reader.parse(ics.read_bytes()).all("VEVENT")
    # (R1 has left by then: its step is a former member's, another event)
    assert [e.get("UID").text for e in later][:4] == uids[:4]
    assert [e.get("DTSTART").text for e in later][:2] == ["20261203", "20261203"]
    assert [e.get("DTSTART").text for e in later][3] == "20261203"  # T1: overdue now


def test_ctrl_c_in_the_middle_of_a_batch_keeps_the_old_calendar(
    tmp_path: Path, pack: RulePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    ics = tmp_path / "office.ics"
    ics.write_bytes(OLD)
    write = JsonlWriter.verdict
    seen: list[int] = []

    def interrupted(self: JsonlWriter, *row: Any) -> None:
        seen.append(1)
        if len(seen) == 3:
            raise KeyboardInterrupt
        write(self, *row)

    monkeypatch.setattr(JsonlWriter, "verdict", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_batch(tmp_path, pack, ics)
    assert ics.read_bytes() == OLD
    assert leftovers(tmp_path) == ["office.ics", "staff.csv"]  # neither file half-written


def test_an_unknown_id_column_writes_nothing(tmp_path: Path, pack: RulePack) -> None:
    with pytest.raises(KenpoError) as err:
        run_batch(tmp_path, pack, tmp_path / "office.ics", id_column="従業員ID")
    assert err.value.code == "ics_id_column" and "社員番号" in err.value.params["columns"]
    assert leftovers(tmp_path) == ["staff.csv"]


@pytest.mark.parametrize(
    ("facts", "said"), [(["--myna", "yes"], True), (["--cert-expiry", "2026-12-20"], False)]
)
def test_an_empty_calendar_is_never_written_in_silence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, facts: list[str], said: bool
) -> None:
    from tests.inprocess import run_main

    ics = tmp_path / "me.ics"
    args = ["check", "--no-input", "--myna", "yes", *facts, "--as-of", "2026-11-26"]
    ran = run_main(monkeypatch, [*args, "--ics", str(ics), "--lang", "en"])
    assert ran.status == 0 and ics.exists()
    assert ("no step has a date" in ran.stderr) is said, ran.stderr


def test_ics_all_without_a_calendar_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.inprocess import run_main

    staff = tmp_path / "staff.csv"
    staff.write_text(CSV, encoding="utf-8")
    ran = run_main(monkeypatch, ["batch", str(staff), "--ics-all", "--lang", "en"])
    assert ran.status == 2 and "--ics FILE" in ran.stderr and not ran.stdout


@pytest.mark.parametrize("mark", ["\u202e", "\u2066", "\u200f", "\x1b", "\n"])
def test_an_id_cell_s_controls_and_direction_marks_never_reach_a_title(
    mark: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # U+202E turns the rest of a title around in a calendar: "E6<RLO>: 資格確認書を返却する"
    # reads backwards. Each is a space in the title, as a line break is.
    from tests.inprocess import run_main

    staff, ics = tmp_path / "staff.csv", tmp_path / "office.ics"
    staff.write_text(
        f'社員番号,資格喪失日,資格確認書\n"E6{mark}x",2026/12/16,有\n', encoding="utf-8"
    )
    ran = run_main(monkeypatch, ["batch", str(staff), "--as-of", "2026-12-07", "--ics", str(ics)])
    assert ran.status == 0, ran.stderr
    (title,) = [e.get("SUMMARY").text for e in ics_reader.parse(ics.read_bytes()).all("VEVENT")]
    assert title.startswith("E6 x: ") and mark not in title


def test_events_are_named_by_the_id_not_by_a_row_counter(tmp_path: Path, pack: RulePack) -> None:
    """A No. column (1, 2, 3… the row's place) changes when a row is added: named by it,
    next month's import would give one person's events another's number. 社員番号 beside
    it names them; a counter alone still does, when nothing else can."""
    text = "No.,社員番号,氏名,資格確認書,資格喪失日\r\n1,E0001,山田,有,2026-12-16\r\n"
    ics = tmp_path / "office.ics"
    assert run_batch(tmp_path, pack, ics, text=text) == 0
    titles = [e.get("SUMMARY").text for e in ics_reader.parse(ics.read_bytes()).all("VEVENT")]
    assert titles and all(t.startswith("E0001") for t in titles), titles
    alone = "No.,氏名,資格確認書,資格喪失日\r\n7,山田,有,2026-12-16\r\n"
    assert run_batch(tmp_path, pack, ics, text=alone) == 0
    titles = [e.get("SUMMARY").text for e in ics_reader.parse(ics.read_bytes()).all("VEVENT")]
    assert titles and all(t.startswith("7") for t in titles), titles
