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

A whole number shows as Excel's number format shows it when that format pads it with
zeros (an employee number 301 formatted ``00000`` is ``00301``, as on screen and in
Excel's own CSV export): the formats are read from the workbook's styles.xml, and the
cells using them from the sheet's XML, in the pass that looks for error cells
(:attr:`SheetRecords.padded` names the columns, said on stderr).

A cell merged over several rows (在籍区分 "退職" over three leavers, a ○ over two
rows) holds its value in its first cell only, the others are empty in the file: Excel
shows it in each row, and an office merges cells to mean "the same for these rows".
Once the header is known (:meth:`SheetRecords.header_ends`), such a range's value is
read into every cell of it below the header (the header's own merged cells are left
to kenpo_cli/batch/header.py, which reads a blank heading as the one before it or
above it). A merge within one row is not copied: it is one wide cell, a section title
(【退職者】) or a note, which Excel's CSV export also holds once. Nor is a range as
wide as the table (a section title two rows tall). The ranges copied are said on
stderr (:attr:`SheetRecords.filled`).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import IO, Any, NamedTuple, cast

from kenpo_cli.errors import KenpoError
from kenpo_cli.privacy import echoed, is_my_number

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
        # a date or time cell held a number no date can be (1e12 under yyyy/mm/dd): its
        # row and the rest were read from a copy without such cells' formats
        self.unformatted = False
        self.hidden_rows: tuple[int, ...] = ()  # rows Excel hides (all read, and said)
        self.hidden_columns: list[int] = []  # columns Excel hides, from the table's first
        self.filtered = False  # a filter is set on the sheet read
        # Another sheet's name and rows, by its place (an instructions sheet may come first).
        self.sheet_at: Callable[[int], tuple[str, Iterator[tuple[int, list[str]]]]] | None = None
        self.filled: list[str] = []  # merged ranges copied into each of their rows (C3:C5)
        self.padded: dict[int, str] = {}  # column -> the zero-padding format it is shown by
        # Columns holding whole numbers in a workbook whose number formats are not read
        # (.xls, .ods): Excel may show them with leading zeros that the file does not hold.
        self.numbers: set[int] = set()
        self.merges: _Merges | None = None  # the merged ranges of the sheet being read

    def header_ends(self, line: int, ahead: Sequence[tuple[int, object]]) -> None:
        """The header's last row is ``line`` and it has ``width`` columns: the merged
        ranges under it are data, copied into each of their cells; in ``ahead`` (the rows
        read past the header already) now, in the rows still to come as they are read."""
        if self.merges is None:
            return
        self.merges.start(line + 1, self.width or 0, self.filled)
        for number, cells in ahead:
            if isinstance(cells, list):
                self.merges.fill(number, cells)


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


# A number format's pieces, as :func:`_padding` keeps them: n digits, or literal text.
Format = tuple[int | str, ...]
# A date format that shows no day (yyyy"年"m"月", mmm-yy, ggge"年"m"月"): Excel keeps
# "2026年12月" typed in a cell as 2026-12-01, and shows it so. Read as the 1st, a 退職日
# of "December" made a leaver of someone still at work: such a cell is read as it is
# shown, which is no date (an error row naming the column).
MONTH_ONLY: Format = ("年月",)
# Excel's built-in formats that show a year and a month only (17: mmm-yy; 34 and 55:
# yyyy"年"m"月" in a Japanese Excel): a workbook names them by number alone.
_MONTH_BUILTIN = {17: "mmm-yy", 34: 'yyyy"年"m"月"', 55: 'yyyy"年"m"月"'}
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def month_only(code: str) -> bool:
    """Whether a number format shows a date's year (or era) and month but not its day."""
    shown = _FORMAT_LITERALS.sub("", code.split(";", 1)[0]).lower()
    return bool(re.search("[yeg]", shown)) and "m" in shown and not re.search("[dhs]", shown)


# Column (from 0) -> the runs of rows (first, last, from 1) whose cells have such a format.
Padding = dict[int, list[tuple[int, int, Format, str]]]


class FromXml(NamedTuple):
    """What an .xlsx sheet's XML tells that calamine's values do not."""

    errors: dict[int, dict[int, str]]  # row (from 1) -> column (from 0) -> ``#REF!``
    padding: Padding  # the cells whose number format pads a whole number with zeros
    merges: list[tuple[int, int, int, int]]  # merged ranges (first row, column, last …)
    known: bool = True  # False: not an .xlsx (an .xls, an .ods), its number formats unread
    hidden: tuple[int, ...] = ()  # rows (from 1) Excel hides (hand-hidden, or filtered out)
    filtered: bool = False  # a filter is set on the sheet
    far: str | None = None  # a cell so far from the rest that calamine's grid would not fit
    hidden_columns: tuple[int, ...] = ()  # columns (from 0) Excel hides: read, and said


_NOTHING = FromXml({}, {}, [], known=False)
# calamine holds a sheet as a grid from its first cell to its last (32 bytes a cell): one
# stray value in XFD1048576 asks for 512 GiB, and the process aborts. A grid of more than
# GRID cells (512 MiB) that is mostly empty (over SPARSE times its cells) is refused.
GRID = 1 << 24
SPARSE = 4
# A cell's reference past column Z (r="AB12"), or a row's or cell's of seven digits or
# more (r="1048576", r="A99999999999"): only rows and cells have an attribute named r.
# (A literal search, linear whatever the file holds.)
_ODD_REF = re.compile(rb' r="(?:([A-Z]{2,})[0-9]|([A-Z]*)([0-9]{7,})")')
_LAST_REF = re.compile(rb' r="[A-Z]*([0-9]{1,7})"')
# Excel's own limits: a reference past them is no sheet Excel wrote, and calamine would
# size its grid by it (a row of 99999999999 asks for 116 GB, and the process aborts).
LAST_ROW, LAST_COLUMN = 1_048_576, 16_384


def _far_cell(xml: bytes) -> str | None:
    """The last row and column of a sheet whose grid would be too big and mostly empty
    (as ``XFD1048576``), or past Excel's limits, else None. The last row is the last
    row's or cell's (rows are written in order), or any row past a million; the widest
    column is searched for in every cell."""
    at = max(xml.rfind(b' r="'), 0)
    last_row = max(map(int, _LAST_REF.findall(xml, max(at - 200, 0))), default=0)
    odd = _ODD_REF.findall(xml)
    wide = {letters for letters, _, _ in odd if letters}
    long = [(int(row), letters) for _, letters, row in odd if row]
    if long and (beyond := max(long))[0] > LAST_ROW:  # (a row's r has no letters: A)
        return f"{(beyond[1] or b'A').decode()[:8]}{beyond[0]}"
    last_row = max([last_row, *(row for row, _ in long)])
    widest = max(wide, key=lambda w: (len(w), w), default=b"Z")[:8]  # (ZZZZZZZ…: past XFD)
    last_column = _column_index(widest) + 1
    area = last_row * last_column
    if last_column <= LAST_COLUMN and (area <= GRID or area <= SPARSE * xml.count(b"<c ")):
        return None
    return f"{widest.decode()}{last_row}"


_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')


def _hidden_rows(xml: bytes) -> tuple[int, ...]:
    """The rows an .xlsx sheet hides: a clerk who filtered the list or hid rows by hand
    sees fewer than kenpo reads, which reads them all (and says so)."""
    if b'hidden="' not in xml:
        return ()
    found = []
    for tag in _ROW_TAG.finditer(xml):
        if _HIDDEN.search(tag.group()) and (number := _ROW_NUMBER.search(tag.group())):
            found.append(int(number.group(1)))
    return tuple(found)


_COL_TAG = re.compile(rb"<col\b[^>]*>")
_COL_SPAN = re.compile(rb'\bmin="([0-9]+)"[^>]*\bmax="([0-9]+)"')


def _hidden_columns(xml: bytes) -> tuple[int, ...]:
    """The columns (from 0) an .xlsx sheet hides (<col min max hidden="1">): last year's
    answers, a lookup; kenpo reads them as any other (and says so)."""
    head = xml[: xml.find(b"<sheetData")] if b"<sheetData" in xml else xml[:65536]
    if b"<col" not in head or b'hidden="' not in head:
        return ()
    found: list[int] = []
    for tag in _COL_TAG.finditer(head):
        if _HIDDEN.search(tag.group()) and (span := _COL_SPAN.search(tag.group())):
            first, last = int(span.group(1)), min(int(span.group(2)), LAST_COLUMN)
            found.extend(range(first - 1, last))
    return tuple(found)


def sheet_xml(data: bytes, index: int, name: str | None) -> FromXml:
    """The error cells, zero-padded number cells and merged ranges of an .xlsx sheet;
    nothing for a workbook of another kind, or one that cannot be read so."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            part = _sheet_part(book, index, name)
            if part is None:
                return _NOTHING
            styles = _padding_styles(book)
            xml = book.read(part)
            stale = _STALE.search(book.read("xl/workbook.xml")) is not None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return _NOTHING  # an .ods
    padding = _padded_cells(xml, styles) if styles else {}
    filtered = b"<autoFilter" in xml
    hidden = _hidden_rows(xml)
    return FromXml(
        error_cells(xml, stale), padding, _merge_cells(xml), True, hidden, filtered,
        _far_cell(xml), _hidden_columns(xml),
    )  # fmt: skip


# A workbook whose formulas are to be worked out when Excel opens it: a program wrote it
# (xlsxwriter, openpyxl, Apache POI), and Excel never saved it. Its formulas' stored
# results are placeholders: xlsxwriter stores 0 for each one not given a value.
_STALE = re.compile(rb'<calcPr\b[^>]*\bfullCalcOnLoad="(?:1|true)"')


def error_cells(xml: bytes, stale: bool = False) -> dict[int, dict[int, str]]:
    """Row (from 1) -> column (from 0) -> the error's text (``#REF!``) of a sheet's
    error cells, and of its formulas saved without a result (``stale``: in a workbook
    Excel is to work out on opening, a stored 0 is no result either)."""
    found: dict[int, dict[int, str]] = {}
    if b't="e"' in xml:
        for cell in _ERROR_CELL.finditer(xml):
            ref, value = _CELL_REF.search(cell.group()), _VALUE.search(cell.group())
            if ref is not None and value is not None:
                row = found.setdefault(int(ref.group(2)), {})
                row[_column_index(ref.group(1))] = value.group(1).decode("utf-8", "replace")
    if b"<f" in xml:
        _unworked_formulas(xml, found, stale)
    return found


_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.S)
_EMPTY_RESULT = re.compile(rb"<v\s*/>|<v>\s*</v>")  # a formula's result: the empty text
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")


def _unworked_formulas(xml: bytes, found: dict[int, dict[int, str]], stale: bool) -> None:
    """Add the cells whose formula was saved without its result (as a script or an HR
    system writes a workbook Excel never opened): read as empty, a VLOOKUP'd 退職日 would
    make a leaver a member. Each becomes its formula's text (``=VLOOKUP(…)``), which
    is no value: the row gets an error naming the column. In a ``stale`` workbook a
    stored 0 is xlsxwriter's placeholder, not a result: read as 0, an
    ``=IF(…,"○","×")`` in マイナ保険証 made a registered member "no"."""
    import html

    for cell in _CELL.finditer(xml):
        inner = cell.group(2)
        formula = _FORMULA.search(inner)
        if formula is None:
            continue
        stored = re.search(rb"<v>([^<]+)</v>", inner)
        if stored is not None and not (stale and stored.group(1).strip() == b"0"):
            continue
        if not stale and _EMPTY_RESULT.search(inner):
            continue  # =IF(B4="","",…) saved by Excel (t="str"): its result is "", no value
        ref = _CELL_REF.search(cell.group(1))
        if ref is not None:
            text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            row = found.setdefault(int(ref.group(2)), {})
            row.setdefault(_column_index(ref.group(1)), _formula_shown(f"={text}")[:80])


def _formula_shown(text: str) -> str:
    """A formula's text as shown (in its cell, and in its row's error): its digits masked
    when, read one after another, they hold a マイナンバー (="1234"&"5678"&"9018" works
    out to one: the masking of a text would see three numbers)."""
    from kenpo_cli.privacy import is_my_number

    digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if "0" <= ch <= "9")
    if any(is_my_number(digits[i : i + 12]) for i in range(len(digits) - 11)):
        return re.sub(r"[0-9０-９]", "*", text)
    return text


_STYLES_REL = re.compile(rb"<Relationship\b[^>]*?/styles\"[^>]*>")
_XF_FORMAT = re.compile(rb'<xf\b[^>]*?\bnumFmtId="([0-9]+)"')
# A number format's first section, cut into pieces: a quoted text, an escaped character,
# a [$-411] locale or a [Red] colour, a 0, or one of the few literal characters kept.
_FORMAT_PIECE = re.compile(r'"([^"]*)"|\\(.)|\[(?:\$-[0-9A-Fa-f]+|[A-Za-z]+)\]|(0)|([- ()])')


def _padding(code: str) -> Format | None:
    """The pieces of a number format that pads a whole number with zeros (``00000``,
    ``"E"0000``, ``000-0000``): a run of n zeros as n, literal text as itself; None for
    any other format (General, ``0``, dates, ``#,##0``, ``0.00``)."""
    section = code.split(";", 1)[0]
    pieces: list[int | str] = []
    at = 0
    while at < len(section):
        piece = _FORMAT_PIECE.match(section, at)
        if piece is None:
            return None
        quoted, escaped, zero, literal = piece.groups()
        if zero is not None:
            if pieces and isinstance(pieces[-1], int):
                pieces[-1] += 1
            else:
                pieces.append(1)
        elif text := next((t for t in (quoted, escaped, literal) if t is not None), ""):
            pieces.append(text)
        at = piece.end()
    if not any(isinstance(p, int) for p in pieces) or pieces == [1]:
        return None
    return tuple(pieces)


def shown_as(value: float, pieces: Format) -> str:
    """A whole number as a padding format shows it: 301 with ``00000`` is ``00301``, the
    digits beyond the zeros go before the first one (as Excel puts them)."""
    if len(pieces) == 1:  # 00000: the usual one
        return str(int(value)).zfill(cast(int, pieces[0]))
    zeros = sum(p for p in pieces if isinstance(p, int))
    digits = str(int(value)).zfill(zeros)
    out, at = [], len(digits) - zeros  # the extra digits go with the first run
    out_of_first = True
    for piece in pieces:
        if isinstance(piece, int):
            start = 0 if out_of_first else at
            at += piece
            out.append(digits[start:at])
            out_of_first = False
        else:
            out.append(piece)
    return "".join(out)


def _padding_styles(book: zipfile.ZipFile) -> dict[int, tuple[Format, str]]:
    """A cell style's number (a cell's ``s=``) -> the zero-padding format it shows numbers
    by (its pieces and its code), or a date format with no day (:data:`MONTH_ONLY`), from
    the workbook's styles; empty when none does either."""
    import html

    rels = book.read("xl/_rels/workbook.xml.rels")
    found = _STYLES_REL.search(rels)
    target = re.search(rb'\bTarget="([^"]*)"', found.group()) if found else None
    path = target.group(1).decode() if target else "styles.xml"
    try:
        xml = book.read(path.lstrip("/") if path.startswith("/") else "xl/" + path)
    except KeyError:
        return {}
    formats: dict[int, tuple[Format, str]] = {}
    for tag in re.findall(rb"<numFmt\b[^>]*>", xml):
        number = re.search(rb'\bnumFmtId="([0-9]+)"', tag)
        code = re.search(rb'\bformatCode="([^"]*)"', tag)
        if number and code:
            text = html.unescape(code.group(1).decode("utf-8", "replace"))
            if (pieces := _padding(text)) is not None:
                formats[int(number.group(1))] = (pieces, text)
            elif month_only(text):
                formats[int(number.group(1))] = (MONTH_ONLY, text)
    for number_id, text in _MONTH_BUILTIN.items():
        formats.setdefault(number_id, (MONTH_ONLY, text))
    cell_xfs = re.search(rb"<cellXfs\b.*?</cellXfs>", xml, re.S)
    if cell_xfs is None:
        return {}
    styles = {}
    for n, xf in enumerate(re.findall(rb"<xf\b[^>]*>", cell_xfs.group())):
        number = _XF_FORMAT.match(xf)
        if number and int(number.group(1)) in formats:
            styles[n] = formats[int(number.group(1))]
    return styles


# A styled cell's reference, in the bytes before its ``s="N"`` (Excel, openpyxl and
# xlsxwriter write r= first), else after it; a <row>'s own s= is no cell's.
_REF_BEFORE = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^<>]*\Z')
_TAG_BEFORE = re.compile(rb"<c\b[^<>]*\Z")
_REF_AFTER = re.compile(rb'[^<>]*?\br="([A-Z]+)([0-9]+)"')


def _padded_cells(xml: bytes, styles: dict[int, tuple[Format, str]]) -> Padding:
    """The cells of a sheet whose style pads numbers, as runs of rows in each column (a
    whole id column is one run: memory does not grow with the sheet). The styles'
    ``s="N"`` are found in one search; only the cells having one cost a step (about
    0.15 s for a column of 100,000 such cells)."""
    wanted = b"|".join(b"%d" % style for style in styles)
    columns: dict[bytes, int] = {}
    open_runs: dict[int, list[Any]] = {}  # column -> its last run [first, last, style]
    runs: dict[int, list[list[Any]]] = {}
    for found in re.finditer(rb' s="(' + wanted + rb')"', xml):
        at = found.start()
        ref = _REF_BEFORE.search(xml, max(at - 40, 0), at)
        if ref is None and _TAG_BEFORE.search(xml, max(at - 200, 0), at):
            ref = _REF_AFTER.match(xml, found.end())
        if ref is None:
            continue
        letters, row, style = ref.group(1), int(ref.group(2)), found.group(1)
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_index(letters)
        run = open_runs.get(column)
        if run is not None and run[1] == row - 1 and run[2] == style:
            run[1] = row
        else:
            open_runs[column] = run = [row, row, style]
            runs.setdefault(column, []).append(run)
    return {
        column: [(first, last, *styles[int(style)]) for first, last, style in column_runs]
        for column, column_runs in runs.items()
    }


_MERGE_REF = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def _merge_cells(xml: bytes) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges (first row, first column, last row, last column; from 0),
    from its ``<mergeCells>``, which follows the rows (for openpyxl, whose read-only mode
    does not read it; calamine has its own)."""
    at = xml.find(b"<mergeCells", max(xml.rfind(b"</sheetData>"), 0))  # near the end
    if at == -1:
        return []
    return [
        (int(r0) - 1, _column_index(c0), int(r1) - 1, _column_index(c1))
        for c0, r0, c1, r1 in _MERGE_REF.findall(xml, at)
    ]


class _Merges:
    """A sheet's merged ranges that span several rows, copied into each of their cells
    once the header is known (:meth:`SheetRecords.header_ends`); rows come in order."""

    def __init__(self, ranges: Iterable[tuple[int, int, int, int]], column_one: int) -> None:
        self.column_one = column_one
        self.starting: dict[int, list[tuple[int, int, int]]] = {}  # row -> (last, c0, c1)
        for r0, c0, r1, c1 in ranges:
            if r1 > r0:  # within one row: one wide cell, read once
                self.starting.setdefault(r0 + 1, []).append((r1 + 1, c0, c1))
        for starting in self.starting.values():
            starting.sort(key=lambda span: span[1])  # said left to right
        self.first: int | None = None  # the first row of data, once the header is known
        self.width = 0
        self.active: list[tuple[int, int, int, str]] = []  # (last row, c0, c1, value)
        self.filled: list[str] = []

    def start(self, first: int, width: int, filled: list[str]) -> None:
        self.first, self.width, self.filled = first, width, filled

    def fill(self, number: int, cells: list[str]) -> None:
        """Copy each range's value (its first cell's) into row ``number``'s cells."""
        if self.first is None or number < self.first:
            return
        one = self.column_one
        for last, c0, c1 in self.starting.pop(number, ()):
            value = cells[c0 - one] if 0 <= c0 - one < len(cells) else ""
            # A range as wide as the table is a title (a section two rows tall), not a fact.
            if value and not (c0 - one <= 0 and c1 - one >= self.width - 1 > 0):
                self.active.append((last, c0, c1, value))
                self.filled.append(f"{_letters(c0)}{number}:{_letters(c1)}{last}")
        if not self.active:
            return
        for _, c0, c1, value in self.active:
            # (not past the header's last column: a 備考 merged on into a column with no
            # heading made its rows too wide, each an error)
            end = min(c1 - one, self.width - 1) if self.width else c1 - one
            if end >= len(cells):
                cells.extend([""] * (end + 1 - len(cells)))
            for at in range(max(c0 - one, 0), end + 1):
                cells[at] = value
        self.active = [a for a in self.active if a[0] > number]


def _letters(column: int) -> str:
    """A column's letters, as Excel names it (0: A, 26: AA)."""
    out = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_text(value: Any) -> str:
    """A cell as a CSV export would hold it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e21:
            return repr(value)
        # A whole number past what Excel keeps exact: as Excel shows it, to 15 digits
        # (123456789012346000, not 1.2345678901234568e+17); the summary says so.
        return str(int(value)) if abs(value) < _EXACT else str(int(float(f"{value:.15g}")))
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return _date_text(value)
    if isinstance(value, time):
        return value.isoformat()
    return "" if value is None else str(value)


def _datetime_text(value: datetime) -> str:
    if value.year < _FIRST_YEAR:
        return _NO_DATE
    return value.date().isoformat() if value.time() == _MIDNIGHT else value.isoformat(sep=" ")


def _date_text(value: date) -> str:
    return _NO_DATE if value.year < _FIRST_YEAR else value.isoformat()


_MIDNIGHT = time()
# No date Excel shows is before 1900 (serial 1 is 1900-01-01; 0 is its empty date, a
# time of day here): calamine gives 1899-12-30 for a date-styled cell of NaN. Read as
# the error Excel shows for a number it cannot show, so the row says the cell is bad,
# not that its person left in 1899.
_FIRST_YEAR = 1900
_NO_DATE = "#NUM!"
# cell_text for the kinds of cell calamine gives most, looked up by type (the rest, and
# any subclass, go through cell_text itself).
_TEXT_OF: dict[type, Callable[[Any], str]] = {
    datetime: _datetime_text,
    date: _date_text,
    time: time.isoformat,
}


def open_sheet(
    head: bytes, rest: IO[bytes], source: str, sheet: str | None, records: SheetRecords
) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """The sheet's name and its rows as text cells (``head`` is what was read already)."""
    try:
        from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum
    except ImportError:  # kenpo.pyz holds no compiled code: openpyxl reads for it
        return _open_with_openpyxl(head, rest, source, sheet, records)
    if not os.environ.get("KENPO_DEBUG"):
        # A cell calamine cannot convert makes Rust panic (see _recovering): the panic's
        # message goes to stderr before kenpo recovers; its backtrace need not follow.
        os.environ["RUST_BACKTRACE"] = "0"
    try:
        data = head + rest.read()
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        read = data  # what calamine reads: the workbook, or a copy it can read (below)
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
        if zipped:
            _not_a_bomb(data, source)
        # The sheet's XML is searched for error cells and let go before calamine holds the
        # sheet: the two at once would double the peak memory on a big sheet.
        extra = sheet_xml(data, index, sheet) if zipped else _NOTHING
        _not_too_far(extra, names[index])
        try:
            found = book.get_sheet_by_index(index)
        except CalamineError as exc:
            # An error value calamine does not know (Excel 365's #SPILL!, #CALC!): the
            # copy holds those cells empty, and error_cells gives each its text back.
            if not zipped or (copy := _known_errors_only(data, exc)) is None:
                raise
            book, read = CalamineWorkbook.from_filelike(io.BytesIO(copy)), copy
            found = book.get_sheet_by_index(index)
        start = found.start or (0, 0)  # the first used cell: calamine's rows begin there
        rows = _recovering(found.iter_rows(), read if zipped else None, index, source, records)
        merges = _merged(found.merged_cell_ranges, extra)
    except CalamineError as exc:
        raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
    records.sheets, records.hidden = names, hidden

    def sheet_at(at: int) -> tuple[str, Iterator[tuple[int, list[str]]]]:
        nonlocal book, read
        try:
            wrong = sheet_xml(data, at, None) if zipped else _NOTHING
            _not_too_far(wrong, names[at])
            try:
                other = book.get_sheet_by_index(at)
            except CalamineError as exc:
                if (
                    not zipped
                    or read is not data
                    or (copy := _known_errors_only(data, exc)) is None
                ):
                    raise
                book, read = CalamineWorkbook.from_filelike(io.BytesIO(copy)), copy
                other = book.get_sheet_by_index(at)
            first = other.start or (0, 0)
            spans = _merged(other.merged_cell_ranges, wrong)
            at_first = (first[0] + 1, first[1])
            rows = _recovering(other.iter_rows(), read if zipped else None, at, source, records)
            cells = _texts(other.name, rows, at_first, wrong, spans, records)
        except CalamineError as exc:
            raise KenpoError("batch_xlsx", file=source, reason=str(exc)[:200]) from None
        return other.name, cells

    records.sheet_at = sheet_at
    return found.name, _texts(found.name, rows, (start[0] + 1, start[1]), extra, merges, records)


def _recovering(
    rows: Iterator[Sequence[Any]],
    data: bytes | None,
    index: int,
    source: str,
    records: SheetRecords,
) -> Iterator[Sequence[Any]]:
    """calamine's rows of sheet ``index``; past a cell it cannot convert (a date or time
    cell holding a number no date can be: 1e12 under yyyy/mm/dd or [h]:mm, where its
    conversion overflows, or Rust panics), the rest from a copy of the workbook whose
    such cells have no format: read as the numbers they hold. Every other row is kept."""
    done = 0
    try:
        for row in rows:
            yield row
            done += 1
        return
    except BaseException as exc:  # (pyo3's PanicException is no Exception)
        if not _unconvertible(exc):
            raise
        failed = exc
    fixed = _unformatted_far_numbers(data, index) if data is not None else None
    if fixed is None:
        raise KenpoError("batch_xlsx", file=source, reason=echoed(f"row {done + 1}: {failed}"))
    records.unformatted = True
    from python_calamine import CalamineWorkbook

    again = CalamineWorkbook.from_filelike(io.BytesIO(fixed)).get_sheet_by_index(index)
    rest = again.iter_rows()
    try:
        for _ in range(done):
            next(rest, None)
        yield from rest
    except BaseException as exc:
        if not _unconvertible(exc):
            raise
        raise KenpoError("batch_xlsx", file=source, reason=echoed(str(exc))) from None


# The error values calamine reads (any other refuses the sheet: Excel 365's #SPILL!,
# #CALC!, #FIELD!, #BLOCKED!, #CONNECT!, #BUSY!, #UNKNOWN!, #PYTHON! …).
_KNOWN_ERRORS = frozenset(b"#DIV/0! #N/A #NAME? #NULL! #NUM! #REF! #VALUE! #GETTING_DATA".split())
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


# A part that unpacks past this, this many times its packed size, is a zip bomb: an
# exported sheet's XML packs ten to fifty times; 2 MB that unpack to 2 GB (one cell)
# would take calamine 15 GB of memory and minutes before a row is read.
_BOMB_SIZE = 256 * 1024 * 1024
_BOMB_RATIO = 200


def _not_a_bomb(data: bytes, source: str) -> None:
    """Refuse a workbook with a part that unpacks far past any export's (see _BOMB_SIZE),
    before it is unpacked: the zip's directory says each part's sizes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # (calamine says what is wrong with it)
    for part in parts:
        if part.file_size > _BOMB_SIZE and part.file_size > _BOMB_RATIO * part.compress_size:
            raise KenpoError(
                "batch_xlsx_bomb", file=source, part=echoed(part.filename),
                size=f"{part.file_size / 2**20:,.0f}", packed=f"{part.compress_size / 2**10:,.0f}",
            )  # fmt: skip


def _known_errors_only(data: bytes, exc: Exception) -> bytes | None:
    """The workbook with every error cell of a value calamine does not know left empty
    (its text is error_cells' to give back), or None: not that failure, or no such cell."""
    if "error value" not in str(exc):
        return None

    def emptied(cell: re.Match[bytes]) -> bytes:
        value = _VALUE.search(cell.group())
        if value is None or value.group(1).strip() in _KNOWN_ERRORS:
            return cell.group()
        ref = _CELL_REF.search(cell.group())
        return b"<c %s/>" % ref.group() if ref is not None else b""

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            out, changed = io.BytesIO(), False
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for info in book.infolist():
                    part = book.read(info)
                    if _WORKSHEET.fullmatch(info.filename) and b't="e"' in part:
                        fixed = _ERROR_CELL.sub(emptied, part)
                        changed = changed or fixed != part
                        part = fixed
                    copy.writestr(info, part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return out.getvalue() if changed else None


def _unconvertible(exc: BaseException) -> bool:
    """Whether calamine failed on a cell's value (not an interrupt, not a bug of ours)."""
    return isinstance(exc, OverflowError | ValueError) or type(exc).__name__ == "PanicException"


# A number cell with a format, its value no date's serial (seven digits and more, an
# exponent, nan or inf): its format attribute (s="…") is dropped, the rest kept.
_FAR_NUMBER = re.compile(
    rb'(<c\b[^>]*?)\s+s="[0-9]+"([^>]*>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb"<v>\s*(?:[-+]?[0-9]{7,}|[^<]*[eEnN])[^<]*</v>)"
)


def _unformatted_far_numbers(data: bytes, index: int) -> bytes | None:
    """The workbook with sheet ``index``'s far numbers left unformatted (see _FAR_NUMBER),
    None when it holds none, or is no .xlsx."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            part = _sheet_part(book, index, None)
            if part is None:
                return None
            fixed, count = _FAR_NUMBER.subn(rb"\1\2", book.read(part))
            if not count:
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for info in book.infolist():
                    copy.writestr(info, fixed if info.filename == part else book.read(info))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return out.getvalue()


def _not_too_far(extra: FromXml, name: str) -> None:
    """Refuse a sheet with a stray value far from the rest (see GRID), naming its cell."""
    if extra.far is not None:
        raise KenpoError("batch_sheet_far", sheet=echoed(name), cell=extra.far)


def _merged(
    ranges: list[tuple[tuple[int, int], tuple[int, int]]] | None, extra: FromXml
) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges as calamine has them (an .xlsx or .xls), else as its XML
    does (none for an .ods)."""
    if ranges is None:
        return extra.merges
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]


def _texts(
    name: str,
    rows: Iterator[Sequence[Any]],
    first: tuple[int, int],
    extra: FromXml,
    merges: list[tuple[int, int, int, int]],
    records: SheetRecords,
) -> Iterator[tuple[int, list[str]]]:
    """Each row's number (as Excel numbers it) and its cells as text, error cells as their
    text, whole numbers as a zero-padding format shows them, merged ranges copied into
    each of their rows (once the header is known); a row holding a number too long to be
    exact is noted. A sheet with no cell filled in is said to be empty, naming the
    workbook's sheets (the data is often on another: --sheet), not "the CSV"."""
    row_one, column_one = first
    errors = extra.errors
    padded = [(c - column_one, runs, [0]) for c, runs in extra.padding.items() if c >= column_one]
    spans = _Merges(merges, column_one) if any(r1 > r0 for r0, _, r1, _ in merges) else None
    records.merges = spans
    records.padded = {}
    records.hidden_rows, records.filtered = extra.hidden, extra.filtered
    records.hidden_columns = [c - column_one for c in extra.hidden_columns if c >= column_one]
    numbers = None if extra.known else records.numbers
    numbers_left = 1000  # the first rows tell which columns hold numbers
    filled = False
    lost: list[float] = []  # the row's whole numbers too long to be exact

    def number_text(value: float) -> str:
        if value.is_integer() and abs(value) >= _EXACT:
            lost.append(value)
        return _zero_back(cell_text(value))

    by_type: dict[type, Callable[[Any], str]] = {
        **_TEXT_OF,
        float: number_text,
        int: lambda value: _zero_back(cell_text(value)),
    }
    text_of = by_type.get  # each kind of cell's conversion
    for number, row in enumerate(rows, row_one):
        # Most cells are text already: only the others are converted (this runs for
        # every row of a big workbook, in the process that reads it).
        cells = [v if type(v) is str else text_of(type(v), cell_text)(v) for v in row]
        if lost:
            records.lost_digits.append(number)
            lost.clear()
        if padded:
            _pad(number, row, cells, padded, records.padded)
        elif numbers is not None and numbers_left:
            numbers_left -= 1
            numbers.update(i for i, v in enumerate(row) if _whole(v))
        if errors and (bad := errors.get(number)):
            for column, text in bad.items():
                at = column - column_one
                # (A formula's placeholder result, 0, gives way to its text too.)
                if 0 <= at < len(cells) and (not cells[at] or text[0] == "="):
                    cells[at] = text
        if spans is not None:
            spans.fill(number, cells)
        filled = filled or any(cells)
        yield number, cells
    if not filled:
        raise KenpoError("batch_sheet_empty", sheet=name, sheets=", ".join(records.sheets))


def _whole(value: Any) -> bool:
    """Whether a cell holds a whole number (not inf or nan, an .ods may hold them)."""
    kind = type(value)
    return kind is int or (kind is float and value.is_integer())


def _zero_back(text: str) -> str:
    """A number cell's text; a マイナンバー beginning with 0 typed into a number cell is
    kept by Excel as eleven digits: given its zero back, it is masked as any other."""
    if len(text) == 11 and text.isdigit() and is_my_number("0" + text):
        return "0" + text
    return text


def _pad(
    number: int,
    row: Sequence[Any],
    cells: list[str],
    padded: list[tuple[int, list[tuple[int, int, Format, str]], list[int]]],
    shown: dict[int, str],
) -> None:
    """Row ``number``'s whole numbers in the cells of a zero-padding format, and its
    dates in the cells of a format with no day, as shown (each column's runs are walked
    once, as the rows come in order)."""
    for at, runs, next_run in padded:
        n = next_run[0]
        while n < len(runs) and runs[n][1] < number:
            n += 1
        next_run[0] = n
        if n == len(runs) or runs[n][0] > number or at >= len(row):
            continue
        value = row[at]
        if runs[n][2] is MONTH_ONLY:
            if isinstance(value, date):  # (a datetime too): as Excel shows it, no day
                cells[at] = f"{value.year}年{value.month}月"
            continue
        if _whole(value) and 0 <= value < _EXACT:
            cells[at] = shown_as(value, runs[n][2])
            shown.setdefault(at, runs[n][3])


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
        extra = sheet_xml(data, at, None)  # (error cells are text)
        _not_too_far(extra, other.title)  # (openpyxl would fill the grid's rows with None)
        rows = other.iter_rows(values_only=True)
        return other.title, _texts(other.title, rows, (1, 0), extra, extra.merges, records)

    records.sheet_at = sheet_at
    return sheet_at(names.index(found.title))
