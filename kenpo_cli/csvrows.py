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
  record comes back once;
- a cell over the csv field limit, or a physical line over :data:`LINE_LIMIT`
  characters, is reported on its record, and reading goes on at the next line.

Memory holds one record at a time (at most a line limit or a field limit of
text), whatever the size of the file.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters unless changed
LINE_LIMIT = 1 << 20  # characters in one physical line
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


def _overlong(line: str) -> bool:
    return len(line) >= LINE_LIMIT and not line.endswith(_NEWLINES)


def _cells_of(line: str) -> list[str]:
    """The fields of one line read alone, long ones cut short (for an error row)."""
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(max(limit, LINE_LIMIT))
        cells = next(csv.reader([line.rstrip("\r\n")]), [])
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

    def __init__(self, text: IO[str]) -> None:
        self._read = functools.partial(text.readline, LINE_LIMIT)
        self.width: int | None = None
        self.line = 0
        self._restart((), first_line=1)

    def _restart(self, pushed: Sequence[str], first_line: int) -> None:
        """Read on from ``pushed`` lines (numbered from ``first_line``), then the file."""
        source = itertools.chain(pushed, iter(self._read, ""))
        ahead, self._behind = itertools.tee(source)
        self._reader = csv.reader(ahead)
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
                        if '"' in line and cells and cells[-1].endswith(_NEWLINES):
                            # A quote still open where the file ends.
                            yield Malformed(_cells_of(line), "unclosed_quote", self.line)
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
                    yield Malformed(_cells_of(lines[0]), "unclosed_quote", self.line)
                    self._restart(lines[1:], self.line + 1)
                    restarted = True
                    break
            except csv.Error as exc:
                # csv gave up on a record (and resets for the next): report it, go on.
                yield from self._broken(last, str(exc))
                restarted = True  # re-enter: the same reader, or the one that replaced it

    def _well_formed(self, cells: list[str], lines: list[str]) -> bool:
        """Whether a record of several lines is one (not a quote that ran on).

        Lenient parsing takes ``"a`` on one line and ``x,"a`` on the next as one
        record whose quote closed (and ``a`` follows it): strictly, a closing quote
        is followed by a comma or the end of the line, so that is two stray quotes.
        """
        if self.width is not None and len(cells) != self.width:
            return False
        if lines[-1].count('"') % 2 == 0:
            return False
        try:
            return next(csv.reader(lines, strict=True)) == cells
        except (csv.Error, StopIteration):
            return False

    def _broken(self, before: int, reason: str) -> Iterator[Malformed]:
        """The record csv gave up on (a cell over the field limit, usually)."""
        self.line = self._base + before
        lines = list(itertools.islice(self._behind, self._reader.line_num - before))
        if any(map(_overlong, lines)):
            yield from self._too_long(lines)
        elif len(lines) > 1:  # a quote ran on until the field limit stopped it
            yield Malformed(_cells_of(lines[0]), "unclosed_quote", self.line)
            self._restart(lines[1:], self.line + 1)
        else:
            first = lines[0] if lines else ""
            problem = "cell_too_long" if "field larger" in reason else "bad_csv"
            yield Malformed(_cells_of(first), problem, self.line, reason)

    def _too_long(self, lines: list[str]) -> Iterator[Malformed]:
        """Report a line over :data:`LINE_LIMIT`, then skip the rest of it and read on after.

        The rest is skipped only when the next record is asked for: a header that
        runs on (``kenpo batch /dev/zero``) is refused at once, not read for ever.
        """
        yield Malformed(_cells_of(lines[0][: _SHOWN_CELL * 8]), "line_too_long", self.line)
        if _overlong(lines[-1]):
            while (piece := self._read()) and _overlong(piece):
                pass
        self._restart((), self.line + len(lines))
