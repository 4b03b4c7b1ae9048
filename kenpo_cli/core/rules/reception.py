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
        if f.oshirase is Holding.HELD and not s.updating:
            # (While the membership is being registered, the お知らせ in hand is the
            # previous insurer's: this society's comes after registration.)
            options.append((Item.MYNA, Item.OSHIRASE))
        if portal_stands_in(s) and not s.updating:
            options.append((Item.MYNA, Item.PORTAL_SCREEN))
    if f.kakuninsho is Holding.HELD and s.valid(Item.KAKUNINSHO) and not s.new_joiner:
        # (In a joiner's first days it may be the previous insurer's: open_kakuninsho)
        options.append((Item.KAKUNINSHO,))
    if f.old_card is OldCard.HELD and s.old_card_ours and s.valid(Item.OLD_CARD):
        options.append((Item.OLD_CARD,))
    if not options and in_measure(s):
        # Nothing else works: until the measure ends, the clinic may take the expired
        # card, or the お知らせ alone, and check eligibility online.
        if f.old_card is OldCard.HELD and s.old_card_ours:
            options.append((Item.OLD_CARD,))
        if f.oshirase is Holding.HELD and not s.new_joiner:
            options.append((Item.OSHIRASE,))
    return tuple(options)


def in_measure(s: Situation) -> bool:
    """Whether ``as_of`` falls in MHLW's temporary measure after the transition's end
    (national-transition-measure)."""
    return s.member and s.pack.old_card_valid_until < s.as_of <= s.pack.transition_measure_until


def by_measure(s: Situation, present: Options) -> bool:
    """Whether what gets the member seen today rests on the temporary measure."""
    return in_measure(s) and any(o in ((Item.OLD_CARD,), (Item.OSHIRASE,)) for o in present)


def open_kakuninsho(s: Situation) -> str | None:
    """The fact coverage hangs on when a 資格確認書 was probably sent but not said to be at
    hand, or is held in a joiner's first days and may be the previous insurer's
    (``kakuninsho``), or is held past the first card's expiry with its own date not
    given (``kakuninsho_expiry``): None when neither."""
    if not s.member:
        return None
    f = s.facts
    joiners = f.kakuninsho is Holding.HELD and s.new_joiner and s.valid(Item.KAKUNINSHO)
    if f.kakuninsho is Holding.UNKNOWN or joiners or s.kakuninsho_kept:
        # (kept: a lost card's holder may still have one sent before registering)
        return "kakuninsho"
    if f.kakuninsho is Holding.HELD and s.renewal_presumed and s.as_of > s.kakuninsho_expiry:
        return "kakuninsho_expiry"
    return None


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
    if (fact := open_kakuninsho(s)) is not None:
        return Coverage.UNKNOWN, WhyNot.UNKNOWN, (fact,)
    if s.myna_usable and s.facts.reader is Reader.NONE:
        return Coverage.NO, WhyNot.NO_READER, ()
    return Coverage.NO, WhyNot.NO_DOCUMENT, ()


def _covered_if_registered(s: Situation) -> bool:
    """Whether the member would be covered if the card turned out to be registered."""
    registered = s.facts._replace(myna=Myna.YES)
    return bool(reception_options(situation(registered, s.as_of, s.pack)))
