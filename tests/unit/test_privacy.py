"""A マイナンバー is masked wherever it stands; an employee number stays; controls are escaped."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_cli.batch import command as batch
from kenpo_cli.errors import KenpoError
from kenpo_cli.privacy import (
    DIGIT_LIKE,
    MASK,
    MY_NUMBER_SHAPE,
    check_digit,
    echoed,
    escaped,
    is_my_number,
    masked,
    my_number_spans,
    stream_safe,
    terminal_control,
)

VALID = "123456789018"  # check digit 8 by the official algorithm
INVALID = "123456789012"  # same shape, wrong check digit: an employee number, say


def test_the_official_check_digit() -> None:
    # P1..P11 from the right: 1,0,9,8,7,6,5,4,3,2,1; Q = 2..7, then 2..6.
    # Σ = 2+0+36+40+42+42+10+12+12+10+6 = 212; 212 mod 11 = 3; 11 - 3 = 8.
    assert check_digit("12345678901") == 8
    # Remainders 0 and 1 give the check digit 0.
    assert check_digit("00000000000") == 0
    assert all(
        is_my_number(f"{n:011d}{check_digit(f'{n:011d}')}") for n in range(0, 10**11, 7919**2)
    )
    assert not is_my_number(INVALID) and is_my_number(VALID)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (VALID, MASK),
        ("1234-5678-9018", MASK),
        ("1234 5678 9018", MASK),
        ("1234.5678.9018", MASK),
        ("1234/5678/9018", MASK),
        ("１２３４　５６７８　９０１８", MASK),  # full-width digits and space
        ("１２３４－５６７８－９０１８", MASK),
        ('="123456789018"', f'="{MASK}"'),  # Excel's way to keep a number as text
        ("個人番号1234-5678-9018を控え", f"個人番号{MASK}を控え"),
        ("ID:123456789018", f"ID:{MASK}"),
        ("\udc81123456789018", f"\udc81{MASK}"),  # after an undecodable byte
        ("9999-1234-5678-9018", f"9999-{MASK}"),  # the valid twelve overlap an invalid twelve
        ("a 123456789018 b 123456789018", f"a {MASK} b {MASK}"),
        # Other groupings people type: threes, pairs, six and six, wide gaps.
        ("123-456-789-018", MASK),
        ("123.456.789.018", MASK),
        ("12-34-56-78-90-18", MASK),
        ("123456 789018", MASK),
        ("1234    5678    9018", MASK),
        ("1234-5678-9018-9999", f"{MASK}-9999"),
        ("9999 123456789018", f"9999 {MASK}"),
        ("123456789018²", f"{MASK}²"),  # a footnote mark, not a thirteenth digit
        ("¹²³456789018", MASK),  # superscript digits, NFKC's 1, 2, 3
        # An enclosed number beside it (🄁 is "0,", ① is 1), with a footnote's ² too: each
        # was read as a thirteenth digit once another enclosed number was in the text.
        ("123456789018🄁", f"{MASK}🄁"),
        ("①123456789018", f"①{MASK}"),
        ("⑫ 123456789018²", f"⑫ {MASK}²"),
        # Padded with zeros (Excel's number format 0000000000000 on the number itself,
        # or a code padded in a CSV): the zeros hide nothing (attacker, round three).
        ("0123456789018", MASK),
        ("000123456789018", MASK),
        ("社員 0123456789018 様", f"社員 {MASK} 様"),
        ("０１２３４５６７８９０１８", MASK),
        # Kanji numerals as digits, alone or beside others (〇 for 0): every channel
        # echoed them (attacker, round four). A name's 一二三 is no number.
        ("一二三四五六七八九〇一八", MASK),
        ("123456789〇18", MASK),
        ("１２３４五六七八９０１８", MASK),
        ("番号: 一二三四-五六七八-九〇一八", f"番号: {MASK}"),
    ],
)
def test_a_my_number_is_masked_wherever_it_stands(text: str, shown: str) -> None:
    assert masked(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        INVALID,
        "1234-5678-9012",
        "E0000001",
        "2026-11-26",
        "1234567890185",
        "12345678901",
        "123-456-789-012",  # another grouping, but the check digit does not fit
        "9123456789018",  # thirteen digits in a row are an account number, not a マイナンバー
        "91234-56789018",  # thirteen digits: no twelve of them stand apart
        "0123456789017",  # zeros before twelve digits that are no マイナンバー
        "1012345678901",  # (a zero inside is a digit like any)
        "一二三四五六七八九〇一七",  # (the check digit does not fit)
        "山田一二三 様 二〇二六年一二月〇七日",
    ],
)
def test_numbers_that_are_not_a_my_number_stay(text: str) -> None:
    assert masked(text) == text


@pytest.mark.parametrize(
    "text",
    ["1973-01-01 00:00:00", "1973/01/03 00:00", "1973.01.23 00:00", "最終更新 1973-01-01 00:00:00"],
)
def test_a_date_and_time_of_day_is_never_masked(text: str) -> None:
    # Their twelve digits pass the check digit (one date-time in eleven does): a
    # pass-through column of time stamps was masked as マイナンバー, its data damaged.
    assert masked(text) == text and my_number_spans(text) == []
    number = "123456789018"  # beside a date-time, a マイナンバー is still masked
    assert masked(f"{number} {text}") == f"{MASK} {text}"
    assert masked(f"{text} {number}") == f"{text} {MASK}"


def test_error_messages_never_echo_a_my_number_nor_a_whole_file() -> None:
    err = KenpoError("invalid_value", field="--myna", value="x" * 10_000 + VALID, accepted="a, b")
    assert VALID not in err.params["value"] and len(err.params["value"]) <= 80
    assert err.params["value"].endswith("…")
    err = KenpoError("invalid_value", field="--myna", value="1234 5678 9018", accepted="a")
    assert err.params["value"] == MASK


def test_control_characters_are_shown_escaped() -> None:
    assert escaped("a\x1b[31mb\x07\r\u202e\x9b") == "a\\x1b[31mb\\x07\\x0d\\u202e\\x9b"
    assert escaped("\udcff") == "\\xff"  # an undecodable byte shows as itself
    assert echoed("日本語\tok") == "日本語\\x09ok"  # one line, whatever the value
    assert escaped("普通の文字　ＡＢＣ") == "普通の文字　ＡＢＣ"


def test_the_terminal_stream_keeps_colours_but_not_bidi_overrides() -> None:
    assert stream_safe("\x1b[1mbold\x1b[0m\n") == "\x1b[1mbold\x1b[0m\n"
    assert stream_safe("file\u202etxt.exe") == "file\\u202etxt.exe"
    assert stream_safe(f"note {VALID}") == f"note {MASK}"


def test_terminal_control_names_the_first_offender() -> None:
    assert terminal_control("plain\ttext\n") == ""
    assert terminal_control("a\x1b[2Jb") == "\\x1b"
    assert terminal_control("right\u202eleft") == "\\u202e"


@pytest.mark.parametrize("size", [10, 2047, 2048, 100_000])  # short and long texts
def test_json_safe_escapes_c1_and_bidi_in_texts_of_any_length(size: int) -> None:
    from kenpo_cli.privacy import json_safe, stream_safe

    plain = "あ" * size
    assert json_safe(plain) == plain
    for char in ("\u202e", "\x9b", "\u2066"):
        text = plain + char + "x"
        assert json_safe(text) == plain + f"\\u{ord(char):04x}" + "x"
        assert char not in stream_safe(text)


def test_no_c1_control_or_bidi_mark_counts_as_printable() -> None:
    # The fast paths skip any text Python calls printable: none of these may be.
    from kenpo_cli.privacy import _STREAM_CHARS

    assert _STREAM_CHARS and not any(char.isprintable() for char in _STREAM_CHARS)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["1", "2", "9", "０", "８", "²", "①", "-", " ", "\u3000", "ー", ".", "E", "山", "\x1f"]
        ),
        max_size=40,
    )
)
def test_the_batch_looks_closer_at_every_cell_shaped_like_a_my_number(chars: list[str]) -> None:
    """kenpo batch first asks whether a row has twelve digits at all (a cheap pass) and
    looks for the shape only then: that must never skip a row the shape search finds."""
    text = "".join(chars)
    if re.compile(MY_NUMBER_SHAPE).search(text):
        assert batch._TWELVE_DIGITS.match(text)
    digits = sum(c.isdecimal() or c in DIGIT_LIKE for c in text)
    assert bool(batch._TWELVE_DIGITS.match(text)) == (digits >= 12)


def test_every_message_that_names_a_file_escapes_it_with_one_function() -> None:
    """A file name (``{file}``, ``{files}``, ``{folder}``, ``{path}``) reaches a message
    either through a KenpoError, whose parameters are escaped, or through shown_file:
    a name holding ``\\x1b]0;…\\x07`` never retitles the terminal."""
    import ast
    from pathlib import Path

    import kenpo_cli

    named = {"file", "files", "folder", "path"}
    unescaped = []
    for source in Path(kenpo_cli.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = ast.unparse(node.func)
            if not func.endswith(("msgs", ".ui", ".q", "Messages(lang)")):
                continue  # not a message of the catalogues (KenpoError escapes its own)
            for kw in node.keywords:
                if kw.arg in named and "shown_file" not in ast.unparse(kw.value):
                    if kw.arg == "file" and func == "msgs" and ast.unparse(kw.value) == "file":
                        continue  # batch's reading line: shown_file just above
                    unescaped.append(f"{source.name}:{node.lineno}: {ast.unparse(node)}")
    assert unescaped == []


def test_shown_file_escapes_a_title_sequence() -> None:
    from kenpo_cli.errors import shown_file

    shown = shown_file("e\x1b]0;x\x07.toml")
    assert "\x1b" not in shown and "\x07" not in shown and "\\x1b" in shown


def test_the_enclosed_numbers_are_what_unicode_says_stand_for_a_whole_number() -> None:
    import unicodedata

    from kenpo_cli.privacy import DIGIT_LIKE, NUMBER_BLOCKS, NUMBER_LIKE

    found = set()
    for low, high in NUMBER_BLOCKS:
        for code in range(low, high + 1):
            c = chr(code)
            if unicodedata.category(c) != "No" or c in DIGIT_LIKE or c.isdecimal():
                continue
            if float(unicodedata.numeric(c, -1)).is_integer() and unicodedata.numeric(c) >= 0:
                found.add(c)
    assert found == set(NUMBER_LIKE)


@pytest.mark.parametrize(
    "written",
    [
        "⑫3456789018",  # circled twelve: two digits in one character
        "⓵⓶⓷⓸⓹⓺⓻⓼⓽⓿⓵⓼",  # double circled
        "➀➁➂➃➄➅➆➇➈🄋➀➇",  # dingbat circled
        "❶❷❸❹❺❻❼❽❾0❶❽",  # negative circled
        "⑴⑵⑶⑷⑸⑹⑺⑻⑼0⑴⑻",  # parenthesised
        "⒈⒉⒊⒋⒌⒍⒎⒏⒐🄀⒈⒏",  # with a full stop
        "①②③④⑤⑥⑦⑧⑨⓪①⑧",  # circled digits NFKC already reads
        "1234⑤⑥⑦⑧9018",  # forms mixed in one number
    ],
)
def test_a_my_number_written_in_enclosed_numbers_is_masked(written: str) -> None:
    assert masked(f"備考 {written} です") == f"備考 {MASK} です"


def test_enclosed_numbers_that_are_no_my_number_stay() -> None:
    for text in ["①の件", "山田 ⑫月", "⑫③④⑤⑥⑦⑧⑨⓪①⑱", "第⑳回"]:
        assert masked(text) == text


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["0", "1", "7", "9", "-", " ", ".", "/", ":", "--", "(", "E"]),
            st.lists(st.sampled_from("0123456789"), min_size=11, max_size=11).map(
                lambda d: "".join(d) + str(check_digit("".join(d)))  # a valid one, often split
            ),
        ),
        max_size=12,
    )
)
def test_the_ascii_fast_path_finds_what_the_digit_by_digit_search_finds(parts: list[str]) -> None:
    """ASCII text (every batch cell of an export) is searched a group of digits at a time,
    with the check digit worked over its bytes: it must agree with the general search,
    which takes each digit and the check digit as check_digit defines it."""
    from kenpo_cli.privacy import _ascii_spans, _spans_by_digit

    text = "".join(parts)
    assert _ascii_spans(text) == _spans_by_digit(text)


_STAMPS = st.builds(
    lambda y, m, d, h, mi, s, sep, between, pad: (
        f"{pad}{y}{sep}{m}{sep}{d}{between}{h}:{mi:02d}:{s:02d}{pad}"
    ),
    st.integers(1900, 2099),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from("-/."),
    st.sampled_from([" ", "  ", "T", "", "\u3000"]),
    st.sampled_from(["", " ", "\t"]),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            _STAMPS,
            _STAMPS.map(lambda t: f"{VALID} {t}"),
            _STAMPS.map(lambda t: f"{t}{VALID}"),
            st.sampled_from(["", "E0000001", "070-1234-5678", VALID, INVALID, "山田 ⑫", "①"]),
            st.sampled_from(["1973年1月1日 0時0分", "2026/4/1", "㈱出向", "1234 5678 9018"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_row_passed_over_by_the_screen_has_nothing_to_mask(cells: list[str]) -> None:
    """batch.process screens a row's pass-through cells only when the one search of them
    joined finds a cell that may hold a マイナンバー (a time stamp alone is passed over):
    whatever it passes over, masked() leaves alone, and what it screens comes out as
    masked() makes each cell."""
    columns = range(len(cells))
    header = batch.Header(names=[f"c{i}" for i in columns], facts={}, passthrough=[*columns])
    summary = batch.Summary()
    passed = batch._JOIN.join(cells)
    shown = list(cells)
    if batch._to_screen(passed, len(cells) - 1):
        batch._mask_passed(shown, passed, header, summary)
    assert shown == [masked(c) for c in cells]


def test_the_classes_written_as_ranges_hold_exactly_their_characters() -> None:
    """privacy.as_ranges writes NUMBER_LIKE and DIGIT_LIKE as runs (①-⑨), for speed: a
    run one too long or too short would mask a kanji, or let a ⑬ through."""
    from kenpo_cli.privacy import DIGIT_CLASS, DIGIT_LIKE, NUMBER_CLASS, NUMBER_LIKE, as_ranges

    for chars, shown in ((NUMBER_LIKE, NUMBER_CLASS), (DIGIT_LIKE, DIGIT_CLASS), ("-]^\\a", None)):
        within = re.compile(f"[{shown or as_ranges(chars)}]").fullmatch
        assert {c for c in map(chr, range(0x20000)) if within(c)} == set(chars)
