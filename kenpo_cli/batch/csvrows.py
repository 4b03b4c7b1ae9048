"""CSV records from an HR file, streamed, where one broken record never costs another.

The ``csv`` module is fast but trusting: a stray ``"`` opens a quoted field that
swallows every later line up to the next quote (or to the end of the file), and a
cell over its field limit ends the whole read. :class:`Records` keeps csv's speed
and adds what a batch run needs:

- each record's physical lines are kept beside the parser (a ``tee``, so the common
  one-line record costs one extra ``next``) and its first line number is known;
- a record that spans several lines is checked. A well-formed one ends on a line
  with an odd number of quotes (the one closing the field), reads the same under
  csv's strict rules, and has the header's number of fields. A record failing any
  of these is a quote that ran on: its first line is reported (:class:`Malformed`)
  and the lines after it are read again as records of their own, so every later
  record comes back once. So is a record whose quoted cell holds lines that are rows
  (a ditto mark ``"`` typed in an unquoted export, closed by the next one);
- a cell over the csv field limit, or a physical line over :data:`LINE_LIMIT`
  characters, is reported on its record, and reading goes on at the next line.

Memory holds one record at a time (at most a line limit or a field limit of
text), whatever the size of the file.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

LINE_LIMIT = 1 << 20  # characters in one physical line
# Characters in one cell. csv's own limit (131,072) is below what some systems write in a
# quoted cell of many lines (a note, an address history): over it, the rest of that cell
# would be read as rows of their own. Excel's own cells hold at most 32,767.
FIELD_LIMIT = 1 << 22
_LONE_CR = re.compile("\r(?!\n)")
_CR_KEPT = "\ue000"  # a lone CR while csv reads the line (a private-use character)
_NEWLINES = ("\n", "\r")
_SHOWN_CELL = 200  # characters of a cell kept in the error row of a broken record


@dataclass(frozen=True)
class Malformed:
    """A record that could not be read as CSV: what is known of it, and why.

    ``problem`` is a message key of the ``batch`` section (``unclosed_quote``,
    ``cell_too_long``, ``line_too_long`` or ``bad_csv``); ``cells`` are the fields
    of its first line as far as they could be read, for the error row.
    """

    cells: list[str]
    problem: str
    line: int
    detail: str = ""


def _form(cell: str) -> str:
    """A first cell's form: its runs of digits and of Latin letters each as one mark
    (000202 and 000203 alike; E0001 and E12 alike; a note's words not)."""
    return re.sub("[A-Za-z]+", "a", re.sub("[0-9]+", "0", cell.strip()))


def _overlong(line: str) -> bool:
    return len(line) >= LINE_LIMIT and not line.endswith(_NEWLINES)


def _cells_of(line: str, delimiter: str = ",") -> list[str]:
    """The fields of one line read alone, long ones cut short (for an error row)."""
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(max(limit, LINE_LIMIT))
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        cells = []
    finally:
        csv.field_size_limit(limit)
    return [c if len(c) <= _SHOWN_CELL else c[: _SHOWN_CELL - 1] + "…" for c in cells]


class Records:
    """The records of ``text``: lists of fields, or :class:`Malformed` for broken ones.

    Set :attr:`width` to the header's field count once the header is read.
    :attr:`line` is the physical line (1-based) where the last record began.
    """

    def __init__(self, text: IO[str], delimiter: str = ",") -> None:
        self._read = functools.partial(text.readline, LINE_LIMIT)
        if csv.field_size_limit() < FIELD_LIMIT:
            csv.field_size_limit(FIELD_LIMIT)
        self.delimiter = delimiter
        self.width: int | None = None
        self.line = 0
        self._restart((), first_line=1)

    def _restart(self, pushed: Sequence[str], first_line: int) -> None:
        """Read on from ``pushed`` lines (numbered from ``first_line``), then the file."""
        source = itertools.chain(pushed, iter(self._read, ""))
        ahead, self._behind = itertools.tee(source)
        self._reader = csv.reader(ahead, delimiter=self.delimiter)
        self._base = first_line

    def __iter__(self) -> Iterator[list[str] | Malformed]:
        # One generator, its per-record state in locals: this loop runs once per row
        # of files with a million rows (benchmarks/batch.py). A broken record may
        # replace the reader (``restarted``); the outer loop then picks up the new one.
        restarted = True
        while restarted:
            restarted = False
            reader, base, behind = self._reader, self._base, self._behind
            next_line = behind.__next__
            last = reader.line_num
            try:
                for cells in reader:
                    now = reader.line_num
                    self.line = base + last
                    if now - last == 1:  # the common case: one line, one record
                        line = next_line()
                        last = now
                        if len(line) >= LINE_LIMIT and not line.endswith(_NEWLINES):
                            yield from self._too_long([line])
                            restarted = True
                            break
                        if '"' in line and self._open_at_end(line, cells):
                            # A quote still open where the file ends.
                            yield Malformed(self._cells(line), "unclosed_quote", self.line)
                        else:
                            yield cells
                        continue
                    lines = list(itertools.islice(behind, now - last))
                    last = now
                    if any(map(_overlong, lines)):
                        yield from self._too_long(lines)
                        restarted = True
                        break
                    if self._well_formed(cells, lines):
                        yield cells
                        continue
                    closed = lines[-1].count('"') % 2  # (by a quote on its last line)
                    problem = (
                        "swallowed_rows" if closed and self._swallowed(lines) else "unclosed_quote"
                    )
                    yield Malformed(self._cells(lines[0]), problem, self.line)
                    self._restart(lines[1:], self.line + 1)
                    restarted = True
                    break
            except csv.Error as exc:
                # csv gave up on a record (and resets for the next): report it, go on.
                yield from self._broken(last, str(exc))
                restarted = True  # re-enter: the same reader, or the one that replaced it

    def _open_at_end(self, line: str, cells: list[str]) -> bool:
        """Whether the file's last line leaves a quote open (csv reads it as closed)."""
        if cells and cells[-1].endswith(_NEWLINES):
            return True
        if line.endswith(_NEWLINES):
            return False
        try:  # the last line, without a line end: only the strict reading sees it
            next(csv.reader([line], strict=True, delimiter=self.delimiter), None)
        except csv.Error:
            return True
        return False

    def _cells(self, line: str) -> list[str]:
        return _cells_of(line, self.delimiter)

    def _well_formed(self, cells: list[str], lines: list[str]) -> bool:
        """Whether a record of several lines is one (not a quote that ran on).

        Lenient parsing takes ``"a`` on one line and ``x,"a`` on the next as one
        record whose quote closed (and ``a`` follows it): strictly, a closing quote
        is followed by a comma or the end of the line, so that is two stray quotes.
        """
        # (one empty cell too many at the end is a trailing comma, not a broken record)
        if self.width is not None and (len(cells) < self.width or any(cells[self.width :])):
            return False
        if lines[-1].count('"') % 2 == 0 or self._swallowed(lines):
            return False
        try:
            return next(csv.reader(lines, strict=True, delimiter=self.delimiter)) == cells
        except (csv.Error, StopIteration):
            return False

    def _broken(self, before: int, reason: str) -> Iterator[list[str] | Malformed]:
        """The record csv gave up on (a cell over the field limit, usually)."""
        self.line = self._base + before
        lines = list(itertools.islice(self._behind, self._reader.line_num - before))
        if any(map(_overlong, lines)):
            yield from self._too_long(lines)
        elif len(lines) > 1:  # a quote ran on until the field limit stopped it
            yield Malformed(self._cells(lines[0]), "unclosed_quote", self.line)
            self._restart(lines[1:], self.line + 1)
        elif lines and "new-line character" in reason and _LONE_CR.search(lines[0]):
            yield self._lone_cr(lines[0])
        else:
            first = lines[0] if lines else ""
            problem = "cell_too_long" if "field larger" in reason else "bad_csv"
            yield Malformed(self._cells(first), problem, self.line, reason)

    def _lone_cr(self, line: str) -> list[str] | Malformed:
        """A line with a carriage return inside an unquoted cell (pasted from an old Mac
        text): the CR is kept in its cell, not taken for the end of a record."""
        kept = _LONE_CR.sub(_CR_KEPT, line)
        try:
            cells = next(csv.reader([kept], delimiter=self.delimiter), [])
        except csv.Error as exc:
            return Malformed(self._cells(line.replace("\r", " ")), "bad_csv", self.line, str(exc))
        return [c.replace(_CR_KEPT, "\r") for c in cells]

    def _swallowed(self, lines: list[str]) -> bool:
        """Whether the quoted cell of a record of several lines holds rows of their own: a
        line in it with the header's number of fields that begins as the record does
        (an employee number of the same form). A lone ``"`` typed for 同上 in an unquoted
        export opens such a cell, and the next one closes it, rows later."""
        delimiter = self.delimiter
        # (Before the header is known: the fields of the record's first line up to its
        # quote, the fewest a row has.)
        first = lines[0]
        width = self.width or first[: first.rfind('"')].count(delimiter) + 1
        form = _form(first.split(delimiter, 1)[0])
        if width < 3 or not form:
            return False
        last = lines[-1]
        inner = [*lines[1:-1], last[: last.rfind('"')]]  # (the closing quote's line: before it)
        return any(
            line.count(delimiter) >= width - 1 and _form(line.split(delimiter, 1)[0]) == form
            for line in inner
        )

    def _too_long(self, lines: list[str]) -> Iterator[Malformed]:
        """Report a line over :data:`LINE_LIMIT`, then skip the rest of it and read on after.

        The rest is skipped only when the next record is asked for: a header that
        runs on (``kenpo batch /dev/zero``) is refused at once, not read for ever.
        """
        yield Malformed(self._cells(lines[0][: _SHOWN_CELL * 8]), "line_too_long", self.line)
        if _overlong(lines[-1]):
            while (piece := self._read()) and _overlong(piece):
                pass
        self._restart((), self.line + len(lines))


# ---- opening a file: its encoding and its delimiter ----------------------------------

SAMPLE = 1 << 16  # bytes looked at before the first record is read
# The names --encoding takes (folded: case, "-" and "_" ignored), and the codec each means.
# Excel's "Shift_JIS" is Microsoft's code page 932, which has ①, ㈱, 髙 and 﨑.
ENCODING_NAMES = {
    "auto": "auto",
    "utf8": "utf-8",
    "utf8sig": "utf-8-sig",
    "cp932": "cp932",
    "ms932": "cp932",
    "shiftjis": "cp932",
    "sjis": "cp932",
    "xsjis": "cp932",
    "windows31j": "cp932",
    "mskanji": "cp932",
    "utf16": "utf-16",
    "utf16le": "utf-16-le",
    "utf16be": "utf-16-be",
    "eucjp": "euc-jp",
}
ENCODINGS_SHOWN = "auto, utf-8, utf-8-sig, cp932 (Shift_JIS), utf-16, euc-jp"
UNDECIDED = "ascii"  # the first bytes were all ASCII: UTF-8 or CP932 is decided later
_UTF16 = ("utf-16", "utf-16-le", "utf-16-be")
_UTF16_ESCAPE = "kenpo.utf16escape"
_ESCAPE = "kenpo.surrogateescape"
# Undecodable bytes met by any reading so far: a row read while this stays as it was
# holds none, and the batch need not search it for them (see escapes).
_ESCAPES = [0]
_surrogateescape = codecs.lookup_error("surrogateescape")


def _escape_bytes(err: UnicodeError) -> tuple[str, int]:
    """UTF-16 bytes that do not decode kept as lone surrogates (U+DC00 + byte), like
    ``surrogateescape`` does for the bytes it can (only those from 0x80)."""
    assert isinstance(err, UnicodeDecodeError)
    _ESCAPES[0] += 1
    bad = err.object[err.start : err.end]
    return "".join(chr(0xDC00 + b) for b in bad), err.end


def _escape_counted(err: UnicodeError) -> tuple[str | bytes, int]:
    """``surrogateescape``, counted."""
    _ESCAPES[0] += 1
    return _surrogateescape(err)


def escapes() -> int:
    """How many times undecodable bytes were kept so far, by the streams of
    :func:`open_text` and by :class:`LateDecoding`: while it stays as it was when a file
    was opened, no row of it holds any."""
    return _ESCAPES[0]


codecs.register_error(_UTF16_ESCAPE, _escape_bytes)
codecs.register_error(_ESCAPE, _escape_counted)


def encoding_named(value: str) -> str | None:
    """The codec ``--encoding`` names (``UTF-8``, ``utf8``, ``Shift_JIS``, ``sjis``, …)."""
    return ENCODING_NAMES.get("".join(ch for ch in value.lower() if ch.isalnum()))


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file that begins with ``sample``.

    A byte-order mark decides; so do the zero bytes of UTF-16 without one. Otherwise
    UTF-8 if the sample reads as UTF-8, else CP932 (Excel's), by fewer errors; a sample
    of plain ASCII decides nothing (:data:`UNDECIDED`, see :class:`LateDecoding`).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Zero bytes after the last row (a file cut short by a crash, padded by the disk) are
    # not UTF-16's: only those among the text count.
    if (utf16 := _utf16_without_bom(sample.rstrip(b"\x00"))) is not None:
        return utf16
    if sample.isascii():
        return UNDECIDED
    utf8, _ = utf8_lines(sample)
    if utf8:  # CP932 text is hardly ever valid UTF-8, line after line: UTF-8 it is
        return "utf-8"
    errors = {}
    for enc in ("utf-8", "cp932"):
        decoder = codecs.getincrementaldecoder(enc)(errors="replace")
        errors[enc] = decoder.decode(sample, final=False).count("\ufffd")
        if errors[enc] == 0:
            return enc
    return "utf-8" if errors["utf-8"] <= errors["cp932"] else "cp932"


# Byte-order marks of encodings kenpo does not read, longest first (UTF-32's little-
# endian mark begins with UTF-16's).
_UNSUPPORTED_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\x84\x31\x95\x33", "GB18030"),
    (b"+/v8", "UTF-7"),
    (b"+/v9", "UTF-7"),
    (b"+/v+", "UTF-7"),
    (b"+/v/", "UTF-7"),
    (b"\xf7\x64\x4c", "UTF-1"),
    (b"\xdd\x73\x66\x73", "UTF-EBCDIC"),
    (b"\x0e\xfe\xff", "SCSU"),
    (b"\xfb\xee\x28", "BOCU-1"),
)


def unsupported_encoding(sample: bytes) -> str | None:
    """The name of an encoding kenpo does not read that ``sample`` is plainly in (by its
    byte-order mark, or UTF-32's two high zero bytes in every character of the BMP),
    else None. Read as UTF-8 or UTF-16 such a file would be one bad cell, or no header."""
    for mark, name in _UNSUPPORTED_MARKS:
        if sample.startswith(mark):
            return name
    # Zero bytes after the last row are a crash's padding, not text: judged without them.
    sample = sample.rstrip(b"\x00")
    quads = len(sample) // 4
    if quads >= 2 and b"\x00\x00" in sample:
        zeros = [sample[i : quads * 4 : 4].count(0) * 10 >= quads * 9 for i in range(4)]
        # UTF-16 has zero bytes in every other place at most; UTF-32 in two side by side
        # (little-endian: the last two of four; big-endian: the first two).
        if (zeros[2] and zeros[3]) or (zeros[0] and zeros[1]):
            return "UTF-32"
    return None


def utf8_lines(sample: bytes) -> tuple[int, list[int]]:
    """Of the sample's lines that are not ASCII: how many read as UTF-8 (more than a
    stray character's worth), and the numbers (1-based) of those that do not."""
    good, bad = 0, []
    lines = sample.split(b"\n")
    if len(sample) >= SAMPLE:
        lines.pop()  # it may be cut in the middle of a character
    for n, line in enumerate(lines, 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(n)
            continue
        good += sum(1 for ch in text if not ch.isascii()) > 1 or len(lines) < 4
    # A lone two-byte CP932 character can read as UTF-8 by chance: one line is no
    # evidence against many.
    return (good if good >= len(bad) else 0), bad


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for a sample whose zero bytes say UTF-16 (UTF-16 has one
    in every ASCII character: commas, digits, line ends), by which half of the pairs has
    them. A stray zero byte in a UTF-8 or CP932 file (a broken cell) is not enough: it
    would cost the whole file, not that row."""
    if b"\x00" not in sample:
        return None
    pairs = len(sample) // 2 * 2
    if max(sample[0:pairs:2].count(0), sample[1:pairs:2].count(0)) * 10 < pairs // 2:
        return None  # under one character in ten
    return utf16_byte_order(sample)


def utf16_byte_order(sample: bytes) -> str:
    """``utf-16-le`` or ``-be`` for UTF-16 bytes without a byte-order mark: by which half
    of the pairs holds the zero bytes of ASCII characters (little-endian, as Windows
    writes it, when they tell nothing)."""
    pairs = len(sample) // 2 * 2
    even, odd = sample[0:pairs:2].count(0), sample[1:pairs:2].count(0)
    return "utf-16-be" if even > odd else "utf-16-le"


def sniff_delimiter(text: str) -> str:
    """Tab for a tab-separated file (Excel's "Unicode text", TSV), else comma.

    Looks at the first lines: a tab-separated export has more tabs than commas in them.
    """
    head = "\n".join(text.splitlines()[:20])
    return "\t" if head.count("\t") > head.count(",") else ","


class WithoutPadding(io.RawIOBase):
    """The bytes of ``inner`` without the zero bytes it ends with: a file cut short by a
    crash is padded with them, and they would stick to the last row's last cell. Zero
    bytes with text after them are given back (a broken cell's, reported on its row);
    not for UTF-16, whose last character may end with one."""

    HELD = 1 << 20  # zero bytes held back at most (then they are text: /dev/zero)

    def __init__(self, inner: io.RawIOBase) -> None:
        self.inner = inner
        self.pending = b""
        self.held = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            chunk = self.inner.read(len(buffer))
            if not chunk:
                return 0  # the end: the zero bytes held back were padding
            body = chunk.rstrip(b"\x00")
            if body or len(self.held) + len(chunk) > self.HELD:
                self.pending = self.held + (body or chunk)
                self.held = chunk[len(body) :] if body else b""
            else:
                self.held += chunk
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def line_ending(sample: bytes) -> str:
    """How lines end, for reading: at ``\n`` (``\r\n`` included), so that a lone CR pasted
    into a cell stays in it; at any of ``\r``, ``\n`` and ``\r\n`` for a file with no
    ``\n`` at all (old Mac text)."""
    return "\n" if b"\n" in sample or b"\r" not in sample else ""


def open_text(buffered: IO[bytes], encoding: str, newline: str = "") -> IO[str]:
    """``buffered`` as text; undecodable bytes survive as lone surrogates."""
    errors = _UTF16_ESCAPE if encoding in _UTF16 else _ESCAPE
    codec = "utf-8" if encoding == UNDECIDED else encoding
    return io.TextIOWrapper(buffered, encoding=codec, errors=errors, newline=newline)


class LateDecoding:
    """For a file whose first :data:`SAMPLE` bytes were plain ASCII: decide between UTF-8
    and CP932 at the first row that is not, wherever it is.

    The file is read as UTF-8 with undecodable bytes kept (``surrogateescape``), so that
    row's bytes are known exactly. ASCII bytes mean the same in both encodings, and no
    CP932 byte after a lead byte is a comma, tab, quote or line end, so the records are
    split alike either way: only the text of non-ASCII cells changes, and is decoded
    again from then on. Costs one ``isascii`` per row.
    """

    def __init__(self) -> None:
        self.encoding = UNDECIDED
        self.decided_at: int | None = None  # the record (row) where it was decided

    def rows(self, records: Iterator[list[str] | Malformed]) -> Iterator[list[str] | Malformed]:
        for line, cells in enumerate(records, 1):
            raw = cells.cells if isinstance(cells, Malformed) else cells
            if "".join(raw).isascii():
                yield cells
                continue
            if self.encoding == UNDECIDED:
                self._decide(raw, line)
            if self.encoding != "cp932":  # UTF-8 after all: nothing more to do
                yield cells
                yield from records
                return
            again = [c if c.isascii() else _as_cp932(c) for c in raw]
            if isinstance(cells, Malformed):
                yield Malformed(again, cells.problem, cells.line, cells.detail)
            else:
                yield again

    def _decide(self, cells: Sequence[str], line: int) -> None:
        raw = "".join(cells).encode("utf-8", "surrogateescape")
        self.decided_at = line
        try:
            raw.decode("utf-8")
            self.encoding = "utf-8"
        except UnicodeDecodeError:
            try:
                raw.decode("cp932")
                self.encoding = "cp932"
            except UnicodeDecodeError:
                self.encoding = "utf-8"  # neither: its bytes are reported as bad


def _as_cp932(cell: str) -> str:
    return cell.encode("utf-8", "surrogateescape").decode("cp932", _ESCAPE)
