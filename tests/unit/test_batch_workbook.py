"""``kenpo batch -o 結果.xlsx``: the HR office's workbook, read back with openpyxl.

kenpo writes it with xlsxwriter; a second library reads every sheet back, as Excel
would show it: the 一覧 sheet with every row, and one sheet per task an office hands to
whoever does it.
"""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.unit.test_batch_exports import batch

STAFF = """社員番号,氏名,所属,電話,マイナ保険証,資格確認書,資格喪失日,電子証明書の有効期限
0101,髙橋 一郎,営業部,09012345678,はい,無,,2026-12-20
0102,山﨑 花子,総務部,0311112222,いいえ,有,2026-10-16,
0103,佐藤 三郎,営業部,0311112223,no,lost,2026-10-01,
0104,鈴木 四郎,総務部,0311112224,no,held,2027-04-01,
0105,田中 五郎,営業部,=1+1,unknown,,,
0106,伊藤 六郎,総務部,0311112226,maybe,,,
0107,渡辺 七郎,総務部,0311112227,はい,無,,2026-11-30
"""
TASK_SHEETS = [
    "回収する資格確認書", "回収不能届", "電子証明書の更新案内", "受診できない・確認が必要な人",
]  # fmt: skip


def workbook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *args: str, name: str = "結果.xlsx"
) -> tuple[Any, Path]:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    out = tmp_path / name
    ran = batch(monkeypatch, src, "-o", str(out), "--lang", "ja", *args)
    assert ran.status == 3, ran.stderr  # the 'maybe' row is an error row
    return load_workbook(out), out


def table(sheet: Worksheet) -> list[dict[str, Any]]:
    """A sheet's rows as dicts by heading (the first row)."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(map(str, rows[0]), row, strict=True)) for row in rows[1:]]


def test_the_workbook_has_every_row_and_a_sheet_per_task(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book, out = workbook(monkeypatch, tmp_path)
    assert book.sheetnames == ["一覧", *TASK_SHEETS]
    every = table(book["一覧"])
    assert [r["社員番号"] for r in every] == [f"010{n}" for n in range(1, 8)]
    assert every[5]["エラー"] and "maybe" in every[5]["エラー"]
    assert every[1]["資格喪失日"] == datetime(2026, 10, 16)
    assert every[1]["マイナ保険証"] == "なし" and every[0]["マイナ保険証"] == "あり"
    assert every[0]["次の期限"] == datetime(2026, 12, 20)
    for sheet in book.worksheets:  # every sheet: its header stays put and filters
        assert sheet.freeze_panes == "A2", sheet.title
        last = f"{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.auto_filter.ref == f"A1:{last}", sheet.title
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_each_task_sheet_lists_its_people_most_urgent_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book, _ = workbook(monkeypatch, tmp_path)
    collect = table(book["回収する資格確認書"])
    # 0102 left in October: due with the employer's filing (5 days), overdue now; 0104
    # leaves in April (later, from that day).
    assert [(r["社員番号"], r["緊急度"]) for r in collect] == [
        ("0102", "期限切れ"),
        ("0104", "今後"),
    ]
    assert collect[1]["開始日"] == datetime(2027, 4, 1)
    assert collect[0]["資格喪失日"] == datetime(2026, 10, 16) and collect[0]["理由"]
    assert [r["社員番号"] for r in table(book["回収不能届"])] == ["0103"]
    renewal = table(book["電子証明書の更新案内"])
    assert [(r["社員番号"], r["期限"]) for r in renewal] == [
        ("0107", datetime(2026, 11, 30)),  # the nearer deadline first, though listed last
        ("0101", datetime(2026, 12, 20)),
    ]
    doctor = table(book["受診できない・確認が必要な人"])
    # Who must check whether the card works; those who left are the return sheets' business.
    assert [(r["社員番号"], r["受診"]) for r in doctor] == [("0105", "確認が必要")]
    for title in TASK_SHEETS:
        headings = next(book[title].iter_rows(values_only=True))
        assert headings[:2] == ("社員番号", "氏名") and "所属" not in headings


def test_ids_and_phone_numbers_are_text_and_nothing_is_a_formula(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book, _ = workbook(monkeypatch, tmp_path)
    sheet = book["一覧"]
    headings = [c.value for c in sheet[1]]
    phone, number = headings.index("電話") + 1, headings.index("社員番号") + 1
    assert sheet.cell(2, number).value == "0101" and sheet.cell(2, number).data_type == "s"
    assert sheet.cell(2, phone).value == "09012345678" and sheet.cell(2, phone).data_type == "s"
    assert sheet.cell(6, phone).value == "=1+1" and sheet.cell(6, phone).data_type == "s"
    day = sheet.cell(3, headings.index("資格喪失日") + 1)
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    # The number of steps is a number, as the row's is (Excel sorts and sums it).
    steps = sheet.cell(2, headings.index("手順の数") + 1)
    assert steps.data_type == "n" and isinstance(steps.value, int) and steps.value >= 1


def test_columns_are_wide_enough_for_japanese(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book, _ = workbook(monkeypatch, tmp_path)
    sheet = book["回収する資格確認書"]
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    # 「資格確認書を返却する」 is 10 wide characters: 20 narrow ones, and then some.
    assert widths["手順"] >= 20 and widths["氏名"] >= 10
    assert widths["社員番号"] < widths["手順"]


def test_group_by_puts_the_department_first_and_sorts_by_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book, _ = workbook(monkeypatch, tmp_path, "--group-by", "所属")
    for title in TASK_SHEETS:
        headings = next(book[title].iter_rows(values_only=True))
        assert headings[:3] == ("所属", "社員番号", "氏名"), title
    # By department first, then by urgency: 0101 (営業部) before 0107 (総務部), due sooner.
    renewal = table(book["電子証明書の更新案内"])
    assert [(r["所属"], r["社員番号"]) for r in renewal] == [("営業部", "0101"), ("総務部", "0107")]


def test_an_unknown_group_column_is_refused_with_the_columns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    ran = batch(monkeypatch, src, "-o", str(tmp_path / "r.xlsx"), "--group-by", "部署")
    assert ran.status == 2 and "部署" in ran.stderr and "所属" in ran.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_english_headings_are_the_codes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    out = tmp_path / "result.xlsx"
    assert batch(monkeypatch, src, "-o", str(out), "--lang", "en").status == 3
    book = load_workbook(out)
    every = table(book["All"])
    assert {"row", "line", "left_on", "next_deadline", "step1_by"} <= set(every[0])
    assert every[1]["myna"] == "no"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["-o", "r.xlsx", "--format", "csv"], "--format csv"),
        (["-o", "r.xls"], "r.xls"),
        (["--format", "xlsx"], "-o"),
        (["-o", "r.csv", "--group-by", "所属"], ".xlsx"),
    ],
)
def test_a_workbook_where_none_can_be_written_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], said: str
) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ran = batch(monkeypatch, src, *args)
    assert ran.status == 2 and said in ran.stderr and not ran.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv"]


# ---- the same words in the CSV, and the facts in JSON Lines ----------------------------


def test_json_lines_rows_carry_the_facts_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json

    src = tmp_path / "staff.csv"
    src.write_text(STAFF.replace("電話", "facts"), encoding="utf-8")
    ran = batch(monkeypatch, src)
    rows = [json.loads(line) for line in ran.stdout.splitlines()]
    # a manager's jq list can print the 資格喪失日: `jq '.facts.left_on'`
    assert rows[1]["facts"]["left_on"] == "2026-10-16" and rows[1]["facts"]["myna"] == "no"
    assert rows[0]["facts"]["cert_expiry"] == "2026-12-20"
    assert rows[0]["facts (2)"] == "09012345678"  # an input column named so is renamed
    assert "facts" not in rows[5] and rows[5]["error"]  # an error row has no facts used


def test_csv_headings_follow_the_language_and_codes_are_for_scripts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import csv
    import io

    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")

    def first(*args: str) -> dict[str, str]:
        ran = batch(monkeypatch, src, "--format", "csv", *args)
        return next(csv.DictReader(io.StringIO(ran.stdout.lstrip("\ufeff"))))

    ja = first("--lang", "ja")
    assert ja["マイナ保険証"] == "あり" and ja["受診"] == "できる" and ja["次の期限"]
    assert ja["手順1"] and "step1" not in ja
    for codes in (first("--lang", "en"), first("--lang", "ja", "--codes")):
        assert codes["myna"] == "yes" and codes["can_see_doctor"] == "yes"
        assert codes["step1"] and "手順1" not in codes


def test_past_excels_last_column_the_inputs_columns_give_way_not_the_verdict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A sheet ends at XFD: with 17,000 columns of its own, a row's verdict was past it."""
    extra = [f"項目{n}" for n in range(17_000)]
    src = tmp_path / "wide.csv"
    src.write_text(
        ",".join(["社員番号", "ステータス", "マイナ保険証", *extra])
        + "\n"
        + ",".join(["0101", "退職", "いいえ", *["x"] * len(extra)])
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "結果.xlsx"
    ran = batch(monkeypatch, src, "-o", str(out), "--lang", "ja")
    assert ran.status == 0, ran.stderr
    first = next(load_workbook(out, read_only=True)["一覧"].iter_rows(max_row=2, values_only=True))
    assert len(first) == 16_384 and first[-2:] == ("注意", "エラー")
    assert {"受診", "返却するもの", "手順1の期限"} <= set(first)  # the verdict's own columns
    assert "入力のほかの列 17001 列のうち" in ran.stderr
    # and stderr names forty of them, not seventeen thousand
    unread = next(line for line in ran.stderr.splitlines() if "そのまま出力した列" in line)
    assert unread.endswith("…ほか 16961 列") and len(unread) < 600


def test_a_cell_longer_than_excel_holds_is_said_cut(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src = tmp_path / "long.csv"
    src.write_text("社員番号,ステータス,備考\n0101,在籍," + "経" * 40_000 + "\n0102,在籍,短い\n")
    out = tmp_path / "結果.xlsx"
    ran = batch(monkeypatch, src, "-o", str(out), "--lang", "en")
    assert ran.status == 0, ran.stderr
    assert "longer than an Excel cell holds (32,767 characters): 1." in ran.stderr
    kept = table(load_workbook(out).worksheets[0])
    assert len(kept[0]["備考"]) == 32_767 and kept[1]["備考"] == "短い"


def test_rows_past_excels_last_row_are_said_left_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """(Excel's 1,048,576 rows, made three here: a million rows is a benchmark's work.)"""
    from kenpo_cli.batch import workbook as module

    monkeypatch.setattr(module, "_EXCEL_ROWS", 3)
    book, _ = workbook(monkeypatch, tmp_path)
    assert len(table(book["一覧"])) == 2
    ran = batch(monkeypatch, tmp_path / "staff.csv", "-o", str(tmp_path / "b.xlsx"))
    assert "1,048,576 行）を超えた 5 行は" in ran.stderr
