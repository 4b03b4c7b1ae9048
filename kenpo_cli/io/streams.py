"""Standard input, output and error as kenpo finds them, made safe before a command runs.

- A closed descriptor (``kenpo … >&-``, ``<&-``, ``2>&-``) is opened on the null
  device, so the command runs quietly instead of failing, and no file kenpo opens
  later can take descriptor 1 or 2 by accident.
- Text the console's encoding cannot carry (an ASCII or cp932 console, a
  redirect under ``LANG=C``) is replaced, never a crash.
- Everything written to the terminal streams passes a last check: a valid
  マイナンバー is masked, and C1 controls and bidi overrides are escaped. (Values
  are escaped where they are quoted, too; this catches what slips past.)
- A message to a standard error that is gone is dropped: nothing is left to tell.
- ``kill`` (SIGTERM, and every other catchable signal that would end the process: SIGHUP,
  SIGUSR1, SIGALRM …; on Windows, Ctrl-Break or a closed console window, SIGBREAK)
  stops kenpo as Ctrl-C does, so a half-written output file is removed and the
  earlier one kept. SIGKILL cannot be caught: a temporary file (``.kenpo-*.tmp``,
  mode 0600) may then stay behind.
- A reader of standard output that goes away (``| grep -q``) ends the run quietly,
  unless a file output is open or still to come: then the rest of standard output
  goes to the null device and the file is completed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import IO, Any, TextIO, cast

from kenpo_cli.cli import entry
from kenpo_cli.errors import KenpoError, os_reason
from kenpo_cli.privacy import stream_safe


class GuardedStream:
    """A terminal stream whose writes pass :func:`kenpo_cli.privacy.stream_safe`.

    It hides the stream's binary ``buffer``, so that nothing (Click's echo on an
    ASCII console, for one) writes around the check.
    """

    def __init__(self, inner: IO[str], *, best_effort: bool) -> None:
        self._inner = inner
        self._best_effort = best_effort

    def write(self, text: str) -> int:
        try:
            self._inner.write(stream_safe(text))
        except OSError as exc:
            self._failed(exc)
        return len(text)

    def flush(self) -> None:
        try:
            self._inner.flush()
        except OSError as exc:
            self._failed(exc)

    def _failed(self, exc: OSError) -> None:
        if self._best_effort:
            return
        if isinstance(exc, BrokenPipeError):  # the reader went away: end quietly
            if files_pending():  # ... once the files the run writes are complete
                silence_stdout()
                return
            raise exc
        raise KenpoError("stdout_failed", reason=os_reason(exc)) from None

    @property
    def inner(self) -> IO[str]:
        return self._inner

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._inner, name)


# The standard descriptors that were closed when kenpo started (now on the null
# device): a closed standard input is not an empty file (``--answers - <&-``).
_closed: set[int] = set()


def was_closed(fd: int) -> bool:
    """Whether descriptor ``fd`` (0, 1 or 2) was closed when kenpo started."""
    return fd in _closed


def _plug(fd: int) -> bool:
    """Open the null device on ``fd`` if it is closed; whether it was."""
    try:
        os.fstat(fd)
        return False
    except OSError:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        _closed.add(fd)
        return True


def _rdev(path: str) -> int | None:
    try:
        return os.stat(path).st_rdev
    except (OSError, AttributeError):
        return None


def pty_master(st: os.stat_result) -> bool:
    """Whether ``st`` is ``/dev/ptmx`` (or a descriptor opened on it): each opening makes a
    new pseudo-terminal whose other end nobody holds, so what is written there is lost,
    though ``isatty()`` says it is a terminal."""
    return st.st_rdev != 0 and st.st_rdev in (_rdev("/dev/ptmx"), _rdev("/dev/pts/ptmx"))


def controlling_terminal(st: os.stat_result) -> bool:
    """Whether ``st`` is ``/dev/tty``, the process's controlling terminal, whatever it is."""
    return st.st_rdev != 0 and st.st_rdev == _rdev("/dev/tty")


def harmless_device(st: os.stat_result) -> bool:
    """The null device, or ``/dev/full`` (which stands for a full disk): writing there
    stores nothing anywhere."""
    return st.st_rdev in (_rdev(os.devnull), _rdev("/dev/full")) and st.st_rdev != 0


def is_terminal_device(path: str) -> bool:
    """Whether ``path`` is a terminal (opening it does not make it kenpo's own), and not
    ``/dev/ptmx`` (:func:`pty_master`)."""
    try:
        if pty_master(os.stat(path)):
            return False
    except OSError:
        return False
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def stdout_is_a_disk() -> bool:
    """Whether standard output is a device that stores what it is given (``> /dev/sda``)
    or that is not a terminal, the null device or ``/dev/full``: data there would
    overwrite a disk or land in a log."""
    import stat

    try:
        st = os.fstat(1)
    except OSError:
        return False
    if stat.S_ISBLK(st.st_mode) or (stat.S_ISCHR(st.st_mode) and pty_master(st)):
        return True
    return stat.S_ISCHR(st.st_mode) and not harmless_device(st) and not os.isatty(1)


def stdout_is_a_pty_master() -> bool:
    """Whether standard output is ``/dev/ptmx`` (:func:`pty_master`)."""
    try:
        return pty_master(os.fstat(1))
    except OSError:
        return False


def _regular_file(fd: int) -> tuple[int, int] | None:
    import stat

    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def stream_on_stdin() -> str | None:
    """Standard input that is a regular file is an input, whatever the command reads:
    ``stdout_reads_input`` if standard output is that file, ``stderr_reads_input`` if
    standard error is (``2>> in.csv < in.csv``), else None. Standard error is then sent
    to the null device first (:func:`silence_stderr`): nothing may be written there."""
    found = _regular_file(0)
    if found is None:
        return None
    if _regular_file(2) == found:
        silence_stderr()
        return "stderr_reads_input"
    return "stdout_reads_input" if _regular_file(1) == found else None


def silence_stderr() -> None:
    """Standard error is a file the run reads (an HR export, say): writing a message there
    would destroy it, so every message goes to the null device instead, and the exit
    status alone tells (2)."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)


def _text(fd: int, mode: str) -> IO[str]:
    return cast(IO[str], open(fd, mode, errors="replace", closefd=False))


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# Signals whose default is to end the process on the spot, which would leave a
# temporary file holding personal data: each ends a run like Ctrl-C, cleaning up.
# One a parent told us to ignore (nohup's SIGHUP) stays ignored.
ENDING_SIGNALS = entry.ENDING_SIGNALS


def catch_ending_signals(handler: Any) -> None:
    """Install ``handler`` for every signal of :data:`ENDING_SIGNALS` not ignored."""
    if entry.respond(handler):
        return
    for signum in ENDING_SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread, say
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, handler)


def prepare() -> None:
    """Make standard input, output and error safe to use (see the module docstring)."""
    catch_ending_signals(_terminated)
    for fd in (0, 1, 2):
        _plug(fd)
    if sys.stdin is None:
        sys.stdin = cast(TextIO, _text(0, "r"))
    out = sys.stdout if sys.stdout is not None else _text(1, "w")
    err = sys.stderr if sys.stderr is not None else _text(2, "w")
    for stream in (out, err):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            getattr(stream, "reconfigure")(errors="replace")  # noqa: B009 (not on every IO)
    sys.stdout = cast(TextIO, GuardedStream(out, best_effort=False))
    sys.stderr = cast(TextIO, GuardedStream(err, best_effort=True))


def say(text: str) -> None:
    """Write one message line to standard error; a closed or broken one is ignored.

    On a terminal the line is wrapped by words to its width (a terminal would cut a date
    or a word in two); a script reading stderr still gets one line."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if stream.isatty():
            from kenpo_cli.render.text import wrap

            columns = os.get_terminal_size(stream.fileno()).columns
            text = "\n".join(wrap(text, max(columns - 1, 20), "  ", ""))
    with contextlib.suppress(OSError, ValueError):
        stream.write(text + "\n")
        stream.flush()


def files_pending() -> bool:
    """Whether a file output of the run is open or promised (kenpo_cli/io/safeio.py)."""
    record = sys.modules.get("kenpo_cli.io.safeio")
    return record is not None and bool(record.outputs_pending())


def silence_stdout() -> None:
    """After a reader went away: send whatever is still buffered to the null device."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
