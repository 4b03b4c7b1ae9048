"""The golden table: the verdict for every combination of the closed-choice facts, on the
days the rules change. A rule change shows up here as a list of changed outcomes.

To accept intended changes: pytest tests/unit/test_golden.py --update-snapshots
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import CHOICE_FACTS, make_facts
from kenpo_cli.core.model import Verdict
from kenpo_cli.core.rules import evaluate

TABLE = Path(__file__).parents[1] / "golden" / "verdicts.txt"


def turning_days(pack: rulepack.RulePack) -> tuple[date, ...]:
    """The days the documents' validity turns on, read from the pack: the old card's last
    day and each 資格確認書's (every entry of a dated series: a renewal adds its own), and
    the day after each. A wrong date in the pack shows here as rows on the wrong days."""
    ends = set()
    for key in ("old_card_valid_until", "kakuninsho_expiry"):
        entries = pack.series.get(key)
        ends |= {e.value for e in entries} if entries else {getattr(pack, key)}
    return tuple(sorted({d for end in ends for d in (end, end + timedelta(days=1))}))


DAYS = turning_days(rulepack.builtin())
HEADER = """\
# kenpo golden table: one line per case, built-in rule pack.
# day | facts (status myna kakuninsho oshirase old_card portal reader name_changed
# unreachable) | can see a doctor (why not), what to show | steps (action:item, @date = from,
# @leaving = when leaving, !date = by, {reason keys}), then warnings (!code)
# Regenerate after an intended rule change: pytest tests/unit/test_golden.py --update-snapshots
"""


def outcome(v: Verdict) -> str:
    present = " / ".join("+".join(i.value for i in option) for option in v.present) or "-"
    steps = " ".join(
        f"{a.action.value}:{a.item.value}"
        + (f"@{a.from_.isoformat()}" if a.from_ else "")
        + (f"@{a.on}" if a.on else "")
        + (f"!{a.by.isoformat()}" if a.by else "")
        + "{"
        + ",".join(r.key for r in a.reasons)
        + "}"
        for a in v.actions
    )
    notes = " ".join(f"!{w.code}" for w in v.warnings)
    covered = {True: "yes", False: "no ", None: "?  "}[v.can_see_doctor]
    why = f"({v.why_not.value}) " if v.why_not else ""
    return f"{covered} {why}{present} | {steps or '-'} {notes}".rstrip()


def table() -> str:
    pack = rulepack.builtin()
    lines = [HEADER]
    names = list(CHOICE_FACTS)
    for day in DAYS:
        for combo in itertools.product(*(list(CHOICE_FACTS[n]) for n in names)):
            facts = make_facts(dict(zip(names, combo, strict=True)))
            case = " ".join(f"{c.value:8}" for c in combo)
            lines.append(f"{day} | {case} | {outcome(evaluate(facts, day, pack))}\n")
    return "".join(lines)


def split(text: str) -> dict[str, str]:
    rows = (line.split(" | ", 2) for line in text.splitlines() if line and line[0] != "#")
    return {f"{r[0]} | {r[1]}": r[2] for r in rows}


def test_verdicts_match_the_golden_table(update_snapshots: bool) -> None:
    now = table()
    if update_snapshots:
        TABLE.write_text(now, encoding="utf-8")
        return
    assert TABLE.exists(), f"{TABLE} is missing: restore it, or write it with --update-snapshots"
    before, after = split(TABLE.read_text(encoding="utf-8")), split(now)
    changed = []
    for case in sorted(before.keys() | after.keys()):
        was, now_ = before.get(case, "(new)"), after.get(case, "(gone)")
        if was != now_:
            changed.append(f"{case.rstrip()}\n    was: {was}\n    now: {now_}")
    shown = "\n".join(changed[:40])
    more = f"\n... and {len(changed) - 40} more" if len(changed) > 40 else ""
    assert not changed, (
        f"{len(changed)} verdicts changed; review them, then accept with "
        f"`pytest tests/unit/test_golden.py --update-snapshots`:\n{shown}{more}"
    )


def test_the_table_follows_the_days_of_a_renewal_in_the_pack() -> None:
    # A renewal (cards from 2027-12-01 expire 2028-07-31) brings its own days into the
    # table: a date typed wrongly in the pack shows as rows on the wrong days.
    from tests.unit.test_dated_values import renewed_text

    renewed = rulepack.parse(renewed_text(), "renewed.toml")
    added = set(turning_days(renewed)) - set(DAYS)
    assert added == {date(2028, 7, 31), date(2028, 8, 1)}
