"""Dates as members type them: every contract form, 和暦 eras, and month-end arithmetic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kenpo_cli.core.dates import month_end_after, months_before, parse_date, to_wareki
from kenpo_cli.core.facts import parse_fact
from kenpo_cli.errors import InvalidDate

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-26",
        "2026/11/26",
        "20261126",
        "令和8年11月26日",
        "R8.11.26",
        "R08/11/26",
        "r8.11.26",
        "today",
        "TODAY",
        "２０２６／１１／２６",
        "２０２６－１１－２６",
        "令和８年１１月２６日",
        "Ｒ８．１１．２６",
        " 2026-11-26 ",
        "2026年11月26日",
        "令和 8年11月26日",
    ],
)
def test_every_contract_form_reads_as_the_same_day(text: str) -> None:
    assert parse_date(text, "as_of", TODAY) == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("T15.12.24", date(1926, 12, 24)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("M45.7.29", date(1912, 7, 29)),
        ("明治元年10月23日", date(1868, 10, 23)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        ("令和10年2月29日", date(2028, 2, 29)),
    ],
)
def test_wareki_dates_from_meiji_to_reiwa(text: str, expected: date) -> None:
    assert parse_date(text, "left_on") == expected


@pytest.mark.parametrize(
    "text",
    [
        "H31.5.1",  # Heisei ended on 2019-04-30
        "令和元年4月30日",  # Reiwa began on 2019-05-01
        "S64.1.8",
        "平成元年1月7日",
        "T15.12.26",  # (大正 ended on 1926-12-25, the day 昭和 began: both eras' day)
        "昭和元年12月24日",
        "M45.7.31",  # (明治 ended on 1912-07-30, the day 大正 began)
        "大正元年7月29日",
        "明治元年10月22日",
        "R0.1.1",
    ],
)
def test_wareki_date_outside_its_era_is_rejected(text: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(text, "left_on")
    assert caught.value.problem == "era"
    assert caught.value.field == "left_on"


@pytest.mark.parametrize("text", ["2026-02-30", "2027-02-29", "2026-04-31", "R8.2.30", "20261332"])
def test_impossible_days_are_rejected(text: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(text, "cert_expiry")
    assert caught.value.problem == "impossible"


@pytest.mark.parametrize(
    "text", ["", "next week", "26-11-26", "2026-11", "11/26/2026", "X8.11.26", "2026_11_26"]
)
def test_unreadable_dates_are_rejected_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(text, "kakuninsho_expiry")
    assert caught.value.field == "kakuninsho_expiry"
    assert caught.value.problem == "format"


def test_leap_day_exists_only_in_leap_years() -> None:
    assert parse_date("2028-02-29", "as_of") == date(2028, 2, 29)
    with pytest.raises(InvalidDate):
        parse_date("2026-02-29", "as_of")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 15), 3, date(2027, 2, 28)),  # the contract's example
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # into a leap February
        (date(2026, 1, 31), 3, date(2026, 4, 30)),  # 31st into a 30-day month
        (date(2026, 12, 1), 3, date(2027, 3, 31)),  # across the year end
        (date(2026, 2, 28), 0, date(2026, 2, 28)),
        (date(2028, 2, 1), 0, date(2028, 2, 29)),
    ],
)
def test_month_end_after(day: date, months: int, expected: date) -> None:
    assert month_end_after(day, months) == expected


def test_wareki_rendering_uses_gannen_for_the_first_year() -> None:
    assert to_wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert to_wareki(date(2026, 11, 26)) == "令和8年11月26日"
    assert to_wareki(date(2019, 4, 30)) == "平成31年4月30日"


# ---- the forms spreadsheets export (issue 11) ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("46113", date(2026, 4, 1)),  # Excel's serial day number
        ("46113.75", date(2026, 4, 1)),  # a serial date-time: the day counts
        ("20090", date(1955, 1, 1)),  # the first serial read as a date
        ("73050", date(2099, 12, 31)),  # the last
        ("2026/4/1 0:00", date(2026, 4, 1)),
        ("2026-04-01T00:00:00", date(2026, 4, 1)),
        ("2026-04-01 23:59:59+09:00", date(2026, 4, 1)),
        ("令和8年4月1日(水)", date(2026, 4, 1)),
        ("令和8年4月1日（水曜日）", date(2026, 4, 1)),
        ("2026/04/01 (Wed)", date(2026, 4, 1)),
        ("令8.4.1", date(2026, 4, 1)),
        ("平31.4.30", date(2019, 4, 30)),
        ("昭64.1.7", date(1989, 1, 7)),
        ("２０２６／４／１　９：３０", date(2026, 4, 1)),
        ("2026/4/1 午前0:00:00", date(2026, 4, 1)),  # Excel's Japanese date-time
        ("2026/4/1 午後11:59", date(2026, 4, 1)),
        ("2026-04-01 12:00 PM", date(2026, 4, 1)),
        ("'2026/4/1", date(2026, 4, 1)),  # Excel's text mark
    ],
)
def test_dates_as_spreadsheets_export_them(text: str, expected: date) -> None:
    assert parse_date(text, "資格取得日") == expected


@pytest.mark.parametrize(
    "text",
    [
        "令和8年4月1日(木)",
        "2026/4/1(金)",
        "2026-04-01 (Thu)",
        "R8.4.1（火曜日）",
        "2026/04/01 (tuesday)",
    ],
)
def test_a_weekday_that_is_not_the_dates_is_refused(text: str) -> None:
    # 2026-04-01 is a Wednesday: one of the two was mistyped, and which one is not known.
    with pytest.raises(InvalidDate) as caught:
        parse_date(text, "資格喪失日")
    assert caught.value.problem == "weekday" and caught.value.params["day"] == "2026-04-01(水)"


@pytest.mark.parametrize(
    "text",
    [
        "2026/1/1 1",  # not 2026-01-11
        "R8.12.1 5",  # not 2026-12-15
        "2026 12 01",
        "2026/4/1 25:00",  # no such time
        "2026/4/1 0:60",
        "2026/4/1 午前13:00",
        "2026-04-01T24:00:00",
    ],
)
def test_digits_apart_and_impossible_times_are_refused_not_joined(text: str) -> None:
    with pytest.raises(InvalidDate):
        parse_date(text, "資格喪失日")


def test_a_weekday_after_today_is_checked_too() -> None:
    today = date(2026, 11, 27)  # a Friday
    assert parse_date("today(金)", "x", today) == today
    with pytest.raises(InvalidDate):
        parse_date("今日(月)", "x", today)


def test_every_weekday_is_checked_on_both_sides_of_a_month_end() -> None:
    names = "月火水木金土日"
    for day in (date(2026, 1, 31), date(2026, 2, 1), date(2028, 2, 29), date(2028, 3, 1)):
        right = names[day.weekday()]
        assert parse_date(f"{day:%Y/%m/%d}({right})", "x") == day
        for wrong in set(names) - {right}:
            with pytest.raises(InvalidDate):
                parse_date(f"{day:%Y/%m/%d}({wrong})", "x")


@pytest.mark.parametrize("text", ["20089", "73051", "12345", "4611", "461130", "46113.x"])
def test_numbers_outside_excels_serial_range_are_not_dates(text: str) -> None:
    with pytest.raises(InvalidDate):
        parse_date(text, "資格取得日")


def test_an_era_letter_still_respects_its_era() -> None:
    with pytest.raises(InvalidDate):
        parse_date("平31.5.1", "資格取得日")  # 平成 ended on 31.4.30
    assert parse_date("令1.5.1", "x") == date(2019, 5, 1)


@pytest.mark.parametrize("text", ["-", "－", "ー", "—", "なし", "無し", "不明", "未定", "N/A"])
def test_a_dash_or_nashi_in_a_date_cell_means_no_date(text: str) -> None:
    assert parse_fact("left_on", text, date(2026, 11, 26)) is None


def test_the_day_asked_about_is_always_a_day() -> None:
    with pytest.raises(InvalidDate):
        parse_fact("as_of", "-", date(2026, 11, 26))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)), st.integers(0, 24))
def test_month_arithmetic_lands_on_the_right_month_and_day(day: date, months: int) -> None:
    import calendar

    end = month_end_after(day, months)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == months
    assert end.day == calendar.monthrange(end.year, end.month)[1]
    earlier = months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    last = calendar.monthrange(earlier.year, earlier.month)[1]
    assert earlier.day == min(day.day, last)


@pytest.mark.parametrize("text", ["３月３１日", "3月31日", "3/31", "12-1"])
def test_a_date_without_a_year_is_said_to_lack_its_year(text: str) -> None:
    from kenpo_cli.i18n import Messages

    with pytest.raises(InvalidDate) as caught:
        parse_date(text, "left_on")
    assert caught.value.problem == "no_year"
    said_so = {"ja": "年がありません", "en": "has no year", "easy": "年が ありません"}
    for lang, year in said_so.items():
        said = Messages(lang)("error", caught.value.code, **caught.value.params)
        assert year in said and "2027-03-31" in said, said


@pytest.mark.parametrize(
    ("utc", "japan"),
    [
        ((2026, 12, 6, 14, 59), "2026-12-06"),  # 23:59 in Japan
        ((2026, 12, 6, 15, 0), "2026-12-07"),  # midnight in Japan: a UTC machine says the 6th
        ((2026, 12, 6, 20, 30), "2026-12-07"),
    ],
)
def test_today_is_the_day_in_japan_whatever_the_machines_time_zone(
    monkeypatch: pytest.MonkeyPatch, utc: tuple[int, int, int, int, int], japan: str
) -> None:
    """An office server kept in UTC is a day behind Japan until 09:00: a deadline 今日まで
    would read as tomorrow's."""
    import json
    from datetime import UTC, datetime

    from kenpo_cli.cli import app
    from tests.inprocess import run_main

    instant = datetime(*utc, tzinfo=UTC)

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return instant.astimezone(tz) if tz is not None else instant.replace(tzinfo=None)

    monkeypatch.setattr(app, "datetime", Clock)
    ran = run_main(monkeypatch, ["check", "--no-input", "--json"])
    assert json.loads(ran.stdout)["as_of"] == japan


@pytest.mark.parametrize(
    "typed", ["don't know", "Don’t know", "I don't know", "not sure", "わからない"]
)
def test_i_dont_know_typed_in_english_or_japanese_is_no_date(typed: str) -> None:
    """The wizard says to leave a date empty if not known; people type it instead."""
    from kenpo_cli.core.dates import is_no_date

    assert is_no_date(typed)
