"""The text screen and the JSON document say the same verdict: the decisions they share
(which documents to show and which are fallbacks, the most urgent step, what is overdue)
are the verdict's (core/model.py), and the renderers only word them."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings

from kenpo_cli.batch.tasks import Urgency, urgency
from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import CHOICE_FACTS, make_facts
from kenpo_cli.core.model import Facts, Item, Verdict, WhyNot, conditional
from kenpo_cli.i18n import Messages
from kenpo_cli.render import view
from kenpo_cli.render.json import verdict_dict
from tests.unit import test_golden as golden
from tests.unit.test_properties import days, evaluate, facts_strategy, packs


def expanded(choices: tuple[tuple[tuple[Item, ...], tuple[Item, ...]], ...]) -> set[frozenset[str]]:
    """The sets a member may show: each choice, and each choice with one of its fallbacks."""
    out = set()
    for base, extras in choices:
        out.add(frozenset(i.value for i in base))
        out |= {frozenset(i.value for i in (*base, extra)) for extra in extras}
    return out


@settings(max_examples=400, deadline=None)
@given(facts_strategy, days, packs)
def test_the_screen_and_json_show_the_same_documents_steps_and_deadline(
    facts: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    v = evaluate(facts, as_of, pack)
    msgs = Messages("en")
    doc = verdict_dict(v, msgs)
    shown = view._build(v, pack, msgs)
    # Reception: the screen's choices and fallbacks are exactly the JSON's sets.
    assert expanded(v.reception) == {frozenset(o) for o in doc["present"]}
    if shown.reception is None:
        assert doc["present"] == []
    else:
        assert len(shown.reception.options) == len(v.reception)
        for option, (base, extras) in zip(shown.reception.options, v.reception, strict=True):
            assert all(msgs.item(i.value) in option.shown for i in base)
            assert all(msgs.item(i.value) in option.fallback for i in extras)
    # Steps: the same ones, in the same order; overdue exactly where the deadline passed.
    assert len(shown.steps) == len(doc["actions"]) == len(v.actions)
    for step, action, a in zip(shown.steps, doc["actions"], v.actions, strict=True):
        assert (action["action"], action["item"]) == (a.action.value, a.item.value)
        assert step.overdue == ("by" in action and action["by"] < doc["as_of"])
    # The line under the headline: the call that stops a lost My Number card when that is
    # the first step; else the deadline, the first step with a `by`, in either output.
    if v.actions and v.actions[0].reasons[0].key == "contact_myna_card_lost":
        assert view.step_title(v.actions[0], msgs) in shown.urgent
        return
    dated = [
        (a, shown_a)
        for a, shown_a in zip(v.actions, doc["actions"], strict=True)
        if "by" in shown_a
    ]
    assert (shown.urgent != "") == bool(dated)
    if dated and v.most_urgent is not None:
        # The first, or the first for a document that surely exists: an "if you have one"
        # step (model.conditional) gives way once its day has passed, or to a nearer one.
        sure = [pair for pair in dated if not conditional(pair[0])]
        maybe = [pair for pair in dated if conditional(pair[0]) and not v.overdue(pair[0])]
        nearer = maybe and (not sure or maybe[0][1]["by"] <= sure[0][1]["by"])
        first = maybe[0][1] if nearer else (sure or dated)[0][1]
        assert (v.most_urgent.action.value, v.most_urgent.item.value) == (
            first["action"],
            first["item"],
        )
        assert view.step_title(v.most_urgent, msgs) in shown.urgent


@cache
def golden_verdicts() -> list[Verdict]:
    """One verdict per distinct outcome of the golden table's situations (every closed-choice
    combination on each of its days; the facts aside, thousands of them are alike)."""
    pack = rulepack.builtin()
    names = list(CHOICE_FACTS)
    distinct: dict[Verdict, Verdict] = {}
    for day in golden.DAYS:
        for combo in itertools.product(*(list(CHOICE_FACTS[n]) for n in names)):
            v = evaluate(make_facts(dict(zip(names, combo, strict=True))), day, pack)
            distinct.setdefault(v._replace(facts=Facts(), assumed=()), v)
    return list(distinct.values())


def test_in_every_golden_situation_the_outputs_say_what_the_verdict_decided() -> None:
    """Text, JSON and batch read the verdict's decisions, never their own: the same
    documents and fallbacks, the warnings not already said, the timeline's days, what is
    overdue. A renderer that chose differently from the core turns this red, naming the
    situation."""
    pack, msgs = rulepack.builtin(), Messages("en")
    for v in golden_verdicts():
        case = f"{v.as_of} {v.facts.as_dict()}"
        doc = verdict_dict(v, msgs)
        shown = view._build(v, pack, msgs)
        # Reception: the screen's choices with their fallbacks are the JSON's sets.
        assert expanded(v.reception) == {frozenset(o) for o in doc["present"]}, case
        options = shown.reception.options if shown.reception else []
        assert [(o.shown, o.fallback) for o in options] == [
            (
                msgs.ui("plus").join(msgs.item(i.value) for i in base),
                msgs.ui(
                    "present_fallback",
                    extras=msgs.ui("or").join(msgs.item(i.value) for i in extras),
                )
                if extras
                else "",
            )
            for base, extras in v.reception
        ], case
        # Warnings: JSON lists them all; the screen those the verdict says are news.
        assert [w["code"] for w in doc["warnings"]] == [w.code for w in v.warnings], case
        news = [msgs.voiced("warning", w.code, v.audience, w.params) for w in v.news]
        assert shown.warnings == news, case
        # The timeline: the verdict's key dates, and today.
        assert [e.day for e in shown.timeline if not e.is_today] == [k.day for k in v.timeline], (
            case
        )
        # Overdue: the screen, the JSON and batch's urgency say it of the same steps.
        for step, action, a in zip(shown.steps, doc["actions"], v.actions, strict=True):
            late = urgency(a, v.as_of) is Urgency.OVERDUE
            assert step.overdue == action.get("overdue", False) == late == v.overdue(a), case


def test_the_verdict_leaves_out_only_warnings_said_elsewhere() -> None:
    """What the screen leaves out is said by its headline (no coverage: membership ended
    or not begun) or by a step, word for word; every other warning is news."""
    for v in golden_verdicts():
        left_out = {w.code for w in v.warnings} - {w.code for w in v.news}
        steps = {(a.action.value, a.item.value) for a in v.actions}
        for code in left_out:
            said = {"membership_ended": v.why_not is WhyNot.ENDED,
                    "not_yet_member": v.why_not is WhyNot.NOT_JOINED,
                    "oshirase_alone": ("keep", "oshirase") in steps}  # fmt: skip
            assert said.get(code), f"{code} left out of {v.as_of} {v.facts.as_dict()}"


@settings(max_examples=300, deadline=None)
@given(facts_strategy, days, packs)
def test_on_and_around_each_deadline_the_outputs_mark_overdue_as_the_core_does(
    facts: Facts, as_of: date, pack: rulepack.RulePack
) -> None:
    """A deadline is overdue the day after it, not on it: the screen, the JSON and batch's
    urgency all read the core's one function, on the day before, on and after each
    deadline (the golden table's situations have no dates, so no deadlines)."""
    msgs = Messages("en")
    v = evaluate(facts, as_of, pack)
    for day in {d + timedelta(days=n) for a in v.actions if (d := a.by) for n in (-1, 0, 1)}:
        w = v._replace(as_of=day)
        doc, shown = verdict_dict(w, msgs), view._build(w, pack, msgs)
        for step, action, a in zip(shown.steps, doc["actions"], w.actions, strict=True):
            late = a.by is not None and a.by < day  # CONTRACT.md: `by` before `as_of`
            assert (urgency(a, day) is Urgency.OVERDUE) == late, (day, a)
            assert step.overdue == action.get("overdue", False) == late, (day, a)
