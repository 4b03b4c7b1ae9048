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

Excel's error cells (``#REF!``, ``#N/A``, ``#VALUE!`` …) keep their text, as a CSV export
of them would: a fact cell holding one is then an error naming the field, never an empty
cell read at its default (calamine gives them as empty: :func:`error_cells` finds them in
the sheet's XML). A number of 16 digits or more has lost its last digits in Excel itself
(it keeps 15): such a cell is noted (:attr:`SheetRecords.lost_digits`) and said on stderr.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
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
    """What the batch asks of a file's records (:class:`kenpo_cli.batch.csvrows.Records`)."""

    def __init__(self, sheets: list[str] | None = None) -> None:
        self.width: int | None = None
        self.line = 0
        self.sheets = sheets or []  # the workbook's sheets, for messages
        self.hidden: list[str] = []  # those of them Excel does not show
        self.lost_digits: list[int] = []  # rows with a number too long to be exact
        # Another sheet's name and rows, by its place (an instructions sheet may come first).
        self.sheet_at: Callable[[int], tuple[str, Iterator[tuple[int, list[str]]]]] | None = None


# Excel keeps 15 significant digits: a whole number past 2**53 cannot be exact either.
_EXACT = 2**53
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\bt="e"[^>]*>.*?</c>', re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_part(book: zipfile.ZipFile, index: int, name: str | None) -> str | None:
    """The zip member of a sheet (by its name, else by its place) of an .xlsx workbook."""
    workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    sheets = re.findall(r"<sheet\b[^>]*>", workbook)
    found = None
    for n, tag in enumerate(sheets):
        named = re.search(r'\bname="([^"]*)"', tag)
        shown = named.group(1) if named else ""
        shown = shown.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        if (name is not None and shown == name) or (name is None and n == index):
            found = tag
            break
    rid = re.search(r'\br:id="([^"]*)"', found or "") or re.search(r'\bid="([^"]*)"', found or "")
    if rid is None:
        return None
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        if re.search(rf'\bId="{re.escape(rid.group(1))}"', rel):
            target = re.search(r'\bTarget="([^"]*)"', rel)
            if target is None:
                return None
            path = target.group(1)
            return path.lstrip("/") if path.startswith("/") else "xl/" + path
    return None


def error_cells(data: bytes, index: int, name: str | None) -> dict[int, dict[int, str]]:
    """Row (from 1) -> column (from 0) -> the error's text (``#REF!``) of an .xlsx sheet's
    error cells; empty for a workbook of another kind, or one that cannot be read so."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            part = _sheet_part(book, index, name)
            if part is None:
                return {}
            xml = book.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return {}
    found: dict[int, dict[int, str]] = {}
    if b't="e"' in xml:
        for cell in _ERROR_CELL.finditer(xml):
            ref, value = _CELL_REF.search(cell.group()), _VALUE.search(cell.group())
            if ref is not None and value is not None:
                row = found.setdefault(int(ref.group(2)), {})
                row[_column_index(ref.group(1))] = value.group(1).decode("utf-8", "replace")
    if b"<f" in xml:
        _unworked_formulas(xml, found)
    return found


_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.S)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")


def _unworked_formulas(xml: bytes, found: dict[int, dict[int, str]]) -> None:
    """Add the cells whose formula was saved without its result (as a script or an HR
    system writes a workbook Excel never opened): read as empty, a VLOOKUP'd 退職日 would
    make a leaver a member. Each becomes its formula's text (``=VLOOKUP(…)``), which
    is no value: the row gets an error naming the column."""
    import html

    for cell in _CELL.finditer(xml):
        inner = cell.group(2)
        formula = _FORMULA.search(inner)
        if formula is None or re.search(rb"<v>[^<]+</v>", inner):
            continue
        ref = _CELL_REF.search(cell.group(1))
        if ref is not None:
            text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            row = found.setdefault(int(ref.group(2)), {})
            row.setdefault(_column_index(ref.group(1)), f"={text}"[:80])


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
    head: bytes, rest: IO[bytes], source: str, sheet: str | None, records: SheetRecords
) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """The sheet's name and its rows as text cells (``head`` is what was read already)."""
    try:
        from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum
    except ImportError:  # kenpo.pyz holds no compiled code: openpyxl reads for it
        return _open_with_openpyxl(head, rest, source, sheet, records)
    try:
        data = head + rest.read()
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        hidden = [m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible]
        index = 0
        if sheet is None:
            # The first sheet the clerk sees: a hidden one (old data, lookups) is not it.
            shown = [i for i, name in enumerate(names) if name not in hidden]
            if not shown:
                raise KenpoError("batch_xlsx", file=source, reason="no sheet")
            index = shown[0]
        elif sheet in names:
            index = names.index(sheet)
        else:
            raise KenpoError("batch_sheet", sheet=echoed(sheet), sheets=", ".join(names))
        zipped = data.startswith(MAGIC[0])
        # The sheet's XML is searched for error cells and let go before calamine holds the
        # sheet: the two at once would double the peak memory on a big sheet.
        errors = error_cells(data, index, sheet) if zipped else {}
        found = book.get_sheet_by_index(index)
        start = found.start or (0, 0)  # the first used cell: calamine's rows begin there
        rows = found.iter_rows()
    except CalamineError as exc:
        raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
    records.sheets, records.hidden = names, hidden

    def sheet_at(at: int) -> tuple[str, Iterator[tuple[int, list[str]]]]:
        try:
            wrong = error_cells(data, at, None) if zipped else {}
            other = book.get_sheet_by_index(at)
            first = other.start or (0, 0)
            cells = _texts(other.name, other.iter_rows(), (first[0] + 1, first[1]), wrong, records)
        except CalamineError as exc:
            raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
        return other.name, cells

    records.sheet_at = sheet_at
    return found.name, _texts(found.name, rows, (start[0] + 1, start[1]), errors, records)


def _texts(
    name: str,
    rows: Iterator[Sequence[Any]],
    first: tuple[int, int],
    errors: dict[int, dict[int, str]],
    records: SheetRecords,
) -> Iterator[tuple[int, list[str]]]:
    """Each row's number (as Excel numbers it) and its cells as text, error cells as their
    text; a row holding a number too long to be exact is noted. A sheet with no cell
    filled in is said to be empty, naming the workbook's sheets (the data is often on
    another: --sheet), not "the CSV"."""
    row_one, column_one = first
    filled = False
    for number, row in enumerate(rows, row_one):
        # Most cells are text already: only the others are converted.
        cells = [v if type(v) is str else cell_text(v) for v in row]
        if any(type(v) is float and abs(v) >= _EXACT and v.is_integer() for v in row):
            records.lost_digits.append(number)
        if errors and (bad := errors.get(number)):
            for column, text in bad.items():
                at = column - column_one
                if 0 <= at < len(cells) and not cells[at]:
                    cells[at] = text
        filled = filled or any(cells)
        yield number, cells
    if not filled:
        raise KenpoError("batch_sheet_empty", sheet=name, sheets=", ".join(records.sheets))


def _open_with_openpyxl(
    head: bytes, rest: IO[bytes], source: str, sheet: str | None, records: SheetRecords
) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """:func:`open_sheet` where calamine cannot be had (kenpo.pyz, tools/build_pyz.py):
    openpyxl's read-only mode, pure Python, ten times slower, .xlsx only."""
    try:
        import openpyxl
    except ImportError:
        raise KenpoError(
            "batch_xlsx", file=source, reason="no .xlsx reader (pip install python-calamine)"
        ) from None
    try:
        data = head + rest.read()
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise KenpoError("batch_sheet", sheet=echoed(sheet), sheets=", ".join(names))
        hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
        shown = [ws for ws in book.worksheets if ws.title not in hidden]
        if sheet is None and not shown:
            raise KenpoError("batch_xlsx", file=source, reason="no sheet")
        found = book[sheet] if sheet is not None else shown[0]
    except KenpoError:
        raise
    except Exception as exc:  # openpyxl raises what zipfile and its XML parser raise
        raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
    records.sheets, records.hidden = names, hidden

    def sheet_at(at: int) -> tuple[str, Iterator[tuple[int, list[str]]]]:
        other = book.worksheets[at]
        rows = other.iter_rows(values_only=True)
        unworked = error_cells(data, at, None)  # (error cells are text)
        return other.title, _texts(other.title, rows, (1, 0), unworked, records)

    records.sheet_at = sheet_at
    return sheet_at(names.index(found.title))
