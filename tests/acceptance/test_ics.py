"""``--ics`` as members and HR offices use it: the installed command writes a calendar."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import icalendar
import pytest

from kenpo_cli.privacy import MY_NUMBER_SHAPE
from tests import ics_reader
from tests.acceptance.test_cli import kenpo

# Any twelve digits, valid check digit or not: none may reach a calendar.
MY_NUMBER_ANYWHERE = re.compile(MY_NUMBER_SHAPE)

LEAVER = (
    "--no-input",
    "--as-of",
    "2026-11-26",
    "--left-on",
    "2026-12-16",
    "--myna",
    "yes",
    "--cert-expiry",
    "2027-01-10",
    "--kakuninsho",
    "held",
)


def read(path: Path) -> tuple[ics_reader.Component, icalendar.Calendar]:
    data = path.read_bytes()
    return ics_reader.parse(data), icalendar.Calendar.from_ical(data)


def uids(path: Path) -> list[str]:
    return [e.get("UID").text for e in ics_reader.parse(path.read_bytes()).all("VEVENT")]


def test_check_writes_one_event_per_dated_step(tmp_path: Path) -> None:
    ics = tmp_path / "kenpo.ics"
    r = kenpo("check", *LEAVER, "--json", "--ics", str(ics))
    assert r.returncode == 0, r.stderr
    json.loads(r.stdout)  # stdout still holds the JSON document alone
    dated = [a for a in json.loads(r.stdout)["actions"] if "by" in a or "from" in a]
    ours, theirs = read(ics)
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    days = sorted(a.get("by", a.get("from")) for a in dated)
    assert sorted(str(e.decoded("dtstart")) for e in theirs.events) == days
    assert "資格確認書を返却する" in [e.get("SUMMARY").text for e in ours.all("VEVENT")]


def test_check_again_gives_the_same_events(tmp_path: Path) -> None:
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    assert kenpo("check", *LEAVER, "--plain", "--ics", str(first)).returncode == 0
    assert kenpo("check", *LEAVER, "--lang", "en", "--ics", str(second)).returncode == 0
    assert uids(first) == uids(second) and len(set(uids(first))) == 5  # with 任意継続 and 国保


def test_check_never_writes_the_calendar_over_the_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "me.toml"
    answers.write_text('myna = "yes"\n', encoding="utf-8")
    r = kenpo("check", "--no-input", "--answers", str(answers), "--ics", str(answers))
    assert r.returncode == 2 and "--answers" in r.stderr
    assert answers.read_text(encoding="utf-8") == 'myna = "yes"\n'


STAFF = "\r\n".join(
    [
        "社員番号,氏名,マイナ保険証,電子証明書有効期限,資格確認書,資格喪失日",
        "E0001,髙橋 一郎,はい,2027-01-10,無,",
        "E0002,山﨑 花子,いいえ,,有,",
        "E0004,鈴木 三郎,いいえ,,有,R8.12.16",
        'E0005,"田中, 四郎",いいえ,,有,R8.12.16',
        "No.123456789018,番号を書いた人,いいえ,,有,R8.12.16",
        ",番号なし,いいえ,,有,R8.12.16",
    ]
)


def batch(tmp_path: Path, *args: str, staff: str = STAFF) -> tuple[int, str, Path]:
    source = tmp_path / "staff.csv"
    source.write_bytes((staff + "\r\n").encode())
    ics = tmp_path / "office.ics"
    r = kenpo("batch", str(source), "--as-of", "2026-11-26", "--ics", str(ics), *args)
    return r.returncode, r.stderr, ics


def test_batch_writes_the_office_calendar_named_by_employee_number(tmp_path: Path) -> None:
    status, stderr, ics = batch(tmp_path, "-o", str(tmp_path / "out.jsonl"))
    assert status == 0, stderr
    ours, theirs = read(ics)
    titles = [e.get("SUMMARY").text for e in ours.all("VEVENT")]
    assert "E0004: 資格確認書を返却する" in titles
    assert "E0001: マイナンバーカードの電子証明書を更新する" in titles
    assert not any(t.startswith("E0002") for t in titles)  # nothing dated for E0002
    assert "6行目: 資格確認書を返却する" in titles  # no id: the row number
    assert "髙橋" not in ics.read_text(encoding="utf-8")  # names stay out unless chosen
    assert len(theirs.events) == len(titles)
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600


def test_batch_names_events_by_the_column_the_office_chooses(tmp_path: Path) -> None:
    status, stderr, ics = batch(tmp_path, "--id-column", "氏名", "--lang", "en")
    assert status == 0, stderr
    _, theirs = read(ics)
    titles = [str(e["SUMMARY"]) for e in theirs.events]
    assert "田中, 四郎: Give back: 資格確認書 (eligibility certificate)" in titles
    assert r"田中\, 四郎" in ics.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "heading",
    ["氏名", "名前", "フリガナ", "Employee Name", "姓", "社員名", "被保険者名", "フルネーム"],
)
def test_a_names_column_first_in_the_sheet_stays_out_of_the_calendar(
    tmp_path: Path, heading: str
) -> None:
    # Many exports put the name first: the events still go by the employee number.
    staff = f"{heading},社員番号,資格確認書,資格喪失日\r\n髙橋 一郎,E0009,有,R8.12.16"
    status, stderr, ics = batch(tmp_path, "-o", str(tmp_path / "out.jsonl"), staff=staff)
    assert status == 0, stderr
    text = ics.read_text(encoding="utf-8")
    assert "E0009: 資格確認書を返却する" in text and "髙橋" not in text
    assert "予定の名前に使う列: 社員番号" in stderr  # the office is told which


def test_batch_rows_have_their_own_uids_stable_across_runs(tmp_path: Path) -> None:
    _, _, ics = batch(tmp_path)
    first = uids(ics)
    _, _, ics = batch(tmp_path)
    assert uids(ics) == first
    assert len(set(first)) == len(first)  # E0004 and E0005 have the same steps on one day


def test_no_my_number_reaches_the_office_calendar(tmp_path: Path) -> None:
    _, _, ics = batch(tmp_path)
    text = ics.read_text(encoding="utf-8")
    unfolded = "\n".join(ics_reader.unfold(ics.read_bytes()))
    assert not MY_NUMBER_ANYWHERE.search(text) and not MY_NUMBER_ANYWHERE.search(unfolded)
    assert not re.search(r"123456789018", re.sub(r"\s", "", text))
    assert "5行目: 資格確認書を返却する" in unfolded  # the id held one: titled by row


def test_a_twelve_digit_employee_number_without_a_check_digit_names_its_events(
    tmp_path: Path,
) -> None:
    # Not a マイナンバー (its check digit is wrong): HR offices key rows on such numbers.
    _, _, ics = batch(tmp_path, staff=STAFF.replace("No.123456789018", "No.123456789012"))
    unfolded = "\n".join(ics_reader.unfold(ics.read_bytes()))
    assert "No.123456789012: 資格確認書を返却する" in unfolded


def test_a_my_number_in_the_id_column_leaves_no_trace_not_even_hashed(tmp_path: Path) -> None:
    # The UID hashes the id cell: it must hash the masked cell, or the number could be
    # recovered by trying every candidate. (A cell that is a number alone is masked by
    # batch itself; one inside other text reaches the calendar's code.)
    _, _, ics = batch(tmp_path)
    first = uids(ics)
    _, _, ics = batch(tmp_path, staff=STAFF.replace("No.123456789018", "No.9876 5432 1018"))
    assert uids(ics) == first


def test_batch_refuses_a_calendar_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_bytes(STAFF.encode())
    r = kenpo("batch", str(source), "--ics", str(source))
    assert r.returncode == 2 and "--ics" in r.stderr
    assert source.read_bytes() == STAFF.encode()


def test_batch_with_a_wrong_id_column_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    status, stderr, ics = batch(tmp_path, "--id-column", "従業員番号", "-o", str(out))
    assert status == 2 and "社員番号" in stderr
    assert not ics.exists() and not out.exists()


def test_id_column_without_ics_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(STAFF, encoding="utf-8")
    r = kenpo("batch", str(source), "--id-column", "氏名")
    assert r.returncode == 2 and "--ics" in r.stderr and r.stdout == ""


def test_two_rows_whose_id_cells_hold_my_numbers_keep_two_events(tmp_path: Path) -> None:
    staff = "ID,資格確認書,資格喪失日\r\n123456789018,有,R8.12.16\r\n987654321093,有,R8.12.16"
    status, stderr, ics = batch(tmp_path, "-o", str(tmp_path / "out.jsonl"), staff=staff)
    assert status == 0, stderr
    _, theirs = read(ics)
    titles = sorted(str(e["SUMMARY"]) for e in theirs.events if "返却" in str(e["SUMMARY"]))
    assert titles == ["1行目: 資格確認書を返却する", "2行目: 資格確認書を返却する"]
    assert len(set(uids(ics))) == len(uids(ics))  # no event lost to a shared UID


def test_two_people_under_one_id_keep_their_own_events_and_a_unique_id_keeps_its_uid(
    tmp_path: Path,
) -> None:
    # Two people typed under one 社員番号 (D1): a calendar keeps one event per UID, so the
    # repeat gets its own; D2, whose id is unique, keeps the UID next month's file updates.
    staff = "社員番号,資格確認書,資格喪失日\r\nD2,有,R8.12.16\r\nD1,有,R8.12.31\r\nD1,有,R8.12.31"
    status, stderr, ics = batch(tmp_path, "-o", str(tmp_path / "out.jsonl"), staff=staff)
    assert status == 0, stderr
    _, theirs = read(ics)
    returns = [e for e in theirs.events if "返却" in str(e["SUMMARY"])]
    assert sorted(str(e["SUMMARY"]).split(":")[0] for e in returns) == ["D1", "D1", "D2"]
    together = uids(ics)
    assert len(set(together)) == len(together)
    alone = "社員番号,資格確認書,資格喪失日\r\nD2,有,R8.12.16"
    _, _, again = batch(tmp_path, "-o", str(tmp_path / "out.jsonl"), staff=alone)
    assert uids(again) and set(uids(again)) <= set(together)
