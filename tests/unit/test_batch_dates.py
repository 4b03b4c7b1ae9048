"""One date reader, two branches: the fast one (the shapes most HR cells have) must read
every form as the general one does (kenpo_cli/core/dates.py, parse_date)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_cli.core.dates import parse_date, quick_date
from kenpo_cli.errors import InvalidDate

ERA_NAMES = ["令和", "平成", "昭和", "大正", "明治", "令", "平", "昭", "R", "H", "S", "r", "h", "T"]
WIDE = str.maketrans("0123456789/.-", "０１２３４５６７８９／．－")


def general(text: str) -> date | None:
    """The general branch alone."""
    try:
        return parse_date(text, "x", fast=False)
    except InvalidDate:
        return None


@st.composite
def cells(draw: st.DrawFn) -> str:
    """Date cells in the shapes people type, good and bad (a 31 June, 平成32年, year 0…)."""
    year = draw(st.integers(1800, 2250))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    era_year = draw(st.sampled_from(["元", "0", "1", "01", "30", "31", "64", "8", "99"]))
    sep = draw(st.sampled_from("-/."))
    era = draw(st.sampled_from(ERA_NAMES))
    weekday = draw(st.sampled_from(["", "(水)", "（月）", "(火曜)", "(Wed)", " (水)"]))
    time = draw(st.sampled_from(["", " 0:00", "T00:00:00", " 12:30:15", "T1:2"]))
    shape = draw(st.integers(0, 10))
    clock = draw(
        st.sampled_from(["", " 午前0:00:00", " 午後12:59", " 午後13:00", "T午前1:00", " 9:00"])
    )
    pad = draw(st.sampled_from(["", " ", "'", "　", "' ", "''"]))
    text = [
        f"{year}{sep}{month}{sep}{day}{time}",
        f"{year}{sep}{month:02d}{sep}{day:02d}",
        f"{year}年{month}月{day}日{weekday}",
        f"{year:04d}{month:02d}{day:02d}",
        f"{era}{era_year}{sep}{month}{sep}{day}{weekday}",
        f"{era}{era_year}年{month}月{day}日{weekday}",
        str(draw(st.sampled_from([20089, 20090, 73050, 73051]) | st.integers(10000, 99999))),
        f"{year}/{month}-{day}",
        f"{year}{sep}{month}{sep}{day}{weekday}{clock}",  # issue 22's shapes
        f"{pad}{year}{sep}{month}{sep}{day}{pad}",
        f"{pad}{year}年{month}月{day}日{weekday}{clock}",
    ][shape]
    return text.translate(WIDE) if draw(st.booleans()) else text


@settings(max_examples=3000, deadline=None)
@given(cells())
def test_a_cell_read_quickly_is_read_alike_by_the_general_parser(text: str) -> None:
    quick = quick_date(text)
    assert quick is None or quick == general(text), text


def outcome(text: str, *, fast: bool) -> object:
    """The date, or the refusal's reason and what it says."""
    try:
        return parse_date(text, "x", date(2026, 11, 26), fast=fast)
    except InvalidDate as err:
        return (err.code, sorted(err.params.items()))


@settings(max_examples=2000, deadline=None)
@given(
    cells() | st.text(max_size=14) | st.sampled_from(["today", "今日", " 2026-04-01 ", "'R8.4.1"])
)
def test_the_reader_with_its_fast_branch_reads_and_refuses_every_form_as_without(text: str) -> None:
    assert outcome(text, fast=True) == outcome(text, fast=False), text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-26", date(2026, 11, 26)),
        ("2026/4/1", date(2026, 4, 1)),
        ("2026/4/1 0:00", date(2026, 4, 1)),
        ("2026-04-01T00:00:00", date(2026, 4, 1)),
        ("20260401", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("令和8年4月1日(水)", date(2026, 4, 1)),
        ("令和8年4月1日（水）", date(2026, 4, 1)),
        ("令8.4.1", date(2026, 4, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("R08/11/26", date(2026, 11, 26)),
        ("H30.4.1", date(2018, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("昭和63年4月1日", date(1988, 4, 1)),
        ("46113", date(2026, 4, 1)),
        ("20090", date(1955, 1, 1)),  # the first serial number read as one
        ("73050", date(2099, 12, 31)),  # the last
        ("２０２６／０４／０１", date(2026, 4, 1)),
        ("２０２６０４０１", date(2026, 4, 1)),
        ("４６１１３", date(2026, 4, 1)),
        ("2026-04-01 12:30:15", date(2026, 4, 1)),
    ],
)
def test_the_shapes_of_hr_sheets_are_read_quickly(text: str, day: date) -> None:
    assert quick_date(text) == day == parse_date(text, "x") == general(text)


@pytest.mark.parametrize(
    "text",
    [
        *("2026-02-30", "20260230", "2026-13-01", "H31.5.1", "S64.1.8", "1700/1/1", "12345"),
        *("20089", "73051", "1700-01-01", "17000101", "2026-W01-1", "2026-04-01T24:00", "-"),
    ],
)
def test_what_is_not_a_plain_date_is_left_to_the_general_parser(text: str) -> None:
    assert quick_date(text) is None


@pytest.mark.parametrize("text", ["令和8年4月1日(木)", "令和8年4月1日（火曜日）"])
def test_a_wrong_weekday_is_left_to_the_parser_that_refuses_it(text: str) -> None:
    assert quick_date(text) is None  # 2026-04-01 is a Wednesday
    with pytest.raises(InvalidDate):
        parse_date(text, "資格喪失日")
