"""Keeping a マイナンバー, and the terminal, safe from what kenpo echoes.

kenpo never asks for a マイナンバー, but people paste whatever is at hand. A
マイナンバー is 12 digits whose last is a check digit over the first 11 (the
official algorithm, below); people write it in groups (of four, of three, or
none) with ``-``, ``.``, ``/`` or spaces between, full-width too, and text copied
from a web page or a PDF carries invisible characters between them. Any such
number is masked wherever kenpo would echo it: batch cells and headers, calendar
titles, error messages, usage messages. A 12-digit number whose check digit does
not fit is not a マイナンバー (an employee number, say): HR offices join on those,
so it stays.

What may stand between two digits is defined by Unicode properties, not by a list
(:func:`separator_kind`): any number of characters that show as nothing or as blank
(format characters, Cf: zero-width space, soft hyphen, word joiner, BOM, bidi marks;
combining marks, Mn and Me; controls, Cc: NUL, ESC, DEL, U+0085; spaces of every
kind, Zs, Zl, Zp; and the default-ignorable or blank-looking characters of other
categories: the Hangul fillers, the blank braille pattern); at most four dashes, dots
or slashes (Pd, or a character whose NFKC form or Unicode name is one: U+FE63, U+2024,
U+FF0F, ・, the long-vowel mark IMEs produce); and at most one other punctuation mark
or symbol (a thousands comma ``123,456,789,018``, ``、``, a bracket ``(1234)5678``, a
quote, a bullet, ``+``, ``*``). Two such marks part the digits (``"2026-12-06",
"2027-01-05"`` is two dates). A digit is a decimal digit of any script or a character
NFKC turns into one (superscripts, subscripts, circled digits: ¹²³, ①②③).

Values are also quoted in messages with their control characters escaped (an
escape sequence in a CSV cell must not reach the terminal) and cut to a length a
person can read.
"""

from __future__ import annotations

import operator
import re
from functools import cache

MASK = "************"

# The common written forms (ASCII and full-width separators, dashes, spaces), for
# tests that look for a leak in an output; the masking itself goes by Unicode
# properties (separator_kind), which take in far more.
_SEP = r"[\s\-./\uff0d\uff0e\uff0f\u2010-\u2015\u2212\u30fc]{0,4}"
MY_NUMBER_SHAPE = rf"\d(?:{_SEP}\d){{11}}"
# Digits joined by separators: a マイナンバー is twelve of them, from the run's start or
# a separator to the run's end or a separator (so 2026-1234-5678-9018 is looked at
# as its last twelve digits, and the first twelve, but not the middle ones).
# Q_n for P_1..P_11, P_1 being the 11th digit (the one before the check digit).
_WEIGHTS = (2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6)
# C0 and C1 controls, DEL, line and paragraph separators, the bidirectional
# overrides and marks (a U+202E can make a file name read backwards), and lone
# surrogates (bytes that could not be decoded).
_BIDI = "\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_CONTROLS = f"\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff"
# Acting on a terminal: the controls above except tab and newline, which are text.
_TERMINAL_CONTROLS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff"
# Never in a stream of kenpo's own text, whose newlines, tabs and escape sequences
# (colours, the wizard's screen) are kept.
_STREAM_CONTROLS = f"\x7f-\x9f{_BIDI}"
_STREAM_CHARS = frozenset(
    map(
        chr,
        [*range(0x7F, 0xA0), 0x61C, 0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A)],
    )
)
# Twelve digits anywhere, in one pass (the possessive runs never backtrack): quick to
# compile and to rule a text out, as most texts have fewer.
# Digits: decimal digits of any script, and the characters NFKC turns into one
# (superscripts, subscripts, circled digits: ¹²³, ①②③), each with its value.
DIGIT_LIKE = "\u00b2\u00b3\u00b9\u2070\u2074\u2075\u2076\u2077\u2078\u2079" + "".join(
    map(chr, [*range(0x2080, 0x208A), *range(0x2460, 0x2469), 0x24EA])
)
_DIGIT_VALUES = dict(zip(DIGIT_LIKE, "231045678901234567891234567890", strict=True))
# Kanji numerals written as digits, one for each (〇一二三四五六七八九: 一二三四五六七八九〇一八,
# or 〇 for a 0 among Arabic digits, as Japanese forms write it). Unlike a footnote's ²,
# they are a number's own digits: a change to or from them does not end the number.
KANJI_DIGITS = "〇一二三四五六七八九"
# ... and their other forms: ○ and 零 for 〇, and the 大字 of deeds (壱弐参肆伍陸漆捌玖).
KANJI_FORMS = "○◯零壱壹弐貳参參肆伍陸漆柒捌玖"
_FOOTNOTE_FORMS = frozenset(DIGIT_LIKE)
DIGIT_LIKE += KANJI_DIGITS + KANJI_FORMS
_DIGIT_VALUES.update(zip(KANJI_DIGITS, "0123456789", strict=True))
_DIGIT_VALUES.update(zip(KANJI_FORMS, "0001122334567789", strict=True))


def as_ranges(chars: str) -> str:
    """``chars`` for a pattern's character class, each run of consecutive characters as
    a range (①-⑨): a class of a few ranges is searched two or three times faster than
    one listing each character (a batch searches every row's cells)."""
    codes = sorted(set(map(ord, chars)))
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs
    )


DIGIT_CLASS = as_ranges(DIGIT_LIKE)  # inside [\d…]: what counts as a digit
_DIGIT = rf"[\d{DIGIT_CLASS}]"

# Characters that stand for a number of one or two digits in the blocks of enclosed
# numbers (⑫ ⓵ ➀ ❶ ⑴ ⒈ ㉑ 🄁 …: circled, parenthesised, with a full stop or comma,
# double, negative and dingbat circled). NFKC leaves some alone and makes others "(1)"
# or "12": each is read as its value's digits. tests/unit/test_privacy.py derives this
# set from Unicode (category No, a whole value, in these blocks).
NUMBER_BLOCKS = (
    (0x2460, 0x24FF),
    (0x2776, 0x2793),
    (0x3248, 0x325F),
    (0x32B1, 0x32BF),  # not the circled ideographs 一…十 between: kanji are words
    (0x1F100, 0x1F10C),
)
NUMBER_LIKE = "".join(
    map(
        chr,
        [
            *range(0x2469, 0x249C),
            *range(0x24EB, 0x2500),
            *range(0x2776, 0x2794),
            *range(0x3248, 0x3250),
            *range(0x3251, 0x3260),
            *range(0x32B1, 0x32C0),
            *range(0x1F100, 0x1F10D),
        ],
    )
)
NUMBER_CLASS = as_ranges(NUMBER_LIKE)
_NUMBER_LIKE = f"[{NUMBER_CLASS}]"
TWELVE_DIGITS = rf"(?:[^\d{DIGIT_CLASS}]*+{_DIGIT}){{12}}"


@cache
def _pattern(source: str) -> re.Pattern[str]:
    # Compiled on first use: a one-shot call that prints a verdict compiles one
    # small pattern, not six (benchmarks/oneshot.py counts every millisecond).
    return re.compile(source)


def check_digit(first11: str) -> int:
    """The check digit of a マイナンバー whose first 11 digits are ``first11``."""
    digits = [int(c) for c in first11]
    remainder = sum(p * q for p, q in zip(reversed(digits), _WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(text: str) -> bool:
    """Whether the digits of ``text`` (separators ignored) are a valid マイナンバー."""
    digits = "".join(
        _DIGIT_VALUES[c] if c in _DIGIT_VALUES else str(int(c))
        for c in text
        if c.isdecimal() or c in _DIGIT_VALUES
    )
    return len(digits) == 12 and int(digits[11]) == check_digit(digits[:11])


NOT_SEPARATOR, VISIBLE, INVISIBLE, MARK = 0, 1, 2, 3
_VISIBLE_LIMIT = 4  # dashes, dots, slashes between two digits (1234----5678 …)
_MARK_LIMIT = 1  # other punctuation or symbols: 123,456 (1234)5678 1234 • 5678 1234'5678
_SEPARATOR_NAMES = r"\b(?:DOT|FULL STOP|SOLIDUS|SLASH|MINUS|PROLONGED SOUND MARK)\b"
# Default_Ignorable_Code_Point characters that are not format characters or combining
# marks (Python's unicodedata has no such property: DerivedCoreProperties.txt, Unicode
# 15), and characters that show as nothing though their category says otherwise: the
# Hangul fillers, the blank braille pattern, the musical null notehead.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2065\u2800\U0001d159")
_BLANK_RANGES = ((0xFFF0, 0xFFF9), (0xE0000, 0xE1000))  # ranges, not 4,105 set entries


def _blank(ch: str) -> bool:
    code = ord(ch)
    return ch in _BLANKS or any(low <= code < high for low, high in _BLANK_RANGES)


@cache
def separator_kind(ch: str) -> int:
    """Whether ``ch`` may stand between two digits of a マイナンバー, by its Unicode
    properties: :data:`INVISIBLE`, any number of them (format characters, combining
    marks, controls, spaces of every kind, default-ignorable and blank-looking
    characters); :data:`VISIBLE`, up to four (a dash, a dot, a slash, after NFKC);
    :data:`MARK`, one (any other punctuation or symbol: a thousands comma, a bracket, a
    quote, a bullet, ``、``); or :data:`NOT_SEPARATOR` (letters, other numbers)."""
    import unicodedata  # here: a text with fewer than twelve digits never needs it

    category = unicodedata.category(ch)
    if _blank(ch) or category in _INVISIBLE_CATEGORIES:
        return INVISIBLE
    folded = unicodedata.normalize("NFKC", ch)
    kinds = {_folded_kind(c) for c in folded}
    if not folded or NOT_SEPARATOR in kinds:
        return NOT_SEPARATOR
    if category[0] in "LN":  # a letter: a separator only by name (ー, ｰ), never blank
        return VISIBLE if kinds == {VISIBLE} and category == "Lm" else NOT_SEPARATOR
    return MARK if MARK in kinds else VISIBLE if VISIBLE in kinds else INVISIBLE


_INVISIBLE_CATEGORIES = frozenset(("Cf", "Mn", "Me", "Cc", "Zs", "Zl", "Zp"))


def _folded_kind(c: str) -> int:
    import unicodedata

    category = unicodedata.category(c)
    if category in _INVISIBLE_CATEGORIES:
        return INVISIBLE
    if category == "Pd" or c in "-./":
        return VISIBLE
    if not (category[0] in "PS" or category in ("Lm", "Cs")):  # not ż, whose name has a DOT
        return NOT_SEPARATOR
    if _pattern(_SEPARATOR_NAMES).search(unicodedata.name(c, "")):
        return VISIBLE
    return NOT_SEPARATOR if category == "Lm" else MARK  # Cs: an undecodable byte


# What separator_kind says of ASCII, without a look-up (most gaps are a quote, a comma).
_ASCII_KINDS = {
    chr(c): (
        NOT_SEPARATOR
        if chr(c).isalnum()
        else VISIBLE
        if chr(c) in "-./\\"  # \\: a reverse solidus
        else INVISIBLE
        if c < 0x21 or c == 0x7F
        else MARK
    )
    for c in range(0x80)
}


# The letters separator_kind counts as separators (modifier letters: the long-vowel
# mark, dots; the Hangul fillers, which show as nothing); every other letter or digit is
# none, known without a look-up (a one-shot call's Japanese text then never loads
# unicodedata).
LETTER_SEPARATORS = frozenset("\u0971\u30fc\ua717\ua718\ua719\uff70\u115f\u1160\u3164\uffa0")


def _joins(gap: str) -> bool:
    """Whether the characters between two digits join them into one number."""
    visible = marks = 0
    for ch in gap:
        if ch < "\x80":
            kind = _ASCII_KINDS[ch]
        elif ch.isalnum() and ch not in LETTER_SEPARATORS:
            return False
        else:
            kind = separator_kind(ch)
        if kind == NOT_SEPARATOR:
            return False
        visible += kind == VISIBLE
        marks += kind == MARK
    return visible <= _VISIBLE_LIMIT and marks <= _MARK_LIMIT


def _digit_runs(text: str) -> list[list[int]]:
    """The places of the digits of ``text``, in runs of digits joined by separators.

    Digits side by side are always one run: they are found a group at a time (a date
    such as 2026/04/01 00:00:00 is six groups, not fourteen digits), and only the gaps
    between groups are looked at.
    """
    runs: list[list[int]] = []
    for m in _pattern(_DIGIT + "+").finditer(text):
        start, end = m.span()
        if runs and _joins(text[runs[-1][-1] + 1 : start]):
            runs[-1].extend(range(start, end))
        else:
            runs.append(list(range(start, end)))
    return runs


def _parted(text: str, before: int, after: int) -> bool:
    """Whether two digits of a run stand apart: a separator between them, or a change of
    form (``123456789018²``: a footnote mark after the number, not a thirteenth digit)."""
    return after - before > 1 or (text[before] in _FOOTNOTE_FORMS) != (
        text[after] in _FOOTNOTE_FORMS
    )


def _numbers_as_digits(text: str) -> tuple[str, list[int]]:
    """``text`` with each character of :data:`NUMBER_LIKE` written as its digits (⑫ as
    12), and those of :data:`DIGIT_LIKE` too (③ as 3: one number may mix the forms),
    and for each character of the result the place of the one it came from."""
    import unicodedata

    out: list[str] = []
    source: list[int] = []
    form = ""  # the form of the last character's digits: a number may end where it changes
    for i, c in enumerate(text):
        if c in NUMBER_LIKE:  # (each its own number: ⑪⑫ are two)
            shown, now = str(int(unicodedata.numeric(c))), "number"
        elif c in _DIGIT_VALUES:
            shown = _DIGIT_VALUES[c]
            now = "digit_like" if c in _FOOTNOTE_FORMS else "digit"
        else:
            shown, now = c, "digit" if c.isdigit() else ""
        if now and form and (now != form or now == "number"):
            # 123456789018🄁 (🄁 is "0,"): a number may end before the 🄁, as before a
            # footnote's ²; a space parts the digits so and still joins them.
            out.append(" ")
            source.append(i)
        form = now
        out.append(shown)
        source.extend([i] * len(shown))
    return "".join(out), source


# A date and a time of day (2025-03-27 18:13:31, 1973/10/10 0:00, 2025年3月27日 18時13分):
# twelve digits or more with separators, one in eleven of which passes the check digit.
# A number written so is a time stamp, never a マイナンバー: a pass-through column of
# them (最終更新日時, 生年月日 with its 0:00) is left as it is.
DATE_TIME = (
    r"\d{4}(?:([-/.])\d{1,2}\1\d{1,2}|年\d{1,2}月\d{1,2}日)(?:\s*|T)"
    r"\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|時\d{1,2}分(?:\d{1,2}秒)?)"
)


# A cell that is one date and time of day and nothing else (最終更新日時 on every row of
# an export): its twelve digits and more are all within it.
_DATE_TIME_CELL = rf"\s*(?:{DATE_TIME})\s*"


def _outside_date_times(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` without those that lie within a date and time of day."""
    if not spans or (":" not in text and "時" not in text):
        return spans
    times = [m.span() for m in _pattern(DATE_TIME).finditer(text)]
    return [(a, b) for a, b in spans if not any(s <= a and b <= e for s, e in times)]


def my_number_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a valid マイナンバー, as (start, end) pairs, merged (a date and
    time of day is not one)."""
    return _outside_date_times(text, _number_spans(text))


def _number_spans(text: str) -> list[tuple[int, int]]:
    if not text.isascii() and _pattern(_NUMBER_LIKE).search(text):
        digits, source = _numbers_as_digits(text)
        found = [(source[start], source[end - 1] + 1) for start, end in _number_spans(digits)]
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged
    if not might_hold_my_number(text):
        return []
    if text.isascii():
        return _ascii_spans(text)
    return _spans_by_digit(text)


def _ascii_spans(text: str) -> list[tuple[int, int]]:
    """:func:`_spans_by_digit` for ASCII text, a group of digits at a time: there every
    digit is of one form, so two digits stand apart only across a gap, and a number can
    only begin where a group begins and end where one ends (2026-04-01 00:00:00, a
    date-time passed through on every row, is six groups and one window to check).

    The text is split once into its groups and gaps (``pieces``: gap, group, gap, …);
    a gap's verdict is kept (a date-time's ``-``, `` ``, ``:`` recur on every row).
    """
    spans: list[tuple[int, int]] = []
    pieces = _pattern("([0-9]+)").split(text)
    at = len(pieces[0])  # where the group being looked at starts
    run: list[tuple[int, str]] = []  # the groups joined so far: (start, digits)
    for k in range(1, len(pieces), 2):
        group = pieces[k]
        if run and not _ascii_joins(pieces[k - 1]):
            _ascii_windows(run, spans)
            run = []
        run.append((at, group))
        at += len(group) + len(pieces[k + 1])
    if run:
        _ascii_windows(run, spans)
    return spans


_GAPS: dict[str, bool] = {}  # ASCII gaps between groups of digits, and whether they join


def _ascii_joins(gap: str) -> bool:
    joins = _GAPS.get(gap)
    if joins is None:
        joins = _joins(gap)
        if len(_GAPS) < 1024:
            _GAPS[gap] = joins
    return joins


def _ascii_windows(run: list[tuple[int, str]], spans: list[tuple[int, int]]) -> None:
    """Add to ``spans`` each window of twelve digits of ``run`` (groups of ASCII digits
    joined by their gaps) that is a valid マイナンバー: a window begins where a group
    begins and ends where one ends."""
    digits = "".join([d for _, d in run])
    if len(digits) < 12:
        return
    ends: dict[int, int] = {}  # the count of digits up to each group's end: its index
    count = 0
    for k, (_, group) in enumerate(run):
        count += len(group)
        ends[count] = k
    count = 0
    for start, group in run:
        last = ends.get(count + 12)
        if last is not None:
            twelve = digits[count : count + 12]
            weighed = sum(map(operator.mul, twelve.encode(), _ASCII_WEIGHTS)) - _ASCII_ZEROS
            remainder = weighed % 11
            if int(twelve[11]) == (0 if remainder <= 1 else 11 - remainder):  # check_digit
                end = run[last][0] + len(run[last][1])
                if spans and start <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
                else:
                    spans.append((start, end))
        if group[0] == "0" and len(group) > 1:
            # Zeros before it (0123456789018: a number format of 13 zeros in Excel, a
            # padded code): a window may begin after them, within the group.
            zeros = min(len(group) - len(group.lstrip("0")), len(group) - 1)
            for skip in range(1, zeros + 1):
                last = ends.get(count + skip + 12)
                if last is not None and _ascii_valid(digits[count + skip : count + skip + 12]):
                    _add_span(spans, start, run[last][0] + len(run[last][1]))
        count += len(group)


def _ascii_valid(twelve: str) -> bool:
    """Whether twelve ASCII digits are a valid マイナンバー (check_digit, on bytes)."""
    remainder = (sum(map(operator.mul, twelve.encode(), _ASCII_WEIGHTS)) - _ASCII_ZEROS) % 11
    return int(twelve[11]) == (0 if remainder <= 1 else 11 - remainder)


def _add_span(spans: list[tuple[int, int]], start: int, end: int) -> None:
    if spans and start <= spans[-1][1]:
        spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
    else:
        spans.append((start, end))


# check_digit on ASCII digits, a C loop over their bytes: the weights from the first digit
# (the 12th's 0 leaves it out); each digit's byte is 48 more than its value.
_ASCII_WEIGHTS = (*reversed(_WEIGHTS), 0)
_ASCII_ZEROS = 48 * sum(_WEIGHTS)


def _spans_by_digit(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a valid マイナンバー: every window of twelve digits of a run
    that begins and ends where the run's digits stand apart."""
    spans: list[tuple[int, int]] = []
    for at in _digit_runs(text):
        if len(at) < 12:
            continue
        for first in range(len(at) - 11):
            last = first + 11
            # (after zeros right before it, as 0123456789018: a padded number)
            zero = first
            while zero and at[zero - 1] + 1 == at[zero] and _is_zero(text[at[zero - 1]]):
                zero -= 1
            starts = zero == 0 or _parted(text, at[zero - 1], at[zero])
            ends = last == len(at) - 1 or _parted(text, at[last], at[last + 1])
            if not (
                starts and ends and is_my_number("".join(text[i] for i in at[first : last + 1]))
            ):
                continue
            start, end = at[zero], at[last] + 1
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
    return spans


def _is_zero(c: str) -> bool:
    return _DIGIT_VALUES.get(c) == "0" or (c.isdecimal() and int(c) == 0)


def might_hold_my_number(text: str) -> bool:
    """A quick test: ``False`` means ``text`` certainly holds no マイナンバー (it has
    fewer than twelve digits, counting ⑫ as two; any number of invisible characters may
    join them)."""
    if text.isascii():  # only 0-9 can be digits: counted at C speed, no pattern compiled
        return len(text) >= 12 and sum(map(text.count, "0123456789")) >= 12
    if _pattern(TWELVE_DIGITS).match(text) is not None:
        return True
    return _pattern(_NUMBER_LIKE).search(text) is not None


def masked(text: str) -> str:
    """``text`` with every valid マイナンバー in it replaced by asterisks."""
    if text.isascii():  # my_number_spans' way for ASCII, each test once (a batch's cells)
        if _pattern(TWELVE_DIGITS).match(text) is None:
            return text
        if _pattern(_DATE_TIME_CELL).fullmatch(text):  # a time stamp alone: nothing to mask
            return text
        spans = _outside_date_times(text, _ascii_spans(text))
    elif not might_hold_my_number(text):
        return text
    else:
        spans = my_number_spans(text)
    for start, end in reversed(spans):
        text = text[:start] + MASK + text[end:]
    return text


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_control(text: str) -> str:
    """The first character of ``text`` that would act on a terminal, escaped ("" if none).

    Tabs and newlines are text; escape sequences, bells, carriage returns, C1
    controls and bidi overrides are not.
    """
    m = _pattern(f"[{_TERMINAL_CONTROLS}]").search(text)
    return _escape(m) if m else ""


def _has_stream_control(text: str) -> bool:
    """Whether ``text`` holds a C1 control or a bidi override. A short text is looked
    through character by character (no pattern to compile for a one-shot call); a long
    one, such as a batch's buffered output, by the pattern (many times faster)."""
    if text.isprintable():  # none of them is printable (checked at C speed)
        return False
    if len(text) < 65536:  # a verdict's JSON or text; the pattern costs ms to compile
        return not _STREAM_CHARS.isdisjoint(text)
    return _pattern(f"[{_STREAM_CONTROLS}]").search(text) is not None


def json_safe(text: str) -> str:
    """JSON text with C1 controls and bidi overrides written as ``\\uXXXX``: the same
    JSON values, but nothing that acts on a terminal or reverses a line."""
    if not _has_stream_control(text):
        return text
    return _pattern(f"[{_STREAM_CONTROLS}]").sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Data rows shown on a terminal: everything that acts on it, except the tab, the
# newline and a CSV row's CR LF.
_DATA_ON_TERMINAL = f"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]|\r(?!\n)"


def terminal_data(text: str) -> str:
    """Data for a terminal (``kenpo batch --format csv`` with no ``-o``): an escape
    sequence in a cell is shown as ``\\x1b``, not run. A file gets the cell as it is."""
    if text.isprintable():
        return text
    return _pattern(_DATA_ON_TERMINAL).sub(_escape, text)


def escaped(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``, ``\\u202e``)."""
    if text.isprintable():  # the common case: no control character of any kind
        return text
    return _pattern(f"[{_CONTROLS}]").sub(_escape, text)


def stream_safe(text: str) -> str:
    """Text for a terminal: マイナンバー masked, C1 controls and bidi overrides escaped."""
    if not _has_stream_control(text):
        return masked(text)
    return _pattern(f"[{_STREAM_CONTROLS}]").sub(_escape, masked(text))


ECHO_LIMIT = 80


# What may stand between the digits of a number typed alone (after NFKC): spaces, dashes,
# dots, slashes, the middle dot and the long-vowel mark an IME gives for a dash.
_TYPED_GAPS = frozenset(" \t-./\u2010\u2011\u2012\u2013\u2014\u2212\u30fb\u30fc\uff65")


def typed_number(text: str) -> bool:
    """Whether ``text`` is nothing but 11 to 13 digits (in groups, full-width too): where
    a date or a count was asked, most likely a マイナンバー typed by mistake, a digit off
    or not. A message does not echo it, whatever its check digit says."""
    if len(text) > 40:
        return False
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).strip()
    digits = sum(c.isdigit() for c in folded)
    return 11 <= digits <= 13 and all(c.isdigit() or c in _TYPED_GAPS for c in folded)


def echoed(text: str, limit: int = ECHO_LIMIT) -> str:
    """How a value is quoted in a message: masked, cut to ``limit`` characters, escaped."""
    text = masked(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = escaped(text)
    if not text.isascii() and _INVISIBLE.search(text):
        # '退<U+200B>職' would read as 退職, a word that is accepted: shown as it is
        text = _INVISIBLE.sub(_escape, text)
    return text


# Characters that show nothing (zero-width, soft hyphen, BOM, variation selectors).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufe00-\ufe0f\ufeff]")
