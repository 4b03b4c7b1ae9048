"""Reading CSV records: a broken record costs only itself, and every later one comes back."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_cli.batch.csvrows import (
    FIELD_LIMIT,
    LINE_LIMIT,
    Malformed,
    Records,
    line_ending,
    open_text,
)


def read(text: str, width: int | None = 3) -> list[list[str] | Malformed]:
    records = Records(io.StringIO(text, newline=""))
    records.width = width
    return list(records)


def kinds(rows: list[list[str] | Malformed]) -> list[str]:
    return [r.problem if isinstance(r, Malformed) else r[0] for r in rows]


def test_a_stray_quote_costs_its_own_row_only() -> None:
    rows = read('1,a,b\n2,"stray,c\n3,d,e\n4,"quoted, fine",f\n5,g,h\n')
    assert kinds(rows) == ["1", "unclosed_quote", "3", "4", "5"]
    assert rows[3] == ["4", "quoted, fine", "f"]
    bad = rows[1]
    assert isinstance(bad, Malformed) and bad.cells[0] == "2" and bad.line == 2


def test_a_quote_that_runs_to_the_end_of_the_file() -> None:
    rows = read('1,a,b\n2,"never closed,c\n3,d,e\n4,f,g')
    assert kinds(rows) == ["1", "unclosed_quote", "3", "4"]


def test_a_runaway_closed_by_a_later_quote_with_the_right_field_count() -> None:
    # csv alone reads lines 2-4 as one record of 3 fields: the counts agree, but
    # a record ending on a line with an even number of quotes never closed one.
    rows = read('1,a,b\n2,"x,y\n3,c,d\n4,"q",z\n5,e,f\n')
    assert kinds(rows) == ["1", "unclosed_quote", "3", "4", "5"]
    assert rows[3] == ["4", "q", "z"]


def test_stray_quotes_on_every_line_never_pair_up_into_records() -> None:
    # Leniently, each pair of lines reads as one record of the right width.
    rows = read('h,"a\n' * 6, width=2)
    assert kinds(rows) == ["unclosed_quote"] * 6


def test_real_line_breaks_in_quoted_cells_stay_one_record() -> None:
    text = '1,"東京都\r\n千代田区",b\r\n2,"say ""hi""\nbye","two\nlines"\n3,c,d\n'
    rows = read(text)
    assert rows == [
        ["1", "東京都\r\n千代田区", "b"],
        ["2", 'say "hi"\nbye', "two\nlines"],
        ["3", "c", "d"],
    ]


def test_line_numbers_count_physical_lines() -> None:
    records = Records(io.StringIO('h1,h2,h3\n1,"a\nb",c\n2,"stray,x\n3,y,z\n', newline=""))
    records.width = 3
    seen = [(records.line, r if isinstance(r, list) else r.problem) for r in records]
    assert [line for line, _ in seen] == [1, 2, 4, 5]


def test_a_cell_over_the_field_limit_spoils_its_row_only() -> None:
    lines = "x" * 1000 + "\n"
    rows = read(f'1,a,b\n2,"{lines * (FIELD_LIMIT // 1000 + 1)}",c\n3,d,e\n')
    assert kinds(rows)[:2] == ["1", "unclosed_quote"] and kinds(rows)[-1] == "3"
    bad = rows[1]
    assert isinstance(bad, Malformed) and bad.cells[0] == "2" and len(bad.cells[1]) <= 200


def test_a_quoted_cell_longer_than_csvs_own_limit_is_one_cell() -> None:
    # csv's default limit is 131,072 characters: over it, each later line of the cell
    # came back as a person of its own.
    long = "住所履歴\n" * 100_000
    rows = read(f'1,a,b\n2,"{long}",c\n3,d,e\n')
    assert kinds(rows) == ["1", "2", "3"] and rows[1] == ["2", long, "c"]


def test_a_lone_cr_inside_an_unquoted_cell_is_not_a_new_row() -> None:
    data = b"id,x,y\r\n1,a\rb,c\r\n2,d,e\r\n"
    records = Records(open_text(io.BytesIO(data), "utf-8", line_ending(data)))
    records.width = 3
    assert list(records) == [["id", "x", "y"], ["1", "a\rb", "c"], ["2", "d", "e"]]


def test_old_mac_files_end_their_lines_with_cr_alone() -> None:
    data = b"id,x,y\r1,a,b\r2,d,e\r"
    records = Records(open_text(io.BytesIO(data), "utf-8", line_ending(data)))
    assert list(records) == [["id", "x", "y"], ["1", "a", "b"], ["2", "d", "e"]]


def test_an_unclosed_quote_on_the_last_line_without_a_line_end_is_an_error() -> None:
    rows = read('1,a,b\n2,x,"有')
    assert kinds(rows) == ["1", "unclosed_quote"]


def test_one_empty_cell_too_many_is_a_trailing_comma_not_a_broken_record() -> None:
    rows = read('1,"a\nb",c,\n2,d,e\n')
    assert rows == [["1", "a\nb", "c", ""], ["2", "d", "e"]]


def test_a_line_over_the_line_limit_is_skipped_to_its_end() -> None:
    rows = read(f"1,a,b\n2,{'y,' * LINE_LIMIT}c\n3,d,e\n")
    assert kinds(rows) == ["1", "line_too_long", "3"]


def test_a_runaway_stopped_by_the_field_limit_gives_the_rest_back() -> None:
    filler = "\n".join(f"{n},{'z' * 1000},w" for n in range(3, 200))
    rows = read(f'1,a,b\n2,"open,c\n{filler}\n')
    assert kinds(rows) == ["1", "unclosed_quote", *[str(n) for n in range(3, 200)]]


clean_cell = st.text(st.characters(blacklist_characters='",\r\n', codec="utf-8"), max_size=6)
quoted_cell = clean_cell.map(lambda c: '"' + c + ', ""x"""')


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(clean_cell | quoted_cell, min_size=3, max_size=3), min_size=1, max_size=30),
    st.integers(min_value=0),
    st.sampled_from(["\n", "\r\n"]),
)
def test_one_stray_quote_anywhere_every_other_record_comes_back_once(
    cells: list[list[str]], where: int, newline: str
) -> None:
    lines = [f"{n}," + ",".join(row[1:]) for n, row in enumerate(cells)]
    at = where % len(lines)
    lines[at] = f'{at},"stray, the only quote on its line,x'
    rows = read(newline.join(lines) + newline)
    assert len(rows) == len(lines)
    assert isinstance(rows[at], Malformed)
    assert [r[0] for r in rows if isinstance(r, list)] == [
        str(n) for n in range(len(lines)) if n != at
    ]
