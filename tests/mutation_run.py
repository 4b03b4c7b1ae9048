"""Break the rules on purpose and check that the tests notice (a small mutation run).

    python tests/mutation_run.py [--only N ...]

Each mutation changes one line of kenpo (flip a comparison, drop a step, swap two
counts), runs the unit and acceptance tests that bear on it, and restores the file.
A mutation the tests do not catch is a rule no test guards: it is printed as
SURVIVED, and the run exits 1. Not part of pytest: it takes minutes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "kenpo_cli"


class Mutation(NamedTuple):
    file: str
    old: str
    new: str
    why: str


MUTATIONS = (
    Mutation("core/rules/kakuninsho.py", "s.left_on <= expiry", "s.left_on < expiry",
             "a leaver on the expiry day still owes the 資格確認書"),
    Mutation("core/rules/kakuninsho.py", "Duty.RETURN if s.as_of <= expiry else Duty.IF_VALID",
             "Duty.RETURN if s.as_of < expiry else Duty.IF_VALID",
             "an undated leaver asked on the expiry day"),
    Mutation("core/rules/kakuninsho.py", "    steps = _reissue(s)",
             "    steps = [] if s.leaving_later else _reissue(s)",
             "a lost 資格確認書 is reissued even when leaving later"),
    Mutation("core/rules/old_card.py", "return s.leaving and s.left_on <= last",
             "return s.leaving and s.left_on < last", "leaving on the transition's last day"),
    Mutation("core/validity.py", "return min(known) if known else None",
             "return max(known) if known else None", "validity ends with membership"),
    Mutation("core/validity.py", "valid = until is None or day <= until",
             "valid = until is None or day < until", "a document is valid on its last day"),
    Mutation("core/rules/myna.py", "    if s.as_of > ends:", "    if s.as_of >= ends:",
             "the grace period's last day"),
    Mutation("core/rules/myna.py",
             "elif cert <= s.limits.cert_window:",
             "elif cert < s.limits.cert_window:",
             "the renewal window's first day"),
    Mutation("core/rules/myna.py", 'key, by = "renew_cert_soon", cert',
             'key, by = "renew_cert_soon", ends', "renew by the expiry while valid"),
    Mutation("core/rules/situation.py", "(card_end is None or as_of <= card_end)",
             "(card_end is None or as_of < card_end)", "the card works through the grace end"),
    Mutation("core/rules/situation.py", "(facts.cert_expiry is None or as_of <= facts.cert_expiry)",
             "(facts.cert_expiry is None or as_of < facts.cert_expiry)",
             "the certificate is live on its expiry day"),
    Mutation("core/rules/situation.py", "lim.settled < facts.joined_on <= as_of",
             "lim.settled <= facts.joined_on <= as_of", "a new member's update window"),
    Mutation("core/rules/situation.py",
             "ended = left and (facts.left_on is None or as_of >= facts.left_on)",
             "ended = left and (facts.left_on is None or as_of > facts.left_on)",
             "membership ends on the 資格喪失日"),
    Mutation("core/rules/oshirase.py",
             "and s.pack.portal_replaces_oshirase and s.live_cert",
             "and s.pack.portal_replaces_oshirase", "the portal needs a live certificate"),
    Mutation("core/rules/reception.py",
             "if f.kakuninsho is Holding.HELD and s.valid(Item.KAKUNINSHO) and not s.new_joiner:",
             "if f.kakuninsho is Holding.HELD and not s.new_joiner:",
             "an expired 資格確認書 is not shown"),
    Mutation("core/rules/reception.py", 'return Coverage.UNKNOWN, WhyNot.UNKNOWN, ("myna",)',
             "return Coverage.NO, WhyNot.NO_DOCUMENT, ()", "coverage can be unknown"),
    Mutation("core/rules/notices.py", "and expiry - notice <= s.as_of <= expiry",
             "and expiry - notice < s.as_of <= expiry", "the renewal notice's first day"),
    Mutation("core/rules/consistency.py", "f.joined_on >= f.left_on", "f.joined_on > f.left_on",
             "同日得喪 (joined again on the 資格喪失日) is refused, never judged left"),
    Mutation("core/rules/thresholds.py", "KAKUNINSHO_MAX_YEARS = 5", "KAKUNINSHO_MAX_YEARS = 6",
             "the 資格確認書's five-year maximum"),
    Mutation("core/rules/__init__.py", "return (1, a.by, urgency)", "return (2, a.by, urgency)",
             "deadlines come before the rest"),
    Mutation("core/rules/__init__.py", "return (2, a.from_ or today, urgency)",
             "return (2, a.from_ or date.max, urgency)", "today's steps before later ones"),
    Mutation("core/rules/__init__.py",
             "reasons = first.reasons + tuple(r for r in step.reasons if r not in first.reasons)",
             "reasons = first.reasons", "every reason is kept"),
    Mutation("core/rules/membership.py",
             "if any(a.action in _ACCESS_STEPS and a.item is not Item.NAME_CHANGE for a in steps):",
             "if any(a.action in _ACCESS_STEPS for a in steps):",
             "a name change does not give anything to show at reception"),
    Mutation("core/rules/myna.py", "        act(A.CONTACT, Item.MYNA_CARD, \"contact_myna_card_lost\", lost),\n",
             "", "a lost card is suspended first"),
    Mutation("core/rules/key_dates.py", 'found.append(KeyDate(s.ready_on, K.READY, "ready", Item.MYNA))',
             "pass", "the joiner's ready day is on the timeline"),
    Mutation("core/facts.py", "derived = retired + timedelta(days=1)", "derived = retired",
             "資格喪失日 is the day after 退職日"),
    Mutation("core/rulepack.py", 'if sid not in sources and sid.startswith("national-"):',
             "if False:", "older packs get the national rules"),
    Mutation("batch/judge.py", "return found[0], found[1], found[2], found[3]",
             "return found[0], found[2], found[1], found[3]", "the summary's counts"),
    Mutation("batch/judge.py", "shown = verdict.coverage if no_doctor(verdict) else Coverage.YES",
             "shown = verdict.coverage", "a former member is not counted as 'cannot see a doctor'"),
    Mutation("batch/command.py", "and (action or item or not level or s[3])", "",
             "--only overdue alone is the office's work, not a leaver's own 国保"),
    Mutation("core/model.py", "return int(own) + (dependants or 0) * int(theirs) + int(found)",
             "return int(own) + (dependants or 0) + int(found)",
             "the summary counts the dependants' cards only when they go back"),
    Mutation("core/model.py", "dated = [a for a in self.actions if a.by is not None]",
             "dated = [a for a in self.actions if a.day is not None]",
             "the headline names a deadline, not a start day"),
    Mutation("core/model.py", "            if any(set(m) < set(base) for m in present):\n",
             "            if False:\n", "reception shows minimal sets"),
    Mutation("i18n.py", "if audience is Audience.EMPLOYER and self.has(",
             "if False and self.has(", "employer wording"),
    Mutation("render/json.py", 'return {"can_see_doctor": None, "unknown_because": list(unknown_because)}',
             'return {"can_see_doctor": None}', "unknown_because in JSON"),
    Mutation("core/model.py", "ahead = [k for k in self.key_dates if k.day >= self.as_of]",
             "ahead = list(self.key_dates)", "the timeline shows what is ahead"),
    Mutation("core/rules/kakuninsho.py",
             "    if pack.kakuninsho_return_if_expired:\n        return Duty.RETURN\n", "",
             "a society that wants even an expired 資格確認書 back"),
    Mutation("core/validity.py",
             "return own_expiry is None and myna is not Myna.YES",
             "return own_expiry is None",
             "only a member without a マイナ保険証 is sent a renewed 資格確認書"),
    Mutation("core/rules/myna.py",
             "holds_kakuninsho = s.facts.kakuninsho is Holding.HELD and s.valid(Item.KAKUNINSHO)",
             "holds_kakuninsho = s.facts.kakuninsho is Holding.HELD",
             "an expired 資格確認書 is no help at reception"),
    Mutation("core/rules/myna.py", "    if not s.live_cert or s.ended:", "    if s.ended:",
             "a dead certificate needs no update of details"),
    Mutation("core/rules/oshirase.py", "portal_stands_in(s) and not s.updating",
             "portal_stands_in(s)", "the portal cannot stand in while the details update"),
    Mutation("core/rules/notices.py", "s.as_of > s.grace_end", "s.as_of >= s.grace_end",
             "the grace period's last day still works"),
    Mutation("core/rules/key_dates.py",
             "if f.old_card is OldCard.HELD or s.as_of <= old_card_end:",
             "if f.old_card is OldCard.HELD:", "the old card's last day on the timeline"),
    Mutation("core/open_days.py", "return open_on_or_after(start + timedelta(days=days - 1))",
             "return open_on_or_after(start + timedelta(days=days))",
             "a period counts its first day"),
    Mutation("core/open_days.py", "if day.weekday() >= 5:", "if day.weekday() > 5:",
             "a deadline on a Saturday moves to the next open day"),
    Mutation("core/rules/reception.py",
             "s.pack.old_card_valid_until < s.as_of <= s.pack.transition_measure_until",
             "s.pack.old_card_valid_until < s.as_of < s.pack.transition_measure_until",
             "the transition measure's last day"),
    Mutation("core/rules/situation.py",
             "sent = (facts.myna is Myna.NO or unsure or _lapsed(facts, day, pack)) and (",
             "sent = False and (", "a 資格確認書 not said is not 'none'"),
    Mutation("core/rules/situation.py", "unsure = facts.myna is Myna.UNKNOWN and leaving",
             "unsure = False", "a leaver not knowing the registration may hold a 資格確認書"),
    Mutation("core/rules/after_leaving.py",
             "return months_after(joined, s.pack.nini_keizoku_min_months) <= left",
             "return months_after(joined, s.pack.nini_keizoku_min_months) < left",
             "exactly two months of membership is enough for 任意継続"),
    Mutation("core/rules/situation.py",
             "self.old_card_ours = joined is None or joined < pack.transition_start",
             "self.old_card_ours = joined is None or joined <= pack.transition_start",
             "joined on the day cards stopped: the card is the previous insurer's"),
    Mutation("core/rules/situation.py",
             "and joined <= as_of < joined + timedelta(days=pack.joiner_documents_days)",
             "and joined <= as_of <= joined + timedelta(days=pack.joiner_documents_days)",
             "a joiner asks about the documents once the post had its days"),
    Mutation("core/model.py", "if step.by is not None and step.by < as_of:",
             "if step.by is not None and step.by <= as_of:", "due today is not overdue"),
    Mutation("batch/tasks.py", "and step.item is Item.MYNA_CERT and not ended:",
             "and step.item is Item.MYNA_CERT:", "a former member gets no renewal notice"),
    Mutation("core/rules/dependants.py", "return [*out, due(s, theirs)]", "return [*out, theirs]",
             "the dependants' cards are due with the member's filing"),
    Mutation("batch/command.py",
             "wanted |= {(action, also, level) for also in _KAKUNINSHO_FAMILY}", "pass",
             "--only return:kakuninsho takes the dependants' cards"),
    Mutation("core/rules/kakuninsho.py",
             'reasons = (*step.reasons, Reason(came), Reason("kakuninsho_if_lost"))',
             "reasons = (*step.reasons, Reason(came))",
             "a leaver's card not known: the loss report if lost"),
    Mutation("core/facts.py", "rejoined = joined is not None and joined >= left",
             "rejoined = False", "同日得喪 with 在籍 is refused as 同日得喪, not 'enrolled but left'"),
    Mutation("core/rules/situation.py",
             "return day >= pack.old_card_valid_until - BULK_ISSUE_LEAD",
             "return day > pack.old_card_valid_until - BULK_ISSUE_LEAD",
             "a leaver whose last day was 2025-11-01 may hold a card sent that month"),
    Mutation("batch/command.py",
             "code = own.get(word) or BACK_READ.get(word)\n",
             "code = own.get(word)\n", "返却状況's words in their own sense (済: back)"),
    Mutation("batch/command.py", 'return NOTHING_SAID if day > back_by else "none"',
             'return NOTHING_SAID if day > date.max else "none"',
             "a 回収日 still to come: the card is still out"),
    Mutation("core/rules/situation.py",
             "return pack.transition_start <= facts.left_on <= pack.old_card_valid_until",
             "return False", "an old card not said, owed back on leaving in its last year"),
    Mutation("core/rules/situation.py", "return ends is not None and day > ends",
             "return False", "a 資格確認書 is sent unasked once a マイナ保険証 has lapsed"),
    Mutation("core/model.py", "own = bool(returned) and not said & CONDITIONS",
             "own = bool(returned)", "a card that may never have come is not counted"),
    Mutation("core/rules/kakuninsho.py", "    if s.joining or not s.member:",
             "    if not s.member:", "a joiner's 資格確認書 may be the previous insurer's"),
    Mutation("core/rules/old_card.py",
             "elif s.member and s.facts.myna is not Myna.YES and s.facts.kakuninsho is not Holding.HELD:",
             "elif False:", "nothing else to show: the old card is kept for the measure"),
    Mutation("core/rules/situation.py",
             "and f.cert_expiry <= self.limits.lapsed_before_renewal",
             "and f.cert_expiry < self.limits.lapsed_before_renewal",
             "a card stopped before the first 資格確認書 expired: renewed one presumed"),
    Mutation("render/view.py", "        if visit is not None and today <= visit:",
             "        if False:", "a 退職日 the workplace is closed: the working day before"),
    Mutation("core/rules/situation.py", "    if not closed(day):\n        return step",
             "    if True:\n        return step", "a closed day's last open day before, in the reason"),
    Mutation("render/ics.py", "        day = open_on_or_before(day) if closed(day) else day\n        found.append(",
             "        found.append(", "a renewal's alarm rings on the office's open day"),
    Mutation("core/rules/old_card.py", "    if s.as_of <= last:\n        return step",
             "    if True:\n        return step", "a void card still owed says why it goes back"),
    Mutation("core/rules/reception.py", "or joiners or s.kakuninsho_kept:", "or joiners:",
             "a lost card's holder may keep a 資格確認書: coverage not known"),
    Mutation("core/rules/kakuninsho.py",
             "if joined is not None and joined > s.limits.bulk_sent:",
             "if joined is not None and joined >= s.limits.bulk_sent:",
             "a joiner after the first cards went out is not told of November"),
)  # fmt: skip

# The tests, in tiers: the quick ones that guard most rules (a few seconds), then all the
# unit and CLI tests for a mutant the first tier missed. A mutant is caught by the first
# tier that fails; only a survivor costs the full run.
TIERS = (
    [
        "tests/unit/test_golden.py",
        "tests/unit/test_faq.py",
        "tests/unit/test_boundaries.py",
        "tests/unit/test_situations.py",
        "tests/unit/test_render.py",
        "tests/unit/test_contact.py",
        "tests/unit/test_hr_review.py",
    ],
    ["tests/unit", "tests/acceptance/test_cli.py", "tests/acceptance/test_batch.py"],
)


def caught(m: Mutation) -> bool:
    path = PKG / m.file
    original = path.read_text(encoding="utf-8")
    assert original.count(m.old) == 1, f"{m.file}: the line to break is not there once: {m.old}"
    path.write_text(original.replace(m.old, m.new), encoding="utf-8")
    try:
        return any(_fails(tests) for tests in TIERS)
    finally:
        path.write_text(original, encoding="utf-8")


def _fails(tests: list[str]) -> bool:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return run.returncode != 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", type=int, nargs="*", help="run only these (1-based)")
    chosen = parser.parse_args().only or range(1, len(MUTATIONS) + 1)
    # Every line to break must be there before anything is run: a table that lost
    # track of the code fails at once, not after half an hour.
    for n in chosen:
        m = MUTATIONS[n - 1]
        text = (PKG / m.file).read_text(encoding="utf-8")
        assert text.count(m.old) == 1, f"{n} {m.file}: the line to break is not there once"
    survived = 0
    for n in chosen:
        m = MUTATIONS[n - 1]
        ok = caught(m)
        survived += not ok
        print(f"{n:2} {'caught  ' if ok else 'SURVIVED'} {m.file}: {m.why}", flush=True)
    total = len(list(chosen))
    print(f"{total - survived} of {total} mutations caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
