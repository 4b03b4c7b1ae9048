"""Rule packs: the example society's different verdicts, round trips, and clear validation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.core.model import Item
from kenpo_cli.errors import KenpoError
from tests.helpers import judge, steps

EXAMPLE = Path(__file__).parents[2] / "examples" / "rules" / "example-society.toml"


@pytest.fixture(scope="module")
def example() -> rulepack.RulePack:
    return rulepack.load(EXAMPLE)


def test_example_pack_loads_with_its_own_name(example: rulepack.RulePack) -> None:
    assert (example.id, example.version) == ("example-society", "2026.04")
    assert example.kakuninsho_expiry.isoformat() == "2026-11-30"
    assert example.sources["society-oshirase-reissue"].kind == "society"


def test_example_pack_kakuninsho_expires_a_year_earlier(example: rulepack.RulePack) -> None:
    facts = dict(as_of="2026-12-01", myna="no", kakuninsho="held")
    assert judge(**facts).can_see_doctor
    theirs = judge(**facts, rules=example)
    # Past their expiry, its own date not given: presumably the renewed one is in hand.
    assert theirs.can_see_doctor is None and ("check", "kakuninsho") in steps(theirs)
    printed = judge(**facts, kakuninsho_expiry="2026-11-30", rules=example)
    assert not printed.can_see_doctor
    assert ("dispose", "kakuninsho") in steps(printed)
    assert ("contact", "kenpo") in steps(printed)
    assert judge("2026-11-30", rules=example, myna="no", kakuninsho="held").can_see_doctor


def test_example_pack_reissues_a_lost_oshirase(example: rulepack.RulePack) -> None:
    facts = dict(as_of="2026-10-01", myna="yes", oshirase="lost")
    ours = judge(**facts)
    assert ("check", "mynaportal") in steps(ours)
    assert "oshirase_not_reissued" in {w.code for w in ours.warnings}
    theirs = judge(**facts, rules=example)
    assert ("contact", "kenpo") in steps(theirs)
    assert not theirs.warnings
    assert "society-oshirase-reissue" in {s for a in theirs.actions for s in a.sources}


def test_example_pack_reissues_the_kakuninsho_to_myna_holders(example: rulepack.RulePack) -> None:
    facts = dict(as_of="2026-10-01", myna="yes", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") not in steps(judge(**facts))
    assert ("submit", "kakuninsho_reissue") in steps(judge(**facts, rules=example))


def test_example_pack_leaves_other_verdicts_alone(example: rulepack.RulePack) -> None:
    facts = dict(as_of="2026-10-20", left_on="2026-10-16", myna="no", kakuninsho="held")
    assert steps(judge(**facts)) == steps(judge(**facts, rules=example))


def test_printed_pack_loaded_back_gives_the_same_verdicts(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text(rulepack.builtin().text, encoding="utf-8")
    loaded = rulepack.load(copy)
    for facts in [
        dict(as_of="2027-12-01", myna="no", kakuninsho="held"),
        dict(as_of="2026-10-20", myna="yes", cert_expiry="2026-08-15"),
    ]:
        assert judge(**facts, rules=loaded) == judge(**facts)


def mutate(old: str, new: str) -> str:
    text = rulepack.builtin_text()
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "code", "key"),
    [
        (mutate("[pack]", "[pack"), "rules_syntax", None),
        (
            mutate("value = 3\n", "value = 3\nvalu = 4\n"),
            "rules_unknown_key",
            "values.cert_grace_months.valu",
        ),
        (
            mutate("[values.oshirase_reissued]\nvalue = false\n", "[values.oshirase_reissued]\n"),
            "rules_missing_key",
            "values.oshirase_reissued.value",
        ),
        (mutate("value = 3\n", 'value = "3"\n'), "rules_type", "values.cert_grace_months.value"),
        (mutate("value = 3\n", "value = true\n"), "rules_type", "values.cert_grace_months.value"),
        (mutate("value = 3\n", "value = 99\n"), "rules_range", "values.cert_grace_months.value"),
        (
            mutate("value = 2027-11-30", 'value = "2027-02-30"'),
            "rules_type",
            "values.kakuninsho_expiry.value",
        ),
        (mutate("value = 2027-11-30", "value = 2027-02-30"), "rules_syntax", None),
        (
            mutate("value = 2027-11-30", "value = 2024-01-01"),
            "rules_order",
            "values.kakuninsho_expiry.value",
        ),
        (
            mutate("value = 2025-12-01", "value = 2024-01-01"),
            "rules_order",
            "values.old_card_valid_until.value",
        ),
        (
            mutate('source = "faq-myna-update"', 'source = "faq-nowhere"'),
            "rules_unknown_source",
            "values.myna_update_days.source",
        ),
        (
            mutate("[sources.faq-oshirase-what]", "[sources.faq-oshirase-whatever]"),
            "rules_missing_source",
            "sources.faq-oshirase-what",
        ),
        (
            mutate('kind = "national"', 'kind = "rumour"'),
            "rules_bad_value",
            "sources.national-old-card-return.kind",
        ),
        (mutate('id = "kenpo-faq"', 'id = ""'), "rules_type", "pack.id"),
        (
            mutate("[values.transition_start]", "[extra]\nx = 1\n\n[values.transition_start]"),
            "rules_unknown_key",
            "extra",
        ),
    ],
)
def test_broken_packs_name_the_key(text: str, code: str, key: str | None) -> None:
    with pytest.raises(KenpoError) as caught:
        rulepack.parse(text, "broken.toml")
    assert caught.value.code == code
    assert caught.value.params["file"] == "broken.toml"
    if key is not None:
        assert caught.value.params["key"] == key


def test_every_value_cites_a_source_and_every_cited_id_is_defined() -> None:
    pack = rulepack.builtin()
    assert set(pack.value_sources) == set(rulepack.value_types())
    assert set(pack.value_sources.values()) <= set(pack.sources)
    assert set(rulepack.Src) <= set(pack.sources)


def test_builtin_values_match_the_faq_text() -> None:
    faq = Path(__file__).parents[3] / "shared" / "seed" / "kenpo-faq.md"
    if not faq.exists():
        pytest.skip("the shared FAQ is not beside this checkout")
    text = faq.read_text(encoding="utf-8")
    # 令和7年12月1日 = 2025-12-01, 令和9年11月30日 = 2027-11-30, 3か月, 3日～5日
    assert "令和7年12月1日まで" in text and "令和9年11月30日" in text
    assert "3か月後の月末" in text and re.search(r"3日～5日", text)
    pack = rulepack.builtin()
    assert pack.old_card_valid_until.isoformat() == "2025-12-01"
    assert pack.kakuninsho_expiry.isoformat() == "2027-11-30"
    assert (pack.cert_grace_months, pack.myna_update_days) == (3, 5)


def test_a_verdict_names_the_pack_it_used(example: rulepack.RulePack) -> None:
    v = judge("2026-10-01", rules=example, myna="yes")
    assert (v.rules_id, v.rules_version) == ("example-society", "2026.04")
    assert v.present[0] == (Item.MYNA,)


def test_the_built_in_pack_read_without_checks_is_the_pack_validation_accepts() -> None:
    checked = rulepack.parse(rulepack.builtin_text(), "rules.toml")
    assert rulepack.builtin() == checked
    assert dict(rulepack.builtin().sources) == dict(checked.sources)
    assert dict(rulepack.builtin().value_sources) == dict(checked.value_sources)


@pytest.mark.parametrize(("days", "months"), [(90, 3), (0, 0), (400, 12), (10**400, 12)])
def test_a_kenpo_0_1_pack_counts_the_renewal_notice_in_days(days: int, months: int) -> None:
    text = rulepack.builtin_text().replace(
        "[values.cert_renew_notice_months]\nvalue = 3\n",
        f"[values.cert_renew_notice_days]\nvalue = {days}\n",
    )
    assert "cert_renew_notice_days" in text
    assert rulepack.parse(text, "old.toml").cert_renew_notice_months == months


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (("[pack]", "# 担当 1234-5678-9018\n[pack]"), 12),
        (
            (
                "[sources.faq-oshirase-what]",
                '[sources.faq-123-456-789-018]\nkind = "faq"\nsection = "x"\nquestion = "x"\n\n'
                "[sources.faq-oshirase-what]",
            ),
            None,
        ),
    ],
)
def test_a_pack_holding_a_my_number_is_refused_without_echoing_it(
    edit: tuple[str, str], line: int | None
) -> None:
    text = rulepack.builtin_text()
    assert edit[0] in text
    with pytest.raises(KenpoError) as caught:
        rulepack.parse(text.replace(edit[0], edit[1], 1), "ours.toml")
    assert caught.value.code == "rules_my_number"
    if line is not None:
        assert caught.value.params["line"] == str(line)
    assert "9018" not in str(caught.value.params) and "018" not in str(caught.value.params)


def test_every_national_source_says_of_when_it_is() -> None:
    # CONTRACT.md: a national source gives its date and where to read it (kenpo sources).
    pack = rulepack.builtin()
    national = [s for s in pack.sources.values() if s.kind == "national"]
    assert len(national) >= 15
    for s in national:
        assert s.date is not None and date.fromisoformat(s.date) <= date(2026, 12, 6), s.id
        assert s.section["ja"], s.id  # the law or notice, by name


def test_a_sources_date_must_be_a_date() -> None:
    text = rulepack.builtin_text().replace("date = 2025-11-12", 'date = "soon"', 1)
    with pytest.raises(KenpoError) as caught:
        rulepack.parse(text, "ours.toml")
    assert caught.value.params["key"] == "sources.national-transition-measure.date"
