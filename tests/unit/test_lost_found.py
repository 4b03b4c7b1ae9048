"""Lost, then found (issue 21, principle 9): a 資格確認書 found after its reissue goes back;
a My Number card found after its suspension works only once the suspension is lifted.

The FAQ is silent on both: the steps cite national rules (national-kakuninsho-found,
national-myna-card-found). Each test has both sides of its boundary.
"""

from __future__ import annotations

import json

import pytest

from kenpo_cli.core.facts import parse_fact
from kenpo_cli.core.model import Holding, Item, Myna, WhyNot
from kenpo_cli.core.rulepack import Src
from kenpo_cli.i18n import Lang, Messages, languages
from kenpo_cli.render.json import verdict_dict
from tests.helpers import TODAY, cites, judge, reason_keys, step, steps
from tests.unit.test_wizard import run_wizard

# ---- the 資格確認書 found after its reissue ---------------------------------------


def test_a_kakuninsho_found_after_its_reissue_goes_back_and_the_new_one_is_used() -> None:
    found = judge("2026-06-01", kakuninsho="found")
    assert ("return", "found_kakuninsho") in steps(found)
    assert Src.NATIONAL_KAKUNINSHO_FOUND in cites(found)
    # The reissued one is what gets the member seen; nothing is reissued again.
    assert found.present == ((Item.KAKUNINSHO,),)
    assert ("carry", "kakuninsho") in steps(found)
    assert ("submit", "kakuninsho_reissue") not in steps(found)
    # The other side: one merely held, or lost, has no found card to give back.
    for other in ("held", "lost"):
        assert not {a for a in steps(judge("2026-06-01", kakuninsho=other)) if "found" in a[1]}
    assert ("submit", "kakuninsho_reissue") in steps(judge("2026-06-01", kakuninsho="lost"))


def test_a_found_kakuninsho_goes_back_up_to_its_expiry_and_is_thrown_away_after() -> None:
    last_day = judge("2027-11-30", kakuninsho="found")
    assert ("return", "found_kakuninsho") in steps(last_day)
    assert ("dispose", "found_kakuninsho") not in steps(last_day)
    day_after = judge("2027-12-01", kakuninsho="found")
    assert ("dispose", "found_kakuninsho") in steps(day_after)
    assert ("return", "found_kakuninsho") not in steps(day_after)


def test_a_leaver_gives_back_both_the_reissued_and_the_found_kakuninsho() -> None:
    v = judge("2026-06-01", left_on="2026-05-21", kakuninsho="found")
    assert {("return", "kakuninsho"), ("return", "found_kakuninsho")} <= steps(v)
    assert reason_keys(step(v, "return", "found_kakuninsho")) == ["return_found_kakuninsho_left"]
    member = judge("2026-06-01", kakuninsho="found")
    assert reason_keys(step(member, "return", "found_kakuninsho")) == ["return_found_kakuninsho"]


# ---- the My Number card found after its suspension ---------------------------------


def test_a_found_card_does_not_work_at_reception_until_its_suspension_is_lifted() -> None:
    found = judge("2026-06-01", myna="found")
    assert found.can_see_doctor is False and found.why_not is WhyNot.NO_DOCUMENT
    assert all(Item.MYNA not in option for option in found.present)
    assert reason_keys(step(found, "contact", "myna_card")) == ["lift_myna_suspension"]
    assert Src.NATIONAL_MYNA_CARD_FOUND in cites(found)
    # The other side: a registered card that was never lost works, with no such step;
    # a lost one is suspended (not lifted) and replaced.
    registered = judge("2026-06-01", myna="yes")
    assert registered.can_see_doctor is True and ("contact", "myna_card") not in steps(registered)
    lost = judge("2026-06-01", myna="lost")
    assert reason_keys(step(lost, "contact", "myna_card")) == ["contact_myna_card_lost"]


def test_a_found_card_holder_with_a_kakuninsho_is_seen_with_it_meanwhile() -> None:
    v = judge("2026-06-01", myna="found", kakuninsho="held")
    assert v.can_see_doctor is True and v.present == ((Item.KAKUNINSHO,),)
    assert ("contact", "myna_card") in steps(v)


def test_an_unreachable_leavers_employer_is_not_told_to_lift_a_suspension() -> None:
    member = judge("2026-06-01", left_on="2026-05-21", myna="found")
    assert reason_keys(step(member, "contact", "myna_card")) == ["lift_myna_suspension_not_member"]
    employer = judge("2026-06-01", left_on="2026-05-21", myna="found", unreachable="yes")
    assert ("contact", "myna_card") not in steps(employer)


# ---- the words, the wizard, every language ----------------------------------------


@pytest.mark.parametrize("word", ["found", "発見", "見つかった", "ｆｏｕｎｄ"])
def test_hr_words_for_found_are_read_for_both_documents(word: str) -> None:
    assert parse_fact("kakuninsho", word, TODAY) is Holding.FOUND
    assert parse_fact("myna", word, TODAY) is Myna.FOUND
    assert parse_fact("kakuninsho", "紛失", TODAY) is Holding.LOST  # lost stays lost


@pytest.mark.parametrize("lang", languages())
def test_every_language_says_the_found_steps(lang: Lang) -> None:
    msgs = Messages(lang)
    v = judge("2026-06-01", myna="found", kakuninsho="found")
    out = verdict_dict(v, msgs)
    assert out["facts"]["myna"] == "found" and out["facts"]["kakuninsho"] == "found"
    text = json.dumps(out, ensure_ascii=False)
    lifted, five_days = {
        "ja": ("停止を解除する", "5日以内"),
        "en": ("until the suspension is lifted", "within 5 days"),
        "easy": ("また 使えるように", "5日の うちに"),
    }[lang]
    assert lifted in text and five_days in text and "0120-95-0178" in text


def test_the_wizard_offers_found_where_it_offers_lost() -> None:
    asked, values, p = run_wizard(
        {"myna": Myna.FOUND, "documents": [("kakuninsho", Holding.FOUND)]}
    )
    assert Myna.FOUND in p.offered["myna"] and Myna.LOST in p.offered["myna"]
    assert ("kakuninsho", Holding.FOUND) in p.offered["documents"]
    assert values["myna"] is Myna.FOUND and values["kakuninsho"] is Holding.FOUND
    assert "kakuninsho_expiry" in asked  # the reissued one's, as for one held
    assert "cert_expiry" not in asked  # a suspended card's certificate is no question yet


@pytest.mark.parametrize(("oshirase", "key"), [
    ("none", "submit_reissue_no_oshirase"),
    ("lost", "submit_reissue_no_oshirase"),
    ("held", "submit_reissue"),
    (None, "submit_reissue"),  # not said: most members have one
])  # fmt: skip
def test_the_reissue_points_to_the_oshirase_only_when_the_member_has_one(
    oshirase: str | None, key: str
) -> None:
    given = {"oshirase": oshirase} if oshirase else {}
    verdict = judge("2026-12-07", myna="no", kakuninsho="lost", **given)
    reissue = step(verdict, "submit", "kakuninsho_reissue")
    assert reason_keys(reissue) == [key]
    for lang in languages():
        said = Messages(lang)("reason", key)
        assert ("お知らせ" in said) == (key == "submit_reissue" and lang != "easy")


@pytest.mark.parametrize(
    ("facts", "found_step"),
    [
        # None is reissued to a マイナ保険証 holder: the found card is most likely theirs.
        ({"myna": "yes"}, ("check", "kakuninsho")),
        ({"myna": "no"}, ("return", "found_kakuninsho")),  # reissued: the old one goes back
        ({"myna": "yes", "left_on": "2026-12-01"}, ("return", "found_kakuninsho")),  # left
        # Past its expiry: thrown away as the held card is, nothing to check.
        ({"myna": "yes", "kakuninsho_expiry": "2026-11-30"}, ("dispose", "kakuninsho")),
    ],
)
def test_a_found_kakuninsho_of_a_myna_holder_is_checked_not_returned(
    facts: dict[str, str], found_step: tuple[str, str]
) -> None:
    verdict = judge("2026-12-07", kakuninsho="found", cert_expiry="2029-01-01", **facts)
    got = {(a.action.value, a.item.value) for a in verdict.actions}
    assert found_step in got
    if found_step[0] != "return":
        assert ("return", "found_kakuninsho") not in got
    if found_step[0] == "dispose":
        assert ("check", "kakuninsho") not in got
    if found_step[0] == "check":
        assert reason_keys(step(verdict, *found_step)) == ["check_found_kakuninsho_myna"]


@pytest.mark.parametrize(
    ("myna", "key"),
    [("unknown", "submit_reissue_if_not_registered"), ("no", "submit_reissue")],
)
def test_the_reissue_waits_on_the_registration_when_it_is_not_known(myna: str, key: str) -> None:
    # None is reissued to a registered card's holder (faq-kakuninsho-lost).
    verdict = judge("2026-12-07", myna=myna, kakuninsho="lost", oshirase="held")
    assert reason_keys(step(verdict, "submit", "kakuninsho_reissue")) == [key]


@pytest.mark.parametrize(("lang", "lines"), [
    ("en", ("0120-0178-27", "0120-95-0178")),  # the foreign-language line first, for them
    ("easy", ("0120-95-0178", "0120-0178-27")),
    ("ja", ("0120-95-0178",)),
])  # fmt: skip
def test_the_lost_cards_call_gives_the_line_in_the_readers_language(
    lang: str, lines: tuple[str, ...]
) -> None:
    said = Messages(lang)("reason", "contact_myna_card_lost")
    assert all(line in said for line in lines)
    assert said.index(lines[0]) == min(said.index(line) for line in lines)
