"""``kenpo batch``: one verdict per row of an HR office's sheet, streamed.

Rows are read, judged and written one at a time, so memory does not grow with the
file. The sheet is taken as HR systems export it: UTF-8, CP932 or UTF-16, comma or
tab separated, title rows above the header, headings in their own spellings
(kenpo_cli/batch/header.py). A bad row gets an ``error`` naming every bad cell, and the
others still get their verdicts (kenpo_cli/batch/judge.py, kenpo_cli/batch/writers.py).
"""

from __future__ import annotations

import contextlib
import errno
import io
import itertools
import operator
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple, Protocol, cast

from kenpo_cli.batch.csvrows import (
    ENCODINGS_SHOWN,
    FIELD_LIMIT,
    LINE_LIMIT,
    SAMPLE,
    UNDECIDED,
    LateDecoding,
    Malformed,
    Records,
    WithoutPadding,
    detect_encoding,
    encoding_named,
    escapes,
    line_ending,
    open_text,
    sniff_delimiter,
    unsupported_encoding,
    utf8_lines,
    utf16_byte_order,
)
from kenpo_cli.batch.header import (
    BACK_READ,
    NOTHING_SAID,
    SURROGATE,
    Header,
    Numbered,
    column_table,
    fact_of,
    find_header,
    heading_key,
    is_my_number_column,
    looks_like_a_status,
    looks_like_dependants,
    looks_like_either_card,
    note_value,
    parse_map,
    read_header,
)
from kenpo_cli.batch.judge import CODED, COUNTED, Judged, Row, RowError, RowJudge, uncounted
from kenpo_cli.batch.rows import BLANK, Ids, id_form, is_footer, not_a_person, total_ends
from kenpo_cli.batch.tasks import URGENCIES
from kenpo_cli.batch.writers import CsvWriter, JsonlWriter, headings, picker
from kenpo_cli.batch.xlsx import SheetRecords, is_workbook
from kenpo_cli.core.dates import is_no_date, normalise, quick_date
from kenpo_cli.core.facts import (
    FACT_BY_NAME,
    _lookup,
    assumed,
    check_as_of,
    excel_text,
    parse_fact,
)
from kenpo_cli.core.model import ActionKind, Coverage, Holding, Item, Notice, Status, YesNo
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import ExitStatus, KenpoError, os_reason, shown_file
from kenpo_cli.i18n import DEFAULT_LANG, Messages
from kenpo_cli.io import safeio
from kenpo_cli.io.calendar_file import counters, name_columns
from kenpo_cli.privacy import (
    DATE_TIME,
    DIGIT_CLASS,
    MASK,
    NUMBER_CLASS,
    TWELVE_DIGITS,
    echoed,
    masked,
    terminal_data,
)

if TYPE_CHECKING:
    from kenpo_cli.batch.workbook import WorkbookWriter
    from kenpo_cli.io.calendar_file import CalendarOrder, RowHook

    Writer = JsonlWriter | CsvWriter | WorkbookWriter

__all__ = ["Header", "Judged", "Row", "RowJudge", "is_my_number_column", "read_header", "run"]

FORMATS = ("jsonl", "csv", "xlsx")
# Before _screen looks for a マイナンバー: whether there are twelve digits at all, in one
# pass (the possessive runs never backtrack): most rows have fewer (benchmarks/batch.py).
# Digits as kenpo_cli/privacy.py counts them (superscripts and circled digits included).
_TWELVE_DIGITS = re.compile(TWELVE_DIGITS)
_NUMBER_LIKE = re.compile(f"[{NUMBER_CLASS}]")  # ⑫, ➀…: digits in one character
# The same within one cell of the pass-through cells joined by _JOIN: an id and a date
# (E0001234, 2026/04/01) have twelve digits together, and a マイナンバー is in one cell.
_JOIN = "\x1f"
# A cell that is a time stamp and nothing else (最終更新日時 on every row) is passed over
# here, as privacy.masked passes it: its fourteen digits are a date and a time of day.
# (Its spaces exclude the joint, which str patterns count as a space.)
_STAMP = DATE_TIME.replace(r"\s", rf"[^\S{_JOIN}]")
_TWELVE_IN_A_CELL = re.compile(
    rf"(?:^|{_JOIN})(?![ \t\u3000]*{_STAMP}[ \t\u3000]*(?:{_JOIN}|$))"
    rf"(?:[^\d{DIGIT_CLASS}{_JOIN}]*+[\d{DIGIT_CLASS}]){{12}}"
)


def _might_hold_my_number(text: str) -> bool:
    # privacy.might_hold_my_number, inline for every row: twelve plain digits, or a
    # character that stands for digits (only in a row that is not ASCII).
    return bool(_TWELVE_DIGITS.match(text) or (not text.isascii() and _NUMBER_LIKE.search(text)))


class Masks(Protocol):
    """Where the columns a マイナンバー was masked in are named (a Summary, a Tally)."""

    masked: list[str]


@dataclass
class Summary:
    rows: int = 0
    errors: int = 0
    collect: int = 0  # 資格確認書, as cards (the dependants' one each)
    other_returns: int = 0  # the collect sheet's other documents (an old 保険証)
    loss_reports: int = 0
    renewals: int = 0
    no_doctor: int = 0  # members who cannot see a doctor on the day (the 受診できない sheet's)
    unknown_doctor: int = 0  # members whose coverage hangs on a fact they do not know
    family_unknown: int = 0  # leavers whose dependants' number was not given: not counted
    maybe: int = 0  # people with a step for a document that may not exist: not counted
    blank: int = 0  # records with every cell empty: not people
    totals: list[int] = field(default_factory=list)  # lines of 合計 rows: not people either
    repeated: list[list[int]] = field(default_factory=list)  # lines of each repeated id
    id_column: str = ""  # the column the ids are in
    factless: list[int] = field(default_factory=list)  # lines judged on defaults alone
    headers: list[int] = field(default_factory=list)  # lines repeating the header (a page's)
    titles: list[int] = field(default_factory=list)  # lines of one cell and no fact: a title
    footers: list[int] = field(default_factory=list)  # 出力日,2026/12/06: no fact, a margin
    written: int = 0
    masked: list[str] = field(default_factory=list)
    # collect, loss_reports, renewals and other_returns, each split as overdue, now, later
    split: tuple[list[int], ...] = field(default_factory=lambda: tuple([0] * 3 for _ in range(4)))
    empty_dates: list[str] = field(default_factory=list)  # columns with Excel's 1900/1/0
    no_id: int = 0  # people judged with no id where the sheet has ids (a footer's counts?)
    no_id_lines: list[int] = field(default_factory=list)  # the first of them
    turning_75: Noted = field(default_factory=lambda: Noted())  # 75th birthdays soon
    undated: Noted = field(default_factory=lambda: Noted())  # left, with no leaving day
    old_leavers: Noted = field(default_factory=lambda: Noted())  # 75 after leaving
    contracts: Noted = field(default_factory=lambda: Noted())  # contract ended, no leaving


class Only(NamedTuple):
    """``--only``: the steps a row must have one of to be written, each as (action, item,
    urgency) with ``""`` for any (``overdue:return`` is ("return", "", "overdue"))."""

    wanted: frozenset[tuple[str, str, str]]

    def keeps(self, judged: Judged) -> bool:
        # An urgency alone (--only overdue) is the office's work list: its tasks (returns,
        # loss reports, renewal notices to members), not a leaver's own 国保 deadline;
        # with an action (overdue:submit) it is any such step, whoever's it is.
        return any(
            (not action or action == s[0])
            and (not item or item == s[1])
            and (not level or level == s[2])
            and (action or item or not level or s[3])
            for s in judged.steps
            for action, item, level in self.wanted
        )


_ONLY_ACTIONS = {
    "持参": "carry", "携帯": "carry", "保管": "keep", "返却": "return", "回収": "return",
    "処分": "dispose", "廃棄": "dispose", "提出": "submit", "更新": "renew", "確認": "check",
    "問い合わせ": "contact", "問合せ": "contact",
}  # fmt: skip


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


_URGENCY_WORDS = {
    "overdue": "overdue", "期限切れ": "overdue", "期限超過": "overdue", "超過": "overdue",
    "now": "now", "今すぐ": "now", "いますぐ": "now", "今": "now",
    "later": "later", "今後": "later", "あとで": "later",
}  # fmt: skip


_KAKUNINSHO_FAMILY = (Item.DEPENDANTS_KAKUNINSHO.value, Item.FOUND_KAKUNINSHO.value)


def parse_only(values: Sequence[str]) -> Only | None:
    """``--only return,submit:kakuninsho_loss_report,overdue:return`` (repeatable): an
    action, perhaps with an item, perhaps after an urgency (or an urgency alone); a usage
    error names what is not an action or an item, with the accepted codes."""
    wanted: set[tuple[str, str, str]] = set()
    known_actions, known_items = {k.value for k in ActionKind}, {i.value for i in Item}
    if any(not value.replace(",", "").replace("，", "").strip() for value in values):
        raise KenpoError("empty_value", field="--only", example="return:kakuninsho")
    ja = Messages(DEFAULT_LANG)
    # The Japanese an office writes: --only 返却:資格確認書 is --only return:kakuninsho.
    words = {**_ONLY_ACTIONS, **{_folded(ja.item(code)): code for code in known_items}}
    for value in values:
        for part in filter(None, (p.strip() for p in value.replace("，", ",").split(","))):
            level, rest = "", part.lower().replace("：", ":")
            first, _, after = rest.partition(":")
            if _folded(first) in _URGENCY_WORDS:
                level, rest = _URGENCY_WORDS[_folded(first)], after
                if not rest:
                    wanted.add(("", "", level))
                    continue
            action, _, item = rest.partition(":")
            action, item = words.get(_folded(action), action), words.get(_folded(item), item)
            if action not in known_actions:
                accepted = ", ".join([*sorted(known_actions), *URGENCIES])
                raise KenpoError("batch_only_action", value=echoed(part), accepted=accepted)
            if item and item not in known_items:
                accepted = ", ".join(sorted(known_items))
                raise KenpoError("batch_only_item", value=echoed(part), accepted=accepted)
            wanted.add((action, item, level))
            if item == Item.KAKUNINSHO:  # every 資格確認書: the dependants', a found old one
                wanted |= {(action, also, level) for also in _KAKUNINSHO_FAMILY}
    if not wanted:
        return None
    return Only(frozenset(wanted))


class Opened(NamedTuple):
    records: Records | SheetRecords
    rows: Iterator[Numbered]  # each record with its row number, as a spreadsheet shows it
    encoding: str
    delimiter: str
    late: LateDecoding | None  # when the encoding is decided after the first bytes
    escapes: int  # csvrows.escapes() before the file was read
    mixed: tuple[int, ...] = ()  # lines of a UTF-8 file's first bytes that are not UTF-8
    sheet: str = ""  # the sheet read, for a workbook
    head: bytes = b""  # a text file's first bytes (to name its encoding when unread)
    skipped: tuple[str, ...] = ()  # sheets before it with no header (instructions, a cover)
    thin: tuple[str, ...] = ()  # sheets before it laid out as 項目/記入方法 (instructions)
    examples: tuple[str, ...] = ()  # sheets before it holding an example (説明, 記入例)


class _Prefixed(io.RawIOBase):
    """The bytes already read (``head``), then the rest of ``rest``: a sample is read
    without peeking (a pipe's buffer may hold less than the sample)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        return self.rest.readinto(buffer)  # type: ignore[attr-defined, no-any-return]


def open_rows(
    binary: IO[bytes], encoding: str, sheet: str | None = None, name: str = "-"
) -> Opened:
    """The records of ``binary``, with the encoding and the delimiter found (or given);
    of a workbook's sheet (the first, or ``sheet``) for an .xlsx or .xls file.

    Undecodable bytes survive as lone surrogates; broken records come as
    :class:`~kenpo_cli.batch.csvrows.Malformed`.
    """
    codec = encoding_named(encoding)
    if codec is None:
        raise KenpoError("batch_encoding", value=echoed(encoding), accepted=ENCODINGS_SHOWN)
    before = escapes()
    sample = binary.read(SAMPLE)
    if is_workbook(sample):
        from kenpo_cli.batch.xlsx import open_sheet

        book = SheetRecords()
        read, numbered = open_sheet(sample, binary, name, sheet, book)
        return Opened(book, numbered, "xlsx", ",", None, before, (), read)
    if codec == "auto" and (other := unsupported_encoding(sample)) is not None:
        raise KenpoError("unsupported_encoding", file=name, encoding=other)
    mixed: tuple[int, ...] = ()
    if codec == "auto":
        codec = detect_encoding(sample)
        if codec == "utf-8":  # the lines that are not: said on stderr, errors in the output
            mixed = tuple(utf8_lines(sample)[1])
    elif codec == "utf-8" and sample.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    elif codec == "utf-16" and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = utf16_byte_order(sample)  # Python's utf-16 needs a byte-order mark
    raw: io.RawIOBase = _Prefixed(sample, binary)
    if not codec.startswith("utf-16"):
        raw = WithoutPadding(raw)  # zero bytes after the last row: a crash's padding
    buffered = io.BufferedReader(raw, buffer_size=SAMPLE)
    decoder = "utf-8" if codec == UNDECIDED else codec
    delimiter = sniff_delimiter(sample.decode(decoder, errors="replace"))
    records = Records(open_text(buffered, codec, line_ending(sample)), delimiter)
    late = LateDecoding() if codec == UNDECIDED else None
    source: Iterator[list[str] | Malformed] = iter(records)
    if late is not None:
        source = late.rows(source)
    # Numbered as a spreadsheet numbers its rows: one a record, even with a line break
    # inside a cell (the file's lines would differ from Excel's row numbers there).
    return Opened(records, enumerate(source, 1), codec, delimiter, late, before, mixed, "", sample)


def _column(header: Header, i: int) -> str:
    return header.names[i] if i < len(header.names) else f"#{i + 1}"


def _screen(
    cells: list[str],
    pick_passed: Callable[[Sequence[str]], Sequence[str]],
    header: Header,
    summary: Masks,
    encoding: str | None,
    msgs: Messages,
) -> None:
    """Mask every マイナンバー in the output cells, in place; raise for bad bytes or too many
    cells (too few are the empty cells at the end some exports leave out: added back).

    A マイナンバー is looked for once in the pass-through cells (``pick_passed``) joined,
    and cell by cell only when found; undecodable bytes only once a reading met some
    (``encoding``, the one to name, is None before).
    Fact cells are not output: one holding a マイナンバー cannot be a date or a choice,
    so its row gets an error, and :func:`_mask_error_row` masks it there.
    """
    if len(cells) < len(header.names):  # trailing empty cells left out, as some exports do
        cells.extend([""] * (len(header.names) - len(cells)))
    elif len(cells) > len(header.names) and any(cells[len(header.names) :]):
        got, want = str(len(cells)), str(len(header.names))
        raise RowError(msgs("batch", "field_count", got=got, want=want))
    del cells[len(header.names) :]  # empty cells past the last column: a trailing comma
    _plain_text(cells, header)
    _mask_passed(cells, _JOIN.join(pick_passed(cells)), header, summary)
    if encoding is not None and SURROGATE.search("".join(cells)):
        bad = [i for i, cell in enumerate(cells) if SURROGATE.search(cell)]
        _mask_undecoded(cells, bad, header, summary)
        column = ", ".join(_column(header, i) for i in bad)
        raise RowError(msgs("batch", "bad_bytes", column=column, encoding=encoding))


def _mask_undecoded(cells: list[str], bad: list[int], header: Header, summary: Masks) -> None:
    """Mask a cell of bytes the file's encoding cannot read that holds a マイナンバー in
    the other: copied as they are, cp932's full-width １２３ in a UTF-8 file show as
    "�P�Q�R", a letter a digit's byte away (attacker, round four). Whole: its digits
    are no longer where the text's are."""
    for i in bad:
        try:
            raw = cells[i].encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # (a UTF-16 file's lone surrogate: no byte of its own)
            continue
        for other in ("cp932", "utf-8"):
            text = raw.decode(other, "replace")
            if masked(text) != text:
                cells[i] = MASK
                if _column(header, i) not in summary.masked:
                    summary.masked.append(_column(header, i))
                break


def _plain_text(cells: list[str], header: Header) -> None:
    """Excel's text formula in a pass-through cell as the text it shows: ``="0001"`` (how a
    sheet keeps an id's leading zeros) is ``0001``, in place."""
    for i in header.passthrough:
        cell = cells[i] if i < len(cells) else ""
        if len(cell) > 2 and cell.startswith('="') and cell.endswith('"'):
            cells[i] = excel_text(cell)


def _to_screen(passed: str, joins: int) -> bool:
    """Whether a row's pass-through cells (``passed``: joined, ``joins`` joints) need
    :func:`_plain_text` or :func:`_mask_passed`: one has twelve digits of its own and is
    no time stamp, or a ⑫, or the joint itself, or is Excel's ``="0001"``."""
    return bool(
        _TWELVE_IN_A_CELL.search(passed)
        or (not passed.isascii() and _NUMBER_LIKE.search(passed))
        or passed.count(_JOIN) != joins  # a cell holding the joint itself
        or '="' in passed  # Excel's ="0001": the text 0001
    )


def _mask_passed(cells: list[str], passed: str, header: Header, summary: Masks) -> None:
    """Mask the マイナンバー in the pass-through cells (``passed`` is them joined).

    The joined cells told only that some twelve digits are among them: an id and a date
    (E0001234, 2026/04/01) together are. A マイナンバー is masked within its cell, so
    each cell is looked at alone, and searched only when it has twelve digits itself
    (a pass-through 入社日 or 生年月日 column would otherwise cost every row a search).
    """
    if not _might_hold_my_number(passed):
        return
    cols = header.passthrough
    if passed.count(_JOIN) == len(cols) - 1 and (
        passed.isascii() or not _NUMBER_LIKE.search(passed)
    ):
        # Each cell with twelve digits of its own, found by one search of the joined
        # cells (a date-time passed through has them on every row; the others are not
        # looked at again). Names and notes in kanji change nothing; a ⑫ (two digits in
        # one character) does, and such a row is looked at cell by cell.
        for found in _TWELVE_IN_A_CELL.finditer(passed):
            start = found.start()
            i = cols[passed.count(_JOIN, 0, start) + (passed[start] == _JOIN)]
            if (hidden := masked(cells[i])) != cells[i]:
                cells[i] = hidden
                if (name := _column(header, i)) not in summary.masked:
                    summary.masked.append(name)
        return
    for i in header.passthrough:
        cell = cells[i] if i < len(cells) else ""
        if _might_hold_my_number(cell) and (hidden := masked(cell)) != cell:
            cells[i] = hidden
            if (name := _column(header, i)) not in summary.masked:
                summary.masked.append(name)


def _encoding_now(opened: Opened) -> str:
    if opened.late is not None:
        return "utf-8" if opened.late.encoding == UNDECIDED else opened.late.encoding
    return opened.encoding


def _mask(cells: list[str], columns: Iterable[int], header: Header, summary: Masks) -> None:
    for i in columns:
        if i < len(cells) and (hidden := masked(cells[i])) != cells[i]:
            cells[i] = hidden
            if _column(header, i) not in summary.masked:
                summary.masked.append(_column(header, i))


def _mask_error_row(cells: list[str], header: Header, summary: Masks) -> None:
    """Mask every cell of an error row, naming in the summary the columns that held one."""
    _mask(cells, range(len(cells)), header, summary)


def _problem_text(bad: Malformed, msgs: Messages) -> str:
    limits = {"cell_too_long": FIELD_LIMIT, "line_too_long": LINE_LIMIT}
    return msgs("batch", bad.problem, limit=f"{limits.get(bad.problem, 0):,}", reason=bad.detail)


class Progress:
    """A line on a terminal's stderr saying how far the run is (nothing elsewhere)."""

    EVERY = 4096  # rows between looks at the clock

    def __init__(self, msgs: Messages, stream: IO[str] | None) -> None:
        self.msgs, self.stream = msgs, stream
        self.shown_at = time.monotonic()
        self.shown = False

    def __call__(self, rows: int) -> None:
        if self.stream is None or time.monotonic() - self.shown_at < 0.25:
            return
        self.shown_at = time.monotonic()
        self.stream.write("\r" + self.msgs("batch", "progress", rows=f"{rows:,}"))
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.stream is not None and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# A person's row as the reading hands it to the judging: its number in the output, its
# line, its cells (or what is known of a broken record), the encoding to name if its
# cells may hold undecodable bytes (None: the file has had none so far), and whether it
# gives no fact at all (judged on defaults, and said).
Person = tuple[int, int, "list[str] | Malformed", "str | None", bool]
# Rows judged in this process before others share the work (batch/parallel.py): a sheet
# of a couple of hundred people never starts one. Past them the workers inherit the
# caches these rows filled; starting them later (8,192) left one CPU idle for the first
# fifth of a 100,000-row run, and 1,024 still cost ~0.1 s of a 2 s run against 256
# (benchmarks/batch.py).
PARALLEL_FROM = 256


def process(
    header: Header,
    rows: Iterable[Numbered],
    writer: Writer,
    judge: RowJudge,
    *,
    opened: Opened,
    msgs: Messages,
    calendar: RowHook | None = None,
    only: Only | None = None,
    progress: Progress | None = None,
    calendar_column: str | None = None,
    jobs: int = 1,
) -> Summary:
    """Judge every row after the header and write one output row for each (and hand
    its dated steps to ``calendar``); ``only`` keeps the rows with such a step.

    The rows are read, and those that are no person set aside, here (:func:`people`);
    each person is judged and written by :class:`Judging`. With ``jobs`` above one, a
    long sheet's people past the first :data:`PARALLEL_FROM` are judged by that many
    processes, their output written here in the sheet's order (batch/parallel.py)."""
    summary = Summary()
    ids = _ids(header, calendar_column)
    persons = people(header, rows, summary, opened, progress, ids)
    work = Judging(header, writer, judge, msgs, calendar, only)
    if jobs > 1 and calendar is None and isinstance(writer, JsonlWriter | CsvWriter):
        work.run(itertools.islice(persons, PARALLEL_FROM))
        if (more := next(persons, None)) is not None:
            from kenpo_cli.batch.parallel import share

            share(itertools.chain([more], persons), work, jobs)
    else:
        work.run(persons)
    work.tally.into(summary)
    # Named in the order of their columns (as each process met them, else).
    summary.masked.sort(key=header.names.index)
    facts = list(header.facts.values())
    summary.empty_dates = [judge.label(f) for f in sorted(judge.empty_dates, key=facts.index)]
    if ids is not None:
        summary.repeated, summary.id_column = ids.repeated(), header.names[ids.column]
    writer.flush()
    return summary


_ID_FORMS = 64  # people whose ids' forms are noted
_SHOWN_LINES = 5  # lines a note names


def people(
    header: Header,
    rows: Iterable[Numbered],
    summary: Summary,
    opened: Opened,
    progress: Progress | None,
    ids: Ids | None,
) -> Iterator[Person]:
    """The rows that are people (and broken records, which get an error row), numbered;
    blank rows, totals, a header repeated on a new page, titles and footers are set
    aside in ``summary``, and each person's id noted in ``ids``."""
    every = Progress.EVERY - 1 if progress is not None and progress.stream is not None else -1
    width, clean = len(header.names), opened.escapes
    pick, pick_passed = _fact_picker(header), picker(header.passthrough)
    ends = total_ends()
    id_columns = [ids.column] if ids is not None else []
    # A print-style export repeats its header on each page: such rows are not people.
    repeats = [[c.strip() for c in row] for row in header.rows]
    # (any heading: a second table's header, its columns in another order, may begin
    # with another of them)
    heads = {cell for row in repeats for cell in row if cell}
    shuffled = [sorted(filter(None, row)) for row in repeats]
    # Each row's id (社員番号), hashed, beside its line: inline, as this runs on every row.
    at = ids.column if ids is not None else -1
    add_id, add_line = (ids.hashes.append, ids.lines.append) if ids is not None else (id, id)
    forms: set[str] = set()
    # No., 連番: a sheet numbered ahead of its rows has rows that hold only their place
    places = counters(header.names, header.passthrough)
    # A name (氏名 山田) or a date in a fact's column says a row is someone's, whatever
    # its 備考 says (合計2名: not a total row)
    names, dates = (
        name_columns(header.names, header.passthrough),
        [i for i, fact in header.facts.items() if FACT_BY_NAME[fact].is_date],
    )
    first_id = -1  # the first id, when it is a number (a count at the foot is below it)
    n = 0
    for line, cells in rows:
        if isinstance(cells, Malformed):
            n += 1
            yield n, line, cells, None, False
            continue
        first = cells[0] if cells else ""
        if (
            not first
            or first.isspace()
            or first[-1] in ends
            or first[0] == "\x00"
            or "計" in (whole := "".join(cells))
            or "数" in whole  # 人数, 件数: a headcount row
            or "otal" in whole
            or "OTAL" in whole
            or first.strip() in heads
        ):
            stripped = [c.strip() for c in cells]
            if stripped in repeats:
                summary.headers.append(line)  # the header again, on a new page
                continue
            if sorted(filter(None, stripped)) in shuffled:
                # A second table below the first (在籍者, then 退職者), its columns in
                # another order: read by the first header, its rows would get each
                # other's facts (a 資格確認書 read as the マイナ保険証).
                raise KenpoError("batch_second_header", line=str(line), first=str(header.line))
            kind = not_a_person(cells, id_columns, frozenset(forms), names, dates)
            if kind == "blank":
                summary.blank += 1  # every cell empty: not a person
                continue
            if kind == "total":
                summary.totals.append(line)  # 合計, 小計: not a person
                continue
        if at >= 0 and at < len(cells) and (key := cells[at]):
            # 0002, "0002 " and ０００２ are one id (typed, padded, full width).
            add_id(
                hash(key.strip() if key.isascii() else unicodedata.normalize("NFKC", key).strip())
            )
            add_line(line)
        else:
            key = ""
        n += 1
        if n & every == 0 and progress is not None:
            progress(n)
        encoding = None if escapes() == clean else _encoding_now(opened)
        if len(cells) < width:  # trailing empty cells left out, as some exports do
            cells.extend([""] * (width - len(cells)))
        factless = not "".join(pick(cells)).strip()
        if key and n <= _ID_FORMS and not factless:
            forms.add(id_form(key))  # the forms of the first ids (a total's count has another)
            if first_id < 0 and (digits := key.strip(BLANK)).isdecimal():
                first_id = int(digits)
        if (
            factless  # a 合計 or a note row, or a person with no data
            and not any(cells[width:])  # (else an error row: too many cells)
            and (encoding is None or not SURROGATE.search("".join(cells)))  # (bad bytes)
        ):
            del cells[width:]
            if places and all(i in places for i, c in enumerate(cells) if c.strip(BLANK)):
                summary.blank += 1  # only its place in the list (No. 2, the rest empty)
                if ids is not None and at < len(cells) and cells[at]:
                    ids.hashes.pop()  # its id was noted
                    ids.lines.pop()
                n -= 1
                continue
            if key and _a_count(cells, at, forms, n - 1, first_id):
                summary.totals.append(line)  # =SUBTOTAL(3,…) under the ids: 8, no one
                if ids is not None:
                    ids.hashes.pop()
                    ids.lines.pop()
                n -= 1
                continue
            _plain_text(cells, header)
            _mask_passed(cells, _JOIN.join(pick_passed(cells)), header, summary)
            title = _a_title(cells)  # 社員一覧 2/2ページ: a page's title, not a person
            if title or is_footer(cells):  # 出力日,2026/12/06: the sheet's margin
                (summary.titles if title else summary.footers).append(line)
                if ids is not None and at < len(cells) and cells[at]:
                    ids.hashes.pop()  # its id was noted
                    ids.lines.pop()
                n -= 1
                continue
        if at >= 0 and not key:  # a person without an id where the others have one
            summary.no_id += 1
            if len(summary.no_id_lines) < _SHOWN_LINES:
                summary.no_id_lines.append(line)
        yield n, line, cells, encoding, factless
    summary.rows = n


@dataclass
class Noted:
    """People stderr names: how many, and the first lines (a process sharing the work
    counts its own; added together, the first lines of all stay in the sheet's order)."""

    count: int = 0
    lines: list[int] = field(default_factory=list)

    def note(self, line: int) -> None:
        self.count += 1
        if len(self.lines) < _SHOWN_LINES:
            self.lines.append(line)

    def add(self, other: Noted) -> None:
        self.count += other.count
        self.lines = sorted(self.lines + other.lines)[:_SHOWN_LINES]

    def shown(self) -> str:
        return _lines(self.lines, more=self.count > _SHOWN_LINES)


@dataclass
class Tally:
    """What judging rows adds to the summary (a process sharing the work sends its own)."""

    errors: int = 0
    written: int = 0
    factless: list[int] = field(default_factory=list)  # lines judged on defaults alone
    masked: list[str] = field(default_factory=list)  # columns a マイナンバー was masked in
    counts: list[int] = field(default_factory=lambda: [0] * COUNTED)  # rows by counted()
    turning_75: Noted = field(default_factory=lambda: Noted())  # 75th birthdays soon
    undated: Noted = field(default_factory=lambda: Noted())  # left, with no leaving day
    old_leavers: Noted = field(default_factory=lambda: Noted())  # 75 after leaving
    contracts: Noted = field(default_factory=lambda: Noted())  # contract ended, no leaving

    def into(self, summary: Summary) -> None:
        """Add it to ``summary`` (once, at the end)."""
        summary.errors += self.errors
        summary.written += self.written
        summary.factless += self.factless
        summary.turning_75.add(self.turning_75)
        summary.undated.add(self.undated)
        summary.old_leavers.add(self.old_leavers)
        summary.contracts.add(self.contracts)
        summary.masked += [name for name in self.masked if name not in summary.masked]
        _add_counts(summary, self.counts)


class Judging:
    """Each person's row screened (a マイナンバー masked), judged and written, its
    verdict counted in :attr:`tally`."""

    def __init__(
        self,
        header: Header,
        writer: Writer,
        judge: RowJudge,
        msgs: Messages,
        calendar: RowHook | None,
        only: Only | None,
    ) -> None:
        self.header, self.writer, self.judge, self.msgs = header, writer, judge, msgs
        self.calendar, self.only = calendar, only
        self.tally = Tally()
        self.judged_row = judge.row
        self.seen = 0  # rows judged here (the judge's trial ends at judge.TRIAL)
        self.reasons = _reason_columns(header)
        # 返却状況 (返却日): a word it cannot read refused
        self.backs = [*header.back.values(), *header.back_more]
        self.leaving = leaver_test(header)  # (... on a leaver's row: a member's is not read)
        # (a sheet without a status or a leaving day: a reason saying one left is refused)
        self.unplaced = not _LEAVING_FACTS & set(header.facts.values())
        self.not_members = _not_member_columns(header)
        self.born = _birth_column(header)
        self.contracts = _contract_columns(header)
        self.renewal = _renewal_column(header) if self.contracts else -1
        self.last_days = frozenset(i for i in self.contracts if "最終" in header.names[i])
        status_at = next((k for k, (i, f) in enumerate(header.facts.items()) if f == "status"), -1)
        self.on_leave: Callable[[Sequence[str]], bool] = lambda got: (
            status_at >= 0 and bool(_LEAVE.search(got[status_at]))
        )
        self.deaths = _death_columns(header)
        self.notes = _note_columns(header)
        # 喪失原因 columns, whose cells may be the 資格喪失届's code alone (5: 死亡)
        self.coded = frozenset(i for i in self.reasons if "喪失" in header.names[i])
        self.hours = _hours_column(header)
        # A 連絡可否 column of its own beside the 返却状況 (which may say 連絡取れず too)
        self.away_at = next(
            (k for k, (i, f) in enumerate(header.facts.items()) if f == "unreachable"), -1
        )
        self.away_at = self.away_at if header.back_reach is None else -1
        cols = list(header.facts)
        self.lost_at = next((cols.index(i) for i, f in header.facts.items() if f == "left_on"), -1)
        self.age = _age_column(header)  # (read where no birth date says more)
        # 年齢(R6.4.1時点): the years since that day are added
        self.aged = _years_since(header.names[self.age], header.back_by) if self.age >= 0 else 0

    def run(self, persons: Iterable[Person]) -> None:
        """Judge and write ``persons``, in order."""
        header, writer, judge, msgs = self.header, self.writer, self.judge, self.msgs
        calendar, only, tally = self.calendar, self.only, self.tally
        counts = tally.counts
        pick, pick_passed = _fact_picker(header), picker(header.passthrough)
        joins = max(len(header.passthrough) - 1, 0)  # _JOINs between the pass-through cells
        width = len(header.names)
        judged_row, seen = self.judged_row, self.seen
        reasons, not_members, born, contracts = (
            self.reasons, self.not_members, self.born, self.contracts
        )  # fmt: skip
        rehire = header.rehire if header.rehire is not None else -1
        backs, own, back_by = self.backs, header.back_words, header.back_by
        unplaced = self.unplaced
        for n, line, cells, encoding, factless in persons:
            if isinstance(cells, Malformed):
                tally.errors += 1
                tally.written += 1
                writer.error(n, line, cells.cells, _problem_text(cells, msgs))
                continue
            seen += 1
            if seen == judge.TRIAL:
                judged_row = self.judged_row = judge.trial_over()
            try:
                if len(cells) != width or encoding is not None:
                    _screen(cells, pick_passed, header, tally, encoding, msgs)
                elif _to_screen(passed := _JOIN.join(pick_passed(cells)), joins):
                    if '="' in passed:
                        _plain_text(cells, header)
                    _mask_passed(cells, passed, header, tally)  # (the common row: inline)
                facts = pick(cells)
                for at in backs:
                    said = cells[at].strip()
                    if said and back_code(said, own, back_by) is None and self.leaving(facts):
                        _unread_back(cells, at, header, msgs)
                if backs and self.leaving(facts):
                    _card_never_given(cells, header, msgs)
                    if self.away_at >= 0:
                        _reach_contradicts(cells, facts, self.away_at, backs, header, msgs)
                for at in self.notes:
                    if (note := cells[at]) and _members_death(note):
                        _died(cells, at, header, msgs)
                if factless:
                    tally.factless.append(line)
                if (
                    self.age >= 0
                    and (born < 0 or typed_day(cells[born], header.back_by) is None)
                    and (years := _years(cells[self.age])) is not None
                    and years + self.aged >= 75
                ):
                    _not_a_member(cells, self.age, "row_age_75", header, msgs)
                if (
                    self.hours >= 0
                    and (week := _hours(cells[self.hours])) is not None
                    and week < 20
                ):
                    # 週の勤務時間 1.5: not insured (健康保険法 第3条第1項第9号)
                    _not_a_member(cells, self.hours, "row_not_insured", header, msgs)
                for at in self.deaths:  # 死亡日: a day there is a death, as 死亡退職 is
                    died = typed_day(cells[at], header.back_by)
                    if died is not None and died <= header.back_by and died.year > 1900:
                        _died(cells, at, header, msgs)  # (2099/12/31, 生存, 0: no death)
                for at in reasons:
                    if (said := cells[at]) and _DEATH_MARKS.search(_compact(said)):
                        _died(cells, at, header, msgs)
                    if at in self.coded and (code := said.strip().translate(_WIDE_DIGITS)):
                        # 資格喪失届's codes: 5 死亡, 7 75歳到達 (4 退職等: a leaver as ever)
                        if code == "5":
                            _died(cells, at, header, msgs)
                        if code == "7":
                            _not_a_member(cells, at, "reason_aged_75", header, msgs)
                    if said and _AGED_75_MARKS.search(unicodedata.normalize("NFKC", said)):
                        _not_a_member(cells, at, "reason_aged_75", header, msgs)
                    if said and _MOVED_WITHIN.search(said):
                        # 退職 with 退職理由 店舗異動: a shift system's move between stores
                        _not_a_member(cells, at, "reason_transfer", header, msgs)
                    if (
                        unplaced
                        and said
                        and not _NO_REASON.fullmatch(unicodedata.normalize("NFKC", said).strip())
                    ):
                        _unplaced_leaver(cells, at, header, msgs)
                for at, marks, code in not_members:
                    said = unicodedata.normalize("NFKC", cells[at]).strip().lower()
                    said = said.rpartition("→")[2].strip()  # 業務委託→正社員: what it is now
                    if marks is _NOT_INSURED:  # (either word, or neither: an error)
                        if said and not (
                            self.lost_at >= 0
                            and _DIGIT.search(facts[self.lost_at])
                            and _MOVED_ON.search(said)
                        ):  # (出向先健保 with a 資格喪失日: this 健保's until that day)
                            _insured_or_not(cells, at, said, header, msgs)
                    elif marks.fullmatch(said) and not (marks is _ANYONE and _SELF.fullmatch(said)):
                        _not_a_member(cells, at, code, header, msgs)
                    elif (
                        marks is _DEPENDANT_KINDS
                        and (_NOT_INSURED_KIND.search(said) or _SHORT_HOURS.search(said))
                        and not (
                            self.lost_at >= 0
                            and _DIGIT.search(facts[self.lost_at])
                            and _MOVED_ON.search(said)
                        )  # (出向（出向先健保） with a 資格喪失日: this 健保's leaver)
                    ):
                        _not_a_member(cells, at, "row_not_insured", header, msgs)
                    elif marks is _DEPENDANT_KINDS and ("派遣" in said or "dispatch" in said):
                        _not_a_member(cells, at, "row_agency_staff", header, msgs)
                    elif marks is _DEPENDANT_KINDS and _SECONDED_IN.search(said):
                        _not_a_member(cells, at, "row_seconded_in", header, msgs)
                row: Row = judged_row(facts)
                extra: list[Notice] = []  # (the row's own warnings: judged afresh once)
                family = False
                if born >= 0 and (
                    seventy_five := aged_75(cells[born], row.as_of, row.facts.left_on, SOON_75)
                ):
                    if seventy_five == UNREAD_BIRTH:
                        _not_a_member(cells, born, "row_birth_unread", header, msgs)
                    if seventy_five <= max(row.as_of, row.facts.left_on or row.as_of):
                        _aged_75(cells, born, seventy_five, row.as_of, header, msgs)
                    # Judged as of today, and said on the row too (and on stderr)
                    extra.append(Notice("turns_75", (("day", str(seventy_five)),)))
                    tally.turning_75.note(line)
                elif born >= 0 and (left := row.facts.left_on) is not None:
                    # 75 after leaving: the 国保 or 任意継続 of its steps lasts to the day before
                    later = aged_75(cells[born], row.as_of, None, SOON_75)
                    if later is not None and later != UNREAD_BIRTH and later > left:
                        key = "turns_75_after_leaving"
                        key = key if later > row.as_of else "turned_75_after_leaving"
                        extra.append(Notice(key, (("day", str(later)),)))
                        tally.old_leavers.note(line)
                if row.facts.left_on is None and "status" in row.assumed:
                    # 区分 退職 beside no status: read as a member, a leaver
                    for at, marks, _ in not_members:
                        if marks is _DEPENDANT_KINDS and _LEAVER_WORDS.get(
                            normalise(cells[at])
                        ) in (Status.LEFT, Status.LEAVING):
                            _not_a_member(cells, at, "reason_without_day", header, msgs)
                if reasons and row.facts.left_on is None and "status" in row.assumed:
                    # 在籍区分 and 退職日 blank, 退職理由 定年退職: read as a member, a leaver.
                    for at in reasons:
                        said = cells[at]
                        if said and not _NO_REASON.fullmatch(
                            unicodedata.normalize("NFKC", said).strip()
                        ):
                            _not_a_member(cells, at, "reason_without_day", header, msgs)
                if (
                    rehire >= 0
                    and row.facts.status is Status.LEFT
                    and row.facts.left_on is not None
                    and (back := typed_day(cells[rehire], row.as_of)) is not None
                    and row.facts.left_on - timedelta(days=1) <= back <= row.as_of
                ):  # 退職 with a rehire after its day: left again, or the status not updated
                    _not_a_member(cells, rehire, "rehire_but_left", header, msgs)
                if backs and row.facts.dependants and self.leaving(facts):
                    said = next((c for at in backs if (c := cells[at].strip())), "")
                    if (
                        said
                        and back_code(said, own, back_by) == "none"  # (not 紛失（家族分含む）)
                        and _family_returned(said, row.facts.dependants)
                    ):
                        family = True  # 回収済（家族分含む）
                if row.facts.left_on is None and row.facts.status is Status.ENROLLED:
                    for at in self.notes:  # 備考 10月末退職 beside no leaving day: said
                        if (
                            (note := cells[at])
                            and "退職" in note  # (most notes: no word of leaving at all)
                            and _NOTE_LEFT.search(note)
                            and _NOTE_DAY.search(note)
                        ):
                            shown = (("column", echoed(header.names[at])), ("note", echoed(note)))
                            extra.append(Notice("note_says_leaving", shown))
                            break
                if row.facts.status is Status.LEFT and row.facts.left_on is None:
                    tally.undated.note(line)  # 退職 with the day left blank: said on stderr
                elif contracts and row.facts.left_on is None:
                    if self.renewal >= 0 and _NOT_RENEWED.search(
                        unicodedata.normalize("NFKC", cells[self.renewal])
                    ):  # 更新区分 雇止め beside a 契約満了日: a leaver whose day is not typed
                        ends = [typed_day(cells[at], row.as_of) for at in contracts]
                        if any(ends):
                            _not_a_member(cells, self.renewal, "contract_not_renewed", header, msgs)
                    for at in contracts:  # 契約満了日 passed, no leaving day: renewed, or left
                        ended_on = typed_day(cells[at], row.as_of)
                        if at in self.last_days and self.on_leave(facts):
                            continue  # 最終出勤日 of someone on 産休 or 休職: no leaving
                        if self.renewal >= 0 and _RENEWED.fullmatch(
                            unicodedata.normalize("NFKC", cells[self.renewal]).strip()
                        ):
                            continue  # 更新区分 更新済: renewed, as the warning would ask
                        if ended_on is not None and ended_on < row.as_of:
                            shown = (("day", str(ended_on)), ("column", echoed(header.names[at])))
                            extra.append(Notice("contract_ended", shown))
                            tally.contracts.note(line)
                            break
                if extra or family:
                    row = self.judge.amended(row, tuple(extra), family)
            except RowError as err:
                tally.errors += 1
                tally.written += 1
                _mask_error_row(cells, header, tally)
                writer.error(n, line, cells, str(err))
                continue
            judged = row.judged
            counts[judged.counted] += 1
            if only is not None and not only.keeps(judged):
                writer.skip()
                continue
            tally.written += 1
            writer.verdict(n, line, cells, row)
            if calendar is not None and judged.dated:
                calendar(n, cells, judged.dated, judged.audience, row.as_of)
        self.seen = seen


def _screenable(header: Header) -> list[int]:
    """The pass-through columns that may set a row aside: not one --map left unread."""
    out = set(header.left_out)
    return [i for i in header.passthrough if i not in out]


def _reason_columns(header: Header) -> list[int]:
    """The pass-through columns saying why a person left (退職理由, 喪失事由, 退職種別,
    資格喪失原因: SmartHR, freee and 奉行 keep a death there, not in the status)."""
    from kenpo_cli.batch.header import heading_key

    return [
        i
        for i in _screenable(header)
        if (
            re.search("退職|退社|喪失|離職|脱退|退任|離任", key := heading_key(header.names[i]))
            and re.search("理由|事由|区分|種別|原因|事情", key)
        )
        or key in ("事由", "理由")
    ]


def _note_columns(header: Header) -> list[int]:
    """The pass-through columns of notes (備考, メモ, 摘要): a death written there (死亡
    退職（11/30逝去）, 本人死亡) is refused as one in a reason column is."""
    from kenpo_cli.batch.header import heading_key

    return [i for i in _screenable(header) if _NOTES.match(heading_key(header.names[i]))]


# (転帰: a 労災 sheet's outcome; 異動区分: a transfer's kind, 帰任 and 役員就任 no leaving)
_NOTES = re.compile("備考|メモ|摘要|コメント|特記|連絡事項|転帰|異動|note|memo|remark")


# A leaving reason's cell that says no one left (a list of staff with the column empty
# or marked so): any other word says the person left.
_NO_REASON = re.compile("[-－ー―—]*|なし|無し?|該当なし|対象外|在籍中?|在職中?|現職|0")
# The facts that say whether and when a person leaves: a reason column beside none of
# them cannot be judged (a 退職区分 of 定年退職 would be read as a member).
_LEAVING_FACTS = frozenset({"status", "left_on", "retired_on"})


def _unplaced_leaver(cells: Sequence[str], at: int, header: Header, msgs: Messages) -> None:
    """Refuse a row whose leaving reason says the person left, on a sheet with no column
    saying whether or when: judged at the defaults, a leaver would be a member."""
    name = header.names[at]
    raise RowError(msgs("error", "reason_without_status", field=name, value=echoed(cells[at])))


# What a leaving reason says of a death, however an office words it (死亡退職, 在職死亡,
# 本人死亡, 病死, 逝去のため, 永眠, 亡くなった); a note of a relative's death is in 備考.
_DEATH_MARKS = re.compile("死|逝去|永眠|亡くな|他界|殉職|急逝|物故|亡")
# A note saying the member died (a family member's death is another's: 父死亡 is not read).
_DEATH_NOTE = re.compile(
    "死亡(?!保険|保障|弔慰|見舞|一時金|診断|時|退職金|ではない|でない)|死去|逝去|永眠|他界|亡くな"
    "|殉職|急逝|物故|病死|事故死|急死|死没|故人|自殺|自死"
)
# A note that says the person left (10月末退職, R8.11.30付で自己都合退職, 退職済み（手続き中）),
# not a payment's (退職金) nor a previous job's (前職を退職).
_NOTE_LEFT = re.compile(
    "^(?!.*(?:前職|前社|前の会社|前勤務)).*退職(?!金|手当|所得|給付|一時金|年金|予定なし|しない)"
)
_NOTE_DAY = re.compile("[0-9０-９]|済|末")
_DEATH_CHARS = re.compile("[死逝眠界亡殉故]")  # (each word above has one)
# Whose death a note says when not the member's (父 死亡, 配偶者の逝去, 妻死去).
_KIN_BEFORE = re.compile(
    "(?:父|母|妻|夫|子|弟|妹|兄|姉|祖父|祖母|義父|義母|配偶者|家族|親族|扶養者|被扶養者|長男|長女"
    "|次男|次女|孫|親)(?:様|さん)?(?:の)?$"
)


def _members_death(note: str) -> bool:
    """Whether a death a note tells of is the member's own: 父 死亡のため扶養削除 is a
    father's, 本人死亡 and 11/25 現場にて殉職 the member's (死 亡, a space or an invisible
    character between, too)."""
    if not _DEATH_CHARS.search(note):
        return False  # (most notes: no character any such word is written with)
    text = _compact(note)
    for found in _DEATH_NOTE.finditer(text):
        if not _KIN_BEFORE.search(text[max(0, found.start() - 8) : found.start()]):
            return True
    return False


def _compact(text: str) -> str:
    """``text`` folded (NFKC) without spaces or invisible characters (死<ZWSP>亡)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


# A leaving reason that is a move within the employer (店舗異動, 転勤, 健保継続): no leaving.
_LEAVE = re.compile("休|産前|産後|育児|介護|療養")  # (a status word of leave)
_MOVED_WITHIN = re.compile(
    "店舗異動|店舗間異動|部署異動|社内異動|配置転換|配転|転勤|健保継続|人事異動"
)
# A leaving reason that is the 75th birthday (75歳到達, 後期高齢者医療の被保険者となったため).
_AGED_75_MARKS = re.compile("75歳|後期高齢")


def _unread_back(cells: Sequence[str], at: int, header: Header, msgs: Messages) -> None:
    """Refuse a row whose 返却状況 word is none kenpo reads, naming that column (not the
    資格確認書 it is read over) and the --map that says what the word means."""
    name, value = header.names[at], echoed(cells[at].strip())
    word = unicodedata.normalize("NFKC", cells[at])
    # (the example's meaning as the word reads: 返した is back, 本人が紛失 lost)
    code = "lost" if "紛失" in word or "なくし" in word else "out"
    code = "returned" if code == "out" and re.search("返|戻|回収|受取|受領|預かり", word) else code
    raise RowError(msgs("error", "back_word", field=name, value=value, code=code))


def _card_never_given(cells: Sequence[str], header: Header, msgs: Messages) -> None:
    """Refuse a leaver's row whose 資格確認書 cell says none (無) while its 回収状況 says the
    card is still out or lost: which card it means is not known (an old-card list's
    紛失 made a 滅失・回収不能届 for a 資格確認書 never issued)."""
    for card, status in header.back.items():
        if card == status or _lookup(Holding).get(normalise(cells[card])) is not Holding.NONE:
            continue  # (a leavers' log's one column says it once)
        for at in (status, *header.back_more):
            said = cells[at].strip()
            code = back_code(said, header.back_words, header.back_by) if said else NOTHING_SAID
            if code in ("held", "lost"):
                raise RowError(
                    msgs(
                        "error", "back_contradicts", card=header.names[card],
                        value=echoed(cells[card]), back=header.names[at], said=echoed(said),
                    )
                )  # fmt: skip
            if code not in (NOTHING_SAID, "unreachable"):
                break


def _reach_contradicts(
    cells: Sequence[str],
    facts: Sequence[str],
    away_at: int,
    backs: Sequence[int],
    header: Header,
    msgs: Messages,
) -> None:
    """Refuse a leaver's row whose 連絡可否 says reachable (可) while its 返却状況 says
    not (連絡取れず): read either way, a card or a 回収不能届 is lost from the lists."""
    reach = facts[away_at].strip()
    if not reach:
        return
    words = {**_lookup(YesNo), **header.values.get("unreachable", {})}
    if words.get(normalise(reach)) is not YesNo.NO:
        return
    for at in backs:
        said = cells[at].strip()
        if said and back_code(said, header.back_words, header.back_by) == "unreachable":
            column = next(i for k, i in enumerate(header.facts) if k == away_at)
            raise RowError(
                msgs(
                    "error", "reach_contradicts", back=header.names[at], said=echoed(said),
                    column=header.names[column], value=echoed(reach),
                )
            )  # fmt: skip


def _died(cells: Sequence[str], at: int, header: Header, msgs: Messages) -> None:
    """Refuse a row whose leaving reason is a death (死亡退職), as the status is refused:
    the steps after leaving are the member's own (国民健康保険, 任意継続)."""
    name = header.names[at]
    raise RowError(msgs("error", "reason_deceased", field=name, value=echoed(cells[at])))


# A 続柄 column: every word but the employee's own (本人) is a family member's (妻, 二女,
# 養女, 継母, 子の配偶者, 同居人…: a family list names them as the 戸籍 does).
# The employee's own words, alone or two together (被保険者（本人）, 本人・被保険者, 本人/社員);
# the cell is NFKC-folded first (（） are ()).
_OWN = "(?:本人|被保険者|被保険者本人|世帯主|従業員|社員|職員)(?:様|さん)?"
_SELF = re.compile(f"{_OWN}(?:[・/,、 ]?{_OWN}|\\({_OWN}\\))?|[-－ー―]|なし|無し?")
_ANYONE = re.compile(".+")
# A 区分 / 本人・家族 column: the words of a dependant's row.
_DEPENDANT_KINDS = re.compile(
    "被扶養者?|扶養|扶養家族|扶養者|家族|妻|夫|配偶者|子|(?:長|次|二|三)(?:男|女)"
    "|被扶養者[(（].*[)）]"
)
# A 区分, 雇用区分 or 雇用形態 that says the person is not insured with the 健保: パート
# (社保無), 社保未加入, 扶養内 (in a spouse's insurance), 業務委託 (no employee). (派遣 is
# refused apart: on the host's list another 健保's member, on an agency's own list its
# own; judged as a member, a host's 派遣 staff were chased for a 資格確認書. The agency
# says so once, with --map '雇用区分=-'.)
# Seconded in from another company (出向受入, 受入出向): most stay with their own company's
# insurance (whoever pays them decides): not judged as this 健保's on the host's list.
# Hours a week under twenty (学生アルバイト（週12h）): not insured (健康保険法 第3条第1項第9号).
_SHORT_HOURS = re.compile("週 ?(?:[0-9]|1[0-9]) ?(?:h|時間)(?![0-9])")
_SECONDED_IN = re.compile("出向.{0,4}受け?入|受け?入れ?.{0,4}出向")
_NOT_INSURED_KIND = re.compile(
    "(?:社保|社会保険|健保|健康保険|保険)(?:加入)?(?:未加入|非加入|なし|無し?|対象外|適用外|非適用"
    "|適用除外|×|✕|未)"
    "|未加入|非加入|適用除外|国保|国民健康保険|扶養内|業務委託|個人事業主|外注|委託|準委任|請負"
    "|フリーランス|外部パートナー|委任|無報酬|無給|(?<![a-z])ses(?![a-z])|contractor|freelance"
    "|^(?:ta|sa)$|ティーチング・?アシスタント|スチューデント・?アシスタント"
    "|(?<!非)学生(?!で(?:は)?ない|以外)"
    "|クロスアポイント|兼務|本務先"
    "|20 ?(?:h|時間) ?未満|日雇|日々雇"  # (short hours: 健康保険法 第3条第1項第9号)
)
# A 社会保険 column that says the person is not insured (パート, 短時間: 適用外; a 0 of 1/0).
_NOT_INSURED = re.compile(
    "未加入|非加入|加入なし|加入無し|対象外|適用外|非適用|適用除外|非該当|資格なし|資格無し?"
    "|国保|国民健康保険|扶養内|被扶養者?|なし|無し?|×|✕|未|0|false|いいえ|no|否"
    "|加入しない|加入していない|加入せず"  # (freee: 加入する / 加入しない)
    "|協会けんぽ|協会健保|全国健康保険協会|他健保|他組合|他の健保|出向先.*|転籍先.*|喪失|喪失済み?"
    "|雇用保険のみ|雇保のみ|労災のみ|厚生年金のみ"
)
# ... and what says they are (a blank too). Any other word is not guessed: an error row.
_INSURED = re.compile(
    "加入|加入済み?|加入中|適用|適用済み?|対象|該当|有り?|あり|○|〇|◯|●|✓|✔|レ|1|true|yes|はい"
    "|健保|社保|健康保険|社会保険|加入する|加入している|加入手続き?中"
    "|当健保|当組合|当健康保険組合|自社健保|本健保|当社健保|一般|一般被保険者|当法人健保|当法人"
    "|当組合継続|当健保継続|継続"
    "|健保・厚年加入|健保・厚年|健保のみ|健康保険のみ|健保厚年加入"
)
_NOTE = re.compile(r"\s*\(.*\)\s*$")  # 未加入(パート), ×(扶養内): the word before the note


# A column of one of the employee's family members, in an export that puts the family
# beside the employee (SmartHR, freee: 家族1 続柄, 家族2 氏名, 扶養家族(1) 続柄).
_FAMILY_N = re.compile(r"(?:家族|扶養者|被扶養者|扶養|親族)\s*[(\[]?\s*[0-9]+")


def _not_member_columns(header: Header) -> list[tuple[int, re.Pattern[str], str]]:
    """The pass-through columns that can say a row is no member of the 健保: a 続柄 (a
    family list's row for a wife or a child), a 区分 or 本人・家族 of 被扶養者, a 社会保険
    加入 of 未加入 (a part-timer not insured). Such a row gets an error saying so, not the
    verdict of a member it is not (任意継続 and 国保 steps for a dependant). A 扶養区分
    (the employee's own tax dependants: 配偶者, 一般) says nothing of the row."""
    from kenpo_cli.batch.header import heading_key

    found = []
    for i in _screenable(header):
        key = heading_key(header.names[i])
        if _FAMILY_N.search(unicodedata.normalize("NFKC", key)):
            continue  # 家族1 続柄: the employee's family member, one column each (SmartHR)
        if "続柄" in key or "続き柄" in key:
            found.append((i, _ANYONE, "row_dependant"))  # (本人 is let through: _SELF)
        elif re.search("扶養|税|性別|男女", key) or _BEFORE.match(key) or _NOT_OURS.search(key):
            continue  # (the employee's own: 扶養区分, 男女区分; 前職の健康保険: before joining;
            # 転籍先の健保: the next insurer; 健保への送付: a paper's way, not the membership)
        elif re.search(
            "社会保険|社保|健康保険|健保|保険加入|加入保険|^加入区分$|^加入状況$", key
        ) and not re.search(
            "番号|記号|日|名|証|等級|料|額|喪失|取得|原因|理由|事由|確認書|回収|返却|マイナ|お知らせ"
            "|免除|dependent|扶養",
            key,
        ):
            # (before 区分: a 社会保険加入区分 holds 加入 / 未加入, not a family member's kind)
            found.append((i, _NOT_INSURED, "row_not_insured"))
        elif re.search("区分|種別|形態|本人.?家族|^関係$|^家族$", key):
            # (a 雇用区分 or 雇用形態 too: パート(社保無), 業務委託 there are not insured)
            found.append((i, _DEPENDANT_KINDS, "row_dependant"))
    return found


_BEFORE = re.compile("前職|前の|以前|旧|前勤務|前社")
_NOT_OURS = re.compile("転籍先|出向先|次の|移行先|送付|提出|届出|申請|手続")
# An insurer a member moved on to (出向先健保, 協会けんぽ): with a 資格喪失日 on the row,
# the person was this 健保's until that day, and is judged as a leaver.
_MOVED_ON = re.compile("出向先|転籍先|協会けんぽ|協会健保|他健保|他組合|他の健保")
_LEAVER_WORDS = _lookup(Status)  # (a 区分 of 退職: see Judging.run)


def screening_columns(header: Header) -> list[int]:
    """The pass-through columns whose cells can set a row aside (a death in the leaving
    reason, a family member, not insured, 75 or over): copied as they are, and read for
    that alone (stderr names them apart from the columns not read at all)."""
    found = {i for i, _, _ in _not_member_columns(header)}
    found |= {*_reason_columns(header), *([born] if (born := _birth_column(header)) >= 0 else [])}
    found |= set(_contract_columns(header))
    found |= {r} if _contract_columns(header) and (r := _renewal_column(header)) >= 0 else set()
    found |= set(_death_columns(header))
    found |= {age} if (age := _age_column(header)) >= 0 else set()
    found |= {hours} if (hours := _hours_column(header)) >= 0 else set()
    return sorted(found)


def _insured_or_not(
    cells: Sequence[str], at: int, said: str, header: Header, msgs: Messages
) -> None:
    """A 社会保険加入 cell with a note (未加入(パート)) read by its word; a word that says
    neither insured nor not is refused, never read as insured."""
    word = _NOTE.sub("", said)
    if coded := CODED.fullmatch(word):  # 奉行's 1:加入する, 0:加入しない
        word = coded.group(1)
    if _NOT_INSURED.fullmatch(word):
        _not_a_member(cells, at, "row_not_insured", header, msgs)
    if not _INSURED.fullmatch(word):
        _not_a_member(cells, at, "row_insured_unknown", header, msgs)


def _not_a_member(cells: Sequence[str], at: int, code: str, header: Header, msgs: Messages) -> None:
    name = header.names[at]
    raise RowError(msgs("error", code, field=name, value=echoed(cells[at])))


# A fixed-term contract's last day (契約満了日, 契約期間（至）, 雇用期間終了日, 任期満了日,
# a 研修医's 修了日), a last day at work (最終出勤日) or a transfer's (転籍日): past, with no
# leaving day, the person may have left.
_CONTRACT_END = re.compile(
    "契約(?:期間)?の?(?:終了|満了|期限|末日|至)|契約期間\\(?至|雇用期間の?(?:終了|満了|至)"
    "|雇用期間\\(?至|任期の?(?:満了|終了|至)|(?:研修)?修了(?:予定)?(?:日|年月日)"
    "|最終(?:出勤|勤務|就業)(?:日|年月日)|転籍(?:日|年月日)"
)


def _death_columns(header: Header) -> list[int]:
    """The pass-through columns of a day of death (死亡日, 死亡年月日)."""
    from kenpo_cli.batch.header import heading_key

    return [i for i in _screenable(header) if _DEATH_DAY.fullmatch(heading_key(header.names[i]))]


_DEATH_DAY = re.compile(r"(?:本人)?(?:死亡|逝去)(?:日|年月日|日付)(?:\(.*\))?")


def _renewal_column(header: Header) -> int:
    """The pass-through column saying whether a contract is renewed (更新区分), or -1."""
    from kenpo_cli.batch.header import heading_key

    for i in _screenable(header):
        if _RENEWAL.fullmatch(heading_key(header.names[i])):
            return i
    return -1


_RENEWED = re.compile("更新|更新済み?|更新する|自動更新|更新あり|有|あり|○|済")
_RENEWAL = re.compile("(?:契約)?更新(?:区分|有無|の有無|予定|状況|可否|方針)?|次回(?:契約)?更新")
# A renewal column's word that says the contract ends (雇止め, 更新しない, 満了, 3:契約の更新は
# しない as 奉行 codes it).
_NOT_RENEWED = re.compile(
    "雇止め|雇い止め|更新しない|更新はしない|更新なし|更新無し?|不更新|満了|終了"
    "|^\\s*(?:無し?|なし|×|✕)\\s*$"
)


def _contract_columns(header: Header) -> list[int]:
    """The pass-through columns of a contract's or a term's last day (契約満了日, 修了日,
    最終出勤日, 転籍日)."""
    from kenpo_cli.batch.header import heading_key

    return [i for i in _screenable(header) if _CONTRACT_END.search(heading_key(header.names[i]))]


def typed_day(raw: str, day: date) -> date | None:
    """A day as typed in a column read beside the facts (a contract's last day, a
    rehire's), or None (blank, 無期, a cell that is no date: never an error of its own)."""
    text = raw.strip().lstrip("'")
    if "(" in text or "（" in text:
        text = _outside_brackets(text)[0].strip()  # 2026/10/31（更新なし）
    if not text or is_no_date(text):
        return None
    return _birth_day(text, day)


def _birth_column(header: Header) -> int:
    """The pass-through column of birth dates (生年月日), or -1."""
    from kenpo_cli.batch.header import heading_key

    for i in _screenable(header):
        key = heading_key(header.names[i])
        if _FAMILY.search(key.replace("本人", "")):
            continue  # 配偶者生年月日, 家族1 生年月日: not the member's
        if "生年月日" in key or "誕生日" in key or key in ("birthday", "birthdate", "dob"):
            return i
    return -1


def _years_since(heading: str, day: date) -> int:
    """Whole years from the day an age's heading is dated (年齢(R6.4.1時点)) to ``day``."""
    if day == date.max:
        return 0
    for note in _outside_brackets(heading)[1]:
        then = typed_day(note.replace("時点", "").replace("現在", ""), day)
        if then is not None and then <= day:
            return day.year - then.year - ((day.month, day.day) < (then.month, then.day))
    return 0


def _hours_column(header: Header) -> int:
    """The pass-through column of weekly working hours (週所定労働時間), or -1."""
    from kenpo_cli.batch.header import heading_key

    for i in _screenable(header):
        if _WEEKLY.fullmatch(heading_key(header.names[i])):
            return i
    return -1


_WEEKLY = re.compile(
    r"(?:1)?週(?:の|間)?(?:所定)?(?:労働|勤務|就業)?時間(?:数)?(?:\(.*\))?"
    r"|(?:所定)?(?:労働|勤務)時間\(週\)|週所定"
)
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _hours(raw: str) -> float | None:
    """Hours a week as typed (12, 19.5, 20時間, 1.5h), or None."""
    found = re.fullmatch(
        r"\s*([0-9]{1,2}(?:\.[0-9]+)?)\s*(?:時間|h|hr|hrs)?\s*", unicodedata.normalize("NFKC", raw)
    )
    return float(found[1]) if found else None


def _age_column(header: Header) -> int:
    """The pass-through column of the member's age (年齢, 満年齢), or -1."""
    from kenpo_cli.batch.header import heading_key

    for i in _screenable(header):
        key = heading_key(header.names[i])
        if _AGE.fullmatch(key) and not _FAMILY.search(key.replace("本人", "")):
            return i
    return -1


_AGE = re.compile(r"(?:本人の?|現在の?)?(?:満)?年[齢令](?:\(.*\))?|age")


def _years(raw: str) -> int | None:
    """An age as typed (76, ７６歳, 満80歳, 0080, 80.5, 75（12/1時点）, 80代), or None."""
    text = unicodedata.normalize("NFKC", raw).strip().removeprefix("満").lstrip("0")
    match = re.match(r"([0-9]{1,3})(?![0-9,])", text)
    return int(match[1]) if match else None


# Whose a column is, when not the member's (配偶者生年月日, 扶養家族1生年月日, 子の年齢).
_FAMILY = re.compile("配偶者|妻|夫|子|家族|扶養|父|母|続柄|spouse|family|child")


# What aged_75 gives for a birth date it cannot read, of someone who may be 75 by its year.
UNREAD_BIRTH = date.min

# Days ahead in which a 75th birthday is said on stderr (the row is judged on its day):
# about three months, for the office to prepare the 資格喪失届 and the cards' return.
SOON_75 = 92


def aged_75(raw: str, day: date, left_on: date | None = None, ahead: int = 0) -> date | None:
    """The 75th birthday of someone born on ``raw`` (a cell as typed), if it ends their
    membership: on or before ``day``, or on or before a 資格喪失日 still ahead (or up
    to ``ahead`` days after the later of the two, to be said as coming). From that
    birthday 後期高齢者医療 insures them, and their membership of the 健保 ended that day
    (高齢者の医療の確保に関する法律 第50条・第52条; 健康保険法 第3条第1項の適用除外,
    第36条). None for anyone younger, for someone whose membership had ended before it
    (a 資格喪失日 before the birthday), or a cell that is no date (the column is
    passed through: never an error of its own). Born on 29 February: 1 March in a year
    without one."""
    text = _BORN_SUFFIX.sub("", raw.strip().lstrip("'"))
    if not text:
        return None
    horizon = max(day, left_on) if left_on is not None else day
    horizon += timedelta(days=ahead)
    # Most rows are born in a year too late to be 75 yet: seen from the year alone.
    latest = horizon.year - 75  # the last year of birth that can be 75 by the horizon
    head = text[:4]
    if not head.isascii():
        head = unicodedata.normalize("NFKC", head)  # １９８４
    if head.isdecimal() and int(head) > latest and not (len(text) == 5 and text.isdecimal()):
        return None
    if text[0] in "平令HhRr":  # 平成 (from 1989) and 令和
        return None
    if (showa := _SHOWA.match(text)) and 1925 + int(showa[1]) > latest:
        return None
    born = _birth_day(text, day)
    if born is None:
        # A birth date not read (1950年4月, S25, 25/4/1, S26.2.30) of someone old enough
        # by its year to be 75: whether they are is not guessed (UNREAD_BIRTH).
        return None if is_no_date(text) else UNREAD_BIRTH
    year = born.year + 75
    try:
        birthday = born.replace(year=year)
    except ValueError:  # 29 February
        birthday = date(year, 3, 1)
    if left_on is not None and birthday > left_on:
        return None  # the membership had ended first (国保 or 任意継続 took them on)
    return birthday if birthday <= horizon else None


def _birth_day(text: str, day: date) -> date | None:
    """A birth date as typed: any date form kenpo reads, or an Excel serial number (five
    digits: a birthday is no day of the 21st century's serial range alone)."""
    if len(text) == 5 and text.isdecimal():
        return date(1899, 12, 30) + timedelta(days=int(text))
    born = quick_date(text)
    if born is None:
        try:
            read = parse_fact("joined_on", text, day)
        except KenpoError:
            return None
        born = read if isinstance(read, date) else None
    return born


# 1951年12月1日生, 1951/12/01生まれ: the date before it.
_BORN_SUFFIX = re.compile("(?:生まれ|生)$")
_SHOWA = re.compile("(?:昭和?|[Ss])([0-9]{1,2})")


def _aged_75(
    cells: Sequence[str], at: int, birthday: date, day: date, header: Header, msgs: Messages
) -> None:
    name = header.names[at]
    shown, key = msgs.day(birthday), "row_aged_75" if birthday <= day else "row_aged_75_ahead"
    raise RowError(msgs("error", key, field=name, value=echoed(cells[at]), day=shown))


# An employee number or code: a person with only that cell filled is still judged.
_ID_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./\-]*")


def _a_count(cells: Sequence[str], at: int, forms: set[str], before: int, first: int) -> bool:
    """Whether a row with no fact holds only a count in the id column (a =SUBTOTAL or
    =COUNTA at the foot): a number of another form than the ids above it (8 under
    00101…00108, 2 under 1001 and 1002) and no more than the people above it, or, in
    their form (00003: the ids' number format), the number of them, below the first id
    (``first``, -1 when it is no number)."""
    if any(c.strip(BLANK) for i, c in enumerate(cells) if i != at):
        return False
    cell = unicodedata.normalize("NFKC", cells[at]).strip(BLANK)
    if not cell.isdecimal() or not forms:
        return False
    count = int(cell)
    if id_form(cell) not in forms:
        return 0 < count <= before
    return count == before < first


def _a_title(cells: Sequence[str]) -> bool:
    """Whether a row without facts is a title or a footer (社員一覧 2/2ページ, 2026/11/26
    出力): one cell holds text, and it is no id (a person with only an employee number is
    still judged, and said)."""
    full = [c.strip() for c in cells if c.strip()]
    if len(full) != 1:
        return False
    text = unicodedata.normalize("NFKC", full[0])
    return not _ID_LIKE.fullmatch(text) and (not text.isascii() or " " in text)


def _ids(header: Header, wanted: str | None) -> Ids | None:
    """The rows' ids, to warn of one met twice: in the column the calendar names rows by
    (--id-column), else the first pass-through column headed as an id (社員番号, ID)."""
    from kenpo_cli.io.calendar_file import id_column, looks_like_ids

    try:
        column = id_column(wanted, header.names, header.passthrough)
    except KenpoError:
        return None  # (the calendar says so)
    if column is None or (wanted is None and not looks_like_ids(header.names[column])):
        return None
    return Ids(column)


def _add_counts(summary: Summary, counts: list[int]) -> None:
    for counted, rows in enumerate(counts):
        if not rows:  # (most of the 70,656 numbers: each was unfolded for nothing)
            continue
        cards, collect, loss, renew, other, coverage, family, maybe = uncounted(counted)
        summary.family_unknown += family * rows
        summary.maybe += maybe * rows
        # (The 資格確認書 are counted as cards, not people: a leaver's and their dependants'.)
        weights = (cards, 1, 1, 1)
        for tally, split, weight in zip(
            (collect, loss, renew, other), summary.split, weights, strict=True
        ):
            if tally:
                split[tally - 1] += rows * weight
        summary.collect += cards * rows
        summary.other_returns += bool(other) * rows
        summary.loss_reports += bool(loss) * rows
        summary.renewals += bool(renew) * rows
        summary.no_doctor += rows * (coverage is Coverage.NO)
        summary.unknown_doctor += rows * (coverage is Coverage.UNKNOWN)


def _fact_picker(header: Header) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The fact cells of a row, in header.facts' order: a leaving day's cell left blank
    is its planned twin's (退職予定日 where 退職日 is blank: Header.planned)."""
    cols = list(header.facts)
    if len(cols) > 1:
        get: Callable[[Sequence[str]], tuple[str, ...]] = operator.itemgetter(*cols)
    else:
        col = cols[0]
        get = lambda cells: (cells[col],)  # noqa: E731
    if (
        not header.planned
        and not header.back
        and header.rehire is None
        and not header.later
        and header.rehired_flag is None
    ):
        return get
    flag = header.rehired_flag if header.rehired_flag is not None else -1
    ends = [cols.index(i) for i, f in header.facts.items() if f in ("left_on", "retired_on")]
    yes_words = {w for w, v in _lookup(YesNo).items() if v is YesNo.YES} | {"予定", "希望"}
    latest = [(cols.index(day), later) for day, later in header.later.items()]
    run_day = header.back_by if header.back_by != date.max else date.today()
    twins = [(cols.index(day), planned) for day, planned in header.planned.items()]
    backs = [(cols.index(card), status) for card, status in header.back.items()]
    reach = cols.index(header.back_reach) if header.back_reach is not None else -1
    # (a 連絡可否 column of its own, blank on a row whose 回収状況 says 連絡取れず)
    away_at = next((cols.index(i) for i, f in header.facts.items() if f == "unreachable"), -1)
    away_at = away_at if reach < 0 else -1
    back_by, own, more = header.back_by, header.back_words, header.back_more
    leaving = leaver_test(header)
    rehired = _rehire_reader(header)
    # A 返却状況 read as the 資格確認書 itself (a leavers' log with no such column)
    alone = next((cols.index(c) for c, status in header.back.items() if c == status), -1)

    def pick(cells: Sequence[str]) -> tuple[str, ...]:
        got = get(cells)
        if flag >= 0 and normalise(cells[flag]) in yes_words:
            # 再雇用の有無 有 beside a 定年退職日: re-employed, a member still (同日得喪); a
            # later spell's end (再雇用終了日), read next, is a leaving all the same
            got = tuple("" if i in ends else c for i, c in enumerate(got))
        for at, later in latest:  # 退職日2: a later spell's, over the first's
            best = typed_day(got[at], run_day)
            for column in later:
                said = cells[column] if column < len(cells) else ""
                if (day := typed_day(said, run_day)) is not None and (best is None or day > best):
                    got, best = (*got[:at], said, *got[at + 1 :]), day
        for at, planned in twins:
            if not got[at].strip() and planned < len(cells) and cells[planned].strip():
                got = (*got[:at], cells[planned], *got[at + 1 :])
        if rehired is not None:
            got = rehired(cells, got)
        # 返却済 in 返却状況: a leaver's card is back, whatever 資格確認書 says. A member's 済
        # is of something else (last year's list of old cards, reused): not read.
        if alone >= 0 and not leaving(got):
            got = (*got[:alone], "", *got[alone + 1 :])  # (and no 資格確認書 column says it)
        for at, status in backs if backs and leaving(got) else ():
            for column in (status, *more):  # the first column that says something
                if column < len(cells) and (said := cells[column].strip()):
                    back = back_code(said, own, back_by)
                    if back == "unreachable" and away_at >= 0 and not got[away_at].strip():
                        got = (*got[:away_at], "yes", *got[away_at + 1 :])
                    if back in (NOTHING_SAID, "unreachable"):
                        # "-": nothing recorded, as a blank cell. 連絡取れず says who cannot
                        # be reached, not whether a card was ever sent: the 資格確認書 column
                        # says that (blank for a registered leaver: "if one was issued").
                        continue
                    # (a word not read stays as written: Judging refuses the row, naming it)
                    got = (*got[:at], back or said, *got[at + 1 :])
                    break
        if reach >= 0:  # 連絡取れず: cannot be reached; any other word says nothing of it
            away = any(
                (said := cell.strip()) and back_code(said, own, back_by) == "unreachable"
                for cell in (got[reach], *(cells[c] for c in more if c < len(cells)))
            )
            got = (*got[:reach], "yes" if away else "", *got[reach + 1 :])
        return got

    return pick


def _rehire_reader(
    header: Header,
) -> Callable[[Sequence[str], tuple[str, ...]], tuple[str, ...]] | None:
    """A row's fact cells with a rehire read (再入職日, 再雇用開始日): a leaving day on or
    before it is an earlier spell's, and left out (a part-timer back since June was told to
    join 国保; a retiree rehired as 嘱託 was chased for the card); a rehire by the run's day
    begins the spell judged (its 資格取得日). A status saying the person left is left as it
    is (a leaver again, the day not typed: the row says which)."""
    if header.rehire is None:
        return None
    cols = list(header.facts)
    days = [cols.index(i) for i, f in header.facts.items() if f in ("left_on", "retired_on")]
    joined = next((cols.index(i) for i, f in header.facts.items() if f == "joined_on"), -1)
    status = next((cols.index(i) for i, f in header.facts.items() if f == "status"), -1)
    table = {**_lookup(Status), **header.values.get("status", {})}
    rehire = header.rehire
    own = header.facts.get(rehire) == "joined_on"  # (the sheet's only 資格取得日)
    if not days:
        return None

    def read(cells: Sequence[str], got: tuple[str, ...]) -> tuple[str, ...]:
        run = header.back_by if header.back_by != date.max else date.today()
        said, back = "", None
        for column in (rehire, *header.rehire_more):  # (入社日2, 入社日3: the latest)
            text = cells[column].strip() if column < len(cells) else ""
            if (day := typed_day(text, run)) is not None and (back is None or day > back):
                said, back = text, day
        if back is None:
            return got
        if status >= 0 and table.get(normalise(got[status])) is Status.LEFT:
            return got
        if own and back > header.back_by:
            return got  # (the only 資格取得日 a rehire still to come: the row says which)
        # A rehire still to come ends no leaving but one it follows at once (退職日 12/31,
        # 再雇用 1/1): a leaver of September rehired in April is a leaver until then.
        earlier = [
            d
            for d in days
            if (day := typed_day(got[d], run))
            and day <= back
            and (back <= header.back_by or (back - day).days <= 1)
        ]
        cells_now = list(got)
        for d in earlier:
            cells_now[d] = ""
        first = typed_day(got[joined], run) if joined >= 0 else None
        if joined >= 0 and back <= header.back_by and (first is None or first < back):
            cells_now[joined] = said  # (the spell judged began with the rehire)
        return tuple(cells_now)

    return read


def leaver_test(header: Header) -> Callable[[Sequence[str]], bool]:
    """Whether a row's fact cells (in header.facts' order) say the person leaves or left:
    a leaving day (a cell with a digit: not "-"), or a status word of leaving."""
    cols = list(header.facts)
    days = [cols.index(i) for i, f in header.facts.items() if f in ("left_on", "retired_on")]
    status = next((cols.index(i) for i, f in header.facts.items() if f == "status"), -1)
    table = {**_lookup(Status), **header.values.get("status", {})}
    words = {w for w, v in table.items() if v in (Status.LEFT, Status.LEAVING)}

    def leaving(got: Sequence[str]) -> bool:
        if any(_DIGIT.search(got[d]) for d in days):
            return True
        return status >= 0 and normalise(got[status]) in words

    return leaving


_DIGIT = re.compile(r"[0-9０-９]")


def back_code(said: str, own: Mapping[str, str], back_by: date, notes: bool = True) -> str | None:
    """A 返却状況 cell's word as the 資格確認書 it leaves (``none``: back, ``held``: still
    out, ``lost``), ``unreachable``, or :data:`NOTHING_SAID` (a dash, or a 回収日 after
    the run's day: promised back, not back); the office's own words (``own``) first.
    A word is read past its bracketed notes (回収済み（郵送）, 返却済(本人分のみ)) unless
    a note says otherwise of the card (返却済み（未着）, 未（本人分は済）). None: a word
    not read."""
    word = normalise(said)
    code = own.get(word) or BACK_READ.get(word)
    if code is not None:
        return code
    if (day := quick_date(said)) is None and (dated := _DATED_BACK.fullmatch(said)):
        day = quick_date(dated[1].strip()) or _this_year(dated[1].strip(), back_by)  # 12/3返却
    if day is not None:
        return NOTHING_SAID if day > back_by else "none"  # (回収日 2026/11/3: back)
    if not notes:
        return None
    bare, inside = _outside_brackets(said)
    if not inside or not bare.strip():
        return None
    code = back_code(bare.strip(), own, back_by, notes=False)
    for note in inside if code is not None else ():
        key = normalise(note)
        if "家族" in key:
            continue  # the dependants' cards: read apart (_family_returned)
        told = own.get(key) or BACK_READ.get(key)
        if (told is not None and told != code) or (told is None and _BACK_SAYS.search(key)):
            return None
    return code


_BACK_SAYS = re.compile("未|済|返却|返納|回収|紛失|不能|取れず|着|届")


def _outside_brackets(text: str) -> tuple[str, list[str]]:
    """``text`` outside any brackets, and the outermost bracketed notes, in one pass
    (notes nested a thousand deep cost no recursion)."""
    outside, notes, note, depth = [], [], [], 0
    for c in text:
        if c in "(（":
            if depth:
                note.append(c)
            depth += 1
        elif c in ")）" and depth:
            depth -= 1
            if depth:
                note.append(c)
            else:
                notes.append("".join(note))
                note = []
        elif depth:
            note.append(c)
        elif c not in ")）":
            outside.append(c)
    if depth:
        notes.append("".join(note))  # (an unclosed note to the end)
    return "".join(outside), notes


def _family_returned(said: str, dependants: int) -> bool:
    """Whether a collection cell says the dependants' cards came back with the member's
    (回収済（家族分含む）, 本人・家族とも返却済, 済（3枚）for a member and two)."""
    text = unicodedata.normalize("NFKC", said)
    if _FAMILY_OUT.search(text):
        return False  # 本人分済・家族分未
    if (cards := _CARDS_BACK.search(text)) is not None:
        return int(cards[1]) >= 1 + dependants
    if (kin := _FAMILY_COUNT.search(text)) is not None:
        return int(kin[1]) >= dependants  # 本人＋家族2 of three: one still out
    return _FAMILY_BACK.search(text) is not None


_FAMILY_OUT = re.compile("家族(?:分)?(?:は|の)?(?:未|まだ|待ち|催促|督促|残)")
_FAMILY_BACK = re.compile(
    "家族(?:分)?(?:も|含む|含め|込み|込|共に|とも)|家族全員|全員分?|本人[・+＋と&,、/]家族"
)
_CARDS_BACK = re.compile("([0-9]{1,2}) ?枚")
_FAMILY_COUNT = re.compile("家族(?:分)?([0-9]{1,2})")


def _this_year(said: str, by: date) -> date | None:
    """A day typed without its year (12/3, 12月3日) as the last such day on or before
    ``by`` (the run's day): a card handed back is back in the past."""
    found = _MONTH_DAY.fullmatch(unicodedata.normalize("NFKC", said))
    if found is None or by == date.max:
        return None
    for year in (by.year, by.year - 1):
        with contextlib.suppress(ValueError):
            day = date(year, int(found[1]), int(found[2]))
            if day <= by or (day - by).days <= _PROMISED_DAYS:
                return day  # (12/20返却 on 12/7: this year's, still to come)
    return None


_PROMISED_DAYS = 92  # a day without its year this soon after the run's: still to come


_MONTH_DAY = re.compile(r"(\d{1,2})(?:/|月)(\d{1,2})日?")
_DATED_BACK = re.compile(r"(.+?)\s*(?:に)?(?:返却|回収|受領|返送|受取|着|到着)(?:済み?)?")


def make_judge(
    header: Header,
    *,
    today: date,
    as_of: date,
    pack: RulePack,
    msgs: Messages,
    writer: Writer,
    exact: bool = False,
) -> RowJudge:
    """The judge for this header's fact columns, naming each fact by its heading."""
    columns = [(fact, header.headings[i]) for i, fact in header.facts.items()]
    return RowJudge(
        columns, header.label, today, as_of, pack, msgs, writer.render, exact, header.values
    )


# What -o's extension says the file is (CONTRACT: the extension decides the format).
_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
_TEXT_KINDS = (".tsv", ".txt", ".json", ".tab", ".prn", ".ics")  # another format's names
_WORKBOOKS = (".xlsm", ".xls", ".ods")  # workbooks kenpo does not write (Excel would refuse
# an .xlsx under those names, or run nothing of a macro workbook)


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: the one ``-o``'s extension names (``結果.csv`` is a CSV), else
    ``--format``, else JSON Lines. A ``--format`` that contradicts the extension is
    refused, and so is the extension of a workbook kind kenpo does not write (.xls,
    .xlsm, .ods: a file Excel would refuse to open under that name). A workbook is
    written to a file only (``-o 結果.xlsx``): its bytes are no terminal's."""
    if fmt is not None and fmt not in FORMATS:
        raise KenpoError("bad_option", field="--format", value=fmt, accepted=", ".join(FORMATS))
    name = output.name.rstrip(". ") if output is not None and str(output) != "-" else ""
    suffix = Path(name).suffix.lower() if name else ""  # (out.csv. is out.csv on Windows)
    if suffix in _WORKBOOKS:
        raise KenpoError("batch_output_workbook", file=shown_file(str(output)))
    named = _BY_EXTENSION.get(suffix)
    if named is not None and fmt is not None and fmt != named:
        raise KenpoError(
            "batch_format_extension", file=shown_file(str(output)), fmt=fmt, named=named
        )
    if named is None and fmt is None and suffix in _TEXT_KINDS:
        # 結果.tsv, 結果.txt, 結果.json: JSON Lines under such a name is not what was meant
        raise KenpoError("batch_output_kind", file=shown_file(str(output)))
    chosen = named or fmt or "jsonl"
    if chosen == "xlsx" and not suffix:
        raise KenpoError("batch_xlsx_needs_file", example="-o 結果.xlsx")
    return chosen


def run(
    source: str,
    *,
    fmt: str | None,
    output: Path | None,
    encoding: str,
    as_of: str | None,
    today: date,
    pack: RulePack,
    msgs: Messages,
    ics: CalendarOrder | None = None,
    column_map: Sequence[str] = (),
    only: Sequence[str] = (),
    progress: IO[str] | None = None,
    profile: str | None = None,
    sheet: str | None = None,
    header_row: str | None = None,
    group_by: str | None = None,
    codes: bool = False,
) -> int:
    """The whole ``kenpo batch`` command; returns its exit status."""
    asked_sheet = sheet
    origins: list[str] = []
    at_row: int | None = None
    if profile is not None:  # an HR system's columns and words, written once
        from kenpo_cli.batch.profile import load_profile

        saved = load_profile(profile)
        origins = [f"--profile {shown_file(Path(profile).name)}"] * len(saved.pairs)
        column_map = [*saved.pairs, *column_map]
        encoding = saved.encoding if encoding == "auto" and saved.encoding else encoding
        sheet = sheet if sheet is not None else saved.sheet
        header_row = header_row if header_row is not None else saved.header_row
    if header_row is not None:
        at_row = _header_row(header_row)
    fmt = output_format(fmt, output)
    if group_by is not None and fmt != "xlsx":  # the CSV and JSON Lines keep input order
        raise KenpoError("batch_group_by_format")
    if encoding_named(encoding) is None:
        raise KenpoError("batch_encoding", value=echoed(encoding), accepted=ENCODINGS_SHOWN)
    if as_of is not None and not as_of.strip():  # an unset "$DAY" must not become today
        raise KenpoError("empty_value", field="--as-of", example="2026-11-26")
    day = check_as_of(
        parse_fact("as_of", as_of or "today", today, label="--as-of"), pack, "--as-of"
    )
    mapping = parse_map(column_map, column_table(msgs), msgs, origins)
    mapping.day_given = as_of is not None  # (a 基準日 column then read only if --map names it)
    wanted = parse_only(only)
    from kenpo_cli.batch.parallel import jobs

    workers = jobs()  # (KENPO_JOBS read before any output is begun)
    if ics is not None:
        from kenpo_cli.io.calendar_file import refuse_same_file

        written = None if _to_stdout(output) else output
        refuse_same_file(ics.path, read=source, others={"-o": written})
    binary = _open_source(source)
    meter = Progress(msgs, progress)
    kind: type[Writer] = CsvWriter if fmt == "csv" else JsonlWriter
    if fmt == "xlsx":
        from kenpo_cli.batch.workbook import WorkbookWriter

        kind = WorkbookWriter
    try:
        opened = open_rows(binary, encoding, sheet, source)
        if asked_sheet is not None and not opened.sheet:
            raise KenpoError("batch_sheet_not_workbook", sheet=echoed(asked_sheet))
        # Read the header before creating the output, so a usage error writes nothing.
        first = opened
        reserved = (*kind.reserved, *headings(msgs))  # the CSV's and workbook's too
        while True:
            try:
                header, ahead = find_header(opened.rows, msgs, mapping, reserved, at_row)
                if sheet is None and at_row is None and _lists_facts(header, ahead, msgs, mapping):
                    # 項目/記入方法: an instructions table first, the staff on a later sheet
                    found = _sheet_naming_facts(opened, msgs, mapping, reserved)
                    opened, header, ahead = found or (opened, header, ahead)
                elif sheet is None and at_row is None and _an_example(opened, ahead):
                    # 説明 with a 記入例 table (見本 太郎): the staff on a later sheet
                    found = _sheet_naming_facts(opened, msgs, mapping, reserved, example=True)
                    opened, header, ahead = found or (opened, header, ahead)
                break
            except KenpoError as err:
                if err.code not in ("batch_no_header", "batch_sheet_empty"):
                    raise
                # An instructions sheet (説明) placed first: the next sheet shown is read.
                if sheet is None and (following := _next_sheet(opened)) is not None:
                    opened = following
                    continue
                if err.code == "batch_no_header" and opened is first:
                    _no_header(err, opened, encoding, msgs, source)
                raise
        opened.records.width = len(header.names)
        if isinstance(opened.records, SheetRecords):  # merged cells under it: copied down
            opened.records.header_ends(max(header.line, header.second), ahead)
        inputs = [safeio.id_of_stream(binary)]
        _check_output(output, inputs)
        # The calendar's file is made first: if it cannot be, no output is begun.
        with _calendar(ics, header, pack, msgs) as to_calendar, _output(output, fmt, inputs) as out:
            if kind is JsonlWriter:
                writer: Writer = JsonlWriter(out, header, msgs)
            elif kind is CsvWriter:
                writer = CsvWriter(out, header, msgs, codes=codes)
            else:
                column = _group_column(group_by, header)
                writer = WorkbookWriter(out, header, msgs, group_by=column, codes=codes)
            judge = make_judge(header, today=today, as_of=day, pack=pack, msgs=msgs, writer=writer)
            header.back_by = day
            summary = process(
                header,
                itertools.chain(ahead, opened.rows),
                writer,
                judge,
                opened=opened,
                msgs=msgs,
                calendar=to_calendar,
                only=wanted,
                progress=meter,
                calendar_column=ics.id_column if ics is not None else None,
                jobs=workers,
            )
    finally:
        if binary is not sys.stdin.buffer:
            binary.close()
    meter.done()
    # How the file was read, then what was found: said once the run has gone well (a
    # failure is one clear line).
    # The run's day, said beside a 基準日 column (--as-of's, or today's).
    sys.stderr.write(reading_text(source, header, opened, msgs, ics, day, as_of is not None))
    sys.stderr.write(summary_text(summary, header, opened, msgs, wanted is not None))
    if fmt == "xlsx":  # what Excel's limits kept out of the workbook
        from kenpo_cli.batch.workbook import WorkbookWriter

        if isinstance(writer, WorkbookWriter):
            sys.stderr.write("".join(f"{note}\n" for note in writer.notes()))
    return ExitStatus.ROW_ERRORS if summary.errors else ExitStatus.OK


def _group_column(wanted: str | None, header: Header) -> int | None:
    """``--group-by 所属``: the pass-through column each task sheet adds (its index)."""
    if wanted is None:
        return None
    for i in header.passthrough:
        if header.names[i] == wanted.strip():
            return i
    columns = ", ".join(echoed(header.names[i]) for i in header.passthrough)
    raise KenpoError("batch_group_by_column", column=echoed(wanted), columns=columns)


def _next_sheet(opened: Opened) -> Opened | None:
    """The workbook's next sheet shown after ``opened``'s, to look for the header on
    when ``opened``'s has none (an instructions sheet placed first); None past the last."""
    book = opened.records
    if not isinstance(book, SheetRecords) or book.sheet_at is None:
        return None
    names = book.sheets
    after = names.index(opened.sheet) + 1 if opened.sheet in names else len(names)
    for at in range(after, len(names)):
        if names[at] not in book.hidden:
            name, rows = book.sheet_at(at)
            skipped = (*opened.skipped, opened.sheet)
            return opened._replace(rows=iter(rows), sheet=name, skipped=skipped)
    return None


def _lists_facts(
    header: Header, ahead: list[Numbered], msgs: Messages, mapping: dict[str, str]
) -> bool:
    """Whether a sheet's header is an instructions table's (項目, 記入方法): it names fewer
    than two facts, and two of its rows or more begin with a fact's heading down a column
    of items (在籍状況 / 資格喪失日 / マイナ保険証, each beside how to fill it in)."""
    if len(set(header.facts.values())) >= 2:
        return False
    table = column_table(msgs)
    listed = 0
    for cells in [*header.rows, *(c for _, c in ahead if not isinstance(c, Malformed))]:
        filled = [c for c in cells if c.strip()]
        named = filled and (heading_key(filled[0]) in mapping or fact_of(filled[0], table))
        listed += bool(named) and len(filled) <= 2
    return listed >= 2


# A sheet that shows how to fill the list in, by its name (説明, 記入例) or by a row of its
# table (見本 太郎, サンプル): its table is an example, not the staff.
_EXAMPLE_SHEET = re.compile(
    r"説明|記入例|入力例|記載例|見本|サンプル|使い方|記入方法|^例|例$|sample|example|readme", re.I
)
_EXAMPLE_ROW = re.compile(r"見本|記入例|入力例|記載例|サンプル|^[(（]?例[)）]")


def _an_example(opened: Opened, ahead: list[Numbered]) -> bool:
    """Whether a workbook's sheet read first holds an example table (see _EXAMPLE_SHEET)."""
    if not opened.sheet:
        return False
    name = unicodedata.normalize("NFKC", opened.sheet).strip()
    return bool(_EXAMPLE_SHEET.search(name)) or any(
        _EXAMPLE_ROW.search(unicodedata.normalize("NFKC", cell).strip())
        for _, cells in ahead[:_EXAMPLE_ROWS]
        if not isinstance(cells, Malformed)
        for cell in cells
    )


_EXAMPLE_ROWS = 5  # the rows under the header looked at for 見本


def _sheet_naming_facts(
    opened: Opened,
    msgs: Messages,
    mapping: dict[str, str],
    reserved: Iterable[str],
    example: bool = False,
) -> tuple[Opened, Header, list[Numbered]] | None:
    """The first later sheet shown whose header names two facts or more, with its header
    and the records read past it; ``None`` when there is none. ``opened``'s sheet is
    said to be instructions (or, with ``example``, an example)."""
    thin = opened.thin if example else (*opened.thin, opened.sheet)
    examples = (*opened.examples, opened.sheet) if example else opened.examples
    following = _next_sheet(opened)
    while following is not None:
        try:
            header, ahead = find_header(following.rows, msgs, mapping, reserved)
        except KenpoError:  # a cover, a lookup list: not the staff either
            following = _next_sheet(following)
            continue
        if len(set(header.facts.values())) >= 2:
            shown = following._replace(thin=thin, skipped=opened.skipped, examples=examples)
            return shown, header, ahead
        following = _next_sheet(following)
    return None


def _header_row(value: str) -> int:
    """``--header-row N``: the row the header is on, from 1 (as a spreadsheet numbers it)."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text.isdecimal() or not 1 <= int(text) <= 10_000:
        raise KenpoError(
            "bad_option", field="--header-row", value=echoed(value), accepted="1, 2, 3, …"
        )
    return int(text)


_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|table|\?xml|meta|body|head)\b", re.I)


def _no_header(
    err: KenpoError, opened: Opened, asked: str, msgs: Messages, source: str = "-"
) -> None:
    """Raise a clearer error than "no header" when the cause can be named: a workbook
    whose sheet is a cover (its sheets, and --sheet), or a file written in another
    Japanese encoding than the one it was read as (--encoding)."""
    first = err.params.get("first", "")
    if isinstance(opened.records, SheetRecords):
        others = [name for name in opened.records.sheets if name != opened.sheet]
        if others:
            raise KenpoError(
                "batch_no_header_sheet",
                sheet=echoed(opened.sheet),
                first=first,
                sheets=", ".join(map(echoed, opened.records.sheets)),
                other=echoed(others[0]),
            ) from None
        return
    if _MARKUP.match(opened.head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        # A web system's "Excel" export: an HTML table (or an XML spreadsheet) saved as .xls.
        raise KenpoError("batch_markup", file=shown_file(source)) from None
    if encoding_named(asked) != "auto" or not opened.head:
        return
    table = column_table(msgs)
    for other in ("euc-jp", "cp932", "utf-8", "utf-16"):
        if other == _encoding_now(opened):
            continue
        try:
            text = opened.head.decode(other)
        except UnicodeDecodeError:
            continue
        cells = [c.strip(' "') for line in text.splitlines()[:10] for c in re.split("[,\t]", line)]
        if any(c and fact_of(c, table) is not None for c in cells):
            read = _encoding_now(opened)
            raise KenpoError("batch_no_header_encoding", read=read, encoding=other) from None


def _calendar(
    order: CalendarOrder | None, header: Header, pack: RulePack, msgs: Messages
) -> AbstractContextManager[RowHook | None]:
    """The ``--ics`` calendar's hook for each row (none without --ics). ``--id-column`` is
    checked now; the file is created only when the rows are read."""
    if order is None:
        return nullcontext()
    from kenpo_cli.io.calendar_file import RowCalendar

    return RowCalendar(order, header.names, header.passthrough, pack, msgs).rows()


def _open_source(source: str) -> IO[bytes]:
    if source == "-":
        from kenpo_cli.io.streams import was_closed

        if was_closed(0):  # `<&-`: no file at all, not an empty one
            reason = os_reason(OSError(errno.EBADF, "standard input is closed"))
            raise KenpoError("batch_unreadable", file="-", reason=reason)
        safeio.remember_input(sys.stdin)
        return sys.stdin.buffer
    try:
        binary = open(source, "rb")  # noqa: SIM115 (closed by the caller)
    except OSError as exc:
        raise KenpoError("batch_unreadable", file=source, reason=os_reason(exc)) from None
    safeio.remember_input(binary)
    return binary


def _to_stdout(path: Path | None) -> bool:
    return path is None or str(path) == safeio.STDOUT


def _check_output(path: Path | None, inputs: list[safeio.FileId | None]) -> None:
    """Refuse an output that is the input (``-o staff.csv``, ``>> staff.csv``), or a link."""
    if not _to_stdout(path):
        safeio.check_target(str(path), inputs)
    elif (out := safeio.id_of_stream(sys.stdout)) is not None and out in inputs:
        raise KenpoError("stdout_is_input")


@contextlib.contextmanager
def _output(path: Path | None, fmt: str, inputs: list[safeio.FileId | None]) -> Iterator[IO[str]]:
    """The stream rows are written to: standard output, or a file written whole or not at all.

    Both are UTF-8 (CSV with a BOM, for Excel), whatever the console's encoding.
    """
    newline = "" if fmt in ("csv", "xlsx") else None
    if not _to_stdout(path):
        with safeio.output_file(str(path), newline=newline, inputs=inputs) as out:
            if fmt == "csv":
                out.write("\ufeff")
            yield out
        return
    out, own = safeio.stdout_text(newline)
    try:
        if fmt == "csv":
            out.write("\ufeff")
        # The writers only write and flush: a terminal gets the rows through a filter.
        yield cast(IO[str], _OnTerminal(out)) if _isatty(sys.stdout) else out
        out.flush()
    finally:
        if own:
            with contextlib.suppress(Exception):
                out.close()  # not the descriptor: standard output stays open


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, OSError, ValueError):
        return False


class _OnTerminal:
    """Rows for a person's terminal: a cell's escape sequence is shown, not run."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(terminal_data(text))

    def flush(self) -> None:
        self.out.flush()


_NAMED_COLUMNS = 40  # columns a note names; past them it counts


def _names(header: Header, columns: Iterable[int], msgs: Messages) -> str:
    """The columns' names for a note; past :data:`_NAMED_COLUMNS`, how many more: a
    sheet of 17,000 columns is not 17,000 names on stderr."""
    shown = list(columns)
    names = ", ".join(echoed(header.names[i]) for i in shown[:_NAMED_COLUMNS])
    if len(shown) > _NAMED_COLUMNS:
        names += " " + msgs("batch", "more_columns", n=str(len(shown) - _NAMED_COLUMNS))
    return names


# The facts that decide most verdicts: a sheet without a column for one judges everybody
# at its default, and stderr says so once (each row's "assumed" says it too).
_DECISIVE = ("status", "myna", "kakuninsho", "oshirase", "old_card")


def absent_columns(columns: Iterable[str]) -> list[str]:
    """The decisive facts a sheet has no column for (nor one that settles them)."""
    have = tuple(columns)
    return [f for f in _DECISIVE if f in assumed(have, have)]


def sheet_cells_text(book: SheetRecords, header: Header, msgs: Messages) -> list[str]:
    """What stderr says of a workbook's merged cells copied down, of its numbers shown
    with leading zeros by their format, and of the number columns of an .xls or .ods,
    whose formats are not read (Excel may show 301 as 00301: the file holds 301)."""
    lines = []
    if book.filled:
        shown = ", ".join(book.filled[:5]) + (" …" if len(book.filled) > 5 else "")
        lines.append(msgs("batch", "merged_filled", count=str(len(book.filled)), ranges=shown))
    for at, code in book.padded.items():
        if at < len(header.names):
            column = echoed(header.names[at])
            lines.append(msgs("batch", "zero_padded", column=column, format=echoed(code)))
    if numbers := [i for i in sorted(book.numbers) if i in header.passthrough]:
        lines.append(msgs("batch", "zero_unread", columns=_names(header, numbers, msgs)))
    return lines


def reading_text(
    source: str,
    header: Header,
    opened: Opened,
    msgs: Messages,
    calendar: CalendarOrder | None = None,
    as_of: date | None = None,
    asked: bool = True,
) -> str:
    """What stderr says before the rows: how the file is read, each column's role, and
    (with --ics) the column the calendar's events are titled by. ``as_of`` is the run's
    day (--as-of's when ``asked``, else today): a 基準日 column's days win over today's,
    and over --as-of's where --map named the column (else it is not read): either is
    said."""
    delimiter = msgs("batch", "tab" if opened.delimiter == "\t" else "comma")
    encoding = "ASCII" if opened.encoding == UNDECIDED else opened.encoding
    file = "-" if source == "-" else shown_file(Path(source).name)
    lines = [msgs("batch", "reading", file=file, encoding=encoding, delimiter=delimiter)]
    if opened.sheet:
        lines = [msgs("batch", "reading_sheet", file=file, sheet=echoed(opened.sheet))]
    if opened.skipped:
        skipped = ", ".join(map(echoed, opened.skipped))
        lines.append(msgs("batch", "sheet_skipped", skipped=skipped, sheet=echoed(opened.sheet)))
    if opened.thin:
        thin = ", ".join(map(echoed, opened.thin))
        lines.append(msgs("batch", "sheet_instructions", skipped=thin, sheet=echoed(opened.sheet)))
    if opened.examples:
        example = ", ".join(map(echoed, opened.examples))
        lines.append(msgs("batch", "sheet_example", skipped=example, sheet=echoed(opened.sheet)))
    if isinstance(opened.records, SheetRecords):
        others = [name for name in opened.records.sheets if name != opened.sheet]
        if others:  # the leavers are often on a sheet of their own
            shown = [
                msgs("batch", "hidden_sheet", sheet=echoed(name))
                if name in opened.records.hidden
                else echoed(name)
                for name in others
            ]
            example = echoed(others[0])  # (one not read: the sheet read was no example)
            lines.append(msgs("batch", "other_sheets", sheets=", ".join(shown), example=example))
    if isinstance(opened.records, SheetRecords) and opened.records.hidden_rows:
        hidden = opened.records.hidden_rows
        key = "hidden_rows_filtered" if opened.records.filtered else "hidden_rows"
        lines.append(msgs("batch", key, lines=_lines(hidden), count=str(len(hidden))))
    if isinstance(opened.records, SheetRecords) and opened.records.hidden_columns:
        # A hidden column read as a fact: last year's answers, kept out of sight
        hidden_set = set(opened.records.hidden_columns)
        used = [*header.facts, *header.back.values(), *header.back_more, *header.planned.values()]
        if read_hidden := sorted(i for i in set(used) if i in hidden_set):
            columns = _names(header, read_hidden, msgs)
            lines.append(msgs("batch", "hidden_columns_read", columns=columns))
    if isinstance(opened.records, SheetRecords) and opened.records.lost_digits:
        lost = _lines(opened.records.lost_digits)
        lines.append(msgs("batch", "lost_digits", lines=lost))
    if isinstance(opened.records, SheetRecords) and opened.records.unformatted:
        lines.append(msgs("batch", "unformatted_far_numbers"))
    if isinstance(opened.records, SheetRecords):
        lines.extend(sheet_cells_text(opened.records, header, msgs))
    if opened.mixed:
        bad = _lines(opened.mixed)
        lines.append(msgs("batch", "mixed_encoding", encoding="utf-8", lines=bad, other="cp932"))
    if header.titles:
        lines.append(msgs("batch", "titles", line=str(header.line), titles=str(header.titles)))
    read = [
        f"{echoed(header.headings[i])} → {msgs('fact', fact)}"
        if header.headings[i] != msgs("fact", fact)
        else echoed(header.headings[i])
        for i, fact in header.facts.items()
        if i != header.back_reach  # (a 返却状況: said with the 資格確認書 it is read over)
    ]
    lines.append(msgs("batch", "columns_read", columns=msgs("batch", "list_sep").join(read)))
    for day, planned in header.planned.items():
        said = {"column": echoed(header.headings[day]), "planned": echoed(header.headings[planned])}
        lines.append(msgs("batch", "planned_twin", **said))
    if header.rehire is not None:
        lines.append(msgs("batch", "rehire_read", column=echoed(header.headings[header.rehire])))
    if header.rehired_flag is not None:
        column = echoed(header.headings[header.rehired_flag])
        lines.append(msgs("batch", "rehired_flag_read", column=column))
    for day, later in header.later.items():
        columns = msgs("batch", "list_sep").join(echoed(header.headings[i]) for i in later)
        first = echoed(header.headings[day])
        lines.append(msgs("batch", "later_spell", column=first, later=columns))
    for card, status in header.back.items():
        backs = [echoed(header.headings[i]) for i in (status, *header.back_more)]
        back = msgs("batch", "list_sep").join(backs)
        key = "back_alone" if card == status else "back_twin"
        lines.append(msgs("batch", key, column=echoed(header.headings[card]), back=back))
    absent = absent_columns(header.facts.values())
    if "status" not in (*absent, *header.facts.values()) and any(
        looks_like_a_status(header.headings[i]) for i in header.unread_facts
    ):  # a leaving day's column settles no row whose day is blank
        absent.insert(0, "status")
    if absent:
        shown = [f"{msgs('fact', f)} = {FACT_BY_NAME[f].default}" for f in absent]
        lines.append(msgs("batch", "columns_absent", facts=msgs("batch", "list_sep").join(shown)))
    days = next((i for i, fact in header.facts.items() if fact == "as_of"), None)
    if as_of is not None and days is not None:  # a row's own day is that person's fact
        heading = echoed(header.headings[days])
        key = "as_of_column" if asked else "as_of_column_today"  # (no --as-of: today)
        lines.append(msgs("batch", key, column=heading, day=as_of.isoformat()))
    if (overruled := header.day_overruled) is not None and as_of is not None:
        heading = echoed(header.headings[overruled])
        lines.append(msgs("batch", "as_of_overruled", column=heading, day=as_of.isoformat()))
    if _birth_column(header) < 0:  # no 75th birthday can be seen coming (後期高齢者医療)
        lines.append(msgs("batch", "no_birth_column"))
    if header.hired is not None:  # 入社日 as the 資格取得日
        lines.append(msgs("batch", "hire_as_joined", column=echoed(header.headings[header.hired])))
    if header.flag is not None:  # 退職フラグ: ○ and 1 say 退職
        lines.append(msgs("batch", "leaver_flag", column=echoed(header.headings[header.flag])))
    if header.second:
        lines.append(msgs("batch", "two_rows", line=str(header.line), second=str(header.second)))
    for i, fact, note in header.noted:
        column = echoed(header.headings[i])
        said = {"column": column, "note": note, "fact": msgs("fact", fact), "code": fact}
        if (value := note_value(note, fact)) is not None:  # 資格確認書（返却済）: ○ is none
            lines.append(msgs("batch", "noted_word", value=value, **said))
            continue
        key = "noted_fact_date" if FACT_BY_NAME[fact].is_date else "noted_fact"
        lines.append(msgs("batch", key, **said))
    for i, fact, note in header.noted_read:
        if FACT_BY_NAME[fact].is_date:
            continue  # a date is read as a date, whatever the note: no words to map
        column = echoed(header.headings[i])
        lines.append(msgs("batch", "noted_read", column=column, note=note, code=fact))
    for i, fact in header.other_insurance:
        column = echoed(header.headings[i])
        lines.append(msgs("batch", "other_insurance", column=column, code=fact))
    # A 退職理由, a 雇用形態: said with the screening columns (a 区分 that may hold the
    # status, 身分区分, is also named with the --map that reads it so)
    reasons = set(_reason_columns(header))
    screened = {i for i in screening_columns(header) if not looks_like_a_status(header.headings[i])}
    for i in header.unread_facts:
        if i not in reasons and i not in screened:
            heading = header.headings[i]
            key = "unread_dependants" if looks_like_dependants(heading) else "unread_fact"
            key = "unread_card_either" if looks_like_either_card(heading) else key
            lines.append(msgs("batch", key, column=echoed(heading)))
    for before, after in header.renamed:
        lines.append(msgs("batch", "renamed", column=echoed(before), name=echoed(after)))
    if header.dropped:
        lines.append(msgs("batch", "dropped", columns=_names(header, header.dropped, msgs)))
    if calendar is not None and calendar.id_column is None:
        from kenpo_cli.io.calendar_file import id_column

        by = id_column(None, header.names, header.passthrough)
        titled = echoed(header.names[by]) if by is not None else msgs("calendar", "by_row")
        lines.append(msgs("calendar", "titled_by", column=titled))
    return "\n".join(lines) + "\n"


def _lines(numbers: Sequence[int], more: bool = False) -> str:
    """Up to five line numbers for a note, `` …`` after them if there are more (``more``:
    more than ``numbers`` hold). Fewer are named where the list would read as a valid
    マイナンバー (106, 107, 108, 109: the last guard on stderr would mask it)."""
    shown = list(numbers[:5])
    while len(shown) > 1 and masked(text := ", ".join(map(str, shown))) != text:
        shown.pop()
    cut = more or len(numbers) > len(shown)
    return ", ".join(map(str, shown)) + (" …" if cut else "")


def summary_text(
    s: Summary, header: Header, opened: Opened, msgs: Messages, filtered: bool = False
) -> str:
    """The stderr summary: rows, errors, the HR office's to-do counts and what was left."""
    lines = [
        msgs(
            "batch",
            "summary",
            rows=str(s.rows),
            errors=str(s.errors),
            collect=str(s.collect),
            other=str(s.other_returns),
            loss_reports=str(s.loss_reports),
            renewals=str(s.renewals),
        ),
        msgs("batch", "summary_doctor", no=str(s.no_doctor), unknown=str(s.unknown_doctor)),
    ]
    keys = ("summary_collect", "summary_loss_reports", "summary_renewals", "summary_other")
    totals = (s.collect, s.loss_reports, s.renewals, s.other_returns)
    for key, total, split in zip(keys, totals, s.split, strict=True):
        if total:
            overdue, now, later = map(str, split)
            lines.append(
                msgs("batch", key, count=str(total), overdue=overdue, now=now, later=later)
            )
    if s.family_unknown:
        lines.append(msgs("batch", "summary_family_unknown", people=str(s.family_unknown)))
    if s.maybe:
        lines.append(msgs("batch", "summary_maybe", people=str(s.maybe)))
    if filtered:
        lines.append(msgs("batch", "summary_only", written=str(s.written)))
    if s.blank:
        lines.append(msgs("batch", "summary_blank", blank=str(s.blank)))
    if s.totals:
        count = str(len(s.totals))
        lines.append(msgs("batch", "summary_totals", count=count, lines=_lines(s.totals)))
    if s.no_id and s.id_column and s.no_id * 2 < s.rows:  # (most rows have an id)
        shown = _lines(s.no_id_lines, more=s.no_id > len(s.no_id_lines))
        column, count = echoed(s.id_column), str(s.no_id)
        lines.append(msgs("batch", "no_id", column=column, count=count, lines=shown))
    for repeated in s.repeated[: Ids.SHOWN]:
        column = echoed(s.id_column)
        lines.append(msgs("batch", "repeated_id", column=column, lines=_lines(repeated)))
    if len(s.repeated) > Ids.SHOWN:
        lines.append(msgs("batch", "repeated_more", count=str(len(s.repeated) - Ids.SHOWN)))
    if s.headers:
        count = str(len(s.headers))
        lines.append(msgs("batch", "summary_headers", count=count, lines=_lines(s.headers)))
    if s.titles:
        count = str(len(s.titles))
        lines.append(msgs("batch", "summary_titles", count=count, lines=_lines(s.titles)))
    if s.footers:
        count = str(len(s.footers))
        lines.append(msgs("batch", "summary_footers", count=count, lines=_lines(s.footers)))
    for noted, key in (
        (s.turning_75, "turning_75"),
        (s.old_leavers, "turning_75_after_leaving"),
        (s.undated, "undated_leavers"),
        (s.contracts, "contracts_ended"),
    ):
        if noted.count:
            column = "・".join(echoed(header.names[c]) for c in _contract_columns(header))
            lines.append(
                msgs("batch", key, count=str(noted.count), lines=noted.shown(), column=column)
            )
    if s.factless:
        shown = _lines(s.factless)
        count = str(len(s.factless))
        lines.append(msgs("batch", "summary_factless", count=count, lines=shown))
    if s.empty_dates:
        columns = ", ".join(map(echoed, s.empty_dates))
        lines.append(msgs("batch", "excel_empty_date", columns=columns))
    screened = screening_columns(header)
    if screened:
        lines.append(msgs("batch", "summary_screened", columns=_names(header, screened, msgs)))
    # (退職予定日, 返却状況: said with the columns read)
    read = {*screened, *header.planned.values(), *header.back.values(), *header.back_more}
    read |= {header.rehire} if header.rehire is not None else set()
    read |= {i for more in header.later.values() for i in more} | set(header.rehire_more)
    read |= {header.rehired_flag} if header.rehired_flag is not None else set()
    if unread := [i for i in header.passthrough if i not in read]:
        lines.append(msgs("batch", "summary_unread", columns=_names(header, unread, msgs)))
    if opened.late is not None and opened.late.encoding == "cp932":
        at = str(opened.late.decided_at)
        lines.append(msgs("batch", "decided_late", line=at, encoding=opened.late.encoding))
    if s.masked:
        lines.append(msgs("batch", "masked", columns=", ".join(map(echoed, s.masked))))
    return "\n".join(lines) + "\n"
