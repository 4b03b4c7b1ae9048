"""Reading and writing the user's files: answers files in, saved answers out (mode 0600)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli

from kenpo_cli.errors import KenpoError, os_reason
from kenpo_cli.io.smallfile import MAX_SHOWN, TooLarge, read_small


def load_answers(path: str | Path) -> dict[str, Any]:
    """The mapping in an answers file: JSON or TOML, chosen by suffix, else whichever reads;
    UTF-8, UTF-16 or cp932, as Notepad saves it (:func:`_decoded`).

    ``-`` reads standard input. At most :data:`kenpo_cli.io.smallfile.MAX_BYTES` are read.
    """
    where = str(path)
    try:
        text = _decoded(read_small(path))
    except OSError as exc:
        raise KenpoError("answers_unreadable", file=where, reason=os_reason(exc)) from None
    except TooLarge:
        raise KenpoError("answers_too_large", file=where, limit=MAX_SHOWN) from None
    except UnicodeDecodeError:
        reason = "not UTF-8, UTF-16 or cp932 (Shift_JIS) text"
        raise KenpoError("answers_format", file=where, reason=reason) from None
    readers = {".json": [_json], ".toml": [_toml]}.get(Path(path).suffix.lower(), [_json, _toml])
    # Unnamed by its suffix, a file whose text begins with { was meant as JSON, else TOML:
    # its error is the one said.
    meant = _json if len(readers) == 1 or text.lstrip().startswith("{") else _toml
    problem = ""
    for read in readers:
        try:
            doc = read(text)
        except ValueError as exc:  # JSONDecodeError, TOMLDecodeError, a too-long integer
            if read is meant or len(readers) == 1:
                _syntax(exc, where, "JSON" if read is _json else "TOML")
            problem = problem or str(exc)
            continue
        except RecursionError:
            problem = problem or "nested too deeply"
            continue
        except _Twice as twice:
            raise KenpoError("answers_twice", file=where, field=twice.key) from None
        if not isinstance(doc, dict):
            raise KenpoError("answers_format", file=where, reason=type(doc).__name__)
        _once_each(doc, where)
        return {key: _as_typed(value) for key, value in doc.items()}
    raise KenpoError("answers_format", file=where, reason=problem)


_EXAMPLES = {"JSON": '{"status": "enrolled", "myna": "yes"}', "TOML": 'status = "enrolled"'}
_WHERE = re.compile(r"at line (\d+), column (\d+)")  # how tomli says where (before 2.1)


def _syntax(exc: ValueError, where: str, kind: str) -> None:
    """A file that is not JSON (or TOML) where it goes wrong: the line and column, said
    in the user's language, with how a line is written; nothing for another ValueError
    (an integer too long: its own words)."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if line is None and (found := _WHERE.search(str(exc))) is not None:
        line, column = int(found[1]), int(found[2])
    if line is not None and column is not None:
        raise KenpoError(
            "answers_syntax", file=where, kind=kind, line=str(line), column=str(column),
            example=_EXAMPLES[kind],
        ) from None  # fmt: skip


def _decoded(data: bytes) -> str:
    """The text of an answers file, in whichever encoding it was saved, as a CSV is read:
    UTF-8 (with or without a BOM), UTF-16 (Notepad's "Unicode"), or cp932 (Notepad's
    "ANSI" on a Japanese Windows). :class:`UnicodeDecodeError` if it is none of them."""
    from kenpo_cli.batch.csvrows import UNDECIDED, detect_encoding

    encoding = detect_encoding(data)
    text = data.decode("utf-8" if encoding == UNDECIDED else encoding)
    if encoding == "cp932":  # bytes that are no character, shown as themselves (\xff)
        text = text.translate(_CP932_NO_CHARACTER)
    return text.removeprefix("\ufeff")


# Python's cp932 decodes the single bytes 0xA0 and 0xFD–0xFF, which Shift_JIS leaves
# unassigned, as private-use characters (an invisible box in a message); as undecodable
# bytes they are shown escaped, \xff.
_CP932_NO_CHARACTER = {0xF8F0: 0xDCA0, 0xF8F1: 0xDCFD, 0xF8F2: 0xDCFE, 0xF8F3: 0xDCFF}


def _as_typed(value: Any) -> Any:
    """A TOML date (or date-time) as the text a person would type, so it is read the same way.

    The date parser checks the range and the forms; a TOML ``9999-12-31`` must not
    slip past it as a ready-made date.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Twice(Exception):
    """A key an object of the file gives twice, with two values (JSON would keep the last
    without a word)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen and seen[key] != value:
            raise _Twice(key)
        seen[key] = value
    return seen


def _once_each(doc: dict[str, Any], where: str) -> None:
    """Refuse a fact given twice under its two spellings (``left-on`` and ``left_on``):
    which of two values was meant cannot be known, and one would be dropped unsaid."""
    seen: dict[str, Any] = {}
    for key, value in doc.items():
        name = key.replace("-", "_")
        if name in seen and seen[name] != value:
            raise KenpoError("answers_twice", file=where, field=key)
        seen[name] = value


def _json(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_unique)


def _toml(text: str) -> Any:
    return tomli.loads(text)


def save_answers(path: str | Path, answers: dict[str, str | int]) -> None:
    """Write ``answers`` (field name to code or ISO date) as TOML or JSON by suffix, mode 0600.

    The file is replaced whole or not at all (:mod:`kenpo_cli.io.safeio`).
    """
    from kenpo_cli.io.safeio import STDOUT, is_standard_output, write_file  # only when saving

    if str(path) == STDOUT or is_standard_output(path):  # /dev/stdout too
        raise KenpoError("answers_to_stdout")
    if Path(path).suffix.lower() == ".toml":
        body = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in answers.items())
    else:
        body = json.dumps(answers, ensure_ascii=False, indent=2) + "\n"
    write_file(path, body)


def answers_of(values: dict[str, Any]) -> dict[str, str | int]:
    """Typed fact values as an answers file holds them: strings, and counts as numbers."""
    return {
        k: v if type(v) is int else v.isoformat() if isinstance(v, date) else str(v)
        for k, v in values.items()
    }
