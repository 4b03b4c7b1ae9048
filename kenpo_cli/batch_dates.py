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
from datetime import date, timedelta

from kenpo_cli.core.dates import EARLIEST, ERAS, LATEST

# Full-width digits and separators as NFKC folds them (the general parser folds so too).
_WIDE = str.maketrans("０１２３４５６７８９／．－", "0123456789/.-")
_ERA = {key: era for era in ERAS for key in (era.name, era.name[0], era.letter, era.letter.upper())}
_ERA_NAMES = "|".join(sorted(_ERA, key=len, reverse=True))
_QUICK = re.compile(
    # 2026-11-26, 2026/4/1, 2026.4.1, 2026年4月1日, with a time as spreadsheets add it
    r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日)"
    r"(?:[T ](?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)?"
    # 20261126
    r"|([0-9]{4})([0-9]{2})([0-9]{2})"
    # 令和8年4月1日(水), R8.4.1, 令8.4.1, H30.4.1, R08/11/26, 令和元年5月1日
    rf"|({_ERA_NAMES})(元|[0-9]{{1,2}})(?:([-/.])([0-9]{{1,2}})\12([0-9]{{1,2}})"
    r"|年([0-9]{1,2})月([0-9]{1,2})日)"
    r"(?:\((?P<wd>[月火水木金土日])(?:曜日?)?\)|（(?P<wide_wd>[月火水木金土日])(?:曜日?)?）)?"
    # an Excel serial number, 1955 to 2099
    r"|(?P<serial>[0-9]{5})"
)
_SERIAL_FIRST, _SERIAL_LAST = 20090, 73050
_EXCEL_EPOCH = date(1899, 12, 30)


def quick_date(raw: str) -> date | None:
    """The date of a cell in one of the common shapes; ``None`` for anything else."""
    m = _QUICK.fullmatch(raw)
    if m is None:
        if raw.isascii():
            return None
        m = _QUICK.fullmatch(raw.translate(_WIDE))
        if m is None:
            return None
    if m[1]:
        return _made(int(m[1]), m[3] or m[5], m[4] or m[6])
    if m[7]:
        return _made(int(m[7]), m[8], m[9])
    if m[10]:
        era = _ERA[m[10]]
        year = 1 if m[11] == "元" else int(m[11])
        if year < 1:
            return None
        made = _made(era.first.year + year - 1, m[13] or m[15], m[14] or m[16])
        if made is None or made < era.first or (era.last is not None and made > era.last):
            return None
        weekday = m["wd"] or m["wide_wd"]
        if weekday and "月火水木金土日".index(weekday) != made.weekday():
            return None  # the general parser says the weekday is not the date's
        return made
    serial = int(m["serial"])
    if not _SERIAL_FIRST <= serial <= _SERIAL_LAST:
        return None
    return _EXCEL_EPOCH + timedelta(days=serial)


def _made(year: int, month: str, day: str) -> date | None:
    if not EARLIEST.year <= year <= LATEST.year:
        return None
    try:
        return date(year, int(month), int(day))
    except ValueError:
        return None  # the general parser says what is wrong with it
