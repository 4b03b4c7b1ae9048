"""After leaving: the member's own next insurance, as dated steps (national rules; the FAQ
says nothing of it).

Someone who loses eligibility joins a new employer's insurance, a family member's as a
dependant, the 国民健康保険 at the municipal office within 14 days, or stays on with this
society as a 任意継続 member by applying within 20 days, if they had been a member for
2 months or more without a break (national-nini-keizoku, national-kokuho). Both days count
the 資格喪失日 as the first and move past days the offices are closed.
"""

from __future__ import annotations

from datetime import date

from kenpo_cli.core.dates import months_after
from kenpo_cli.core.model import Action, ActionKind, Audience, Holding, Item
from kenpo_cli.core.rules.situation import Situation, act, later

A = ActionKind
_HELD = (Holding.HELD, Holding.FOUND)


def nini_keizoku_by(s: Situation) -> date | None:
    """The last day to apply for 任意継続, when the 資格喪失日 is known."""
    if s.left_on is None:
        return None
    from kenpo_cli.core.open_days import within

    return within(s.left_on, s.pack.nini_keizoku_days)


def kokuho_by(s: Situation) -> date | None:
    """The last day to join the 国民健康保険, when the 資格喪失日 is known."""
    if s.left_on is None:
        return None
    from kenpo_cli.core.open_days import within

    return within(s.left_on, s.pack.kokuho_days)


def eligible_for_nini_keizoku(s: Situation) -> bool | None:
    """Whether the membership lasted long enough for 任意継続 (None: the 資格取得日 or the
    資格喪失日 is not known)."""
    joined, left = s.facts.joined_on, s.left_on
    if joined is None or left is None:
        return None
    return months_after(joined, s.pack.nini_keizoku_min_months) <= left


def after_leaving_steps(s: Situation) -> list[Action]:
    """The leaver's next insurance: 任意継続 while it can still be applied for, and the
    国民健康保険 otherwise; for the member only (an employer's verdict is about the cards)."""
    if not s.leaving or s.audience is not Audience.MEMBER:
        return []
    steps = []
    nini_src = s.pack.source_of("nini_keizoku_days")
    kokuho_src = s.pack.source_of("kokuho_days")
    nini_by, kokuho_by_ = nini_keizoku_by(s), kokuho_by(s)
    eligible = eligible_for_nini_keizoku(s)
    if eligible is not False and (nini_by is None or s.as_of <= nini_by):
        params: dict[str, date | str | int] = {"months": s.pack.nini_keizoku_min_months}
        if nini_by is not None:
            params["by_day"] = nini_by
            key = "apply_nini_keizoku" if eligible else "apply_nini_keizoku_if_two_months"
        else:  # (whether it lasted 2 months is known only with the 資格喪失日)
            key = "apply_nini_keizoku_if_two_months_undated"
        steps.append(
            act(A.SUBMIT, Item.NINI_KEIZOKU, key, nini_src, by=nini_by, at=later(s), **params)
        )
    if s.facts.kakuninsho in _HELD and not s.kakuninsho_ours:
        # A 資格確認書 no membership here issued (it ended before the first was) is the
        # next insurer's: that insurance took them on, and 国民健康保険 is no step of theirs.
        return steps
    if kokuho_by_ is None:
        steps.append(act(A.SUBMIT, Item.KOKUHO, "join_kokuho_undated", kokuho_src, at=later(s)))
    else:
        # Late is still owed (the premiums go back to the 資格喪失日): shown overdue, and
        # worded as late once the day is past (not "report by" a day long gone).
        steps.append(
            act(
                A.SUBMIT,
                Item.KOKUHO,
                "join_kokuho" if s.as_of <= kokuho_by_ else "join_kokuho_late",
                kokuho_src,
                by=kokuho_by_,
                at=later(s),
                by_day=kokuho_by_,
            )
        )
    return steps
