"""``kenpo batch`` on files written the way HR systems write them (issue 22).

Each shape is built as its system writes it: SmartHR (UTF-8 with a BOM, CRLF, every
cell quoted), 給与奉行 (CP932 from Excel, title rows, two header rows, a 合計 row),
ジョブカン (UTF-8, its status words), freee (UTF-8, a trailing comma on every row),
Excel's own CSV (CP932, a 合計 row, a CR pasted into a cell). What must never happen:
a wrong verdict with exit 0.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.inprocess import Ran, run_main

AS_OF = "2026-11-26"


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def rows(ran: Ran) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ran.stdout.splitlines()]


def facts(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> list[dict[str, str]]:
    """Each row's facts as read (CSV has a column for each)."""
    ran = batch(monkeypatch, path, "--format", "csv", "--codes", *args)  # a script's view
    assert ran.status in (0, 3), ran.stderr
    return list(csv.DictReader(io.StringIO(ran.stdout.lstrip("\ufeff"))))


def steps(row: dict[str, Any]) -> set[tuple[str, str]]:
    return {(a["action"], a["item"]) for a in row.get("actions", [])}


def smarthr(tmp_path: Path, table: list[list[str]]) -> Path:
    """As SmartHR exports: UTF-8 with a BOM, CRLF, every cell quoted."""
    lines = [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in table]
    path = tmp_path / "smarthr.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    return path


def excel_csv(tmp_path: Path, text: str, name: str = "excel.csv") -> Path:
    """As Excel saves "CSV (コンマ区切り)": CP932, CRLF, quotes only where needed."""
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    return path


# ---- a bracketed note that changes a heading's meaning --------------------------------

LEAVERS = [  # both left on 2026-10-31; one handed the 資格確認書 back, one did not
    ["社員番号", "氏名", "資格喪失日", "マイナ保険証", "資格確認書（回収）"],
    ["1001", "山田 太郎", "2026/11/01", "未登録", "済"],
    ["1002", "佐藤 花子", "2026/11/01", "未登録", "未"],
]


@pytest.mark.parametrize(
    "heading",
    ["資格確認書（回収）", "資格確認書(返却)", "資格確認書【回収状況】"],
)
def test_a_returned_cards_column_is_not_read_as_holding_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    table = [[*LEAVERS[0][:-1], heading], *LEAVERS[1:]]
    ran = batch(monkeypatch, smarthr(tmp_path, table))
    assert ran.status == 0, ran.stderr
    # Read as 資格確認書 = 済 (held), the one who returned it was told to return it. Unread,
    # it is not known (the card was sent unasked: "return it if it came"), never "held".
    assert facts(monkeypatch, smarthr(tmp_path, table))[0]["kakuninsho"] == "unknown"
    said = [line for line in ran.stderr.splitlines() if heading in line and "--map" in line]
    assert said and "資格確認書" in said[0], ran.stderr


def test_a_noted_column_is_read_once_the_office_says_what_it_means(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    maps = ["--map", "資格確認書（回収）=kakuninsho"]
    values = ["--map", "資格確認書（回収）:済=none", "--map", "資格確認書（回収）:未=held"]
    ran = batch(monkeypatch, smarthr(tmp_path, LEAVERS), *maps, *values)
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert ("return", "kakuninsho") not in steps(first)
    assert ("return", "kakuninsho") in steps(second)
    assert "通常の意味" not in ran.stderr
    # the column mapped, its words not: read as asked, and stderr says how
    ran = batch(monkeypatch, smarthr(tmp_path, LEAVERS), *maps)
    said = [line for line in ran.stderr.splitlines() if "通常の意味" in line]
    assert said and "資格確認書（回収）:済=none" in said[0]


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("健康保険証（回収）", "old_card"),  # (保険証 alone is read as neither card)
        ("マイナ保険証（未登録者）", "myna"),
        ("資格喪失日（雇用保険）", "left_on"),
        ("取得日（厚生年金）", "joined_on"),
    ],
)
def test_notes_naming_other_facts_or_insurances_keep_the_column_unread(
    heading: str, fact: str
) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading, "在籍状況"], Messages("ja"))
    assert fact not in header.facts.values()
    assert [(f, note) for _, f, note in header.noted] == [
        (fact, heading[heading.index("（") :].replace("（", "(").replace("）", ")"))
    ]


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("資格喪失日（予定）", "left_on"),
        ("マイナ保険証の有無", "myna"),
        ("資格確認書区分", "kakuninsho"),
        ("資格喪失日[YYYY/MM/DD]", "left_on"),
        ("マイナ保険証(1:有 0:無)", "myna"),
        ("資格喪失日（健康保険）", "left_on"),
        ("【必須】マイナ保険証", "myna"),
        ("マイナ保険証（2026年11月時点）", "myna"),
        ("資格喪失日（予定含む）", "left_on"),
        ("資格確認書(有・無)", "kakuninsho"),
    ],
)
def test_harmless_notes_are_still_ignored(heading: str, fact: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading], Messages("ja"))
    assert list(header.facts.values()) == [fact] and not header.noted


def test_a_sheet_whose_only_fact_column_has_such_a_note_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, smarthr(tmp_path, [["社員番号", "資格確認書（回収）"], ["1", "済"]]))
    assert ran.status == 2 and "--map" in ran.stderr and "資格確認書（回収）" in ran.stderr


# ---- 給与奉行 / Excel: title rows, two header rows, a 合計 row --------------------------

BUGYO = """社員台帳（2026年11月末）,,,,,
,,,,,
社員番号,氏名,マイナ保険証,,資格確認書,
,,登録状況,電子証明書有効期限,有無,有効期限
0001,髙﨑 一郎,登録済,2026/12/20,無,
0002,山田 ①子,未登録,,有,2027/11/30
合計,,1,,1,
"""


def test_two_header_rows_are_joined_and_the_dates_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, excel_csv(tmp_path, BUGYO))
    assert ran.status == 0, ran.stdout + ran.stderr
    first, _ = rows(ran)  # the 合計 row is not a person
    assert first["社員番号"] == "0001" and ("renew", "myna_cert") in steps(first)
    assert facts(monkeypatch, excel_csv(tmp_path, BUGYO))[1]["kakuninsho_expiry"] == "2027-11-30"
    assert "2段" in ran.stderr and "4行目" in ran.stderr
    assert "合計・小計の行 1行" in ran.stderr and "7 行目" in ran.stderr


def test_a_second_header_row_that_names_no_fact_is_refused_by_its_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,氏名,資格確認書,\n,,交付日,回収日\n0001,山田,有,\n"
    ran = batch(monkeypatch, excel_csv(tmp_path, text))
    assert ran.status == 2 and "2行目" in ran.stderr and "交付日" in ran.stderr


@pytest.mark.parametrize("total", ["合計", "小計", "計", "【合計】", "合　計", "Total"])
def test_total_rows_are_skipped_and_counted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, total: str
) -> None:
    text = f"社員番号,氏名,マイナ保険証\n1,a,有\n2,b,無\n{total},,1\n,{total},1\n"
    ran = batch(monkeypatch, excel_csv(tmp_path, text))
    assert ran.status == 0 and len(rows(ran)) == 2, ran.stdout
    assert "合計・小計の行 2行" in ran.stderr


# ---- freee / ジョブカン: ids, trailing commas, their words --------------------------------


def test_repeated_ids_are_named_with_their_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "従業員番号,氏名,マイナ保険証,\n1,a,有,\n2,b,無,\n1,c,有,\n3,d,有,\n2,e,無,\n"
    path = tmp_path / "freee.csv"
    path.write_text(text, encoding="utf-8")
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stdout  # one empty cell too many is a trailing comma
    said = [line for line in ran.stderr.splitlines() if "従業員番号" in line and "同じ値" in line]
    assert len(said) == 2 and "2, 4 行目" in said[0] and "3, 6 行目" in said[1]


def test_an_id_typed_padded_or_in_full_width_is_the_same_id(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # One person entered twice: once as the system wrote it, once by hand.
    text = "社員番号,氏名,マイナ保険証\n0001,a,有\n0002,b,無\n0001 ,a,有\n０００２,b,無\n"
    path = tmp_path / "ids.csv"
    path.write_text(text, encoding="utf-8")
    said = [line for line in batch(monkeypatch, path).stderr.splitlines() if "同じ値" in line]
    assert len(said) == 2 and "2, 4 行目" in said[0] and "3, 5 行目" in said[1], said


def test_no_warning_when_ids_differ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("社員番号,マイナ保険証\n1,有\n2,有\n", encoding="utf-8")
    assert "同じ値" not in batch(monkeypatch, path).stderr


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("育児休業中", "enrolled"),
        ("介護休業中", "enrolled"),
        ("出向中", "enrolled"),
        ("休職（私傷病）", "enrolled"),
        ("定年退職", "left"),
        ("退職（自己都合）", "left"),
        ("契約満了", "left"),
    ],
)
def test_status_words_of_hr_systems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cell: str, value: str
) -> None:
    path = tmp_path / "jobcan.csv"
    path.write_text(f"社員番号,在籍状況,マイナ保険証\n1,{cell},有\n", encoding="utf-8")
    assert facts(monkeypatch, path)[0]["status"] == value


def test_a_status_kenpo_cannot_place_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "jobcan.csv"
    path.write_text("社員番号,在籍状況,マイナ保険証\n1,入社手続き中,有\n", encoding="utf-8")
    ran = batch(monkeypatch, path)
    assert ran.status == 3 and "在籍状況" in rows(ran)[0]["error"]


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ("マイナ保険証", "アリ", "yes"),
        ("マイナ保険証", "ﾅｼ", "no"),
        ("マイナ保険証", "ｱﾘ", "yes"),
        ("マイナ保険証", "有効", "yes"),
        ("マイナ保険証", "無効", "no"),
        ("マイナ保険証", "利用登録済", "yes"),
        ("マイナ保険証", "未登録", "no"),
        ("マイナ保険証", "レ", "yes"),
        ("マイナ保険証", "TRUE", "yes"),
        ("マイナ保険証", "FALSE", "no"),
        ("マイナ保険証", "1", "yes"),
        ("マイナ保険証", "0", "no"),
        ("資格確認書", "ナシ", "none"),
        ("資格確認書", "有効", "held"),
        ("資格確認書", "レ", "held"),
    ],
)
def test_value_words_as_offices_type_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, column: str, cell: str, value: str
) -> None:
    path = tmp_path / "values.csv"
    path.write_text(f"社員番号,{column}\n1,{cell}\n", encoding="utf-8")
    fact = "myna" if column == "マイナ保険証" else "kakuninsho"
    assert facts(monkeypatch, path)[0][fact] == value


# ---- encodings and records -------------------------------------------------------------


def test_a_file_cut_short_and_padded_with_zero_bytes_keeps_its_rows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "crashed.csv"
    text = "社員番号,氏名,マイナ保険証\n1,山田,有\n2,佐藤,無\n"
    path.write_bytes(text.encode() + b"\x00" * 4096)
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1", "2"]
    # cut in the last row, and past the first 64 KiB the encoding is decided on
    big = text + "".join(f"{n},山田,有\n" for n in range(3, 6000)) + "6000,佐藤,無"
    path.write_bytes(big.encode() + b"\x00" * 70_000)
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stdout[-300:]
    assert len(rows(ran)) == 6000 and rows(ran)[-1]["社員番号"] == "6000"


def test_one_cp932_row_in_a_small_utf8_file_costs_that_row_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    head = "社員番号,氏名,マイナ保険証\n1,山田,有\n3,鈴木,無\n".encode()
    path.write_bytes(head + "2,髙﨑,いいえ\n".encode("cp932"))
    ran = batch(monkeypatch, path)
    out = rows(ran)
    assert ran.status == 3 and [r.get("error") is None for r in out] == [True, True, False]
    assert out[0]["氏名"] == "山田" and "utf-8" in out[2]["error"]
    said = [line for line in ran.stderr.splitlines() if "cp932" in line]
    assert said and "4 行目" in said[0]


def test_a_cr_pasted_into_a_cell_is_not_a_new_person(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "cr.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + "社員番号,備考,マイナ保険証\r\n1,a\rb,有\r\n2,c,無\r\n".encode()
    )
    ran = batch(monkeypatch, path)
    assert ran.status == 0 and [r["社員番号"] for r in rows(ran)] == ["1", "2"]


def test_an_unclosed_quote_on_the_last_line_is_an_error_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "cut.csv"
    path.write_text('社員番号,マイナ保険証,資格確認書\n1,有,無\n2,無,"有', encoding="utf-8")
    ran = batch(monkeypatch, path)
    assert ran.status == 3 and "error" in rows(ran)[1]


def test_thirty_thousand_identical_headings_are_renamed_in_linear_time() -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    msgs = Messages("ja")

    def took(n: int) -> float:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            header = read_header(["社員番号", "マイナ保険証", *["備考"] * n], msgs)
            best = min(best, time.perf_counter() - start)
        assert header.names[-1] == f"備考 ({n})"
        return best

    small, large = took(4_000), took(16_000)
    assert large < small * 10  # four times the columns: about four times the time, not 16


# ---- an office's own words: --map COLUMN:WORD=VALUE and --profile ----------------------

PROFILE = """# SmartHR の従業員データ
name = "SmartHR"
[columns]
"資格確認書（回収）" = "kakuninsho"
"入社年月日" = "joined_on"
[values."資格確認書（回収）"]
"済" = "none"
"未" = "held"
[values."マイナ保険証"]
"未登録" = "no"
"""


def test_a_profile_says_once_what_an_export_means(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    profile = tmp_path / "smarthr.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    table = [[*LEAVERS[0], "入社年月日"], *([*row, "2020/04/01"] for row in LEAVERS[1:])]
    path = smarthr(tmp_path, table)
    ran = batch(monkeypatch, path, "--profile", str(profile))
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert ("return", "kakuninsho") not in steps(first)
    assert ("return", "kakuninsho") in steps(second)
    read = facts(monkeypatch, path, "--profile", str(profile))
    assert [r["kakuninsho"] for r in read] == ["none", "held"]
    assert read[0]["joined_on"] == "2020-04-01"
    # --map on the command line wins over the profile's
    again = facts(
        monkeypatch, path, "--profile", str(profile), "--map", "資格確認書（回収）:済=held"
    )
    assert again[0]["kakuninsho"] == "held"


@pytest.mark.parametrize(
    "pairs",
    [
        ("#1=myna", "#1=left_on"),  # a column read as two facts
        ("資格確認書（回収）:済=held", "資格確認書（回収）:済=none"),  # a word with two values
    ],
)
def test_two_maps_giving_one_column_two_meanings_are_refused(
    pairs: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A script that appends a --map to a shared command line read the column as the last
    # said, with no word: which one the office meant is not kenpo's to guess.
    path = smarthr(tmp_path, LEAVERS)
    args = [a for pair in pairs for a in ("--map", pair)]
    ran = batch(monkeypatch, path, *args)
    assert ran.status == 2 and not ran.stdout and "Traceback" not in ran.stderr
    first, second = (pair.rpartition("=")[2] for pair in pairs)
    assert first in ran.stderr and second in ran.stderr and "--map" in ran.stderr
    again = batch(monkeypatch, path, "--map", pairs[0], "--map", pairs[0])  # the same twice
    assert "二つの意味" not in again.stderr


@pytest.mark.parametrize(
    ("text", "said"),
    [('[columns]\n"入社年月日" = 1\n', "1"), ('encoding = ["cp932"]\n', "['cp932']")],
)
def test_a_profile_value_that_is_no_text_is_named_not_called_bad_toml(
    text: str, said: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The file is valid TOML: "not TOML" sent the clerk looking for a syntax error.
    profile = tmp_path / "office.toml"
    profile.write_text(text, encoding="utf-8")
    ran = batch(monkeypatch, smarthr(tmp_path, LEAVERS), "--profile", str(profile), "--lang", "en")
    assert ran.status == 2 and "not valid TOML" not in ran.stderr
    assert "not a text" in ran.stderr and said in ran.stderr and "quotes" in ran.stderr


def test_an_office_word_overrides_the_built_in_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "own.csv"
    path.write_text("社員番号,マイナ保険証\n1,済\n2,要確認\n", encoding="utf-8")
    read = facts(monkeypatch, path, "--map", "マイナ保険証:済=no", "--map", "myna:要確認=-")
    assert [r["myna"] for r in read] == ["no", "no"]  # "-": not given, the default


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--map", "マイナ保険証:済=held"], "yes, no, unknown, lost"),
        (["--map", "マイナ保険証:済=maybe"], "maybe"),
        (["--map", "氏名:済=yes"], "氏名"),
        (["--profile", "missing.toml"], "missing.toml"),
    ],
)
def test_a_wrong_word_map_or_profile_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], said: str
) -> None:
    path = tmp_path / "own.csv"
    path.write_text("社員番号,氏名,マイナ保険証\n1,a,済\n", encoding="utf-8")
    ran = batch(monkeypatch, path, *args)
    assert ran.status == 2 and said in ran.stderr and not ran.stdout


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[columns\n", "TOML"),
        ("encodng = 'cp932'\n", "encodng"),
        ("[columns]\n'入社日' = 3\n", "入社日"),
    ],
)
def test_a_broken_profile_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, said: str
) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(text, encoding="utf-8")
    path = tmp_path / "own.csv"
    path.write_text("社員番号,マイナ保険証\n1,済\n", encoding="utf-8")
    ran = batch(monkeypatch, path, "--profile", str(profile))
    assert ran.status == 2 and said in ran.stderr and "p.toml" in ran.stderr


# ---- Excel workbooks ------------------------------------------------------------------


def workbook(tmp_path: Path, name: str = "staff.xlsx") -> Path:
    """As an office keeps its list in Excel: a title, the header on row 3, employee
    numbers typed as numbers, dates as dates, a tick box as TRUE/FALSE, a 合計 row, and a
    second sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "社員一覧"
    sheet.append(["マイナ保険証 移行確認表（2026年11月）"])
    sheet.append([])
    sheet.append(["社員番号", "氏名", "資格喪失日", "マイナ保険証", "資格確認書", "入社日時"])
    sheet.append([1001, "山田 太郎", datetime(2026, 11, 1), True, "有", datetime(2020, 4, 1, 9)])
    sheet.append([1002, "佐藤 花子", None, False, "無", datetime(2021, 4, 1)])
    sheet.append(["合計", None, None, 1, 1, None])
    other = book.create_sheet("退職者")
    other.append(["社員番号", "資格喪失日", "資格確認書"])
    other.append(["0007", date(2026, 10, 1), "紛失"])
    path = tmp_path / name
    book.save(path)
    return path


def test_an_xlsx_workbook_is_read_directly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = workbook(tmp_path)
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    first, second = rows(ran)
    assert (first["社員番号"], first["line"], second["社員番号"]) == ("1001", 4, "1002")
    assert ("return", "kakuninsho") in steps(first)  # the date cell read as a date
    assert first["入社日時"] == "2020-04-01 09:00:00" and second["入社日時"] == "2021-04-01"
    read = facts(monkeypatch, path)
    assert [(r["left_on"], r["myna"]) for r in read] == [("2026-11-01", "yes"), ("", "no")]
    assert "シート「社員一覧」" in ran.stderr and "合計・小計の行 1行" in ran.stderr


def test_sheet_names_the_sheet_and_stdin_works_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = workbook(tmp_path)
    ran = batch(monkeypatch, path, "--sheet", "退職者")
    assert ran.status == 0 and rows(ran)[0]["社員番号"] == "0007", ran.stderr
    assert ("submit", "kakuninsho_loss_report") in steps(rows(ran)[0])
    piped = run_main_bytes(path.read_bytes())
    assert piped.status == 0 and [r["社員番号"] for r in rows(piped)] == ["1001", "1002"]


def run_main_bytes(data: bytes) -> Ran:
    """``kenpo batch -`` with ``data`` piped in (a workbook on standard input)."""
    import subprocess

    from tests.acceptance.test_cli import KENPO as kenpo  # this interpreter's kenpo

    assert kenpo is not None
    done = subprocess.run(
        [kenpo, "batch", "-", "--as-of", AS_OF], input=data, capture_output=True, check=False
    )
    return Ran(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--sheet", "なし"], "社員一覧, 退職者"),
        (["--sheet", "社員一覧", "--encoding", "cp932"], ""),
    ],
)
def test_a_wrong_sheet_is_a_usage_error_naming_the_sheets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], said: str
) -> None:
    ran = batch(monkeypatch, workbook(tmp_path), *args)
    if said:
        assert ran.status == 2 and said in ran.stderr and not ran.stdout
    else:
        assert ran.status == 0, ran.stderr  # an encoding means nothing to a workbook


def test_a_broken_workbook_or_a_sheet_for_a_csv_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook(tmp_path).read_bytes()[:3000])
    ran = batch(monkeypatch, broken)
    assert ran.status == 2 and "Excel" in ran.stderr and "Traceback" not in ran.stderr
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("社員番号,マイナ保険証\n1,有\n", encoding="utf-8")
    ran = batch(monkeypatch, csv_file, "--sheet", "社員一覧")
    assert ran.status == 2 and "--sheet" in ran.stderr


@pytest.mark.parametrize("args", [[], ["--sheet", "退職者"], ["--sheet", "なし"]])
def test_without_calamine_as_in_kenpo_pyz_openpyxl_reads_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str]
) -> None:
    # kenpo.pyz can hold no compiled code, so it carries openpyxl in calamine's place.
    path = workbook(tmp_path)
    with_calamine = batch(monkeypatch, path, *args)
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails, as in the pyz
    without = batch(monkeypatch, path, *args)
    assert (without.status, without.stdout, without.stderr) == (
        with_calamine.status,
        with_calamine.stdout,
        with_calamine.stderr,
    )


def test_without_calamine_a_broken_workbook_is_still_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook(tmp_path).read_bytes()[:3000])
    ran = batch(monkeypatch, broken)
    assert ran.status == 2 and "Excel" in ran.stderr and "Traceback" not in ran.stderr


def test_rows_with_one_empty_cell_more_than_the_header_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text("社員番号,マイナ保険証\n1,有,\n2,無,,\n3,有,x\n", encoding="utf-8")
    ran = batch(monkeypatch, path)
    out = rows(ran)
    assert [r.get("error") is None for r in out] == [True, True, False]  # "x" is a cell
    assert ran.status == 3 and "列数" in out[2]["error"]


@pytest.mark.parametrize(
    ("heading", "read"),
    [
        ("資格確認書(0:有 1:無)", False),  # the key reverses kenpo's 1 and 0
        ("資格確認書（０：有　１：無）", False),
        ("資格確認書(有:0/無:1)", False),
        ("資格確認書[0:交付済 1:未交付]", False),
        ("資格確認書(1:有 0:無)", True),  # the key says what kenpo reads anyway
        ("資格確認書(有:1/無:0)", True),
    ],
)
def test_a_legend_that_reverses_the_codes_keeps_the_column_from_being_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str, read: bool
) -> None:
    # 7101 holds a 資格確認書 (0 under a 0:有 key) and left on 2026-10-15: it goes back.
    table = [["社員番号", "退職日", heading], ["7101", "2026/10/15", "0"]]
    if read:
        table[1][2] = "1"
    ran = batch(monkeypatch, smarthr(tmp_path, table))
    if read:
        assert ran.status == 0 and ("return", "kakuninsho") in steps(rows(ran)[0]), ran.stderr
    else:
        # Never read as usual (0 = none, so "nothing to return"): not known, so "return it
        # if it came", and stderr names --map.
        assert facts(monkeypatch, smarthr(tmp_path, table))[0]["kakuninsho"] == "unknown"
        assert (
            "--map" in ran.stderr
            and heading.split("(")[0].split("（")[0].split("[")[0] in ran.stderr
        )


@pytest.mark.parametrize("calamine", [True, False])
def test_a_hidden_first_sheet_is_not_read_and_the_other_sheets_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, calamine: bool
) -> None:
    from openpyxl import Workbook

    # As an office keeps it: last year's list hidden first, this month's list shown, and
    # the leavers on a sheet of their own.
    book = Workbook()
    old = book.active
    assert old is not None
    old.title = "旧データ"
    old.append(["社員番号", "マイナ保険証", "資格確認書"])
    old.append(["0001", "○", "×"])
    old.sheet_state = "hidden"
    now = book.create_sheet("2026年11月")
    now.append(["社員番号", "マイナ保険証", "資格確認書", "退職日"])
    now.append(["1001", "○", "×", None])
    now.append(["1002", "×", "○", "2026/10/15"])
    leavers = book.create_sheet("退職者")
    leavers.append(["社員番号", "資格確認書", "退職日"])
    leavers.append(["5001", "○", "2026/9/30"])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    if not calamine:
        monkeypatch.setitem(sys.modules, "python_calamine", None)
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1001", "1002"]
    said = [line for line in ran.stderr.splitlines() if "退職者" in line]
    assert said and "旧データ（非表示）" in said[0] and "--sheet" in said[0], ran.stderr
    # Its example names a sheet not read (it was always 退職者, the sheet read or not).
    ran = batch(monkeypatch, path, "--sheet", "退職者")
    (example,) = [line for line in ran.stderr.splitlines() if "--sheet '" in line]
    assert "--sheet '旧データ'" in example or "--sheet '2026年11月'" in example, example


@pytest.mark.parametrize("calamine", [True, False])
def test_a_formula_saved_without_its_result_is_an_error_not_an_empty_cell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, calamine: bool
) -> None:
    import zipfile

    from openpyxl import Workbook

    # As a script or an HR system writes a workbook Excel never opened: formulas, no results.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["社員番号", "退職日", "資格確認書"])
    sheet.append(["124", "=VLOOKUP(A2,退職!A:B,2,FALSE)", "有"])
    sheet.append(["125", "=DATE(2026,9,30)", "有"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    if not calamine:  # as in kenpo.pyz
        monkeypatch.setitem(sys.modules, "python_calamine", None)
    ran = batch(monkeypatch, path)
    first, second = rows(ran)
    assert "退職日" in first["error"] and "VLOOKUP" in first["error"]
    assert "退職日" in second["error"] and "DATE" in second["error"]
    # Saved by Excel, the same formula carries its result (a date serial): read as it.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(b"<v />", b"<v>46295</v>", 2)
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(saved, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    ran = batch(monkeypatch, saved)
    assert all("error" not in r for r in rows(ran)), ran.stdout
    assert all(("return", "kakuninsho") in steps(r) for r in rows(ran))


def test_a_footer_with_the_export_date_is_no_person_but_a_lone_employee_number_is(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "footer.csv"
    path.write_bytes(
        "社員番号,氏名,マイナ保険証,資格確認書\r\n1,山田,○,×\r\n"
        "2026/11/26 出力,,,\r\n作成者：人事部,,,\r\nE0003,,,\r\n".encode("cp932")
    )
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["1", "E0003"]
