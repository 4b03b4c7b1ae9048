"""What the member's terminal is like: whether it draws East Asian "ambiguous" characters
(box lines, •, —, …) two columns wide, as terminals set up for Japanese often do.

Only the command line calls this, and only before drawing for a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

_SETTING = "KENPO_AMBIGUOUS_WIDTH"
_WIDE = frozenset({"wide", "2", "double"})
_NARROW = frozenset({"narrow", "1", "single"})
_PROBE_SECONDS = 0.15


def ambiguous_is_wide(env: Mapping[str, str] = os.environ) -> bool:
    """``KENPO_AMBIGUOUS_WIDTH`` (wide or narrow) if set, else what the terminal answers
    when asked where its cursor is after one ambiguous character; narrow if it won't say."""
    setting = env.get(_SETTING, "").strip().lower()
    if setting in _WIDE:
        return True
    if setting in _NARROW:
        return False
    if env.get("TERM") == "dumb" or env.get("PROMPT_TOOLKIT_NO_CPR"):
        return False
    try:
        return _probe() == 2
    except (OSError, ValueError, ImportError):  # no termios (Windows), a closed stream
        return False


def _probe() -> int | None:
    """Columns the terminal gives "─": print it at the line's start and ask for the cursor
    position (CSI 6n, the way vim sets 'ambiwidth'); then erase it again."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    import select
    import termios
    import tty

    fd_in, fd_out = sys.stdin.fileno(), sys.stdout.fileno()
    saved = termios.tcgetattr(fd_in)
    try:
        tty.setcbreak(fd_in, termios.TCSANOW)
        os.write(fd_out, "\r─\x1b[6n".encode())
        reply = b""
        while not reply.endswith(b"R") and len(reply) < 32:
            ready, _, _ = select.select([fd_in], [], [], _PROBE_SECONDS)
            if not ready:
                return None
            reply += os.read(fd_in, 1)
    finally:
        os.write(fd_out, b"\r\x1b[K")
        termios.tcsetattr(fd_in, termios.TCSANOW, saved)
    column = reply.rsplit(b";", 1)[-1].rstrip(b"R")
    return int(column) - 1 if column.isdigit() else None
