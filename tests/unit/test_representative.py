"""One representative stands for many facts in a batch: it must get exactly their verdict.

kenpo batch judges each distinct representative once (kenpo_cli/core/rules/representative.py).
Here the representative's verdict is compared with the verdict of the facts themselves,
on facts whose dates are drawn around every day the rules compare them with: the days
declared in kenpo_cli/core/rules/thresholds.py, read from there (never listed again here).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_cli.core.dates import month_end_after
from kenpo_cli.core.facts import make_facts
from kenpo_cli.core.model import Facts, Holding, Myna, OldCard, Reader, Status, YesNo
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules import evaluate
from kenpo_cli.core.rules.representative import LONG_AGO, representative
from kenpo_cli.core.rules.thresholds import CUTS, Limits, limits
from kenpo_cli.errors import ContradictoryFacts, KenpoError
from tests.unit.test_properties import PACKS as SHIPPED

PACKS = SHIPPED


def outcome(facts: Facts, as_of: date, pack: RulePack) -> Any:
    """All a batch row shows of a verdict (not facts or key_dates), or the refusal."""
    try:
        v = evaluate(facts, as_of, pack)
    except ContradictoryFacts as err:
        return ("refused", err.code, sorted(err.params.items()))
    shown = (v.coverage, v.present, v.actions, v.warnings, v.why_not, v.unknown_because)
    return (v.as_of, *shown, v.audience)


def thresholds(as_of: date, pack: RulePack) -> list[date]:
    """Every day a rule compares a member's date with (thresholds.py), and the grace
    period's end around the day (a certificate's end the rules work out from it)."""
    return [*limits(as_of, pack), month_end_after(as_of, -pack.cert_grace_months - 1)]


@st.composite
def near(draw: st.DrawFn, as_of: date, pack: RulePack) -> date | None:
    """A day near a threshold, far before or after, or none."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return None
    if kind == 1:
        base = draw(st.sampled_from(thresholds(as_of, pack)))
        offset = st.sampled_from((-1, 0, 1)) | st.integers(-40, 40)
        return base + timedelta(days=draw(offset))
    if kind == 2:
        return as_of + timedelta(days=draw(st.integers(-15000, -365)))
    if kind == 3:
        return as_of + timedelta(days=draw(st.integers(365, 4000)))
    return as_of + timedelta(days=draw(st.integers(-400, 400)))


DATED = ("left_on", "joined_on", "cert_expiry", "kakuninsho_expiry")


@st.composite
def cases(draw: st.DrawFn, limit: str | None = None) -> tuple[Facts, date, RulePack]:
    """Facts, a day and a pack; with ``limit``, one of the dates the limit bounds is set
    one day before it, on it or one day after it."""
    pack = draw(st.sampled_from(PACKS))
    as_of = draw(st.dates(min_value=pack.transition_start, max_value=date(2031, 12, 31)))
    dated: dict[str, date | None] = {name: draw(near(as_of, pack)) for name in DATED}
    if limit is not None:
        # A limit no one declared the facts of bounds, for all the test knows, any date.
        fact = draw(st.sampled_from(CUTS.get(limit, DATED)))
        day = getattr(limits(as_of, pack), limit)
        dated[fact] = day + timedelta(days=draw(st.sampled_from((-1, 0, 1))))
    values = {
        "status": draw(st.sampled_from(Status)),
        "left_on": dated["left_on"],
        "joined_on": dated["joined_on"],
        "myna": draw(st.sampled_from(Myna)),
        "cert_expiry": dated["cert_expiry"],
        "kakuninsho": draw(st.sampled_from(Holding)),
        "kakuninsho_expiry": dated["kakuninsho_expiry"],
        "oshirase": draw(st.sampled_from(Holding)),
        "old_card": draw(st.sampled_from(OldCard)),
        "portal": draw(st.sampled_from(YesNo)),
        "reader": draw(st.sampled_from(Reader)),
        "name_changed": draw(st.sampled_from(YesNo)),
        "unreachable": draw(st.sampled_from(YesNo)),
    }
    if draw(st.booleans()) and values["left_on"] is not None:
        values["retired_on"] = values.pop("left_on") - timedelta(days=1)
    return make_facts(values), as_of, pack


@settings(max_examples=2000, deadline=None)
@given(cases())
def test_the_representative_gets_exactly_the_verdict_of_the_facts(
    case: tuple[Facts, date, RulePack],
) -> None:
    facts, as_of, pack = case
    assert outcome(representative(facts, as_of, pack), as_of, pack) == outcome(facts, as_of, pack)


@pytest.mark.parametrize("limit", Limits._fields)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_batch_gets_checks_verdict_one_day_either_side_of_each_declared_day(
    limit: str, data: st.DataObject
) -> None:
    # The test's id names the day (thresholds.Limits) whose class the representative broke.
    facts, as_of, pack = data.draw(cases(limit))
    assert outcome(representative(facts, as_of, pack), as_of, pack) == outcome(
        facts, as_of, pack
    ), limit


def test_every_declared_day_says_which_dates_it_bounds() -> None:
    # The representative keeps a date on its side only of the days CUTS ties to it.
    undeclared = [name for name in Limits._fields if name not in CUTS]
    assert not undeclared, f"thresholds.CUTS does not say which dates {undeclared} bound"
    assert set(CUTS) == set(Limits._fields)
    assert {fact for facts in CUTS.values() for fact in facts} <= set(Facts._fields)


def test_dates_the_rules_no_longer_see_share_one_representative() -> None:
    pack, as_of = PACKS[0], date(2026, 11, 26)

    def rep(**values: Any) -> Facts:
        return representative(make_facts(values), as_of, pack)

    # Joined ten years ago or five: the same member.
    assert rep(joined_on=date(2016, 4, 1)) == rep(joined_on=date(2021, 4, 1))
    assert rep(joined_on=date(2016, 4, 1)).joined_on == LONG_AGO
    # A certificate expiring in three years or four: nothing to renew yet.
    yes = {"myna": Myna.YES}
    assert rep(cert_expiry=date(2029, 6, 1), **yes) == rep(cert_expiry=date(2030, 2, 3), **yes)
    # (A 資格喪失日 is never moved: every leaver's return is due 5 days from it.)
    assert rep(left_on=date(2026, 10, 1)) != rep(left_on=date(2026, 9, 1))


def test_dates_a_step_prints_are_kept() -> None:
    pack, as_of = PACKS[0], date(2026, 11, 26)
    for values in (
        {"left_on": date(2027, 1, 16)},  # leaving ahead: "from 2027-01-16"
        {"myna": Myna.YES, "cert_expiry": date(2026, 12, 20)},  # renew by that day
        {"myna": Myna.YES, "cert_expiry": date(2025, 1, 5)},  # lapsed: the grace end shown
        {"joined_on": date(2026, 11, 25)},  # new member: the card is being updated
        {"kakuninsho": Holding.HELD, "kakuninsho_expiry": date(2027, 7, 31)},
    ):
        facts = make_facts(values)
        shown = representative(facts, as_of, pack)
        for name, value in values.items():
            assert getattr(shown, name) == value, name


def test_facts_that_are_refused_keep_what_the_message_names() -> None:
    pack, as_of = PACKS[0], date(2026, 11, 26)
    facts = make_facts({"joined_on": date(2020, 5, 1), "left_on": date(2019, 4, 1)})
    try:
        evaluate(representative(facts, as_of, pack), as_of, pack)
    except KenpoError as err:
        assert err.params
    else:
        raise AssertionError("joined after leaving must stay refused")


def test_leaving_on_the_old_cards_last_day_is_judged_as_that_day_in_batch() -> None:
    # Left on 2025-12-01 with the old card: its return was owed (it was in force that day);
    # a day later it was not. The representative must keep the side of that line.
    pack, as_of = PACKS[0], date(2026, 11, 26)
    for left in (pack.old_card_valid_until, pack.old_card_valid_until + timedelta(days=1)):
        facts = make_facts({"status": Status.LEFT, "left_on": left, "old_card": OldCard.HELD})
        assert outcome(representative(facts, as_of, pack), as_of, pack) == outcome(
            facts, as_of, pack
        )


MOVABLE = {"left_on", "joined_on", "cert_expiry", "kakuninsho_expiry", "retired_on"}


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_representative_moves_only_dates_and_keeps_every_other_fact(
    case: tuple[Facts, date, RulePack],
) -> None:
    # Every fact but the dates it may move comes through by name: a fact added to Facts
    # (anywhere in it) keeps its value in batch.
    facts, as_of, pack = case
    shown = representative(facts, as_of, pack)._asdict()
    assert {k: v for k, v in shown.items() if k not in MOVABLE} == {
        k: v for k, v in facts._asdict().items() if k not in MOVABLE
    }
