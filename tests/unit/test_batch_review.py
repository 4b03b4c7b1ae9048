"""``kenpo batch`` on exports an independent HR clerk tried (issue 22's review).

Each file is written as the system that makes it writes it (tests/unit/test_batch_exports.py
has the writers): subtotal rows, group headings naming another insurance, 未定 as a
leaving day, a legend above the table, a page header repeated mid-file, Excel's error
cells. What must never happen: a wrong verdict with exit 0.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.unit.test_batch_exports import batch, excel_csv, facts, rows, smarthr, steps

# ---- 未定 as a leaving day ------------------------------------------------------------


def test_an_undecided_leaving_day_means_leaving_and_a_dash_means_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table = [
        ["社員番号", "氏名", "退職予定日", "マイナ保険証"],
        ["1001", "山田 太郎", "未定", "登録済"],
        ["1002", "佐藤 花子", "ー", "登録済"],
        ["1003", "鈴木 一郎", "調整中", "登録済"],
        ["1004", "高橋 次郎", "", "登録済"],
        ["1005", "田中 三郎", "不明", "登録済"],
    ]
    read = facts(monkeypatch, smarthr(tmp_path, table))
    assert [r["status"] for r in read] == ["leaving", "enrolled", "leaving", "enrolled", "leaving"]
    assert read[0]["left_on"] == ""


# ---- subtotal rows ----------------------------------------------------------------


def test_subtotal_rows_of_every_spelling_are_skipped_not_judged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Excel, a department's subtotal under its rows: counts 1/0 read as yes/held before.
    text = (
        "社員番号,氏名,所属,退職日,マイナ保険証,資格確認書\n"
        "1001,山田 太郎,営業部,,1,0\n"
        "1002,佐藤 花子,会計課,,0,1\n"
        "営業部　小計,,,,1,0\n"
        ",,営業部 小計,,1,0\n"
        "営業部計,,,,1,0\n"
        ",,総務部 計,,0,1\n"
        "合計（2名）,,,,1,1\n"
        "合計：2名,,,,1,1\n"
        "1003,会計 太郎,会計,,1,0\n"
    )
    ran = batch(
        monkeypatch,
        excel_csv(tmp_path, text),
        "--map",
        "マイナ保険証:1=yes",
        "--map",
        "マイナ保険証:0=no",
        "--map",
        "資格確認書:1=held",
        "--map",
        "資格確認書:0=none",
    )
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1001", "1002", "1003"]
    assert "6行を読み飛ばしました" in ran.stderr, ran.stderr


@pytest.mark.parametrize(
    ("cell", "total"),
    [
        ("営業部　小計", True), ("営業部計", True), ("合計（2名）", True), ("Sales subtotal", True),
        ("【総合計】", True), ("合計: 120", True), ("会計", False), ("会計課", False),
        ("計 太郎", False), ("設計", False), ("checksum", False), ("統計", False),
    ],
)  # fmt: skip
def test_what_a_total_cell_is(cell: str, total: bool) -> None:
    from kenpo_cli.batch.rows import is_total

    assert is_total(cell) is total


def test_a_total_word_beside_an_employee_number_is_a_person() -> None:
    from kenpo_cli.batch.rows import not_a_person

    assert not_a_person(["", "", "営業部 小計", "1", "0"]) == "total"
    assert not_a_person(["E1001", "", "営業部 小計", "1", "0"]) is None
    assert not_a_person(["1001", "計", "", "1", "0"], [0]) is None
    # A count in the id column (合計 in No., 8名 under 社員番号) is no id: the row was judged
    # as a person with no facts and counted as one who must check (HR review, round two).
    assert not_a_person(["合計", "8名", "", ""], [1]) == "total"
    assert not_a_person(["合計", "（12人）", "", ""], [1]) == "total"
    assert not_a_person(["計", "E008", "", ""], [1]) is None


# ---- a group heading naming another insurance -------------------------------------


def test_pension_dates_under_a_group_heading_are_not_the_health_insurance_dates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 給与奉行-style: a merged 厚生年金 cell above its two dates. At 70 the pension ends
    # (喪失日) while 健康保険 goes on: read as 資格喪失日 she came out as having left.
    for insurance in ("厚生年金", "雇用保険"):
        text = (
            f",,{insurance},,\n"
            "社員番号,氏名,取得日,喪失日,マイナ保険証\n"
            "1001,山田 花子,1980/04/01,2026/10/31,○\n"
        )
        ran = batch(monkeypatch, excel_csv(tmp_path, text))
        assert ran.status == 0, ran.stderr
        (row,) = rows(ran)
        assert row["can_see_doctor"] is True, row
        assert f"'{insurance} 喪失日'" in ran.stderr and "left_on" in ran.stderr


def test_a_two_level_header_keeps_each_insurance_over_its_own_dates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        ",,雇用保険,,健康保険,,マイナ保険証\n"
        "社員番号,氏名,取得日,喪失日,取得日,喪失日,登録\n"
        "1001,山田 太郎,2000/04/01,2026/10/31,2000/04/01,,○\n"
        "1002,佐藤 花子,2000/04/01,,2000/04/01,2026/11/01,○\n"
    )
    ran = batch(monkeypatch, excel_csv(tmp_path, text), "--format", "csv", "--codes")
    assert ran.status == 0, ran.stderr
    read = facts(monkeypatch, excel_csv(tmp_path, text))
    assert [r["status"] for r in read] == ["enrolled", "left"]
    assert "--map '健康保険" not in ran.stderr


# ---- advice for a column left unread because of its note ---------------------------


def test_a_noted_columns_advice_fits_its_kind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table = [
        ["社員番号", "資格喪失日（雇用保険）", "マイナ保険証（本人申告）", "在籍状況"],
        ["1001", "", "済", "在籍"],
    ]
    ran = batch(monkeypatch, smarthr(tmp_path, table))
    assert ran.status == 0, ran.stderr
    date_line, myna_line = [ln for ln in ran.stderr.splitlines() if "の注記" in ln]
    assert (
        "--map '資格喪失日（雇用保険）=left_on'" in date_line
        and ":" not in date_line.split("--map")[1].split("'")[1]
    )
    assert "済=none" not in myna_line and "=myna'" in myna_line


# ---- Excel itself -------------------------------------------------------------------


def errors_workbook(tmp_path: Path) -> Path:
    """As Excel saves a list whose formulas broke: a cover sheet first, then the staff
    with #REF! in a 退職日 (its source row deleted), #N/A in マイナ保険証 (a VLOOKUP
    that found nothing), and an 18-digit employee number typed as a number."""
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "表紙"
    cover.append(["社員名簿 2026年11月"])
    staff = book.create_sheet("従業員")
    staff.append(["社員番号", "氏名", "退職日", "マイナ保険証"])
    staff.append([123456789012345678, "山田 太郎", "#REF!", "登録済"])
    staff.append([1002, "佐藤 花子", "2026/10/31", "#N/A"])
    staff["C2"].data_type = "e"
    staff["D3"].data_type = "e"
    path = tmp_path / "staff.xlsx"
    book.save(path)
    return path


def test_excel_error_cells_are_errors_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, errors_workbook(tmp_path), "--sheet", "従業員")
    assert ran.status == 3, ran.stderr
    first, second = rows(ran)
    assert "#REF!" in first["error"] and "退職日" in first["error"]
    assert "#N/A" in second["error"] and "マイナ保険証" in second["error"]
    assert "2 行目に16桁以上の数値" in ran.stderr
    assert first["社員番号"] == "123456789012346000"  # as Excel shows it, not 1.23e+17


def test_a_cover_sheet_first_is_passed_over_and_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = errors_workbook(tmp_path)
    ran = batch(monkeypatch, path)
    assert ran.status == 3, ran.stderr
    assert ran.stdout == batch(monkeypatch, path, "--sheet", "従業員").stdout
    assert (
        "シート「表紙」には見出し行がない" in ran.stderr and "「従業員」を読みました" in ran.stderr
    )


def test_an_euc_jp_file_read_as_cp932_names_its_encoding(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # An old UNIX payroll system's export: EUC-JP, LF.
    path = tmp_path / "payroll.csv"
    path.write_bytes("社員番号,氏名,退職日,マイナ保険証\n1001,山田 太郎,,登録済\n".encode("euc-jp"))
    ran = batch(monkeypatch, path)
    assert ran.status == 2
    assert "--encoding euc-jp" in ran.stderr
    assert batch(monkeypatch, path, "--encoding", "euc-jp").status == 0


# ---- an office's own words, in Japanese ----------------------------------------------

KUBUN = [  # 奉行-style: 在籍区分 as 0/1
    ["社員番号", "氏名", "在籍区分", "マイナ保険証"],
    ["1001", "山田 太郎", "1", "登録済"],
    ["1002", "佐藤 花子", "0", "登録済"],
]


def test_value_words_may_be_the_japanese_kenpo_knows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = smarthr(tmp_path, KUBUN)
    read = facts(monkeypatch, path, "--map", "在籍区分:1=退職", "--map", "在籍区分:0=在籍")
    assert [r["status"] for r in read] == ["left", "enrolled"]
    profile = tmp_path / "bugyo.toml"
    profile.write_text('[values."在籍区分"]\n"1" = "退職"\n"0" = "在籍"\n', encoding="utf-8")
    read = facts(monkeypatch, path, "--profile", str(profile))
    assert [r["status"] for r in read] == ["left", "enrolled"]


def test_a_wrong_value_word_is_named_with_its_origin_and_a_suggestion(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = smarthr(tmp_path, KUBUN)
    ran = batch(monkeypatch, path, "--map", "在籍区分:1=lef")
    assert ran.status == 2 and "'left'" in ran.stderr, ran.stderr
    profile = tmp_path / "bugyo.toml"
    profile.write_text('[values."在籍区分"]\n"1" = "退社した"\n', encoding="utf-8")
    ran = batch(monkeypatch, path, "--profile", str(profile))
    assert ran.status == 2 and "--profile bugyo.toml:" in ran.stderr, ran.stderr


# ---- a legend above the table; a page header repeated --------------------------------


def test_a_legend_above_the_table_is_not_the_header(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "凡例,\n"
        "マイナ保険証,○=登録済 ×=未登録\n"
        "資格確認書,○=交付済 ×=未交付\n"
        ",\n"
        "社員番号,氏名,資格喪失日,マイナ保険証,資格確認書\n"
        "1001,山田 太郎,,○,×\n"
        "1002,佐藤 花子,2026/11/01,×,○\n"
    )
    ran = batch(monkeypatch, excel_csv(tmp_path, text))
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert (first["社員番号"], second["社員番号"]) == ("1001", "1002")
    assert ("return", "kakuninsho") in steps(second)
    assert "見出しは5行目です" in ran.stderr


def test_a_header_repeated_on_each_page_is_skipped_and_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A print-style export: each page begins with its title and the header again.
    text = (
        "社員一覧 1/2ページ,,,\n"
        "社員番号,氏名,資格喪失日,マイナ保険証\n"
        "1001,山田 太郎,,○\n"
        "社員一覧 2/2ページ,,,\n"
        "社員番号,氏名,資格喪失日,マイナ保険証\n"
        "1002,佐藤 花子,,○\n"
    )
    ran = batch(monkeypatch, excel_csv(tmp_path, text))
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1001", "1002"]
    assert "見出しと同じ行 1行" in ran.stderr and "（5 行目" in ran.stderr
    assert "表題のような行" in ran.stderr and "（4 行目）" in ran.stderr


# ---- a profile saved by Notepad as "ANSI" -------------------------------------------


def test_a_profile_saved_as_cp932_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    profile = tmp_path / "bugyo.toml"
    text = '# 奉行の書き出し\r\n[values."在籍区分"]\r\n"1" = "退職"\r\n"0" = "在籍"\r\n'
    profile.write_bytes(text.encode("cp932"))
    read = facts(monkeypatch, smarthr(tmp_path, KUBUN), "--profile", str(profile))
    assert [r["status"] for r in read] == ["left", "enrolled"]
    profile.write_bytes(b'[columns]\n"\x81\x20" = "myna"\n')
    ran = batch(monkeypatch, smarthr(tmp_path, KUBUN), "--profile", str(profile))
    assert ran.status == 2 and "not UTF-8" not in ran.stderr and "UTF-8" in ran.stderr


def test_header_row_names_the_header_on_the_command_line_or_in_a_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A legend whose rows name more facts than the header's row does: only --header-row
    # can tell.
    text = (
        "凡例,,\n"
        "マイナ保険証,資格確認書,資格喪失日\n"
        "○=登録済,○=交付済,日付\n"
        "社員番号,氏名,マイナ保険証\n"
        "1001,山田 太郎,○\n"
    )
    path = excel_csv(tmp_path, text)
    ran = batch(monkeypatch, path, "--header-row", "4")
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1001"]
    profile = tmp_path / "legend.toml"
    profile.write_text("header_row = 4\n", encoding="utf-8")
    assert [r["社員番号"] for r in rows(batch(monkeypatch, path, "--profile", str(profile)))] == [
        "1001"
    ]
    ran = batch(monkeypatch, path, "--header-row", "40")
    assert ran.status == 2 and "--header-row" in ran.stderr


def test_the_map_suggested_for_an_unknown_word_fills_in_no_meaning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 要回収 (to be collected) means held: a filled-in example (=none, the first value)
    # copied as it stands would say the card is not there. (未返却 is read as held now.)
    path = tmp_path / "list.csv"
    path.write_text("社員番号,資格確認書\n1,要回収\n", encoding="utf-8")
    error = json.loads(batch(monkeypatch, path).stdout.splitlines()[0])["error"]
    assert "--map '資格確認書:要回収=値'" in error, error
    assert not re.search(r"要回収=[a-z]", error), error
