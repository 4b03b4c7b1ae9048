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
_FIRST, _LAST = EARLIEST.year, LATEST.year
_WEEKDAYS = "月火水木金土日"
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
    g = m.groups()  # one call for all: this runs for most date cells of a sheet
    try:
        if g[0]:  # 2026-11-26, 2026/4/1, 2026年4月1日
            year = int(g[0])
            made = date(year, int(g[2] or g[4]), int(g[3] or g[5]))
        elif g[6]:  # 20261126
            year = int(g[6])
            made = date(year, int(g[7]), int(g[8]))
        elif g[9]:  # 令和8年4月1日(水), R8.4.1, …
            era = _ERA[g[9]]
            in_era = 1 if g[10] == "元" else int(g[10])
            if in_era < 1:
                return None
            year = era.first.year + in_era - 1
            made = date(year, int(g[12] or g[14]), int(g[13] or g[15]))
            if made < era.first or (era.last is not None and made > era.last):
                return None
            weekday = g[16] or g[17]
            if weekday and _WEEKDAYS.index(weekday) != made.weekday():
                return None  # the general parser says the weekday is not the date's
        else:
            serial = int(g[18])
            if not _SERIAL_FIRST <= serial <= _SERIAL_LAST:
                return None
            return _EXCEL_EPOCH + timedelta(days=serial)
    except ValueError:
        return None  # no such day: the general parser says what is wrong with it
    if not _FIRST <= year <= _LAST:
        return None
    return made
