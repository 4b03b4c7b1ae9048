"""The wizard asks what the core says can still change the verdict (core/relevance.py):
a fact is left unasked only where the rules call it unused, and there it changes nothing."""

from __future__ import annotations

import itertools
import sys
from datetime import date, timedelta
from typing import Any

import pytest

from kenpo_cli.core import relevance, rulepack
from kenpo_cli.core.facts import CHOICE_FACTS, make_facts
from kenpo_cli.core.model import Facts, Myna, Reader, Verdict, YesNo
from kenpo_cli.core.rules import evaluate
from kenpo_cli.core.rules.notices import NOTICES
from kenpo_cli.errors import KenpoError
from tests.unit.test_wizard import TODAY, run_wizard

DAY = date(2026, 11, 26)
# Each fact the rules may call unused, at a value that is not its default.
TOLD: dict[str, Any] = {
    "portal": YesNo.YES,
    "reader": Reader.NONE,
    "unreachable": YesNo.YES,
    "name_changed": YesNo.YES,
    "cert_expiry": DAY + timedelta(days=200),
    "kakuninsho_expiry": DAY + timedelta(days=200),
}


def outcome(v: Verdict, without: str) -> tuple[Any, ...]:
    """Everything the verdict says but the given notice."""
    rest = tuple(w for w in v.warnings if w.code != without)
    return (v.coverage, v.why_not, v.present, v.actions, rest, v.key_dates, v.audience)


def test_every_fact_the_rules_may_call_unused_is_listed_here() -> None:
    codes = {code for code, _applies, _dates in NOTICES}
    assert {c.removeprefix("unused_") for c in codes if c.startswith("unused_")} == set(TOLD)


@pytest.mark.parametrize("fact", sorted(TOLD))
def test_a_fact_the_rules_call_unused_changes_nothing_else(fact: str) -> None:
    """Where the notice says a fact cannot matter, it does not: so a question the
    wizard leaves out for it could not have changed the verdict."""
    pack, names = rulepack.builtin(), [n for n in CHOICE_FACTS if n != fact]
    fired = 0
    for combo in itertools.product(*(CHOICE_FACTS[n] for n in names)):
        values = dict(zip(names, combo, strict=True))
        try:
            told = evaluate(make_facts({**values, fact: TOLD[fact]}), DAY, pack)
            plain = evaluate(make_facts(values), DAY, pack)
        except KenpoError:
            continue
        if f"unused_{fact}" in {w.code for w in told.warnings}:
            fired += 1
            assert outcome(told, f"unused_{fact}") == outcome(plain, ""), (fact, values)
    assert fired, f"unused_{fact} never given: nothing checked"


def test_without_a_working_card_the_portal_and_reader_cannot_matter() -> None:
    pack = rulepack.builtin()
    for myna in Myna:
        works = myna in (Myna.YES, Myna.UNKNOWN)  # an unknown registration still might
        for fact in ("portal", "reader"):
            assert relevance.can_matter(fact, {"myna": myna}, DAY, pack) is works, (fact, myna)
        assert relevance.can_matter("joined_on", {"myna": myna}, DAY, pack)
    # Before the card is known, anything may still matter.
    assert relevance.can_matter("portal", {}, DAY, pack)
    assert not relevance.can_matter("cert_expiry", {"myna": Myna.NO}, DAY, pack)
    assert Facts().portal is YesNo.NO  # the default a "not ticked" leaves


def test_a_new_rule_needs_no_wizard_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the clinic's reader to matter without a card (a rule narrowing its notice),
    the wizard would offer it with no change of its own."""
    script = {"myna": Myna.NO, "documents": [], "events": []}
    _, _, before = run_wizard(script)
    assert "reader" not in {f for f, _ in before.offered["events"]}
    kept = tuple(rule for rule in NOTICES if rule[0] != "unused_reader")
    monkeypatch.setattr(sys.modules["kenpo_cli.core.rules.notices"], "NOTICES", kept)
    monkeypatch.setattr(relevance, "_ANSWERS", {})
    _, _, after = run_wizard(script)
    assert ("reader", Reader.NONE) in after.offered["events"]
    assert TODAY == DAY
