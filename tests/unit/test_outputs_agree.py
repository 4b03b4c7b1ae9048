"""The text screen and the JSON document say the same verdict: the decisions they share
(which documents to show and which are fallbacks, the most urgent step, what is overdue)
are the verdict's (core/model.py), and the renderers only word them."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings

from kenpo_cli.core import rulepack
from kenpo_cli.core.model import Facts, Item
from kenpo_cli.i18n import Messages
from kenpo_cli.render import view
from kenpo_cli.render.json import verdict_dict
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
    # The headline's deadline is the first step with a `by`, in either output's order.
    first = next((a for a in doc["actions"] if "by" in a), None)
    assert (shown.urgent != "") == (first is not None)
    if first is not None and v.most_urgent is not None:
        assert (v.most_urgent.action.value, v.most_urgent.item.value) == (
            first["action"],
            first["item"],
        )
        assert view.step_title(v.most_urgent, msgs) in shown.urgent
