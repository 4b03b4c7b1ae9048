"""``kenpo batch`` on what an office does to the cells of its Excel list (issue 22's
review): cells merged over several rows to mean "the same for these rows", and
employee numbers kept as numbers shown with leading zeros by a number format (00301).

The workbooks are written with xlsxwriter, as Excel writes them: ``merge_range`` leaves
the range's value in its first cell and blank cells under it, and a number keeps its
format in styles.xml, not in the cell. Each test runs with calamine and with openpyxl
(kenpo.pyz's reader, which cannot have calamine's compiled code).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.inprocess import Ran, run_main

AS_OF = "2026-12-06"
HEADER = ["社員番号", "氏名", "在籍区分", "資格喪失日", "マイナ保険証", "資格確認書"]


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def rows(ran: Ran) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ran.stdout.splitlines()]


def by_id(ran: Ran) -> dict[str, dict[str, Any]]:
    return {r["社員番号"]: r for r in rows(ran)}


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "openpyxl":  # as in kenpo.pyz: calamine cannot be imported
        monkeypatch.setitem(sys.modules, "python_calamine", None)
    return str(request.param)


def write(path: Path, build: Any) -> Path:
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名簿")
    build(book, sheet)
    book.close()
    return path


# Where the merged rows are: among the first rows (read while the header is looked for)
# or further down (read as the batch goes).
PLACES = pytest.mark.parametrize("before", [0, 30])


def merged_list(tmp_path: Path, before: int) -> Path:
    """The review's list (mk_x2.py): 退職 merged over three leavers (the third with no
    喪失日 yet), a ○ merged over two members' 資格確認書 and one over their マイナ保険証;
    ``before`` members above them."""

    def build(book: Any, sheet: Any) -> None:
        day = book.add_format({"num_format": "yyyy/mm/dd"})
        sheet.write_row(0, 0, HEADER)
        for n in range(before):
            sheet.write_row(1 + n, 0, [f"B{n}", "在籍者", "在籍", None, "○", "×"])
        at = 1 + before  # the row (from 0) of A1
        sheet.write_row(at, 0, ["A1", "在籍者1", "在籍", None, "×", "○"])
        sheet.write_row(at + 1, 0, ["A2", "退職者1", None, None, "×", "○"])
        sheet.write_row(at + 2, 0, ["A3", "退職者2", None, None, "×", "○"])
        sheet.write_row(at + 3, 0, ["A4", "退職者3", None, None, "×", "○"])
        sheet.write_datetime(at + 1, 3, datetime(2026, 11, 1), day)
        sheet.write_datetime(at + 2, 3, datetime(2026, 11, 16), day)
        sheet.merge_range(at + 1, 2, at + 3, 2, "退職")  # C3:C5 with no rows before
        sheet.write_row(at + 4, 0, ["A5", "在籍者2", "在籍"])
        sheet.write_row(at + 5, 0, ["A6", "在籍者3", "在籍"])
        sheet.merge_range(at + 4, 4, at + 5, 4, "○")  # E6:E7
        sheet.merge_range(at + 4, 5, at + 5, 5, "○")  # F6:F7
        sheet.write_row(at + 6, 0, ["A7", "在籍者4", "在籍", None, "○", None])  # after them

    return write(tmp_path / "merged.xlsx", build)


@PLACES
def test_a_status_merged_over_three_leavers_is_read_in_each_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str, before: int
) -> None:
    ran = batch(monkeypatch, merged_list(tmp_path, before))
    assert ran.status == 0, ran.stderr
    people = by_id(ran)
    for leaver in ("A2", "A3", "A4"):
        assert people[leaver]["facts"]["status"] == "left", leaver
        assert people[leaver]["can_see_doctor"] is False, leaver
    # The third has no 喪失日 yet: a leaver, not a member who can see a doctor.
    assert people["A1"]["can_see_doctor"] is True
    said = [line for line in ran.stderr.splitlines() if "結合" in line]
    if not before:
        assert said and "3か所" in said[0] and "C3:C5, E6:E7, F6:F7" in said[0], ran.stderr
    else:
        assert said and "3か所" in said[0] and "C33:C35, E36:E37, F36:F37" in said[0]


@PLACES
def test_a_circle_merged_over_two_rows_is_each_ones_card(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str, before: int
) -> None:
    people = by_id(batch(monkeypatch, merged_list(tmp_path, before)))
    for member in ("A5", "A6"):
        facts = people[member]["facts"]
        assert (facts["myna"], facts["kakuninsho"]) == ("yes", "held"), member
        assert people[member]["can_see_doctor"] is True, member
    after = people["A7"]["facts"]  # the range ends where it ends: a blank, not its ○
    assert (after["myna"], after["kakuninsho"]) == ("yes", "unknown")


def test_header_merges_titles_and_section_rows_are_not_copied(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    """A title merged across the sheet, a two-row header whose single headings are merged
    down (社員番号 over nothing) and whose group headings across (資格確認書 over 有無
    and 有効期限), a section title merged across one row, and one two rows tall."""

    def build(book: Any, sheet: Any) -> None:
        sheet.merge_range("A1:F1", "健康保険 書類管理表（2026年12月）")
        for column, heading in enumerate(["社員番号", "氏名", "在籍区分", "資格喪失日"]):
            sheet.merge_range(1, column, 2, column, heading)
        sheet.write(1, 4, "マイナ保険証")
        sheet.merge_range("F2:G2", "資格確認書")
        sheet.write_row(2, 4, ["登録", "有無", "有効期限"])
        sheet.merge_range("A4:C4", "【在籍者】")  # one row: a title, read once
        sheet.write_row(4, 0, ["101", "甲", "在籍", None, "×", "○", "2027/11/30"])
        sheet.merge_range("A6:G7", "【退職者】")  # as wide as the table: a title
        sheet.write_row(7, 0, ["102", "乙", "退職", "2026/11/21", "×", "○", "2027/11/30"])

    ran = batch(monkeypatch, write(tmp_path / "header.xlsx", build))
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert list(first)[2:4] == ["社員番号", "氏名"]  # not 社員番号 社員番号
    assert (first["社員番号"], second["社員番号"]) == ("101", "102")
    assert first["facts"]["kakuninsho_expiry"] == "2027-11-30"
    assert second["facts"]["status"] == "left"
    assert "結合" not in ran.stderr and "表題のような行" in ran.stderr


def padded_list(tmp_path: Path) -> Path:
    """Employee numbers typed as numbers and shown as 00301 by the format ``00000``, a
    post code by ``000-0000``, a code by ``"E"0000``, and a 合計 without a format."""

    def build(book: Any, sheet: Any) -> None:
        zeros = book.add_format({"num_format": "00000"})
        post = book.add_format({"num_format": "000-0000"})
        coded = book.add_format({"num_format": '"E"0000'})
        sheet.write_row(0, 0, ["社員番号", "氏名", "郵便番号", "部署コード", *HEADER[2:]])
        people = [
            (301, "青木", 1000001, 12, "退職", "2026/11/21", "×", "○"),
            (302, "石井", 5300001, 7, "在籍", None, "○", "×"),
            (123456, "上田", 60001, 12345, "在籍", None, "○", "×"),
        ]
        for n, (number, name, code, unit, *facts) in enumerate(people, 1):
            sheet.write_number(n, 0, number, zeros)
            sheet.write(n, 1, name)
            sheet.write_number(n, 2, code, post)
            sheet.write_number(n, 3, unit, coded)
            sheet.write_row(n, 4, facts)
        sheet.write_row(4, 0, [401, "無書式", 1, 2, "在籍", None, "○", "×"])

    return write(tmp_path / "padded.xlsx", build)


def test_ids_keep_the_leading_zeros_their_format_shows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    path = padded_list(tmp_path)
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    shown = [(r["社員番号"], r["郵便番号"], r["部署コード"]) for r in rows(ran)]
    assert shown == [
        ("00301", "100-0001", "E0012"),
        ("00302", "530-0001", "E0007"),
        ("123456", "006-0001", "E12345"),  # more digits than zeros: all of them
        ("401", "1", "2"),  # no format: as typed
    ]
    said = [line for line in ran.stderr.splitlines() if "表示形式" in line]
    assert len(said) == 3 and "'社員番号'" in said[0] and "00000" in said[0], ran.stderr


def test_padded_ids_in_the_workbook_and_the_calendar_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from tests.ics_reader import parse

    out, ics = tmp_path / "結果.xlsx", tmp_path / "office.ics"
    ran = batch(monkeypatch, padded_list(tmp_path), "-o", str(out), "--ics", str(ics))
    assert ran.status == 0, ran.stderr
    every = list(load_workbook(out)["一覧"].iter_rows(values_only=True))
    column = every[0].index("社員番号")
    assert [row[column] for row in every[1:]] == ["00301", "00302", "123456", "401"]
    titles = [e.get("SUMMARY").text for e in parse(ics.read_bytes()).all("VEVENT")]
    assert titles and all("00301" in t for t in titles), titles


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        ("00000", 301, "00301"),
        ("00000", 1234567, "1234567"),
        ('"E"0000', 12, "E0012"),
        ("000-0000", 12345678, "1234-5678"),  # the extra digits go first, as in Excel
        ("[$-411]00000;-00000", 3, "00003"),
        ("\\00000", 7, "00007"),  # an escaped 0 is a letter, not a digit
        ('"0"00', 7, "007"),
        ("0", 5, None),  # no zero to add: not a padding format
        ("#,##0", 1234, None),
        ("0.00", 5, None),
        ("yyyy/mm/dd", 46000, None),
        ("@", 5, None),
    ],
)
def test_which_formats_pad_and_how(code: str, value: int, shown: str | None) -> None:
    from kenpo_cli.batch.xlsx import _padding, shown_as

    pieces = _padding(code)
    assert (shown_as(value, pieces) if pieces is not None else None) == shown


def ods(tmp_path: Path, rows: list[list[str | int]]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice keeps one (numbers as float cells, their
    shown text beside them): a workbook whose number formats kenpo does not read."""
    import zipfile

    def cell(value: str | int) -> str:
        if isinstance(value, int):
            kind, shown = f'float" office:value="{value}', f"{value:05d}"
        else:
            kind, shown = "string", value
        tag = f'table:table-cell office:value-type="{kind}"'
        return f"<{tag}><text:p>{shown}</text:p></table:table-cell>"

    body = "".join(f"<table:table-row>{''.join(map(cell, r))}</table:table-row>" for r in rows)
    ns = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        f' xmlns:office="{ns}:office:1.0" xmlns:table="{ns}:table:1.0"'
        f' xmlns:text="{ns}:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="名簿">{body}</table:table></office:spreadsheet></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        f' xmlns:manifest="{ns}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = tmp_path / "名簿.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", manifest)
        book.writestr("content.xml", content)
    return path


def test_numbers_whose_format_cannot_be_read_are_warned_of(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table: list[list[str | int]] = [["社員番号", "郵便番号", "氏名", "マイナ保険証"]]
    table += [[301, 1000001, "青木", "○"], [302, 5300001, "石井", "×"]]
    ran = batch(monkeypatch, ods(tmp_path, table))
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["301", "302"]  # what the file holds
    said = [line for line in ran.stderr.splitlines() if ".xlsx" in line]
    assert len(said) == 1 and "社員番号, 郵便番号" in said[0] and "氏名" not in said[0], ran.stderr

    # An .xlsx's formats are read: its plain numbers are as typed, and nothing is said.
    def build(book: Any, sheet: Any) -> None:
        for n, row in enumerate(table):
            sheet.write_row(n, 0, row)

    plain = write(tmp_path / "plain.xlsx", build)
    ran = batch(monkeypatch, plain)
    assert [r["社員番号"] for r in rows(ran)] == ["301", "302"]
    assert ran.status == 0 and "この形式のブック" not in ran.stderr, ran.stderr


# ---- formulas a program wrote, and Excel never worked out -------------------------------


def _saved_by_excel(path: Path) -> Path:
    """The workbook as Excel saves it: its results are worked out, so the marker that
    asks Excel to work them out on opening (xlsxwriter writes it) is gone."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


def _formulas(book: Any, sheet: Any) -> None:
    sheet.write_row(0, 0, ["社員番号", "登録日", "マイナ保険証", "資格確認書", "扶養家族数"])
    # xlsxwriter stores 0 as each formula's result unless it is given one.
    sheet.write_row(1, 0, ["E1", "2024/05/01"])
    sheet.write_formula(1, 2, '=IF(B2<>"","○","×")')
    sheet.write(1, 3, "無")
    # One given its result (as a program that works them out writes it): read.
    sheet.write_row(2, 0, ["E2", "2024/06/01"])
    sheet.write_formula(2, 2, '=IF(B3<>"","○","×")', None, "○")
    sheet.write(2, 3, "無")
    # A count worked out to 0: the same placeholder, so no result either.
    sheet.write_row(3, 0, ["E3", "", "未登録", "有"])
    sheet.write_formula(3, 4, "=1-1", None, 0)


def test_a_formula_whose_stored_result_is_a_placeholder_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", _formulas))
    assert ran.status == 3, ran.stderr
    got = by_id(ran)
    # Read as its placeholder 0, E1 was "no マイナ保険証" and could not see a doctor.
    assert "facts" not in got["E1"] and "=IF(B2" in got["E1"]["error"]
    assert "計算結果が保存されていません" in got["E1"]["error"]
    assert got["E2"]["facts"]["myna"] == "yes"
    assert "facts" not in got["E3"] and "=1-1" in got["E3"]["error"]


def test_a_my_number_a_formula_would_make_is_masked_in_its_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    # ="1234"&"5678"&"9018" works out to a マイナンバー: its text, shown in the cell and
    # in the row's error, was masked as three numbers, i.e. not at all.
    def build(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["社員番号", "マイナ保険証", "備考"])
        sheet.write_row(1, 0, ["E1", "はい"])
        sheet.write_formula(1, 2, '=CONCAT("1234","5678","9018")', None, "")
        sheet.write(2, 0, "E2")
        sheet.write_formula(2, 1, '="1234"&"5678"&"9018"', None, "")
        sheet.write(3, 0, "E3")
        sheet.write_formula(3, 1, '=IF(B2="はい","○","×")', None, "")  # no マイナンバー

    out = tmp_path / "out.csv"
    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", build), "-o", str(out))
    assert ran.status == 3, ran.stderr
    said = ran.stderr + out.read_text(encoding="utf-8-sig")
    assert "5678" not in said and "9018" not in said
    assert said.count("****") >= 6  # both formulas still shown, their digits masked
    assert "=IF(B2=" in said  # a formula with no マイナンバー in it keeps its digits


def test_a_formulas_zero_in_a_workbook_excel_saved_is_its_result(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    ran = batch(monkeypatch, _saved_by_excel(write(tmp_path / "list.xlsx", _formulas)))
    assert ran.status == 0, ran.stderr
    got = by_id(ran)
    assert got["E3"]["facts"]["dependants"] == 0  # Excel's 0 is 0
    assert got["E1"]["facts"]["myna"] == "no"  # (0: the word for "no")
    assert got["E2"]["facts"]["myna"] == "yes"


def _blank_by_formula(book: Any, sheet: Any) -> None:
    sheet.write_row(0, 0, ["社員番号", "区分", "退職日", "マイナ保険証", "資格確認書"])
    # =IF(…,"",…): a 退職日 only for those marked 退職; the others' result is "" (empty)
    for n, (mark, result) in enumerate((("在籍", ""), ("退職", 46371)), 1):
        sheet.write_row(n, 0, [f"E{n}", mark])
        sheet.write_formula(n, 2, f'=IF(B{n + 1}="退職",DATE(2026,12,15),"")', None, result)
        sheet.write_row(n, 3, ["いいえ", "有"])


def test_a_formula_that_shows_an_empty_cell_is_read_as_empty_in_a_saved_workbook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    """Excel saves =IF(B2="退職",DATE(…),"") with its empty result (<v></v>): a saved
    result, no 退職日, not a formula "never worked out" to open and save again."""
    ran = batch(monkeypatch, _saved_by_excel(write(tmp_path / "list.xlsx", _blank_by_formula)))
    assert ran.status == 0, ran.stderr
    got = by_id(ran)
    assert got["E1"]["facts"]["left_on"] is None and "error" not in got["E1"]
    assert got["E2"]["facts"]["left_on"] == "2026-12-16"  # the other result: a date
    # Never opened in Excel (a program's placeholders): the empty one is no result yet.
    unsaved = batch(monkeypatch, write(tmp_path / "new.xlsx", _blank_by_formula))
    assert unsaved.status == 3 and "計算結果が保存されていません" in by_id(unsaved)["E1"]["error"]


# ---- a total row as Excel saves it: formulas and their results ---------------------------


@pytest.mark.parametrize(
    "total",
    [
        # =SUBTOTAL(3,…) under the ids counts them (3); 計 beside it (a filtered list's footer)
        lambda sheet: (
            sheet.write_formula(4, 0, "=SUBTOTAL(3,A2:A4)", None, 3),
            sheet.write(4, 1, "計"),
            sheet.write_formula(4, 5, "=SUBTOTAL(9,F2:F4)", None, 3),
        ),
        # ="" in the id column (a formula giving nothing), 合計 in 氏名, a count of cards
        lambda sheet: (
            sheet.write_formula(4, 0, '=""', None, ""),
            sheet.write(4, 1, "合計"),
            sheet.write_formula(4, 4, '=COUNTIF(E2:E4,"有")', None, 1),
        ),
    ],
)
def test_a_total_row_of_formulas_is_not_a_person(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str, total: Any
) -> None:
    def build(book: Any, sheet: Any) -> None:
        sheet.write_row(
            0, 0, ["社員番号", "氏名", "資格喪失日", "マイナ保険証", "資格確認書", "扶養家族数"]
        )
        sheet.write_row(1, 0, ["E001", "青木 一", None, "登録済", "無", 0])
        sheet.write_row(2, 0, ["E002", "石井 二", "2026/11/30", "未登録", "有", 1])
        sheet.write_row(3, 0, ["E003", "上田 三", None, "未登録", "有", 2])
        total(sheet)

    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", build))
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["E001", "E002", "E003"]
    assert "5 行目" in ran.stderr and "合計" in ran.stderr  # skipped, and said


def test_a_total_whose_count_has_the_ids_form_is_still_judged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    # Ids 1, 2, 3 and a count of 3: the count could be an id. A person is never dropped
    # on a guess (計 can be in a note): the row stays, as before.
    def build(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["社員番号", "氏名", "マイナ保険証", "備考"])
        for n in (1, 2, 3):
            sheet.write_row(n, 0, [n, f"社員{n}", "登録済", ""])
        sheet.write_row(4, 0, [4, "新人", "登録済", "計3名の研修"])

    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", build))
    assert [r["社員番号"] for r in rows(ran)] == ["1", "2", "3", "4"]


# ---- rows Excel hides: all read, and said -----------------------------------------------


@pytest.mark.parametrize("filtered", [False, True])
def test_rows_excel_hides_are_read_and_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str, filtered: bool
) -> None:
    def build(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["社員番号", "マイナ保険証", "資格確認書"])
        for n in range(1, 5):
            sheet.write_row(n, 0, [f"E{n}", "登録済", "無"])
        sheet.set_row(2, None, None, {"hidden": True})  # E2, row 3
        sheet.set_row(3, None, None, {"hidden": True})  # E3, row 4
        if filtered:
            sheet.autofilter(0, 0, 4, 2)

    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", build))
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["E1", "E2", "E3", "E4"]  # all read
    said = [line for line in ran.stderr.splitlines() if "3, 4 行目" in line]
    assert said and "2 行" in said[0] and ("フィルター" in said[0]) is filtered


def test_a_sheet_with_nothing_hidden_says_nothing_of_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    def build(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["社員番号", "マイナ保険証"])
        sheet.write_row(1, 0, ["E1", "登録済"])

    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", build))
    assert "非表示" not in ran.stderr and "フィルター" not in ran.stderr


def _months_only(book: Any, sheet: Any) -> None:
    month = book.add_format({"num_format": 'yyyy"年"m"月"'})
    builtin = book.add_format({"num_format": 17})  # mmm-yy, by its number alone
    day = book.add_format({"num_format": "yyyy/m/d"})
    sheet.write_row(0, 0, ["社員番号", "退職日", "マイナ保険証", "資格確認書"])
    for n, shown in enumerate((month, builtin, day), 1):
        sheet.write(n, 0, f"E{n}")
        sheet.write_datetime(n, 1, datetime(2026, 12, 1), shown)
        sheet.write_row(n, 2, ["いいえ", "有"])


def test_a_date_shown_without_its_day_is_not_read_as_the_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reader: str
) -> None:
    """「2026年12月」 typed in a cell is kept as 2026-12-01 and shown without its day: read
    as the 1st, a 退職日 of "December" made a leaver of someone still at work (a return
    overdue, 国保 and 任意継続 deadlines a month early). Read as shown, it is no date."""
    ran = batch(monkeypatch, write(tmp_path / "list.xlsx", _months_only))
    assert ran.status == 3, ran.stderr
    got = by_id(ran)
    for n in ("E1", "E2"):
        assert "facts" not in got[n] and "退職日" in got[n]["error"], got[n]
    assert "2026年12月" in got["E1"]["error"]
    assert got["E3"]["facts"]["left_on"] == "2026-12-02"  # its day shown: read
