"""``kenpo batch -o 結果.xlsx``: a workbook an HR office hands out, a sheet per task.

- 一覧 (all): every row, in input order, with the CSV's columns (kenpo_cli/batch/writers.py);
- one sheet per office task (kenpo_cli/batch/tasks.py): 回収する資格確認書, 回収不能届,
  電子証明書の更新案内, 受診できない・確認が必要な人 — each with the person's id and name
  columns (and ``--group-by``'s, e.g. 所属, first), the columns that task needs, sorted
  by the group, then by urgency (overdue, due now, later), then by day.

Every sheet has its header frozen and an autofilter; dates are real date cells; the
input's cells are written as text whatever they hold (an id keeps its leading zeros, a
phone number stays a number as typed, and nothing becomes a formula, so no ``'`` is
needed); column widths fit the longest cell, counting a Japanese character as two.

The 一覧 sheet is streamed (xlsxwriter's constant_memory mode: a row at a time); the task
sheets are sorted, so their rows are kept until the end (a few cells per task step).
The workbook is assembled in memory and written whole through safeio, like every output.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import IO, Any, NamedTuple

from kenpo_cli.batch.header import Header
from kenpo_cli.batch.judge import Row
from kenpo_cli.batch.tasks import (
    URGENCIES,
    Task,
    Urgency,
    due_day,
    ended,
    no_doctor,
    step_task,
    urgency,
)
from kenpo_cli.batch.writers import (
    CSV_COLUMNS,
    FACT_COLUMNS,
    CsvCells,
    clean,
    fact_value,
    heading,
    picker,
    shown_facts,
)
from kenpo_cli.core.model import Action, Coverage, Facts, Verdict
from kenpo_cli.i18n import Messages
from kenpo_cli.privacy import masked
from kenpo_cli.render.view import step_title

_SHEETS = (Task.COLLECT, Task.LOSS_REPORT, Task.RENEWAL, Task.NO_DOCTOR)
# The facts each task's sheet shows beside the step (the ones its letter or form needs).
_TASK_FACTS: dict[Task, tuple[str, ...]] = {
    Task.COLLECT: ("left_on", "kakuninsho", "kakuninsho_expiry", "unreachable"),
    Task.LOSS_REPORT: ("left_on", "kakuninsho", "old_card", "unreachable"),
    Task.RENEWAL: ("cert_expiry", "myna"),
    Task.NO_DOCTOR: ("status", "left_on", "joined_on", "myna", "kakuninsho"),
}
_WIDEST = 60  # characters a column is made wide enough for, at most
# Excel's limits: a sheet's rows and columns (to XFD), and a cell's characters (UTF-16).
_EXCEL_ROWS = 1_048_576
_EXCEL_COLUMNS = 16_384


@lru_cache(maxsize=4096)  # a sheet's texts repeat (reasons, titles, departments)
def display_width(text: str) -> int:
    """How many narrow characters ``text`` takes in a cell: a wide (Japanese) one is two."""
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


class Shown(NamedTuple):
    """A verdict as the workbook writes it (kept with the verdict, as the judge keeps it)."""

    cells: tuple[Any, ...]  # the 一覧 cells from can_see_doctor to warnings
    tasks: tuple[tuple[Task, Urgency, date | None, tuple[Any, ...]], ...]  # a row per task step
    coverage: Coverage


class _Sheet:
    """One worksheet: its headings, and each column's width so far."""

    def __init__(self, sheet: Any, headings: Sequence[str], bold: Any) -> None:
        self.sheet, self.rows = sheet, 0
        self.cut = 0  # cells cut to Excel's 32,767 characters
        self.widths = [min(display_width(h) + 2, _WIDEST) for h in headings]
        sheet.write_row(0, 0, headings, bold)
        sheet.freeze_panes(1, 0)

    def write(self, values: Sequence[Any], date_format: Any) -> None:
        self.rows += 1
        if self.rows >= _EXCEL_ROWS:
            return  # beyond Excel's last row (the CSV has every row)
        sheet, widths, row = self.sheet, self.widths, self.rows
        for col, value in enumerate(values):
            if isinstance(value, str):
                if value:
                    if sheet.write_string(row, col, value) == -2:
                        self.cut += 1
                    # A column as wide as it gets, or a cell too short to widen it, is
                    # not measured (most cells, after the first rows).
                    if widths[col] < _WIDEST and 2 * len(value) + 2 > widths[col]:
                        width = display_width(value) + 2
                        if width > widths[col]:
                            widths[col] = min(width, _WIDEST)
            elif isinstance(value, date):
                sheet.write_datetime(row, col, value, date_format)
                widths[col] = max(widths[col], 12)
            elif value is not None:
                sheet.write_number(row, col, value)

    def finish(self) -> None:
        last = min(self.rows, _EXCEL_ROWS - 1)
        self.sheet.autofilter(0, 0, last, len(self.widths) - 1)
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, width)


class WorkbookWriter:
    """The workbook's rows, as the batch judges them; :meth:`flush` at the end writes it."""

    reserved = CSV_COLUMNS

    def __init__(
        self,
        out: IO[str],
        header: Header,
        msgs: Messages,
        group_by: int | None = None,
        codes: bool = False,
    ) -> None:
        import xlsxwriter  # type: ignore[import-untyped]  # only for a workbook: ~70 ms

        self.out, self.msgs = out, msgs
        self.codes = codes or msgs.lang == "en"
        self.cells = CsvCells(msgs, self.codes)
        # The input's columns that fit beside the verdict's on a sheet ending at XFD (the
        # verdict's are never the ones left out; a CSV has them all).
        room = _EXCEL_COLUMNS - 2 - len(CSV_COLUMNS[2:])
        self.cols = header.passthrough[:room]
        self.columns_left = len(header.passthrough) - len(self.cols)
        self.pick = picker(self.cols)
        self.data = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.data, {"constant_memory": True, "strings_to_formulas": False}
        )
        self.bold = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.date_format = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.group = group_by
        people = [i for i in self.cols if _a_person_column(header.names[i])] or list(self.cols)
        self.people = [i for i in people if i != group_by][: _EXCEL_COLUMNS - 32]
        self.names = header.names
        names = [clean(header.names[i]) for i in self.cols]
        self.all = _Sheet(self.book.add_worksheet(self._sheet_name("all")), [
            *self._headings(("row", "line")), *names,
            *self._headings(CSV_COLUMNS[2:]),
        ], self.bold)  # fmt: skip
        self.task_rows: dict[Task, list[tuple[Any, ...]]] = {t: [] for t in _SHEETS}
        self.date_columns = {
            n for n, code in enumerate(CSV_COLUMNS[3 + len(FACT_COLUMNS) :])
            if code == "next_deadline" or code.endswith(("_by", "_from"))
        }  # fmt: skip
        # The number of steps, a number (Excel sorts and sums it), as the row number is.
        self.steps_column = list(CSV_COLUMNS[3 + len(FACT_COLUMNS) :]).index("steps")
        # A row's facts and what it assumed repeat down a sheet: each put in words once.
        self._value = lru_cache(maxsize=4096)(self._value)  # type: ignore[method-assign]
        self.assumed = lru_cache(maxsize=256)(
            lambda names: self.cells.list_sep.join(self._heading(f) for f in names)
        )
        self.labels = {
            Urgency.OVERDUE: msgs("sheet", "overdue"),
            Urgency.NOW: msgs("sheet", "now"),
            Urgency.LATER: msgs("sheet", "later"),
        }

    # ---- headings and values in the chosen language ---------------------------------

    def _sheet_name(self, key: str) -> str:
        names = {
            "all": "sheet_all", "collect": "sheet_collect", "loss_report": "sheet_loss_report",
            "renewal": "sheet_renewal", "no_doctor": "sheet_no_doctor",
        }  # fmt: skip
        return self.msgs("sheet", names[key])[:31]

    def _headings(self, codes: Sequence[str]) -> list[str]:
        return [self._heading(code) for code in codes]

    def _heading(self, code: str) -> str:
        return heading(code, self.msgs, self.codes)

    def _value(self, fact: str, value: Any) -> Any:
        """A fact's value as the sheet shows it: a date as a date, a code in words."""
        if value is None or (isinstance(value, (date, int)) and not isinstance(value, bool)):
            return value
        return fact_value(fact, value, self.msgs, self.codes)

    # ---- the writer's interface ------------------------------------------------------

    def render(self, verdict: Verdict) -> Shown:
        """The verdict's 一覧 cells and its rows of the task sheets."""
        cells: list[Any] = list(self.cells.render(verdict))
        for n in self.date_columns:
            if cells[n] and "\n" not in cells[n]:
                cells[n] = date.fromisoformat(cells[n])
        cells[self.steps_column] = int(cells[self.steps_column])
        tasks = []
        gone = ended(verdict)  # (a former member gets no renewal notice)
        for step in verdict.actions:
            task = step_task(step, gone)
            if task is not None:
                tasks.append(self._task_step(task, step, verdict))
        # Members who cannot see a doctor, or must check first (a former member's card has
        # simply ended: that is the return sheets' business, not this one's).
        if no_doctor(verdict):
            if verdict.actions:
                tasks.append(self._task_step(Task.NO_DOCTOR, verdict.actions[0], verdict))
            else:
                tasks.append((Task.NO_DOCTOR, Urgency.NOW, None, ("", None, None, "")))
        return Shown(tuple(cells), tuple(tasks), verdict.coverage)

    def _task_step(
        self, task: Task, step: Action, verdict: Verdict
    ) -> tuple[Task, Urgency, date | None, tuple[Any, ...]]:
        level = urgency(step, verdict.as_of)
        reason = self.msgs.reasons(step.reasons, verdict.audience)
        values = (step_title(step, self.msgs), step.by, step.from_, reason)
        return task, level, due_day(step, verdict.as_of) or step.from_, values

    def verdict(self, row: int, line: int, cells: Sequence[str], judged: Row) -> None:
        shown: Shown = judged.judged.shown
        passed = self.pick(cells)
        used = shown_facts(judged.facts, judged.as_of)
        facts = [self._value(f, v) for f, v in zip(Facts._fields, used, strict=True)]
        assumed = self.assumed(judged.assumed)
        self.all.write(
            [row, line, *passed, judged.as_of, *facts, assumed, *shown.cells, ""], self.date_format
        )
        by_fact = dict(zip(Facts._fields, facts, strict=True))
        for task, level, due, values in shown.tasks:
            title, by, start, reason = values
            person = [cells[i] for i in self.people]
            group = cells[self.group] if self.group is not None else ""
            extra = [by_fact[f] for f in _TASK_FACTS[task]]
            if task is Task.NO_DOCTOR:
                extra = [self._value("can_see_doctor", shown.coverage.value), *extra]
            key = (group, URGENCIES.index(level), due or date.max, line)
            self.task_rows[task].append(
                (key, [*person, self.labels[level], by, start, title, *extra, reason, line])
            )

    def error(self, row: int, line: int, cells: Sequence[str], message: str) -> None:
        passed = [masked(clean(cells[i])) if i < len(cells) else "" for i in self.cols]
        blanks = [""] * (len(CSV_COLUMNS) - 3)
        self.all.write([row, line, *passed, *blanks, message], self.date_format)

    def skip(self) -> None:
        """A row ``--only`` leaves out: nothing to write."""

    def flush(self) -> None:
        """The task sheets, sorted, then the workbook, written whole to ``out``."""
        self.all.finish()
        for task in _SHEETS:
            self._task_sheet(task)
        self.book.close()
        data = self.data.getvalue()
        write_bytes = getattr(self.out, "write_bytes", None)
        if write_bytes is not None:
            write_bytes(data)
        else:  # a binary stream under a text one (standard output)
            self.out.flush()
            self.out.buffer.write(data)  # type: ignore[attr-defined]

    def notes(self) -> list[str]:
        """What Excel's limits kept out of the workbook, for stderr (the CSV keeps it)."""
        said = []
        if self.columns_left:
            kept, total = len(self.cols), len(self.cols) + self.columns_left
            said.append(self.msgs("batch", "xlsx_columns_left", kept=str(kept), total=str(total)))
        if (past := self.all.rows - (_EXCEL_ROWS - 1)) > 0:
            said.append(self.msgs("batch", "xlsx_rows_left", count=str(past)))
        if self.all.cut:
            said.append(self.msgs("batch", "xlsx_cells_cut", count=str(self.all.cut)))
        return said

    def _task_sheet(self, task: Task) -> None:
        group = [clean(self.names[self.group])] if self.group is not None else []
        people = [clean(self.names[i]) for i in self.people]
        facts = list(_TASK_FACTS[task])
        if task is Task.NO_DOCTOR:
            facts = ["can_see_doctor", *facts]
        headings = [
            *group, *people,
            *self._headings(("urgency", "due", "from", "task_step")),
            *self._headings(facts),
            *self._headings(("reason", "line")),
        ]  # fmt: skip
        sheet = _Sheet(self.book.add_worksheet(self._sheet_name(task.value)), headings, self.bold)
        rows = self.task_rows.pop(task)
        rows.sort(key=lambda r: r[0])
        for key, values in rows:
            sheet.write([*([key[0]] if group else []), *values], self.date_format)
        sheet.finish()
        self.all.cut += sheet.cut


def _a_person_column(heading: str) -> bool:
    """Whether a pass-through column names the person (社員番号, 氏名): what every task
    sheet shows of the input, besides ``--group-by``'s column."""
    from kenpo_cli.batch.header import heading_key
    from kenpo_cli.io.calendar_file import _IDS, _NAMES

    key = heading_key(heading)
    return bool(_IDS.search(key) or _NAMES.search(key))
