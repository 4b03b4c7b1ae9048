"""``kenpo batch``: one verdict per row of an HR office's CSV, streamed.

Rows are read, judged and written one at a time, so memory does not grow with the
file. Employees with the same facts share one evaluation (a bounded cache). A bad
row gets an ``error`` and the others still get their verdicts.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import operator
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from kenpo_cli import safeio
from kenpo_cli.core.facts import FACTS, check_as_of, make_facts, parse_fact
from kenpo_cli.core.model import Action, ActionKind, Audience, Facts, Item, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules import evaluate
from kenpo_cli.csvrows import FIELD_LIMIT, LINE_LIMIT, Malformed, Records
from kenpo_cli.errors import ContradictoryFacts, ExitStatus, KenpoError
from kenpo_cli.i18n import Messages
from kenpo_cli.privacy import MY_NUMBER_SHAPE, echoed, masked, might_hold_my_number
from kenpo_cli.render.json import action_dict, verdict_body_parts

if TYPE_CHECKING:
    from kenpo_cli.calendar_file import CalendarOrder, RowHook

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp932")
FORMATS = ("jsonl", "csv")
_SAMPLE = 1 << 16
# Bytes the file's encoding could not decode (kept as lone surrogates).
_SURROGATE = re.compile("[\udc80-\udcff]")
# Anything _screen has to look at more closely: a マイナンバー's shape, or such bytes.
_ROW_WORK = re.compile(f"{MY_NUMBER_SHAPE}|[\udc80-\udcff]")


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).lower().replace("-", "_")


def _column_facts(msgs: Messages) -> dict[str, str]:
    """Each heading a fact's column may have: its code, its label, and HR sheets' spellings."""
    table: dict[str, str] = {}
    for spec in FACTS:
        for heading in (spec.name, msgs("fact", spec.name), *spec.columns):
            table.setdefault(_key(heading), spec.name)
    return table


# Columns that hold マイナンバー are never copied to the output, however spelled:
# "マイナンバー", "個人番号（マイナンバー）", "マイナンバー(個人番号)", "My Number", …
_MY_NUMBER_WORDS = re.compile("マイナンバー|個人番号|mynumber")
_BRACKETS_AND_MARKS = re.compile(r"[()\[\]{}（）［］｛｝【】「」『』〈〉《》<>＜＞・_\-.:：#＃]")
_MY_NUMBER_REST = frozenset({"", "番号", "の番号", "no", "number", "12桁"})


def is_my_number_column(name: str) -> bool:
    """Whether a column's name says it holds マイナンバー (its cells are never output)."""
    key = _BRACKETS_AND_MARKS.sub("", _key(name))
    rest, found = _MY_NUMBER_WORDS.subn("", key)
    return found > 0 and rest in _MY_NUMBER_REST


@dataclass
class Header:
    """Which column holds which fact; the rest pass through, except マイナンバー columns."""

    names: list[str]
    facts: dict[int, str]  # column index -> fact code
    passthrough: list[int]
    dropped: list[int] = field(default_factory=list)


@dataclass
class Summary:
    rows: int = 0
    errors: int = 0
    collect: int = 0
    loss_reports: int = 0
    renewals: int = 0
    masked: list[str] = field(default_factory=list)


def read_header(row: Sequence[str] | Malformed | None, msgs: Messages) -> Header:
    """Map header cells to facts; a missing, duplicated or fact-less header is a usage error."""
    if isinstance(row, Malformed):
        raise KenpoError("batch_bad_header", line=str(row.line))
    if not row or not any(cell.strip() for cell in row):
        raise KenpoError("batch_no_header")
    # Spreadsheets often export unnamed columns (a trailing comma): name them by position.
    # Names are output as keys: never a マイナンバー, never an undecodable byte.
    names = [
        _clean(masked(cell.lstrip("\ufeff").strip())) or f"#{i + 1}" for i, cell in enumerate(row)
    ]
    seen: dict[str, int] = {}
    facts: dict[int, str] = {}
    column_facts = _column_facts(msgs)
    for i, name in enumerate(names):
        fact = column_facts.get(_key(name))
        ident = fact or name
        if ident in seen:
            raise KenpoError("batch_duplicate_column", column=name)
        seen[ident] = i
        if fact:
            facts[i] = fact
    if not facts:
        raise KenpoError("batch_no_fact_column")
    dropped = [i for i in range(len(names)) if i not in facts and is_my_number_column(names[i])]
    passthrough = [i for i in range(len(names)) if i not in facts and i not in dropped]
    return Header(names, facts, passthrough, dropped)


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` if the sample reads as UTF-8, else ``cp932``."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    errors = {}
    for enc in ("utf-8", "cp932"):
        decoder = codecs.getincrementaldecoder(enc)(errors="replace")
        errors[enc] = decoder.decode(sample, final=False).count("\ufffd")
        if errors[enc] == 0:
            return enc
    return "utf-8" if errors["utf-8"] <= errors["cp932"] else "cp932"


def open_rows(binary: IO[bytes], encoding: str) -> tuple[Records, str]:
    """CSV records decoded from ``binary``; undecodable bytes survive as lone surrogates.

    Broken records come as :class:`~kenpo_cli.csvrows.Malformed` (see that module).
    """
    if encoding not in ENCODINGS:
        raise KenpoError("batch_encoding", value=encoding)
    # peek() needs a buffered reader; stdin and files already are (tests pass BytesIO).
    buffered = binary if isinstance(binary, io.BufferedReader) else io.BufferedReader(binary)  # type: ignore[type-var]
    if encoding == "auto":
        encoding = detect_encoding(buffered.peek(_SAMPLE)[:_SAMPLE])
    elif encoding == "utf-8" and buffered.peek(3).startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="surrogateescape", newline="")
    return Records(text), encoding


class Judged(NamedTuple):
    """A verdict as the output needs it (the writer's rendering) and as the summary counts it."""

    shown: Any  # what the writer made of the verdict: JSON members, or CSV cells
    tally: tuple[int, int, int]  # 資格確認書 to collect, loss reports, renewals
    dated: tuple[Action, ...] = ()  # the steps with a day, for --ics
    audience: Audience = Audience.MEMBER  # who reads the steps' reasons


def _tally(verdict: Verdict) -> tuple[int, int, int]:
    pairs = {(a.action, a.item) for a in verdict.actions}
    return (
        int((ActionKind.RETURN, Item.KAKUNINSHO) in pairs),
        int((ActionKind.SUBMIT, Item.KAKUNINSHO_LOSS_REPORT) in pairs),
        int((ActionKind.RENEW, Item.MYNA_CERT) in pairs),
    )


class RowError(Exception):
    """A row that gets an ``error`` (naming its column) instead of a verdict."""


class RowJudge:
    """The verdict for a row's fact cells, each distinct set of cells read and judged once.

    Employees share their facts, so most rows cost one look-up. The caches are
    least-recently-used and bounded: they fill within the first few thousand rows,
    and memory stays flat after that however long the file is (benchmarks/batch.py).
    """

    ROWS = 8192  # distinct sets of fact cells kept, each with its rendered verdict only

    def __init__(
        self,
        header: Header,
        today: date,
        as_of: date,
        pack: RulePack,
        msgs: Messages,
        render: Callable[[Verdict], Any],
    ) -> None:
        self.columns = [(fact, header.names[i]) for i, fact in header.facts.items()]
        self.label = {fact: name for fact, name in self.columns}
        self.label.update({spec.name: spec.name for spec in FACTS if spec.name not in self.label})
        self.cells_of = _picker(list(header.facts))
        self.today, self.as_of, self.pack, self.msgs = today, as_of, pack, msgs
        self.render = render
        self.cached = lru_cache(maxsize=self.ROWS)(self._judge)
        self.cell = lru_cache(maxsize=self.ROWS)(self._cell)  # "はい", "R8.11.15", …

    def __call__(self, cells: Sequence[str]) -> Judged:
        return self.cached(self.cells_of(cells))

    def _judge(self, raws: Sequence[str]) -> Judged:
        try:
            verdict = evaluate(*self._facts(raws), self.pack)
        except ContradictoryFacts as err:
            err.relabel(self.label.__getitem__)
            raise RowError(self.msgs("error", err.code, **err.params)) from None
        except KenpoError as err:
            raise RowError(self.msgs("error", err.code, **err.params)) from None
        dated = tuple(a for a in verdict.actions if a.day is not None)
        return Judged(self.render(verdict), _tally(verdict), dated, verdict.audience)

    def _facts(self, raws: Sequence[str]) -> tuple[Facts, date]:
        values: dict[str, Any] = {}
        for column, raw in enumerate(raws):
            if raw and not raw.isspace():
                value = self.cell(column, raw)
                if value is not None:  # "-", "不明": not given
                    values[self.columns[column][0]] = value
        day = values.pop("as_of", None)
        if day is None:
            day = self.as_of
        else:
            check_as_of(day, self.pack, self.label["as_of"])
        return make_facts(values, self.label.__getitem__), day

    def _cell(self, column: int, raw: str) -> Any:
        fact, label = self.columns[column]
        try:
            return parse_fact(fact, raw, self.today, label=label)
        except KenpoError as err:
            raise RowError(self.msgs("error", err.code, **err.params)) from None


def _column(header: Header, i: int) -> str:
    return header.names[i] if i < len(header.names) else f"#{i + 1}"


def _screen(
    cells: list[str], header: Header, summary: Summary, encoding: str, msgs: Messages
) -> None:
    """Mask every マイナンバー in the output cells, in place; raise for bad bytes or field count.

    Each is looked for once in the joined row, and cell by cell only when found.
    Fact cells are not output: one holding a マイナンバー cannot be a date or a
    choice, so its row gets an error, and :func:`_mask_error_row` masks it there.
    """
    if len(cells) != len(header.names):
        got, want = str(len(cells)), str(len(header.names))
        raise RowError(msgs("batch", "field_count", got=got, want=want))
    joined = "\x1f".join(cells)
    if not _ROW_WORK.search(joined):  # the common case: one scan finds nothing to do
        return
    if might_hold_my_number(joined):
        _mask(cells, header.passthrough, header, summary)
    if _SURROGATE.search(joined):
        bad = next(i for i, cell in enumerate(cells) if _SURROGATE.search(cell))
        raise RowError(msgs("batch", "bad_bytes", column=_column(header, bad), encoding=encoding))


def _mask(cells: list[str], columns: Iterable[int], header: Header, summary: Summary) -> None:
    for i in columns:
        if i < len(cells) and (hidden := masked(cells[i])) != cells[i]:
            cells[i] = hidden
            if _column(header, i) not in summary.masked:
                summary.masked.append(_column(header, i))


def _mask_error_row(cells: list[str], header: Header, summary: Summary) -> None:
    """Mask every cell of an error row, naming in the summary the columns that held one."""
    _mask(cells, range(len(cells)), header, summary)


class JsonlWriter:
    """One JSON object per row, written in blocks (a write per row costs as much as a row)."""

    _BLOCK = 4096  # pieces of text (about 400 rows) per write
    STEPS = 1024  # rendered steps kept: verdicts that differ in one date share the rest

    def __init__(self, out: IO[str], header: Header, msgs: Messages) -> None:
        self.out, self.msgs = out, msgs
        self.step = lru_cache(maxsize=self.STEPS)(
            lambda a, audience: json.dumps(action_dict(a, msgs, audience), ensure_ascii=False)
        )
        self.cols = header.passthrough
        # A %-template of the row's start; a % in a column name is escaped first.
        keys = [encode_basestring(header.names[i]).replace("%", "%%") for i in self.cols]
        self.lead = '{"row": %d' + "".join(f", {key}: %s" for key in keys)
        self.pending: list[str] = []
        self.pick = _picker(self.cols)

    def _emit(self, line: str) -> None:
        self.pending.append(line)
        if len(self.pending) >= self._BLOCK:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.pending))
        self.pending.clear()

    def render(self, verdict: Verdict) -> tuple[str, ...]:
        """The verdict's members of the row object, as in ``kenpo check --json``."""
        parts = verdict_body_parts(verdict, self.msgs, self.step)
        return (f'"as_of": "{verdict.as_of}", ', *parts)

    def verdict(self, row: int, cells: Sequence[str], judged: Judged) -> None:
        # Rows with a verdict passed _screen: no undecodable bytes, every field present.
        lead = self.lead % (row, *map(encode_basestring, self.pick(cells)))
        self.pending += (lead, ", ", *judged.shown, "}\n")
        if len(self.pending) >= self._BLOCK:
            self.flush()

    def error(self, row: int, cells: Sequence[str], message: str) -> None:
        values = [encode_basestring(v) for v in _passthrough(cells, self.cols)]
        self._emit(f'{self.lead % (row, *values)}, "error": {encode_basestring(message)}}}\n')


def _picker(cols: Sequence[int]) -> Callable[[Sequence[str]], Sequence[str]]:
    """A fast function giving the cells at ``cols`` as a tuple."""
    if len(cols) > 1:
        return operator.itemgetter(*cols)
    return lambda cells: tuple(cells[i] for i in cols)


def _passthrough(cells: Sequence[str], cols: Sequence[int]) -> list[str]:
    """Pass-through cells of an error row: missing ones empty, bytes as U+FFFD, masked."""
    return [masked(_clean(cells[i])) if i < len(cells) else "" for i in cols]


_ACTION_COLUMNS = [k.value for k in ActionKind]


class CsvWriter:
    def __init__(self, out: IO[str], header: Header) -> None:
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.cols = header.passthrough
        self.writer.writerow(
            [
                "row",
                *(header.names[i] for i in self.cols),
                "as_of",
                "can_see_doctor",
                "present",
                *_ACTION_COLUMNS,
                "next_deadline",
                "error",
            ]
        )

    def _lead(self, row: int, cells: Sequence[str]) -> list[str]:
        return [str(row), *_passthrough(cells, self.cols)]

    def verdict(self, row: int, cells: Sequence[str], judged: Judged) -> None:
        self.writer.writerow([*self._lead(row, cells), *judged.shown])

    def render(self, verdict: Verdict) -> tuple[str, ...]:
        """The verdict's cells: as_of, can_see_doctor, present, a column per action, …"""
        by_kind: dict[str, list[str]] = {k: [] for k in _ACTION_COLUMNS}
        for a in verdict.actions:
            shown = a.item.value + (f"(from {a.from_})" if a.from_ else "")
            by_kind[a.action.value].append(shown)
        deadlines = [a.by for a in verdict.actions if a.by is not None]
        present = " | ".join("+".join(i.value for i in option) for option in verdict.present)
        return (
            verdict.as_of.isoformat(),
            {True: "yes", False: "no", None: "unknown"}[verdict.can_see_doctor],
            present,
            *(";".join(by_kind[k]) for k in _ACTION_COLUMNS),
            min(deadlines).isoformat() if deadlines else "",
            "",
        )

    def error(self, row: int, cells: Sequence[str], message: str) -> None:
        blanks = [""] * (3 + len(_ACTION_COLUMNS) + 1)
        self.writer.writerow([*self._lead(row, cells), *blanks, message])

    def flush(self) -> None:
        """Rows are written as they come (the csv module buffers through the stream)."""


def _clean(cell: str) -> str:
    """A pass-through cell as written: undecodable bytes shown as U+FFFD, never raw."""
    return _SURROGATE.sub("\ufffd", cell) if _SURROGATE.search(cell) else cell


def _problem_text(bad: Malformed, msgs: Messages) -> str:
    limits = {"cell_too_long": FIELD_LIMIT, "line_too_long": LINE_LIMIT}
    return msgs("batch", bad.problem, limit=f"{limits.get(bad.problem, 0):,}", reason=bad.detail)


def process(
    header: Header,
    rows: Iterable[list[str] | Malformed],
    writer: JsonlWriter | CsvWriter,
    *,
    encoding: str,
    today: date,
    as_of: date,
    pack: RulePack,
    msgs: Messages,
    calendar: RowHook | None = None,
) -> Summary:
    """Judge every row after the header and write one output row for each (and hand
    its dated steps to ``calendar``)."""
    summary = Summary()
    judge = RowJudge(header, today, as_of, pack, msgs, writer.render)
    tally = [0, 0, 0]
    for cells in rows:
        if not cells:  # a blank line (a trailing one is normal): not a row
            continue
        summary.rows += 1
        if isinstance(cells, Malformed):
            summary.errors += 1
            writer.error(summary.rows, cells.cells, _problem_text(cells, msgs))
            continue
        try:
            _screen(cells, header, summary, encoding, msgs)
            judged = judge(cells)
        except RowError as err:
            summary.errors += 1
            _mask_error_row(cells, header, summary)
            writer.error(summary.rows, cells, str(err))
            continue
        except KenpoError as err:  # facts that contradict each other, say: this row only
            summary.errors += 1
            _mask_error_row(cells, header, summary)
            writer.error(summary.rows, cells, msgs("error", err.code, **err.params))
            continue
        collect, loss, renew = judged.tally
        tally[0] += collect
        tally[1] += loss
        tally[2] += renew
        writer.verdict(summary.rows, cells, judged)
        if calendar is not None and judged.dated:
            calendar(summary.rows, cells, judged.dated, judged.audience)
    summary.collect, summary.loss_reports, summary.renewals = tally
    writer.flush()
    return summary


def run(
    source: str,
    *,
    fmt: str,
    output: Path | None,
    encoding: str,
    as_of: str | None,
    today: date,
    pack: RulePack,
    msgs: Messages,
    ics: CalendarOrder | None = None,
) -> int:
    """The whole ``kenpo batch`` command; returns its exit status."""
    if fmt not in FORMATS:
        raise KenpoError("bad_option", field="--format", value=fmt, accepted="jsonl, csv")
    if encoding not in ENCODINGS:
        raise KenpoError("batch_encoding", value=encoding)
    day = check_as_of(
        parse_fact("as_of", as_of or "today", today, label="--as-of"), pack, "--as-of"
    )
    if ics is not None:
        from kenpo_cli.calendar_file import refuse_same_file

        refuse_same_file(ics.path, read=source, others={"-o": output})
    binary = _open_source(source)
    try:
        rows, enc = open_rows(binary, encoding)
        # Read the header before creating the output, so a usage error writes nothing.
        header = read_header(next(iter(rows), None), msgs)
        rows.width = len(header.names)
        inputs = [safeio.id_of_stream(binary)]
        _check_output(output, inputs)
        if header.dropped:
            columns = ", ".join(echoed(header.names[i]) for i in header.dropped)
            sys.stderr.write(msgs("batch", "dropped", columns=columns) + "\n")
        # The calendar's file is made first: if it cannot be, no output is begun.
        with _calendar(ics, header, pack, msgs) as to_calendar, _output(output, fmt, inputs) as out:
            writer: JsonlWriter | CsvWriter = (
                CsvWriter(out, header) if fmt == "csv" else JsonlWriter(out, header, msgs)
            )
            summary = process(
                header,
                rows,
                writer,
                encoding=enc,
                today=today,
                as_of=day,
                pack=pack,
                msgs=msgs,
                calendar=to_calendar,
            )
    finally:
        if binary is not sys.stdin.buffer:
            binary.close()
    sys.stderr.write(summary_text(summary, msgs))
    return ExitStatus.ROW_ERRORS if summary.errors else ExitStatus.OK


def _calendar(
    order: CalendarOrder | None, header: Header, pack: RulePack, msgs: Messages
) -> AbstractContextManager[RowHook | None]:
    """The ``--ics`` calendar's hook for each row (none without --ics). ``--id-column`` is
    checked now; the file is created only when the rows are read."""
    if order is None:
        return nullcontext()
    from kenpo_cli.calendar_file import RowCalendar

    return RowCalendar(order, header.names, header.passthrough, pack, msgs).rows()


def _open_source(source: str) -> IO[bytes]:
    if source == "-":
        return sys.stdin.buffer
    try:
        return open(source, "rb")
    except OSError as exc:
        raise KenpoError("batch_unreadable", file=source, reason=exc.strerror or str(exc)) from None


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
    newline = "" if fmt == "csv" else None
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
        yield out
        out.flush()
    finally:
        if own:
            with contextlib.suppress(Exception):
                out.close()  # not the descriptor: standard output stays open


def summary_text(s: Summary, msgs: Messages) -> str:
    """The stderr summary: rows, errors and the HR office's to-do counts."""
    lines = [
        msgs(
            "batch",
            "summary",
            rows=str(s.rows),
            errors=str(s.errors),
            collect=str(s.collect),
            loss_reports=str(s.loss_reports),
            renewals=str(s.renewals),
        ),
    ]
    if s.masked:
        lines.append(msgs("batch", "masked", columns=", ".join(map(echoed, s.masked))))
    return "\n".join(lines) + "\n"
