"""Days offices are open: a deadline that falls on a closed day moves to the next open one.

Japanese public offices (and the society, and the municipal office) are closed on
Saturdays, Sundays, national holidays and over the New Year (29 December to 3 January,
行政機関の休日に関する法律 第1条); a time limit ending on such a day ends on the next open
day (民法 第142条, and the same rule for filings with administrative offices).
The national holidays come from jpholiday, imported only when a leaver's deadline is
worked out.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


@cache
def _holiday(day: date) -> bool:
    import jpholiday  # ~60 ms: only for leavers' deadlines

    return bool(jpholiday.is_holiday(day))


def closed(day: date) -> bool:
    """Whether public offices are closed on ``day``."""
    if day.weekday() >= 5:
        return True
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return True
    return _holiday(day)


def open_on_or_after(day: date) -> date:
    """``day`` if offices are open then, else the next day they are."""
    while closed(day):
        day += timedelta(days=1)
    return day


def open_on_or_before(day: date) -> date:
    """``day`` if offices are open then, else the last day before it they are (a visit
    that must be made by a day, not a filing whose time limit moves on)."""
    while closed(day):
        day -= timedelta(days=1)
    return day


def within(start: date, days: int) -> date:
    """The last day of a period of ``days`` days that counts ``start`` as its first (as
    "within 20 days of the 資格喪失日" is read by the Japan Pension Service and the
    societies), moved to the next open day when it falls on a closed one."""
    return open_on_or_after(start + timedelta(days=days - 1))
