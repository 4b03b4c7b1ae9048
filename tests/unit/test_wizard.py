"""The wizard's question flow, without a terminal: who is asked what, nothing twice, going
back, the review screen and saving."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.cli import checking
from kenpo_cli.cli.wizard import ASK, BACK, Ask, Asked, QuitWizard, ask_missing
from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import Gathered, gather
from kenpo_cli.core.model import Holding, Myna, Reader, Status, YesNo
from kenpo_cli.core.rules import evaluate
from kenpo_cli.i18n import Lang, Messages, languages

TODAY = date(2026, 11, 26)
CONFIRM = "confirm"


class Turns(list[Any]):
    """Answers to one question, in turn: it is asked again after going back or a change."""


class Scripted:
    """Answers the wizard's questions from a script keyed by question, recording each one.

    The review is confirmed and saving declined unless the script says otherwise.
    """

    def __init__(self, lang: Lang, script: dict[str, Any]) -> None:
        self.msgs = Messages(lang)
        self.script = {"review": CONFIRM, "save": False, **script}
        self.asked: list[str] = []
        self.asks: list[Ask] = []
        self.offered: dict[str, list[Any]] = {}
        self.labels: dict[str, list[str]] = {}
        self.defaults: dict[str, list[Any]] = {}
        self.notes: list[str] = []
        self.unnoted = 0  # notes taken back

    def _answer(self, ask: Ask, default: Any) -> Any:
        self.asked.append(ask.key)
        self.asks.append(ask)
        self.defaults.setdefault(ask.key, []).append(default)
        answer = self.script.get(ask.key)
        if isinstance(answer, Turns):
            assert answer, f"{ask.key} asked more often than scripted"
            return answer.pop(0)
        return answer

    def select(self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Any = None) -> Any:
        answer = self._answer(ask, default)
        self.offered[ask.key] = [value for _, value in choices]
        self.labels[ask.key] = [label for label, _ in choices]
        assert answer is BACK or answer in self.offered[ask.key], (ask.key, answer)
        return answer

    def checkbox(
        self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Sequence[Any] = ()
    ) -> Any:
        answer = self._answer(ask, list(default))
        self.offered[ask.key] = [value for _, value in choices]
        self.labels[ask.key] = [label for label, _ in choices]
        if answer is BACK:
            return BACK
        for tick in answer or []:
            assert tick in self.offered[ask.key], f"{tick} not offered"
        return list(answer or [])

    def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
        answer = self._answer(ask, default)
        if answer is BACK:
            return BACK
        answer = answer or ""
        assert validate(answer) is None, validate(answer)
        return str(answer)

    def note(self, lines: Sequence[str]) -> None:
        self.notes.extend(lines)

    def unnote(self) -> None:
        self.unnoted += 1


def run_wizard(
    script: dict[str, Any], lang: Lang = "ja", **flags: str
) -> tuple[list[str], dict[str, Any], Scripted]:
    prompter = Scripted(lang, script)
    asked = wizard(prompter, gather(flags, TODAY, flags=True), lang)
    return (
        [k for k in prompter.asked if k not in ("review", "save")],
        asked.gathered.values,
        prompter,
    )


def wizard(prompter: Scripted, given: Gathered, lang: Lang = "ja", offer: bool = False) -> Asked:
    return ask_missing(given, TODAY, rulepack.builtin(), Messages(lang), prompter, offer_save=offer)


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
    # The rules call them unused without a card that could work (core/relevance.py).
    assert not offered_fields & {"portal", "reader"}
    assert values["kakuninsho_expiry"] is None  # blank: the pack's expiry


def test_member_without_myna_who_just_joined_is_told_the_documents_are_on_their_way() -> None:
    # Joining changes the verdict with or without a card: a new member's 資格確認書 is in
    # the post for some days (national-acquisition-notification), so the wizard asks it
    # of everyone (it once asked only a マイナ保険証 holder, and told this member to
    # contact the society about a card that was simply on its way).
    script = {"myna": Myna.NO, "documents": [], "events": [("joined_on", ASK)]}
    asked, values, p = run_wizard({**script, "joined_on": "2026-11-23"})
    assert ("joined_on", ASK) in p.offered["events"] and "joined_on" in asked
    v = evaluate(Gathered(values).facts(), TODAY, rulepack.builtin())
    steps = {(a.action, a.item) for a in v.actions}
    assert ("check", "kakuninsho") in steps and ("contact", "kenpo") not in steps


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
            "events": [("left_on", ASK)],
            "left_on": "R8.10.16",
            "dependants": "２人",
        }
    )
    # A leaver is asked how many dependants: their 資格確認書 go back with the leaver's.
    assert asked == ["myna", "documents", "kakuninsho_expiry", "events", "left_on", "dependants"]
    assert values["left_on"] == date(2026, 10, 16) and values["dependants"] == 2
    assert Gathered(values).facts().status is Status.LEFT


def test_leaving_on_a_day_not_yet_known_is_leaving_not_left() -> None:
    _, values, _ = run_wizard(
        {
            "myna": Myna.NO,
            "documents": [("kakuninsho", Holding.HELD)],
            "events": [("left_on", ASK)],
            "left_on": "",
        },
    )
    facts = Gathered(values).facts()
    assert facts.status is Status.LEAVING and facts.left_on is None
    assert evaluate(facts, TODAY, rulepack.builtin()).can_see_doctor is True  # still a member


def test_a_leaver_given_by_flag_is_asked_the_day_and_stays_left() -> None:
    asked, values, _ = run_wizard({"myna": Myna.NO, "left_on": ""}, status="left")
    assert "left_on" in asked
    assert values["status"] is Status.LEFT  # a blank day does not undo what the flag said


def test_member_still_employed_is_never_asked_the_leaving_day() -> None:
    asked, values, _ = run_wizard(TYPICAL)
    assert "left_on" not in asked and "joined_on" not in asked
    assert values["status"] is Status.ENROLLED


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
                ("left_on", ASK),
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
    flags: dict[str, str] = dict(
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
    _, _, p = run_wizard({}, "ja", **flags)
    assert p.asked == []  # not even the review


def test_date_questions_reject_bad_dates_with_a_hint() -> None:
    captured: list[str | None] = []

    class Checker(Scripted):
        def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
            captured.extend([validate("2026-02-30"), validate("H31.5.1"), validate("")])
            return super().text(ask, validate, default)

    p = Checker("en", {"myna": Myna.YES, "cert_expiry": "R9.3.31"})
    wizard(p, gather({}, TODAY), "en")
    assert captured[0] and "does not exist" in captured[0]
    assert captured[1] and "era" in captured[1]
    assert captured[2] is None  # the certificate date may be left empty


@pytest.mark.parametrize("lang", languages())
def test_every_date_question_shows_an_example_before_any_mistake(lang: Lang) -> None:
    _, _, p = run_wizard({**TYPICAL, "events": [("joined_on", ASK)], "joined_on": "R8.11.1"}, lang)
    dates = [a for a in p.asks if a.key in ("cert_expiry", "joined_on")]
    assert len(dates) == 2
    assert all("2026-11-26" in a.hint and "令和8年11月26日" in a.hint for a in dates)


def test_required_date_cannot_be_left_empty() -> None:
    seen: list[str | None] = []

    class Checker(Scripted):
        def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
            if ask.key == "joined_on":
                seen.append(validate(""))
            return super().text(ask, validate, default)

    p = Checker("ja", {**TYPICAL, "events": [("joined_on", ASK)], "joined_on": "2026-11-20"})
    wizard(p, gather({}, TODAY))
    assert seen and seen[0]


# ---- where the member stands, and what was chosen ----------------------------------


def test_each_question_says_which_it_is_of_how_many_and_the_count_shrinks() -> None:
    _, _, p = run_wizard({"myna": Myna.NO, "documents": [], "events": []}, "en")
    progress = [a.progress for a in p.asks if a.key not in ("review", "save")]
    # With a マイナ保険証 still possible, eight questions may come; "no" rules out the
    # certificate, an empty list of documents the 資格確認書's expiry; the leaving day
    # (and then the dependants) and the day of joining may still come.
    assert progress == [
        "Question 1 of at most 8:",
        "Question 2 of at most 7:",
        "Question 3 of at most 6:",
    ]


def test_the_ticks_chosen_stay_on_screen_after_the_question() -> None:
    ticks = [("kakuninsho", Holding.HELD), ("oshirase", Holding.HELD), ("old_card", "held")]
    _, _, p = run_wizard({"myna": Myna.NO, "documents": ticks, "kakuninsho_expiry": ""})
    q = Messages("ja").section("question")
    record = next(line for line in p.notes if q["documents_title"] in line)
    for label in ("doc_kakuninsho_held", "doc_oshirase_held", "doc_old_card"):
        assert q[label] in record
    assert "2." in record


# ---- going back ------------------------------------------------------------------


def test_going_back_asks_the_previous_question_again_with_its_answer_chosen() -> None:
    asked, values, p = run_wizard(
        {"myna": Turns([Myna.YES, Myna.NO]), "cert_expiry": BACK, "documents": [], "events": []}
    )
    assert asked == ["myna", "cert_expiry", "myna", "documents", "events"]
    assert p.defaults["myna"] == [None, Myna.YES]
    assert values["myna"] is Myna.NO and "cert_expiry" not in values


def test_going_back_from_a_list_keeps_its_ticks_for_next_time() -> None:
    ticks = [("oshirase", Holding.HELD)]
    _, _, p = run_wizard(
        {"myna": Myna.NO, "documents": Turns([ticks, ticks]), "events": Turns([BACK, []])}
    )
    assert p.defaults["documents"] == [[], ticks]


def test_going_back_at_the_first_question_asks_it_again() -> None:
    asked, values, _ = run_wizard({"myna": Turns([BACK, Myna.NO]), "documents": [], "events": []})
    assert asked[:2] == ["myna", "myna"] and values["myna"] is Myna.NO


# ---- the review screen -------------------------------------------------------------


@pytest.mark.parametrize("lang", languages())
def test_the_review_shows_every_answer_before_the_verdict(lang: Lang) -> None:
    _, _, p = run_wizard({**TYPICAL, "cert_expiry": ""}, lang)
    q = Messages(lang).section("question")
    review = p.notes[p.notes.index(q["review_title"]) :]
    if Messages(lang).section("reading"):  # the review is a screen: the first time, read out
        assert "資格情報のお知らせ〈" in review[3]
        review = [re.sub("〈[^〉]*〉", "", line) for line in review]
    assert q["myna_yes"] in review[1] and q["blank_unknown"] in review[2]
    assert q["doc_oshirase_held"] in review[3] and q["ticked_none"] in review[4]
    assert p.asked[-1] == "review"


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("ja", "わからない"), ("easy", "わからない"), ("en", "unknown"), ("en", "don't know")],
)
def test_a_count_typed_as_not_known_reads_as_not_known_on_the_review(
    lang: Lang, typed: str
) -> None:
    # "None" on the review screen is a program talking to itself.
    script = {
        "myna": Myna.NO,
        "documents": [("kakuninsho", Holding.HELD)],
        "events": [("left_on", ASK)],
        "left_on": "R8.11.21",
        "dependants": typed,
    }
    _, values, p = run_wizard(script, lang)
    q = Messages(lang).section("question")
    review = [
        re.sub("〈[^〉]*〉", "", line) for line in p.notes[p.notes.index(q["review_title"]) :]
    ]
    said = [line for line in review if q["dependants_title"] in line]
    assert said and q["blank_unknown"] in said[0] and "None" not in "".join(p.notes), said
    assert values["dependants"] is None


@pytest.mark.parametrize(
    ("lang", "typed"), [("ja", "わからない"), ("ja", "不明"), ("ja", "？"), ("en", "don't know")]
)
def test_a_leaving_day_typed_as_not_known_asks_whether_they_have_left(
    lang: Lang, typed: str
) -> None:
    """Blank means "leaving, the day not decided yet": still a member. Someone who has
    left and does not know the exact day must not be read that way (told they are
    covered): typed わからない, the question asks for a rough day instead."""
    seen: list[str | None] = []

    class Typing(Scripted):
        def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
            if ask.key == "left_on":
                seen.append(validate(typed))
                seen.append(validate(""))
            return super().text(ask, validate, default)

    script = {
        "myna": Myna.NO,
        "documents": [("kakuninsho", Holding.HELD)],
        "events": [("left_on", ASK)],
        "left_on": "",
        "dependants": "0",
    }
    prompter = Typing(lang, script)
    wizard(prompter, gather({}, TODAY, flags=True), lang)
    assert seen[0] == Messages(lang)("question", "left_on_unknown"), seen
    assert seen[1] is None  # blank: still accepted, "not decided yet"


def test_changing_one_answer_on_the_review_drops_what_it_made_unnecessary() -> None:
    asked, values, p = run_wizard(
        {
            "myna": Turns([Myna.YES, Myna.NO]),
            "cert_expiry": "2030-03-31",
            "documents": [("oshirase", Holding.HELD)],
            "events": [],
            "review": Turns(["myna", CONFIRM]),
        }
    )
    assert asked == ["myna", "cert_expiry", "documents", "events", "myna"]
    assert p.defaults["myna"][-1] is Myna.YES  # offered again as it was
    assert values["myna"] is Myna.NO and "cert_expiry" not in values
    assert values["oshirase"] is Holding.HELD  # the other answers are kept


def test_changing_one_answer_asks_what_it_made_necessary() -> None:
    asked, values, _ = run_wizard(
        {
            "myna": Turns([Myna.NO, Myna.YES]),
            "cert_expiry": "2030-03-31",
            "documents": Turns([[], []]),
            "events": Turns([[], []]),
            "review": Turns(["myna", CONFIRM]),
        }
    )
    # A マイナ保険証 adds the portal and the clinic's reader to the lists: asked again.
    again = ["myna", "cert_expiry", "documents", "events"]
    assert asked == ["myna", "documents", "events", *again]
    assert values["cert_expiry"] == date(2030, 3, 31)


def test_going_back_from_the_review_asks_the_last_question_again() -> None:
    asked, _, _ = run_wizard(
        {**TYPICAL, "events": Turns([[], []]), "review": Turns([BACK, CONFIRM])}
    )
    assert asked[-1] == "events" and asked.count("events") == 2


# ---- leaving, and saving -------------------------------------------------------------


def test_ctrl_d_leaves_the_wizard() -> None:
    class Leaving(Scripted):
        def select(self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Any = None) -> Any:
            raise QuitWizard

    with pytest.raises(QuitWizard):
        wizard(Leaving("ja", {}), gather({}, TODAY))


def test_the_wizard_offers_to_save_and_says_where() -> None:
    p = Scripted("ja", {**TYPICAL, "events": [], "save": True, "save_file": "mine.toml"})
    asked = wizard(p, gather({}, TODAY), offer=True)
    assert asked.save_to == Path("mine.toml")
    assert p.defaults["save_file"] == [Messages("ja")("question", "save_default")]


def test_going_back_from_the_file_name_asks_again_whether_to_save() -> None:
    p = Scripted("ja", {**TYPICAL, "events": [], "save": Turns([True, False]), "save_file": BACK})
    asked = wizard(p, gather({}, TODAY), offer=True)
    assert asked.save_to is None and p.asked[-3:] == ["save", "save_file", "save"]


def test_declining_to_save_saves_nothing_and_back_returns_to_the_review() -> None:
    p = Scripted("ja", {**TYPICAL, "events": [], "save": Turns([BACK, False])})
    asked = wizard(p, gather({}, TODAY), offer=True)
    assert asked.save_to is None
    assert p.asked.count("review") == 2


def test_a_file_that_is_there_is_replaced_only_when_the_member_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").write_text("mine")
    script = {"save": True, "save_file": Turns(["mine.toml", "other.toml"])}
    p = Scripted("ja", {**TYPICAL, "events": [], **script, "save_overwrite": False})
    asked = wizard(p, gather({}, TODAY), offer=True)
    assert asked.save_to == Path("other.toml")
    assert p.asked[-3:] == ["save_file", "save_overwrite", "save_file"]
    assert p.defaults["save_file"][-1] == "mine.toml"  # the name typed, to change
    p = Scripted("ja", {**TYPICAL, "events": [], "save": True, "save_file": "mine.toml"})
    p.script["save_overwrite"] = True
    assert wizard(p, gather({}, TODAY), offer=True).save_to == Path("mine.toml")
    assert "mine.toml" in p.asks[-1].message


def test_a_file_name_that_cannot_be_saved_is_said_before_the_verdict(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    (tmp_path / "real.toml").write_text("")
    (tmp_path / "link.toml").symlink_to(tmp_path / "real.toml")
    names = {
        "a link": str(tmp_path / "link.toml"),  # asked "replace it?", then refused
        "missing folder": str(tmp_path / "nowhere" / "a.toml"),
        "a folder": str(tmp_path),
        "blank": " ",
        "locked folder": str(locked / "a.toml"),
        "fine": str(tmp_path / "a.toml"),
    }
    problems: dict[str, str | None] = {}

    class Names(Scripted):
        def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
            if ask.key != "save_file":
                return super().text(ask, validate, default)
            problems.update({what: validate(name) for what, name in names.items()})
            return BACK

    p = Names("ja", {**TYPICAL, "events": [], "save": Turns([True, False])})
    wizard(p, gather({}, TODAY), offer=True)
    q = Messages("ja")
    assert str(tmp_path / "nowhere") in (problems["missing folder"] or "")
    assert problems["a folder"] == problems["blank"] == q("question", "save_file_needed")
    assert problems["fine"] is None
    assert problems["a link"] == q("question", "save_link", file=str(tmp_path / "link.toml"))
    if os.geteuid() != 0:  # root may write anywhere
        assert problems["locked folder"] == q("question", "save_not_allowed", folder=str(locked))


def test_no_offer_to_save_when_the_command_line_already_says_where() -> None:
    _, _, p = run_wizard(TYPICAL)  # as kenpo check --save-answers FILE runs it
    assert "save" not in p.asked


SCRIPTS = {
    "typical, certificate date unknown": {**TYPICAL, "cert_expiry": ""},
    "no マイナ保険証, 資格確認書 expiry blank": {
        "myna": Myna.NO,
        "documents": [("kakuninsho", Holding.HELD)],
        "kakuninsho_expiry": "",
    },
    "leaving, day unknown": {"myna": Myna.NO, "events": [("left_on", ASK)], "left_on": ""},
    "left, and new": {
        **TYPICAL,
        "events": [("left_on", ASK), ("joined_on", ASK)],
        "left_on": "2026-12-01",
        "joined_on": "2026-11-01",
    },
}


@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS)
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_file_saved_from_the_wizard_answers_every_question_it_asked(
    script: dict[str, Any], suffix: str, tmp_path: Path
) -> None:
    _, values, _ = run_wizard(script)
    saved = tmp_path / f"answers{suffix}"
    checking.save(saved, Gathered(values))
    again = Scripted("ja", {})
    reread = wizard(again, checking.gather_all({}, saved, TODAY))
    assert again.asked == []
    assert reread.gathered.facts() == Gathered(values).facts()


def test_the_review_shows_the_documents_and_events_given_as_flags_too() -> None:
    # kenpo check --myna no --kakuninsho held --oshirase held --left-on …: only the old
    # card is left to ask about; the review must not say "no documents, nothing applies".
    flags = {"myna": "no", "kakuninsho": "held", "oshirase": "held", "left_on": "2026-12-16"}
    _, _, p = run_wizard({"documents": [], "events": []}, "ja", **flags)
    q = Messages("ja")
    review = "\n".join(p.notes)
    for label in ("doc_kakuninsho_held", "doc_oshirase_held", "event_leaving"):
        assert q("question", label) in review, (label, review)
    assert q("question", "ticked_none") not in review.split(q("question", "review_title"))[-1]


def test_a_save_name_under_the_home_folder_is_taken_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    p = Scripted("ja", {**TYPICAL, "events": [], "save": True, "save_file": "~/kenpo.toml"})
    assert wizard(p, gather({}, TODAY), offer=True).save_to == tmp_path / "kenpo.toml"


def test_the_leaving_day_is_echoed_with_the_last_working_day_before_it() -> None:
    # Many members type their last working day: the echo shows what kenpo took it as.
    script = {"myna": Myna.NO, "events": [("left_on", ASK)], "left_on": "2026-11-01"}
    _, _, p = run_wizard(script, "ja")
    review = "\n".join(p.notes)
    q = Messages("ja")
    assert q("question", "left_on_retired", day=q.date(date(2026, 10, 31))) in review


@pytest.mark.parametrize("word", ["未定", "-", "なし"])
def test_a_leaving_day_not_known_yet_typed_as_a_word_is_a_blank_answer(word: str) -> None:
    # 「未定」 as the 資格喪失日 crashed the wizard (exit 70, answers lost); the question
    # says to leave it blank when not decided yet, and a word saying so means the same.
    # (わからない is asked again: test_a_leaving_day_typed_as_not_known_asks_…)
    script = {"myna": Myna.NO, "documents": [], "events": [("left_on", ASK)], "left_on": word}
    _, values, p = run_wizard(script, "ja")
    facts = Gathered(values).facts()
    assert facts.status is Status.LEAVING and facts.left_on is None
    blank = Messages("ja")("question", "blank_leaving")
    assert any(blank in note for note in p.notes), p.notes


def test_a_required_day_typed_as_not_known_is_asked_again() -> None:
    seen: list[str | None] = []

    class Checker(Scripted):
        def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
            if ask.key == "joined_on":
                seen.append(validate("未定"))
            return super().text(ask, validate, default)

    p = Checker("ja", {**TYPICAL, "events": [("joined_on", ASK)], "joined_on": "2026-11-20"})
    wizard(p, gather({}, TODAY))
    assert seen and seen[0] == Messages("ja")("question", "date_required")


def test_a_day_already_past_is_echoed_as_the_last_day_worked() -> None:
    # Someone who has already left: 「会社を やめた 日」, not 「やめる 日」.
    script = {"myna": Myna.NO, "events": [("left_on", ASK)], "left_on": "2026-11-01"}
    _, _, p = run_wizard(script, "easy")
    review = "\n".join(p.notes)
    assert "やめた 日は" in review and "やめる 日は" not in review, review
    script["left_on"] = "2027-01-16"
    _, _, p = run_wizard(script, "easy")
    assert "やめる 日は" in "\n".join(p.notes)


def test_the_english_counter_is_set_off_from_the_question() -> None:
    _, _, p = run_wizard(TYPICAL, "en")
    assert p.asks[0].progress.endswith(":"), p.asks[0].progress


def test_a_member_unsure_of_the_registration_is_asked_about_joining_and_told_of_the_delay() -> None:
    # 「カードはあるが、登録したかわからない」: if it is registered, a new membership may
    # not show on it for some days; the wizard offered the tick to マイナ保険証 holders only.
    script = {
        "myna": Myna.UNKNOWN,
        "documents": [("oshirase", Holding.HELD)],
        "events": [("joined_on", ASK)],
        "joined_on": "2026-11-24",
    }
    asked, values, p = run_wizard(script)
    assert ("joined_on", ASK) in p.offered["events"] and "joined_on" in asked
    v = evaluate(Gathered(values).facts(), TODAY, rulepack.builtin())
    assert "new_member_unconfirmed" in {n.code for n in v.warnings}


@pytest.mark.parametrize(
    "script",
    [
        {
            "myna": Myna.NO,
            "documents": [("kakuninsho", Holding.HELD), ("oshirase", Holding.HELD)],
            "events": [("left_on", ASK)],
            "left_on": "R8.11.21",
            "dependants": "0",
        },
        {
            "myna": Myna.YES,
            "cert_expiry": "",
            "documents": [],
            "events": [("left_on", ASK)],
            "left_on": "R9.2.1",
            "dependants": "2人",
        },
        {"myna": Myna.UNKNOWN, "documents": [("oshirase", Holding.HELD)], "events": []},
        {"myna": Myna.NO, "documents": [], "events": [("joined_on", ASK)], "joined_on": "R8.12.3"},
    ],
)
def test_at_most_is_never_broken_by_a_later_question(script: dict[str, Any]) -> None:
    # "Question 5 of at most 5" followed by a sixth question was a promise broken.
    _, _, p = run_wizard(script, "en")
    said = [a.progress for a in p.asks if a.key not in ("review", "save")]
    counts = [int(s.split()[-1].rstrip(":")) for s in said]
    assert counts == sorted(counts, reverse=True) and len(said) <= counts[0], said
    assert all(len(said) <= n for n in counts), said
