"""What an HR office does with a batch's verdicts: its tasks, and how urgent each step is.

A step is *overdue* when its ``by`` is before the day asked about, *now* when it applies
on that day (due on or before it, or undated), and *later* when it starts on a future
day or waits for an event (a leaving day not known yet). ``--only``, the summary, the
CSV's ``next_deadline``, the workbook's task sheets and the office calendar all read
it from here, so they agree; the urgency itself is the core's (core/model.py's
:func:`~kenpo_cli.core.model.urgency`, which the JSON's ``overdue`` and the screen read
too). Nothing here decides a verdict: it only reads the steps the rules gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from kenpo_cli.core.model import Action, ActionKind, Coverage, Item, Verdict, WhyNot
from kenpo_cli.core.model import Urgency as Urgency  # the core decides it, once
from kenpo_cli.core.model import urgency as urgency

URGENCIES = tuple(Urgency)


# The steps that are the office's work (or its reminder to the employee), as opposed to
# the member's own habits (carry, keep, dispose): they are what has a due day.
_DUTIES = frozenset({ActionKind.RETURN, ActionKind.SUBMIT, ActionKind.RENEW})


def due_day(step: Action, as_of: date) -> date | None:
    """The day a step is due, for sorting a list by urgency: its ``by``; the run's day for
    a duty that applies now without one (a return owed today); none for the rest."""
    if step.by is not None:
        return step.by
    if step.action in _DUTIES and urgency(step, as_of) is Urgency.NOW:
        return as_of
    return None


def step_urgency(step: Action, as_of: date) -> str:
    """What ``--only overdue|now|later`` sees of a step: its urgency, or ``""`` for a habit
    with no day (carry, keep: never "due", so ``--only now`` lists the duties owed now)."""
    if step.by is None and step.from_ is None and step.on is None and step.action not in _DUTIES:
        return ""
    return urgency(step, as_of).value


def next_deadline(steps: Iterable[Action], as_of: date) -> date | None:
    """The earliest :func:`due_day` of ``steps`` (overdue ones are earliest)."""
    days = [d for d in (due_day(s, as_of) for s in steps) if d is not None]
    return min(days, default=None)


class Task(StrEnum):
    """The HR office's tasks, one sheet of the workbook each (and one count of the summary)."""

    COLLECT = "collect"  # 資格確認書 (and old cards) to collect from leavers
    LOSS_REPORT = "loss_report"  # 回収不能届 to file
    RENEWAL = "renewal"  # certificate renewal notices to send
    NO_DOCTOR = "no_doctor"  # who cannot see a doctor, or must check first


# The employer's reports of cards that cannot be collected: the 資格確認書's, and the old
# 健康保険証's of a leaver of the old cards' days (被保険者証回収不能届).
_LOSS_REPORTS = frozenset({Item.KAKUNINSHO_LOSS_REPORT, Item.OLD_CARD_LOSS_REPORT})


def step_task(step: Action, ended: bool = False) -> Task | None:
    """The office task a step belongs to (none for the member's own steps). A former
    member's certificate (``ended``: see :func:`ended`) is their own business: the office
    sends renewal notices to members only."""
    if step.action is ActionKind.RETURN:
        return Task.COLLECT
    if step.action is ActionKind.SUBMIT and step.item in _LOSS_REPORTS:
        return Task.LOSS_REPORT
    if step.action is ActionKind.RENEW and step.item is Item.MYNA_CERT and not ended:
        return Task.RENEWAL
    return None


def office_step(step: Action, ended: bool = False) -> bool:
    """Whether a step is the office's to act on (or to remind of): the office calendar's,
    the task sheets', the summary's and what ``--only overdue|now|later`` alone lists."""
    return step_task(step, ended) is not None


_NOT_MEMBERS = (WhyNot.ENDED, WhyNot.NOT_JOINED)


def ended(verdict: Verdict) -> bool:
    """Whether the verdict is a former member's (membership over on its day)."""
    return verdict.why_not is WhyNot.ENDED


def no_doctor(verdict: Verdict) -> bool:
    """Whether a row is on the 受診できない・確認が必要な人 sheet and in the summary's two
    counts of it: not covered, or not known to be, while a member (a former member's
    card has simply ended: that is the return sheets' business; one joining later is
    still covered by the insurance they have)."""
    return verdict.coverage is not Coverage.YES and verdict.why_not not in _NOT_MEMBERS


# The 資格確認書 the summary counts as cards (the member's, each dependant's, a found one);
# the collect sheet's other returns (an old 保険証, an お知らせ a society takes back) are
# counted apart.
KAKUNINSHO_RETURNS = frozenset({Item.KAKUNINSHO, Item.DEPENDANTS_KAKUNINSHO, Item.FOUND_KAKUNINSHO})
