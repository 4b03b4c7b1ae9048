"""A console that is not UTF-8, as on Windows (cp932), simulated with PYTHONIOENCODING:
data (JSON, TOML) is UTF-8 on every channel (RFC 8259), text follows the console and
uses only characters a Japanese console has, so nothing turns into "?"."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib

import pytest

from tests.acceptance.test_cli import KENPO

AS_OF = ["--as-of", "2026-12-06"]
# The certificate's grace period has ended: the urgent line and a deadline are shown.
OVERDUE = ["--myna", "yes", "--cert-expiry", "2026-08-15"]


def run(args: list[str], console: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    assert KENPO
    r = subprocess.run(
        [KENPO, *args],
        capture_output=True,
        env={**env, "PYTHONIOENCODING": console},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr.decode(console, "replace")
    return r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-input", "--json", *AS_OF, *OVERDUE],
        ["check", "--no-input", "--format", "json", *AS_OF, *OVERDUE],
        ["expiry", "--json", "--date", "2026-12-06", "--cert-expiry", "2026-08-15"],
        ["sources", "--json"],
    ],
)
def test_json_is_utf8_whatever_the_console(args: list[str]) -> None:
    on_cp932, on_utf8 = run(args, "cp932"), run(args, "utf-8")
    assert on_cp932 == on_utf8
    assert json.loads(on_cp932.decode("utf-8"))
    if args[0] != "expiry":  # its JSON is codes and dates only
        assert not on_cp932.isascii()  # Japanese, in UTF-8, not cp932 nor escaped


def test_the_rule_pack_as_toml_is_utf8_whatever_the_console() -> None:
    out = run(["rules", "show", "--toml"], "cp932")
    assert tomllib.loads(out.decode("utf-8"))["pack"]["id"]


@pytest.mark.parametrize("lang", ["ja", "easy", "en"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_on_a_cp932_console_loses_no_character(lang: str, fmt: str) -> None:
    args = ["check", "--no-input", "--plain", "--lang", lang, "--format", fmt, *AS_OF, *OVERDUE]
    text = run([*args, "--sources"], "cp932").decode("cp932")
    same = run([*args, "--sources"], "utf-8").decode("utf-8")
    lost = [(a, b) for a, b in zip(text.splitlines(), same.splitlines(), strict=True) if a != b]
    assert not lost  # no character became "?"
    assert "2026-11-30" in text or "2026年11月30日" in text  # the deadline line is there
