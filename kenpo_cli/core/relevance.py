"""Which facts can still change a verdict, given those known so far: what the wizard asks.

The rules say where a fact cannot matter: a fact given where it cannot change anything
gets an ``unused_<fact>`` notice (core/rules/notices.py: "said, never silently
dropped"). So a fact is worth asking unless, whatever the facts not known yet turn out
to be, every value of it but its default would draw that notice. A new rule that makes
a fact matter somewhere narrows its notice, and the wizard follows with no edit of its
own; tests/unit/test_relevance.py checks that a fact the notice calls unused changes
nothing else in the verdict, over every closed-choice combination of a day.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from kenpo_cli.core.facts import CHOICE_FACTS, make_facts
from kenpo_cli.core.model import Facts
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError

_DEFAULTS = Facts()


def can_matter(
    fact: str, known: Mapping[str, Any], as_of: date, pack: RulePack, value: Any = None
) -> bool:
    """Whether ``fact`` may still change the verdict on ``as_of`` of a member of whom
    ``known`` is known (facts by name): at ``value``, or when it is None at any value but
    the default (for a date: some date). False only when the rules would call it unused
    (its ``unused_<fact>`` notice) for every value of the facts not known yet."""
    given = tuple(sorted((k, v) for k, v in known.items() if k != fact and v is not None))
    key = (fact, value, given, as_of, id(pack))
    cached = _ANSWERS.get(key)
    if cached is None or cached[0] is not pack:  # (the pack is kept: its id stays its own)
        if len(_ANSWERS) >= 1024:
            _ANSWERS.clear()
        cached = _ANSWERS[key] = (pack, _can_matter(fact, value, dict(given), as_of, pack))
    return cached[1]


# The answers so far: a wizard asks again after each answer, of the same facts.
_ANSWERS: dict[tuple[Any, ...], tuple[RulePack, bool]] = {}


def _can_matter(fact: str, value: Any, known: dict[str, Any], as_of: date, pack: RulePack) -> bool:
    from kenpo_cli.core.rules.consistency import refuse_contradictions
    from kenpo_cli.core.rules.found import as_held
    from kenpo_cli.core.rules.notices import NOTICES
    from kenpo_cli.core.rules.reception import reception_options
    from kenpo_cli.core.rules.situation import situation

    unused = next((applies for code, applies, _ in NOTICES if code == f"unused_{fact}"), None)
    if unused is None:  # the rules never call it unused: it can always matter
        return True
    rules = pack.on(as_of)
    for values in _completions(fact, value, known, as_of):
        try:
            facts = make_facts(values, as_of=as_of)
            refuse_contradictions(facts, as_of, rules)
        except KenpoError:
            continue  # facts that cannot all be true get no verdict
        s = situation(as_held(facts), as_of, rules)
        if not unused(s, reception_options(s)):
            return True
    return False


def _completions(
    fact: str, value: Any, known: dict[str, Any], as_of: date
) -> Iterator[dict[str, Any]]:
    """The facts ``known`` with ``fact`` at ``value`` (or each of its other values), and
    every closed-choice fact not known at each of its values."""
    if value is not None:
        tried = [value]
    elif fact in CHOICE_FACTS:
        tried = [v for v in CHOICE_FACTS[fact] if v != getattr(_DEFAULTS, fact)]
    else:
        tried = [as_of]  # a date: whether it is given at all is what a notice looks at
    free = [name for name in CHOICE_FACTS if name != fact and name not in known]
    for combo in itertools.product(*(CHOICE_FACTS[name] for name in free)):
        for v in tried:
            yield {**known, **dict(zip(free, combo, strict=True)), fact: v}
