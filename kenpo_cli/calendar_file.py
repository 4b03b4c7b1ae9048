"""The ``--ics`` calendar file of ``kenpo check`` and ``kenpo batch``.

The file is written whole or not at all and readable by its owner only
(:func:`write_calendar`, the one place that touches it); it is never the file being
read, and never written through a symbolic link. This module stays light to import:
the calendar renderer (and icalendar) are loaded only when a calendar is written.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kenpo_cli.core.model import Action, Audience, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages
from kenpo_cli.privacy import masked

if TYPE_CHECKING:
    from kenpo_cli.render.ics import EventMaker

Write = Callable[[bytes], None]
# What a batch hands over for each judged row: its number, its cells, its dated steps.
RowHook = Callable[[int, Sequence[str], tuple[Action, ...], Audience], None]


class CalendarOrder(NamedTuple):
    """What ``--ics`` asks for: the file, the run's time stamp, and (batch) the id column."""

    path: Path
    stamp: datetime  # DTSTAMP: when the calendar was made (UTC)
    id_column: str | None = None


@contextmanager
def write_calendar(path: Path) -> Iterator[Write]:
    """Give a function that writes bytes into ``path``: the file appears, mode 0600, only
    when the block ends normally; after an error or Ctrl-C the old file is untouched and
    the temporary file is gone. An existing device or pipe (``/dev/stdout``) is written
    into directly, its mode unchanged.

    Issue 10 builds the shared writer of private output files; this is the one place
    to swap for it.
    """
    target = os.fspath(path)
    if _is_device(target):
        with _reported(target):
            device = open(target, "wb", buffering=0)  # noqa: SIM115 (closed below)
        with device:
            yield _writer(device.write, target)
        return
    if os.path.islink(target):
        raise KenpoError("ics_symlink", file=target)
    with _reported(target):
        fd, temp = tempfile.mkstemp(  # created with mode 0600
            dir=os.path.dirname(os.path.abspath(target)), prefix=".kenpo-", suffix=".ics.tmp"
        )
    try:
        with open(fd, "wb") as out:
            yield _writer(out.write, target)
            with _reported(target):
                out.flush()
                os.fsync(out.fileno())
        with _reported(target):
            os.replace(temp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _writer(write: Callable[[bytes], object], target: str) -> Write:
    def checked(chunk: bytes) -> None:
        with _reported(target):
            write(chunk)

    return checked


@contextmanager
def _reported(target: str) -> Iterator[None]:
    """An OSError (disk full, no such folder, a folder in the way) as kenpo's error."""
    try:
        yield
    except OSError as exc:
        raise KenpoError("ics_write", file=target, reason=exc.strerror or str(exc)) from None


def _is_device(target: str) -> bool:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def refuse_same_file(
    target: Path, read: str | Path | None = None, others: Mapping[str, Path | None] | None = None
) -> None:
    """Refuse a calendar that would replace the file being read (``-`` is stdin) or
    another file of the command (``others``: option to path)."""
    if read is not None and read != "-" and _same(target, read):
        raise KenpoError("ics_is_input", file=str(target))
    for option, other in (others or {}).items():
        if other is not None and _same(target, other):
            raise KenpoError("ics_same_file", file=str(target), other=option)


def _same(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.abspath(a) == os.path.abspath(b)


def _maker(order: CalendarOrder, pack: RulePack, msgs: Messages) -> EventMaker:
    from kenpo_cli.render.ics import EventMaker

    return EventMaker(pack, msgs, order.stamp)


def save_verdict(order: CalendarOrder, verdict: Verdict, pack: RulePack, msgs: Messages) -> None:
    """``kenpo check --ics``: the member's dated steps as a calendar."""
    from kenpo_cli.render.ics import FOOTER

    maker = _maker(order, pack, msgs)
    with write_calendar(order.path) as write:
        write(maker.header())
        write(maker.events(verdict.actions, audience=verdict.audience))
        write(FOOTER)


# Control characters (a line break in a cell, say) would break the event's title.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class RowCalendar:
    """``kenpo batch --ics``: every row's dated steps in one calendar for the HR office,
    each event named by the row's id cell, written as the rows come.

    Built before any output is created, so a wrong ``--id-column`` writes nothing;
    :meth:`rows` opens the file and gives the hook to call for each judged row.
    """

    def __init__(
        self,
        order: CalendarOrder,
        columns: Sequence[str],
        passthrough: Sequence[int],
        pack: RulePack,
        msgs: Messages,
    ) -> None:
        self.order, self.msgs = order, msgs
        self.column = _id_column(order.id_column, columns, passthrough)
        self.maker = _maker(order, pack, msgs)

    @contextmanager
    def rows(self) -> Iterator[RowHook]:
        """The calendar, open while the rows are judged; complete when the block ends."""
        from kenpo_cli.render.ics import FOOTER

        with write_calendar(self.order.path) as write:
            write(self.maker.header("office_name"))

            def row(
                number: int, cells: Sequence[str], steps: tuple[Action, ...], audience: Audience
            ) -> None:
                write(self.maker.events(steps, self.name(number, cells), audience))

            yield row
            write(FOOTER)

    def name(self, number: int, cells: Sequence[str]) -> str:
        """The row's id cell as events show it: one line, no マイナンバー; its row number if
        the cell is empty."""
        cell = cells[self.column] if self.column is not None and self.column < len(cells) else ""
        shown = masked(_CONTROLS.sub(" ", cell)).strip()
        return shown or self.msgs("calendar", "row_label", row=str(number))


def _id_column(
    wanted: str | None, columns: Sequence[str], passthrough: Sequence[int]
) -> int | None:
    """The index of the column naming each row: ``--id-column``, else the first pass-through
    column (None when there is none: rows are named by number)."""
    if wanted is None:
        return passthrough[0] if passthrough else None
    for i, name in enumerate(columns):
        if name == wanted.strip():
            return i
    raise KenpoError("ics_id_column", column=wanted, columns=", ".join(columns))
