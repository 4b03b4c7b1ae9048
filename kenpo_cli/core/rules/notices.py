"""Things a member should know that are not steps: a table of (code, when, what it says)."""

from collections.abc import Callable
from datetime import date, timedelta

from kenpo_cli.core.model import Audience, Holding, Item, Myna, Notice, Reader, YesNo
from kenpo_cli.core.rules.after_leaving import eligible_for_nini_keizoku, nini_keizoku_by
from kenpo_cli.core.rules.dependants import before_kakuninsho
from kenpo_cli.core.rules.old_card import owes_card
from kenpo_cli.core.rules.reception import by_measure, open_kakuninsho
from kenpo_cli.core.rules.situation import Situation

Options = tuple[tuple[Item, ...], ...]


# A notice: its code, when it applies, and the dates its message fills in. (A plain
# tuple, made by Rule(): a class would cost its creation on every one-shot run.)
Applies = Callable[[Situation, Options], bool]
Dates = Callable[[Situation], dict[str, date | None]]
NoticeRule = tuple[str, Applies, Dates]


def _no_dates(s: Situation) -> dict[str, date | None]:
    return {}


def Rule(code: str, applies: Applies, params: Dates = _no_dates) -> NoticeRule:
    """One row of the notices table."""
    return (code, applies, params)


def _holder_without_reissue(s: Situation) -> bool:
    return s.facts.myna is Myna.YES and not s.pack.kakuninsho_reissue_for_myna_holders


def _kakuninsho_coming(s: Situation) -> bool:
    # faq-old-card-until: members without a マイナ保険証 are sent one, unasked.
    f = s.facts
    before_end = s.as_of <= s.pack.old_card_valid_until
    joined_later = not s.old_card_ours  # a member since the transition began gets one on joining
    unsent = f.kakuninsho is Holding.NONE and not joined_later
    registered = f.myna in (Myna.YES, Myna.FOUND)  # a found card is registered, if suspended
    return s.member and before_end and not registered and unsent


def _kakuninsho_renewal(s: Situation) -> bool:
    # faq-kakuninsho-expiry: a new one is sent before it expires, to those without a
    # マイナ保険証, with no application.
    notice = timedelta(days=s.pack.kakuninsho_renewal_notice_days)
    expiry = s.kakuninsho_expiry
    return (
        s.member
        and s.facts.kakuninsho is Holding.HELD
        and not s.myna_usable
        and expiry - notice <= s.as_of <= expiry
        and not (s.leaving_later and s.left_on is not None and s.left_on <= expiry)
    )


def _without_card(s: Situation) -> bool:
    """No card that could work (an unknown registration still might)."""
    return s.facts.myna in (Myna.NO, Myna.LOST, Myna.FOUND)  # a found one: until lifted


def _continuation_late(s: Situation) -> bool:
    """A member who left on a known day, past the last day to apply for 任意継続."""
    by = nini_keizoku_by(s)
    member = s.leaving and s.audience is Audience.MEMBER
    return member and by is not None and s.as_of > by and eligible_for_nini_keizoku(s) is not False


def _oshirase_coming(s: Situation) -> bool:
    # faq-oshirase-everyone: a new member is sent one once the membership is registered.
    return s.member and (s.updating or s.new_joiner) and s.facts.oshirase is Holding.NONE


def _maybe_updating(s: Situation) -> bool:
    """A new member who does not know whether the card is registered: if it is, it may not
    show the membership yet either (faq-myna-update)."""
    ready, joined = s.ready_on, s.facts.joined_on
    unsure = s.facts.myna is Myna.UNKNOWN
    return unsure and ready is not None and joined is not None and joined <= s.as_of < ready


NOTICES: tuple[NoticeRule, ...] = (
    Rule(
        "not_yet_member",
        lambda s, p: s.facts.joined_on is not None and s.as_of < s.facts.joined_on,
        lambda s: {"joined_on": s.facts.joined_on},
    ),
    Rule("membership_ended", lambda s, p: s.ended),
    Rule(
        "leaving_soon",
        lambda s, p: s.leaving_later and s.left_on is not None,
        lambda s: {"left_on": s.left_on},
    ),
    Rule("leaving_undated", lambda s, p: s.leaving_later and s.left_on is None),
    # national-next-insurance: what covers a leaver next, said to the member themselves
    # (the 任意継続 and 国民健康保険 steps carry the days: rules/after_leaving.py).
    Rule("next_insurance", lambda s, p: s.leaving and s.audience is Audience.MEMBER),
    Rule("next_insurance_late", lambda s, p: _continuation_late(s)),
    # national-dependants: a leaver's dependants lose eligibility with them. Their number
    # not given, no step can count their cards; kenpo says so rather than take it as none.
    Rule(
        "dependants_unknown",
        lambda s, p: (
            s.leaving
            and s.facts.dependants is None
            and s.pack.kakuninsho_return_on_leaving
            and not before_kakuninsho(s)
        ),
    ),
    # Left while the old cards were in use, their number not given: the family's old
    # cards go back with the member's (dependants_old_card says so when it is given).
    Rule(
        "dependants_unknown_old_card",
        lambda s, p: (
            s.leaving and s.facts.dependants is None and before_kakuninsho(s) and owes_card(s)
        ),
    ),
    Rule(
        "nini_keizoku_too_short",
        lambda s, p: (
            s.leaving and s.audience is Audience.MEMBER and eligible_for_nini_keizoku(s) is False
        ),
        lambda s: {"joined_on": s.facts.joined_on},
    ),
    Rule(
        "transition_measure",
        lambda s, p: by_measure(s, p),
        lambda s: {"until": s.pack.transition_measure_until},
    ),
    Rule("new_member_unconfirmed", lambda s, p: s.member and (s.updating or _maybe_updating(s))),
    Rule(
        "kakuninsho_not_reissued",
        lambda s, p: (
            s.facts.kakuninsho is Holding.LOST
            and _holder_without_reissue(s)
            and s.myna_usable
            and not s.ended
        ),
    ),
    Rule(
        "oshirase_not_reissued",
        lambda s, p: (
            s.facts.oshirase is Holding.LOST and not s.pack.oshirase_reissued and not s.ended
        ),
    ),
    Rule(
        "oshirase_coming",
        lambda s, p: _oshirase_coming(s),
        lambda s: {"come_by": s.joiner_documents_by},
    ),
    Rule(
        "cert_lapsed",
        lambda s, p: s.facts.myna is Myna.YES and s.grace_end is not None and s.as_of > s.grace_end,
        lambda s: {"grace_end": s.grace_end},
    ),
    Rule(
        "portal_needs_cert",
        lambda s, p: (
            s.member
            and s.in_grace
            and s.facts.portal is YesNo.YES
            and s.pack.portal_replaces_oshirase
        ),
        lambda s: {"expiry": s.facts.cert_expiry},
    ),
    Rule(
        "kakuninsho_coming",
        lambda s, p: _kakuninsho_coming(s),
        lambda s: {"from": s.pack.old_card_valid_until},
    ),
    Rule(
        "kakuninsho_renewal_coming",
        lambda s, p: _kakuninsho_renewal(s) and s.as_of < s.kakuninsho_expiry,
        lambda s: {"expiry": s.kakuninsho_expiry},
    ),
    # Its last day: "coming" no more; if the new one has not come, the 健保 is asked today.
    Rule(
        "kakuninsho_renewal_today",
        lambda s, p: _kakuninsho_renewal(s) and s.as_of == s.kakuninsho_expiry and _open(s),
        lambda s: {"expiry": s.kakuninsho_expiry},
    ),
    # ... on a day the employer and the 健保 are closed (a Saturday): asked when they open.
    Rule(
        "kakuninsho_renewal_today_closed",
        lambda s, p: _kakuninsho_renewal(s) and s.as_of == s.kakuninsho_expiry and not _open(s),
        lambda s: {"expiry": s.kakuninsho_expiry, "open": _next_open(s)},
    ),
    Rule("oshirase_alone", lambda s, p: s.member and not p and s.facts.oshirase is Holding.HELD),
    # Nothing shown at reception: the clinic charges the full cost, and the insurer may
    # refund it afterwards as 療養費 (健康保険法第87条, a national rule).
    Rule(
        "pay_in_full_meanwhile",
        lambda s, p: s.member and not p and open_kakuninsho(s) is None,
    ),
    # Facts that cannot matter given the others: said, never silently dropped.
    Rule(
        "unused_cert_expiry",
        lambda s, p: s.facts.cert_expiry is not None and _without_card(s),
    ),
    Rule(
        "unused_kakuninsho_expiry",
        lambda s, p: s.facts.kakuninsho_expiry is not None and s.facts.kakuninsho is Holding.NONE,
    ),
    Rule("unused_portal", lambda s, p: s.facts.portal is YesNo.YES and _without_card(s)),
    Rule("unused_reader", lambda s, p: s.facts.reader is Reader.NONE and _without_card(s)),
    Rule("unused_unreachable", lambda s, p: s.facts.unreachable is YesNo.YES and not s.leaving),
    Rule("unused_name_changed", lambda s, p: s.facts.name_changed is YesNo.YES and s.ended),
)


def notices(s: Situation, present: Options) -> tuple[Notice, ...]:
    """The notices that apply to the member today, in the table's order."""
    out = []
    for code, applies, dates in NOTICES:
        if applies(s, present):
            params = tuple((k, v.isoformat()) for k, v in dates(s).items() if v)
            out.append(Notice(code, params))
    return tuple(out)


def _open(s: Situation) -> bool:
    """Whether offices (the employer's, the 健保's) are open on the day asked."""
    from kenpo_cli.core.open_days import closed

    return not closed(s.as_of)


def _next_open(s: Situation) -> date:
    from kenpo_cli.core.open_days import open_on_or_after

    return open_on_or_after(s.as_of)
