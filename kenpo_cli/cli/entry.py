"""The ``kenpo`` command: a Ctrl-C ends it quietly with 130 from the first instant.

Python turns Ctrl-C into :class:`KeyboardInterrupt`, which :func:`kenpo_cli.cli.app.main`
catches once it runs. Before that (while typer and rich load, a tenth of a second)
and after it (while Python shuts down) there is nothing to clean up and nobody to
catch it: Python would print a traceback. So this module, which imports nothing of
weight, ends the process at once in the first window and ignores Ctrl-C in the last.
The other signals that would end the process (SIGTERM, SIGHUP, SIGUSR1 …) are treated
as Ctrl-C from the same instant: 130, never 143 or a half-started run.

What stays outside kenpo's reach: anything before this function runs. Python itself
starts first (some 20 ms): a signal then ends it by the signal's default, and a broken
start-up (``PYTHONIOENCODING=bogus``, standard input a folder) is reported by Python
as a fatal error before any of kenpo runs. SIGKILL cannot be caught at any time, nor
a real fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE): Python cannot run a handler then.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable
from types import FrameType

Handler = Callable[[int, FrameType | None], None]


def _interrupted(signum: int, frame: FrameType | None) -> None:
    os._exit(130)  # nothing is open yet: no file to remove, no output begun


def _ignored(signum: int, frame: FrameType | None) -> None:
    """The run has ended and said so: a signal now changes nothing."""


# What a caught ending signal does at this point of the run: end at once (start-up),
# stop like Ctrl-C (the command, kenpo_cli/io/streams.py), nothing (after it).
# One handler is installed once and reads this, rather than the handler being installed
# again for each of the 46 signals in each phase: Python's signal.signal turns every
# number it passes into an enum member, some 4 M instructions a run for three rounds.
_response: list[Handler] = [_interrupted]


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _response[0](signum, frame)


def respond(handler: Handler) -> bool:
    """From now on, the ending signals :func:`main` caught call ``handler``. False when
    :func:`main` did not catch them (a command run in-process, by a test): the caller
    installs ``handler`` itself."""
    if signal.getsignal(signal.SIGTERM) is not _on_signal:
        return False
    _response[0] = handler
    return True


# Signals whose default ends the process on the spot (kenpo_cli/io/streams.py catches them
# once a command runs, to remove a half-written file): SIGABRT, SIGTRAP and SIGSYS sent
# with kill, and the real-time signals, included. SIGSEGV, SIGBUS, SIGILL and SIGFPE are
# not: a real fault cannot be handled in Python (README, "outside kenpo's reach").
ENDING_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM",
                 "SIGPROF", "SIGXCPU", "SIGPWR", "SIGSTKFLT", "SIGPOLL", "SIGABRT", "SIGTRAP",
                 "SIGSYS",
                 "SIGBREAK")  # Windows: Ctrl-Break, or the console window closed
    if hasattr(signal, name)
) + tuple(
    range(signal.SIGRTMIN, signal.SIGRTMAX + 1) if hasattr(signal, "SIGRTMIN") else ()
)  # fmt: skip


def main() -> None:
    """Console entry point (``kenpo``, ``python -m kenpo_cli``)."""
    # A Ctrl-C a shell told us to ignore (a background job) stays ignored; so does any
    # other signal a parent set to be ignored (nohup's SIGHUP).
    quiet = signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    if quiet:
        signal.signal(signal.SIGINT, _interrupted)
    _response[0] = _interrupted
    for signum in ENDING_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_signal)
    # Importing kenpo and Typer creates some 27,000 objects that live as long as the
    # process and no garbage: the collector would walk them again and again while they
    # load, a tenth of a one-shot run's instructions (benchmarks/oneshot.py). They are
    # loaded with it paused, then set aside (gc.freeze) so later collections skip them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from kenpo_cli.cli.app import main as run
    finally:
        gc.freeze()
        if collecting:
            gc.enable()

    if quiet:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run()
    finally:  # the command has ended and said so: exit with its status
        if quiet:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        _response[0] = _ignored
