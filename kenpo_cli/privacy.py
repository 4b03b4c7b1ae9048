"""Keeping a マイナンバー, and the terminal, safe from what kenpo echoes.

kenpo never asks for a マイナンバー, but people paste whatever is at hand. A
マイナンバー is 12 digits whose last is a check digit over the first 11 (the
official algorithm, below); people write it in groups (of four, of three, or
none) with ``-``, ``.``, ``/`` or spaces between, full-width too. Any such number
is masked wherever kenpo would echo it: batch cells and headers, error messages,
usage messages. A 12-digit number whose check digit does not fit is not a
マイナンバー (an employee number, say): HR offices join on those, so it stays.

Values are also quoted in messages with their control characters escaped (an
escape sequence in a CSV cell must not reach the terminal) and cut to a length a
person can read.
"""

from __future__ import annotations

import re
from functools import cache

MASK = "************"

# Between two digits: ASCII and full-width separators, the dashes and the long-vowel
# mark IMEs produce, and any kind of space (at most four of them). People group the
# twelve digits in fours, threes or not at all.
_SEP = r"[\s\-./\uff0d\uff0e\uff0f\u2010-\u2015\u2212\u30fc]{0,4}"
_SHAPE = rf"\d(?:{_SEP}\d){{11}}"
MY_NUMBER_SHAPE = _SHAPE  # a pattern that every マイナンバー, valid or not, matches
# Digits joined by separators: a マイナンバー is twelve of them, from the run's start or
# a separator to the run's end or a separator (so 2026-1234-5678-9018 is looked at
# as its last twelve digits, and the first twelve, but not the middle ones).
_RUN = rf"\d(?:{_SEP}\d)*"
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
# Looser than the shape (any separators): quick to compile and to rule a text out.
# Character classes of many ranges take a millisecond to compile, which a one-shot
# call that prints a verdict would pay on every run (benchmarks/oneshot.py).
_LOOSE_SHAPE = r"\d(?:\D{0,4}\d){11}"


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
    digits = "".join(str(int(c)) for c in text if c.isdecimal())
    return len(digits) == 12 and int(digits[11]) == check_digit(digits[:11])


def my_number_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a valid マイナンバー, as (start, end) pairs, merged."""
    spans: list[tuple[int, int]] = []
    for run in _pattern(_RUN).finditer(text):
        at = [run.start() + i for i, c in enumerate(run.group()) if c.isdecimal()]
        if len(at) < 12:
            continue
        for first in range(len(at) - 11):
            last = first + 11
            starts = first == 0 or at[first] - at[first - 1] > 1
            ends = last == len(at) - 1 or at[last + 1] - at[last] > 1
            if not (
                starts and ends and is_my_number("".join(text[i] for i in at[first : last + 1]))
            ):
                continue
            start, end = at[first], at[last] + 1
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
    return spans


def might_hold_my_number(text: str) -> bool:
    """A quick test: ``False`` means ``text`` certainly holds no マイナンバー."""
    return _pattern(_LOOSE_SHAPE).search(text) is not None


def masked(text: str) -> str:
    """``text`` with every valid マイナンバー in it replaced by asterisks."""
    if not might_hold_my_number(text):
        return text
    for start, end in reversed(my_number_spans(text)):
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
    if len(text) < 2048:
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


def echoed(text: str, limit: int = ECHO_LIMIT) -> str:
    """How a value is quoted in a message: masked, cut to ``limit`` characters, escaped."""
    text = masked(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escaped(text)
