"""The ``--ics`` calendar file of ``kenpo check`` and ``kenpo batch``.

The file is written like every output file of kenpo (kenpo_cli/io/safeio.py): whole or
not at all, readable by its owner only, never the file being read, never through a
symbolic link. This module stays light to import:
the calendar renderer (and icalendar) are loaded only when a calendar is written.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kenpo_cli.core.model import Action, Audience, Verdict
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError, shown_file
from kenpo_cli.i18n import Messages
from kenpo_cli.privacy import MASK, masked

if TYPE_CHECKING:
    from kenpo_cli.io.safeio import FileId
    from kenpo_cli.render.ics import EventMaker

Write = Callable[[bytes], None]
# What a batch hands over for each judged row: its number, its cells, its steps with a day
# or owed by the office now, who reads them, and the row's day.
RowHook = Callable[[int, Sequence[str], tuple[Action, ...], Audience, date], None]


class CalendarOrder(NamedTuple):
    """What ``--ics`` asks for: the file, the run's time stamp, and (batch) the id column."""

    path: Path
    stamp: datetime  # DTSTAMP: when the calendar was made (UTC)
    id_column: str | None = None
    everything: bool = False  # batch --ics-all: the employees' own steps too


@contextmanager
def write_calendar(path: Path, inputs: Sequence[FileId | None] = ()) -> Iterator[Write]:
    """Give a function that writes bytes into ``path``, through the shared private output
    file (kenpo_cli/io/safeio.py): written whole or not at all, mode 0600, never through a
    link, never over an input; a device or a pipe is written into as it is."""
    from kenpo_cli.io import safeio

    # CRLF line ends are in the bytes already: no newline translation.
    with safeio.output_file(path, newline="", inputs=inputs) as out:

        def write(chunk: bytes) -> None:
            out.write(chunk.decode("utf-8"))

        yield write


def refuse_same_file(
    target: Path, read: str | Path | None = None, others: Mapping[str, Path | None] | None = None
) -> None:
    """Refuse a calendar that would replace the file being read (``-`` is stdin) or
    another file of the command (``others``: option to path, ``-`` is stdin), or
    standard output (``-``, ``/dev/stdout``: the calendar would be mixed into the
    verdict or the rows)."""
    from kenpo_cli.io.safeio import STDOUT, is_standard_output, same_file

    if str(target) == STDOUT or is_standard_output(target):
        raise KenpoError("ics_to_stdout", file=str(target))
    if read is not None and same_file(target, read):
        raise KenpoError("ics_is_input", file=str(target))
    for option, other in (others or {}).items():
        if other is not None and same_file(target, other):
            raise KenpoError("ics_same_file", file=str(target), other=option)


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
    if not any(step.day is not None for step in verdict.actions):
        # An empty calendar is never written in silence: nothing in it is no reminder.
        sys.stderr.write(msgs("calendar", "empty", file=shown_file(str(order.path))) + "\n")


def office_events(
    steps: Sequence[Action], as_of: date, everything: bool = False
) -> list[tuple[Action, tuple[date, str] | None]]:
    """The events of a row in the office's calendar: its tasks (returns, loss reports,
    renewals), and with ``everything`` the employee's own dated steps too. A task due
    already goes on ``as_of``, marked (its deadline past: ``overdue``; owed now with no
    day, due that day, or a return on its 退職日: ``now``); a step waiting for a leaving
    day not known yet has no event."""
    from kenpo_cli.batch.tasks import Urgency, office_step, urgency

    events: list[tuple[Action, tuple[date, str] | None]] = []
    for step in steps:
        office = office_step(step)
        if not office and not everything:
            continue
        level = urgency(step, as_of)
        if office and level is Urgency.OVERDUE:
            events.append((step, (as_of, "overdue")))
        elif office and level is Urgency.NOW and step.on is None and _due_now(step, as_of):
            events.append((step, (as_of, "now")))  # (due today: its alarms have gone by)
        elif step.day is not None:
            events.append((step, None))
    return events


def _due_now(step: Action, as_of: date) -> bool:
    """A task owed now that its own day would put elsewhere: one with no day, one due
    that very day, and a return whose 退職日 is today (its day is the employer's
    deadline; the card is handed over at work today or not at all)."""
    return step.day is None or step.by == as_of or (step.from_ is not None and step.from_ > as_of)


# Control characters (a line break in a cell, say) would break the event's title, and
# the marks that turn text around (U+202E) or isolate it would show it backwards.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]+")


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
        self.column = id_column(order.id_column, columns, passthrough)
        self.maker = _maker(order, pack, msgs)

    @contextmanager
    def rows(self) -> Iterator[RowHook]:
        """The calendar, open while the rows are judged; complete when the block ends."""
        from kenpo_cli.render.ics import FOOTER

        with write_calendar(self.order.path) as write:
            write(self.maker.header("office_name"))
            # How many rows of each name had events: a repeated id (two people under
            # one 社員番号) numbers its repeats, so their events do not share a UID. One
            # small entry per id with a dated step.
            seen: dict[str, int] = {}

            def row(
                number: int,
                cells: Sequence[str],
                steps: tuple[Action, ...],
                audience: Audience,
                as_of: date,
            ) -> None:
                events = office_events(steps, as_of, self.order.everything)
                if not events:
                    return
                name = self.name(number, cells)
                seen[name] = occurrence = seen.get(name, 0) + 1
                maker = self.maker
                write(
                    b"".join(
                        maker.event(step, name, audience, occurrence, today)
                        for step, today in events
                    )
                )

            yield row
            write(FOOTER)

    def name(self, number: int, cells: Sequence[str]) -> str:
        """The row's id cell as events show it: one line, no マイナンバー; its row number if
        the cell is empty."""
        cell = cells[self.column] if self.column is not None and self.column < len(cells) else ""
        plain = _CONTROLS.sub(" ", cell).strip()
        # A cell holding a マイナンバー names nobody: masked, two such rows would share
        # one title and one UID, and a calendar would keep only one of them.
        shown = plain if MASK not in plain and masked(plain) == plain else ""
        return shown or self.msgs("calendar", "row_label", row=str(number))


# Headings of columns that hold people's names (folded by heading_key): 氏名, 社員名,
# 被保険者名, フリガナ, Employee Name … but not 社員番号 or a name's code.
_NAMES = re.compile(
    r"氏名|名前|姓名|名$|名\(|フリガナ|ふりがな|カナ|かな|ローマ字|フルネーム|漢字|本人|対象者"
    r"|name|employee|person|^[姓名]$"
)
_IDS = re.compile(r"番号|コード|code|id$|no\.?$|number")
# A row's place in the list (No., 連番, 通番): it changes when a row is added or taken out,
# so next month's calendar would give one person's events another's name.
_COUNTERS = re.compile(r"no\.?|#|連番|通番|行番号|行no\.?|項番|seq|順番|並び順")
# Columns that sort people into groups (雇用形態, 所属, 店舗コード): every event of a group
# would carry one title. Taken only when nothing else is there.
_GROUPS = re.compile(
    r"雇用|形態|区分|種別|所属|部署|部門|部課|課名|係|職種|役職|職位|等級|店舗|店名|事業所|拠点"
    r"|勤務地|支店|営業所|工場|会社|性別|続柄|備考|メモ|状況|状態|ステータス|status|dept|type"
)


def name_columns(columns: Sequence[str], passthrough: Sequence[int]) -> list[int]:
    """The pass-through columns that hold people's names (氏名, フリガナ), not ids."""
    from kenpo_cli.batch.header import heading_key

    keys = [(i, heading_key(columns[i])) for i in passthrough]
    return [i for i, k in keys if _NAMES.search(k) and not _IDS.search(k)]


def counters(columns: Sequence[str], passthrough: Sequence[int]) -> frozenset[int]:
    """The pass-through columns that hold a row's place in the list (No., 連番)."""
    from kenpo_cli.batch.header import heading_key

    return frozenset(i for i in passthrough if _COUNTERS.fullmatch(heading_key(columns[i])))


def looks_like_ids(heading: str) -> bool:
    """Whether a column's heading says it holds ids (社員番号, 従業員コード, ID)."""
    from kenpo_cli.batch.header import heading_key

    return bool(_IDS.search(heading_key(heading)))


def _id_rank(heading: str) -> int:
    """How well a column's heading names one person: an id (社員番号) 0, another column 1,
    a row's place in the list 2, a group (雇用形態, 店舗コード) 3."""
    from kenpo_cli.batch.header import heading_key

    words = unicodedata.normalize("NFKC", heading).split()
    own = heading_key(words[-1]) if words else ""  # (職員情報 No., two header rows: No.)
    if _GROUPS.search(own):
        return 3
    if _COUNTERS.fullmatch(own):
        return 2
    return 0 if _IDS.search(own) else 1


def id_column(wanted: str | None, columns: Sequence[str], passthrough: Sequence[int]) -> int | None:
    """The index of the column naming each row: ``--id-column``, else the first pass-through
    column that does not hold names, and is no row's place in the list (No., 連番) unless
    every such column is (None when there is none: rows are named by number).
    A calendar is often shared: a person's name goes in only when asked for."""
    if wanted is None:
        from kenpo_cli.batch.header import heading_key

        keys = {i: heading_key(columns[i]) for i in passthrough}
        named = [i for i, k in keys.items() if _IDS.search(k) or not _NAMES.search(k)]
        # An id beside a No. column: the id; a No. beside 雇用形態: the No. A group title
        # over the headings (職員情報 No.) is no part of what the column holds.
        return min(named, key=lambda i: (_id_rank(columns[i]), i), default=None)
    from kenpo_cli.batch.header import is_my_number_column

    for i, name in enumerate(columns):
        if name == wanted.strip():
            if is_my_number_column(name) and i not in passthrough:
                # (its cells are never written: every event would be titled by its row)
                raise KenpoError("ics_id_my_number", column=masked(name))
            return i
    raise KenpoError("ics_id_column", column=wanted, columns=", ".join(columns))
