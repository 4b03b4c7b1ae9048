"""Inputs that try to break kenpo: every one ends with exit 0, 1 or 2 and no traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kenpo_cli.cli import app
from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import ALL_FIELDS, CHOICE_FACTS

runner = CliRunner()
DATE_OPTIONS = ["--as-of", "--left-on", "--joined-on", "--cert-expiry", "--kakuninsho-expiry"]
CHOICE_OPTIONS = ["--" + name.replace("_", "-") for name in CHOICE_FACTS]
# Text as people paste it: Japanese, full-width forms, digits, separators, odd bytes.
junk = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(list("0123456789０１２３４５６７８９-/.年月日令和平成元RHS ")),
    max_size=24,
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ends_cleanly(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


@FAST
@given(st.sampled_from(DATE_OPTIONS), junk)
def test_any_text_in_a_date_option(option: str, value: str) -> None:
    ends_cleanly(["check", "--no-input", "--json", option, value])


@FAST
@given(st.sampled_from(CHOICE_OPTIONS), junk)
def test_any_text_in_a_choice_option(option: str, value: str) -> None:
    ends_cleanly(["check", "--no-input", "--json", option, value])


@FAST
@given(
    st.sampled_from(["--date", "--cert-expiry", "--kakuninsho-expiry", "--left-on", "--check"]),
    junk,
)
def test_any_text_in_an_expiry_option(option: str, value: str) -> None:
    ends_cleanly(["expiry", "--quiet", option, value])


answers = st.dictionaries(
    st.sampled_from(ALL_FIELDS) | junk,
    junk | st.integers() | st.booleans() | st.none() | st.lists(st.integers(), max_size=2),
    max_size=6,
)


@FAST
@given(answers, st.sampled_from([".json", ".toml", ""]))
def test_any_answers_file(content: dict[str, object], suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"answers{suffix}"
        path.write_text(json.dumps(content), encoding="utf-8")
        ends_cleanly(["check", "--no-input", "--json", "--answers", str(path)])


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_as_an_answers_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.toml"
        path.write_bytes(content)
        ends_cleanly(["check", "--no-input", "--answers", str(path)])


@FAST
@given(st.integers(min_value=0, max_value=20000), st.integers(min_value=0, max_value=60), junk)
def test_any_edit_to_a_rule_pack(at: int, cut: int, insert: str) -> None:
    text = rulepack.builtin_text()
    at %= len(text)
    broken = text[:at] + insert + text[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pack.toml"
        path.write_text(broken, encoding="utf-8")
        ends_cleanly(["expiry", "--json", "--rules", str(path)])
        ends_cleanly(["check", "--no-input", "--json", "--rules", str(path), "--myna", "yes"])


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_a_batch_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        path.write_bytes(b"myna,kakuninsho,left_on,note\n" + content)
        result = runner.invoke(app, ["batch", str(path), "--as-of", "2026-11-26"])
        assert result.exit_code in (0, 2, 3), result.output
        assert "Traceback" not in result.output
