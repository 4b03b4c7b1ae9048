"""Rows of an HR sheet that are not people, and people who appear twice.

A 合計 / 小計 row totals the rows above it: judged, it would be a person with no facts
(every default) or an error row. It is skipped and counted, as empty rows are. An id
(社員番号) that appears on two rows is a person judged twice, or two people given one
number: stderr names the lines.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from functools import cache

from kenpo_cli.core.dates import normalise
from kenpo_cli.core.facts import vocabulary

# Characters a blank-looking cell may hold: spaces, and the zero bytes a file cut short by
# a crash is padded with.
BLANK = " \t\r\n\x00\u3000"
_MARKS = re.compile(r"[\[\]()【】<>〈〉《》「」※*★☆■□●◆◇・:：#＃]")


@cache
def _totals() -> frozenset[str]:
    return frozenset(normalise(w) for w in vocabulary()["totals"]["words"])


@cache
def total_ends() -> frozenset[str]:
    """The last characters a cell that says 合計 may end with, as typed (full width or not,
    with a mark after it): a row whose first cell ends otherwise needs no closer look."""
    ends = {w[-1] for w in _totals()}
    ends |= {e.upper() for e in ends} | {chr(ord(e) + 0xFEE0) for e in ends if e.isascii()}
    ends |= {chr(ord(e.upper()) + 0xFEE0) for e in ends if e.isascii()}
    return frozenset(ends | set("]）)】>〉》」*※:："))


def is_total(cell: str) -> bool:
    """Whether a cell says the row is a total: 合計, 小計, 【合計】, 合 計, Total, …"""
    return _MARKS.sub("", normalise(cell)) in _totals()


def not_a_person(cells: Sequence[str]) -> str | None:
    """``"blank"`` for a row with every cell empty, ``"total"`` for a 合計 row (its first
    cell says so, or it is empty and another says so), else ``None``."""
    if not "".join(cells).strip(BLANK):
        return "blank"
    first = cells[0].strip(BLANK) if cells else ""
    if is_total(first) if first else any(is_total(c) for c in cells if c):
        return "total"
    return None


class Ids:
    """The id of every row (社員番号), to name those that appear twice.

    Kept as 8-byte hashes beside 4-byte lines (12 bytes a row: 12 MB at a million rows),
    not as the texts; the repeated ones are found once, at the end.
    """

    SHOWN = 5  # repeated ids named on stderr

    def __init__(self, column: int) -> None:
        self.column = column
        self.hashes = array("q")
        self.lines = array("i")

    def add(self, cells: Sequence[str], line: int) -> None:
        """Note a row's id (batch.process does the same inline)."""
        if self.column < len(cells) and (cell := cells[self.column]):
            self.hashes.append(hash(cell))
            self.lines.append(line)

    def repeated(self) -> list[list[int]]:
        """The lines of each id met on more than one row, in order of their first line
        (the ids themselves are not kept: a message names the lines).

        A bitmap of 2**24 bits (2 MiB) finds the hashes that may repeat in one pass; a
        second counts those exactly. Sorting the hashes would be shorter to write, but
        would hold them all again as Python integers (40 MB at a million rows).
        """
        bits = bytearray(1 << 21)
        maybe = set()
        for h in self.hashes:
            slot = h & 0xFFFFFF
            byte, bit = slot >> 3, 1 << (slot & 7)
            if bits[byte] & bit:
                maybe.add(h)
            else:
                bits[byte] |= bit
        del bits
        lines: dict[int, list[int]] = {}
        for h, line in zip(self.hashes, self.lines, strict=True):
            if h in maybe:
                lines.setdefault(h, []).append(line)
        return sorted(found for found in lines.values() if len(found) > 1)
