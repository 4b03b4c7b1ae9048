"""One description of the facts drives every face of them: flag, answers key, CSV column,
label, help and wizard question. Adding a fact to FACTS without one of them fails here."""

from __future__ import annotations

import io
from datetime import date

import pytest
from typer.testing import CliRunner

from kenpo_cli.batch.command import read_header
from kenpo_cli.cli.app import make_app
from kenpo_cli.cli.wizard import NOT_ASKED, facts_asked
from kenpo_cli.core.facts import FACT_BY_NAME, FACTS, gather
from kenpo_cli.core.model import FACT_NAMES
from kenpo_cli.i18n import Messages, languages

TODAY = date(2026, 11, 26)


def sample(name: str) -> str:
    spec = FACT_BY_NAME[name]
    if spec.people:
        return "2"
    return "2026-11-20" if spec.values is None else next(iter(spec.values)).value


def test_facts_describe_exactly_the_verdicts_inputs() -> None:
    assert [f.name for f in FACTS] == ["as_of", *FACT_NAMES]


@pytest.mark.parametrize("lang", languages())
def test_every_fact_is_a_flag_of_check_with_help_in_the_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KENPO_LANG", lang)
    out = CliRunner().invoke(make_app("check"), ["check", "--help"], terminal_width=200).output
    msgs = Messages(lang)
    for spec in FACTS:
        assert spec.flag in out, spec.name
        assert msgs("fact_help", spec.name)[:12] in out, spec.name


def test_every_fact_is_an_answers_key_and_a_flag_spelling() -> None:
    raw = {spec.name: sample(spec.name) for spec in FACTS}
    assert set(gather(raw, TODAY).values) == set(raw)
    dashed = {spec.flag.removeprefix("--"): sample(spec.name) for spec in FACTS}
    assert set(gather(dashed, TODAY, flags=True).values) == set(FACT_BY_NAME)


@pytest.mark.parametrize("lang", languages())
def test_every_fact_is_a_batch_column_by_its_code_and_its_label(lang: str) -> None:
    msgs = Messages(lang)
    by_code = read_header([spec.name for spec in FACTS], msgs)
    assert sorted(by_code.facts.values()) == sorted(FACT_BY_NAME)
    by_label = read_header([msgs("fact", spec.name) for spec in FACTS], msgs)
    assert sorted(by_label.facts.values()) == sorted(FACT_BY_NAME)
    assert not by_label.passthrough


def test_every_fact_is_asked_by_the_wizard_or_says_why_not() -> None:
    asked = facts_asked()
    assert asked.isdisjoint(NOT_ASKED)
    assert asked | set(NOT_ASKED) == set(FACT_BY_NAME)
    assert all(reason.strip() for reason in NOT_ASKED.values())


def test_the_batch_header_reader_takes_a_csv_heading_row() -> None:
    # The header of examples/hr/employees.csv, as Excel writes it.
    head = io.StringIO("社員番号,氏名,マイナ保険証,資格確認書,資格喪失日\n").readline()
    header = read_header(head.strip().split(","), Messages("ja"))
    assert set(header.facts.values()) == {"myna", "kakuninsho", "left_on"}


@pytest.mark.parametrize(
    ("fact", "typed", "code"),
    [
        ("myna", "登録済み", "yes"),
        ("myna", "済み", "yes"),
        ("myna", "●", "yes"),
        ("myna", "✕", "no"),
        ("myna", "－", "no"),
        ("myna", "不明", "unknown"),
        ("kakuninsho", "保有", "held"),
        ("kakuninsho", "交付済", "held"),
        ("kakuninsho", "未交付", "none"),
        ("kakuninsho", "紛失", "lost"),
        ("oshirase", "該当なし", "none"),
        ("unreachable", "対象外", "no"),
        ("unreachable", "該当", "yes"),
        ("status", "在籍中", "enrolled"),
        ("status", "退職予定", "leaving"),
        ("old_card", "返却済", "none"),
    ],
)
def test_values_as_hr_sheets_write_them(fact: str, typed: str, code: str) -> None:
    from kenpo_cli.core.facts import parse_fact

    assert parse_fact(fact, typed, TODAY).value == code


@pytest.mark.parametrize("fact", ["kakuninsho", "oshirase", "portal", "unreachable"])
def test_fumei_where_a_fact_has_no_unknown_means_not_given(fact: str) -> None:
    from kenpo_cli.core.facts import parse_fact

    assert parse_fact(fact, "不明", TODAY) is None
    assert fact not in gather({fact: "不明"}, TODAY).values


def test_a_bad_value_is_answered_with_the_words_people_may_use() -> None:
    from kenpo_cli.core.facts import parse_fact
    from kenpo_cli.errors import InvalidValue

    with pytest.raises(InvalidValue) as caught:
        parse_fact("kakuninsho", "たぶん", TODAY, label="資格確認書の有無")
    accepted = caught.value.params["accepted"]
    assert "held（" in accepted and "有" in accepted and "紛失" in accepted
