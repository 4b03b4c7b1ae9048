"""Properties of the rules over generated facts, days and both shipped rule packs."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import make_facts
from kenpo_cli.core.model import (
    DISPOSITIONS,
    ActionKind,
    Facts,
    Holding,
    Item,
    Myna,
    OldCard,
    Reader,
    Status,
    Verdict,
    YesNo,
)
from kenpo_cli.core.rules import evaluate
from kenpo_cli.core.validity import DocumentDates, documents_on, grace_end
from kenpo_cli.i18n import Messages
from kenpo_cli.render.json import action_dict, verdict_body, verdict_body_parts, verdict_dict

EXAMPLE = Path(__file__).parents[2] / "examples" / "rules" / "example-society.toml"
PACKS = (rulepack.builtin(), rulepack.load(EXAMPLE))

days = st.dates(min_value=date(2024, 12, 2), max_value=date(2031, 12, 31))
any_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2036, 12, 31))
facts_strategy = st.fixed_dictionaries(
    {
        "status": st.sampled_from(Status),
        "left_on": st.none() | days,
        "joined_on": st.none() | days,
        "myna": st.sampled_from(Myna),
        "cert_expiry": st.none() | any_days,
        "kakuninsho": st.sampled_from(Holding),
        "kakuninsho_expiry": st.none() | days,
        "oshirase": st.sampled_from(Holding),
        "old_card": st.sampled_from(OldCard),
        "portal": st.sampled_from(YesNo),
        "reader": st.sampled_from(Reader),
        "name_changed": st.sampled_from(YesNo),
        "unreachable": st.sampled_from(YesNo),
    }
).map(make_facts)
packs = st.sampled_from(PACKS)


def held(f: Facts) -> set[Item]:
    out = set()
    if f.old_card is OldCard.HELD:
        out.add(Item.OLD_CARD)
    if f.kakuninsho is Holding.HELD:
        out.add(Item.KAKUNINSHO)
    if f.oshirase is Holding.HELD:
        out.add(Item.OSHIRASE)
    if f.myna is Myna.YES:
        out.add(Item.MYNA)
    if f.portal is YesNo.YES:
        out.add(Item.PORTAL_SCREEN)
    return out


@settings(max_examples=400)
@given(facts_strategy, days, packs)
def test_never_carry_keep_return_or_dispose_of_what_one_does_not_hold(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(f, as_of, pack)
    for a in v.actions:
        if a.action in DISPOSITIONS:
            assert a.item in held(f), a


@settings(max_examples=400)
@given(facts_strategy, days, packs)
def test_never_carry_a_document_that_is_not_valid_that_day(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(f, as_of, pack)
    valid = {
        d.item: d.valid
        for d in documents_on(
            as_of, pack, DocumentDates(f.cert_expiry, f.kakuninsho_expiry, f.left_on)
        )
    }
    ended = f.status is Status.LEFT and (f.left_on is None or as_of >= f.left_on)
    for a in v.actions:
        if a.action is ActionKind.CARRY and a.now:
            assert not ended, a
            assert valid.get(a.item, True), a


@settings(max_examples=400)
@given(facts_strategy, days, packs)
def test_can_see_doctor_exactly_when_something_can_be_shown(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(f, as_of, pack)
    assert v.can_see_doctor == bool(v.present)
    if f.left_on is not None and as_of >= f.left_on:
        assert not v.can_see_doctor
    for option in v.present:  # only what the member holds is shown
        assert set(option) <= held(f)


@settings(max_examples=400)
@given(facts_strategy, days, packs)
def test_every_step_cites_sources_the_pack_defines(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    for a in evaluate(f, as_of, pack).actions:
        assert a.sources
        assert set(a.sources) <= set(pack.sources)


@settings(max_examples=400)
@given(facts_strategy, days, packs)
def test_each_held_document_gets_exactly_one_step_for_today(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(f, as_of, pack)
    for item in held(f) - {Item.PORTAL_SCREEN}:
        today = [a for a in v.actions if a.item is item and a.action in DISPOSITIONS and a.now]
        employer_reports_it = any(
            a.item is Item.KAKUNINSHO_LOSS_REPORT and a.now for a in v.actions
        )
        if item is Item.KAKUNINSHO and f.unreachable is YesNo.YES and employer_reports_it:
            assert not today  # the leaver cannot be reached: the employer files instead
        else:
            assert len(today) == 1, (item, v.actions)


@settings(max_examples=400)
@given(facts_strategy, days, packs)
def test_deadlines_lie_ahead_and_dated_steps_start_later(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    for a in evaluate(f, as_of, pack).actions:
        assert a.by is None or a.by >= as_of
        assert a.from_ is None or a.from_ > as_of


def outcome(doc: dict[str, Any]) -> dict[str, Any]:
    """The verdict without its sentences."""
    doc = dict(doc)
    doc["actions"] = [{k: v for k, v in a.items() if k != "reason"} for a in doc["actions"]]
    doc["warnings"] = [w["code"] for w in doc["warnings"]]
    return doc


@settings(max_examples=200)
@given(facts_strategy, days, packs)
def test_the_language_never_changes_the_verdict(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(f, as_of, pack)
    ja, en = verdict_dict(v, Messages("ja")), verdict_dict(v, Messages("en"))
    assert outcome(ja) == outcome(en)
    assert all(a["reason"] for a in ja["actions"] + en["actions"])


@given(any_days, packs)
def test_grace_ends_on_a_month_end_after_the_expiry_within_four_months(
    cert: date, pack: rulepack.RulePack
) -> None:
    end = grace_end(cert, pack)
    assert (end + timedelta(days=1)).day == 1
    assert end > cert
    months = (end.year - cert.year) * 12 + end.month - cert.month
    assert months == pack.cert_grace_months <= 4


@settings(max_examples=100)
@given(st.lists(st.tuples(facts_strategy, days, packs), min_size=2, max_size=6))
def test_verdict_depends_only_on_facts_day_and_pack(cases: list[Any]) -> None:
    first: list[Verdict] = [evaluate(*case) for case in cases]
    os.environ["KENPO_LANG"], os.environ["TZ"] = "en", "America/New_York"
    try:
        again = [evaluate(*case) for case in reversed(cases)]
    finally:
        del os.environ["KENPO_LANG"], os.environ["TZ"]
    assert first == list(reversed(again))


@settings(max_examples=200)
@given(facts_strategy, days, packs)
def test_batch_rows_carry_the_same_verdict_as_check_json(
    f: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(f, as_of, pack)
    msgs = Messages("ja")
    text = "".join(verdict_body_parts(v, msgs, lambda a: json.dumps(action_dict(a, msgs))))
    assert json.loads("{" + text + "}") == verdict_body(v, msgs)
