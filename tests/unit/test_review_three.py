"""What the third round of independent review found in `kenpo batch` (an HR clerk with
27 exports of their own, 2026-12-07): each test is built from a sheet written the way
that clerk's systems wrote it, and fails if the finding comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inprocess import Ran, run_main
from tests.unit.test_batch_sheets import rows, write

AS_OF = "2026-12-07"


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def test_rows_numbered_ahead_of_the_data_are_no_people(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A template numbered down column A before anyone was typed in: rows 2 and 3 were
    # judged as two people ("check that the 資格確認書 has come") and counted.
    text = (
        "No.,社員番号,氏名,退職日,マイナ保険証,資格確認書\n"
        "1,E101,山田,2026/11/30,無,有\n"
        "2,,,,,\n"
        "３,,,, ,\n"
        "4,E104,,,,\n"  # an employee number: a person, judged on defaults and said
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["E101", "E104"]
    assert "空の行 2行" in ran.stderr, ran.stderr
    assert "受診できるか分からない人 1人" in ran.stderr, ran.stderr  # E104 only


TWO_ROWS = [
    ["基本情報", "", "", "退職日", "マイナ保険証", "資格確認書", "扶養人数"],
    ["社員番号", "氏名", "所属", "", "", "", ""],
]
PEOPLE = [
    ["W1", "甲", "営業", "2026/11/30", "無", "有", "2"],
    ["W2", "乙", "営業", "", "有", "無", "0"],
]


def _xlsx(path: Path, header: list[list[str]], merges: list[str]) -> Path:
    """The sheet as Excel writes it: a merged range's value in its first cell only."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("社員一覧")
    for r, row in enumerate([*header, *PEOPLE]):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    for place in merges:
        first = place.split(":")[0]
        at_col, at_row = ord(first[0]) - 65, int(first[1:]) - 1
        sheet.merge_range(place, header[at_row][at_col])
    book.close()
    return path


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_group_heading_over_the_id_columns_is_a_header_row_not_a_person(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, form: str
) -> None:
    # 基本情報 over 社員番号/氏名/所属, the facts named in the top row (merged down in
    # Excel): the second row was judged as an enrolled person "社員番号 氏名", and the
    # output's columns were named 基本情報, #2, #3 (mail merges lost 社員番号).
    if form == "csv":
        text = "\n".join(",".join(r) for r in [*TWO_ROWS, *PEOPLE]) + "\n"
        src = write(tmp_path, text)
    else:
        merges = ["A1:C1", "D1:D2", "E1:E2", "F1:F2", "G1:G2"]
        src = _xlsx(tmp_path / "社員一覧.xlsx", TWO_ROWS, merges)
    ran = batch(monkeypatch, src)
    assert ran.status == 0, ran.stderr
    got = rows(ran)
    assert [(r["社員番号"], r["氏名"], r["所属"]) for r in got] == [
        ("W1", "甲", "営業"),
        ("W2", "乙", "営業"),
    ]
    assert got[0]["facts"]["dependants"] == 2 and got[0]["facts"]["status"] == "left"
    assert "受診できるか分からない人 0人" in ran.stderr, ran.stderr


def test_a_group_heading_of_another_insurance_keeps_its_dates_apart(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 雇用保険 over 取得日/喪失日 beside 健保喪失日 named in the top row: the pension's and
    # employment insurance's dates are not the 健保's (an error, or a wrong 資格喪失日).
    header = [
        ["基本情報", "", "雇用保険", "", "健保喪失日", "マイナ保険証", "資格確認書"],
        ["社員番号", "氏名", "取得日", "喪失日", "", "", ""],
    ]
    text = "\n".join(
        ",".join(r)
        for r in [*header, ["V1", "甲", "2010/4/1", "2026/11/1", "2026/12/1", "無", "有"]]
    )
    ran = batch(monkeypatch, write(tmp_path, text + "\n"))
    assert ran.status == 0, ran.stderr
    (row,) = rows(ran)
    assert row["社員番号"] == "V1" and row["雇用保険 喪失日"] == "2026/11/1"
    assert row["facts"]["left_on"] == "2026-12-01"


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_count_under_the_ids_is_a_total_not_a_person(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, form: str
) -> None:
    # =SUBTOTAL(3,A2:A4) under ids 00101… (a number format) became employee "3", on the
    # sheet of those who cannot see a doctor; a bare 2 under 1001 and 1002 the same.
    if form == "csv":
        text = (
            "社員番号,氏名,退職日,マイナ保険証,資格確認書\n"
            "1001,阿部,,有,無\n1002,伊東,2026/11/30,無,有\n1003,,,,\n2,,,,\n"
        )
        src = write(tmp_path, text)
        want = ["1001", "1002", "1003"]  # (1003: an id of the sheet's form, so a person)
    else:
        import xlsxwriter

        src = tmp_path / "従業員.xlsx"
        book = xlsxwriter.Workbook(str(src))
        sheet, ids = book.add_worksheet("従業員"), book.add_format({"num_format": "00000"})
        sheet.write_row(0, 0, ["従業員番号", "氏名", "マイナ保険証", "資格確認書"])
        for r, (number, name) in enumerate([(101, "青山"), (102, "石田"), (103, "上野")], 1):
            sheet.write_number(r, 0, number, ids)
            sheet.write_row(r, 1, [name, "有", "無"])
        sheet.write_formula(4, 0, "=SUBTOTAL(3,A2:A4)", ids, 3)
        book.close()
        want = ["00101", "00102", "00103"]
    ran = batch(monkeypatch, src)
    assert ran.status == 0, ran.stderr
    column = "社員番号" if form == "csv" else "従業員番号"
    assert [r[column] for r in rows(ran)] == want
    assert "合計・小計の行 1行" in ran.stderr, ran.stderr


def test_a_leaver_who_turns_75_is_told_the_koki_koreisha_scheme_takes_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 75 on 12-01, a 退職日 of 11-20: told only "apply for 任意継続 by 12-10" and 国保, as if
    # either could last; from the birthday 後期高齢者医療 insures him (高確法第50条).
    text = (
        "社員番号,生年月日,在籍区分,退職日,マイナ保険証,資格確認書\n"
        "O1,1951/10/01,退職,2026/08/31,無,有\n"  # 75 after leaving, already
        "O2,1951/12/01,退職,2026/11/20,無,有\n"  # the same, this month
        "O5,1952/01/20,退職予定,2026/12/31,無,有\n"  # leaves first, 75 in January
        "O6,1952/03/10,退職予定,2026/12/31,無,有\n"  # 75 more than three months ahead
        "O7,1951/12/02,退職,2026/11/30,無,有\n"  # 75 the day after the 資格喪失日
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    codes = {r["社員番号"]: {w["code"] for w in r["warnings"]} for r in rows(ran)}
    assert "turned_75_after_leaving" in codes["O1"] & codes["O2"]
    assert "turns_75_after_leaving" in codes["O5"]
    assert not {"turns_75_after_leaving", "turned_75_after_leaving"} & codes["O6"]
    assert "turned_75_after_leaving" in codes["O7"]
    assert "4人" in ran.stderr and "後期高齢者医療" in ran.stderr, ran.stderr


# ---- the attacker's round three: cells no reader expects ----------------------------


@pytest.mark.parametrize(
    ("value", "form", "at"),
    [
        (123456789018, "[h]:mm", 2),  # a duration of 1e11 days: Python's timedelta overflows
        (-1e12, "yyyy/mm/dd", 300),  # far before any date: calamine's Rust panics
    ],
)
def test_a_date_cell_holding_no_date_costs_no_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: float, form: str, at: int
) -> None:
    # Exit 70 ("internal error") and no row at all; or a Rust panic and a traceback,
    # exit 1, after 256 rows had gone out. The rows before and after it are all kept.
    import xlsxwriter

    src = tmp_path / "勤怠.xlsx"
    book = xlsxwriter.Workbook(str(src))
    sheet, odd = book.add_worksheet("勤怠"), book.add_format({"num_format": form})
    sheet.write_row(0, 0, ["社員番号", "マイナ保険証", "残業時間"])
    for r in range(1, 401):
        sheet.write_row(r, 0, [f"E{r:03d}", "はい", 1.5])
    sheet.write_number(at - 1, 2, value, odd)
    book.close()
    ran = batch(monkeypatch, src)
    assert ran.status == 0, ran.stderr
    got = rows(ran)
    assert [r["社員番号"] for r in got] == [f"E{r:03d}" for r in range(1, 401)]
    assert "日付・時刻にならない数" in ran.stderr, ran.stderr
    assert "Traceback" not in ran.stderr
    shown = got[at - 2]["残業時間"]
    assert shown in ("************", "-1000000000000"), shown  # (the first: a マイナンバー)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400"])
def test_an_ods_number_that_is_no_number_costs_no_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    # office:value="inf" in an .ods: exit 70 from int(inf) as its column was looked at.
    import zipfile

    from tests.unit.test_batch_xlsx_cells import ods

    made = ods(tmp_path, [["社員番号", "マイナ保険証", "備考"], ["E1", "はい", 99999]])
    parts = {}
    with zipfile.ZipFile(made) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(
        b'office:value="99999"', f'office:value="{value}"'.encode()
    )
    with zipfile.ZipFile(made, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    ran = batch(monkeypatch, made)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["E1"]


def test_a_merge_past_the_last_heading_is_read_within_the_table(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 備考 merged D2:E3, one column past the header: both rows were errors ("5 cells, the
    # header has 4: quote a value with a comma", a CSV's advice for a workbook).
    import xlsxwriter

    src = tmp_path / "名簿.xlsx"
    book = xlsxwriter.Workbook(str(src))
    sheet = book.add_worksheet("名簿")
    sheet.write_row(0, 0, ["社員番号", "氏名", "マイナ保険証", "備考"])
    for r in range(1, 4):
        sheet.write_row(r, 0, [f"E{r}", "x", "はい"])
    sheet.merge_range("D2:E3", "同上")
    sheet.write(3, 3, "別")
    book.close()
    ran = batch(monkeypatch, src)
    assert ran.status == 0, ran.stderr
    assert [(r["社員番号"], r["備考"]) for r in rows(ran)] == [
        ("E1", "同上"),
        ("E2", "同上"),
        ("E3", "別"),
    ]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("R.8.11.30", "2026-11-30"),
        ("H.22.4.1", "2010-04-01"),
        ("S.60.4.1", "1985-04-01"),
        ("Ｈ．２２．４．１", "2010-04-01"),
        ("令和.8.1.1", "2026-01-01"),
    ],
)
def test_an_era_with_a_dot_after_it_is_read(typed: str, read: str) -> None:
    # 奉行's and many clerks' H.22.4.1: each was an error row naming the date.
    from kenpo_cli.core.dates import parse_date

    assert parse_date(typed, "joined_on").isoformat() == read
    assert parse_date(typed, "joined_on", fast=False).isoformat() == read


def test_status_words_with_a_note_in_brackets_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,在籍区分,退職日,マイナ保険証\n"
        "A2,退職(予定),2026/12/31,無\n"
        "A3,介護休職,,有\n"
        "A4,休職（産前産後）,,有\n"
        "A5,退職（予定）,2026/12/31,有\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    got = {r["社員番号"]: r["facts"] for r in rows(ran)}
    assert got["A3"]["status"] == got["A4"]["status"] == "enrolled"
    assert got["A2"]["left_on"] == got["A5"]["left_on"] == "2027-01-01"


@pytest.mark.parametrize(
    ("retired", "told"),
    [
        ("2026/12/13", "2026年12月11日(金)"),  # a Sunday: the Friday before
        ("2026/12/11", None),  # a Friday: the day itself
        ("2026/12/31", "2026年12月28日(月)"),  # the New Year closure
    ],
)
def test_a_sheets_reason_names_the_working_day_before_a_closed_leaving_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, retired: str, told: str | None
) -> None:
    # kenpo check's screen said it; the batch's reason (a mail merge's text) said only
    # "by your 退職日 (a Sunday)" beside the employer's later 期限 (HR review).
    text = f"社員番号,退職日,マイナ保険証,資格確認書\nY1,{retired},無,有\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    (row,) = rows(ran)
    (back,) = [a for a in row["actions"] if a["action"] == "return"]
    assert ("前の勤務日" in back["reason"]) is (told is not None), back["reason"]
    if told is not None:
        assert told in back["reason"]
    late = run_main(monkeypatch, ["batch", str(write(tmp_path, text)), "--as-of", "2026-12-12"])
    (row,) = rows(late)
    (back,) = [a for a in row["actions"] if a["action"] == "return"]
    assert "前の勤務日" not in back["reason"] or retired == "2026/12/31"  # (past the Friday)


def test_the_summarys_total_of_cards_agrees_with_its_breakdown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A registered leaver, the 資格確認書 blank, one dependant: "1件 = 0・0・0" (the
    # dependant's card, under an "if you have one" step, was in the total only).
    text = (
        "社員番号,退職日,マイナ保険証,資格確認書,扶養人数\n"
        "1,2026/12/20,有,,1\n"  # maybe none: listed, not counted
        "2,2026/12/20,無,有,2\n"  # three cards, surely
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-08")
    assert "資格確認書の回収 3件 = 期限切れ 0・今すぐ 0・今後 3" in ran.stderr, ran.stderr


def test_a_blank_shikaku_shutokubi_is_read_from_the_hire_day_beside_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # SmartHR fills 資格取得年月日 once the 取得届 is processed: a joiner of 13 days and one
    # joining in January, both blank there, were told "carry the 資格確認書: it works" (a
    # card most likely the previous insurer's). HR review, round four.
    text = (
        "社員番号,入社年月日,健康保険 資格取得年月日,マイナ保険証,資格確認書\n"
        "S1,2026/11/25,,無,有\n"
        "S3,2027/01/04,,無,有\n"
        "S4,2010/04/01,2010/04/02,無,有\n"  # both given: the 資格取得日
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-08")
    assert ran.status == 0, ran.stderr
    got = {r["社員番号"]: r for r in rows(ran)}
    assert got["S1"]["facts"]["joined_on"] == "2026-11-25"
    assert got["S3"]["facts"]["joined_on"] == "2027-01-04" and got["S3"]["can_see_doctor"] is False
    assert got["S4"]["facts"]["joined_on"] == "2010-04-02"
    assert "'入社年月日' の日付を読みます" in ran.stderr, ran.stderr
    unread = batch(monkeypatch, write(tmp_path, text), "--map", "入社年月日=-")
    assert rows(unread)[0]["facts"]["joined_on"] is None  # (said how to leave it unread)


def test_a_card_promised_back_by_post_is_still_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 郵送にて返却予定 in 回収状況 was an error row blamed on the 資格確認書 column.
    text = (
        "社員番号,退職日,マイナ保険証,資格確認書,資格確認書回収状況\n"
        "9,2026/11/20,無,有,郵送にて返却予定\n"
        "10,2026/11/20,無,有,返却予定\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-08")
    assert ran.status == 0, ran.stderr
    assert all(("return", "kakuninsho") in {(a["action"], a["item"]) for a in r["actions"]}
               for r in rows(ran))  # fmt: skip


def test_a_renewal_due_on_a_closed_day_names_the_offices_last_open_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A certificate of 9/30: the grace ends 12/31, in the New Year closure. The batch's
    # reason said only "by 12/31", and the calendar's last alarm rang on 12/29, when the
    # municipal offices are closed until 1/3 (HR review, round four).
    from tests.ics_reader import parse

    text = "社員番号,マイナ保険証,電子証明書有効期限\nE1,有,2026/09/30\nE2,有,2027/01/29\n"
    ics = tmp_path / "更新.ics"
    ran = batch(monkeypatch, write(tmp_path, text), "--as-of", "2026-12-08", "--ics", str(ics))
    assert ran.status == 0, ran.stderr
    renew = {
        r["社員番号"]: next(a["reason"] for a in r["actions"] if a["action"] == "renew")
        for r in rows(ran)
    }
    assert "2026年12月28日(月)" in renew["E1"]
    assert "前の開いている日" not in renew["E2"]  # (a Friday: open)
    import re
    from datetime import date, datetime, time, timedelta

    from kenpo_cli.core.open_days import closed

    rings = []
    for event in parse(ics.read_bytes()).all("VEVENT"):
        start = date.fromisoformat(event.get("DTSTART").raw)
        for alarm in event.all("VALARM"):
            m = re.fullmatch(r"-P(?:(\d+)D)?T(\d+)H", alarm.get("TRIGGER").raw)
            assert m, alarm.get("TRIGGER").raw
            back = timedelta(days=int(m[1] or 0), hours=int(m[2]))
            rings.append((datetime.combine(start, time()) - back).date())
    assert len(rings) == 4 and not any(closed(r) for r in rings), rings


def test_a_header_under_a_block_of_notes_is_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Excel's "Unicode text" with a legend and 注意事項 over a header on row 12: the legend
    # rows became people, each "9 cells, the header has 2" (exit 3), with no hint.
    notes = [
        "社員名簿（健康保険）",
        "作成日,2026/12/01",
        "凡例",
        "マイナ保険証,○=登録済 ×=未登録",
        "資格確認書,有=交付済 無=未交付",
        "注意事項",
        "1. 退職者は退職日を記入",
        "2. 扶養人数は健保の被扶養者の数",
        "3. 不明な欄は空欄",
        "4. 個人番号は記入しない",
        "",
    ]
    header = "社員番号\t氏名\t在籍区分\t退職日\tマイナ保険証\t資格確認書\t扶養人数\t備考\t所属"
    people = "E1\t甲\t在籍\t\t○\t無\t0\t\t営業\nE2\t乙\t退職\t2026/11/30\t×\t有\t1\t\t総務"
    text = "\n".join([*(n.replace(",", "\t") for n in notes), header, people]) + "\n"
    src = tmp_path / "名簿.txt"
    src.write_bytes(("\ufeff" + text).encode("utf-16-le"))
    ran = batch(monkeypatch, src)
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["E1", "E2"]
