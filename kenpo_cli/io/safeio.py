"""Output files that are written whole or not at all, and never where they must not be.

Every file kenpo writes (``batch -o``, ``check --save-answers``, ``--ics``) goes
through :func:`output_file`:

- it is written to a temporary file beside the target, created with mode 0600
  (or the mode of the file it replaces), and renamed over the target only when
  everything is written and synced. On
  Ctrl-C, an error or a full disk the temporary file is removed and an earlier
  file at the target is left exactly as it was;
- a target that is a symbolic link to a file is refused (exit 2): kenpo never
  follows a link to overwrite what it points to, and does not replace the link
  either, since the user named the link meaning its target. Write to the real path;
- a target that is a file the run reads (the CSV, a rule pack, an answers file:
  the same file, through any path or hard link) is refused before anything is written;
- a target that is not a regular file (``/dev/null``, a terminal, a pipe) is
  written to directly: it is not created, truncated or chmod-ed, so kenpo never
  changes the mode of a device it did not create. Any other device (a disk, a
  partition, ``/dev/kmsg``) is refused: rows written there would overwrite a disk or
  land in a log;
- two outputs of one run that are the same file (through a symlinked folder, a hard
  link, ``/proc/self/fd``) are refused before the second is begun: one would be lost;
- standard output that is a file the run reads (``kenpo check --answers a.toml >>
  a.toml``) is refused as soon as the file is read, whatever the command;
- standard input that is a regular file is an input whatever the command reads: no
  output may replace it (``--save-answers a.toml < a.toml``), nor standard output or
  error be it;
- standard error that is a file the run reads (``2>> in.csv``, ``2<> in.csv``) is
  refused too, but nothing can be said there: it is sent to the null device first and
  exit status 2 alone tells;
- ``/dev/ptmx`` is refused like a disk: each opening makes a new pseudo-terminal whose
  other end nobody reads, though it is a terminal to ``isatty()``;
- on Windows, a target another program holds open (Excel, OneDrive, an antivirus
  scanner) cannot be replaced: kenpo asks for it to be closed, before any work where
  it can tell, else after retrying the rename for a moment; the temporary file is
  removed and the earlier file kept. Mode 0600 there only means "not read-only": the
  file gets the permissions of its folder (README, "Windows").

The temporary file is named ``.kenpo-<target's name>.<random>.tmp`` so that a leftover
(a process killed outright) says what it is and which output it was becoming; the
target's name is cut to 32 characters, so a name near the file system's limit still
gets a temporary file beside it.

The module remembers which targets were completed and which were abandoned, so
the command line can say truthfully whether anything was saved.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from kenpo_cli.errors import KenpoError, os_reason

STDOUT = "-"
STANDARD_OUTPUT = "standard output"


class FileId(NamedTuple):
    """A file's identity, whatever path or hard link reaches it."""

    dev: int
    ino: int


def file_id(st: os.stat_result) -> FileId | None:
    """The identity of a regular file; ``None`` for devices, pipes and terminals."""
    return FileId(st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def id_of_fd(fd: int) -> FileId | None:
    """The identity of the regular file open on ``fd`` (``None`` otherwise or if closed)."""
    try:
        return file_id(os.fstat(fd))
    except (OSError, ValueError):
        return None


def is_standard_output(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` reaches what standard output is writing to (``/dev/stdout``, or
    ``/proc/self/fd/1``, or the file stdout was redirected to): a second output there
    would be mixed into the first. ``/dev/null`` mixes nothing and is not counted."""
    try:
        target, out = os.stat(path), os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    if (target.st_dev, target.st_ino) != (out.st_dev, out.st_ino):
        return False
    return not stat.S_ISCHR(out.st_mode) or os.isatty(sys.stdout.fileno())


def id_of_stream(stream: Any) -> FileId | None:
    """The identity of the regular file behind a stream such as ``sys.stdin``."""
    try:
        return id_of_fd(stream.fileno())
    except (AttributeError, OSError, ValueError):  # closed, or a test's in-memory stream
        return None


class _Output(NamedTuple):
    path: str  # as the user gave it
    real: str  # with every link in the path resolved
    id: FileId | None  # once it exists


class _Record:
    def __init__(self) -> None:
        self.written: list[str] = []
        self.abandoned: list[str] = []
        self.inputs: list[FileId] = []
        self.outputs: list[_Output] = []  # file outputs begun in this run
        self.pending: list[str] = []  # file outputs open now, or promised for later


_record = _Record()


def reset() -> None:
    """Forget earlier runs (a test process runs many commands)."""
    global _record
    _record = _Record()


def remember_input(stream: Any) -> None:
    """Note the file behind ``stream`` as one this run reads (a rule pack, an answers
    file, a CSV, standard input): no output of the run may then replace it, by any
    path or link, and standard output must not be it (``>> a.toml``: refused now,
    before anything is written there)."""
    if (found := id_of_stream(stream)) is not None:
        _record.inputs.append(found)
        if id_of_fd(2) == found:  # `2>> in.csv`: not even the message goes there
            from kenpo_cli.io.streams import silence_stderr

            silence_stderr()
            raise KenpoError("stderr_reads_input")
        if id_of_stream(sys.stdout) == found:
            raise KenpoError("stdout_reads_input")


def stdin_id() -> FileId | None:
    """The identity of the regular file standard input is redirected from, if any."""
    return id_of_stream(sys.stdin)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths (``-``: standard input) name one file: the same identity once
    they exist, else the same path once every link in it is resolved."""
    ids = [stdin_id() if str(p) == STDOUT else _id_of_path(p) for p in (a, b)]
    if None not in ids:
        return ids[0] == ids[1]
    if STDOUT in (str(a), str(b)) or any(map(_is_device, (a, b))):
        return False  # the null device, a terminal: two outputs there lose nothing
    return os.path.realpath(a) == os.path.realpath(b)


def _is_device(path: str | os.PathLike[str]) -> bool:
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _id_of_path(path: str | os.PathLike[str]) -> FileId | None:
    try:
        return file_id(os.stat(path))
    except (OSError, ValueError):
        return None


def promise(path: str | os.PathLike[str]) -> None:
    """Note an output that will be written later in the run (``--save-answers`` named in
    the wizard): a reader of standard output going away must not cost it."""
    _record.pending.append(str(path))


def outputs_pending() -> bool:
    """Whether a file output is open or still to be written: then standard output that
    breaks is silenced and the run goes on, so that the file is completed."""
    return bool(_record.pending)


def written() -> list[str]:
    """Targets completed in this run."""
    return list(_record.written)


def abandoned() -> list[str]:
    """Targets left untouched because writing them failed or was interrupted."""
    return list(_record.abandoned)


def _reason(code: int) -> str:
    return os_reason(OSError(code, os.strerror(code)))


def _failed(path: str, exc: OSError) -> KenpoError:
    reason = os_reason(exc)
    if path == STANDARD_OUTPUT:
        return KenpoError("stdout_failed", reason=reason)
    return KenpoError("output_failed", file=path, reason=reason)


def _target_kind(path: str, inputs: Sequence[FileId | None]) -> str:
    """``new``, ``file`` or ``device``; refuses links, directories and the input itself."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise _failed(path, exc) from None
    if stat.S_ISLNK(st.st_mode):
        try:
            points_to = os.stat(path)
        except OSError:  # a dangling link: writing would create its target
            raise KenpoError("output_symlink", file=path) from None
        if stat.S_ISREG(points_to.st_mode) or stat.S_ISDIR(points_to.st_mode):
            raise KenpoError("output_symlink", file=path)
        st = points_to  # /dev/stdout on a terminal or a pipe: a stream, not a file
    if stat.S_ISDIR(st.st_mode):
        raise KenpoError("output_failed", file=path, reason=_reason(errno.EISDIR))
    if not stat.S_ISREG(st.st_mode):
        if not writable_device(st, path):
            from kenpo_cli.io.streams import controlling_terminal, pty_master

            # /dev/tty when kenpo has no terminal (cron, setsid), /dev/ptmx: say that,
            # not "a disk"
            code = "output_no_terminal" if controlling_terminal(st) else "output_device"
            raise KenpoError("output_pty" if pty_master(st) else code, file=path)
        return "device"
    # Standard input that is a file is an input, whatever the command reads
    # (`--save-answers a.toml < a.toml`).
    if file_id(st) in [*_record.inputs, stdin_id(), *(i for i in inputs if i is not None)]:
        raise KenpoError("output_is_input", file=path)
    if not os.access(path, os.W_OK):  # read-only: replacing it would overrule its owner
        raise KenpoError("output_failed", file=path, reason=_reason(_read_only(path)))
    if LOCKING and _held_open(path):  # say so now, not after a whole batch
        raise KenpoError("output_in_use", file=path)
    return "file"


# Whether the platform lets a program that has a file open stop others replacing it
# (Windows, where Excel does so with every workbook it shows). Tests set it.
LOCKING = os.name == "nt"
# How long to retry a rename that such a program refused (seconds between tries): an
# antivirus scanner or OneDrive lets go within a moment; Excel does not.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)


def _held_open(path: str) -> bool:
    """Whether another program holds ``path`` so that it cannot be written (Windows:
    opening it for writing fails with a sharing violation). Nothing is written."""
    try:
        with open(path, "r+b"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False  # anything else is for the write itself to report


def _read_only(path: str) -> int:
    """Why a file cannot be written: its file system is read-only, or its mode says no."""
    try:
        if os.statvfs(path).f_flag & getattr(os, "ST_RDONLY", 1):
            return errno.EROFS
    except (OSError, AttributeError):  # no statvfs (Windows)
        pass
    return errno.EACCES


def _claim(path: str) -> None:
    """Refuse a second output of the run that is the same file as one begun before it
    (through a symlinked folder, a hard link, ``/proc/self/fd``): one would be lost."""
    real, found = os.path.realpath(path), _id_of_path(path)
    for other in _record.outputs:
        if real == other.real or (found is not None and found == other.id):
            raise KenpoError("output_same_file", file=path, other=other.path)
    _record.outputs.append(_Output(path, real, found))


def check_target(path: str | Path, inputs: Sequence[FileId | None] = ()) -> None:
    """Refuse ``path`` as an output now, before any work (see the module's rules)."""
    if str(path) != STDOUT:
        _target_kind(str(path), inputs)


def writable_device(st: os.stat_result, path: str) -> bool:
    """Whether kenpo writes into a target that is not a regular file: a pipe, a socket,
    the null device (and ``/dev/full``, which stands for a full disk), or a terminal;
    never a disk (a block device) or another character device."""
    if stat.S_ISBLK(st.st_mode):
        return False
    if not stat.S_ISCHR(st.st_mode):
        return True
    from kenpo_cli.io.streams import harmless_device, is_terminal_device

    return harmless_device(st) or is_terminal_device(path)


class GuardedText(io.TextIOWrapper):
    """A text stream whose write errors name its target (a full disk is the user's news).

    A reader that went away (a broken pipe) is not an error to report: it passes
    through as :class:`BrokenPipeError` and the command ends quietly.
    """

    target = ""
    line_end = "\n"  # what the stream writes for "\n" (see write_bytes)

    def write(self, s: str) -> int:
        try:
            return super().write(s)
        except BrokenPipeError:
            if self._goes_on():
                return len(s)
            raise
        except OSError as exc:
            raise _failed(self.target, exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            if not self._goes_on():
                raise
        except OSError as exc:
            raise _failed(self.target, exc) from None

    def _goes_on(self) -> bool:
        """After standard output broke: whether the run goes on (a file output is open
        or to come), the rest of standard output sent to the null device."""
        if self.target != STANDARD_OUTPUT or not outputs_pending():
            return False
        from kenpo_cli.io.streams import silence_stdout

        silence_stdout()
        return True

    def write_bytes(self, data: bytes) -> None:
        """UTF-8 ``data`` written after the text so far, to the file itself (a batch's
        rows, encoded once per verdict rather than once per row); errors as for text.
        Its lines must already end with :attr:`line_end`."""
        self.flush()
        try:
            self.buffer.write(data)
        except BrokenPipeError:
            if not self._goes_on():
                raise
        except OSError as exc:
            raise _failed(self.target, exc) from None


def _guarded(fd: int, target: str, newline: str | None) -> GuardedText:
    """A UTF-8 text stream on ``fd`` whose write errors name ``target``. The caller
    closes it (a with-block cannot span the yield of the context managers below)."""
    out = GuardedText(open(fd, "wb"), encoding="utf-8", errors="replace", newline=newline)  # noqa: SIM115
    out.target, out.line_end = target, _line_end(newline)
    return out


def _line_end(newline: str | None) -> str:
    """What a text stream opened with ``newline`` writes for "\n"."""
    return os.linesep if newline is None else newline or "\n"


@contextlib.contextmanager
def output_file(
    path: str | Path, *, newline: str | None = None, inputs: Sequence[FileId | None] = ()
) -> Iterator[IO[str]]:
    """A UTF-8 text stream for ``path``, written whole or not at all (module docstring).

    Write errors come out as a :class:`KenpoError` naming the file; after any
    failure the target is as it was and the temporary file is gone.
    """
    target = str(path)
    kind = _target_kind(target, inputs)
    if kind == "device":
        if not _is_device(target):  # a pipe or a socket: two outputs there would mix
            _claim(target)
        with _device(target, newline) as out:
            yield out
        _record.written.append(target)
        return
    _claim(target)
    _record.pending.append(target)
    try:
        with _whole(target, kind, newline) as out:
            yield out
    finally:
        _record.pending.remove(target)
        with contextlib.suppress(ValueError):
            _record.pending.remove(target)  # a promise (see promise()) now kept or broken


@contextlib.contextmanager
def _whole(target: str, kind: str, newline: str | None) -> Iterator[IO[str]]:
    """A temporary file beside ``target``, renamed over it once complete."""
    import tempfile  # here: a one-shot call that writes no file does not load it

    directory = os.path.dirname(os.path.abspath(target))
    held = _hold_signals()  # no Ctrl-C or kill between the file's making and its cleanup
    try:
        fd, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=directory)
    except OSError as exc:
        _release_signals(held)
        raise _failed(target, exc) from None
    out = _guarded(fd, target, newline)  # closed below, whatever happens
    try:
        _release_signals(held)  # a signal that came meanwhile is raised here, cleaned up
        if kind == "file":
            _keep_mode(fd, temp, target)
        yield out
        out.flush()
        try:
            os.fsync(fd)
        except OSError as exc:
            raise _failed(target, exc) from None
        out.close()
        _replace(temp, target)
    except BaseException:
        _discard(out, temp)
        _record.abandoned.append(target)
        raise
    _record.written.append(target)


TEMP_MARK = ".kenpo-"


def temp_prefix(target: str) -> str:
    """The start of a temporary file's name: ``.kenpo-結果.csv.``; a long name is cut
    (a Windows path is short, and a name near the file system's limit must leave room)
    but still recognisable."""
    return f"{TEMP_MARK}{os.path.basename(target)[:32]}."


def _hold_signals() -> Any:
    """Hold Ctrl-C and the signals that end kenpo (the mask before, to give back to
    :func:`_release_signals`; None where signals cannot be held, as on Windows)."""
    import signal

    from kenpo_cli.cli.entry import ENDING_SIGNALS

    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *ENDING_SIGNALS})
    except (AttributeError, OSError, ValueError):
        return None


def _release_signals(held: Any) -> None:
    if held is not None:
        import signal

        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _keep_mode(fd: int, temp: str, target: str) -> None:
    """Give the replacement the mode of the file it replaces: 0600 is for files kenpo
    creates; a file the user made keeps the permissions the user gave it. (Windows
    Pythons before 3.13 have no ``os.fchmod``: there the path is used.)"""
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(os.stat(target).st_mode)
        fchmod = getattr(os, "fchmod", None)
        if fchmod is not None:
            fchmod(fd, mode)
        else:
            os.chmod(temp, mode)


def _replace(temp: str, target: str) -> None:
    # A link put at the target since the check is replaced, not followed: rename
    # never writes through a link.
    delays = iter(RETRY_DELAYS if LOCKING else ())
    while True:
        try:
            os.replace(temp, target)
            return
        except PermissionError as exc:
            if not LOCKING:
                raise _failed(target, exc) from None
            delay = next(delays, None)
            if delay is None:  # still held: Excel shows it, most likely
                raise KenpoError("output_in_use", file=target) from None
            import time

            time.sleep(delay)
        except OSError as exc:
            raise _failed(target, exc) from None


def _discard(out: IO[str], temp: str) -> None:
    # Closing flushes, which fails again on a full disk; the file is closed anyway.
    with contextlib.suppress(Exception):
        out.close()
    with contextlib.suppress(OSError):
        os.unlink(temp)


@contextlib.contextmanager
def _device(target: str, newline: str | None) -> Iterator[IO[str]]:
    """Write to a device or a pipe as it is: no creation, no truncation, no chmod. A named
    pipe no program reads from is refused (ENXIO), not waited on for ever."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)
    try:
        fifo = hasattr(os, "O_NONBLOCK") and stat.S_ISFIFO(os.stat(target).st_mode)
        fd = os.open(target, flags | (os.O_NONBLOCK if fifo else 0))
        if fifo:
            os.set_blocking(fd, True)  # (a reader is there: written as any pipe)
    except OSError as exc:
        raise _failed(target, exc) from None
    out = _guarded(fd, target, newline)  # closed below, whatever happens
    try:
        yield out
        out.flush()
    finally:
        with contextlib.suppress(Exception):
            out.close()


def write_file(path: str | Path, text: str, *, newline: str | None = None) -> None:
    """Write ``text`` to ``path`` whole or not at all, mode 0600 (``--save-answers``, ``--ics``)."""
    with output_file(path, newline=newline) as out:
        out.write(text)


# Whether a terminal takes text rather than bytes (the Windows console, PEP 528). Tests set it.
CONSOLE_TAKES_TEXT = os.name == "nt"


def _on_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def stdout_text(newline: str | None = None) -> tuple[IO[str], bool]:
    """A UTF-8 text stream on standard output for data, and whether it is a new one.

    Data files are UTF-8 whatever the console's encoding (a cp932 or ASCII
    console would otherwise lose characters or crash): the stream writes to the
    file descriptor itself and does not close it. A Windows console is the exception:
    it takes text as text (WriteConsoleW), and bytes written around it would be shown
    in its code page, so there the console's own stream shows the characters.
    """
    if CONSOLE_TAKES_TEXT and _on_terminal(sys.stdout):
        return sys.stdout, False
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # an in-memory stream (tests)
        return sys.stdout, False
    sys.stdout.flush()
    raw = open(fd, "wb", closefd=False)  # noqa: SIM115 (the descriptor stays open)
    stream = GuardedText(raw, encoding="utf-8", errors="replace", newline=newline)
    stream.target, stream.line_end = STANDARD_OUTPUT, _line_end(newline)
    return stream, True
