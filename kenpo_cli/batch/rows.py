"""Rows of an HR sheet that are not people, and people who appear twice.

A 合計 / 小計 row totals the rows above it: judged, it would be a person with no facts
(every default) or an error row. It is skipped and counted, as empty rows are; so is a
footer (出力日,2026/12/06; 作成者：総務部,山田). An id
(社員番号) that appears on two rows is a person judged twice, or two people given one
number: stderr names the lines.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from functools import cache

from kenpo_cli.core.dates import normalise, quick_date
from kenpo_cli.core.facts import vocabulary

# Characters a blank-looking cell may hold: spaces, and the zero bytes a file cut short by
# a crash is padded with.
BLANK = " \t\r\n\x00\u3000"
_MARKS = re.compile(r"[\[\]()【】<>〈〉《》「」※*★☆■□●◆◇・:：#＃]")


@cache
def _totals() -> frozenset[str]:
    return frozenset(normalise(w) for w in vocabulary()["totals"]["words"])


@cache
def _headcount() -> frozenset[str]:
    return frozenset(normalise(w) for w in vocabulary()["totals"]["headcount"])


@cache
def total_ends() -> frozenset[str]:
    """The last characters a cell that says 合計 may end with, as typed (full width or not,
    with a mark after it): a row whose first cell ends otherwise needs no closer look."""
    ends = {w[-1] for w in _totals()}
    ends |= {e.upper() for e in ends} | {chr(ord(e) + 0xFEE0) for e in ends if e.isascii()}
    ends |= {chr(ord(e.upper()) + 0xFEE0) for e in ends if e.isascii()}
    return frozenset(ends | set("]）)】>〉》」*※:："))


# Words that end in 計 and are not a total: a department (会計課) or a person's name.
_NOT_TOTALS = ("会計", "設計", "統計", "時計", "家計", "主計", "生計", "余計", "早計", "推計")
# An employee number: digits, perhaps after a few letters (E1001, S-0042).
_ID_LIKE = re.compile(r"[A-Za-z]{0,4}[-_]?[0-9]{3,}")


@cache
def _total_form() -> re.Pattern[str]:
    """A total cell, folded: a total word at the end, perhaps after a department (営業部
    小計, 営業部計, Sales subtotal) or a value (登録済 計), and before a bracketed count, a
    colon or a count (合計（2名）, 合計: 120, 合計 2名)."""
    words = sorted(_totals(), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(
        rf"(?P<prefix>.*?)(?P<word>{alternatives})"
        r"(?:[(\[【<〈《「][^)\]】>〉》」]*[)\]】>〉》」]|[:：].*|[0-9][0-9,]*(?:名|人|件)?)?"
    )


def is_total(cell: str) -> bool:
    """Whether a cell says the row is a total: 合計, 小計, 【合計】, 合 計, Total, 営業部
    小計, 営業部計, 合計（2名）, 合計：…"""
    folded = normalise(cell)
    if _MARKS.sub("", folded) in _totals():
        return True
    found = _total_form().fullmatch(folded.strip("※*★☆■□●◆◇・#＃【】[]"))
    if found is None:
        return False
    prefix, word = found["prefix"], found["word"]
    if not prefix:
        return True
    if word in _headcount():  # 扶養人数 2 (a note) is not a headcount row's 人数
        return False
    if word.isascii():  # "sales subtotal" (spaces folded away): not "checksum"
        return word in ("total", "subtotal", "grandtotal") and not prefix[-1].isdigit()
    return not (prefix + word).endswith(_NOT_TOTALS) and not prefix[-1].isdigit()


def not_a_person(
    cells: Sequence[str],
    ids: Sequence[int] = (),
    forms: frozenset[str] = frozenset(),
    names: Sequence[int] = (),
    dates: Sequence[int] = (),
) -> str | None:
    """``"blank"`` for a row with every cell empty, ``"total"`` for a 合計 row, else
    ``None``. A total row has a cell that says so (:func:`is_total`) and no cell that
    reads as a person's id: in the id columns ``ids`` when given, else in any other cell
    (a 合計 row's counts are short numbers; an employee number is not). In an id column,
    Excel's ="" (a formula giving nothing) is empty, and a number of another form than
    the sheet's ids (``forms``: the 3 of =SUBTOTAL(3,…) among E001, E002) is a count.

    Nor is a row a total that names someone in a name column (``names``: 氏名 山田, beside
    合計2名 in 備考) or has a date in a fact's date column (``dates``: a 退職日): a total
    has counts there, if anything."""
    if not "".join(cells).strip(BLANK):
        return "blank"
    said = next((i for i, c in enumerate(cells) if c and is_total(c)), None)
    if said is None:
        return None
    for i in names:
        cell = cells[i].strip(BLANK) if i < len(cells) else ""
        if i != said and cell and not _COUNT.fullmatch(normalise(cell)) and not is_total(cell):
            if normalise(cell).replace(",", "").isdecimal():
                continue  # =COUNTA(…) under 氏名: a count, no one's name
            return None
    if any(i < len(cells) and quick_date(cells[i].strip(BLANK)) for i in dates):
        return None
    looked = [i for i in ids if i < len(cells)] if ids else range(len(cells))
    for i in looked:
        cell = cells[i].strip(BLANK)
        if ids and cell.startswith('="') and cell.endswith('"'):
            cell = cell[2:-1].strip(BLANK)
        if ids and forms and cell.isdigit() and id_form(cell) not in forms:
            continue
        if _COUNT.fullmatch(normalise(cell)):  # 8名 in the id column: a count, no id
            continue
        if i != said and cell and (ids or _ID_LIKE.fullmatch(normalise(cell))):
            return None
    return "total"


_COUNT = re.compile(r"[(（]?[0-9,]+\s*(?:名|人|件|枚|行)[)）]?")


def id_form(cell: str) -> str:
    """An id's form: each digit as 0, each Latin letter as a (E001 and E002 alike, 3 not)."""
    return _LETTER.sub("a", _DIGIT.sub("0", cell.strip(BLANK)))


_DIGIT, _LETTER = re.compile("[0-9]"), re.compile("[A-Za-z]")


@cache
def _footers() -> frozenset[str]:
    return frozenset(normalise(w) for w in vocabulary()["footers"]["words"])


def is_footer(cells: Sequence[str]) -> bool:
    """Whether a row with no fact is the sheet's margin: its first cell names what follows
    (出力日, 作成者：総務部, 印刷日時, ※) and one cell beside it at most (the day, a name)."""
    full = [c for c in cells if c.strip(BLANK)]
    if not full or len(full) > 2:
        return False
    label = re.split("[:：]", normalise(full[0]), maxsplit=1)[0]
    return label in _footers() or not _MARKS.sub("", label)


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
