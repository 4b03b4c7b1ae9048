"""``kenpo batch``: one verdict per row of an HR office's CSV, streamed.

Rows are read, judged and written one at a time, so memory does not grow with the
file. Employees with the same facts share one evaluation (a bounded cache). A bad
row gets an ``error`` and the others still get their verdicts.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import operator
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from kenpo_cli.core.facts import FACTS, check_as_of, make_facts, parse_fact
from kenpo_cli.core.model import Action, ActionKind, Audience, Facts, Item, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules import evaluate
from kenpo_cli.errors import ContradictoryFacts, ExitStatus, KenpoError
from kenpo_cli.files import open_private
from kenpo_cli.i18n import Messages
from kenpo_cli.privacy import MASK, MY_NUMBER_ANYWHERE, looks_like_my_number
from kenpo_cli.render.json import action_dict, verdict_body_parts

if TYPE_CHECKING:
    from kenpo_cli.calendar_file import CalendarOrder, RowHook

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp932")
FORMATS = ("jsonl", "csv")
_SAMPLE = 1 << 16
# 12 digits, perhaps in groups of four: the shape of a マイナンバー (full-width too).
_SURROGATE = re.compile("[\udc80-\udcff]")


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).lower().replace("-", "_")


def _column_facts(msgs: Messages) -> dict[str, str]:
    """Each heading a fact's column may have: its code, its label, and HR sheets' spellings."""
    table: dict[str, str] = {}
    for spec in FACTS:
        for heading in (spec.name, msgs("fact", spec.name), *spec.columns):
            table.setdefault(_key(heading), spec.name)
    return table


@dataclass
class Header:
    """Which column holds which fact; the rest pass through."""

    names: list[str]
    facts: dict[int, str]  # column index -> fact code
    passthrough: list[int]


@dataclass
class Summary:
    rows: int = 0
    errors: int = 0
    collect: int = 0
    loss_reports: int = 0
    renewals: int = 0
    masked: list[str] = field(default_factory=list)


def read_header(row: Sequence[str] | None, msgs: Messages) -> Header:
    """Map header cells to facts; a missing, duplicated or fact-less header is a usage error."""
    if not row or not any(cell.strip() for cell in row):
        raise KenpoError("batch_no_header")
    # Spreadsheets often export unnamed columns (a trailing comma): name them by position.
    names = [cell.lstrip("\ufeff").strip() or f"#{i + 1}" for i, cell in enumerate(row)]
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
    passthrough = [i for i in range(len(names)) if i not in facts]
    return Header(names, facts, passthrough)


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


def open_rows(binary: IO[bytes], encoding: str) -> tuple[Iterator[list[str]], str]:
    """CSV rows decoded from ``binary``; undecodable bytes survive as lone surrogates."""
    if encoding not in ENCODINGS:
        raise KenpoError("batch_encoding", value=encoding)
    # peek() needs a buffered reader; stdin and files already are (tests pass BytesIO).
    buffered = binary if isinstance(binary, io.BufferedReader) else io.BufferedReader(binary)  # type: ignore[type-var]
    if encoding == "auto":
        encoding = detect_encoding(buffered.peek(_SAMPLE)[:_SAMPLE])
    elif encoding == "utf-8" and buffered.peek(3).startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="surrogateescape", newline="")
    return csv.reader(text), encoding


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
    """Mask マイナンバー-like cells in place; raise for bad bytes or a wrong field count.

    Both are looked for once in the joined row, and cell by cell only when found.
    """
    joined = "\x1f".join(cells)
    if MY_NUMBER_ANYWHERE.search(joined):
        for i, cell in enumerate(cells):
            if looks_like_my_number(cell):
                cells[i] = MASK
                if _column(header, i) not in summary.masked:
                    summary.masked.append(_column(header, i))
    if _SURROGATE.search(joined):
        bad = next(i for i, cell in enumerate(cells) if _SURROGATE.search(cell))
        raise RowError(msgs("batch", "bad_bytes", column=_column(header, bad), encoding=encoding))
    if len(cells) != len(header.names):
        got, want = str(len(cells)), str(len(header.names))
        raise RowError(msgs("batch", "field_count", got=got, want=want))


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
    """Pass-through cells of any row: missing ones empty, undecodable bytes as U+FFFD."""
    return [_clean(cells[i]) if i < len(cells) else "" for i in cols]


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


def process(
    header: Header,
    rows: Iterator[list[str]],
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
        try:
            _screen(cells, header, summary, encoding, msgs)
            judged = judge(cells)
        except RowError as err:
            summary.errors += 1
            writer.error(summary.rows, cells, str(err))
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
        header = read_header(next(rows, None), msgs)
        # The calendar's file is made first: if it cannot be, no output is begun.
        with _calendar(ics, header, pack, msgs) as to_calendar:
            out = _open_output(output, fmt)
            try:
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
                if out is not sys.stdout:
                    out.close()
                else:
                    out.flush()
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


def _open_output(path: Path | None, fmt: str) -> IO[str]:
    if path is None:
        if fmt == "csv":
            sys.stdout.write("\ufeff")
        return sys.stdout
    try:
        out = open_private(path, newline="" if fmt == "csv" else None)
    except OSError as exc:
        raise KenpoError("batch_output", file=str(path), reason=exc.strerror or str(exc)) from None
    if fmt == "csv":
        out.write("\ufeff")
    return out


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
        lines.append(msgs("batch", "masked", columns=", ".join(s.masked)))
    return "\n".join(lines) + "\n"
