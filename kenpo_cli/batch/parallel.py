"""A long sheet's people judged by several processes, written in the sheet's order.

Judging a row (the screen for a マイナンバー, the verdict, its text) costs several times
reading it, and each row is judged alone. So past the first rows
(:data:`~kenpo_cli.batch.command.PARALLEL_FROM`) the process that reads the sheet forks
workers, one fewer than the processes asked for, which start with all a row needs (the
header, the judge and its caches, the writer). It reads the rows a round at a time
(:data:`BLOCK` rows a process), hands each worker its share and judges its own (its
part changed round by round as the run shows who waits for whom: :class:`_Split`), a
row going to the process its verdict's printed day points to (:func:`router`: one
verdict is judged in one process), and writes the rows in the sheet's order: the
output is the same, byte for byte, as one process's (tests/unit/test_batch_parallel.py).
The reading process judging too, rather than a worker more, was measured 5-9% faster
on two CPUs (benchmarks/batch.py): its own rows are never sent through a pipe, and no
third process waits its turn for a CPU.

Memory stays flat: at most :data:`AHEAD` rounds are read and not yet written, and a
worker has one block at a time. A worker ignores Ctrl-C (the reader stops them all,
and exits 130 as ever), ends on any other ending signal as the system would (the
reader then stops, naming it), and never writes a file: it ends with ``os._exit``, so
nothing of the reader's (the output's temporary file, buffers) is flushed or removed
twice.

Where processes cannot be forked (Windows, and macOS, where forking without exec is
unsafe) the rows are judged in one process, as they are for a short sheet and with
``KENPO_JOBS=1``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kenpo_cli.batch.csvrows import Malformed
from kenpo_cli.batch.writers import CsvWriter, JsonlWriter
from kenpo_cli.errors import ExitStatus, KenpoError
from kenpo_cli.privacy import echoed

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from kenpo_cli.batch.command import Judging, Person
    from kenpo_cli.batch.header import Header

BLOCK = 1024  # rows a worker is handed at a time
_NO_MEMORY = ("MemoryError",)  # a worker's answer when it ran out of memory
AHEAD = 3  # rounds read before the first of them is written (a round: BLOCK rows a worker)
MOST = 4  # processes at most, whatever the CPUs: the reader writes all they make
SAME_DAY = 64  # rows of one day handed to one worker; the day's next rows are shared out
_DAYS_KEPT = 1 << 16  # days counted before the count starts again (memory stays flat)


def jobs() -> int:
    """How many processes judge a long sheet: ``KENPO_JOBS`` (a whole number, 1 for one
    process; more than :data:`MOST` is taken as MOST), else the CPUs this process may run
    on (at most MOST); one where processes cannot be forked."""
    raw = os.environ.get("KENPO_JOBS", "").strip()
    if raw:
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit() and digits):
            accepted = ", ".join(map(str, range(1, MOST + 1)))
            raise KenpoError("bad_option", field="KENPO_JOBS", value=echoed(raw), accepted=accepted)
        wanted = MOST if len(digits) > 2 else min(int(digits), MOST)  # (never a fork bomb)
    else:
        wanted = min(_cpus(), MOST)
    return wanted if can_fork() else 1


def can_fork() -> bool:
    """Whether workers can be forked here (not on Windows, not on macOS)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def _cpus() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class _Worker:
    """A forked worker: its process, the pipe it is handed blocks on, the one it answers on."""

    def __init__(self, pid: int, tasks: Connection, results: Connection) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.reaped = False  # its end collected: its number may be another process's now

    def close(self) -> None:
        self.tasks.close()
        self.results.close()


class WorkerFailed(RuntimeError):
    """A worker ended without its answer (a bug of ours: exit 70, its traceback shown
    with KENPO_DEBUG=1)."""


def share(persons: Iterable[Person], work: Judging, count: int) -> None:
    """Judge ``persons`` in ``count`` processes, this one and ``count - 1`` workers (each
    a copy of ``work`` as it is now), and write their rows through ``work``'s writer in
    order, adding their tallies to its."""
    from multiprocessing.connection import wait

    writer = work.writer
    assert isinstance(writer, JsonlWriter | CsvWriter), "a workbook is written by one process"
    writer.flush()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered twice in the workers
        stream.flush()
    workers: list[_Worker] = []
    try:
        for _ in range(count - 1):
            workers.append(_start(work, workers))
        split = _Split(count)
        rounds = _rounds(persons, split, router(work.header))
        own = _Own(work)
        read: deque[_Round] = deque()  # rounds read and not yet written (AHEAD at most)
        first = 0  # the number of read[0] among all rounds
        mine = 0  # the round whose block this process judges next
        due = [0] * len(workers)  # each worker's next round
        busy: dict[Any, int] = {}  # workers at work, by the pipe they answer on
        more = True
        while True:
            for n, worker in enumerate(workers):  # each free worker: its next block
                if worker.results not in busy:
                    if due[n] - first < len(read):
                        block = read[due[n] - first].blocks[n + 1]
                        worker.tasks.send_bytes(_pickled(block))
                        busy[worker.results] = n
                    elif more:
                        split.starved = True  # it waits for rows: this process takes fewer
            ready = wait(list(busy), timeout=0) if busy else []
            if not ready:
                if more and len(read) < AHEAD:  # rows read while the workers work
                    if (next_round := next(rounds, None)) is None:
                        more = False
                    else:
                        read.append(next_round)
                    continue
                if mine - first < len(read):  # this process's own block
                    this = read[mine - first]
                    if (answer := own.step(this.blocks[0])) is not None:
                        this.answers[0] = answer
                        mine += 1
                elif busy:
                    if more:
                        split.idle = True  # nothing to do but wait: it takes more
                    ready = wait(list(busy))
            for pipe in ready:
                n = busy.pop(pipe)
                read[due[n] - first].answers[n + 1] = _answer(workers[n])
                due[n] += 1
            while read and None not in read[0].answers:  # a whole round answered
                _write(read.popleft(), work)
                first += 1
                split.adjust()
            if not (more or read or busy):
                break
        for worker in workers:
            worker.tasks.close()  # no more blocks: the worker sends its counts and ends
        finals = [_answer(worker) for worker in workers]
        finals.append(own.final())
        for counts, turning_75, undated, old, contracts in finals:  # and the people it noted
            for counted, rows in counts.items():
                work.tally.counts[counted] += rows
            work.tally.turning_75.add(turning_75)
            work.tally.undated.add(undated)
            work.tally.old_leavers.add(old)
            work.tally.contracts.add(contracts)
        for worker in workers:
            worker.close()
            os.waitpid(worker.pid, 0)
        workers.clear()
    finally:  # an error or Ctrl-C here: the workers are stopped, none is left behind
        for worker in workers:
            worker.close()
            if worker.reaped:
                continue
            try:
                os.kill(worker.pid, 9)
                os.waitpid(worker.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


class _Own:
    """This process's own share of the rows, judged as a worker judges its block, a
    :data:`SLICE` at a time (between them, the workers' answers are taken and they are
    handed their next block: a worker is not kept waiting for a whole block), its rows
    kept apart and its tally its own, then answered as a worker answers."""

    SLICE = 128

    def __init__(self, work: Judging) -> None:
        from kenpo_cli.batch.command import Tally

        self.work, self.tally = work, Tally()
        self.rows: list[Any] = []  # the block's rows judged so far
        self.at = 0  # and how many

    def step(self, block: list[Person]) -> Any:
        """Judge the block's next rows; once it is all judged, its answer (else None)."""
        work, tally = self.work, self.tally
        part = block[self.at : self.at + self.SLICE]
        kept, work.tally = work.tally, tally
        try:
            with work.writer.aside() as taken:  # type: ignore[union-attr]
                work.run(part)
                self.rows += taken()
        finally:
            work.tally = kept
        self.at += len(part)
        if self.at < len(block):
            return None
        answer = (self.rows, tally.errors, tally.written, tally.factless, tally.masked, ())
        self.rows, self.at = [], 0
        tally.errors = tally.written = 0
        tally.factless = []
        return answer

    def final(self) -> Any:
        counts = {c: rows for c, rows in enumerate(self.tally.counts) if rows}
        tally = self.tally
        return counts, tally.turning_75, tally.undated, tally.old_leavers, tally.contracts


class _Split:
    """What share of the rows this process judges beside reading them all: a part in
    :data:`PARTS`, changed a part at a time as the run shows who waits for whom (a
    worker for rows: fewer; this process for answers: more)."""

    PARTS = 64

    def __init__(self, count: int) -> None:
        self.count = count
        # A start: reading costs about a fifth of judging (benchmarks/batch.py).
        others = 1 / max(count - 1, 1)
        self.cut = round(self.PARTS * max(others - 0.2, 0) / (1 + others))
        self.most = self.PARTS // count
        self.starved = self.idle = False
        self.table = self._table()

    def _table(self) -> bytes:
        """The process of each part: this one (0) for ``cut`` of them, spread out, and
        the workers (1 …) in turn for the rest."""
        owners, turn, workers = [], 0, max(self.count - 1, 1)
        for part in range(self.PARTS):
            if (part * 41) % self.PARTS < self.cut:  # (41 is odd: each part once)
                owners.append(0)
            else:
                owners.append(1 + turn % workers)
                turn += 1
        return bytes(owners)

    def adjust(self) -> None:
        """After a round: a part less if a worker waited for rows, else a part more if
        this process waited for answers."""
        cut = self.cut - 1 if self.starved else self.cut + 1 if self.idle else self.cut
        cut = min(max(cut, 0), self.most)
        self.starved = self.idle = False
        if cut != self.cut:
            self.cut = cut
            self.table = self._table()


class _Round:
    """Rows read together: each worker's block of them, which worker has each row (in
    the sheet's order), and each worker's answer once it has come."""

    __slots__ = ("answers", "blocks", "owners")

    def __init__(self, count: int) -> None:
        self.blocks: list[list[Person]] = [[] for _ in range(count)]
        self.owners = bytearray()
        self.answers: list[Any] = [None] * count


# The facts whose days a verdict prints, most telling first: rows are handed out by the
# first of them given (see router).
_ROUTED = ("left_on", "retired_on", "cert_expiry")


def router(header: Header) -> Callable[[list[str]], Hashable]:
    """What a row is handed to a process by: its leaving day (a 資格喪失日 or a 退職日),
    else its certificate's expiry. A verdict prints these days, so there are as many
    verdicts as days; rows with one day go to one process, and their verdict is judged
    once, not once in each. The day as read, not as typed (2026/3/31, R8.3.31 and
    46112 are one day: routed by their text, a day's verdicts were judged in each
    process); the text where it is no date :func:`quick_date` reads. "" for a row with
    no such day (blank, なし, -, 未定: most of a sheet, shared out to even the rows)."""
    from kenpo_cli.core.dates import quick_date

    columns = sorted(
        (i for i, fact in header.facts.items() if fact in _ROUTED),
        key=lambda i: _ROUTED.index(header.facts[i]),
    )
    digit = re.compile(r"\d").search
    read: dict[str, Hashable] = {}  # each cell's day (emptied when it grows big)

    def day(cells: list[str]) -> Hashable:
        for i in columns:
            if (cell := cells[i]) and digit(cell):
                found = read.get(cell)
                if found is None:
                    if len(read) >= _DAYS_KEPT:
                        read.clear()
                    found = read[cell] = quick_date(cell) or cell
                return found
        return ""

    return day


def _rounds(
    persons: Iterable[Person], split: _Split, key: Callable[[list[str]], Hashable]
) -> Iterator[_Round]:
    """The persons, :data:`BLOCK` rows a process in each round: a row with a day
    (:func:`router`) to the process its day hashes to, each other row to the processes
    in turn, each as its share (:class:`_Split`) says. So do the rows of a day met
    :data:`SAME_DAY` times already (Excel's empty date 1900/1/0 on a fifth of a sheet, a
    whole office leaving on 3/31): one process given them all would keep the others
    waiting, and their verdict is soon judged in each anyway."""
    rest = iter(persons)
    count = split.count
    size = BLOCK * count
    met: dict[Hashable, int] = {}  # rows of each day so far (emptied when it grows big)
    last = split.PARTS - 1
    turn = 0
    while batch := list(itertools.islice(rest, size)):
        this = _Round(count)
        blocks, owners, table = this.blocks, this.owners, split.table
        for person in batch:
            cells = person[2]
            day = key(cells) if not isinstance(cells, Malformed) else ""
            if day and (times := met.get(day, 0)) < SAME_DAY:
                met[day] = times + 1
                n = table[hash(day) & last]
            else:
                turn += 1
                n = table[turn & last]
            blocks[n].append(person)
            owners.append(n)
        if len(met) > _DAYS_KEPT:
            met.clear()
        yield this


def _pickled(block: list[Person]) -> memoryview:
    """A block as pickle's bytes, without pickle's memo of every object: rows hold no
    cycle, and a cell met twice is simply sent twice. The memo made pickling a row
    three times as slow (1.4 -> 0.4 us a row), in the reading process."""
    import io
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo (a row holds no cycle)
    pickler.dump(block)
    return buffer.getbuffer()


def _write(done: _Round, work: Judging) -> None:
    """Write a round's rows in the sheet's order, and add its tallies to ``work``'s."""
    writer = work.writer
    assert isinstance(writer, JsonlWriter | CsvWriter)
    rows = [iter(answer[0]) for answer in done.answers]
    writer.put([next(rows[n]) for n in done.owners])
    tally, judge = work.tally, work.judge
    tally.factless += sorted(line for answer in done.answers for line in answer[3])
    for _, errors, written, _, masked, empty in done.answers:
        tally.errors += errors
        tally.written += written
        tally.masked += [name for name in masked if name not in tally.masked]
        judge.empty_dates += [fact for fact in empty if fact not in judge.empty_dates]


def _answer(worker: _Worker) -> Any:
    import pickle

    try:
        answer = pickle.loads(worker.results.recv_bytes())
    except (EOFError, OSError) as err:
        raise _ended(worker, err) from None
    if answer == _NO_MEMORY:
        raise MemoryError
    if isinstance(answer, str):
        raise WorkerFailed(f"worker {worker.pid} failed:\n{answer}")
    return answer


def _ended(worker: _Worker, err: BaseException) -> Exception:
    """Why a worker's pipe closed without its answer: a signal from outside (the system
    short of memory, someone's kill) stops the run as an interruption does (exit 130,
    nothing saved), naming the signal; anything else is a bug of ours."""
    import signal

    try:
        _, status = os.waitpid(worker.pid, 0)
    except ChildProcessError:
        status = 0
    worker.reaped = True
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        stopped = KenpoError("batch_worker_ended", signal=name)
        stopped.exit_status = ExitStatus.INTERRUPTED
        return stopped
    return WorkerFailed(f"worker {worker.pid} ended without an answer: {err!r}")


def _start(work: Judging, others: list[_Worker]) -> _Worker:
    """Fork a worker; in it, serve blocks until the reader has no more."""
    from multiprocessing.connection import Connection

    tasks_in, tasks_out = os.pipe()
    results_in, results_out = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 70
        try:
            os.close(tasks_out)
            os.close(results_in)
            for other in others:  # else a worker would keep another's pipe open
                other.close()
            code = _serve(
                Connection(tasks_in, writable=False), Connection(results_out, readable=False), work
            )
        finally:
            os._exit(code)
    os.close(tasks_in)
    os.close(results_out)
    return _Worker(
        pid, Connection(tasks_out, readable=False), Connection(results_in, writable=False)
    )


def _serve(tasks: Connection, results: Connection, work: Judging) -> int:
    """A worker's life: judge each block handed, answer with its rows and tally; at the
    end, its counts (rows by what the summary counts of their verdicts)."""
    import pickle
    import signal
    import traceback

    from kenpo_cli.batch.command import Tally

    # A signal that ends the reader's run ends a worker as the system would (the reader
    # names it); Ctrl-C is the reader's to handle, which stops the workers.
    for number in signal.valid_signals():
        with contextlib.suppress(OSError, ValueError):
            if callable(signal.getsignal(number)):
                signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        writer = work.writer
        assert isinstance(writer, JsonlWriter | CsvWriter)
        taken: Callable[[], list[bytes] | list[str]] = writer.divert()
        work.tally = tally = Tally()
        judge = work.judge
        while True:
            try:
                block = tasks.recv_bytes()
            except EOFError:
                break
            work.run(pickle.loads(block))
            answer = (
                taken(),
                tally.errors,
                tally.written,
                tally.factless,
                tally.masked,
                judge.empty_dates,
            )
            results.send_bytes(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
            tally.errors = tally.written = 0
            tally.factless = []
        counts = {c: rows for c, rows in enumerate(tally.counts) if rows}
        noted = (counts, tally.turning_75, tally.undated, tally.old_leavers, tally.contracts)
        results.send_bytes(pickle.dumps(noted))
        return 0
    except MemoryError:  # the machine's, not a bug: said as in one process
        with contextlib.suppress(OSError):
            results.send_bytes(pickle.dumps(_NO_MEMORY))
        return 70
    except BaseException:  # a bug of ours: told to the reader, which fails with it
        with contextlib.suppress(OSError):
            results.send_bytes(pickle.dumps(traceback.format_exc()))
        return 70
