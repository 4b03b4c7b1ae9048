"""Reading and writing the user's files: answers files, and private output (mode 0600)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import IO, Any

import tomli

from kenpo_cli.errors import KenpoError


def open_private(path: str | Path, newline: str | None = None) -> IO[str]:
    """Open ``path`` for writing as UTF-8, readable by its owner only (mode 0600).

    The file may hold personal facts, so the mode is set when it is created, and
    reset if it already existed with looser permissions.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return open(fd, "w", encoding="utf-8", newline=newline)


def load_answers(path: str | Path) -> dict[str, Any]:
    """The mapping in an answers file: JSON or TOML, chosen by suffix, else whichever reads."""
    where = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise KenpoError(
            "answers_unreadable", file=where, reason=exc.strerror or str(exc)
        ) from None
    except UnicodeDecodeError:
        raise KenpoError("answers_format", file=where, reason="not UTF-8") from None
    readers = {".json": [_json], ".toml": [_toml]}.get(Path(path).suffix.lower(), [_json, _toml])
    problem = ""
    for read in readers:
        try:
            doc = read(text)
        except ValueError as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
            problem = problem or str(exc)
            continue
        if not isinstance(doc, dict):
            raise KenpoError("answers_format", file=where, reason=type(doc).__name__)
        return doc
    raise KenpoError("answers_format", file=where, reason=problem)


def _json(text: str) -> Any:
    return json.loads(text)


def _toml(text: str) -> Any:
    return tomli.loads(text)


def save_answers(path: str | Path, answers: dict[str, str]) -> None:
    """Write ``answers`` (field name to code or ISO date) as TOML or JSON by suffix, mode 0600."""
    if Path(path).suffix.lower() == ".toml":
        body = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in answers.items())
    else:
        body = json.dumps(answers, ensure_ascii=False, indent=2) + "\n"
    try:
        with open_private(path) as out:
            out.write(body)
    except OSError as exc:
        raise KenpoError("answers_write", file=str(path), reason=exc.strerror or str(exc)) from None


def answers_of(values: dict[str, Any]) -> dict[str, str]:
    """Typed fact values as the strings an answers file holds."""
    return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in values.items()}
