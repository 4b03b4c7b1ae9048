"""``kenpo batch staff.xlsx``: an Excel workbook read directly (first sheet, or ``--sheet``).

The reader is python-calamine (Rust's calamine): chosen by measurement on a sheet of
100,000 rows × 9 columns (benchmarks/batch.py --xlsx): 1.4 s and 77 MB at its peak,
where openpyxl's read-only mode took 15.6 s (34 MB). calamine reads a sheet whole
before its rows are handed out, so memory grows with the sheet (about 0.6 KB a row of
nine cells); openpyxl's streaming would stay flat but is ten times slower. Importing it
costs about 1 ms, and only a workbook imports it.

Each cell becomes the text a CSV export of it would hold, so the rest of the batch reads
both alike: a date as ``2026-11-01`` (a date-time at midnight too), a whole number as
``1001`` (an employee number stored as a number is not ``1001.0``), ``TRUE``/``FALSE``.
Rows are numbered as Excel numbers them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from kenpo_cli.errors import KenpoError
from kenpo_cli.privacy import echoed

# The first bytes of the workbooks calamine reads: a zip (.xlsx, .xlsm, .ods) and the
# compound file of Excel 97–2003 (.xls).
MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_workbook(sample: bytes) -> bool:
    return sample.startswith(MAGIC)


class SheetRecords:
    """What the batch asks of a file's records (:class:`kenpo_cli.csvrows.Records`)."""

    def __init__(self) -> None:
        self.width: int | None = None
        self.line = 0


def cell_text(value: Any) -> str:
    """A cell as a CSV export would hold it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return "" if value is None else str(value)


def open_sheet(
    head: bytes, rest: IO[bytes], source: str, sheet: str | None
) -> tuple[str, Iterator[list[str]]]:
    """The sheet's name and its rows as text cells (``head`` is what was read already)."""
    try:
        from python_calamine import CalamineError, CalamineWorkbook
    except ImportError:  # kenpo.pyz holds no compiled code: openpyxl reads for it
        return _open_with_openpyxl(head, rest, source, sheet)
    try:
        data = head + rest.read()
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        del data
        names = list(book.sheet_names)
        if sheet is None:
            if not names:
                raise KenpoError("batch_xlsx", file=source, reason="no sheet")
            found = book.get_sheet_by_index(0)
        elif sheet in names:
            found = book.get_sheet_by_name(sheet)
        else:
            raise KenpoError("batch_sheet", sheet=echoed(sheet), sheets=", ".join(names))
        rows = found.iter_rows()
    except CalamineError as exc:
        raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
    return found.name, _said_if_empty(found.name, names, rows)


def _open_with_openpyxl(
    head: bytes, rest: IO[bytes], source: str, sheet: str | None
) -> tuple[str, Iterator[list[str]]]:
    """:func:`open_sheet` where calamine cannot be had (kenpo.pyz, tools/build_pyz.py):
    openpyxl's read-only mode, pure Python, ten times slower, .xlsx only."""
    try:
        import openpyxl
    except ImportError:
        raise KenpoError(
            "batch_xlsx", file=source, reason="no .xlsx reader (pip install python-calamine)"
        ) from None
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(head + rest.read()), read_only=True, data_only=True
        )
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise KenpoError("batch_sheet", sheet=echoed(sheet), sheets=", ".join(names))
        found = book[sheet] if sheet is not None else book.worksheets[0]
    except KenpoError:
        raise
    except Exception as exc:  # openpyxl raises what zipfile and its XML parser raise
        raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
    rows = found.iter_rows(values_only=True)
    return found.title, _said_if_empty(found.title, names, rows)


def _said_if_empty(name: str, names: list[str], rows: Iterator[Any]) -> Iterator[list[str]]:
    """The rows as text cells; a sheet with no cell filled in is said to be empty, naming
    the workbook's sheets (the data is often on another: --sheet), not "the CSV"."""
    filled = False
    for row in rows:
        cells = [v if type(v) is str else cell_text(v) for v in row]  # most are text
        filled = filled or any(cells)
        yield cells
    if not filled:
        raise KenpoError("batch_sheet_empty", sheet=name, sheets=", ".join(names))
