"""``kenpo batch`` on the files of the independent HR-office review (issue 22), each
written the way the review wrote it: a heading whose bracketed note turns its marks
around, health-insurance headings and status headings as HR systems spell them, an
instructions sheet in two columns placed first, a 基準日 column beside --as-of, and the
hand work of a clerk (footers, ``="0001"``, a date with （予定）).
What must never happen: a wrong verdict with exit 0 and nothing said.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inprocess import Ran, run_main
from tests.unit.test_batch_sheets import batch, rows, steps, write

# ---- finding 1: a note that is a single value word -------------------------------------

NEG = """社員番号,氏名,在籍状況,資格喪失日,マイナ保険証（未登録）,資格確認書（返却済）
1,退職・返却済,退職,2026/11/20,○,○
2,在籍・マイナ未登録,在籍,,○,
3,在籍・マイナ登録済,在籍,,,
"""


def test_a_note_that_turns_the_marks_around_keeps_the_column_unread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, NEG, name="neg.csv"))
    assert ran.status == 0, ran.stderr
    returned, unregistered, _ = rows(ran)
    # Read as the plain fact, the one who handed the card back was told to return it,
    # and the one with no マイナ保険証 was told to carry it.
    assert returned["facts"]["kakuninsho"] != "held"
    assert unregistered["facts"]["myna"] != "yes"
    assert unregistered["can_see_doctor"] is not True
    # stderr names each column, --map, and what a ○ there means as a --map example
    for column, example in (
        ("マイナ保険証（未登録）", "--map 'マイナ保険証（未登録）:○=no'"),
        ("資格確認書（返却済）", "--map '資格確認書（返却済）:○=none'"),
    ):
        said = [line for line in ran.stderr.splitlines() if column in line and example in line]
        assert said, ran.stderr
    # and the example, followed, reads the column as the office meant it
    maps = [
        *("--map", "マイナ保険証（未登録）=myna", "--map", "マイナ保険証（未登録）:○=no"),
        *("--map", "資格確認書（返却済）=kakuninsho", "--map", "資格確認書（返却済）:○=none"),
    ]
    returned, unregistered, _ = rows(batch(monkeypatch, tmp_path / "neg.csv", *maps))
    assert returned["facts"]["kakuninsho"] == "none"
    assert ("return", "kakuninsho") not in steps(returned)
    assert unregistered["facts"]["myna"] == "no"


def test_a_sheet_whose_only_fact_column_has_such_a_note_gives_the_map_that_reads_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, "社員番号,マイナ保険証（未登録）\n1,○\n"))
    assert ran.status == 2
    assert "--map 'マイナ保険証（未登録）:○=no'" in ran.stderr, ran.stderr


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("資格確認書（紛失）", "kakuninsho"),
        ("資格確認書（未交付）", "kakuninsho"),
        ("資格確認書（無）", "kakuninsho"),
        ("資格確認書（回収）", "kakuninsho"),
        ("資格確認書（回収済）", "kakuninsho"),
        ("マイナ保険証（無）", "myna"),
        ("マイナ保険証（なし）", "myna"),
        ("マイナ保険証（×）", "myna"),
        ("マイナ保険証（申請中）", "myna"),
        ("マイナ保険証【未登録】", "myna"),
        ("健康保険証（回収済）", "old_card"),
        ("マイナ保険証(○=未登録)", "myna"),  # a key that turns ○ around
    ],
)
def test_a_single_value_word_in_a_note_is_not_the_plain_fact(heading: str, fact: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading, "在籍状況"], Messages("ja"))
    assert fact not in header.facts.values()
    assert [f for _, f, _ in header.noted] == [fact]


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("資格確認書（○:あり ×:なし）", "kakuninsho"),
        ("資格確認書（○/×）", "kakuninsho"),
        ("マイナ保険証(○×)", "myna"),
        ("マイナ保険証（あり・なし）", "myna"),
        ("マイナ保険証（登録済）", "myna"),  # what a ○ there means anyway
        ("マイナ保険証(○=登録済)", "myna"),  # a key that says what kenpo reads anyway
        ("マイナ保険証(×=未登録)", "myna"),
        ("資格確認書（交付済）", "kakuninsho"),
        ("資格喪失日（予定）", "left_on"),
    ],
)
def test_notes_that_leave_the_meaning_as_it_is_are_still_ignored(heading: str, fact: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading], Messages("ja"))
    assert list(header.facts.values()) == [fact] and not header.noted


# ---- finding 3: the health insurance's headings and the status headings ---------------


@pytest.mark.parametrize(
    "heading",
    [
        "健康保険・厚生年金保険 資格喪失日",
        "健康保険_資格喪失日",
        "健康保険/資格喪失日",
        "健康保険.資格喪失日",
        "健康保険：資格喪失日",
        "健康保険-資格喪失日",
        "社会保険_資格喪失日",
        "健保・厚年喪失日",
        "社会保険脱退日",
    ],
)
def test_a_leaving_day_headed_with_the_health_insurance_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    text = f"社員番号,氏名,{heading},マイナ保険証,資格確認書\nX1,退職者,2026/11/30,なし,あり\n"
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    (row,) = rows(ran)
    assert row["facts"]["left_on"] == "2026-11-30" and row["can_see_doctor"] is False
    assert ("return", "kakuninsho") in steps(row)


@pytest.mark.parametrize(
    "heading",
    ["厚生年金_資格喪失日", "雇用保険_資格喪失日", "厚生年金 喪失日", "国民健康保険 資格喪失日"],
)
def test_another_insurances_leaving_day_stays_unread_and_is_said(heading: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading, "マイナ保険証"], Messages("ja"))
    assert "left_on" not in header.facts.values()
    assert [fact for _, fact in header.other_insurance] == ["left_on"]


def test_a_group_heading_of_both_insurances_is_the_health_insurances(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,氏名,健康保険・厚生年金,,雇用保険,,マイナ保険証,資格確認書\n"
        ",,取得日,喪失日,取得日,喪失日,,\n"
        "1,甲,2010/04/01,2026/11/21,2010/04/01,,なし,あり\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    (row,) = rows(ran)
    assert row["facts"]["left_on"] == "2026-11-21"
    assert row["雇用保険 喪失日"] == ""  # the employment insurance's: passed through


def test_jobcan_and_freee_exports_read_the_status_and_the_leaving_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    jobcan = write(
        tmp_path,
        "\ufeff従業員番号,氏名,在籍ステータス,健康保険_資格喪失日,マイナ保険証,資格確認書\n"
        "0302,山本 恵,退職,2026/11/16,なし,あり\n",
        name="jobcan2.csv",
    )
    (row,) = rows(batch(monkeypatch, jobcan, "--as-of", "2026-12-06"))
    assert row["facts"]["status"] == "left" and ("return", "kakuninsho") in steps(row)
    freee = write(
        tmp_path,
        "従業員番号,氏名,雇用ステータス,入社日,退職日／退職予定日,"
        "健康保険 資格喪失日（予定含む）,マイナ保険証,資格確認書\n"
        "F1,退職者,退職,2015/04/01,2026/11/15,,なし,あり\n"
        "F2,在籍者,在籍,2015/04/01,,,なし,あり\n",
        name="freee_like.csv",
    )
    leaver, staying = rows(batch(monkeypatch, freee, "--as-of", "2026-12-06"))
    assert leaver["facts"]["left_on"] == "2026-11-16" and leaver["can_see_doctor"] is False
    assert staying["facts"]["status"] == "enrolled" and staying["can_see_doctor"] is True


@pytest.mark.parametrize("heading", ["従業員ステータス", "就業状況", "雇用ステータス"])
def test_a_leaver_status_with_a_blank_leaving_day_is_not_judged_enrolled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    text = f"社員番号,{heading},資格喪失日,マイナ保険証,資格確認書\n1,退職,,なし,あり\n"
    (row,) = rows(batch(monkeypatch, write(tmp_path, text)))
    assert row["facts"]["status"] == "left" and row["can_see_doctor"] is False


def test_an_unread_status_column_beside_a_leaving_day_is_said_and_the_hint_names_status(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,身分ステータス区分,資格喪失日,マイナ保険証,資格確認書\n1,退職,,なし,あり\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    said = [line for line in ran.stderr.splitlines() if "既定の答え" in line]
    assert said and "在籍状況 = enrolled" in said[0], ran.stderr
    hint = [line for line in ran.stderr.splitlines() if "身分ステータス区分" in line]
    assert hint and "--map" in hint[0] and "status" in hint[0]


def test_a_leavers_flag_is_read_as_the_status(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,氏名,退職フラグ,資格喪失日,マイナ保険証,資格確認書\n"
        "1,甲,1,2026/11/21,なし,あり\n2,乙,0,,なし,あり\n3,丙,○,,なし,あり\n4,丁,,,なし,あり\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    assert [r["facts"]["status"] for r in rows(ran)] == ["left", "enrolled", "left", "enrolled"]
    assert any("退職フラグ" in line and "○" in line for line in ran.stderr.splitlines())
    # left out by the office: not read
    ran = batch(monkeypatch, tmp_path / "staff.csv", "--map", "退職フラグ=-")
    assert rows(ran)[2]["facts"]["status"] == "enrolled"


# ---- finding 12: an instructions table first --------------------------------------------


def notes_first(tmp_path: Path) -> Path:
    """As the review's notes_first.xlsx: a 記入要領 sheet laid out as a 項目/記入方法
    table (one fact a row), then the staff on 名簿."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "記入要領"
    notes.append(["健康保険 書類管理表 記入要領"])
    notes.append(["項目", "記入方法"])
    notes.append(["在籍状況", "在籍／退職／休職 から選択"])
    notes.append(["資格喪失日", "退職日の翌日（yyyy/mm/dd）"])
    notes.append(["マイナ保険証", "○＝登録済、×＝未登録"])
    notes.append(["資格確認書", "○＝交付済、×＝なし"])
    staff = book.create_sheet("名簿")
    staff.append(["社員番号", "氏名", "在籍状況", "資格喪失日", "マイナ保険証", "資格確認書"])
    staff.append(["Z1", "退職者", "退職", datetime(2026, 11, 16), "×", "○"])
    staff.append(["Z2", "在籍者", "在籍", None, "×", "×"])
    path = tmp_path / "notes_first.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_an_instructions_table_first_is_passed_over_for_the_sheet_naming_facts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    import sys

    if reader == "openpyxl":
        monkeypatch.setitem(sys.modules, "python_calamine", None)  # as in kenpo.pyz
    ran = batch(monkeypatch, notes_first(tmp_path), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    leaver, staying = rows(ran)
    assert (leaver["社員番号"], staying["社員番号"]) == ("Z1", "Z2")
    assert ("return", "kakuninsho") in steps(leaver)
    assert "シート「名簿」" in ran.stderr.splitlines()[0]
    said = [line for line in ran.stderr.splitlines() if "記入要領" in line and "--sheet" in line]
    assert said and "名簿" in said[0], ran.stderr


def test_a_sheet_with_one_fact_column_is_still_read_when_it_is_no_instructions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    staff = book.active
    assert staff is not None
    staff.title = "社員"
    staff.append(["社員番号", "在籍状況"])
    staff.append(["1", "在籍"])
    staff.append(["2", "在籍"])
    leavers = book.create_sheet("退職者")
    leavers.append(["社員番号", "資格確認書", "退職日"])
    leavers.append(["5001", "○", "2026/9/30"])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    ran = batch(monkeypatch, path)
    assert [r["社員番号"] for r in rows(ran)] == ["1", "2"]


def example_first(tmp_path: Path, name: str, sample: str) -> Path:
    """A sheet that shows how to fill the list in, with a 記入例 table of its own (the
    same header, one sample row), then the real leavers on 退職者."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = name
    notes.append(["退職者の管理表です。退職したら1行追加してください。"])
    notes.append(["【記入例】"])
    notes.append(["社員番号", "氏名", "退職日", "マイナ保険証", "資格確認書"])
    notes.append(["00000", sample, "R8.3.31", "○", "有"])
    staff = book.create_sheet("退職者")
    staff.append(["社員番号", "氏名", "退職日", "マイナ保険証", "資格確認書"])
    staff.append(["00601", "山田", datetime(2026, 11, 30), "×", "有"])
    staff.append(["00602", "佐藤", datetime(2026, 12, 31), "×", "有"])
    path = tmp_path / "leavers.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(("name", "sample"), [("説明", "山田 一郎"), ("Sheet1", "見本 太郎")])
def test_a_sheet_holding_an_example_is_passed_over_for_the_staff(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, sample: str
) -> None:
    """Its sample row (R8.3.31) was judged as the only leaver, exit 0, and the two real
    leavers on the next sheet were never read: their cards were on no list."""
    ran = batch(monkeypatch, example_first(tmp_path, name, sample), "--as-of", "2026-12-07")
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["00601", "00602"]
    assert ("return", "kakuninsho") in steps(rows(ran)[0])
    said = [line for line in ran.stderr.splitlines() if "記入例" in line and "--sheet" in line]
    assert said and name in said[0] and "退職者" in said[0], ran.stderr
    # Asked for by name, the sheet is read as it is.
    asked = batch(monkeypatch, example_first(tmp_path, name, sample), "--sheet", name)
    assert [r["社員番号"] for r in rows(asked)] == ["00000"]


# ---- finding 4: a 基準日 column beside --as-of --------------------------------------------

KIJUN = """社員番号,氏名,基準日,資格喪失日,資格確認書
X1,山田,2026/10/31,2026/11/01,あり
X2,佐藤,2026/10/31,,あり
"""


def test_a_day_column_beside_as_of_is_said_and_can_be_left_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write(tmp_path, KIJUN, name="kijun.csv")
    # A typed --as-of wins (a payroll export's 基準日 is another day): the column is
    # copied, not read, and stderr says so with the --map that reads it (HR review, round
    # four; it was each row on its own 基準日, --as-of for the blanks).
    ran = batch(monkeypatch, path, "--as-of", "2026-12-06", "--only", "overdue")
    assert [r["社員番号"] for r in rows(ran)] == ["X1"]
    said = [line for line in ran.stderr.splitlines() if "基準日" in line and "--as-of" in line]
    assert said and "2026-12-06" in said[0] and "--map '基準日=as_of'" in said[0], ran.stderr
    # Named by --map, each row is judged on its own 基準日, --as-of serving the blanks.
    ran = batch(
        monkeypatch, path, "--as-of", "2026-12-06", "--only", "overdue", "--map", "基準日=as_of"
    )
    assert ran.status == 0 and rows(ran) == []
    said = [line for line in ran.stderr.splitlines() if "基準日" in line and "--as-of" in line]
    assert said and "--map '基準日=-'" in said[0], ran.stderr
    # Without --as-of the rows are judged on their 基準日, not today: said as well (a
    # snapshot's 基準日 months old was an answer of that day, with no word).
    plain = run_plain(monkeypatch, path).stderr
    said = [line for line in plain.splitlines() if "基準日" in line and "今日" in line]
    assert "--as-of" not in plain and said and "--map '基準日=-'" in said[0], plain


def run_plain(monkeypatch: pytest.MonkeyPatch, path: Path) -> Ran:
    return run_main(monkeypatch, ["batch", str(path)])


# ---- finding 13: a clerk's hand work ---------------------------------------------------

FOOTER = """社員番号,氏名,在籍状況,退職日,マイナ保険証,資格確認書
0001,甲,在籍,,なし,あり
0002,乙,退職,2026/11/30,なし,あり
合計,2名,,,,
,,,,登録者数,0
出力日,2026/12/06,,,,
作成者：総務部,山田,,,,
※,退職者は資格確認書を回収すること,,,,
印刷日,2026/12/06,,,,
"""


def test_two_cell_footers_are_no_people_but_skipped_and_counted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, FOOTER, name="footer.csv"), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["0001", "0002"]
    assert "受診できるか分からない人 0人" in ran.stderr
    said = [line for line in ran.stderr.splitlines() if "欄外" in line]
    assert said and "4行" in said[0] and "6, 7, 8, 9" in said[0], ran.stderr
    # a person with only an id and a name is still a person
    text = "社員番号,氏名,資格確認書\nE0003,山田\n"
    assert [r["社員番号"] for r in rows(batch(monkeypatch, write(tmp_path, text)))] == ["E0003"]


def test_a_planned_day_and_excels_text_formula_are_read_as_what_they_show(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,氏名,資格喪失日,マイナ保険証,資格確認書\n"
        '="0001",甲,="2026/11/30",="なし",あり\n'
        "0002,乙,2026/11/30（予定）,なし,あり\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert first["社員番号"] == "0001"
    assert first["facts"]["left_on"] == second["facts"]["left_on"] == "2026-11-30"
    assert first["facts"]["myna"] == "no"


def test_a_date_in_a_card_column_is_a_row_error_naming_map(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,マイナ保険証,資格確認書\n1,2025/04/01,あり\n2,なし,2026/10/01\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 3
    first, second = rows(ran)
    assert "マイナ保険証" in first["error"] and "--map 'マイナ保険証=cert_expiry'" in first["error"]
    assert "--map '資格確認書=kakuninsho_expiry'" in second["error"]


def test_a_two_row_header_with_a_returned_column_is_still_joined(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As the review's office1.xlsx: 健康保険 over its dates, 資格確認書 over 交付, 有効期限
    # and 回収 (a word that must stay a sub-heading, not a person's cell).
    text = (
        "社員番号,氏名,健康保険,,マイナ保険証,資格確認書,,\n"
        ",,資格取得日,資格喪失日,登録,交付,有効期限,回収\n"
        "302,石井 二,2012/04/01,2026/11/21,×,○,2027/11/30,未\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-06")
    assert ran.status == 0, ran.stderr
    (row,) = rows(ran)
    assert row["facts"]["left_on"] == "2026-11-21" and row["facts"]["kakuninsho"] == "held"


@pytest.mark.parametrize(
    ("legend", "read"), [("(1:登録 0:未登録)", True), ("(0:登録 1:未登録)", False)]
)
def test_a_registration_legend_in_the_heading_is_read_when_it_agrees(
    legend: str, read: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = f"社員番号,マイナ保険証{legend},資格確認書\nA1,1,無\nA2,0,有\n"
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-06")
    first, second = rows(ran)
    if read:  # 1 is registered, as kenpo reads a 1 anyway
        assert (first["facts"]["myna"], second["facts"]["myna"]) == ("yes", "no")
    else:  # turned around: not read as the plain fact, and said
        assert first["facts"]["myna"] == second["facts"]["myna"] == "no"  # (the default)
        assert "--map" in ran.stderr


@pytest.mark.parametrize(
    "text",
    [
        "<html><body><table><tr><td>社員番号</td><td>マイナ保険証</td></tr></table></body></html>",
        '\ufeff<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:x">',
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head></html>",
    ],
)
def test_a_web_page_saved_as_xls_is_named_as_such(
    text: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, text, name="export.xls"))
    assert ran.status == 2 and "Traceback" not in ran.stderr
    assert "Web ページ" in ran.stderr and ".xlsx" in ran.stderr and "export.xls" in ran.stderr


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_two_sheets_named_are_refused_not_the_last_read_alone(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 在籍者 and 退職者 kept apart: a clerk naming both would otherwise get the leavers
    # alone, exit 0, and think the staff were judged too.
    path = notes_first(tmp_path)
    out = tmp_path / "out.csv"
    args = ("--sheet", "記入要領", "--sheet", "名簿", "-o", str(out), "--lang", lang)
    ran = batch(monkeypatch, path, *args)
    assert ran.status == 2 and not out.exists()
    assert "記入要領, 名簿" in ran.stderr and "Traceback" not in ran.stderr
    assert "--sheet '記入要領'" in ran.stderr  # how to run one sheet at a time
    # The same name twice is one sheet: read as asked.
    assert batch(monkeypatch, path, "--sheet", "名簿", "--sheet", "名簿").status == 0


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
@pytest.mark.parametrize("far", ["XFD1048576", "ZZ200000"])
def test_a_stray_value_far_from_the_table_is_refused_not_a_crash(
    reader: str, far: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # calamine holds the grid up to the last cell: XFD1048576 asked for 512 GiB and the
    # process aborted with a Rust backtrace (ZZ200000: 4 GB and 24 s).
    import sys

    from openpyxl import Workbook

    if reader == "openpyxl":
        monkeypatch.setitem(sys.modules, "python_calamine", None)  # as in kenpo.pyz
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["社員番号", "マイナ保険証"])
    sheet.append(["E1", "はい"])
    sheet[far] = "x"
    path, out = tmp_path / "far.xlsx", tmp_path / "out.jsonl"
    book.save(path)
    ran = batch(monkeypatch, path, "-o", str(out))
    assert ran.status == 2 and not out.exists()
    assert far in ran.stderr and "Ctrl+End" in ran.stderr and "Traceback" not in ran.stderr


def test_the_far_cell_check_refuses_only_a_big_and_mostly_empty_grid() -> None:
    from kenpo_cli.batch import xlsx

    def sheet(last_row: int, column: str, cells: int) -> bytes:
        rows = b"".join(
            b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, cells)
        )
        far = b'<row r="%d"><c r="%s%d"><v>1</v></c></row>' % (last_row, column.encode(), last_row)
        return b"<sheetData>" + rows + far + b"</sheetData>"

    # ZZ is column 702: the grid is rows x 702 cells.
    edge = xlsx.GRID // 702
    assert xlsx._far_cell(sheet(edge, "ZZ", 10)) is None  # within the grid's bound
    assert xlsx._far_cell(sheet(edge + 1, "ZZ", 10)) == f"ZZ{edge + 1}"
    # A table that fills its grid is read, however big (only sparse grids are refused).
    dense = sheet(edge + 1, "ZZ", 10).replace(
        b"<sheetData>", b"<sheetData>" + b'<c r="A1"/>' * (edge * 702 // xlsx.SPARSE + 702)
    )
    assert xlsx._far_cell(dense) is None
    assert xlsx._far_cell(sheet(5, "B", 5)) is None
    # Past Excel's own limits (a workbook no Excel wrote): calamine aborted asking for
    # 116 GB at row 99999999999, and read column ZZZZ for 18 s (an attacker's review);
    # also when that row comes first, out of order.
    assert xlsx._far_cell(sheet(99_999_999_999, "A", 5)) == "A99999999999"
    assert xlsx._far_cell(sheet(10, "ZZZZ", 5)) == "ZZZZ10"
    assert xlsx._far_cell(sheet(10, "XFE", 5)) == "XFE10"
    assert xlsx._far_cell(sheet(10, "XFD", 5)) is None  # Excel's last column, a small grid
    early = (
        b'<sheetData><row r="99999999"><c r="B99999999"><v>1</v></c></row>' + sheet(5, "B", 5)[11:]
    )
    assert xlsx._far_cell(early) is not None


def test_a_my_number_beginning_with_0_in_a_number_cell_is_masked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Typed into a plain number cell, 012345678903 is kept by Excel as 12345678903: it
    # passed to every output unmasked (an attacker's review).
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["社員番号", "備考", "マイナ保険証"])
    sheet.append(["E1", 12345678903, "はい"])  # 0 + 1234567890 and its check digit 3
    sheet.append(["E2", 12345678904, "はい"])  # no check digit: an 11-digit number
    path = tmp_path / "staff.xlsx"
    book.save(path)
    ran = batch(monkeypatch, path)
    assert "12345678903" not in ran.stdout and "12345678904" in ran.stdout, ran.stdout
    for name in ("out.csv", "out.xlsx"):
        batch(monkeypatch, path, "-o", str(tmp_path / name))
    assert "12345678903" not in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    cells = [
        str(c) for row in load_workbook(tmp_path / "out.xlsx").worksheets[0].values for c in row
    ]
    assert not any("12345678903" in c for c in cells)
