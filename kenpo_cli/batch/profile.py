"""``kenpo batch --profile FILE``: an HR system's export described once, in a small TOML file.

An office writes what its system's columns and cell words mean, and names the file on
every run instead of repeating ``--map``::

    # SmartHR の従業員データ
    encoding = "utf-8"          # optional, as --encoding
    sheet = "従業員"            # optional, as --sheet (an .xlsx workbook)
    header_row = 5              # optional, as --header-row

    [columns]                   # as --map 'COLUMN=FACT' ("-": not a fact)
    "入社年月日" = "joined_on"
    "資格確認書（回収）" = "kakuninsho"

    [values."資格確認書（回収）"]  # as --map 'COLUMN:WORD=VALUE'
    "済" = "none"
    "未" = "held"

The profile's pairs come before the command line's: ``--map`` given too wins.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kenpo_cli.errors import KenpoError, os_reason
from kenpo_cli.privacy import echoed

_KEYS = ("name", "encoding", "sheet", "header_row", "columns", "values")


class Profile(NamedTuple):
    pairs: list[str]  # as --map takes them
    encoding: str | None
    sheet: str | None
    header_row: str | None  # as --header-row


def load_profile(path: str) -> Profile:
    """The ``--map`` pairs and settings of a profile; a usage error names what is wrong."""
    import tomli

    from kenpo_cli.io.answers import _decoded
    from kenpo_cli.io.smallfile import MAX_SHOWN, TooLarge, read_small

    try:
        text = _decoded(read_small(path))  # UTF-8, UTF-16 or CP932, as Notepad saves it
    except OSError as exc:
        raise KenpoError("batch_profile_unreadable", file=path, reason=os_reason(exc)) from None
    except TooLarge:
        raise KenpoError("batch_profile_unreadable", file=path, reason=f"> {MAX_SHOWN}") from None
    except UnicodeDecodeError:
        raise KenpoError("batch_profile_encoding", file=path) from None
    try:
        doc = tomli.loads(text)
    except (ValueError, RecursionError) as exc:
        raise KenpoError("batch_profile_toml", file=path, reason=str(exc)) from None
    for key in doc:
        if key not in _KEYS:
            raise KenpoError(
                "batch_profile_key", file=path, key=echoed(key), accepted=", ".join(_KEYS)
            )
    pairs = [
        f"{column}={_text(path, column, fact)}" for column, fact in _table(path, doc, "columns")
    ]
    for column, words in _table(path, doc, "values"):
        if not isinstance(words, dict):
            raise KenpoError(
                "batch_profile_key", file=path, key=echoed(column), accepted='[values."COLUMN"]'
            )
        pairs += [f"{column}:{word}={_text(path, word, code)}" for word, code in words.items()]
    row = doc.get("header_row")
    header_row = str(row) if isinstance(row, int) and not isinstance(row, bool) else None
    if header_row is None and row is not None:
        header_row = _text(path, "header_row", row)
    return Profile(pairs, _setting(path, doc, "encoding"), _setting(path, doc, "sheet"), header_row)


def _table(path: str, doc: dict[str, Any], key: str) -> list[tuple[str, Any]]:
    table = doc.get(key, {})
    if not isinstance(table, dict):
        raise KenpoError("batch_profile_key", file=path, key=key, accepted=f"[{key}]")
    return list(table.items())


def _text(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        # Valid TOML, but a number or a list where a text goes (a = 1): said as such.
        shown = echoed(str(value))[:40]
        raise KenpoError("batch_profile_value", file=path, key=echoed(key), value=shown)
    return value


def _setting(path: str, doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    return None if value is None else _text(path, key, value)
