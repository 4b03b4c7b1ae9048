"""What gets insured care at reception on the verdict's day, and whether anything does."""

from __future__ import annotations

from kenpo_cli.core.model import Coverage, Holding, Item, Myna, OldCard, Reader, WhyNot
from kenpo_cli.core.rules.oshirase import portal_stands_in
from kenpo_cli.core.rules.situation import Situation, situation

Options = tuple[tuple[Item, ...], ...]


def reception_options(s: Situation) -> Options:
    """The alternative sets of documents that get insured care at reception on ``as_of``."""
    if not s.member:
        return ()
    f = s.facts
    options: list[tuple[Item, ...]] = []
    if s.myna_usable:
        # A new member is insured from the 資格取得日, before the card shows it: the clinic
        # then confirms it another way (the notice new_member_unconfirmed says how).
        if f.reader is Reader.OK:
            options.append((Item.MYNA,))
        if f.oshirase is Holding.HELD:
            options.append((Item.MYNA, Item.OSHIRASE))
        if portal_stands_in(s) and not s.updating:
            options.append((Item.MYNA, Item.PORTAL_SCREEN))
    if f.kakuninsho is Holding.HELD and s.valid(Item.KAKUNINSHO):
        options.append((Item.KAKUNINSHO,))
    if f.old_card is OldCard.HELD and s.valid(Item.OLD_CARD):
        options.append((Item.OLD_CARD,))
    return tuple(options)


def coverage(s: Situation, present: Options) -> tuple[Coverage, WhyNot | None, tuple[str, ...]]:
    """Whether the member is covered today, why not, and the unknown facts it hangs on."""
    if s.ended:
        return Coverage.NO, WhyNot.ENDED, ()
    if not s.member:
        return Coverage.NO, WhyNot.NOT_JOINED, ()
    if present:
        return Coverage.YES, None, ()
    if s.facts.myna is Myna.UNKNOWN and _covered_if_registered(s):
        return Coverage.UNKNOWN, WhyNot.UNKNOWN, ("myna",)
    if s.myna_usable and s.facts.reader is Reader.NONE:
        return Coverage.NO, WhyNot.NO_READER, ()
    return Coverage.NO, WhyNot.NO_DOCUMENT, ()


def _covered_if_registered(s: Situation) -> bool:
    """Whether the member would be covered if the card turned out to be registered."""
    registered = s.facts._replace(myna=Myna.YES)
    return bool(reception_options(situation(registered, s.as_of, s.pack)))
