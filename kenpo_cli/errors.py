"""The few exception types kenpo raises, and the exit-status table of the contract.

Errors carry a message code and parameters rather than text, so the CLI can say
them in the user's language; the rules core never prints and never exits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum

from kenpo_cli.privacy import MASK, echoed, typed_number


class ExitStatus(IntEnum):
    """Exit statuses users and scripts rely on (CONTRACT.md, "Exit statuses")."""

    OK = 0
    NOT_VALID = 1
    USAGE = 2
    ROW_ERRORS = 3
    INTERNAL = 70
    INTERRUPTED = 130


class KenpoError(Exception):
    """An expected failure caused by the user's input: exit 2 with one line on stderr."""

    exit_status = ExitStatus.USAGE

    def __init__(self, code: str, **params: str) -> None:
        # Messages echo what was typed: never a マイナンバー pasted by mistake, never
        # a control character that would work on the terminal, never a whole file.
        params = {k: _quoted(k, v) for k, v in params.items()}
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        details = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code} ({details})" if details else self.code


# Parameters that kenpo writes itself (lists of accepted values, bounds) are
# shown whole; a file name may be long; any other value is cut short.
_OWN_PARAMS = frozenset({"accepted", "expected", "low", "high", "after", "limit", "example"})
_LIMITS = {"file": 200}


def _quoted(key: str, value: str) -> str:
    if key in _OWN_PARAMS:
        return echoed(value, limit=len(value) + 1)
    if key != "file" and typed_number(value):  # a マイナンバー typed where it does not go
        return MASK
    return echoed(value, _LIMITS.get(key, 80))


def shown_file(path: object) -> str:
    """A file name as every message shows it (an error's ``{file}``, "saved in …",
    "nothing was written to …"): escape sequences and bidi overrides escaped, a
    マイナンバー masked, a very long name cut."""
    return _quoted("file", str(path))


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, for a message's ``reason``: ``errno:ENOENT:<the
    system's words>``, which each language says its own way (Messages, [os_error])."""
    import errno

    name = errno.errorcode.get(exc.errno or 0)
    text = exc.strerror or str(exc)
    return f"errno:{name}:{text}" if name else text


class InvalidValue(KenpoError):
    """A fact, option or column holds a value that is not one of its accepted values."""

    def __init__(self, field: str, value: str, accepted: str) -> None:
        super().__init__("invalid_value", field=field, value=value, accepted=accepted)
        self.field = field


class InvalidDate(KenpoError):
    """A date field could not be read, is impossible, or lies outside its 和暦 era."""

    def __init__(self, field: str, value: str, problem: str = "format", **extra: str) -> None:
        super().__init__(f"invalid_date_{problem}", field=field, value=value, **extra)
        self.field = field
        self.problem = problem


class ContradictoryFacts(KenpoError):
    """Facts that cannot all be true, or a date no such document can have.

    The message names each fact; :meth:`relabel` turns the fact names into what the user
    typed them as (a flag, an answers key, a column).
    """

    def __init__(
        self,
        code: str,
        first: tuple[str, date],
        second: tuple[str, date] | None = None,
        **extra: str,
    ) -> None:
        named = {"first": first[0], "first_value": first[1].isoformat()}
        if second is not None:
            named |= {"second": second[0], "second_value": second[1].isoformat()}
        super().__init__(code, **named, **extra)
        self.facts = tuple(n for n in (first[0], second[0] if second else None) if n)

    def relabel(self, label: Callable[[str], str]) -> ContradictoryFacts:
        """The same error naming each fact by ``label(fact)``."""
        for key in ("first", "second"):
            if key in self.params:
                self.params[key] = label(self.params[key])
        return self
