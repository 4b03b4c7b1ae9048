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
    when asked where its cursor is after one ambiguous character; narrow if it won't say.
    Without ``termios`` (Windows) it cannot be asked: see :func:`_guess_without_termios`."""
    setting = env.get(_SETTING, "").strip().lower()
    if setting in _WIDE:
        return True
    if setting in _NARROW:
        return False
    if env.get("TERM") == "dumb" or env.get("PROMPT_TOOLKIT_NO_CPR"):
        return False
    try:
        import termios  # noqa: F401 (only whether there is one)
    except ImportError:  # Windows: the terminal cannot be asked
        return _guess_without_termios(env)
    try:
        return _probe() == 2
    except (OSError, ValueError):  # a closed stream
        return False


# Code pages whose consoles draw box lines and bullets in a CJK font, two columns wide:
# Japanese (Shift_JIS), Simplified Chinese, Korean, Traditional Chinese.
_CJK_CODE_PAGES = frozenset({932, 936, 949, 950})


def _guess_without_termios(env: Mapping[str, str]) -> bool:
    """What can be told on Windows: Windows Terminal (``WT_SESSION``) draws box lines one
    column wide; the console of a CJK code page (932 on a Japanese Windows) draws them two;
    another known code page, one. When nothing tells, wide: kenpo then draws no boxes (plain
    rules, ``*`` bullets), which looks right whatever the width."""
    if env.get("WT_SESSION"):
        return False
    page = _console_code_page()
    return page is None or page in _CJK_CODE_PAGES


def _console_code_page() -> int | None:
    """The Windows console's output code page (932, 65001, …); None without a console."""
    try:
        import ctypes

        page = int(ctypes.windll.kernel32.GetConsoleOutputCP())  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError):
        return None
    return page or None  # 0: no console attached


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
