"""The last line of defence on the terminal streams: masked, escaped, never a crash."""

from __future__ import annotations

import errno
import io
from typing import Any

import pytest

from kenpo_cli.errors import KenpoError
from kenpo_cli.io.streams import GuardedStream


class Failing(io.StringIO):
    def __init__(self, exc: OSError) -> None:
        super().__init__()
        self.exc = exc

    def write(self, s: Any) -> int:
        raise self.exc


def test_what_slips_past_the_messages_is_still_masked_and_escaped() -> None:
    inner = io.StringIO()
    GuardedStream(inner, best_effort=True).write("note 1234-5678-9018 \u202eexe.txt \x1b[1m\n")
    assert inner.getvalue() == "note ************ \\u202eexe.txt \x1b[1m\n"


def test_the_binary_buffer_is_not_a_way_around() -> None:
    guarded = GuardedStream(io.TextIOWrapper(io.BytesIO()), best_effort=True)
    assert not hasattr(guarded, "buffer")
    assert guarded.encoding  # everything else is the stream's


def test_a_gone_standard_error_is_ignored() -> None:
    err = GuardedStream(Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")), best_effort=True)
    assert err.write("message\n") == len("message\n")


def test_standard_output_reports_a_full_disk_and_passes_a_broken_pipe_on() -> None:
    out = GuardedStream(
        Failing(OSError(errno.ENOSPC, "No space left on device")), best_effort=False
    )
    with pytest.raises(KenpoError) as caught:
        out.write("verdict\n")
    assert caught.value.code == "stdout_failed"
    out = GuardedStream(Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")), best_effort=False)
    with pytest.raises(BrokenPipeError):
        out.write("verdict\n")
