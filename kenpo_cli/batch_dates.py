"""The shapes most date cells of an HR sheet have, read without the general parser.

A sheet of a hundred thousand people holds tens of thousands of different date cells
(a 資格取得日 for every day of forty years, typed as 2026/4/1, R8.4.1, 令和8年4月1日(水)
or an Excel serial number), so a cache of cells does not help: each must be read, and
:func:`kenpo_cli.core.dates.parse_date` folds and tries every form it knows, which costs
several times what a row's other work does. :func:`quick_date` reads the common shapes
directly and answers ``None`` for anything else — another shape, a date that does not
exist, one outside its era or outside the years kenpo takes — which then goes to the
general parser and its messages. Whatever it reads, the general parser reads alike
(tests/unit/test_batch_dates.py compares the two).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kenpo_cli.core.dates import EARLIEST, ERAS, EXCEL_EPOCH, LATEST, SERIAL_FIRST, SERIAL_LAST

# Full-width digits and separators as NFKC folds them (the general parser folds so too).
_WIDE = str.maketrans("０１２３４５６７８９／．－", "0123456789/.-")
_ERA = {key: era for era in ERAS for key in (era.name, era.name[0], era.letter, era.letter.upper())}
_ERA_NAMES = "|".join(sorted(_ERA, key=len, reverse=True))
_QUICK = re.compile(
    # 2026-11-26, 2026/4/1, 2026.4.1, 2026年4月1日, with a time as spreadsheets add it
    r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日)"
    r"(?:[T ](?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)?"
    # 令和8年4月1日(水), R8.4.1, 令8.4.1, H30.4.1, R08/11/26, 令和元年5月1日
    rf"|({_ERA_NAMES})(元|[0-9]{{1,2}})(?:([-/.])([0-9]{{1,2}})\9([0-9]{{1,2}})"
    r"|年([0-9]{1,2})月([0-9]{1,2})日)"
    r"(?:\(([月火水木金土日])(?:曜日?)?\)|（([月火水木金土日])(?:曜日?)?）)?"
)
_match = _QUICK.fullmatch
# Shapes read by taking off what surrounds a date: a weekday after a western date
# (2026/11/26(木)), a time with 午前/午後 (2026/11/26 午前0:00:00, as Excel writes it).
_AROUND = re.compile(
    r"([0-9]{4}([-/.])[0-9]{1,2}\2[0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日)"
    r" ?(?:[(（]([月火水木金土日])(?:曜日?)?[)）])?"
    r"(?:[T ](?:(?:午前|午後) ?(?:1[0-2]|0?[0-9])|(?:[01]?[0-9]|2[0-3]))"
    r":[0-5][0-9](?::[0-5][0-9])?)?"
).fullmatch
_SERIAL_ZERO = EXCEL_EPOCH.toordinal()
_FIRST, _LAST = EARLIEST.year, LATEST.year
# The numbers the pattern's groups hold (a month, a day, a year of an era, of the
# calendar), looked up: int() costs several times more, and this runs for most cells.
_NUMBER = {str(n): n for n in range(100)} | {f"{n:02d}": n for n in range(10)}
_NUMBER |= {str(n): n for n in range(_FIRST, _LAST + 1)}
_number = _NUMBER.__getitem__
_WEEKDAYS = "月火水木金土日"
_from_iso = date.fromisoformat
_from_ordinal = date.fromordinal


def quick_date(raw: str) -> date | None:
    """The date of a cell in one of the common shapes; ``None`` for anything else."""
    if raw.isascii():
        if raw.isdigit():
            if len(raw) == 5:  # an Excel serial number
                serial = int(raw)
                if SERIAL_FIRST <= serial <= SERIAL_LAST:
                    return _from_ordinal(_SERIAL_ZERO + serial)
                return None
            if len(raw) != 8:
                return None
        elif len(raw) != 10 or raw[4] != "-" or raw[7] != "-":
            m = _match(raw)
            if m is None:
                return _around(raw)
            return _read(m.groups())
        try:  # 2026-11-26 or 20261126: the one shape of each that fromisoformat reads
            made = _from_iso(raw)
        except ValueError:
            return None  # no such day: the general parser says what is wrong with it
        return made if _FIRST <= made.year <= _LAST else None
    m = _match(raw)
    if m is None:
        narrow = raw.translate(_WIDE)
        if narrow.isascii():  # ２０２６／４／１, ４６１１３: read as their ASCII digits
            return quick_date(narrow)
        m = _match(narrow)
        if m is None:
            return _around(narrow)
    return _read(m.groups())


def _around(raw: str) -> date | None:
    """A date with something around it: spaces, Excel's text prefix (``'2026/4/1``), a
    weekday, a time with 午前/午後."""
    trimmed = raw.strip().removeprefix("'").strip()  # as the general parser takes them off
    if trimmed != raw:
        # once only, as the general parser does (''2026/4/1 is not a date)
        stable = trimmed and trimmed.strip().removeprefix("'").strip() == trimmed
        return quick_date(trimmed) if stable else None
    m = _AROUND(raw)
    if m is None:
        return None
    made = quick_date(m.group(1))
    weekday = m.group(3)
    if made is not None and weekday and _WEEKDAYS.index(weekday) != made.weekday():
        return None  # the general parser says the weekday is not the date's
    return made


def _read(g: tuple[Any, ...]) -> date | None:
    """The date of a cell :data:`_QUICK` matched, from its groups."""
    try:
        if g[0]:  # 2026/4/1, 2026年4月1日, …: four digits, so a year in _NUMBER or none
            return date(_number(g[0]), _number(g[2] or g[4]), _number(g[3] or g[5]))
        era = _ERA[g[6]]
        in_era = 1 if g[7] == "元" else _number(g[7])
        if in_era < 1:
            return None
        month, day = _number(g[9] or g[11]), _number(g[10] or g[12])
        made = date(era.first.year + in_era - 1, month, day)
    except (KeyError, ValueError):
        return None  # a year kenpo does not take, or no such day: the general parser says
    if made < era.first or (era.last is not None and made > era.last):
        return None
    weekday = g[13] or g[14]
    if weekday and _WEEKDAYS.index(weekday) != made.weekday():
        return None  # the general parser says the weekday is not the date's
    return made if _FIRST <= made.year <= _LAST else None


# Excel's empty date: a date cell holding 0 (a VLOOKUP of a blank cell, a cleared
# formula's result) is shown as 1900/1/0, or as 0:00:00 under a time format, and
# exported so; a workbook's reader gives it as the time 00:00:00. It says no date.
_EXCEL_EMPTY = re.compile(
    r"0|(?:1900(?:([-/.])0?1\1|年0?1月)0?0日?)?(?:(?<=.) ?|^)"
    r"(?:(?:午前 ?)?0?0:00(?::00)?(?: ?am)?)?"
)


def excel_empty_date(raw: str) -> bool:
    """Whether a date cell holds Excel's empty date: ``0``, ``1900/1/0``, ``1900-01-00``,
    ``00:00:00``, ``0:00``, ``1900/1/0 0:00:00`` (full width, or with 午前, alike)."""
    text = raw.translate(_WIDE).strip().lower().replace("：", ":")
    return bool(text) and _EXCEL_EMPTY.fullmatch(text) is not None
