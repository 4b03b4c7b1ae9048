"""Reading the small files a user hands kenpo (answers files, rule packs), with a cap.

Such a file is a few kilobytes. Whatever the path names (``/dev/zero``, a 100 MB
log, a pipe that never ends), kenpo reads at most a little more than the cap, so
memory and time stay small and the error is one line.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

MAX_BYTES = 1 << 20  # 1 MiB
MAX_SHOWN = "1 MiB"


class TooLarge(Exception):
    """The file holds more than :data:`MAX_BYTES`."""


def read_small(path: str | Path) -> bytes:
    """The bytes of ``path`` (``-``: standard input); :class:`TooLarge` past the cap.

    Raises :class:`OSError` when the file cannot be read.
    """
    from kenpo_cli.io import safeio  # only when a file is read: not on every one-shot call

    if str(path) == "-":
        from kenpo_cli.io.streams import was_closed

        if sys.stdin is None or was_closed(0):  # `<&-`: no file at all, not an empty one
            raise OSError(errno.EBADF, "standard input is closed")
        safeio.remember_input(sys.stdin)
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        with open(path, "rb") as f:
            safeio.remember_input(f)
            data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(str(path))
    return data
