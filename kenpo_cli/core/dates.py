"""Reading the dates people type, and the month-end arithmetic the rules need.

Accepted forms (CONTRACT.md, Facts): ``2026-11-26``, ``2026/11/26``, ``20261126``,
``2026年11月26日``, ``令和8年11月26日``, ``令和元年5月1日``, ``R8.11.26``,
``R08/11/26``, ``H31.4.30`` and ``today``, each also with full-width digits and
separators; and as spreadsheets export them: ``令8.4.1``, ``令和8年4月1日(水)``, a
date-time (``2026/4/1 0:00``, ``2026-04-01T00:00:00``) and an Excel serial number
(``46113`` is 2026-04-01). Everything else is rejected with :class:`InvalidDate`.
"""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from kenpo_cli.errors import InvalidDate

# The years a date may fall in: from the first year of Meiji to well past any
# expiry a card or certificate can have. Outside them, adding the rules' months
# and days could run off the calendar (year 9999), and no real document is dated.
EARLIEST = date(1868, 1, 1)
LATEST = date(2199, 12, 31)


class Era(NamedTuple):
    """One Japanese era: its name, its one-letter abbreviation and its first and last day."""

    name: str
    letter: str
    first: date
    last: date | None


# Meiji is taken from its proclamation (1868-10-23); the later eras from the day each began.
ERAS: tuple[Era, ...] = (
    # (the day an era changed is both eras' on paper: 明治45年7月30日 is 大正元年7月30日,
    # 大正15年12月25日 昭和元年12月25日; 昭和64年1月7日 was 昭和's last day alone)
    Era("明治", "m", date(1868, 10, 23), date(1912, 7, 30)),
    Era("大正", "t", date(1912, 7, 30), date(1926, 12, 25)),
    Era("昭和", "s", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "h", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "r", date(2019, 5, 1), None),
)
_ERA_BY_KEY = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS} | {e.name[0]: e for e in ERAS}

# Dashes NFKC leaves alone but people (and IMEs) type between numbers.
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))

_WESTERN = r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)"
_ERA_DATE = (
    r"(明治|大正|昭和|平成|令和|[明大昭平令mtshr])\.?\s*(元|\d{1,2})"  # (R.8.4.1 too)
    r"(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)"
)
_TODAY = frozenset({"today", "今日", "きょう", "本日"})
# What a spreadsheet cell holds for "no date" (a date fact not given), and what a member
# types for "I don't know yet" (the wizard's date questions say: leave it blank then).
NO_DATE = frozenset(
    {"-", "--", "なし", "無し", "無", "不明", "未定", "n/a", "na", "none", "unknown"}
    | {"わからない", "分からない", "わかりません", "分かりません", "?"}
    # (as typed in English, after normalise: spaces gone, a ’ for the apostrophe too)
    | {"dontknow", "don'tknow", "don’tknow", "idontknow", "idon'tknow", "idon’tknow"}
    | {"notknown", "notsure"}
)
# The time of a date-time, and a weekday in brackets, as spreadsheets add them.
# (A time that cannot be, 25:00 or 午前13:00, is left on, and the date is then unreadable.)
_TIME = (
    r"(?:t|\s+)(?:(?:午前|午後)\s*(?:0?\d|1[0-2])|(?:[01]?\d|2[0-3])):[0-5]\d"
    r"(?::[0-5]\d(?:\.\d+)?)?(?:\s*(?:am|pm))?(?:z|[+-]\d{2}:?\d{2})?"
)
# Digits apart: "2026/1/1 1" is not 2026-01-11, whatever the spaces were for.
_DIGITS_APART = r"\d\s+\d"  # compiled when first searched (re caches it)
_WEEKDAY = r"\s*\((?:[月火水木金土日](?:曜日?)?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)\)"
# A note that the day is planned, not yet come: (予定), （見込み）, 予定. The date stands.
_PLANNED = re.compile(r"\s*(?:\((?:予定日?|見込み?|仮)\)|予定)$")
# Excel's serial day numbers: 1955 to 2099 (beyond, a 5-digit number is not a date).
SERIAL_FIRST, SERIAL_LAST = 20090, 73050
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01, after Excel's false 1900-02-29


def normalise(text: str) -> str:
    """Fold full-width characters, odd dashes, case and spaces so forms compare equal."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return "".join(folded.split()).lower()


def is_no_date(text: str) -> bool:
    """Whether a cell says "no date" (``-``, ``なし``, ``不明`` …): the fact is not given."""
    return normalise(text) in NO_DATE


_WEEKDAYS = {**dict(zip("月火水木金土日", range(7), strict=True)), "mon": 0, "tue": 1, "wed": 2,
             "thu": 3, "fri": 4, "sat": 5, "sun": 6}  # fmt: skip


def _date_key(text: str) -> tuple[str, int | None]:
    """``text`` folded, with a spreadsheet's time of day and weekday taken off, and the
    weekday it names (Monday is 0), if any."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES).strip().lower()
    # Excel's mark for "text, not a number" (kenpo's own CSV output puts it on formulas).
    folded = folded.removeprefix("'")
    named = None
    if "予" in folded or "見込" in folded or "仮" in folded:  # 2026/11/30（予定）: the date
        folded = _PLANNED.sub("", folded)
    if ":" in folded or "(" in folded:  # a time of day, or a weekday, to take off
        time, weekday = _extras()
        folded = time.sub("", folded)
        if found := weekday.search(folded):
            day = found.group(0).strip().strip("()")
            named = _WEEKDAYS.get(day[:1]) if not day.isascii() else _WEEKDAYS.get(day[:3])
            folded = folded[: found.start()]
    if re.search(_DIGITS_APART, folded):
        return folded, named  # spaces kept: no date reads so, and it is refused
    return "".join(folded.split()), named


def parse_date(text: str, field: str, today: date | None = None, *, fast: bool = True) -> date:
    """Read ``text`` as a date for ``field``; ``today`` answers the word "today".

    The shapes most cells of an HR sheet have are read by a fast branch
    (:func:`quick_date`); everything else, and what that branch does not read, by the
    general one below (``fast=False``: it alone, for the tests that compare the two).

    Raises :class:`InvalidDate` naming ``field`` for anything unreadable or impossible.
    """
    if fast and (made := quick_date(text)) is not None:
        return made
    key, weekday = _date_key(text)
    if key in _TODAY:
        if today is None:
            raise InvalidDate(field, text)
        parsed: date | str = today
    else:
        parsed = _parse_normalised(key)
    if isinstance(parsed, str):
        raise InvalidDate(field, text, parsed)
    if weekday is not None and parsed.weekday() != weekday:  # a typo in the day or the weekday
        right = f"{parsed.isoformat()}({'月火水木金土日'[parsed.weekday()]})"
        raise InvalidDate(field, text, "weekday", day=right)
    return parsed


@lru_cache(maxsize=4096)
def _parse_normalised(key: str) -> date | str:
    """The date ``key`` means, or the kind of problem (cached: batch files repeat dates)."""
    if digits := _plain_iso_digits(key):
        # The common case, without compiling the patterns below (one-shot calls are timed).
        return _make(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if _is_serial(key):
        return EXCEL_EPOCH + timedelta(days=int(key.split(".")[0]))
    western, era_date = _patterns()
    if m := western.fullmatch(key):
        year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
        return _make(int(year), int(month), int(day))
    if m := era_date.fullmatch(key):
        era = _ERA_BY_KEY[m.group(1)]
        era_year = 1 if m.group(2) == "元" else int(m.group(2))
        month, day = m.group(3) or m.group(5), m.group(4) or m.group(6)
        if era_year < 1:
            return "era"
        made = _make(era.first.year + era_year - 1, int(month), int(day))
        if isinstance(made, date) and not _within(era, made):
            return "era"
        return made
    if re.fullmatch(_NO_YEAR, key):  # ３月３１日, 3/31: a day of some year
        return "no_year"
    return "format"


_NO_YEAR = r"\d{1,2}(?:月\d{1,2}日?|[-/.]\d{1,2})"  # compiled on first use (re caches it)


def _plain_iso_digits(key: str) -> str:
    """The eight digits of ``2026-11-26`` or ``20261126``; "" for any other shape."""
    if len(key) == 10 and key[4] == "-" and key[7] == "-":
        digits = key[:4] + key[5:7] + key[8:]
    elif len(key) == 8:
        digits = key
    else:
        return ""
    return digits if digits.isascii() and digits.isdigit() else ""


def _is_serial(key: str) -> bool:
    whole, _, part = key.partition(".")
    if not (len(whole) == 5 and whole.isascii() and whole.isdigit()):
        return False
    if part and not (part.isascii() and part.isdigit()):
        return False
    return SERIAL_FIRST <= int(whole) <= SERIAL_LAST


@lru_cache(maxsize=1)
def _extras() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_TIME + "$"), re.compile(_WEEKDAY + "$")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_WESTERN), re.compile(_ERA_DATE)


def _make(year: int, month: int, day: int) -> date | str:
    if not EARLIEST.year <= year <= LATEST.year:
        return "range"
    try:
        return date(year, month, day)
    except ValueError:
        return "impossible"


def _within(era: Era, day: date) -> bool:
    return era.first <= day and (era.last is None or day <= era.last)


def to_wareki(day: date) -> str:
    """``day`` written the Japanese way, e.g. ``令和8年11月26日`` (元年 for the first year)."""
    for era in reversed(ERAS):
        if day >= era.first:
            year = day.year - era.first.year + 1
            shown = "元" if year == 1 else str(year)
            return f"{era.name}{shown}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def _month_end(year: int, month: int) -> date:
    """The last day of ``month`` of ``year``."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _shifted(day: date, months: int) -> tuple[int, int]:
    """The year and month ``months`` months after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


@lru_cache(maxsize=4096)
def month_end_after(day: date, months: int) -> date:
    """The last day of the month ``months`` months after the month containing ``day``:
    3 after 2026-11-15 is 2027-02-28, 3 after 2027-11-30 is 2028-02-29."""
    return _month_end(*_shifted(day, months))


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` months earlier (the month's last day when it
    has no such day): three months before 2026-11-30 is 2026-08-30, before 2026-05-31 is
    2026-02-28."""
    year, month = _shifted(day, -months)
    return date(year, month, min(day.day, _month_end(year, month).day))


# ---- the fast branch -------------------------------------------------------------
# A sheet of a hundred thousand people holds tens of thousands of different date cells
# (a 資格取得日 for every day of forty years, typed as 2026/4/1, R8.4.1, 令和8年4月1日(水)
# or an Excel serial number), so a cache of cells does not help: each must be read, and
# the general branch folds and tries every form it knows, which costs several times
# what a row's other work does. The fast branch reads the common shapes directly and
# answers ``None`` for anything else — another shape, a date that does not exist, one
# outside its era or outside the years kenpo takes — which the general branch then
# reads or refuses with its messages.

# Full-width digits and separators as NFKC folds them (the general parser folds so too).
_WIDE = str.maketrans("０１２３４５６７８９／．－", "0123456789/.-")
_ERA = {key: era for era in ERAS for key in (era.name, era.name[0], era.letter, era.letter.upper())}
_ERA_NAMES = "|".join(sorted(_ERA, key=len, reverse=True))
_QUICK = (
    # 2026-11-26, 2026/4/1, 2026.4.1, 2026年4月1日, with a time as spreadsheets add it
    r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日)"
    r"(?:[T ](?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)?"
    # 令和8年4月1日(水), R8.4.1, 令8.4.1, H30.4.1, R08/11/26, 令和元年5月1日, R.8.4.1
    rf"|({_ERA_NAMES})\.?(元|[0-9]{{1,2}})(?:([-/.])([0-9]{{1,2}})\9([0-9]{{1,2}})"
    r"|年([0-9]{1,2})月([0-9]{1,2})日)"
    r"(?:\(([月火水木金土日])(?:曜日?)?\)|（([月火水木金土日])(?:曜日?)?）)?"
)
# Shapes read by taking off what surrounds a date: a weekday after a western date
# (2026/11/26(木)), a time with 午前/午後 (2026/11/26 午前0:00:00, as Excel writes it).
_AROUND = (
    r"([0-9]{4}([-/.])[0-9]{1,2}\2[0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日)"
    r" ?(?:[(（]([月火水木金土日])(?:曜日?)?[)）])?"
    r"(?:[T ](?:(?:午前|午後) ?(?:1[0-2]|0?[0-9])|(?:[01]?[0-9]|2[0-3]))"
    r":[0-5][0-9](?::[0-5][0-9])?)?"
)
_SERIAL_ZERO = EXCEL_EPOCH.toordinal()


def _compile_match(raw: str) -> re.Match[str] | None:
    """_match on its first use: compiled then (one-shot runs are timed), then itself."""
    global _match
    _match = re.compile(_QUICK).fullmatch
    return _match(raw)


def _compile_around(raw: str) -> re.Match[str] | None:
    global _match_around
    _match_around = re.compile(_AROUND).fullmatch
    return _match_around(raw)


_match: Callable[[str], re.Match[str] | None] = _compile_match
_match_around: Callable[[str], re.Match[str] | None] = _compile_around


_FIRST, _LAST = EARLIEST.year, LATEST.year
# The numbers the pattern's groups hold (a month, a day, a year of an era, of the
# calendar), looked up: int() costs several times more, and this runs for most cells.
_NUMBER = {str(n): n for n in range(100)} | {f"{n:02d}": n for n in range(10)}
_NUMBER |= {str(n): n for n in range(_FIRST, _LAST + 1)}
_number = _NUMBER.__getitem__
_WEEKDAY_CHARS = "月火水木金土日"
_from_iso = date.fromisoformat
_from_ordinal = date.fromordinal


def quick_date(raw: str) -> date | None:
    """:func:`parse_date`'s fast branch: the date of a cell in one of the common shapes,
    read directly; ``None`` for anything else (the general branch then reads it or says
    what is wrong). tests/unit/test_batch_dates.py checks the two agree on every form."""
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
    m = _match_around(raw)
    if m is None:
        return None
    made = quick_date(m.group(1))
    weekday = m.group(3)
    if made is not None and weekday and _WEEKDAY_CHARS.index(weekday) != made.weekday():
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
    if weekday and _WEEKDAY_CHARS.index(weekday) != made.weekday():
        return None  # the general parser says the weekday is not the date's
    return made if _FIRST <= made.year <= _LAST else None


def months_after(day: date, months: int) -> date:
    """The same day of the month ``months`` months later (the month's last day when it
    has no such day): two months after 2026-12-31 is 2027-02-28."""
    year, month = _shifted(day, months)
    return date(year, month, min(day.day, _month_end(year, month).day))


# Excel's empty date: a date cell holding 0 (a VLOOKUP of a blank cell, a cleared
# formula's result) is shown as 1900/1/0, or as 0:00:00 under a time format, and
# exported so; a workbook's reader gives it as the time 00:00:00. It says no date.
_EXCEL_EMPTY = (  # compiled when first matched (re caches it): not on a one-shot call
    r"0{8}|9{8}|0|(?:1900(?:([-/.])0?1\1|年0?1月)0?0日?|0000([-/.])0?0\2(?:0?0))?(?:(?<=.) ?|^)"
    r"(?:(?:午前 ?)?0?0:00(?::00)?(?: ?am)?)?"
)


def excel_empty_date(raw: str) -> bool:
    """Whether a date cell holds Excel's empty date: ``0``, ``1900/1/0``, ``1900-01-00``,
    ``00:00:00``, ``0:00``, ``1900/1/0 0:00:00`` (full width, or with 午前, alike); or a
    database's, ``0000-00-00`` (with its ``00:00:00``), PCA's ``00000000``, or a mainframe's
    ``99999999`` (no end)."""
    text = raw.translate(_WIDE).strip().lower().replace("：", ":")
    return bool(text) and re.fullmatch(_EXCEL_EMPTY, text) is not None
