"""HR vocabulary as data (kenpo_cli/data/vocabulary.toml): one place, no word meaning two things.

An office's spelling is added to the data file, not to the code. These tests make a
mistake there fail here, naming the entry: a heading that two facts claim (until now
decided silently by the order of a ``setdefault``), a word two values claim, a fact or
value misspelt (an entry nobody reads), a ``@list`` that does not exist.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from enum import StrEnum

import pytest

from kenpo_cli import datafiles
from kenpo_cli.batch.header import heading_key, heading_keys
from kenpo_cli.core.dates import normalise
from kenpo_cli.core.facts import CHOICE_FACTS, FACT_BY_NAME, KIND_NAMES, words
from kenpo_cli.i18n import Messages, languages

DATA = tomllib.loads(datafiles.text("vocabulary.toml"))


def test_every_section_and_column_entry_is_one_the_code_reads() -> None:
    assert set(DATA) == {
        "columns",
        "flags",
        "notes",
        "insurances",
        "totals",
        "footers",
        "refused",
        "shared",
        "values",
    }
    assert set(DATA["flags"]) == {"left"}
    assert set(DATA["columns"]) <= set(FACT_BY_NAME), "a misspelt fact is never read"
    assert set(DATA["notes"]) == {"harmless"} and set(DATA["totals"]) == {"words", "headcount"}
    assert set(DATA["totals"]["headcount"]) <= set(DATA["totals"]["words"])
    assert set(DATA["insurances"]) == {"other"}


def test_every_value_list_names_a_kind_and_its_values() -> None:
    assert set(DATA["values"]) == set(KIND_NAMES.values())
    for kind, name in KIND_NAMES.items():
        assert set(DATA["values"][name]) <= {m.value for m in kind}, name
    used = {
        item[1:]
        for kinds in DATA["values"].values()
        for listed in kinds.values()
        for item in listed
        if item.startswith("@")
    }
    assert used == set(DATA["shared"]), "each shared list is used, and each @name exists"


def test_no_heading_names_two_facts() -> None:
    claims: dict[str, set[str]] = defaultdict(set)
    for fact, headings in DATA["columns"].items():
        for heading in headings:
            claims[heading_key(heading)].add(fact)
    for lang in languages():  # the facts' codes and labels are headings too
        msgs = Messages(lang)
        for fact in FACT_BY_NAME:
            claims[heading_key(fact)].add(fact)
            claims[heading_key(msgs("fact", fact))].add(fact)
    twice = {key: facts for key, facts in claims.items() if len(facts) > 1}
    assert not twice


def test_no_heading_reads_as_another_fact_once_folded() -> None:
    # The reader also looks a heading up without its 健保 prefix, its bracketed note or an
    # ending such as の有無 (heading_keys): 健保退職日 under left_on would take a heading
    # that reads as 退職日 (retired_on) today, 資格取得日（予定） one that reads as
    # 資格取得日. A leavers' flag (退職フラグ) is the status, not a column of its own.
    exact: dict[str, str] = {}
    for fact, headings in DATA["columns"].items():
        for heading in headings:
            exact[heading_key(heading)] = fact
    flags = {heading_key(w) for w in DATA["flags"]["left"]}
    clashes = []
    for fact, headings in DATA["columns"].items():
        for heading in headings:
            for key in heading_keys(heading)[1:]:
                if exact.get(key, fact) != fact:
                    clashes.append(f"{heading} ({fact}) reads as {exact[key]} once folded")
            if not flags.isdisjoint(heading_keys(heading)):
                clashes.append(f"{heading} ({fact}) is a leavers' flag in [flags]")
    assert clashes == []


@pytest.mark.parametrize("kind", list(KIND_NAMES), ids=list(KIND_NAMES.values()))
def test_no_word_names_two_values_of_one_kind(kind: type[StrEnum]) -> None:
    claims: dict[str, set[str]] = defaultdict(set)
    for member in kind:
        claims[normalise(member.value)].add(member.value)
    for code, listed in words(kind).items():
        for word in listed:
            claims[normalise(word)].add(code)
    twice = {word: codes for word, codes in claims.items() if len(codes) > 1}
    assert not twice


def test_every_word_is_read_as_its_value() -> None:
    from kenpo_cli.core.facts import parse_fact

    for fact, kind in CHOICE_FACTS.items():
        for code, listed in words(kind).items():
            for word in listed:
                assert parse_fact(fact, word, None) == kind(code), (fact, word)  # type: ignore[arg-type]


def test_every_heading_is_read_as_its_fact() -> None:
    from kenpo_cli.batch.header import column_table, fact_of

    table = column_table(Messages("ja"))
    for fact, headings in DATA["columns"].items():
        for heading in headings:
            assert fact_of(heading, table) == fact, heading


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("休職（傷病）", "enrolled"),  # on leave: still insured (健康保険法 第35条)
        ("育休（延長）", "enrolled"),
        ("在籍（休職中）", "enrolled"),
        ("長期欠勤", "enrolled"),
        ("嘱託", "enrolled"),
        ("出向（在籍型）", "enrolled"),
        ("契約終了", "left"),
        ("雇用終了", "left"),
        ("移籍出向", "left"),  # a move to the other employer, as 転籍
        ("定年再雇用", "enrolled"),  # re-employed: a member again (同日得喪)
        ("継続雇用", "enrolled"),
        ("休職（育休）", "enrolled"),
        ("休職(労災)", "enrolled"),
        ("在籍（出向）", "enrolled"),
        ("役員", "enrolled"),  # board members are insured as employees are
        ("転籍出向", "left"),
        ("在籍者", "enrolled"),  # (an HR review: each was an error row)
        ("休職（無給）", "enrolled"),
    ],
)
def test_status_words_hr_systems_export_are_read(typed: str, status: str) -> None:
    from kenpo_cli.core.facts import parse_fact
    from tests.helpers import TODAY

    assert parse_fact("status", typed, TODAY) == status


@pytest.mark.parametrize("fact", ["kakuninsho", "old_card"])
@pytest.mark.parametrize("typed", ["未回収", "未返却"])
def test_a_card_not_yet_back_is_held(fact: str, typed: str) -> None:
    # 未回収 on a list of cards collected: still out (it was refused; 回収済 was read).
    from kenpo_cli.core.facts import parse_fact
    from tests.helpers import TODAY

    assert parse_fact(fact, typed, TODAY) == "held"
    assert parse_fact(fact, "回収済", TODAY) == "none"


@pytest.mark.parametrize(
    ("fact", "typed", "value"),
    [
        ("myna", "紐付け済", "yes"),  # the card linked to the insurance: registered
        ("myna", "保険証登録済", "yes"),
        ("kakuninsho", "本人保管", "held"),  # kept by the member
        ("kakuninsho", "郵送済", "held"),  # sent to them
    ],
)
def test_words_offices_type_for_the_cards_are_read(fact: str, typed: str, value: str) -> None:
    # (an HR review: each was an error row, exit 3)
    from kenpo_cli.core.facts import parse_fact
    from tests.helpers import TODAY

    assert parse_fact(fact, typed, TODAY) == value
