"""The wizard's question flow, without a terminal: who is asked what, and nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import Gathered, gather
from kenpo_cli.core.model import Holding, Myna, Reader, Status, YesNo
from kenpo_cli.core.rules import evaluate
from kenpo_cli.i18n import Lang, Messages, languages
from kenpo_cli.wizard import ASK, ask_missing

TODAY = date(2026, 11, 26)


class Scripted:
    """Answers the wizard's questions from a script keyed by question, recording each one."""

    def __init__(self, lang: Lang, script: dict[str, Any]) -> None:
        msgs = Messages(lang)
        section = msgs.section("question")
        self.key_of = {msgs("question", key, expiry="2027-11-30"): key for key in section}
        self.label_of = self.key_of
        self.script = script
        self.asked: list[str] = []
        self.offered: dict[str, list[Any]] = {}

    def _record(self, message: str) -> Any:
        key = self.key_of[message]
        self.asked.append(key)
        return self.script.get(key)

    def select(self, message: str, choices: Sequence[tuple[str, Any]]) -> Any:
        answer = self._record(message)
        assert answer in [value for _, value in choices]
        return answer

    def checkbox(self, message: str, choices: Sequence[tuple[str, Any]]) -> list[Any]:
        answer = self._record(message) or []
        self.offered[self.asked[-1]] = [value for _, value in choices]
        for tick in answer:
            assert tick in self.offered[self.asked[-1]], f"{tick} not offered"
        return list(answer)

    def date(self, message: str, validate: Callable[[str], str | None]) -> str:
        answer = self._record(message) or ""
        assert validate(answer) is None, validate(answer)
        return str(answer)


def run_wizard(
    script: dict[str, Any], lang: Lang = "ja", **flags: str
) -> tuple[list[str], dict[str, Any], Scripted]:
    prompter = Scripted(lang, script)
    gathered = gather(flags, TODAY, flags=True)
    done = ask_missing(gathered, TODAY, rulepack.builtin(), Messages(lang), prompter)
    return prompter.asked, dict(done.values), prompter


TYPICAL = {"myna": Myna.YES, "cert_expiry": "2030-03-31", "documents": [("oshirase", Holding.HELD)]}


@pytest.mark.parametrize("lang", languages())
def test_typical_member_reaches_a_verdict_in_at_most_five_questions(lang: Lang) -> None:
    asked, values, _ = run_wizard(TYPICAL, lang)
    assert asked == ["myna", "cert_expiry", "documents", "events"]
    assert values["oshirase"] is Holding.HELD and values["kakuninsho"] is Holding.NONE
    assert values["status"] is Status.ENROLLED and values["reader"] is Reader.OK


def test_member_without_myna_is_not_asked_about_the_certificate_portal_or_reader() -> None:
    asked, values, p = run_wizard(
        {"myna": Myna.NO, "documents": [("kakuninsho", Holding.HELD)], "kakuninsho_expiry": ""}
    )
    assert asked == ["myna", "documents", "kakuninsho_expiry", "events"]
    offered_fields = {f for f, _ in p.offered["documents"] + p.offered["events"]}
    assert not offered_fields & {"portal", "reader", "joined_on"}
    assert "kakuninsho_expiry" not in values  # blank: the pack's expiry


def test_member_who_lost_the_kakuninsho() -> None:
    asked, values, _ = run_wizard({"myna": Myna.NO, "documents": [("kakuninsho", Holding.LOST)]})
    assert asked == ["myna", "documents", "events"]
    v = evaluate(Gathered(values).facts(), TODAY, rulepack.builtin())
    assert ("submit", "kakuninsho_reissue") in {(a.action, a.item) for a in v.actions}


def test_leaver_is_asked_the_leaving_day_and_nothing_about_joining() -> None:
    asked, values, _ = run_wizard(
        {
            "myna": Myna.NO,
            "documents": [("kakuninsho", Holding.HELD)],
            "events": [("status", Status.LEFT)],
            "left_on": "R8.10.16",
        }
    )
    assert asked == ["myna", "documents", "kakuninsho_expiry", "events", "left_on"]
    assert values["left_on"] == date(2026, 10, 16)


def test_member_still_employed_is_never_asked_the_leaving_day() -> None:
    asked, _, _ = run_wizard(TYPICAL)
    assert "left_on" not in asked and "joined_on" not in asked


def test_clinic_without_a_reader_is_one_tick() -> None:
    asked, values, _ = run_wizard({**TYPICAL, "events": [("reader", Reader.NONE)]})
    assert len(asked) == 4 and values["reader"] is Reader.NONE


def test_longest_path_stays_within_eight_questions() -> None:
    asked, values, _ = run_wizard(
        {
            "myna": Myna.YES,
            "cert_expiry": "2026-10-15",
            "documents": [
                ("kakuninsho", Holding.HELD),
                ("oshirase", Holding.LOST),
                ("portal", YesNo.YES),
                ("old_card", "held"),
            ],
            "kakuninsho_expiry": "2027-11-30",
            "events": [
                ("status", Status.LEFT),
                ("joined_on", ASK),
                ("name_changed", YesNo.YES),
                ("reader", Reader.NONE),
            ],
            "left_on": "2026-12-16",
            "joined_on": "2026-11-20",
        }
    )
    assert len(asked) <= 8
    assert len(asked) == len(set(asked)), "a question was asked twice"
    assert values["joined_on"] == date(2026, 11, 20)


def test_facts_given_as_flags_are_never_asked() -> None:
    asked, _, p = run_wizard(
        {"documents": [], "events": []}, myna="yes", cert_expiry="2030-01-01", kakuninsho="none"
    )
    assert "myna" not in asked and "cert_expiry" not in asked
    assert "kakuninsho" not in {f for f, _ in p.offered["documents"]}


def test_every_fact_given_means_no_question_at_all() -> None:
    flags = dict(
        myna="yes",
        cert_expiry="2030-01-01",
        kakuninsho="held",
        kakuninsho_expiry="2027-11-30",
        oshirase="held",
        old_card="none",
        portal="no",
        status="enrolled",
        name_changed="no",
        reader="ok",
        joined_on="2020-04-01",
        unreachable="no",
        as_of="2026-11-26",
    )
    asked, _, _ = run_wizard({}, **flags)
    assert asked == []


def test_date_questions_reject_bad_dates_with_a_hint() -> None:
    captured: list[str | None] = []

    class Checker(Scripted):
        def date(self, message: str, validate: Callable[[str], str | None]) -> str:
            captured.extend([validate("2026-02-30"), validate("H31.5.1"), validate("")])
            return super().date(message, validate)

    p = Checker("en", {"myna": Myna.YES, "cert_expiry": "R9.3.31"})
    ask_missing(gather({}, TODAY), TODAY, rulepack.builtin(), Messages("en"), p)
    assert captured[0] and "does not exist" in captured[0]
    assert captured[1] and "era" in captured[1]
    assert captured[2] is None  # the certificate date may be left empty


def test_required_date_cannot_be_left_empty() -> None:
    seen: list[str | None] = []

    class Checker(Scripted):
        def date(self, message: str, validate: Callable[[str], str | None]) -> str:
            if self.key_of[message] == "joined_on":
                seen.append(validate(""))
            return super().date(message, validate)

    p = Checker("ja", {**TYPICAL, "events": [("joined_on", ASK)], "joined_on": "2026-11-20"})
    ask_missing(gather({}, TODAY), TODAY, rulepack.builtin(), Messages("ja"), p)
    assert seen and seen[0]
