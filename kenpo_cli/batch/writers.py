"""The output rows of ``kenpo batch``: JSON Lines for scripts, CSV for the office.

Each writer renders a verdict once (:meth:`render`, kept with the verdict) and then
writes each row from that rendering and the row's own cells. Neither decides anything.

The CSV is made for a mail merge and for Excel's filters: the row's facts as used
(dates ISO, so Excel reads them as dates), what was assumed, and each step in words —
``step1``, ``step1_by``, ``step1_from``, ``step1_reason``, … up to :data:`STEP_COLUMNS` —
in the chosen language. A cell that would start a formula (``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is written with a leading ``'`` (formula injection).
"""

from __future__ import annotations

import contextlib
import csv
import json
import operator
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from json.encoder import encode_basestring
from typing import IO, Any

from kenpo_cli.batch.header import SURROGATE, Header
from kenpo_cli.batch.judge import Row
from kenpo_cli.batch.tasks import next_deadline
from kenpo_cli.core.facts import FACT_BY_NAME
from kenpo_cli.core.model import Action, ActionKind, Audience, Facts, Status, Verdict
from kenpo_cli.i18n import Messages
from kenpo_cli.privacy import json_safe, masked
from kenpo_cli.render.json import action_dict, verdict_body_parts, warning_list
from kenpo_cli.render.view import step_title

# The output's own members: a pass-through column named so is renamed (batch_header).
JSON_MEMBERS = (
    "row", "line", "facts", "as_of", "can_see_doctor", "unknown_because", "present", "actions",
    "warnings", "assumed", "error",
)  # fmt: skip
STEP_COLUMNS = 12  # the rules give at most 11 steps (tests/unit/test_batch_writers.py)
_ACTIONS = tuple(k.value for k in ActionKind)
_STEP_PARTS = ("", "_by", "_from", "_reason")
FACT_COLUMNS = ("as_of", *Facts._fields)
_VERDICT_COLUMNS = (
    "assumed",
    "can_see_doctor",
    "present",
    "next_deadline",
    *_ACTIONS,
    "steps",
    *(f"step{n}{part}" for n in range(1, STEP_COLUMNS + 1) for part in _STEP_PARTS),
    "warnings",
)
CSV_COLUMNS = ("row", "line", *FACT_COLUMNS, *_VERDICT_COLUMNS, "error")
_RISKY = frozenset("=+-@\t\r")


def heading(code: str, msgs: Messages, codes: bool) -> str:
    """A CSV or workbook column's heading: its code (``--codes``, ``--lang en``), else in
    the chosen language (資格喪失日, 手順1の期限), for a person and a mail merge."""
    if codes:
        return code
    if code in FACT_COLUMNS:
        return msgs("fact", code)
    if code.startswith("step") and code[4:5].isdigit():
        n, _, part = code[4:].partition("_")
        return msgs("column", f"step_{part}" if part else "step", n=n)
    return msgs("column", code)


def headings(msgs: Messages) -> tuple[str, ...]:
    """Every heading of the CSV in ``msgs``' language (a pass-through column named so is
    renamed, as one named by a code is)."""
    return tuple(heading(code, msgs, False) for code in CSV_COLUMNS)


def shown_facts(facts: Facts, as_of: date) -> Facts:
    """The facts as the CSV and the workbook show them: a leaving day still ahead is
    ``leaving`` (the person is still a member), not ``left``."""
    if facts.status is Status.LEFT and facts.left_on is not None and facts.left_on > as_of:
        return facts._replace(status=Status.LEAVING)
    return facts


def fact_value(fact: str, value: Any, msgs: Messages, codes: bool) -> str:
    """A fact's code in words (マイナ保険証: あり), or as the code with ``codes``."""
    code = str(value)
    key = f"{fact}_{code}"
    return msgs("value", key) if not codes and msgs.has("value", key) else code


def clean(cell: str) -> str:
    """A pass-through cell as written: undecodable bytes shown as U+FFFD, never raw."""
    return SURROGATE.sub("\ufffd", cell) if SURROGATE.search(cell) else cell


def defused(cell: str) -> str:
    """A cell Excel will not run as a formula: ``'`` before ``=``, ``+``, ``-``, ``@``, …"""
    return "'" + cell if cell[:1] in _RISKY else cell


def picker(cols: Sequence[int]) -> Callable[[Sequence[str]], Sequence[str]]:
    """A fast function giving the cells at ``cols`` as a tuple."""
    if len(cols) > 1:
        return operator.itemgetter(*cols)
    return lambda cells: tuple(cells[i] for i in cols)


def _json_string(text: str) -> str:
    """A cell as a JSON string; a U+202E or a C1 control in it written ``\\u202e`` (the
    same JSON value, nothing that acts on a terminal). The cells are the only text of a
    row that comes from the file: kenpo's own words hold none of these."""
    encoded = encode_basestring(text)
    # C1 controls and bidi marks are never printable: a printable cell needs no look.
    return encoded if encoded.isprintable() else json_safe(encoded)


def _passthrough(cells: Sequence[str], cols: Sequence[int]) -> list[str]:
    """Pass-through cells of an error row: missing ones empty, bytes as U+FFFD, masked."""
    return [masked(clean(cells[i])) if i < len(cells) else "" for i in cols]


class Rendered:
    """A verdict's members of a row object, and the rows' texts made of them: one for each
    set of facts assumed, as UTF-8 (kept with the verdict, as long as the judge keeps it)."""

    __slots__ = ("parts", "tails")

    def __init__(self, parts: tuple[str, ...]) -> None:
        self.parts = parts
        self.tails: dict[tuple[str, ...], bytes] = {}


class JsonlWriter:
    """One JSON object per row, written in blocks (a write per row costs as much as a row)."""

    _BLOCK = 1024  # pieces of text (about 500 rows) per write
    STEPS = 1024  # rendered steps kept: verdicts that differ in one date share the rest
    CELLS = 1024  # pass-through cells kept encoded
    reserved = JSON_MEMBERS

    def __init__(self, out: IO[str], header: Header, msgs: Messages) -> None:
        self.out, self.msgs = out, msgs
        self.step = lru_cache(maxsize=self.STEPS)(
            lambda a, audience, late: json.dumps(
                action_dict(a, msgs, audience, late), ensure_ascii=False
            )
        )
        self.warned = lru_cache(maxsize=self.STEPS)(
            lambda warnings, audience: json.dumps(
                warning_list(warnings, audience, msgs), ensure_ascii=False
            )
        )
        # Rows are written as UTF-8 bytes, straight to the file under a text stream that
        # can take them (safeio's): a verdict's text, most of a row, is encoded once
        # rather than on every row that has it. Other streams get them decoded.
        write_bytes = getattr(out, "write_bytes", None)
        self.sink: Callable[[bytes], Any] = write_bytes or (lambda data: out.write(data.decode()))
        # A text stream ends lines in its own way; bytes end them as it would have.
        self.end = getattr(out, "line_end", "\n") if write_bytes is not None else "\n"
        self.encoded: dict[str, bytes] = {}  # pass-through cells as JSON strings
        self.cols = header.passthrough
        # A %-template of the row's start; a % in a column name is escaped first.
        keys = [_json_string(header.names[i]).replace("%", "%%") for i in self.cols]
        lead = '{"row": %d, "line": %d' + "".join(f", {key}: %s" for key in keys)
        self.lead = _utf8(lead)
        self.facts_lead = self.lead + b', "facts": %s'  # a verdict's row: the facts used
        # The facts as `kenpo check --json` has them (a jq list can print the 資格喪失日).
        self.facts = FactsJson()
        self.pending: list[bytes] = []
        self.pick = picker(self.cols)

    def flush(self) -> None:
        self.sink(b"".join(self.pending))
        self.pending.clear()

    def divert(self) -> Callable[[], list[bytes]]:
        """In a process sharing the work (batch/parallel.py): rows are kept, not written,
        and the function returned takes those made since it was last called, one text
        each, for the reading process to :meth:`put` in the sheet's order."""
        self._BLOCK = sys.maxsize
        self.skip = lambda: self.pending.append(b"")  # type: ignore[method-assign]

        def taken() -> list[bytes]:
            rows, self.pending = self.pending, []
            return rows

        return taken

    @contextlib.contextmanager
    def aside(self) -> Iterator[Callable[[], list[bytes]]]:
        """Rows made meanwhile kept apart as :meth:`divert` keeps them, then written as
        before (the reading process's own share of a long sheet: batch/parallel.py)."""
        pending, self.pending = self.pending, []
        taken = self.divert()
        try:
            yield taken
        finally:
            self.pending = pending
            del self._BLOCK, self.skip  # the class's again

    def skip(self) -> None:
        """A row ``--only`` leaves out: nothing to write (an empty text, diverted)."""

    def put(self, rows: list[bytes]) -> None:
        """Rows another process made (:meth:`divert`), written as this one's."""
        self.pending += rows
        if len(self.pending) >= self._BLOCK:
            self.flush()

    def render(self, verdict: Verdict) -> Rendered:
        """The verdict's members of the row object, as in ``kenpo check --json``."""
        parts = verdict_body_parts(verdict, self.step, self.warned)
        return Rendered((f'"as_of": "{verdict.as_of}", ', *parts))

    def verdict(self, row: int, line: int, cells: Sequence[str], judged: Row) -> None:
        # Rows with a verdict passed the screen: no undecodable bytes, every field present.
        # Names, departments and notes repeat down a sheet: each is encoded once.
        encoded, parts = self.encoded, []
        for cell in self.pick(cells):
            text = encoded.get(cell)
            if text is None:  # _json_string(cell) as UTF-8, inline: most rows have one
                string = encode_basestring(cell)
                text = (string if string.isprintable() else json_safe(string)).encode(
                    "utf-8", "replace"
                )
                if len(encoded) < self.CELLS:
                    encoded[cell] = text
            parts.append(text)
        shown: Rendered = judged.judged.shown
        tail = shown.tails.get(judged.assumed) or self._tail(shown, judged.assumed)
        facts = self.facts(judged.facts)
        self.pending.append(self.facts_lead % (row, line, *parts, facts) + tail)
        if len(self.pending) >= self._BLOCK:
            self.flush()

    def _tail(self, shown: Rendered, assumed: tuple[str, ...]) -> bytes:
        """The row's text after its pass-through cells: its verdict and what was assumed,
        kept with the verdict for the next row that assumed the same."""
        listed = json.dumps(list(assumed))
        tail = "".join((", ", *shown.parts, ', "assumed": ', listed, "}", self.end))
        kept = shown.tails[assumed] = _utf8(tail)
        return kept

    def error(self, row: int, line: int, cells: Sequence[str], message: str) -> None:
        values = [_utf8(_json_string(v)) for v in _passthrough(cells, self.cols)]
        lead = self.lead % (row, line, *values)
        self.pending.append(lead + _utf8(f', "error": {_json_string(message)}}}{self.end}'))
        if len(self.pending) >= self._BLOCK:
            self.flush()


class FactsJson:
    """A row's facts as the UTF-8 of ``json.dumps(facts.as_dict(), ensure_ascii=False)``.

    Rows' facts differ mostly in their dates (資格取得日 over forty years), so each is
    written from a template kept for its facts other than dates (a few dozen in a sheet),
    its dates filled in, each date's text kept too: no dict and no JSON encoder a row.
    """

    KEPT = 4096  # templates kept (emptied when full: memory stays bounded)
    DAYS = 32768  # dates' texts kept: ninety years of days (about 3 MB)
    _DATES = tuple(i for i, name in enumerate(Facts._fields) if FACT_BY_NAME[name].is_date)

    def __init__(self) -> None:
        others = [i for i in range(len(Facts._fields)) if i not in self._DATES]
        self.dates_of = operator.itemgetter(*self._DATES)
        self.others_of = operator.itemgetter(*others)
        self.templates: dict[tuple[Any, ...], bytes] = {}
        self.shown: dict[Any, bytes] = {None: b"null"}

    def __call__(self, facts: Facts) -> bytes:
        template = self.templates.get(others := self.others_of(facts))
        if template is None:
            template = self._template(facts, others)
        shown = self.shown
        return template % tuple([shown.get(d) or self._date(d) for d in self.dates_of(facts)])

    def _date(self, value: Any) -> bytes:
        text = self.shown.get(value)
        if text is None:
            plain = value.isoformat() if isinstance(value, date) else value
            text = _utf8(json.dumps(plain, ensure_ascii=False))
            if len(self.shown) >= self.DAYS:
                self.shown.clear()
                self.shown[None] = b"null"
            self.shown[value] = text
        return text

    def _template(self, facts: Facts, others: tuple[Any, ...]) -> bytes:
        members = facts.as_dict()
        names = [Facts._fields[i] for i in self._DATES]
        for n, name in enumerate(names):
            members[name] = f"@{n}@"  # a mark where the date goes (no fact's code has @)
        text = json.dumps(members, ensure_ascii=False).replace("%", "%%")
        for n in range(len(names)):
            text = text.replace(f'"@{n}@"', "%s")
        if len(self.templates) >= self.KEPT:
            self.templates.clear()
        template = self.templates[others] = _utf8(text)
        return template


def _utf8(text: str) -> bytes:
    # As the text streams kenpo writes with encode (errors="replace"): a row with
    # undecodable bytes has them as U+FFFD already (clean), so none is replaced here.
    return text.encode("utf-8", "replace")


class _Kept(list[str]):
    """Rows of a CSV kept as texts (a file to csv.writer: it writes each row at once)."""

    write = list.append


class CsvCells:
    """A verdict's cells from ``can_see_doctor`` to ``warnings``, as the CSV has them (the
    workbook's 一覧 sheet has the same)."""

    def __init__(self, msgs: Messages, codes: bool = True) -> None:
        self.msgs, self.codes = msgs, codes
        self.list_sep = msgs("batch", "list_sep")

    def render(self, verdict: Verdict) -> tuple[str, ...]:
        """The verdict's cells from ``can_see_doctor`` to ``warnings``, in the chosen language."""
        msgs, sep = self.msgs, self.list_sep
        by_kind: dict[str, list[str]] = {k: [] for k in _ACTIONS}
        for a in verdict.actions:
            by_kind[a.action.value].append(msgs.item(a.item.value))
        deadline = next_deadline(verdict.actions, verdict.as_of)
        present = msgs.ui("or").join(
            msgs.ui("plus").join(msgs.item(i.value) for i in option) for option in verdict.present
        )
        warnings = "\n".join(
            msgs.voiced("warning", w.code, verdict.audience, w.params) for w in verdict.warnings
        )
        coverage = verdict.coverage.value
        return (
            fact_value("can_see_doctor", coverage, msgs, self.codes),
            present,
            deadline.isoformat() if deadline else "",
            *(sep.join(dict.fromkeys(by_kind[k])) for k in _ACTIONS),
            str(len(verdict.actions)),
            *self._steps(verdict.actions, verdict.audience),
            warnings,
        )

    def _steps(self, actions: Sequence[Action], audience: Audience) -> list[str]:
        """Four cells per step; steps past :data:`STEP_COLUMNS` share the last four."""
        cells: list[list[str]] = []
        for a in actions:
            step = [
                step_title(a, self.msgs),
                a.by.isoformat() if a.by else "",
                a.from_.isoformat() if a.from_ else "",
                self.msgs.reasons(a.reasons, audience),
            ]
            if len(cells) < STEP_COLUMNS:
                cells.append(step)
            else:
                cells[-1] = ["\n".join(pair) for pair in zip(cells[-1], step, strict=True)]
        cells += [[""] * len(_STEP_PARTS)] * (STEP_COLUMNS - len(cells))
        return [cell for step in cells for cell in step]


class CsvWriter(CsvCells):
    """The office's CSV: one row per person, a column per fact and per part of each step."""

    reserved = CSV_COLUMNS

    def __init__(self, out: IO[str], header: Header, msgs: Messages, codes: bool = False) -> None:
        codes = codes or msgs.lang == "en"
        super().__init__(msgs, codes)
        self.out = out
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.cols = header.passthrough
        self.pick = picker(self.cols)
        labels = {name: msgs("fact", name) for name in FACT_COLUMNS}
        self.assumed = lru_cache(maxsize=256)(
            lambda names: self.list_sep.join(labels[n] for n in names)
        )
        self.blanks = [""] * (len(FACT_COLUMNS) + len(_VERDICT_COLUMNS))
        names = [defused(header.names[i]) for i in self.cols]
        titles = [heading(code, msgs, codes) for code in CSV_COLUMNS]
        self.writer.writerow([*titles[:2], *names, *titles[2:]])
        self.values = lru_cache(maxsize=1024)(self._values)

    def _values(self, facts: Facts) -> list[str]:
        """A row's fact cells: ISO dates, and codes or words (kept: they repeat)."""
        return [
            ""
            if v is None
            else str(v)
            if isinstance(v, date)
            else fact_value(f, v, self.msgs, self.codes)
            for f, v in zip(Facts._fields, facts, strict=True)
        ]

    def verdict(self, row: int, line: int, cells: Sequence[str], judged: Row) -> None:
        facts = self.values(shown_facts(judged.facts, judged.as_of))
        self.writer.writerow(
            [
                row,
                line,
                *map(defused, self.pick(cells)),
                judged.as_of,
                *facts,
                self.assumed(judged.assumed),
                *judged.judged.shown,
                "",
            ]
        )

    def error(self, row: int, line: int, cells: Sequence[str], message: str) -> None:
        shown = map(defused, _passthrough(cells, self.cols))
        self.writer.writerow([row, line, *shown, *self.blanks, defused(message)])

    def divert(self) -> Callable[[], list[str]]:
        """As :meth:`JsonlWriter.divert`: rows kept, one text each (csv writes a row at
        once), taken by the function returned."""
        kept = _Kept()
        self.writer = csv.writer(kept, lineterminator="\r\n")
        self.skip = lambda: kept.append("")  # type: ignore[method-assign]

        def taken() -> list[str]:
            rows = kept[:]
            kept.clear()
            return rows

        return taken

    @contextlib.contextmanager
    def aside(self) -> Iterator[Callable[[], list[str]]]:
        """As :meth:`JsonlWriter.aside`."""
        writer = self.writer
        taken = self.divert()
        try:
            yield taken
        finally:
            self.writer = writer
            del self.skip  # the class's again

    def skip(self) -> None:
        """A row ``--only`` leaves out: nothing to write (an empty text, diverted)."""

    def put(self, rows: list[str]) -> None:
        """Rows another process made (:meth:`divert`), written as this one's."""
        self.out.write("".join(rows))

    def flush(self) -> None:
        """Rows are written as they come (the csv module buffers through the stream)."""
