"""``kenpo batch`` on the sheets HR offices really have (issue 11), run in-process.

Headings as HR systems spell them, --map, title rows, TSV, UTF-16, an encoding found
late, every bad cell named, assumed facts, file lines, empty rows, --only, and the
mail-merge CSV as Excel opens it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.inprocess import Ran, run_main

AS_OF = "2026-11-26"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "staff.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def rows(ran: Ran) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ran.stdout.splitlines()]


def steps(row: dict[str, Any]) -> set[tuple[str, str]]:
    return {(a["action"], a["item"]) for a in row.get("actions", [])}


# ---- headings --------------------------------------------------------------------

LEAVER = {  # a leaver who still holds a valid 資格確認書: it must be returned
    "left": "2026-10-16",
    "retired": "2026-10-15",
    "myna": "いいえ",
    "kakuninsho": "有",
}


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("資格喪失年月日", "left"),
        ("喪失日", "left"),
        ("資格喪失日(予定)", "left"),
        ("資格喪失日（予定）", "left"),
        ("資格喪失日\n（予定）", "left"),
        ("被保険者資格喪失日", "left"),
        ("退職日", "retired"),
        ("退職年月日", "retired"),
        ("退職 日", "retired"),
        ("退社日", "retired"),
        ("退職日付", "retired"),
        ("Retirement Date", "retired"),
    ],
)
def test_leaving_day_headings_as_hr_systems_write_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str, kind: str
) -> None:
    quoted = '"' + heading + '"'
    text = f"社員番号,{quoted},マイナ保険証,資格確認書\n1,{LEAVER[kind]},いいえ,有\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    assert ("return", "kakuninsho") in steps(rows(ran)[0])
    assert "資格喪失日" in ran.stderr or "退職日" in ran.stderr  # stderr says how it was read


@pytest.mark.parametrize(
    "heading",
    [
        "マイナ保険証の有無",
        "マイナ保険証\nの有無",
        "健康保険証利用登録",
        "マイナ保険証（有無）",
        "マイナ保険証の利用登録",
        "マイナンバーカードの保険証利用登録",
    ],
)
def test_myna_headings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str) -> None:
    text = f'社員番号,"{heading}",電子証明書の有効期限\n1,登録済み,2026-12-20\n'
    out = rows(batch(monkeypatch, write(tmp_path, text)))
    assert ("renew", "myna_cert") in steps(out[0])


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("資格確認書の有無", "kakuninsho"),
        ("電子証明書の有効期限", "cert_expiry"),
        ("電子証明書 有効期限", "cert_expiry"),
        ("資格取得年月日", "joined_on"),
        ("被保険者資格取得日", "joined_on"),
        ("取得日", "joined_on"),
        ("【必須】マイナ保険証", "myna"),
        ("※資格確認書有効期限", "kakuninsho_expiry"),
        ("電子証明書（有効期限）", "cert_expiry"),
        ("お知らせ受領", "oshirase"),
        ("健康保険 資格喪失日", "left_on"),
        ("マイナ保険証登録状況", "myna"),
        ("資格確認書交付有無", "kakuninsho"),
        ("健保資格喪失年月日", "left_on"),  # the insurance named first
        ("社保資格取得日", "joined_on"),
        ("在職区分", "status"),
        ("ステータス", "status"),
        ("雇用状態", "status"),
    ],
)
def test_other_headings_are_read_as_their_fact(heading: str, fact: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading], Messages("ja"))
    assert list(header.facts.values()) == [fact]


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ("在籍状況", "休職", "enrolled"),
        ("在籍状況", "産休中", "enrolled"),
        ("在籍状況", "退社", "left"),
        ("マイナ保険証", "保有", "yes"),
        ("マイナ保険証", "未保有", "no"),
        ("マイナ保険証", "申請中", "no"),
        ("マイナ保険証", "確認中", "unknown"),
        ("資格確認書", "返却済", "none"),
        ("資格確認書", "回収済み", "none"),
        ("資格確認書", "再交付済", "held"),
    ],
)
def test_cell_words_hr_sheets_use(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, column: str, cell: str, value: str
) -> None:
    fact = {"在籍状況": "status", "マイナ保険証": "myna", "資格確認書": "kakuninsho"}[column]
    csv_of = write(tmp_path, f"社員番号,{column}\n1,{cell}\n")
    ran = batch(monkeypatch, csv_of, "--format", "csv", "--codes")
    assert ran.status == 0, ran.stdout
    record = next(csv.DictReader(io.StringIO(ran.stdout.lstrip("\ufeff"))))
    assert record[fact] == value


def test_a_sheet_with_only_the_kakuninsho_expiry_collects_it_from_leavers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,資格喪失日,資格確認書の有効期限\n1,2026/11/1,2027/11/30\n2,2026/11/1,\n"
    out = rows(batch(monkeypatch, write(tmp_path, text)))
    assert ("return", "kakuninsho") in steps(out[0]) and "kakuninsho" not in out[0]["assumed"]
    assert "kakuninsho" in out[1]["assumed"]  # no date: nothing says one was issued


def test_a_kakuninsho_expiry_in_a_blank_kakuninsho_cell_says_one_is_held(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Members still enrolled, the 資格確認書 cell left blank but its expiry filled in:
    the expiry says one was issued (as when the sheet has no 資格確認書 column)."""
    head = "社員番号,マイナ保険証,資格確認書,資格確認書の有効期限\n"
    text = head + "1,いいえ,,2027/11/30\n2,いいえ,無,2027/11/30\n3,いいえ,,\n"
    out = rows(batch(monkeypatch, write(tmp_path, text)))
    assert ("carry", "kakuninsho") in steps(out[0]) and "kakuninsho" not in out[0]["assumed"]
    assert ("carry", "kakuninsho") not in steps(out[1])  # the cell said none
    assert "kakuninsho" in out[2]["assumed"]


@pytest.mark.parametrize("heading", ["最終出社日", "在籍期間", "雇用区分変更日"])
def test_unread_headings_that_look_like_facts_are_warned_of(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    ran = batch(monkeypatch, write(tmp_path, f"社員番号,{heading}\n1,2026-10-31\n"))
    assert any(heading in line and "--map" in line for line in ran.stderr.splitlines())


def test_stderr_says_once_which_decisive_facts_have_no_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, "社員番号,資格喪失日\n1,2026/11/1\n"))
    said = [line for line in ran.stderr.splitlines() if "既定の答え" in line]
    assert len(said) == 1 and "マイナ保険証 = no" in said[0] and "資格確認書 = unknown" in said[0]
    assert "在籍状況" not in said[0]  # the leaving day settles it
    # A leaver before 2025-12-02 held the old card: assumed none, nobody is told to return it.
    assert "従来の健康保険証 = unknown" in said[0]
    full = (
        "社員番号,在籍状況,マイナ保険証,資格確認書,資格情報のお知らせ,従来の保険証\n"
        "1,在籍,有,無,有,無\n"
    )
    assert "既定の答え" not in batch(monkeypatch, write(tmp_path, full)).stderr


def test_a_row_with_no_fact_is_named_in_the_summary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,資格喪失日,資格確認書\n1,2026/11/1,有\n2,,無\n3,,\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    said = [line for line in ran.stderr.splitlines() if "判定に使う値が一つもない" in line]
    assert len(said) == 1 and "1行" in said[0] and "4 行目" in said[0]
    assert len(rows(ran)) == 3  # still judged (a person may have no data yet)


def test_stderr_names_each_column_read_and_warns_of_unread_fact_like_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,資格喪失年月日,マイナ保険証,資格確認書送付日\n1,,はい,2026-10-01\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert "資格喪失年月日 → 資格喪失日" in ran.stderr
    warned = [line for line in ran.stderr.splitlines() if "資格確認書送付日" in line]
    assert any("--map" in line for line in warned)
    assert "資格確認書送付日" in rows(ran)[0]  # passed through, unchanged


def test_map_names_a_column_and_another_leaves_one_unread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,退社予定,マイナ保険証,従来の保険証\n1,2026-12-16,いいえ,有\n"
    ran = batch(
        monkeypatch, write(tmp_path, text), "--map", "退社予定=left_on", "--map", "従来の保険証=-"
    )
    assert ran.status == 0, ran.stderr
    row = rows(ran)[0]
    assert row["従来の保険証"] == "有" and "old_card" in row["assumed"]
    assert any(w["code"] == "leaving_soon" for w in row["warnings"])


@pytest.mark.parametrize(
    ("option", "says"),
    [
        ("ないもの=left_on", "ないもの"),
        ("退社予定=whatever", "whatever"),
        ("no-equals", "no-equals"),
        # the column as typed, not as kenpo folds it to match (#_1, no_such)
        ("#-1=-", "'#-1'"),
        ("No-Such=myna", "'No-Such'"),
        ("No-Such:済=yes", "'No-Such'"),
    ],
)
def test_a_wrong_map_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, option: str, says: str
) -> None:
    text = "社員番号,退社予定,マイナ保険証\n1,2026-12-16,いいえ\n"
    ran = batch(monkeypatch, write(tmp_path, text), "--map", option)
    assert ran.status == 2 and says in ran.stderr and ran.stdout == ""
    if option.startswith("#"):  # a column by its place: the places are shown
        assert "#1 社員番号, #2 退社予定, #3 マイナ保険証" in ran.stderr


def test_two_columns_read_as_one_fact_are_refused_with_a_way_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "マイナ保険証の有無,健康保険証利用登録\nはい,はい\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 2 and "--map" in ran.stderr and "健康保険証利用登録" in ran.stderr


def test_two_columns_with_one_heading_are_told_apart_by_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Two sheets joined: the same heading twice. By name, --map would leave out both.
    path = write(tmp_path, "社員番号,資格喪失日,資格喪失日,資格確認書\n1,2026/11/1,,有\n")
    refused = batch(monkeypatch, path)
    assert refused.status == 2 and "--map '#3=-'" in refused.stderr
    ran = batch(monkeypatch, path, "--map", "#3=-")
    assert ran.status == 0, ran.stderr
    assert ("return", "kakuninsho") in steps(rows(ran)[0])  # the second column's day is read
    assert "注意" not in ran.stderr  # the column left out by place is not warned of
    assert batch(monkeypatch, path, "--map", "#2=-").status == 0  # either one may go
    assert batch(monkeypatch, path, "--map", "#9=-").status == 2  # no ninth column


def test_repeated_and_reserved_pass_through_names_are_renamed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "備考,備考,row,error,マイナ保険証\na,b,c,d,はい\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    row = rows(ran)[0]
    assert (row["備考"], row["備考 (2)"], row["row (2)"], row["error (2)"]) == ("a", "b", "c", "d")
    assert row["row"] == 1 and "error" not in row
    assert "row (2)" in ran.stderr


# ---- values, errors, assumed, lines, empty rows ---------------------------------


def test_every_bad_cell_of_a_row_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = "社員番号,マイナ保険証,資格確認書,資格喪失日\n1,たぶん,どれか,2026-02-30\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 3
    error = rows(ran)[0]["error"]
    assert all(word in error for word in ("マイナ保険証", "たぶん", "資格確認書", "どれか"))
    assert "資格喪失日" in error and "はい" in error  # the words people may use are listed


def test_assumed_facts_line_numbers_and_empty_rows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員名簿 2026年11月\r\n"
        "\r\n"
        "社員番号,マイナ保険証,資格確認書,備考\r\n"
        "1,はい,,\r\n"
        ",,,\r\n"
        '2,いいえ,有,"二行の\r\n備考"\r\n'
        "3,不明,不明,\r\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    out = rows(ran)
    # Spreadsheet rows: the note with a line break inside is one row, as Excel shows it.
    assert [(r["row"], r["line"]) for r in out] == [(1, 4), (2, 6), (3, 7)]
    assert "kakuninsho" in out[0]["assumed"] and "myna" not in out[0]["assumed"]
    assert "kakuninsho" not in out[1]["assumed"]
    assert "myna" not in out[2]["assumed"] and "kakuninsho" in out[2]["assumed"]  # 不明
    assert "3行目" in ran.stderr  # the header was found below the title rows
    assert "空の行 1行" in ran.stderr


def test_retired_on_sheet_says_retired_on_when_blank(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = rows(batch(monkeypatch, write(tmp_path, "退職日,マイナ保険証\n,はい\n")))
    assert "retired_on" in out[0]["assumed"] and "left_on" not in out[0]["assumed"]


def test_a_sheet_without_a_header_says_what_its_first_line_holds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, "1001,髙橋,はい,無\n1002,山﨑,いいえ,有\n"))
    assert ran.status == 2 and ran.stdout == ""
    assert "1001" in ran.stderr and "--map" in ran.stderr


# ---- encodings and delimiters ---------------------------------------------------

SHEET = (
    "社員番号\t氏名\tマイナ保険証\t資格確認書\r\n1\t髙橋 一郎\tはい\t無\r\n2\t山﨑\tいいえ\t有\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8", "cp932"])
def test_tab_separated_and_excels_unicode_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, encoding: str
) -> None:
    ran = batch(monkeypatch, write(tmp_path, SHEET, encoding))
    assert ran.status == 0, ran.stderr
    out = rows(ran)
    assert [r["氏名"] for r in out] == ["髙橋 一郎", "山﨑"]
    assert "タブ区切り" in ran.stderr


def test_ascii_for_64_kib_then_cp932_is_read_as_cp932(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    head = "社員番号,マイナ保険証,備考\r\n".encode("cp932")
    ascii_rows = b"".join(b"%d,yes,note\r\n" % n for n in range(1, 9001))  # > 64 KiB
    late = "9001,はい,髙橋①\r\n9002,いいえ,山﨑\r\n".encode("cp932")
    path = tmp_path / "late.csv"
    path.write_bytes(head + ascii_rows + late)
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr[-500:]
    out = rows(ran)
    assert out[-2]["備考"] == "髙橋①" and out[-1]["備考"] == "山﨑"
    assert "cp932" in ran.stderr


def test_a_zero_byte_in_one_cell_costs_that_row_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes("社員番号,マイナ保険証\nE1,はい\nE2,は\x00い\nE3,いいえ\n".encode())
    ran = batch(monkeypatch, path)
    assert ran.status == 3 and [("error" in r) for r in rows(ran)] == [False, True, False]


def test_utf16_named_for_a_file_without_a_byte_order_mark(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,マイナ保険証\r\nE1,はい\r\n"
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(text.encode(codec))
        ran = batch(monkeypatch, path, "--encoding", "utf-16")
        assert ran.status == 0 and rows(ran)[0]["社員番号"] == "E1", ran.stderr
    wrong = write(tmp_path, text)  # UTF-8 said to be UTF-16: a clear usage error, not 70
    assert batch(monkeypatch, wrong, "--encoding", "utf-16").status == 2


BAD_BYTES = {  # a name cell with bytes the file's encoding cannot read
    "utf-8": b"\xe9\xab\x99\xff",
    "cp932": b"\x82\xff\x82",
    "utf-16-le": b"\x00\xd8A\x00",  # a lone high surrogate, then "A"
    "ascii": b"\x82\xff\x82",  # ASCII for 64 KiB, then CP932: read late as CP932
}


@pytest.mark.parametrize("encoding", list(BAD_BYTES))
def test_undecodable_bytes_deep_in_a_file_spoil_only_their_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, encoding: str
) -> None:
    """Rows are searched for undecodable bytes once a reading has met some: the row
    holding them, thousands of rows in, gets its error in every encoding."""
    codec = "cp932" if encoding == "ascii" else encoding
    name = "名" if encoding != "ascii" else "name"
    head = "社員番号,氏名,マイナ保険証\r\n".encode(codec)
    if encoding == "ascii":
        head = b"id,name,myna\r\n"
    body = b"".join(f"{n},{name},yes\r\n".encode(codec) for n in range(1, 9001))
    bad = "9001,".encode(codec) + BAD_BYTES[encoding] + ",yes\r\n".encode(codec)
    after = f"9002,{name},yes\r\n".encode(codec)
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b""
    path = tmp_path / "deep.csv"
    path.write_bytes(bom + head + body + bad + after)
    ran = batch(monkeypatch, path)
    assert ran.status == 3, ran.stderr[-300:]
    out = rows(ran)
    assert len(out) == 9002 and [r["row"] for r in out if "error" in r] == [9001]
    heading = "name" if encoding == "ascii" else "氏名"
    assert "\ufffd" in out[9000][heading] and heading in out[9000]["error"]  # never raw


@pytest.mark.parametrize("name", ["UTF-8", "utf8", "Shift_JIS", "sjis", "CP932", "UTF-16"])
def test_encoding_names_as_people_write_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    codec = {"shift_jis": "cp932", "sjis": "cp932", "utf8": "utf-8"}.get(name.lower(), name)
    path = write(tmp_path, SHEET.replace("\t", ","), codec)
    ran = batch(monkeypatch, path, "--encoding", name)
    assert ran.status == 0, ran.stderr
    assert rows(ran)[0]["氏名"] == "髙橋 一郎"


# ---- --only ---------------------------------------------------------------------

ONLY_SHEET = (
    "社員番号,マイナ保険証,資格確認書,資格喪失日,連絡不能\n"
    "1,はい,無,,\n"  # nothing to return
    "2,いいえ,有,2026-10-16,\n"  # returns the 資格確認書
    "3,いいえ,有,2026-10-16,はい\n"  # unreachable: a loss report
    "4,たぶん,有,,\n"  # an error: kept, kenpo cannot tell
)


@pytest.mark.parametrize(
    ("only", "kept"),
    [
        ("return", ["2", "4"]),
        ("return:kakuninsho", ["2", "4"]),
        ("submit:kakuninsho_loss_report", ["3", "4"]),
        ("RETURN:kakuninsho,submit", ["2", "3", "4"]),
        ("返却:資格確認書", ["2", "4"]),  # as an office writes it
        ("返却：資格確認書，提出", ["2", "3", "4"]),  # typed with the IME on
        ("提出:資格確認書滅失・回収不能届", ["3", "4"]),
    ],
)
def test_only_keeps_the_rows_with_such_a_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, only: str, kept: list[str]
) -> None:
    ran = batch(monkeypatch, write(tmp_path, ONLY_SHEET), "--only", only)
    assert [r["社員番号"] for r in rows(ran)] == kept
    assert ran.status == 3  # row 4's error still counts


def test_an_empty_file_and_a_map_typed_with_the_ime_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for text in ("", "\n\n\n", "\ufeff", ",,\n,,\n"):  # nothing, blank lines, a BOM alone
        empty = batch(monkeypatch, write(tmp_path, text))
        assert empty.status == 2 and "空" in empty.stderr and "先頭" not in empty.stderr
    sheet = write(tmp_path, "社員番号,退社予定\n1,2026/11/30\n")
    ran = batch(monkeypatch, sheet, "--map", "退社予定＝退職日")
    assert ran.status == 0 and rows(ran)[0]["社員番号"] == "1"
    assert "退社予定 → 退職日" in ran.stderr


@pytest.mark.parametrize("only", ["send", "return:card", "return:", "", ",", " ，"])
def test_a_wrong_only_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, only: str
) -> None:
    ran = batch(monkeypatch, write(tmp_path, ONLY_SHEET), "--only", only)
    assert ran.status in (2, 3)
    if ran.status == 2:
        assert "return" in ran.stderr and ran.stdout == ""


def test_the_summary_counts_who_cannot_see_a_doctor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The two leavers' cards have simply ended: they are on the collect sheets, not
    # counted with the members who cannot see a doctor (the 受診できない sheet's people).
    ran = batch(monkeypatch, write(tmp_path, ONLY_SHEET))
    assert "受診できない人 0人" in ran.stderr and "分からない人 0人" in ran.stderr
    sheet = ONLY_SHEET + "5,いいえ,無,,\n"  # a member with nothing to show
    ran = batch(monkeypatch, write(tmp_path, sheet))
    assert "受診できない人 1人" in ran.stderr and "分からない人 0人" in ran.stderr
    # Joining next month (資格取得日 ahead): covered by the insurance they have now, not
    # one who cannot see a doctor (nor one not known to).
    joining = (
        "社員番号,資格取得日,マイナ保険証,資格確認書\n6,2027-01-01,いいえ,\n7,2027-01-01,はい,無\n"
    )
    ran = batch(monkeypatch, write(tmp_path, joining))
    assert "受診できない人 0人" in ran.stderr and "分からない人 0人" in ran.stderr, ran.stderr


# ---- the CSV for a mail merge --------------------------------------------------


def excel_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_the_facts_each_step_in_words_and_its_dates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,氏名,退職日,マイナ保険証,電子証明書有効期限,資格確認書\n"
    text += "1,髙橋,2026-12-15,はい,2026-12-20,有\n"
    dest = tmp_path / "letters.csv"
    ran = batch(monkeypatch, write(tmp_path, text), "--format", "csv", "-o", str(dest))
    assert ran.status == 0, ran.stderr
    (row,) = excel_rows(dest)
    # Headings and values as a mail merge in Word shows them (--lang ja, the default here).
    assert row["退職日"] == "2026-12-15" and row["資格喪失日"] == "2026-12-16"
    assert row["マイナ保険証"] == "あり" and row["元の行"] == "2"
    assert row["在籍状況"] == "退職予定"  # the leaving day is still ahead: still a member
    titles = [row[f"手順{n}"] for n in range(1, int(row["手順の数"]) + 1)]
    assert "マイナンバーカードの電子証明書を更新する" in titles
    renew = titles.index("マイナンバーカードの電子証明書を更新する") + 1
    assert row[f"手順{renew}の期限"] == "2026-12-20" and row[f"手順{renew}の理由"]
    assert any(row[f"手順{n}の開始日"] == "2026-12-16" for n in range(1, 13))
    assert "資格確認書" in row["返却するもの"]
    assert row["注意"] and row["エラー"] == ""
    # The same file for a script: codes (as with --lang en)
    batch(monkeypatch, write(tmp_path, text), "--format", "csv", "-o", str(dest), "--codes")
    (row,) = excel_rows(dest)
    assert row["retired_on"] == "2026-12-15" and row["left_on"] == "2026-12-16"
    assert row["myna"] == "yes" and row["line"] == "2" and row["status"] == "leaving"
    assert row["step1"] and row["error"] == ""


def test_csv_cells_that_would_be_formulas_are_defused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,=氏名,マイナ保険証,備考\n"
        '=1+1,@SUM(A1),はい,"-2"\n'
        '+81,\tx,たぶん,=HYPERLINK("x")\n'
    )
    dest = tmp_path / "out.csv"
    batch(monkeypatch, write(tmp_path, text), "--format", "csv", "-o", str(dest), "--codes")
    got = excel_rows(dest)
    assert "'=氏名" in got[0]
    assert (got[0]["社員番号"], got[0]["'=氏名"], got[0]["備考"]) == ("'=1+1", "'@SUM(A1)", "'-2")
    assert got[1]["社員番号"] == "'+81" and got[1]["備考"] == '\'=HYPERLINK("x")'
    assert got[1]["error"] and not got[1]["error"].startswith(("=", "+", "-", "@"))
    # JSON keeps cells as they are
    json_out = rows(batch(monkeypatch, write(tmp_path, text)))
    assert json_out[0]["社員番号"] == "=1+1"


def test_csv_step_titles_follow_the_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dest = tmp_path / "en.csv"
    text = "社員番号,マイナ保険証,資格確認書,資格喪失日\n2,いいえ,有,2026-10-16\n"
    batch(monkeypatch, write(tmp_path, text), "--format", "csv", "-o", str(dest), "--lang", "en")
    (row,) = excel_rows(dest)
    assert row["step1"].isascii() or "資格確認書" in row["step1"]
    assert row["can_see_doctor"] == "no"


def test_the_readme_example_export(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).parents[2] / "examples" / "hr" / "hr-export.csv"
    ran = batch(monkeypatch, example, "--only", "return")
    assert [(r["社員番号"], r["line"]) for r in rows(ran)] == [("E0002", 4), ("E0004", 7)]
    assert "空の行 1行" in ran.stderr and "見出しは2行目" in ran.stderr


def test_a_column_named_like_its_fact_is_not_glossed_with_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(
        monkeypatch, write(tmp_path, "社員番号,退職日,資格喪失日\n1,2026/10/31,2026/11/5\n")
    )
    error = rows(ran)[0]["error"]
    assert "退職日" in error and "退職日（退職日）" not in error and "資格喪失日（" not in error


def test_english_counts_say_one_row_and_one_person_in_the_singular(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """ "1 people are marked as left", "Skipped 1 empty rows": a clerk reads the count, and
    the sentence around it must agree with it, one or many."""
    person = ["{n}1,退職,,1980/1/1,はい", "{n}2,在籍,,1951/12/20,はい", "", "{n}3,,,,", "合計,,,,"]
    for times, said in ((1, "singular"), (2, "plural")):
        body = [row.format(n=n) for n in range(times) for row in person]
        text = "\n".join(["社員番号,在籍区分,退職日,生年月日,マイナ保険証", *body]) + "\n"
        ran = batch(monkeypatch, write(tmp_path, text), "--lang", "en")
        assert ran.status == 0, ran
        expected = (
            ["1 person is marked as left", "1 person turns 75", "Skipped 1 empty row ",
             "1 row has no value", "Skipped 1 total row "]
            if said == "singular"
            else ["2 people are marked as left", "2 people turn 75", "Skipped 2 empty rows",
                  "2 rows have no value", "Skipped 2 total rows"]
        )  # fmt: skip
        for words in expected:
            assert words in ran.stderr, (words, ran.stderr)
        ja = batch(monkeypatch, write(tmp_path, text))  # Japanese has no plural: as before
        assert f"{times}人" in ja.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_second_table_with_its_columns_in_another_order_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: str
) -> None:
    """在籍者 then 退職者 on one sheet, the second table's 資格確認書 and マイナ保険証 swapped:
    read by the first header, B01's card (○) was read as its マイナ保険証 and never
    collected. Refused, naming both header lines, and nothing is written."""
    from kenpo_cli.batch import command

    monkeypatch.setattr(command, "PARALLEL_FROM", 2)  # (in the processes sharing the rows too)
    members = [f"{n},a,,はい," for n in range(1, 40)]
    text = "\n".join([
        "社員番号,氏名,退職日,マイナ保険証,資格確認書", *members, "", "【退職者】,,,,",
        "社員番号,氏名,退職日,資格確認書,マイナ保険証", "B01,c,2026/11/30,○,×",
    ]) + "\n"  # fmt: skip
    out = tmp_path / "out.jsonl"
    ran = run_main(
        monkeypatch, ["batch", str(write(tmp_path, text)), "--as-of", AS_OF, "-o", str(out)],
        KENPO_JOBS=jobs,
    )  # fmt: skip
    assert ran.status == 2 and "43 行目" in ran.stderr and "1 行目" in ran.stderr, ran
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv"]
    # The same header again, in the same order (a page's), is passed over as before.
    again = text.replace("退職日,資格確認書,マイナ保険証", "退職日,マイナ保険証,資格確認書")
    ran = batch(monkeypatch, write(tmp_path, again))
    assert ran.status == 0 and rows(ran)[-1]["facts"]["kakuninsho"] == "none", ran.stderr


@pytest.mark.parametrize("lang", ["ja", "easy", "en"])
def test_a_status_at_odds_with_a_past_leaving_day_is_said_in_words_not_codes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    text = "社員番号,在籍区分,退職日,マイナ保険証\n1,退職予定,2026/10/31,はい\n"
    ran = batch(monkeypatch, write(tmp_path, text), "--lang", lang)
    (row,) = rows(ran)
    assert "在籍区分" in row["error"] and "2026-10-31" in row["error"], row
    assert "leaving" not in row["error"] and "enrolled" not in row["error"], row["error"]
