"""The ``kenpo`` command: a Ctrl-C ends it quietly with 130 from the first instant.

Python turns Ctrl-C into :class:`KeyboardInterrupt`, which :func:`kenpo_cli.cli.main`
catches once it runs. Before that (while typer and rich load, a tenth of a second)
and after it (while Python shuts down) there is nothing to clean up and nobody to
catch it: Python would print a traceback. So this module, which imports nothing of
weight, ends the process at once in the first window and ignores Ctrl-C in the last.
"""

from __future__ import annotations

import os
import signal
from types import FrameType


def _interrupted(signum: int, frame: FrameType | None) -> None:
    os._exit(130)  # nothing is open yet: no file to remove, no output begun


def main() -> None:
    """Console entry point (``kenpo``, ``python -m kenpo_cli``)."""
    # A Ctrl-C a shell told us to ignore (a background job) stays ignored.
    quiet = signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    if quiet:
        signal.signal(signal.SIGINT, _interrupted)
    from kenpo_cli.cli import main as run

    if quiet:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run()
    finally:
        if quiet:  # the command has ended and said so: exit with its status
            signal.signal(signal.SIGINT, signal.SIG_IGN)
