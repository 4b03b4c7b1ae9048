"""``kenpo batch`` on the last shapes of issue 22, each file written as its system writes it.

A pass-through date column beside the ids (a マイナンバー is still masked where it is, and
only there); an instructions sheet placed first in a workbook; a tally row in a fact
column; Excel's empty date (0, shown as 00:00:00 or 1900/1/0); 離職 as a status word.
What must never happen: a wrong verdict with exit 0.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_batch_sheets import batch, rows, steps

MY_NUMBER = "123456789018"  # a valid マイナンバー (its check digit is 8)


# ---- a マイナンバー among pass-through ids and dates ----------------------------------


def test_a_my_number_is_masked_in_its_cell_beside_pass_through_ids_and_dates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As ジョブカン exports: UTF-8, 生年月日 and 更新日 passed through beside the staff code
    # (twelve digits together on every row, none a マイナンバー), a note holding one.
    path = tmp_path / "jobcan.csv"
    path.write_text(
        "スタッフコード,生年月日,更新日,マイナ保険証,備考\n"
        "E0000001,1980/01/02,2003/05/30,有,\n"
        f"E0000002,1975/03/04,2010/04/01,有,控え {MY_NUMBER}\n"
        # a cell holding the character the batch joins cells with, between the digits
        f"E0000003,1990/05/06,2020/04/01,有,{MY_NUMBER[:6]}\x1f{MY_NUMBER[6:]}\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    first, second, third = rows(ran)
    assert (first["生年月日"], first["更新日"]) == ("1980/01/02", "2003/05/30")
    assert MY_NUMBER not in ran.stdout and "控え" in second["備考"]
    assert "\x1f" not in third["備考"] and third["備考"].strip("*") == ""
    assert second["更新日"] == "2010/04/01"  # only the cell holding one is masked
    assert "備考" in ran.stderr.splitlines()[-1]  # the summary names the column


def _digit_runs_one_by_one(text: str) -> list[list[int]]:
    """privacy._digit_runs as it was: each digit found alone, each gap looked at."""
    import re

    from kenpo_cli import privacy

    runs: list[list[int]] = []
    for m in re.finditer(privacy._DIGIT, text):
        at = m.start()
        if runs and (at - runs[-1][-1] == 1 or privacy._joins(text[runs[-1][-1] + 1 : at])):
            runs[-1].append(at)
        else:
            runs.append([at])
    return runs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１²③ -/.:,()午前年月日aE\x1f\u200b", max_size=40))
def test_digit_runs_found_a_group_at_a_time_are_the_same_runs(text: str) -> None:
    from kenpo_cli import privacy

    assert privacy._digit_runs(text) == _digit_runs_one_by_one(text)


# ---- an instructions sheet placed first ------------------------------------------------


def instructions_first(tmp_path: Path, with_staff: bool = True) -> Path:
    """As an office's template workbook: a 説明 sheet of instructions first (one column of
    sentences, no header), then the staff, then a hidden lookup sheet."""
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "説明"
    notes.append(["このブックの使い方"])
    notes.append(["1. 「社員一覧」シートに一人一行で入力してください。"])
    notes.append(["2. マイナ保険証は 有／無、資格喪失日は 2026/11/1 の形で。"])
    if with_staff:
        staff = book.create_sheet("社員一覧")
        staff.append(["社員番号", "氏名", "資格喪失日", "マイナ保険証", "資格確認書"])
        staff.append([1001, "山田 太郎", None, "有", "無"])
        staff.append([1002, "佐藤 花子", "2026/11/01", "無", "有"])
    lookup = book.create_sheet("選択肢")
    lookup.append(["社員番号", "マイナ保険証"])
    lookup.sheet_state = "hidden"
    path = tmp_path / "template.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_an_instructions_sheet_first_is_passed_over_and_the_sheet_read_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    import sys

    if reader == "openpyxl":
        monkeypatch.setitem(sys.modules, "python_calamine", None)  # as in kenpo.pyz
    ran = batch(monkeypatch, instructions_first(tmp_path))
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert (first["社員番号"], second["社員番号"]) == ("1001", "1002")
    assert ("return", "kakuninsho") in steps(second)
    assert "シート「説明」には見出し行がない" in ran.stderr
    assert "シート「社員一覧」" in ran.stderr.splitlines()[0]


def test_a_workbook_with_no_header_on_any_sheet_shown_is_still_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, instructions_first(tmp_path, with_staff=False))
    assert ran.status == 2 and not ran.stdout
    assert "シート「説明」に見出し行が見つかりません" in ran.stderr


# ---- a tally row ----------------------------------------------------------------------


def test_tally_rows_in_fact_columns_are_not_people(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Excel's CSV (CP932): COUNTIF tallies under the table, in the fact columns themselves.
    text = (
        "社員番号,氏名,資格喪失日,マイナ保険証,資格確認書\r\n"
        "1001,山田 太郎,,有,無\r\n"
        "1002,佐藤 花子,2026/11/01,無,有\r\n"
        ",人数,,1,1\r\n"  # counts 1/1 would read as yes/held: a person on defaults
        ",,,登録済 計 1,交付 1\r\n"
        ",,,,合計 2名\r\n"
        ",件数,,2,2\r\n"
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp932"))
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1001", "1002"]
    assert "合計・小計の行 4行を読み飛ばしました（4, 5, 6, 7 行目）" in ran.stderr


def test_a_headcount_word_in_a_note_leaves_the_person_in() -> None:
    from kenpo_cli.batch.rows import not_a_person

    assert not_a_person(["山田", "扶養人数 2", "有", "無"]) is None
    assert not_a_person(["", "人数", "1", "1"]) == "total"


# ---- Excel's empty date ---------------------------------------------------------------


def test_excels_empty_date_is_no_date_in_a_csv_and_in_a_workbook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    # A 資格喪失日 looked up with VLOOKUP: a blank source shows as 1900/1/0 (date format)
    # or 0:00:00 (time format), and Excel's CSV writes what it shows.
    text = (
        "社員番号,資格喪失日,マイナ保険証,資格確認書\r\n"
        "1001,1900/1/0,有,有\r\n"
        "1002,0:00:00,有,有\r\n"
        "1003,00:00:00,有,有\r\n"
        "1004,1900/01/00 0:00,有,有\r\n"
        "1005,2026/11/1,有,有\r\n"
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp932"))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["社員番号", "資格喪失日", "マイナ保険証", "資格確認書"])
    sheet.append([1001, 0, "有", "有"])
    sheet["B2"].number_format = "yyyy/m/d"
    sheet.append([1005, "2026/11/1", "有", "有"])
    xlsx = tmp_path / "staff.xlsx"
    book.save(xlsx)
    for source, members in ((path, 4), (xlsx, 1)):
        ran = batch(monkeypatch, source)
        assert ran.status == 0, ran.stderr  # not an error row each
        out = rows(ran)
        assert all(r["can_see_doctor"] is True for r in out[:members]), out
        assert all("left_on" in r["assumed"] for r in out[:members])
        assert ("return", "kakuninsho") in steps(out[-1])  # a real day is still read
        assert "1900/1/0・00:00:00" in ran.stderr and "資格喪失日" in ran.stderr


# ---- 離職 as a status word --------------------------------------------------------------


@pytest.mark.parametrize("word", ["離職", "離職済", "離職済み", "退職者", "退社済み", "依願退職"])
def test_leaving_words_hr_systems_use_are_a_leaver(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, word: str
) -> None:
    path = tmp_path / "jobcan.csv"
    path.write_text(
        f"スタッフコード,在籍状況,資格喪失日,資格確認書\nS001,{word},2026/11/01,有\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    (row,) = rows(ran)
    assert row["can_see_doctor"] is False and ("return", "kakuninsho") in steps(row)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789012345678901234567890123456789 -/.:,()aE\x1f\t'", max_size=48))
def test_ascii_my_numbers_found_a_group_at_a_time_are_those_found_digit_by_digit(
    text: str,
) -> None:
    from kenpo_cli import privacy

    assert privacy._ascii_spans(text) == privacy._spans_by_digit(text)


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("123456789018", True), ("1234-5678-9018", True), ("x 1234 5678 9018 y", True),
        ("12345678901 8", True), ("1234567890189", False), ("2026-04-01 00:00:00", False),
        ("0", False),
    ],
)  # fmt: skip
def test_the_ascii_search_finds_what_the_digit_search_finds(text: str, held: bool) -> None:
    from kenpo_cli import privacy

    assert privacy._ascii_spans(text) == privacy._spans_by_digit(text)
    assert bool(privacy.my_number_spans(text)) is held


# ---- a ditto mark (") typed in an unquoted export ---------------------------------------


def test_a_ditto_mark_in_a_note_does_not_swallow_the_rows_after_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As 給与奉行 exports (CP932, CRLF, nothing quoted); the clerk typed " for 同上. Read
    # as CSV, the first " opens a cell that the next one closes, three rows later.
    path = tmp_path / "bugyo.csv"
    lines = [
        "社員番号,氏名,所属,退職日,マイナ保険証,資格確認書,扶養人数,備考",
        "000201,青木 一,営業部,2026/11/30,未登録,有,1,11月末退職組",
        '000202,石井 二,営業部,2026/11/30,未登録,有,2,"',
        "000203,上田 三,営業部,2026/11/30,未登録,有,0,",
        "000204,江口 四,開発部,2026/11/30,未登録,有,3,",
        '000205,大野 五,開発部,2026/11/30,未登録,有,0,"',
        "000206,加藤 六,総務部,,登録済,無,0,",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    ran = batch(monkeypatch, path)
    out = rows(ran)
    assert [r["社員番号"] for r in out] == [f"00020{n}" for n in range(1, 7)]  # each once
    assert ran.status == 3  # the two rows with a ditto mark: errors, said
    assert "同上" in out[1]["error"] and "000203" not in out[1]["error"], out[1]
    assert "閉じていません" in out[4]["error"]  # the last one is closed by no later quote
    assert "error" not in out[5]
    assert ("return", "kakuninsho") in steps(out[2]) and ("return", "kakuninsho") in steps(out[3])


def test_a_quoted_note_of_several_lines_with_commas_is_still_one_cell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A note written by a system that quotes (SmartHR): lines with a row's commas in it,
    # but none that begins as a row does (an employee number), is one cell.
    path = tmp_path / "smarthr.csv"
    path.write_text(
        "社員番号,氏名,退職日,マイナ保険証,資格確認書,備考\n"
        '000201,青木 一,2026/11/30,未登録,有,"回収予定, 12/10, 総務, 済, 未, 未\n'
        'メモ: 本人, 家族, 2名, 連絡済, 済, 済\n確認, 済, 済, 済, 済, 済"\n'
        "000202,石井 二,,登録済,無,\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, path)
    out = rows(ran)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in out] == ["000201", "000202"]
    assert out[0]["備考"].count("\n") == 2


# ---- a death recorded as the reason for leaving --------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "退職理由",
        "喪失理由",
        "退職事由",
        "資格喪失事由",
        "退職区分",
        "退職種別",  # as 奉行 and in-house databases name it
        "健保喪失原因",
        "喪失原因",
        "資格喪失原因",
    ],
)
def test_a_death_in_the_leaving_reason_is_refused_as_in_the_status(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    # As SmartHR and freee export: the status is 退職, the reason says why. The steps
    # after leaving (国民健康保険, 任意継続) are the member's own: not for one who died.
    path = tmp_path / "smarthr.csv"
    path.write_text(
        f"社員番号,退職年月日,{heading},マイナ保険証,資格確認書,備考\n"
        "1,2026/11/20,死亡退職,未登録,有,\n"
        "2,2026/11/20,死亡（11/19）,未登録,有,\n"
        "4,2026/11/20,在職死亡,未登録,有,\n"
        "5,2026/11/20,本人死亡,未登録,有,\n"
        "6,2026/11/20,病死,未登録,有,\n"
        "7,2026/11/20,永眠,未登録,有,\n"
        "8,2026/11/20,逝去のため,未登録,有,\n"
        "3,2026/11/30,自己都合退職,未登録,有,父死亡のため扶養を外れる\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, path)
    out = rows(ran)
    assert ran.status == 3 and len(out) == 8
    for died in out[:7]:
        assert heading in died["error"] and "nini_keizoku" not in json.dumps(died), died
    assert ("submit", "nini_keizoku") in steps(out[7])  # a note mentioning a death: no


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_a_leaving_reason_on_a_sheet_with_no_status_or_leaving_day_is_refused(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 退職区分 is the only sign of who left: judged at the default (a member), a retiree
    # holding a 資格確認書 was told to carry it, and nobody was on the list to collect it.
    sheet = tmp_path / "kubun.csv"
    sheet.write_text(
        "社員番号,氏名,退職区分,資格確認書,マイナ保険証\n"
        "A1,甲,定年退職,有,未\nA2,乙,,有,未\nA3,丙,自己都合退職,有,未\nA4,丁,－,有,未\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet, "--lang", lang)
    assert ran.status == 3, ran.stderr
    retiree, staying, leaver, dash = rows(ran)
    for row, said in ((retiree, "定年退職"), (leaver, "自己都合退職")):
        assert (
            "facts" not in row
            and said in row["error"]
            and "--map '退職区分=status'" in row["error"]
        )
    assert staying["facts"]["status"] == dash["facts"]["status"] == "enrolled"
    # Beside a 退職日 column the reason is only looked at for a death, as before.
    sheet.write_text(
        "社員番号,退職区分,退職日,資格確認書\nA1,定年退職,2026/11/30,有\n", encoding="utf-8"
    )
    (row,) = rows(batch(monkeypatch, sheet))
    assert ("return", "kakuninsho") in steps(row)


@pytest.mark.parametrize(
    ("status", "left", "reason", "refused"),
    [
        ("", "", "定年退職", True),  # nothing says enrolled but the default: not guessed
        ("", "", "自己都合", True),
        ("在籍", "", "定年退職", False),  # said to be employed (定年再雇用 keeps its reason)
        ("", "2026/11/30", "定年退職", False),  # the day is there: a leaver, as ever
        ("", "", "", False),
        ("", "", "-", False),
    ],
)
def test_a_leaving_reason_on_a_row_whose_status_and_day_are_blank_is_refused(
    status: str,
    left: str,
    reason: str,
    refused: bool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # A 退職者 sheet with the day left blank: 退職理由 定年退職 was read as a member's row
    # ("carry your card"), exit 0, and the card was on no list to collect.
    sheet = tmp_path / "leavers.csv"
    sheet.write_text(
        f"社員番号,在籍区分,退職日,退職理由,資格確認書\nB1,{status},{left},{reason},○\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet, "--as-of", "2026-12-07")
    (row,) = rows(ran)
    assert ("error" in row) is refused, row
    assert ran.status == (3 if refused else 0)
    if refused:
        assert "退職理由" in row["error"] and "退職日" in row["error"]


# ---- "no end date" as HR systems and databases write it ------------------------------------


def test_a_leaving_day_of_2099_12_31_or_later_or_a_zero_date_is_no_leaving_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 2099/12/31 and 9999/12/31 are how HR systems fill 退職日 for "no end"; 0000-00-00 is a
    # database's empty date. Read as days, they made leavers of everyone (in 2100).
    path = tmp_path / "export.csv"
    path.write_text(
        "社員番号,退職日,資格喪失日,マイナ保険証,資格確認書\n"
        "1,2099/12/31,,未登録,有\n"
        "2,9999/12/31,,未登録,有\n"
        "3,,9999-12-31,未登録,有\n"
        "4,0000-00-00,,未登録,有\n"
        "5,0000/00/00 00:00:00,,未登録,有\n"
        "6,2099/12/30,,未登録,有\n",  # the day before: a day, read as one
        encoding="utf-8",
    )
    ran = batch(monkeypatch, path)
    out = rows(ran)
    assert ran.status == 0, ran.stderr
    for r in out[:5]:
        assert r["facts"]["left_on"] is None and r["facts"]["status"] == "enrolled", r
        assert ("return", "kakuninsho") not in steps(r)
    assert out[5]["facts"]["left_on"] == "2099-12-31"
    assert "2099/12/31" in ran.stderr and "退職日" in ran.stderr and "資格喪失日" in ran.stderr


# ---- rows of people who are not members: a family list, part-timers not insured ---------


def test_a_family_lists_dependants_rows_are_errors_not_members_verdicts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A SmartHR-style family export: the employee, then each dependant, with 続柄.
    sheet = tmp_path / "family.csv"
    sheet.write_text(
        "社員番号,氏名,続柄,生年月日,資格喪失日,マイナ保険証,資格確認書\n"
        "1001,山田 太郎,本人,1970/01/01,2026/10/16,未登録,有\n"
        "1001,山田 花子,妻,1972/02/02,2026/10/16,未登録,有\n"
        "1001,山田 一郎,長男,2005/03/03,2026/10/16,未登録,有\n"
        "1002,佐藤 次郎,,1980/04/04,,登録済,無\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet)
    assert ran.status == 3, ran.stderr
    got = rows(ran)
    # The member is judged (国保 is theirs to join); the wife and son are not.
    assert ("submit", "kokuho") in steps(got[0]) and "error" not in got[0]
    for row, said in ((got[1], "妻"), (got[2], "長男")):
        assert "facts" not in row and "続柄" in row["error"] and said in row["error"]
        assert "被扶養者" in row["error"]
    assert "error" not in got[3]  # a blank 続柄: an employee's row


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_stderr_names_the_columns_read_to_set_rows_aside_apart_from_those_not_read(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 続柄, 生年月日, 社会保険加入 and 退職理由 refuse rows: "not used" would mislead a clerk.
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        "社員番号,続柄,生年月日,社会保険加入,退職理由,備考,マイナ保険証\n"
        "1,本人,1980/1/1,加入,,,済\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet, "--lang", lang)
    assert ran.status == 0, ran.stderr
    screened = "続柄, 生年月日, 社会保険加入, 退職理由"
    (aside,) = [line for line in ran.stderr.splitlines() if screened in line]
    (unread,) = [line for line in ran.stderr.splitlines() if line.endswith(": 社員番号, 備考")]
    assert aside != unread and "備考" not in aside
    assert "--map '退職理由" not in ran.stderr  # (no "it is not used" note for it either)


def test_a_dependant_kind_in_a_kubun_column_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sheet = tmp_path / "kubun.csv"
    sheet.write_text(
        "社員番号,区分,マイナ保険証,資格確認書\nA1,被保険者,登録済,無\nA1,被扶養者,未登録,有\n",
        encoding="utf-8",
    )
    got = rows(batch(monkeypatch, sheet))
    assert "facts" in got[0] and "区分" in got[1]["error"]


@pytest.mark.parametrize(("enrolled", "judged"), [("未加入", False), ("加入", True), ("", True)])
def test_someone_not_in_the_social_insurance_is_no_member(
    enrolled: str, judged: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sheet = tmp_path / "part.csv"
    sheet.write_text(
        f"社員番号,雇用形態,社会保険加入,在籍状況,マイナ保険証\n2001,パート,{enrolled},在籍,\n",
        encoding="utf-8",
    )
    (row,) = rows(batch(monkeypatch, sheet))
    assert ("facts" in row) is judged
    if not judged:
        assert "社会保険加入" in row["error"] and "加入していない" in row["error"]


# ---- 75: 後期高齢者医療 from the 75th birthday -------------------------------------------


@pytest.mark.parametrize(
    ("born", "as_of", "turned"),
    [
        ("1951/10/16", "2026-10-16", True),  # the 75th birthday itself
        ("1951/10/17", "2026-10-16", False),  # the day before it
        ("昭和26年10月1日", "2026-10-16", True),  # 和暦, as HR sheets have it
        ("昭和27年1月1日", "2026-10-16", False),  # (a year too late, seen from 昭和27)
        ("S26.10.16", "2026-10-16", True),
        ("１９５１／１０／１６", "2026-10-16", True),  # full width
        ("'1951/10/16", "2026-10-16", True),  # Excel's text prefix
        ("1951-10-16 00:00:00", "2026-10-16", True),  # a database's date-time
        ("1952/02/29", "2027-02-28", False),  # born on 29 February: 1 March, not the 28th
        ("1952/02/29", "2027-03-01", True),
        ("1970/01/01", "2026-10-16", False),
        ("不明", "2026-10-16", False),  # no date: passed through, as before
        ("18916", "2026-10-16", True),  # an Excel serial (1951-10-15), as text or a number
        ("1951年10月16日生", "2026-10-16", True),
    ],
)
def test_someone_who_has_turned_75_gets_an_error_not_a_members_verdict(
    born: str, as_of: str, turned: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.inprocess import run_main

    sheet = tmp_path / "staff.csv"
    sheet.write_text(
        f"社員番号,生年月日,マイナ保険証,資格確認書\nC1,{born},登録済,無\n", encoding="utf-8"
    )
    ran = run_main(monkeypatch, ["batch", str(sheet), "--as-of", as_of])
    (row,) = rows(ran)
    assert ("error" in row) is turned, row
    assert ran.status == (3 if turned else 0)
    if turned:
        assert "75歳" in row["error"] and "後期高齢者医療" in row["error"]


@pytest.mark.parametrize(
    ("born", "unread"),
    [
        ("1950年4月", True),  # no day: 75 or not is not guessed
        ("S25", True),
        ("25/4/1", True),  # a two-digit year
        ("S26.2.30", True),  # no such day
        ("1951/2/29", True),
        ("1980年4月", False),  # too young by its year: judged as before
        ("H2.2.29", False),  # 平成: too young, whatever the day
        ("不明", False),  # said to be unknown: passed through, as before
    ],
)
def test_a_birth_date_not_read_of_someone_who_may_be_75_is_an_error(
    born: str, unread: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 1950年4月 is someone of 76: read as no date, they got a member's verdict, exit 0.
    sheet = tmp_path / "staff.csv"
    sheet.write_text(f"社員番号,生年月日,マイナ保険証\nC1,{born},登録済\n", encoding="utf-8")
    ran = batch(monkeypatch, sheet, "--as-of", "2026-12-07")
    (row,) = rows(ran)
    assert ("error" in row) is unread and ran.status == (3 if unread else 0), row
    if unread:
        assert "生年月日" in row["error"] and "年月日として読めません" in row["error"]


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_a_75th_birthday_in_the_next_three_months_is_said_and_the_row_still_judged(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Judged on 2026-12-07: the 92nd day after it is 2027-03-09.
    born = ["1951/12/08", "1952/03/08", "1952/03/09", "1952/03/10", "1960/01/01"]
    sheet = tmp_path / "staff.csv"
    lines = [f"C{n},{day},登録済,無" for n, day in enumerate(born, 1)]
    sheet.write_text("社員番号,生年月日,マイナ保険証,資格確認書\n" + "\n".join(lines) + "\n")
    ran = batch(monkeypatch, sheet, "--as-of", "2026-12-07", "--lang", lang)
    assert ran.status == 0, ran.stderr
    assert all("facts" in row for row in rows(ran))  # judged on their day, as members
    (said,) = [line for line in ran.stderr.splitlines() if "75" in line and "2, 3, 4" in line]
    # three people (lines 2, 3, 4: tomorrow, the 91st and the 92nd day), not the 93rd day's
    assert ("3 people" if lang == "en" else "3人") in said and "2, 3, 4, 5" not in said
    # Each one's row says it too: the sheet handed out had nothing on the row.
    codes = [[w["code"] for w in row["warnings"]] for row in rows(ran)]
    assert [("turns_75" in c) for c in codes] == [True, True, True, False, False], codes
    (first,) = [w["message"] for w in rows(ran)[0]["warnings"] if w["code"] == "turns_75"]
    assert "75" in first and "12" in first and "8" in first, first  # its day
    # ... and so does the office's CSV, in its warnings column.
    out = tmp_path / "out.csv"
    batch(monkeypatch, sheet, "--as-of", "2026-12-07", "--lang", lang, "-o", str(out))
    table = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    said_75 = [any("後期高齢者医療" in cell for cell in line) for line in table[1:]]
    assert said_75 == [True, True, True, False, False], table[1:]


@pytest.mark.parametrize(
    ("left", "refused"),
    [
        ("2026/12/31", True),  # 75 on 12/20, before leaving: the birthday ends it
        ("2026/12/19", True),  # 資格喪失日 12/20: the birthday, the same day
        ("2026/12/18", False),  # left first (資格喪失日 12/19): a leaver's verdict, as ever
    ],
)
def test_turning_75_before_a_leaving_day_ends_the_membership_on_the_birthday(
    left: str, refused: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.inprocess import run_main

    sheet = tmp_path / "staff.csv"
    sheet.write_text(
        f"社員番号,生年月日,退職日,マイナ保険証,資格確認書\nC1,1951/12/20,{left},なし,あり\n",
        encoding="utf-8",
    )
    (row,) = rows(run_main(monkeypatch, ["batch", str(sheet), "--as-of", "2026-12-07"]))
    assert ("error" in row) is refused, row
    if refused:
        assert "2026年12月20日" in row["error"] and "後期高齢者医療" in row["error"]


@pytest.mark.parametrize(
    ("heading", "value", "refused"),
    [
        ("続柄", "二女", True),  # as the 戸籍 writes it
        ("続き柄", "養女", True),
        ("続柄", "子の配偶者", True),
        ("続柄", "同居人", True),
        ("続柄", "本人", False),
        ("続柄", "-", False),  # an employee's row in an employee list
        ("続柄", "被保険者（本人）", False),  # the employee's own, however spelt
        ("続柄", "本人(被保険者)", False),
        ("続柄", "本人・社員", False),
        ("続柄", "本人の妻", True),
        ("本人・家族", "家族", True),
        ("区分", "被扶養", True),
        ("男女区分", "女", False),  # the employee's own facts, not the row's kind
        ("扶養区分", "配偶者", False),  # the employee's tax dependants
        ("社会保険加入", "0", True),
        ("社保加入", "FALSE", True),
        ("社会保険加入", "1", False),
        ("社会保険", "適用除外", True),  # the words HR systems use for "not insured"
        ("社会保険", "国保", True),
        ("社会保険加入", "未加入(パート)", True),  # a note after the word
        ("社保加入", "×（扶養内）", True),
        ("社会保険", "協会けんぽ", True),  # a word saying neither: not guessed "insured"
        ("社会保険", "加入(本人)", False),
        ("社会保険加入", "○", False),
        ("社会保険加入区分", "未加入", True),  # a 区分 of the insurance: not a family kind
        ("健保区分", "適用除外", True),
        ("加入区分", "未加入", True),
        ("社会保険区分", "加入", False),
        ("健康保険番号", "0", False),  # a number, not whether insured
        # A 区分, 雇用区分 or 雇用形態 that says the person is not insured with the 健保
        ("区分", "パート(社保無)", True),
        ("区分", "社保未加入", True),
        ("雇用区分", "扶養内パート", True),  # insured as a spouse's dependant
        ("雇用形態", "業務委託", True),  # no employee at all
        ("社員区分", "個人事業主", True),
        ("雇用形態", "パート（社会保険なし）", True),
        ("区分", "正社員", False),
        ("雇用区分", "パート", False),  # insured or not is not said: judged as before
        (
            "雇用形態",
            "派遣社員",
            True,
        ),  # another company's insured, on a host's list (--map says an agency's own)
        ("雇用形態", "契約社員（社保加入）", False),
        ("雇用形態", "パート（週20h未満）", True),  # short hours: not insured
        ("雇用区分", "日雇い", True),
        # freee and 奉行 say it in a verb, 奉行 with its code before it
        ("健康保険の加入", "加入する", False),
        ("健康保険の加入", "加入しない", True),
        ("健康保険加入区分", "1:加入する", False),
        ("健康保険加入区分", "0:加入しない", True),
    ],
)
def test_the_columns_that_say_a_row_is_no_members(
    heading: str,
    value: str,
    refused: bool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        f"社員番号,{heading},マイナ保険証,資格確認書\nA1,{value},登録済,無\n", encoding="utf-8"
    )
    ran = batch(monkeypatch, sheet)
    (row,) = rows(ran)
    assert ("error" in row) is refused, row
    assert ran.status == (3 if refused else 0)
    if refused:
        assert heading in row["error"]


def test_a_row_without_the_id_the_others_have_is_judged_and_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A footer of counts under the list: its 1s read as answers (a person invented).
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        "社員番号,氏名,マイナ保険証,資格確認書,被扶養者数\n"
        "1,甲,あり,なし,1\n2,乙,なし,あり,2\n3,丙,あり,なし,0\n,（3名）,1,1,3\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet)
    assert len(rows(ran)) == 4  # judged, never dropped on a guess
    said = [line for line in ran.stderr.splitlines() if "空欄" in line and "社員番号" in line]
    assert said and "5 行目" in said[0], ran.stderr


def test_no_id_note_when_every_row_has_its_id(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        "社員一覧\n社員番号,氏名,マイナ保険証\n1,甲,あり\n2,乙,なし\n", encoding="utf-8"
    )
    ran = batch(monkeypatch, sheet)
    assert len(rows(ran)) == 2 and "空欄です" not in ran.stderr


# ---- a leaving day and its planned twin (退職日, 退職予定日) ---------------------------


@pytest.mark.parametrize(
    ("day", "planned"),
    [("退職日", "退職予定日"), ("資格喪失日", "資格喪失予定日"), ("退職日", "退職見込日")],
)
@pytest.mark.parametrize("planned_first", [False, True])
def test_a_planned_leaving_day_is_read_where_the_day_itself_is_blank(
    day: str, planned: str, planned_first: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # An HR system keeps both: the planned day until the person has left, then the day.
    # Refusing the pair made a clerk drop one (--map), losing its days.
    heads = [planned, day] if planned_first else [day, planned]
    people = [("2026/11/30", ""), ("", "2027/01/31"), ("2026/12/15", "2026/12/31"), ("", "")]
    lines = [f"社員番号,{heads[0]},{heads[1]},マイナ保険証,資格確認書"]
    for n, (actual, plan) in enumerate(people, 1):
        pair = (plan, actual) if planned_first else (actual, plan)
        lines.append(f"{n},{pair[0]},{pair[1]},未登録,有")
    sheet = tmp_path / "leavers.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = batch(monkeypatch, sheet)
    assert ran.status == 0, ran.stderr
    got = rows(ran)
    fact = "left_on" if day == "資格喪失日" else "retired_on"
    # (a 資格喪失日 is the day after the 退職日)
    shift = 0 if fact == "left_on" else 1
    expected = ["2026-11-30", "2027-01-31", "2026-12-15"]
    for row, last in zip(got, expected, strict=False):
        assert row["facts"][fact] == last, row
        left = date.fromisoformat(last) + timedelta(days=shift)
        assert row["facts"]["left_on"] == left.isoformat()
        assert ("return", "kakuninsho") in steps(row)
    assert got[3]["facts"]["left_on"] is None and ("return", "kakuninsho") not in steps(got[3])
    assert got[1][planned] == "2027/01/31"  # the twin is copied as it is, too
    (said,) = [line for line in ran.stderr.splitlines() if planned in line]
    assert day in said  # named as read where the day is blank, not as "not used"


def test_two_columns_of_one_leaving_day_are_still_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sheet = tmp_path / "two.csv"
    sheet.write_text("社員番号,退職日,退社日,マイナ保険証\n1,2026/11/30,2026/11/30,有\n")
    ran = batch(monkeypatch, sheet)
    assert ran.status == 2 and "退社日" in ran.stderr and "--map" in ran.stderr


# ---- 済 and 未 on a leaver's row: 交付済 or 回収済? ---------------------------------------


@pytest.mark.parametrize("word", ["未", "済", "済み", "受領済", " 済 "])
@pytest.mark.parametrize("column", ["資格確認書", "健康保険証"])
def test_a_leavers_card_cell_saying_sumi_or_mi_is_refused_unless_mapped(
    word: str, column: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # On a list of cards collected from leavers, 未 is 未回収 (still out) and 済 回収済:
    # read as the staff's 未交付 / 交付済, the card still out fell off the list to collect.
    sheet = tmp_path / "leavers.csv"
    sheet.write_text(
        f"社員番号,退職日,マイナ保険証,{column}\n1,2026/11/30,未登録,{word}\n2,,未登録,{word}\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet)
    leaver, staying = rows(ran)
    assert ran.status == 3 and column in leaver["error"] and "--map" in leaver["error"]
    assert "facts" in staying  # a member's 済 / 未 is the staff's own (交付済 / 未交付)
    # A heading about holding the card says which: 未 is 未交付 there.
    held = tmp_path / "held.csv"
    text = sheet.read_text(encoding="utf-8")
    held.write_text(text.replace(f",{column}\n", f",{column}の有無\n", 1), encoding="utf-8")
    assert batch(monkeypatch, held).status == 0
    # The office's meaning given once: read so, the card back on the list to collect.
    ran = batch(monkeypatch, sheet, "--map", f"{column}:{word}=held")
    leaver, _ = rows(ran)
    # (the old card stopped working on 2025-12-01: thrown away, not handed back)
    step = ("return", "kakuninsho") if column == "資格確認書" else ("dispose", "old_card")
    assert ran.status == 0 and step in steps(leaver)


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_leavers_with_no_leaving_day_are_named_on_stderr(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 退職 with the 退職日 blank is most often a day left out: judged as "left on a day
    # not said" (no deadline), the clerk had no word of which rows.
    sheet = tmp_path / "staff.csv"
    sheet.write_text(
        "社員番号,在籍区分,退職日,マイナ保険証,資格確認書\n"
        "1,退職,,×,○\n2,在籍,,×,○\n3,退職,2026/11/30,×,○\n4,定年,,×,○\n5,退職予定,,×,○\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet, "--as-of", "2026-12-07", "--lang", lang)
    assert ran.status == 0, ran.stderr
    assert [r["facts"]["status"] for r in rows(ran)][:2] == ["left", "enrolled"]
    (said,) = [line for line in ran.stderr.splitlines() if "2, 5" in line]
    assert ("2 people" if lang == "en" else "2人") in said  # not the one dated, nor 退職予定


@pytest.mark.parametrize(
    ("heading", "cell", "fact", "read"),
    [
        ("資格確認書交付日", "2025/11/20", "kakuninsho", "held"),  # handed out: held
        ("資格確認書発行日", "R7.11.20", "kakuninsho", "held"),
        ("資格確認書回収日", "2026/12/01", "kakuninsho", "none"),  # came back
        ("資格確認書返却日", "2026/12/01", "kakuninsho", "none"),
        ("マイナ保険証登録日", "2025/03/01", "myna", "yes"),  # registered
        ("健康保険証利用登録", "2025/03/01", "myna", "yes"),
        ("資格確認書", "2025/11/20", "kakuninsho", None),  # an expiry or an issue day?
        ("資格確認書返却予定日", "2026/12/20", "kakuninsho", None),  # nothing done yet
        ("資格確認書返却期限", "2026/12/20", "kakuninsho", None),
    ],
)
def test_a_date_in_a_card_column_headed_by_a_day_says_what_was_done(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    heading: str,
    cell: str,
    fact: str,
    read: str | None,
) -> None:
    """A 資格確認書交付日 column mapped as the 資格確認書: its dates were refused with a
    hint to read them as the card's expiry, which made valid cards "expired" (a member
    told to throw theirs away). A date there says the card was handed out; under 回収日,
    that it came back; under マイナ保険証登録日, that it was registered."""
    sheet = tmp_path / "list.csv"
    sheet.write_text(f"社員番号,退職日,{heading}\nA1,2026/11/30,{cell}\n", encoding="utf-8")
    ran = batch(monkeypatch, sheet, "--map", f"{heading}={fact}")
    (row,) = rows(ran)
    if read is None:
        assert "error" in row and "kakuninsho_expiry" in row["error"], row
        return
    assert row["facts"][fact] == read, row
    assert ("return", "kakuninsho") in steps(row) or read != "held"
    assert ("return", "kakuninsho") not in steps(row) or read != "none"


def test_a_column_saying_whether_the_card_came_back_is_read_over_the_card_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A leavers' list marks each card collected in 返却状況 beside 資格確認書 (有): read as
    passed through, 返却済 stayed on the list to collect, and 連絡取れず was no 回収不能届.
    Its words are its own: 済 and ○ say the card is back, 未 and × that it is still out."""
    sheet = tmp_path / "list.csv"
    rows_ = [
        ("B1", "返却済", "none", None), ("B2", "済", "none", None), ("B3", "○", "none", None),
        ("B9", "本人分済", "none", None),  # the member's own card (the family's count apart)
        ("B4", "未返却", "held", "return"), ("B5", "×", "held", "return"),
        ("B6", "", "held", "return"),
        # cannot be reached: the card is still out, and the employer reports it (and the
        # dependants') with the 回収不能届
        ("B7", "連絡取れず", "held", "report"), ("B8", "紛失", "lost", "report"),
    ]  # fmt: skip
    body = "".join(f"{n},2026/11/15,×,有,{said},2\n" for n, said, _, _ in rows_)
    sheet.write_text(f"社員番号,退職日,マイナ保険証,資格確認書,返却状況,扶養人数\n{body}", "utf-8")
    ran = batch(monkeypatch, sheet)
    assert ran.status == 0, ran.stderr
    got = {r["社員番号"]: r for r in rows(ran)}
    for n, said, read, step in rows_:
        assert got[n]["facts"]["kakuninsho"] == read, (n, got[n]["facts"])
        assert got[n]["facts"]["unreachable"] == ("yes" if n == "B7" else "no"), n
        assert got[n]["返却状況"] == said  # (still copied as it is)
        assert (("return", "kakuninsho") in steps(got[n])) is (step == "return"), n
        assert (("submit", "kakuninsho_loss_report") in steps(got[n])) is (step == "report"), n
    # The unreachable leaver's family's cards are in the employer's report, not "to collect".
    assert ("return", "dependants_kakuninsho") not in steps(got["B7"])
    told = [line for line in ran.stderr.splitlines() if "返却状況" in line]
    assert any("優先" in s for s in told) and not any("そのまま出力した列" in s for s in told)
    # (not listed as a column read as "who cannot be reached": it is said with its card)
    assert not any("返却状況 →" in s for s in told), told
    # 連絡取れず beside a blank 資格確認書 of a registered leaver says nothing of a card: it
    # was read as one still out, and a 回収不能届 was filed for a card never sent.
    sheet.write_text(
        "社員番号,退職日,マイナ保険証,資格確認書,返却状況\n"
        "R1,2026/11/15,○,,連絡取れず\nR2,2026/11/15,×,,連絡取れず\n",
        "utf-8",
    )
    registered, not_registered = rows(batch(monkeypatch, sheet))
    assert registered["facts"]["kakuninsho"] == "unknown", registered["facts"]
    assert registered["facts"]["unreachable"] == "yes"
    (report,) = [a for a in registered["actions"] if a["item"] == "kakuninsho_loss_report"]
    assert "交付されていた場合だけ" in report["reason"], report
    # Not registered, a 資格確認書 was sent: still out, and reported as such.
    assert ("submit", "kakuninsho_loss_report") in steps(not_registered)
    # A dash records nothing (the 資格確認書 column's 有 stands); a date (回収日) says back.
    sheet.write_text(
        "社員番号,退職日,資格確認書,回収日\nD1,2026/11/15,有,-\nD2,2026/11/15,有,ー\n"
        "D3,2026/11/15,有,2026/11/20\nD4,2026/11/15,有,R8.11.20\nD5,2026/11/15,有,\n",
        "utf-8",
    )
    dated = {r["社員番号"]: r["facts"]["kakuninsho"] for r in rows(batch(monkeypatch, sheet))}
    assert dated == {"D1": "held", "D2": "held", "D3": "none", "D4": "none", "D5": "held"}
    # A day still to come is the day the card is promised back: it is still out (it was
    # read as back, and the card left the list to collect).
    for day, read in (("2026/12/20", "held"), ("R8.12.8", "held"), ("2026/12/07", "none")):
        sheet.write_text(f"社員番号,退職日,資格確認書,回収日\nF1,2026/11/15,有,{day}\n", "utf-8")
        (row,) = rows(batch(monkeypatch, sheet, "--as-of", "2026-12-07"))
        assert row["facts"]["kakuninsho"] == read, (day, row["facts"])
        assert (("return", "kakuninsho") in steps(row)) is (read == "held"), day
    # A word it does not know is an error on its row, never read as the card's 有.
    sheet.write_text("社員番号,退職日,資格確認書,返却状況\nC1,2026/11/15,有,催促予定\n", "utf-8")
    (row,) = rows(batch(monkeypatch, sheet))
    assert "error" in row and "催促予定" in row["error"]


def test_a_screening_column_the_office_leaves_unread_sets_no_row_aside(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--map '列=-' leaves a column unread (README): a 社会保険 or 雇用形態 column so mapped
    kept refusing every row, and stderr called 雇用形態 both unread and read."""
    sheet = tmp_path / "list.csv"
    text = "社員番号,健康保険の加入,雇用形態,マイナ保険証\nA1,加入しない,業務委託,はい\n"
    sheet.write_text(text, encoding="utf-8")
    refused = batch(monkeypatch, sheet)
    assert "error" in rows(refused)[0]
    assert not any(
        "雇用形態" in line and "使っていません" in line for line in refused.stderr.splitlines()
    )
    ran = batch(monkeypatch, sheet, "--map", "健康保険の加入=-", "--map", "雇用形態=-")
    (row,) = rows(ran)
    assert "error" not in row and ran.status == 0, row


def test_a_choice_written_with_its_code_is_read_by_its_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """給与奉行 exports a choice as its code and its name (0:在籍, 2:退職): every row was an
    error whose --map hint ('在籍区分:0:在籍=値') was itself refused."""
    sheet = tmp_path / "bugyo.csv"
    sheet.write_text(
        "社員番号,在籍区分,退職日,マイナ保険証,資格確認書\n"
        "1,0:在籍,,1:登録済,0:無\n2,2:退職,2026/11/30,0:未登録,1:有\n3,3:嘱託社員,,はい,\n",
        encoding="cp932",
    )
    ran = batch(monkeypatch, sheet)
    one, two, three = rows(ran)
    assert (one["facts"]["status"], one["facts"]["myna"], one["facts"]["kakuninsho"]) == (
        "enrolled", "yes", "none",
    )  # fmt: skip
    assert two["facts"]["status"] == "left" and ("return", "kakuninsho") in steps(two)
    assert "--map '在籍区分:嘱託社員=値'" in three["error"]  # the name, as the --map reads it
    mapped = batch(monkeypatch, sheet, "--map", "在籍区分:嘱託社員=在籍")
    assert rows(mapped)[2]["facts"]["status"] == "enrolled", mapped.stderr


def test_a_back_column_the_office_leaves_unread_is_read_for_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # --map '返却状況=-': neither 返却済 (back) nor 連絡取れず (cannot be reached) is read.
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        "社員番号,退職日,資格確認書,返却状況\nE1,2026/11/15,有,返却済\nE2,2026/11/15,有,連絡取れず\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet, "--map", "返却状況=-")
    one, two = rows(ran)
    assert one["facts"]["kakuninsho"] == "held" and two["facts"]["unreachable"] == "no", ran
    assert ("return", "kakuninsho") in steps(two)


def test_a_hire_day_is_read_as_the_day_insurance_began_where_no_column_says_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # ジョブカン and freee export 入社日, not 資格取得日: a joiner of two weeks ago holding
    # a 資格確認書 (the previous job's) was told to carry it, "you can see a doctor".
    sheet = tmp_path / "jobcan.csv"
    sheet.write_text(
        "社員番号,入社日,マイナ保険証,資格確認書\nJ01,2026/11/24,なし,あり\nJ02,2015/04/01,なし,あり\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, sheet, "--as-of", "2026-12-07")
    joiner, staff = rows(ran)
    assert joiner["facts"]["joined_on"] == "2026-11-24" and joiner["can_see_doctor"] is None
    assert (
        joiner["actions"][0]["action"] == "check" and joiner["actions"][0]["item"] == "kakuninsho"
    )
    assert staff["can_see_doctor"] is True and ("carry", "kakuninsho") in steps(staff)
    assert any(
        "入社日" in line and "資格取得日として読みました" in line
        for line in ran.stderr.splitlines()
    )
    # Left unread by --map, or beside a 資格取得日 column: passed through as before.
    unread = rows(batch(monkeypatch, sheet, "--as-of", "2026-12-07", "--map", "入社日=-"))
    assert unread[0]["facts"]["joined_on"] is None and unread[0]["入社日"] == "2026/11/24"
    sheet.write_text(
        "社員番号,入社日,資格取得日,資格確認書\nJ01,2026/11/24,2026/12/01,あり\n", encoding="utf-8"
    )
    (both,) = rows(batch(monkeypatch, sheet, "--as-of", "2026-12-07"))
    assert both["facts"]["joined_on"] == "2026-12-01" and both["入社日"] == "2026/11/24"
