"""Dated values in a rule pack: a society's change of date is made in its pack alone.

The use case: the society renews its 資格確認書, and the cards issued from 2027-12-01
expire on 2028-07-31. Written as a dated series in the pack (nothing else changed),
check, batch and expiry all follow it; a broken series is refused naming its key.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import make_facts
from kenpo_cli.core.model import Holding, Myna, Status
from kenpo_cli.core.rules import evaluate
from kenpo_cli.core.rules.representative import representative
from kenpo_cli.errors import KenpoError
from tests.helpers import steps
from tests.inprocess import run_main

SECTION = "[values.kakuninsho_expiry]\n"
RENEWED = """[values.kakuninsho_expiry]
values.2024-12-02 = { value = 2027-11-30, source = "faq-kakuninsho-expiry" }
values.2027-12-01 = { value = 2028-07-31, source = "faq-kakuninsho-expiry" }
"""


def renewed_text(series: str = RENEWED) -> str:
    """The built-in pack with its 資格確認書 expiry given as ``series``: whatever the
    built-in's own entry holds (one value, or a series after a renewal of its own), its
    value lines are replaced and its note kept."""
    text = rulepack.builtin_text()
    start = text.index(SECTION)
    end = text.index("\n\n", start)
    kept = [
        line
        for line in text[start:end].splitlines()[1:]
        if not line.startswith(("value =", "values.", "source ="))
    ]
    return text[:start] + series + "".join(f"{line}\n" for line in kept) + text[end + 1 :]


@pytest.fixture(scope="module")
def renewed() -> rulepack.RulePack:
    return rulepack.parse(renewed_text(), "renewed.toml")


def test_a_series_gives_the_value_in_force_on_each_day(renewed: rulepack.RulePack) -> None:
    value = renewed.value
    assert value("kakuninsho_expiry", on=date(2026, 1, 1)) == date(2027, 11, 30)
    assert value("kakuninsho_expiry", on=date(2027, 11, 30)) == date(2027, 11, 30)
    assert value("kakuninsho_expiry", on=date(2027, 12, 1)) == date(2028, 7, 31)
    # Before its first day, the first value (nothing earlier is known).
    assert value("kakuninsho_expiry", on=date(2020, 1, 1)) == date(2027, 11, 30)
    # A plain value is the same every day.
    assert value("old_card_valid_until", on=date(2030, 1, 1)) == date(2025, 12, 1)
    assert renewed.on(date(2028, 1, 1)).kakuninsho_expiry == date(2028, 7, 31)


# A holder of the bulk-issued 資格確認書 (no expiry given), asked after the bulk expiry.
HOLDER = {"kakuninsho": Holding.HELD, "myna": Myna.NO}
# One who left after the bulk expiry, before the renewed card's: the example,
# where a batch that did not follow the change said "return" and check "dispose".
LEAVER = {**HOLDER, "status": Status.LEFT, "left_on": date(2028, 1, 10)}
ASKED = date(2028, 3, 1)


def pairs(values: dict[str, Any], pack: rulepack.RulePack) -> set[tuple[str, str]]:
    return steps(evaluate(make_facts(values), ASKED, pack))


def test_check_follows_the_renewal(renewed: rulepack.RulePack) -> None:
    builtin = rulepack.builtin()
    # Our pack knows of no renewal: the card in hand is presumably the renewed one
    # (faq-kakuninsho-expiry), so read its date (issue 21); the renewed pack knows it.
    assert ("check", "kakuninsho") in pairs(HOLDER, builtin)
    assert ("carry", "kakuninsho") in pairs(HOLDER, renewed)
    printed = {"kakuninsho_expiry": date(2027, 11, 30)}
    assert ("dispose", "kakuninsho") in pairs({**LEAVER, **printed}, builtin)
    assert ("return", "kakuninsho") in pairs(LEAVER, renewed)
    said = evaluate(make_facts(LEAVER), ASKED, renewed).actions[0].reasons[0].key
    assert said == "return_kakuninsho_left"  # in force that day, as the pack says


@pytest.mark.parametrize("values", [HOLDER, LEAVER])
def test_the_batch_representative_follows_the_renewal(
    renewed: rulepack.RulePack, values: dict[str, Any]
) -> None:
    facts = make_facts(values)
    for pack in (renewed, rulepack.builtin()):
        moved = representative(facts, ASKED, pack)
        assert steps(evaluate(moved, ASKED, pack)) == steps(evaluate(facts, ASKED, pack))


HEADER = "社員番号,退職日,マイナ保険証,資格確認書"


def test_batch_and_check_on_the_command_line_follow_the_renewal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pack = tmp_path / "renewed.toml"
    pack.write_text(renewed_text(), encoding="utf-8")
    staff = tmp_path / "staff.csv"
    # 退職日 2028-01-09: the 資格喪失日 is the next day, 2028-01-10.
    staff.write_text(f"{HEADER}\n1,2028-01-09,いいえ,有\n2,,いいえ,有\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    ran = run_main(
        monkeypatch,
        ["batch", str(staff), "--as-of", ASKED.isoformat(), "--rules", str(pack), "-o", str(out)],
    )
    assert ran.status == 0, ran.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = [{(a["action"], a["item"]) for a in row["actions"]} for row in rows]
    assert ("return", "kakuninsho") in kinds[0] and ("carry", "kakuninsho") in kinds[1]
    check = [
        "check",
        "--no-input",
        "--json",
        "--as-of",
        ASKED.isoformat(),
        "--rules",
        str(pack),
        "--left-on",
        "2028-01-10",
        "--myna",
        "no",
        "--kakuninsho",
        "held",
    ]
    ran = run_main(monkeypatch, check)
    assert ran.status == 0, ran.stderr
    checked = {(a["action"], a["item"]) for a in json.loads(ran.stdout)["actions"]}
    assert checked == kinds[0]


def test_expiry_follows_the_renewal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pack = tmp_path / "renewed.toml"
    pack.write_text(renewed_text(), encoding="utf-8")
    ran = run_main(
        monkeypatch,
        ["expiry", "--date", "2028-01-05", "--rules", str(pack), "--check", "kakuninsho"],
    )
    assert ran.status == 0, ran.stdout + ran.stderr
    assert "2028-07-31" in ran.stdout or "2028年7月31日" in ran.stdout


def test_rules_show_prints_each_value_of_a_series(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pack = tmp_path / "renewed.toml"
    pack.write_text(renewed_text(), encoding="utf-8")
    ran = run_main(monkeypatch, ["rules", "show", "--rules", str(pack), "--lang", "en"])
    assert ran.status == 0, ran.stderr
    assert "  kakuninsho_expiry:\n" in ran.stdout
    assert "2027-11-30  (from Mon 2024-12-02)    [faq-kakuninsho-expiry]" in ran.stdout
    assert "2028-07-31  (from Wed 2027-12-01)    [faq-kakuninsho-expiry]" in ran.stdout


SERIES = "values.kakuninsho_expiry.values"


@pytest.mark.parametrize(
    ("series", "code", "key"),
    [
        (  # out of order
            RENEWED.replace("2024-12-02", "2028-01-01"),
            "rules_series_order",
            f"{SERIES}.2027-12-01",
        ),
        (RENEWED.replace("2027-12-01", "2027-02-30"), "rules_series_day", f"{SERIES}.2027-02-30"),
        (RENEWED.replace("2027-12-01", "2027-12-1"), "rules_series_day", f"{SERIES}.2027-12-1"),
        (RENEWED.replace("2027-12-01", "next-year"), "rules_series_day", f"{SERIES}.next-year"),
        (
            RENEWED.replace("value = 2028-07-31", 'value = "2028-07-31"'),
            "rules_type",
            f"{SERIES}.2027-12-01.value",
        ),
        (
            RENEWED.replace('2028-07-31, source = "faq-kakuninsho-expiry"', "2028-07-31"),
            "rules_missing_key",
            f"{SERIES}.2027-12-01.source",
        ),
        (
            RENEWED.replace(
                'source = "faq-kakuninsho-expiry" }\nvalues.2027', 'source = "x" }\nvalues.2027'
            ),
            "rules_unknown_source",
            f"{SERIES}.2024-12-02.source",
        ),
        (
            RENEWED.replace("value = 2028-07-31", "value = 2024-01-01"),
            "rules_order",
            f"{SERIES}.2027-12-01.value",
        ),
        (  # the renewed cards would have lapsed before they were issued
            RENEWED.replace("value = 2028-07-31", "value = 2027-07-31"),
            "rules_order",
            f"{SERIES}.2027-12-01.value",
        ),
        (RENEWED + "value = 2027-11-30\n", "rules_unknown_key", "values.kakuninsho_expiry.value"),
        ("[values.kakuninsho_expiry]\nvalues = {}\n", "rules_type", SERIES),
    ],
)
def test_a_broken_series_is_refused_naming_its_key(series: str, code: str, key: str) -> None:
    with pytest.raises(KenpoError) as caught:
        rulepack.parse(renewed_text(series), "broken.toml")
    assert (caught.value.code, caught.value.params["key"]) == (code, key)


def test_a_broken_series_exits_2_with_the_key_and_an_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pack = tmp_path / "broken.toml"
    pack.write_text(renewed_text(RENEWED.replace("2027-12-01", "2027-12-1")), encoding="utf-8")
    ran = run_main(monkeypatch, ["rules", "show", "--rules", str(pack), "--lang", "en"])
    assert ran.status == 2
    assert f"{SERIES}.2027-12-1" in ran.stderr and "2027-12-01" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_a_pack_without_a_value_states_its_own_rather_than_taking_ours(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = rulepack.builtin_text()
    start = text.index("[values.kakuninsho_renewal_notice_days]")
    end = text.index("\n\n", start)
    pack = tmp_path / "older.toml"
    pack.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    ran = run_main(monkeypatch, ["rules", "show", "--rules", str(pack), "--lang", "en"])
    assert ran.status == 2, ran.stdout
    assert "values.kakuninsho_renewal_notice_days" in ran.stderr
    assert "value = 60" in ran.stderr  # an example to copy


def test_a_switch_given_as_a_series_changes_the_steps_from_its_day() -> None:
    # Not only dates: the society starts reissuing a lost お知らせ on 2027-04-01.
    old = '[values.oshirase_reissued]\nvalue = false\nsource = "faq-oshirase-lost"\n'
    text = rulepack.builtin_text()
    assert old in text
    series = (
        "[values.oshirase_reissued]\n"
        'values.2024-12-02 = { value = false, source = "faq-oshirase-lost" }\n'
        'values.2027-04-01 = { value = true, source = "faq-oshirase-lost" }\n'
    )
    pack = rulepack.parse(text.replace(old, series, 1), "switch.toml")
    facts = make_facts({"myna": Myna.YES, "oshirase": Holding.LOST})
    before = steps(evaluate(facts, date(2027, 3, 31), pack))
    after = steps(evaluate(facts, date(2027, 4, 1), pack))
    assert ("contact", "kenpo") not in before and ("contact", "kenpo") in after
