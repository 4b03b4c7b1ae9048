"""``kenpo batch`` on the files HR offices really have: one output row per input row, always."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.test_cli import kenpo

HEADER = "社員番号,氏名,マイナ保険証,資格確認書,資格喪失日,備考"
ROWS = [
    "1001,髙橋 一郎,はい,無,,",
    "1002,山﨑 花子,いいえ,有,R8.10.16,①の件",
    "1003,㈱出向 Ⅲ,no,lost,２０２６／１０／０１,",
    "1004,佐藤,yes,held,,",
]


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "staff.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_batch(path: Path | str, *args: str, stdin: str | None = None) -> Any:
    return kenpo("batch", str(path), "--as-of", "2026-11-26", *args, stdin=stdin)


def jsonl(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def summary_numbers(stderr: str) -> list[int]:
    """The numbers of the summary's first line (rows, errors, and the to-do counts)."""
    line = next(line for line in stderr.splitlines() if line.startswith("kenpo batch:"))
    return [int(n) for n in re.findall(r"\d+", line)]


def test_cp932_file_with_characters_shift_jis_cannot_decode(tmp_path: Path) -> None:
    path = write(tmp_path, "\r\n".join([HEADER, *ROWS]) + "\r\n", "cp932")
    r = run_batch(path)
    assert r.returncode == 0, r.stderr
    out = jsonl(r.stdout)
    assert [o["row"] for o in out] == [1, 2, 3, 4]
    assert [o["氏名"] for o in out] == ["髙橋 一郎", "山﨑 花子", "㈱出向 Ⅲ", "佐藤"]
    assert out[1]["備考"] == "①の件"
    assert {"action": "return", "item": "kakuninsho"}.items() <= out[1]["actions"][0].items()
    assert ("submit", "kakuninsho_loss_report") in {
        (a["action"], a["item"]) for a in out[2]["actions"]
    }
    assert "4" in r.stderr and "1" in r.stderr  # rows read and 資格確認書 to collect


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n", encoding)
    out = jsonl(run_batch(path).stdout)
    assert len(out) == 4 and "社員番号" in out[0]  # the BOM is not part of the first column


def test_quoted_newlines_crlf_and_a_blank_trailing_line(tmp_path: Path) -> None:
    text = f'{HEADER}\r\n1001,"髙橋\r\n一郎",はい,無,,"二行\r\nの備考"\r\n1002,b,no,held,,\r\n\r\n'
    out = jsonl(run_batch(write(tmp_path, text)).stdout)
    assert len(out) == 2
    assert out[0]["氏名"] == "髙橋\r\n一郎" and out[0]["備考"] == "二行\r\nの備考"


def test_empty_file_is_a_usage_error_with_no_output(tmp_path: Path) -> None:
    r = run_batch(write(tmp_path, ""))
    assert (r.returncode, r.stdout) == (2, "")
    assert "空" in r.stderr and "見出し" not in r.stderr  # it is empty: nothing to look for


def test_header_only_file_gives_no_rows(tmp_path: Path) -> None:
    r = run_batch(write(tmp_path, HEADER + "\r\n"))
    assert (r.returncode, r.stdout) == (0, "")


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("社員番号,氏名", "列"),
        ("myna,kakuninsho,myna", "myna"),
        ("myna,マイナ保険証", "マイナ保険証"),
    ],
)
def test_bad_headers_are_usage_errors_before_any_output(
    tmp_path: Path, header: str, says: str
) -> None:
    r = run_batch(write(tmp_path, header + "\n1,2,3\n"))
    assert (r.returncode, r.stdout) == (2, "")
    assert says in r.stderr and "Traceback" not in r.stderr


def test_bad_rows_get_an_error_and_the_rest_their_verdicts(tmp_path: Path) -> None:
    rows = [
        "1,a,はい,無,,",  # fine
        "2,b,maybe,無,,",  # bad choice
        "3,c,はい,無,2026-02-30,",  # impossible date
        "4,d,はい",  # too few fields: the empty cells at the end, left out
        "5,e,はい,無,,,extra",  # too many fields
        "6,f,いいえ,有,H31.5.1,",  # outside its era
        "7,g,いいえ,有,,",  # fine
    ]
    r = run_batch(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert r.returncode == 3
    out = jsonl(r.stdout)
    assert [o["row"] for o in out] == list(range(1, 8))
    errors = {o["row"]: o.get("error", "") for o in out}
    assert errors[1] == "" and errors[7] == ""
    assert "マイナ保険証" in errors[2] and "maybe" in errors[2]
    assert "資格喪失日" in errors[3]
    assert errors[4] == "" and "kakuninsho" in out[3]["assumed"] and out[3]["備考"] == ""
    assert "myna" not in out[3]["assumed"]  # its はい was read
    assert "7" in errors[5] and "6" in errors[5]  # too many: refused, the counts named
    assert "資格喪失日" in errors[6]
    assert all(("actions" in o) != ("error" in o) for o in out)
    assert [o["社員番号"] for o in out] == [str(n) for n in range(1, 8)]


def test_undecodable_bytes_spoil_only_their_row(tmp_path: Path) -> None:
    good = "\n".join([HEADER, ROWS[0], ROWS[1]]).encode("cp932")
    bad = b"\n1005,\x82\xff\x82,yes,held,,\n"  # not valid CP932
    path = tmp_path / "mixed.csv"
    path.write_bytes(good + bad + ROWS[3].encode("cp932") + b"\n")
    r = run_batch(path)
    assert r.returncode == 3
    out = jsonl(r.stdout)
    assert len(out) == 4
    assert "氏名" in out[2]["error"] and "cp932" in out[2]["error"]
    assert "\ufffd" in out[2]["氏名"]
    assert "error" not in out[3] and out[0]["氏名"] == "髙橋 一郎"


def test_my_number_like_values_are_never_echoed(tmp_path: Path) -> None:
    # 1234 5678 9018 and 123456789018 have a valid check digit; 123456789012 does not.
    rows = [
        "1001,a,はい,無,,1234 5678 9018",
        "1002,b,123456789018,無,,",
        "1003,c,はい,無,,123456789012",
    ]
    r = run_batch(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert "123456789018" not in r.stdout + r.stderr and "9018" not in r.stdout + r.stderr
    out = jsonl(r.stdout)
    assert out[0]["備考"] == "************"
    assert "error" in out[1] and len(out) == 3
    assert out[2]["備考"] == "123456789012"  # an employee number, not a マイナンバー: kept
    said = [line for line in r.stderr.splitlines() if "マイナンバー" in line]
    assert len(said) == 1 and "備考" in said[0] and "マイナ保険証" in r.stderr


def test_csv_output_opens_in_excel_and_lists_steps_per_column(tmp_path: Path) -> None:
    src = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    dest = tmp_path / "out.csv"
    r = run_batch(src, "--format", "csv", "-o", str(dest), "--codes")
    assert r.returncode == 0 and r.stdout == ""
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    raw = dest.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert rows[1]["return"] == "資格確認書" and rows[1]["dispose"] == "資格情報のお知らせ"
    assert rows[0]["carry"] == "マイナ保険証、資格情報のお知らせ" and rows[0]["error"] == ""
    assert list(rows[0])[:4] == ["row", "line", "社員番号", "氏名"]


def test_stdin_and_the_as_of_column(tmp_path: Path) -> None:
    text = "as_of,myna,kakuninsho\n2025-12-01,no,none\n2025-12-02,no,none\n,no,held\n"
    out = jsonl(kenpo("batch", "-", "--as-of", "2027-12-01", stdin=text).stdout)
    assert [o["as_of"] for o in out] == ["2025-12-01", "2025-12-02", "2027-12-01"]
    assert not out[2]["can_see_doctor"]  # the 資格確認書 ran out the day before


def test_encoding_can_be_named_and_a_wrong_name_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n", "cp932")
    assert len(jsonl(run_batch(path, "--encoding", "cp932").stdout)) == 4
    r = run_batch(path, "--encoding", "latin-9")
    assert r.returncode == 2 and "cp932" in r.stderr


def test_shipped_example_csv_runs() -> None:
    example = Path(__file__).parents[2] / "examples" / "hr" / "employees.csv"
    r = run_batch(example)
    assert r.returncode in (0, 3), r.stderr
    lines = example.read_bytes().decode("cp932").splitlines()
    assert len(jsonl(r.stdout)) == len([line for line in lines[1:] if line.strip()])


def test_unnamed_columns_from_a_spreadsheet_pass_through_by_position(tmp_path: Path) -> None:
    out = jsonl(run_batch(write(tmp_path, "社員番号,マイナ保険証,,\n1001,はい,,\n")).stdout)
    assert out[0]["社員番号"] == "1001" and out[0]["#3"] == "" and out[0]["#4"] == ""


def test_a_bad_as_of_option_names_the_option(tmp_path: Path) -> None:
    r = kenpo("batch", str(write(tmp_path, "myna\nyes\n")), "--as-of", "R1.4.30")
    assert r.returncode == 2 and "--as-of" in r.stderr and r.stdout == ""


def test_csv_deadlines_and_the_summary_counts_agree_with_each_rows_verdict() -> None:
    example = Path(__file__).parents[2] / "examples" / "hr" / "employees.csv"
    as_json = run_batch(example, "--lang", "en")
    rows = jsonl(as_json.stdout)
    cells = list(
        csv.DictReader(io.StringIO(run_batch(example, "--format", "csv", "--codes").stdout[1:]))
    )
    assert len(cells) == len(rows)
    for row, cell in zip(rows, cells, strict=True):
        # A deadline, or the run's day for a return, form or renewal owed now without one:
        # sorted by next_deadline, the most urgent come first.
        deadlines = [a["by"] for a in row.get("actions", []) if "by" in a]
        deadlines += [
            "2026-11-26"
            for a in row.get("actions", [])
            if a["action"] in ("return", "submit", "renew") and not {"by", "from", "on"} & set(a)
        ]
        assert cell["next_deadline"] == (min(deadlines) if deadlines else "")
    assert any(cell["next_deadline"] == "2026-11-26" for cell in cells)

    def former(row: dict[str, Any]) -> bool:  # a former member: no renewal notice
        left_on = row["facts"]["left_on"]
        return bool(row["facts"]["status"] == "left" and (left_on or "") <= "2026-11-26")

    def count(action: str, item: str, members_only: bool = False) -> int:
        return sum(
            any(a["action"] == action and a["item"] == item for a in row.get("actions", []))
            for row in rows
            if "actions" in row and not (members_only and former(row))
        )

    collect, other, loss, renew = (
        count("return", "kakuninsho"),
        count("return", "old_card"),
        count("submit", "kakuninsho_loss_report"),
        count("renew", "myna_cert", members_only=True),
    )
    assert collect and loss and renew  # the example has some of each
    numbers = summary_numbers(as_json.stderr)
    errors = sum("error" in row for row in rows)
    assert numbers == [len(rows), errors, collect, other, loss, renew], as_json.stderr


def test_summary_counts_each_kind_of_work_separately(tmp_path: Path) -> None:
    rows = [
        "社員番号,マイナ保険証,電子証明書有効期限,資格確認書,資格喪失日,連絡不能",
        "1,いいえ,,有,2026-10-16,",  # a 資格確認書 to collect
        "2,いいえ,,有,2026-10-16,",  # another
        "3,いいえ,,有,2026-10-16,",  # and another
        "4,いいえ,,有,2026-10-16,はい",  # unreachable: a loss report
        "5,はい,2026-12-20,無,,",  # a certificate to renew
    ]
    r = run_batch(write(tmp_path, "\n".join(rows) + "\n"), "--lang", "en")
    numbers = summary_numbers(r.stderr)
    assert numbers == [5, 0, 3, 0, 1, 1], r.stderr  # (no old 保険証 to collect)


def test_a_row_still_enrolled_after_its_leaving_day_is_an_error_naming_both(
    tmp_path: Path,
) -> None:
    text = (
        "社員番号,在籍状況,資格喪失日,as_of\n"
        "1,在籍,2026-12-01,2026-11-30\n"
        "2,在籍,2026-12-01,2026-12-01\n"
    )
    r = run_batch(write(tmp_path, text))
    rows = jsonl(r.stdout)
    assert "error" not in rows[0] and rows[0]["as_of"] == "2026-11-30"
    assert "在籍状況" in rows[1]["error"] and "資格喪失日" in rows[1]["error"]
    assert r.returncode == 3  # some rows have errors


@pytest.mark.parametrize(
    ("name", "fmt", "written"),
    [
        ("結果.csv", None, "csv"),  # the README's own Windows command: a CSV, not JSON Lines
        ("out.CSV", None, "csv"),
        ("out.jsonl", None, "jsonl"),
        ("out.ndjson", "jsonl", "jsonl"),
        ("out.txt", "csv", "csv"),  # an extension that names no format: --format decides
        ("out", None, "jsonl"),
    ],
)
def test_the_output_files_extension_decides_its_format(
    tmp_path: Path, name: str, fmt: str | None, written: str
) -> None:
    src = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    dest = tmp_path / name
    r = run_batch(src, "-o", str(dest), *(["--format", fmt] if fmt else []))
    assert r.returncode == 0, r.stderr
    raw = dest.read_bytes()
    if written == "csv":
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [row["社員番号"] for row in rows] == ["1001", "1002", "1003", "1004"]
    else:
        assert [row["社員番号"] for row in jsonl(raw.decode("utf-8"))] == [
            "1001",
            "1002",
            "1003",
            "1004",
        ]


@pytest.mark.parametrize(
    ("name", "fmt", "said"),
    [("out.csv", "jsonl", "--format jsonl"), ("out.jsonl", "csv", "--format csv")],
)
def test_a_format_that_contradicts_the_extension_is_refused(
    tmp_path: Path, name: str, fmt: str, said: str
) -> None:
    src = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    r = run_batch(src, "-o", str(tmp_path / name), "--format", fmt, "--lang", "en")
    assert r.returncode == 2 and said in r.stderr and name in r.stderr
    assert not (tmp_path / name).exists()


def test_a_workbook_name_gets_a_workbook(tmp_path: Path) -> None:
    src = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    r = run_batch(src, "-o", str(tmp_path / "結果.xlsx"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "結果.xlsx").read_bytes()[:2] == b"PK"  # a zip: the workbook
    r = run_batch(src, "-o", str(tmp_path / "結果.xls"))
    assert r.returncode == 2 and "結果.xls" in r.stderr and ".xlsx" in r.stderr
    assert not (tmp_path / "結果.xls").exists()
