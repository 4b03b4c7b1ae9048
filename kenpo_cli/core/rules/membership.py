"""Forms and questions that come with membership itself, whatever the documents."""

from __future__ import annotations

from kenpo_cli.core.model import Action, ActionKind, Holding, Item, Myna, WhyNot, YesNo
from kenpo_cli.core.rulepack import Src
from kenpo_cli.core.rules.situation import Situation, act

A = ActionKind
# Steps that may give a member something to show at reception, or ask about it.
_ACCESS_STEPS = frozenset({A.SUBMIT, A.CHECK, A.RENEW, A.CONTACT})


def membership_steps(s: Situation) -> list[Action]:
    """A change of name or details is reported through the employer (faq-oshirase-change).

    The 資格確認書 and the My Number card print the name: the first is replaced through
    the same form, the second changed at the municipal office (national rules).
    """
    f = s.facts
    if f.name_changed is not YesNo.YES or s.ended:
        return []
    form = act(A.SUBMIT, Item.NAME_CHANGE, "submit_name_change", Src.OSHIRASE_CHANGE)
    if f.kakuninsho is Holding.HELD and s.valid(Item.KAKUNINSHO):
        replaced = act(
            A.SUBMIT,
            Item.NAME_CHANGE,
            "submit_name_change_kakuninsho",
            Src.NATIONAL_KAKUNINSHO_DETAILS,
        )
        form = form._replace(
            reasons=form.reasons + replaced.reasons, sources=form.sources + replaced.sources
        )
    steps = [form]
    if f.myna in (Myna.YES, Myna.UNKNOWN, Myna.FOUND):
        steps.append(
            act(A.RENEW, Item.MYNA_CARD, "change_myna_card_details", Src.NATIONAL_MYNA_DETAILS)
        )
    return steps


def access_steps(s: Situation, why_not: WhyNot | None, steps: list[Action]) -> list[Action]:
    """A member with nothing that works at reception, and no step that fixes it, asks the 健保.

    Not when the card works and only this clinic cannot read it (why_not is no_reader).
    """
    if why_not is not WhyNot.NO_DOCUMENT:
        return []
    if any(a.action in _ACCESS_STEPS and a.item is not Item.NAME_CHANGE for a in steps):
        return []
    come_by = s.joiner_documents_by
    if s.new_joiner and come_by is not None:
        # Just joined: the documents are in the post. Asking is for after they had time.
        return [
            act(
                A.CHECK,
                Item.KAKUNINSHO,
                "wait_documents_joiner",
                Src.MYNA_WITHOUT,
                s.pack.source_of("joiner_documents_days"),
                come_by=come_by,
            )
        ]
    return [
        act(A.CONTACT, Item.KENPO, "contact_no_document", Src.MYNA_WITHOUT, Src.KAKUNINSHO_WHAT)
    ]
