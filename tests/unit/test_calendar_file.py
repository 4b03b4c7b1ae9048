"""The ``--ics`` file: private, whole or not at all, never the input, never through a link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import kenpo_cli.batch as batch_mod
from kenpo_cli.batch_writers import JsonlWriter
from kenpo_cli.calendar_file import CalendarOrder, refuse_same_file, write_calendar
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages
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


def run_batch(tmp_path: Path, pack: RulePack, ics: Path, id_column: str | None = None) -> int:
    source = tmp_path / "staff.csv"
    source.write_text(CSV, encoding="utf-8")
    order = CalendarOrder(ics, datetime(2026, 11, 26, tzinfo=UTC), id_column)
    return batch_mod.run(
        str(source),
        fmt="jsonl",
        output=tmp_path / "out.jsonl",
        encoding="auto",
        as_of="2026-11-26",
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
    # Each leaver gives back the 資格確認書 and destroys the お知らせ from the leaving day,
    # and has until a day to apply for 任意継続 or join the 国民健康保険.
    assert len(titles) == 20
    whose = list(dict.fromkeys(t.split(": ")[0] for t in titles))
    assert whose == [f"E000{n}" for n in range(1, 6)]
    assert cal.get("X-WR-CALNAME").text == Messages("ja")("calendar", "office_name")


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
