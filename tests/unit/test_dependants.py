"""Dependants (issue 21, principle 12): each 被扶養者 holds their own 資格確認書 and loses
eligibility with the member, so a leaver's return covers theirs, and the HR summary
counts cards, not people. Not given is unknown, not 0. Both sides of each boundary.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import parse_fact
from kenpo_cli.core.model import Holding, Myna
from kenpo_cli.core.rulepack import Src
from kenpo_cli.i18n import Lang, Messages
from kenpo_cli.render.json import verdict_dict
from tests.helpers import TODAY, cites, judge, reason_keys, step, steps
from tests.inprocess import run_main
from tests.unit.test_wizard import run_wizard

LEAVER = {"left_on": "2026-05-21", "myna": "no", "kakuninsho": "held"}


# ---- the rules ---------------------------------------------------------------------


def test_a_leavers_return_covers_each_dependants_kakuninsho() -> None:
    two = judge("2026-06-01", dependants="2", **LEAVER)
    back = step(two, "return", "kakuninsho")
    assert reason_keys(back) == ["return_kakuninsho_left", "dependants_kakuninsho"]
    assert ("n", "2") in back.reasons[1].params
    assert Src.NATIONAL_DEPENDANTS in back.sources
    one = judge("2026-06-01", dependants="1", **LEAVER)
    assert reason_keys(step(one, "return", "kakuninsho"))[-1] == "dependants_kakuninsho_one"
    # The other side: none, or not known, says nothing of dependants.
    for given in ({"dependants": "0"}, {}):
        v = judge("2026-06-01", **LEAVER, **given)
        assert reason_keys(step(v, "return", "kakuninsho")) == ["return_kakuninsho_left"]
        assert Src.NATIONAL_DEPENDANTS not in cites(v)


def test_where_the_society_takes_the_oshirase_back_it_takes_the_dependants_too() -> None:
    taking = rulepack.builtin()._replace(oshirase_return_on_leaving=True)
    v = judge("2026-06-01", dependants="2", oshirase="held", rules=taking, **LEAVER)
    assert reason_keys(step(v, "return", "oshirase"))[-1] == "dependants_oshirase"
    # The FAQ's society does not: the お知らせ is thrown away, the dependants' alike.
    faq = judge("2026-06-01", dependants="2", oshirase="held", **LEAVER)
    assert ("return", "oshirase") not in steps(faq)
    assert reason_keys(step(faq, "dispose", "oshirase")) == ["dispose_oshirase_left"]


def test_only_leaving_makes_the_dependants_cards_go_back() -> None:
    staying = judge("2026-06-01", dependants="2", myna="no", kakuninsho="held")
    assert Src.NATIONAL_DEPENDANTS not in cites(staying)
    leaving_later = judge("2026-06-01", dependants="2", **{**LEAVER, "left_on": "2026-06-21"})
    later = step(leaving_later, "return", "kakuninsho")
    assert "dependants_kakuninsho" in reason_keys(later) and later.from_ is not None


def test_a_leaver_without_a_card_of_their_own_still_returns_the_dependants() -> None:
    v = judge("2026-06-01", left_on="2026-05-21", myna="yes", kakuninsho="none", dependants="2")
    theirs = step(v, "return", "dependants_kakuninsho")
    # Left before the first cards' expiry: none of theirs can have expired (no "if").
    assert reason_keys(theirs) == ["return_dependants_kakuninsho_in_date"]
    # Leaving on a day not said: one may have expired by then.
    unsaid = judge("2026-06-01", status="leaving", myna="yes", kakuninsho="none", dependants="2")
    assert reason_keys(step(unsaid, "return", "dependants_kakuninsho")) == [
        "return_dependants_kakuninsho"
    ]
    # The member's own card (the bulk issue) had lapsed by the 資格喪失日, but a dependant
    # without a マイナ保険証 was sent a renewed one (faq-kakuninsho-expiry): it goes back.
    after = judge("2028-01-10", left_on="2027-12-01", myna="yes", kakuninsho="none", dependants="2")
    renewed = step(after, "return", "dependants_kakuninsho")
    assert reason_keys(renewed) == ["return_dependants_kakuninsho_renewed"]
    assert Src.KAKUNINSHO_EXPIRY in renewed.sources
    in_date = judge(
        "2028-01-10", left_on="2027-11-30", myna="yes", kakuninsho="none", dependants="2"
    )
    assert reason_keys(step(in_date, "return", "dependants_kakuninsho")) == [
        "return_dependants_kakuninsho_in_date"  # (its last day: none had expired)
    ]


def test_an_unreachable_leaver_without_a_card_of_their_own_reports_the_dependants() -> None:
    # Nobody can hand their family's cards back: the employer reports them lost instead.
    v = judge(
        "2026-12-06", left_on="2026-11-30", myna="yes", kakuninsho="none", unreachable="yes",
        dependants="2",
    )  # fmt: skip
    report = step(v, "submit", "kakuninsho_loss_report")
    assert reason_keys(report) == ["loss_report_dependants_unreachable"]
    assert ("return", "dependants_kakuninsho") not in steps(v)
    assert report.by == date(2026, 12, 4)  # with the 資格喪失届: 資格喪失日 + 4


def test_an_unreachable_leavers_loss_report_covers_the_dependants_cards() -> None:
    v = judge("2026-06-01", unreachable="yes", dependants="3", **LEAVER)
    report = step(v, "submit", "kakuninsho_loss_report")
    assert reason_keys(report) == ["loss_report_unreachable", "dependants_loss_report"]
    assert ("return", "dependants_kakuninsho") not in steps(v)  # not a second step


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ja", "あなたと被扶養者2人の分"),
        ("en", "Yours and your 2 dependants'"),
        ("easy", "家族2人"),
    ],
)
def test_every_language_says_yours_and_your_dependants(lang: Lang, said: str) -> None:
    out = verdict_dict(judge("2026-06-01", dependants="2", **LEAVER), Messages(lang))
    assert said in json.dumps(out, ensure_ascii=False)
    assert out["facts"]["dependants"] == 2


def test_not_given_is_unknown_in_the_facts_not_zero() -> None:
    unsaid = verdict_dict(judge("2026-06-01", **LEAVER), Messages("en"))
    assert unsaid["facts"]["dependants"] is None
    zero = verdict_dict(judge("2026-06-01", dependants="なし", **LEAVER), Messages("en"))
    assert zero["facts"]["dependants"] == 0


def test_a_leaver_who_did_not_say_how_many_dependants_is_told_of_theirs() -> None:
    # Not given is not none: the family's cards go back too, if there is a family.
    def warned(day: str, **facts: Any) -> bool:
        return "dependants_unknown" in {w.code for w in judge(day, **facts).warnings}

    assert warned("2026-06-01", **LEAVER)
    assert warned("2026-06-01", **{**LEAVER, "myna": "yes", "kakuninsho": "none"})
    assert warned("2026-06-01", **{**LEAVER, "left_on": "2026-06-21"})  # leaving later
    assert not warned("2026-06-01", dependants="0", **LEAVER)
    assert not warned("2026-06-01", dependants="2", **LEAVER)  # the steps count them
    assert not warned("2026-06-01", myna="no", kakuninsho="held")  # staying
    no_return = rulepack.builtin()._replace(kakuninsho_return_on_leaving=False)
    assert not warned("2026-06-01", rules=no_return, **LEAVER)


# ---- the words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "count"),
    [
        ("2", 2), ("２人", 2), ("3名", 3), ("0", 0), ("なし", 0), ("不明", None), ("-", None),
        ("有", None), ("○", None),  # some, how many not said: not known (and not an error)
    ],
)  # fmt: skip
def test_counts_are_read_as_hr_sheets_write_them(typed: str, count: int | None) -> None:
    assert parse_fact("dependants", typed, TODAY) == count


@pytest.mark.parametrize("typed", ["x", "-1", "21", "2.5"])
def test_a_bad_count_names_the_flag_with_an_example(
    typed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = run_main(monkeypatch, ["check", "--no-input", "--dependants", typed])
    assert ran.status == 2 and "--dependants" in ran.stderr and "２人" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert run_main(monkeypatch, ["check", "--no-input", "--dependants", "20"]).status == 0


def test_a_bad_count_is_said_in_english_with_english_examples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = run_main(monkeypatch, ["check", "--no-input", "--dependants", "x", "--lang", "en"])
    assert ran.status == 2 and "--dependants" in ran.stderr
    assert "from 0 to 20" in ran.stderr
    assert "（" not in ran.stderr and "〜" not in ran.stderr  # not the Japanese sentence


@pytest.mark.parametrize(
    ("count", "said"), [("1", "Your dependant's"), ("2", "Your 2 dependants'")]
)
def test_expiry_says_one_dependant_in_the_singular(
    count: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["expiry", "--date", "2026-06-01", "--left-on", "2026-05-21", "--lang", "en"]
    ran = run_main(monkeypatch, [*args, "--plain", "--dependants", count])
    assert ran.status == 0 and said in " ".join(ran.stdout.split())
    assert "1 dependants" not in ran.stdout


def test_the_answers_file_gives_the_count_and_a_blank_is_an_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text('left_on = 2026-05-21\nkakuninsho = "held"\ndependants = 2\n')
    args = ["check", "--no-input", "--as-of", "2026-06-01", "--format", "json"]
    ran = run_main(monkeypatch, [*args, "--answers", str(answers)])
    assert json.loads(ran.stdout)["facts"]["dependants"] == 2, ran.stderr


# ---- the batch: a column by any of its names; cards, not people ------------------------


HEADINGS = [
    "被扶養者数",
    "扶養人数",
    "扶養者数",
    "被扶養者",
    "扶養家族数",
    "扶養家族人数",
    "被扶養者人数",
    # as a hand-kept list heads it: passed through, the family's cards went uncounted
    "扶養家族",
    "被扶養者の数",
    "被扶養者の有無",
]


@pytest.mark.parametrize(
    ("heading", "named"), [("扶養", True), ("扶養の有無", True), ("扶養区分", False)]
)
def test_a_column_headed_only_by_fuyou_is_named_with_the_map_that_reads_it(
    heading: str, named: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 扶養 alone may be the number of dependants (not read unasked: 扶養区分 is the tax
    # office's): stderr named it with a list of ten facts, not the one it may hold.
    sheet = tmp_path / "staff.csv"
    sheet.write_text(f"社員番号,資格喪失日,資格確認書,{heading}\n1,2026-05-21,有,2\n", "utf-8")
    ran = run_main(monkeypatch, ["batch", str(sheet), "--as-of", "2026-06-01"])
    assert (f"--map '{heading}=dependants'" in ran.stderr) is named, ran.stderr
    mapped = run_main(
        monkeypatch,
        ["batch", str(sheet), "--as-of", "2026-06-01", "--map", f"{heading}=dependants"],
    )
    assert json.loads(mapped.stdout)["facts"]["dependants"] == 2, mapped.stderr


@pytest.mark.parametrize("heading", HEADINGS)
def test_the_summary_counts_cards_not_people(
    heading: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "staff.csv"
    rows = [
        f"社員番号,資格喪失日,資格確認書,{heading}",
        "1,2026-05-21,有,2",  # hers and 2 dependants': 3 cards
        "2,2026-05-21,有,",  # not known: hers
        "3,2026-05-21,無,1",  # no card of his own: his dependant's
        "4,,有,2",  # staying: nothing to collect
    ]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ran = run_main(monkeypatch, ["batch", str(sheet), "--as-of", "2026-06-01", "--lang", "en"])
    assert ran.status in (0, 3), ran.stderr
    first = next(line for line in ran.stderr.splitlines() if "to collect" in line)
    assert "資格確認書 to collect: 5 (" in first, ran.stderr
    read: list[dict[str, Any]] = [json.loads(line) for line in ran.stdout.splitlines()]
    assert ("return", "dependants_kakuninsho") in {
        (a["action"], a["item"]) for a in read[2]["actions"]
    }
    # Row 2's dependants are not known: the summary says their cards are not in the count.
    assert "number of dependants is not given (1;" in ran.stderr, ran.stderr


def test_the_summary_says_whose_family_it_could_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "staff.csv"
    rows = ["社員番号,資格喪失日,資格確認書", "1,2026-05-21,有", "2,2026-05-21,無", "3,,有"]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ran = run_main(monkeypatch, ["batch", str(sheet), "--as-of", "2026-06-01"])
    assert "被扶養者数の分からない資格喪失者・退職予定者 2人" in ran.stderr, ran.stderr
    counted = sheet.with_name("counted.csv")
    counted.write_text(
        "\n".join([rows[0] + ",被扶養者数", *(f"{r},0" for r in rows[1:])]) + "\n", "utf-8"
    )
    told = run_main(monkeypatch, ["batch", str(counted), "--as-of", "2026-06-01"])
    assert "被扶養者数の分からない" not in told.stderr, told.stderr


def test_a_found_kakuninsho_is_one_more_card_to_collect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "staff.csv"
    sheet.write_text("社員番号,資格確認書\n1,発見\n2,有\n", encoding="utf-8")
    ran = run_main(monkeypatch, ["batch", str(sheet), "--as-of", "2026-06-01", "--lang", "en"])
    assert "資格確認書 to collect: 1 (" in ran.stderr, ran.stderr


# ---- the wizard: asked only where it can change the verdict ------------------------------


def test_the_wizard_asks_a_leaver_how_many_dependants_and_no_one_else() -> None:
    leaving = {"myna": Myna.NO, "documents": [("kakuninsho", Holding.HELD)], "dependants": "なし"}
    asked, values, _ = run_wizard(leaving, status="left", left_on="2026-10-16")
    assert asked[-1] == "dependants" and values["dependants"] == 0
    staying = {"myna": Myna.NO, "documents": [("kakuninsho", Holding.HELD)], "events": []}
    asked, values, _ = run_wizard(staying)
    assert "dependants" not in asked and "dependants" not in values


def test_the_dependants_next_insurance_follows_the_members() -> None:
    # A 国民健康保険 household joins together; under 任意継続 they stay dependants.
    v = judge("2026-12-06", left_on="2026-11-30", myna="no", kakuninsho="held", dependants="2")
    assert reason_keys(step(v, "submit", "kokuho"))[-1] == "dependants_kokuho"
    assert reason_keys(step(v, "submit", "nini_keizoku"))[-1] == "dependants_nini_keizoku"
    assert Src.NATIONAL_DEPENDANTS in step(v, "submit", "kokuho").sources
    for given in ({"dependants": "0"}, {}):
        alone = judge("2026-12-06", left_on="2026-11-30", myna="no", kakuninsho="held", **given)
        assert "dependants_kokuho" not in reason_keys(step(alone, "submit", "kokuho"))


def test_a_leaver_from_before_the_kakuninsho_returns_the_familys_old_cards() -> None:
    # Left on 2025-06-01, when each dependant held a 健康保険証: no 資格確認書 to return.
    v = judge("2026-12-06", left_on="2025-06-01", myna="no", old_card="held", dependants="2")
    assert reason_keys(step(v, "return", "old_card"))[-1] == "dependants_old_card"
    assert ("return", "dependants_kakuninsho") not in steps(v)
    assert "dependants_kokuho" in reason_keys(step(v, "submit", "kokuho"))
    unsaid = judge("2026-12-06", left_on="2025-06-01", myna="no", old_card="held")
    assert "dependants_unknown" not in {w.code for w in unsaid.warnings}
    last = judge("2026-12-06", left_on="2025-12-01", myna="no", old_card="held", dependants="1")
    # (the first 資格確認書 were being sent that month: the family's may have come)
    assert reason_keys(step(last, "return", "old_card"))[-1] == "dependants_old_card_sent"
    # The day after the old card's last day: the 資格確認書 era.
    later = judge("2026-12-06", left_on="2025-12-02", myna="no", kakuninsho="held", dependants="2")
    assert "dependants_kakuninsho" in reason_keys(step(later, "return", "kakuninsho"))


@pytest.mark.parametrize(
    ("lang", "n", "said"),
    [("en", "2", "each who holds one"), ("en", "1", "if they hold one"),
     ("ja", "2", "持っている人の分"), ("ja", "1", "持っていれば"),
     ("easy", "2", "もって いる 家族"), ("easy", "1", "もって いれば")],
)  # fmt: skip
def test_the_dependants_cards_go_back_for_those_who_hold_one_not_each(
    lang: str, n: str, said: str
) -> None:
    # A dependant with a マイナ保険証 usually holds no 資格確認書: "each goes back" set an
    # office counting cards that never existed.
    from kenpo_cli.i18n import Messages

    v = judge("2026-10-20", left_on="2026-10-16", kakuninsho="held", dependants=n)
    (back,) = [a for a in v.actions if (a.action.value, a.item.value) == ("return", "kakuninsho")]
    assert said in Messages(lang).reasons(back.reasons)
