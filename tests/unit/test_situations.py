"""The situations members really bring (issue 9): each principle, both sides of its boundary.

Named as a 健保 clerk would describe the case. The properties behind them, for every
date and combination, are in test_properties.py.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.core.model import Audience, Item, WhyNot
from kenpo_cli.core.rulepack import Src
from kenpo_cli.errors import ContradictoryFacts
from kenpo_cli.i18n import Messages
from kenpo_cli.render.json import verdict_dict
from tests.helpers import cites, judge, params, reason_keys, step, steps


def codes(v: object) -> set[str]:
    return {w.code for w in v.warnings}  # type: ignore[attr-defined]


# ---- 1. a duty is fixed on the day it arises --------------------------------------


@pytest.mark.parametrize("asked", ["2027-10-20", "2027-11-30", "2027-12-01", "2028-01-10"])
def test_leaver_with_a_valid_kakuninsho_returns_it_whenever_they_ask(asked: str) -> None:
    v = judge(asked, left_on="2027-10-16", kakuninsho="held")
    assert ("return", "kakuninsho") in steps(v)
    assert ("dispose", "kakuninsho") not in steps(v)
    assert reason_keys(step(v, "return", "kakuninsho")) == ["return_kakuninsho_left"]


@pytest.mark.parametrize("asked", ["2027-12-10", "2028-06-01"])
def test_lost_kakuninsho_or_unreachable_leaver_still_gets_the_loss_report_later(
    asked: str,
) -> None:
    lost = judge(asked, left_on="2027-10-16", kakuninsho="lost")
    assert ("submit", "kakuninsho_loss_report") in steps(lost)
    gone = judge(asked, left_on="2027-10-16", kakuninsho="held", unreachable="yes")
    assert ("submit", "kakuninsho_loss_report") in steps(gone)


@pytest.mark.parametrize("kakuninsho", ["held", "found"])
def test_a_membership_over_before_the_first_kakuninsho_had_none_to_give_back(
    kakuninsho: str,
) -> None:
    """資格確認書 were first issued on the transition's start (2024-12-02): a 資格喪失日
    on it or before means the membership had ended, and a card held now is another
    insurer's. Nothing goes back; its insurer's name is to be read. A day later, the
    last day of membership is the first day of 資格確認書: the card may be ours."""
    start = rulepack.builtin().transition_start
    for left_on in ("2019-04-01", start.isoformat()):
        v = judge("2026-12-01", left_on=left_on, myna="no", kakuninsho=kakuninsho)
        assert [a for a in v.actions if a.item.value.endswith("kakuninsho")] == [
            step(v, "check", "kakuninsho")
        ], left_on
        check = step(v, "check", "kakuninsho")
        assert reason_keys(check) == ["check_kakuninsho_other_insurer"]
        # The day cards stopped and 資格確認書 began is the amendment's (the FAQ's entry on
        # the マイナ保険証 says nothing of 資格確認書 being issued that day).
        assert check.sources == ("national-no-new-cards",)
        assert params(check)["left"] == left_on and params(check)["start"] == start.isoformat()
        assert v.cards_to_collect() == 0
        # Its expiry is its insurer's to print: not ours to put on the timeline.
        assert "kakuninsho_expiry" not in [k.event for k in v.key_dates], left_on
        # Another insurer's card: that insurance covers them, not "join 国保, years late".
        assert ("submit", "kokuho") not in steps(v), left_on
        without = judge("2026-12-01", left_on=left_on, myna="no", kakuninsho="none")
        assert ("submit", "kokuho") in steps(without), left_on
        lost = judge("2026-12-01", left_on=left_on, myna="no", kakuninsho="lost")
        assert not [a for a in lost.actions if "kakuninsho" in a.item.value], left_on
        gone = judge("2026-12-01", left_on=left_on, kakuninsho="held", unreachable="yes")
        assert ("submit", "kakuninsho_loss_report") not in steps(gone)
    after = judge("2026-12-01", left_on="2024-12-03", myna="no", kakuninsho="held")
    assert ("return", "kakuninsho") in steps(after)
    assert ("check", "kakuninsho") not in steps(after) and after.cards_to_collect() == 1
    assert "kakuninsho_expiry" in [k.event for k in after.key_dates]
    assert ("submit", "kokuho") in steps(after)  # ours: it says nothing of a next insurer


def test_the_return_hangs_on_whether_the_kakuninsho_was_valid_on_the_leaving_day() -> None:
    valid_that_day = judge("2028-01-10", left_on="2027-11-30", kakuninsho="held")
    assert ("return", "kakuninsho") in steps(valid_that_day)
    # The printed expiry was not given, and no マイナ保険証: the renewed 資格確認書 came
    # before the first expired, was in date on the leaving day, and goes back.
    renewed = judge("2028-01-10", left_on="2027-12-01", kakuninsho="held")
    assert reason_keys(step(renewed, "return", "kakuninsho")) == ["return_kakuninsho_renewed_left"]
    told = judge(
        "2028-01-10", left_on="2027-12-01", kakuninsho="held", kakuninsho_expiry="2027-11-30"
    )
    assert reason_keys(step(told, "dispose", "kakuninsho")) == ["dispose_kakuninsho_left"]
    # (the card told of expired; the renewed one came before, and goes back)
    assert reason_keys(step(told, "return", "kakuninsho")) == [
        "return_kakuninsho_renewed_after_expiry"
    ]
    holder = judge("2028-01-10", left_on="2027-12-01", kakuninsho="held", myna="yes")
    assert reason_keys(step(holder, "dispose", "kakuninsho")) == ["dispose_kakuninsho_left"]


def test_a_leaver_who_does_not_say_when_hears_the_condition_once_it_could_matter() -> None:
    before = judge("2027-11-30", status="left", kakuninsho="held", myna="yes")
    assert reason_keys(step(before, "return", "kakuninsho")) == ["return_kakuninsho_left"]
    after = judge("2027-12-01", status="left", kakuninsho="held", myna="yes")
    assert reason_keys(step(after, "return", "kakuninsho")) == [
        "return_kakuninsho_if_valid_when_left"
    ]


@pytest.mark.parametrize(
    ("left_on", "duty"),
    [("2025-11-16", "return"), ("2025-12-01", "return"), ("2025-12-02", "dispose")],
)
def test_old_card_of_someone_who_left_while_it_was_in_force_goes_back_even_asked_later(
    left_on: str, duty: str
) -> None:
    v = judge("2026-03-01", left_on=left_on, old_card="held")
    assert (duty, "old_card") in steps(v)
    if duty == "return":
        cites(v)  # the national rule
        assert Src.NATIONAL_OLD_CARD_RETURN in step(v, "return", "old_card").sources


# ---- 2. the portal screen needs a live certificate ---------------------------------


def test_portal_screen_stands_in_for_the_oshirase_until_the_certificate_expires() -> None:
    last = judge("2026-10-15", myna="yes", cert_expiry="2026-10-15", portal="yes")
    assert (Item.MYNA, Item.PORTAL_SCREEN) in last.present
    assert ("carry", "portal_screen") in steps(last)
    grace = judge("2026-10-16", myna="yes", cert_expiry="2026-10-15", portal="yes")
    assert grace.can_see_doctor  # the card still works at a reader in its grace period
    assert all(Item.PORTAL_SCREEN not in option for option in grace.present)
    assert ("carry", "portal_screen") not in steps(grace)
    carry = step(grace, "carry", "oshirase")
    assert reason_keys(carry) == ["carry_oshirase_portal_needs_cert"]
    assert Src.NATIONAL_PORTAL_NEEDS_CERT in carry.sources
    assert "portal_needs_cert" in codes(grace)


def test_lost_oshirase_in_the_grace_period_is_not_told_to_set_up_the_portal() -> None:
    live = judge("2026-10-15", myna="yes", cert_expiry="2026-10-15", oshirase="lost")
    assert ("check", "mynaportal") in steps(live)
    grace = judge("2026-10-16", myna="yes", cert_expiry="2026-10-15", oshirase="lost")
    assert ("check", "mynaportal") not in steps(grace)


# ---- 3. coverage can be unknown -----------------------------------------------------


def test_not_knowing_whether_the_card_is_registered_leaves_coverage_unknown() -> None:
    v = judge("2026-05-12", myna="unknown", oshirase="held")
    assert v.can_see_doctor is None and v.why_not is WhyNot.UNKNOWN
    assert v.unknown_because == ("myna",)
    first = v.actions[0]
    assert (first.action.value, first.item.value) == ("check", "mynaportal")
    doc = verdict_dict(v, Messages("ja"))
    assert doc["can_see_doctor"] is None and doc["unknown_because"] == ["myna"]
    assert doc["schema_version"] == 3


def test_an_unknown_registration_does_not_matter_with_a_valid_kakuninsho() -> None:
    v = judge("2026-05-12", myna="unknown", kakuninsho="held")
    assert v.can_see_doctor is True and v.unknown_because == ()
    assert "unknown_because" not in verdict_dict(v, Messages("en"))


def test_an_unknown_registration_cannot_help_where_nothing_would_be_read() -> None:
    v = judge("2026-05-12", myna="unknown", oshirase="none", reader="none")
    assert v.can_see_doctor is False and v.why_not is WhyNot.NO_DOCUMENT


# ---- 4. a lost 資格確認書 is reissued while still a member ---------------------------


def test_lost_kakuninsho_is_reissued_the_day_before_leaving_and_reported_on_the_day() -> None:
    before = judge("2026-12-15", left_on="2026-12-16", myna="no", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") in steps(before)
    report = step(before, "submit", "kakuninsho_loss_report")
    assert report.from_ == date(2026, 12, 16)
    on_the_day = judge("2026-12-16", left_on="2026-12-16", myna="no", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") not in steps(on_the_day)
    assert step(on_the_day, "submit", "kakuninsho_loss_report").now


# ---- 5. a blank leaving date means "not yet known" -----------------------------------


def test_leaving_on_a_day_not_yet_known_is_still_membership_today() -> None:
    v = judge("2026-11-26", status="leaving", myna="no", kakuninsho="held", oshirase="held")
    assert v.can_see_doctor is True
    assert ("carry", "kakuninsho") in steps(v)
    assert step(v, "return", "kakuninsho").on == "leaving"
    assert step(v, "dispose", "oshirase").on == "leaving"
    assert "leaving_undated" in codes(v) and "membership_ended" not in codes(v)


# ---- 6. contradictions are refused; facts that cannot matter are named -----------------


def test_joining_after_leaving_is_refused_naming_both_facts() -> None:
    with pytest.raises(ContradictoryFacts) as caught:
        judge("2026-11-26", joined_on="2026-12-01", left_on="2026-11-30")
    assert set(caught.value.facts) == {"joined_on", "left_on"}
    # Joined again on the day it was lost: a 同日得喪 (定年再雇用), refused for that reason.
    with pytest.raises(ContradictoryFacts) as same_day:
        judge("2026-11-26", joined_on="2026-11-30", left_on="2026-11-30")
    assert same_day.value.code == "contradiction_same_day_rejoined"
    judge("2026-11-26", joined_on="2026-11-29", left_on="2026-11-30")  # one day: allowed


def test_a_kakuninsho_expiry_more_than_five_years_ahead_is_refused() -> None:
    judge("2026-11-26", kakuninsho="held", kakuninsho_expiry="2031-11-26")
    with pytest.raises(ContradictoryFacts):
        judge("2026-11-26", kakuninsho="held", kakuninsho_expiry="2031-11-27")


def test_retirement_day_and_leaving_day_must_agree() -> None:
    v = judge("2026-11-26", retired_on="2026-10-31", kakuninsho="held")
    assert v.facts.left_on == date(2026, 11, 1) and v.why_not is WhyNot.ENDED
    judge("2026-11-26", retired_on="2026-10-31", left_on="2026-11-01")
    with pytest.raises(Exception, match="contradiction_retired"):
        judge("2026-11-26", retired_on="2026-10-31", left_on="2026-10-31")


def test_still_enrolled_with_a_leaving_day_is_leaving_soon_but_not_after_that_day() -> None:
    # The day before 資格喪失日: still a member, leaving tomorrow.
    v = judge("2026-11-30", status="enrolled", left_on="2026-12-01", myna="yes")
    assert v.facts.left_on == date(2026, 12, 1) and v.coverage.value == "yes"
    for as_of in ("2026-12-01", "2026-12-02"):  # on the day and after: no longer enrolled
        with pytest.raises(Exception, match="contradiction_enrolled_left"):
            judge(as_of, status="enrolled", left_on="2026-12-01")
    with pytest.raises(Exception, match="contradiction_enrolled_left"):
        judge("2026-12-01", status="enrolled", retired_on="2026-11-30")
    with pytest.raises(Exception, match="contradiction_enrolled_left"):
        judge("2026-12-01", status="leaving", left_on="2026-12-01")  # "leaving" is ahead too
    assert judge("2026-11-30", status="leaving", left_on="2026-12-01").facts.left_on
    judge("2026-12-01", status="left", left_on="2026-12-01")  # as it should be said


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"myna": "no", "cert_expiry": "2030-01-01"}, "unused_cert_expiry"),
        ({"kakuninsho": "none", "kakuninsho_expiry": "2027-11-30"}, "unused_kakuninsho_expiry"),
        ({"myna": "no", "portal": "yes"}, "unused_portal"),
        ({"myna": "lost", "reader": "none"}, "unused_reader"),
        ({"unreachable": "yes"}, "unused_unreachable"),
        ({"left_on": "2026-10-01", "name_changed": "yes"}, "unused_name_changed"),
    ],
)
def test_a_fact_that_cannot_matter_is_named_not_dropped(facts: dict[str, str], code: str) -> None:
    assert code in codes(judge("2026-11-26", **facts))


def test_facts_that_matter_are_not_called_unused() -> None:
    v = judge("2026-11-26", myna="unknown", cert_expiry="2030-01-01", portal="yes")
    assert not {c for c in codes(v) if c.startswith("unused_")}


# ---- 7. the 資格確認書 is renewed without applying ------------------------------------


def test_members_without_myna_hear_a_new_kakuninsho_comes_as_the_old_one_nears_expiry() -> None:
    assert "kakuninsho_renewal_coming" not in codes(judge("2027-09-30", kakuninsho="held"))
    assert "kakuninsho_renewal_coming" in codes(judge("2027-10-01", kakuninsho="held"))
    assert "kakuninsho_renewal_coming" in codes(judge("2027-11-29", kakuninsho="held"))
    assert "kakuninsho_renewal_today" in codes(judge("2027-11-30", kakuninsho="held"))
    with_myna = judge("2027-10-01", myna="yes", kakuninsho="held")
    assert "kakuninsho_renewal_coming" not in codes(with_myna)


def test_an_expired_kakuninsho_and_no_new_one_means_asking_the_kenpo() -> None:
    last = judge("2027-11-30", kakuninsho="held")
    assert ("contact", "kenpo") not in steps(last)
    after = judge("2027-12-01", kakuninsho="held", kakuninsho_expiry="2027-11-30")
    assert reason_keys(step(after, "contact", "kenpo")) == ["contact_kakuninsho_not_renewed"]
    # Its date not given: presumably the renewed one is in hand; read the date on it.
    unsaid = judge("2027-12-01", kakuninsho="held")
    assert ("contact", "kenpo") not in steps(unsaid)
    assert reason_keys(step(unsaid, "check", "kakuninsho")) == ["check_kakuninsho_renewed"]
    assert ("contact", "kenpo") not in steps(judge("2027-12-01", myna="yes", kakuninsho="held"))


# ---- 8. after the grace period, and during it ----------------------------------------


def test_after_the_grace_period_a_kakuninsho_is_coming_and_the_kenpo_helps_meanwhile() -> None:
    last = judge("2027-01-31", myna="yes", cert_expiry="2026-10-15")
    assert ("contact", "kenpo") not in steps(last)
    assert reason_keys(step(last, "carry", "myna")) == ["carry_myna_in_grace"]
    # Said to have none yet: ask the 健保 meanwhile.
    after = judge("2027-02-01", myna="yes", cert_expiry="2026-10-15", kakuninsho="none")
    contact = step(after, "contact", "kenpo")
    assert reason_keys(contact) == ["contact_kakuninsho_after_lapse"]
    assert Src.NATIONAL_KAKUNINSHO_AFTER_LAPSE in contact.sources
    holder = judge("2027-02-01", myna="yes", cert_expiry="2026-10-15", kakuninsho="held")
    assert ("contact", "kenpo") not in steps(holder)
    # Not said: one was sent unasked, so whether a clinic covers them hangs on whether it
    # came (it was "you hold nothing, pay the full cost"), and the first step is to look.
    unsaid = judge("2027-02-01", myna="yes", cert_expiry="2026-10-15")
    assert unsaid.can_see_doctor is None and unsaid.unknown_because == ("kakuninsho",)
    first = unsaid.actions[0]
    assert (first.action.value, first.item.value) == ("check", "kakuninsho")
    assert reason_keys(first) == ["check_kakuninsho_after_lapse"]
    assert Src.NATIONAL_KAKUNINSHO_AFTER_LAPSE in first.sources
    assert ("contact", "kenpo") not in steps(unsaid)  # (the check says to ask if it has not)
    # The last day of grace: the card still works, nothing was sent yet.
    assert judge("2027-01-31", myna="yes", cert_expiry="2026-10-15").can_see_doctor is True


# ---- 9. renew the certificate by its expiry, then by the grace end ----------------------


@pytest.mark.parametrize(
    ("asked", "by"),
    [
        ("2026-06-03", "2026-07-20"),
        ("2026-07-20", "2026-07-20"),
        ("2026-07-21", "2026-10-31"),
        ("2026-10-31", "2026-10-31"),
        ("2026-11-01", "2026-10-31"),  # overdue
    ],
)
def test_renew_is_due_by_the_expiry_while_valid_then_by_the_grace_end(asked: str, by: str) -> None:
    v = judge(asked, myna="yes", cert_expiry="2026-07-20")
    assert step(v, "renew", "myna_cert").by == date.fromisoformat(by)


# ---- 10. new members, and a お知らせ never received ------------------------------------


def test_a_new_member_hears_around_when_the_card_shows_the_membership() -> None:
    v = judge("2026-11-20", myna="yes", joined_on="2026-11-18", oshirase="none")
    check = step(v, "check", "mynaportal")
    assert params(check)["ready"] == "2026-11-23"
    assert "oshirase_coming" in codes(v)
    assert ("contact", "kenpo") not in steps(v)  # the お知らせ comes once registered
    # Asked about only once the post had its time (14 days, the 資格取得日 counting).
    posted = judge("2026-12-01", myna="yes", joined_on="2026-11-18", oshirase="none")
    assert ("contact", "kenpo") not in steps(posted)
    later = judge("2026-12-02", myna="yes", joined_on="2026-11-18", oshirase="none")
    assert reason_keys(step(later, "contact", "kenpo")) == ["contact_oshirase_never_received"]
    assert Src.OSHIRASE_EVERYONE in step(later, "contact", "kenpo").sources


def test_a_member_who_never_received_the_oshirase_is_not_told_it_is_not_reissued() -> None:
    v = judge("2026-11-26", myna="yes", oshirase="none")
    assert "oshirase_not_reissued" not in codes(v)
    assert ("contact", "kenpo") in steps(v)
    lost = judge("2026-11-26", myna="yes", oshirase="lost")
    assert "oshirase_not_reissued" in codes(lost) and ("contact", "kenpo") not in steps(lost)


# ---- 11. a lost My Number card is suspended by phone first -----------------------------


def test_a_lost_my_number_card_is_suspended_by_phone_before_anything_else() -> None:
    v = judge("2026-11-26", myna="lost", kakuninsho="held")
    assert (v.actions[0].action.value, v.actions[0].item.value) == ("contact", "myna_card")
    assert ("renew", "myna_card") in steps(v)
    # Leaving in three days, with dated steps (国民健康保険, 任意継続): the call still first.
    leaver = judge("2026-12-07", myna="lost", kakuninsho="none", retired_on="2026-12-10")
    assert [a for a in leaver.actions if a.by is not None], "dated steps to come after"
    assert (leaver.actions[0].action.value, leaver.actions[0].item.value) == (
        "contact",
        "myna_card",
    )


@pytest.mark.parametrize(
    ("asked", "first"),
    [("2026-12-03", "kakuninsho"), ("2026-12-04", "nini_keizoku"), ("2026-12-07", "nini_keizoku")],
)
def test_the_last_days_of_nini_keizoku_come_before_a_return_already_late(
    asked: str, first: str
) -> None:
    """任意継続 is applied for within 20 days of the 資格喪失日 or never; a late return is
    still owed tomorrow. In its last three days 任意継続 leads (and the headline names it)."""
    v = judge(asked, left_on="2026-11-16", myna="no", kakuninsho="held", dependants="0")
    nini = step(v, "submit", "nini_keizoku")
    assert nini.by == date(2026, 12, 7) and v.overdue(step(v, "return", "kakuninsho"))
    assert v.actions[0].item.value == first and v.most_urgent == v.actions[0]


# ---- 12. an employer looking at an unreachable leaver --------------------------------


def test_an_unreachable_leavers_verdict_speaks_to_the_employer() -> None:
    v = judge("2026-11-26", left_on="2026-11-16", kakuninsho="held", unreachable="yes")
    assert v.audience is Audience.EMPLOYER
    ja = json.dumps(verdict_dict(v, Messages("ja")), ensure_ascii=False)
    assert "ご自身で処分" not in ja and "回収" in ja
    member = judge("2026-11-26", left_on="2026-11-16", kakuninsho="held")
    assert member.audience is Audience.MEMBER
    assert "ご自身で処分" in json.dumps(verdict_dict(member, Messages("ja")), ensure_ascii=False)


def test_on_the_grace_periods_last_day_the_renewal_is_still_due_not_overdue() -> None:
    last = judge("2027-01-31", myna="yes", cert_expiry="2026-10-15")
    assert reason_keys(step(last, "renew", "myna_cert")) == ["renew_cert_in_grace"]
    after = judge("2027-02-01", myna="yes", cert_expiry="2026-10-15")
    assert reason_keys(step(after, "renew", "myna_cert")) == ["renew_cert_lapsed"]


# ---- found by a reader of the FAQ -----------------------------------------------------


def test_a_card_that_cannot_be_read_here_works_at_another_clinic() -> None:
    v = judge("2026-05-01", myna="yes", oshirase="lost", reader="none")
    assert v.can_see_doctor is False and v.why_not is WhyNot.NO_READER
    ok = judge("2026-05-01", myna="yes", oshirase="lost")
    assert ok.can_see_doctor is True


def test_a_name_change_replaces_the_kakuninsho_and_updates_the_my_number_card() -> None:
    paper = judge("2026-05-01", myna="no", kakuninsho="held", name_changed="yes")
    form = step(paper, "submit", "name_change")
    assert reason_keys(form) == ["submit_name_change", "submit_name_change_kakuninsho"]
    assert Src.NATIONAL_KAKUNINSHO_DETAILS in form.sources
    assert ("renew", "myna_card") not in steps(paper)
    card = judge("2026-05-01", myna="yes", name_changed="yes")
    assert reason_keys(step(card, "renew", "myna_card")) == ["change_myna_card_details"]
    assert Src.NATIONAL_MYNA_DETAILS in step(card, "renew", "myna_card").sources
    assert reason_keys(step(card, "submit", "name_change")) == ["submit_name_change"]


def test_a_leaver_hears_what_covers_them_next() -> None:
    for v in (
        judge("2026-06-10", left_on="2026-06-01"),
        judge("2026-05-10", left_on="2026-06-01"),
        judge("2026-05-10", status="leaving"),
        judge("2026-07-10", left_on="2026-06-01"),
    ):
        assert codes(v) & {"next_insurance", "next_insurance_by", "next_insurance_late"}
    assert not any(c.startswith("next_insurance") for c in codes(judge("2026-06-10")))
    employer = judge("2026-06-10", left_on="2026-06-01", kakuninsho="held", unreachable="yes")
    assert not any(c.startswith("next_insurance") for c in codes(employer))  # unreachable
    assert Src.NATIONAL_NEXT_INSURANCE in rulepack.builtin().sources  # kenpo sources lists it


@pytest.mark.parametrize(
    ("left_on", "asked", "by"),
    [
        ("2026-06-03", "2026-05-10", date(2026, 6, 22)),  # day 20 (the 資格喪失日 is day 1)
        ("2026-06-03", "2026-06-22", date(2026, 6, 22)),  # on the day itself
        ("2026-06-03", "2026-06-23", None),  # day 21: too late, and said so
        ("2026-06-01", "2026-06-22", date(2026, 6, 22)),  # day 20 a Saturday: the Monday
        ("2026-06-01", "2026-06-23", None),
    ],
)
def test_the_last_day_to_apply_for_nini_keizoku_is_20_days_from_the_leaving_day(
    left_on: str, asked: str, by: date | None
) -> None:
    v = judge(asked, left_on=left_on)
    notices = {w.code: dict(w.params) for w in v.warnings}
    if by is None:
        assert "next_insurance_late" in notices
        assert ("submit", "nini_keizoku") not in steps(v)
    else:
        assert "next_insurance_late" not in notices
        assert step(v, "submit", "nini_keizoku").by == by


@pytest.mark.parametrize(
    ("asked", "due"),
    [("2026-08-14", False), ("2026-08-15", True), ("2026-11-15", True)],
)
def test_renewal_opens_three_calendar_months_before_the_expiry(asked: str, due: bool) -> None:
    v = judge(asked, myna="yes", cert_expiry="2026-11-15")
    assert (("renew", "myna_cert") in steps(v)) is due


def test_renewal_opens_on_the_last_day_of_a_shorter_month() -> None:
    assert ("renew", "myna_cert") not in steps(
        judge("2026-02-27", myna="yes", cert_expiry="2026-05-31")
    )
    assert ("renew", "myna_cert") in steps(
        judge("2026-02-28", myna="yes", cert_expiry="2026-05-31")
    )


def test_a_deadline_comes_before_a_step_that_starts_earlier() -> None:
    v = judge(
        "2026-11-26",
        left_on="2026-12-16",
        myna="yes",
        cert_expiry="2027-01-20",
        kakuninsho="held",
    )
    order = [(a.action.value, a.item.value) for a in v.actions]
    # The return is due with the employer's filing, 5 days from 2026-12-16 (a Sunday:
    # the Monday), before the certificate's expiry; both before the undated keep.
    assert step(v, "return", "kakuninsho").by == date(2026, 12, 21)
    assert order.index(("return", "kakuninsho")) < order.index(("renew", "myna_cert"))
    assert step(v, "return", "kakuninsho").from_ == date(2026, 12, 16)
    assert order.index(("renew", "myna_cert")) < order.index(("keep", "kakuninsho"))


def test_nothing_to_show_means_asking_the_kenpo_but_not_for_a_clinic_without_a_reader() -> None:
    nothing = judge("2026-11-26", myna="no", kakuninsho="none", oshirase="held", name_changed="yes")
    assert reason_keys(step(nothing, "contact", "kenpo")) == ["contact_no_document"]
    elsewhere = judge("2026-11-26", myna="yes", oshirase="lost", reader="none")
    assert elsewhere.why_not is WhyNot.NO_READER
    assert "contact_no_document" not in {r.key for a in elsewhere.actions for r in a.reasons}


def test_an_expiry_printed_on_a_kakuninsho_says_one_is_held_unless_told_otherwise() -> None:
    v = judge("2026-11-26", left_on="2026-11-01", kakuninsho_expiry="2027-11-30")
    assert v.facts.kakuninsho.value == "held" and ("return", "kakuninsho") in steps(v)
    v = judge("2026-11-26", kakuninsho="none", kakuninsho_expiry="2027-11-30")
    assert v.facts.kakuninsho.value == "none"  # said outright: not overruled
    assert "unused_kakuninsho_expiry" in {w.code for w in v.warnings}


def test_a_kakuninsho_is_carried_when_the_clinic_cannot_read_the_card() -> None:
    facts = {"myna": "yes", "kakuninsho": "held", "oshirase": "lost", "portal": "no"}
    v = judge("2026-11-27", reader="none", **facts)
    assert [[i.value for i in p] for p in v.present] == [["kakuninsho"]]
    assert ("carry", "kakuninsho") in steps(v) and ("keep", "kakuninsho") not in steps(v)
    v = judge("2026-11-27", reader="ok", **facts)  # a reader: the card does, it stays home
    assert ("keep", "kakuninsho") in steps(v) and ("carry", "kakuninsho") not in steps(v)


@pytest.mark.parametrize(
    ("left_on", "last_day"),
    [(None, "2025-12-01"), ("2025-12-02", "2025-12-01"), ("2025-12-01", "2025-11-30"),
     ("2025-11-20", "2025-11-19")],
)  # fmt: skip
def test_the_old_cards_last_day_on_the_timeline_is_this_members(
    left_on: str | None, last_day: str
) -> None:
    leaving = {"left_on": left_on} if left_on else {}
    v = judge("2025-11-10", myna="yes", old_card="held", **leaving)
    ends = [k.day.isoformat() for k in v.key_dates if k.event == "old_card_end"]
    assert ends == [last_day]


def test_a_leaver_on_a_known_day_hears_no_if_about_the_kakuninsho_return() -> None:
    # Leaving on 2026-12-16 with a 資格確認書 valid to 2027-11-30: it goes back, no "if".
    dated = judge("2026-11-27", myna="no", kakuninsho="held", left_on="2026-12-16")
    assert step(dated, "return", "kakuninsho").reasons[0].key == "return_kakuninsho_dated"
    assert dict(step(dated, "return", "kakuninsho").reasons[0].params) == {"last": "2026-12-15"}
    undated = judge("2026-11-27", myna="yes", kakuninsho="held", status="leaving")
    assert step(undated, "return", "kakuninsho").reasons[0].key == "return_kakuninsho"
    # Without a マイナ保険証 the renewed card comes before this one expires: it goes back.
    renewed = judge("2026-11-27", myna="no", kakuninsho="held", status="leaving")
    assert step(renewed, "return", "kakuninsho").reasons[0].key == "return_kakuninsho_renewed"


# ---- boundaries the mutation run found unguarded (tests/mutation_run.py) ---------------


def test_a_society_that_wants_even_an_expired_kakuninsho_back_gets_it_back() -> None:
    ours = rulepack.builtin()
    strict = ours._replace(kakuninsho_return_if_expired=True)
    facts = {"left_on": "2027-12-01", "kakuninsho": "held", "kakuninsho_expiry": "2027-11-30"}
    assert ("dispose", "kakuninsho") in steps(judge("2028-01-10", **facts))
    held = judge("2028-01-10", rules=strict, **facts)
    assert ("return", "kakuninsho") in steps(held) and ("dispose", "kakuninsho") not in steps(held)


def test_only_a_leaver_without_a_myna_hoken_is_told_a_renewed_kakuninsho_may_have_come() -> None:
    common = {"left_on": "2027-12-01", "kakuninsho": "held"}
    without = judge("2028-01-10", myna="no", **common)
    assert reason_keys(step(without, "return", "kakuninsho")) == ["return_kakuninsho_renewed_left"]
    holder = judge("2028-01-10", myna="yes", cert_expiry="2030-05-01", **common)
    assert reason_keys(step(holder, "dispose", "kakuninsho")) == ["dispose_kakuninsho_left"]


@pytest.mark.parametrize(("expiry", "told"), [("2026-11-25", True), ("2026-11-26", False)])
def test_a_lapsed_certificate_with_an_expired_kakuninsho_is_told_to_ask_the_kenpo(
    expiry: str, told: bool
) -> None:
    # The certificate lapsed long ago (grace over); the 資格確認書 held ran out yesterday,
    # or runs out today (still valid: it is what the member shows).
    v = judge(
        "2026-11-26",
        myna="yes",
        cert_expiry="2025-06-10",
        kakuninsho="held",
        kakuninsho_expiry=expiry,
    )
    asked = [a for a in v.actions if "contact_kakuninsho_after_lapse" in reason_keys(a)]
    assert bool(asked) is told


@pytest.mark.parametrize(("cert", "checks"), [("2026-11-26", True), ("2026-11-25", False)])
def test_a_name_change_is_checked_in_the_portal_only_while_the_certificate_lives(
    cert: str, checks: bool
) -> None:
    v = judge("2026-11-26", myna="yes", cert_expiry=cert, name_changed="yes")
    portal = [a for a in v.actions if "check_portal_name_change" in reason_keys(a)]
    assert bool(portal) is checks


@pytest.mark.parametrize(("joined", "portal"), [("2026-11-20", True), ("2026-11-25", False)])
def test_the_portal_screen_stands_in_only_once_a_new_members_card_shows_the_membership(
    joined: str, portal: bool
) -> None:
    # Five days after joining the card is updated (myna_update_days): the portal's screen
    # then shows this membership; before, it shows the old insurer or nothing.
    v = judge(
        "2026-11-26",
        joined_on=joined,
        myna="yes",
        cert_expiry="2030-01-31",
        portal="yes",
        oshirase="held",
    )
    assert (("carry", "portal_screen") in steps(v)) is portal


@pytest.mark.parametrize(("asked", "lapsed"), [("2026-06-30", False), ("2026-07-01", True)])
def test_the_lapsed_certificate_warning_starts_the_day_after_the_grace_end(
    asked: str, lapsed: bool
) -> None:
    v = judge(asked, myna="yes", cert_expiry="2026-03-15")  # grace to 2026-06-30
    assert v.actions is not None
    assert ("cert_lapsed" in codes(v)) is lapsed


@pytest.mark.parametrize(("asked", "shown"), [("2025-12-01", True), ("2025-12-02", False)])
def test_the_old_cards_last_day_is_on_the_timeline_while_it_is_ahead(
    asked: str, shown: bool
) -> None:
    v = judge(asked, old_card="none", myna="yes", cert_expiry="2029-01-31")
    assert ("old_card_end" in {k.event for k in v.key_dates}) is shown


# ---- what the FAQ leaves open: national rules, "not said", the renewed card (issue 21) ---


def test_a_kakuninsho_not_said_is_not_none_for_a_member_without_a_myna_hoken() -> None:
    # One was sent unasked (faq-old-card-until): coverage hangs on whether it came.
    v = judge("2026-05-20", myna="no", oshirase="held")
    assert v.can_see_doctor is None and v.unknown_because == ("kakuninsho",)
    assert v.actions[0].action.value == "check" and v.actions[0].item is Item.KAKUNINSHO
    assert reason_keys(v.actions[0]) == ["check_kakuninsho_came"]
    assert "pay_in_full_meanwhile" not in codes(v)
    cited(v, Src.KAKUNINSHO_WITHOUT_MYNA)
    # Said outright: nothing to show, and the member hears what to do.
    none = judge("2026-05-20", myna="no", kakuninsho="none", oshirase="held")
    assert none.can_see_doctor is False and "pay_in_full_meanwhile" in codes(none)
    # A マイナ保険証 holder was sent none: "not said" is "none" for them.
    holder = judge("2026-05-20", myna="yes", oshirase="held")
    assert holder.can_see_doctor and ("check", "kakuninsho") not in steps(holder)


@pytest.mark.parametrize(("asked", "open_"), [("2025-12-01", False), ("2025-12-02", True)])
def test_before_the_transition_ended_a_kakuninsho_not_said_had_not_been_needed(
    asked: str, open_: bool
) -> None:
    v = judge(asked, myna="no", old_card="held")
    assert (("check", "kakuninsho") in steps(v)) is open_


def test_a_leaver_without_a_myna_hoken_owes_back_a_kakuninsho_not_said_if_it_came() -> None:
    v = judge("2026-12-10", left_on="2026-12-01", myna="no")
    back = step(v, "return", "kakuninsho")
    assert reason_keys(back)[-2:] == ["kakuninsho_if_received", "kakuninsho_if_lost"]
    assert back.by == date(2026, 12, 7)  # 5 days from 12-01 is Saturday 12-05: the Monday
    cited(v, Src.NATIONAL_LOSS_NOTIFICATION)


@pytest.mark.parametrize(
    ("left_on", "by"),
    [("2026-12-01", date(2026, 12, 7)), ("2026-12-02", date(2026, 12, 7)),
     ("2026-12-03", date(2026, 12, 7)), ("2026-12-04", date(2026, 12, 8)),
     ("2026-12-28", date(2027, 1, 4)), ("2027-04-28", date(2027, 5, 6))],
)  # fmt: skip
def test_a_return_is_due_with_the_employers_filing_5_days_from_the_leaving_day(
    left_on: str, by: date
) -> None:
    # Day 5 counts the 資格喪失日 as day 1; weekends, holidays and the New Year move it on.
    v = judge("2026-11-20", left_on=left_on, myna="no", kakuninsho="held")
    assert step(v, "return", "kakuninsho").by == by


def test_an_overdue_return_is_overdue_with_its_date() -> None:
    v = judge("2026-12-09", left_on="2026-12-01", kakuninsho="held")
    assert step(v, "return", "kakuninsho").by == date(2026, 12, 7)
    doc = verdict_dict(v, Messages("en"))
    back = next(a for a in doc["actions"] if a["action"] == "return")
    assert back["overdue"] is True and back["by"] == "2026-12-07"
    on_time = judge("2026-12-07", left_on="2026-12-01", kakuninsho="held")
    doc = verdict_dict(on_time, Messages("en"))
    assert "overdue" not in next(a for a in doc["actions"] if a["action"] == "return")


def test_the_lost_and_unreachable_reports_are_due_with_the_filing_too() -> None:
    lost = judge("2026-12-10", left_on="2026-12-01", kakuninsho="lost")
    assert step(lost, "submit", "kakuninsho_loss_report").by == date(2026, 12, 7)
    gone = judge("2026-12-10", left_on="2026-12-01", kakuninsho="held", unreachable="yes")
    assert step(gone, "submit", "kakuninsho_loss_report").by == date(2026, 12, 7)


def test_a_leaver_hands_the_kakuninsho_in_on_the_last_working_day() -> None:
    v = judge("2026-11-20", left_on="2026-12-01", myna="no", kakuninsho="held")
    assert params(step(v, "return", "kakuninsho")) == {"last": "2026-11-30"}
    text = Messages("ja")("reason", "return_kakuninsho_dated", last="2026-11-30")
    assert "2026年11月30日(月)" in text and "有効なので" not in text


def test_a_leaver_is_never_told_the_kakuninsho_works_to_its_printed_expiry() -> None:
    v = judge("2026-11-20", left_on="2026-12-01", myna="no", kakuninsho="held")
    carry = step(v, "carry", "kakuninsho")
    assert reason_keys(carry) == ["carry_kakuninsho_leaving"]
    assert params(carry) == {"last": "2026-11-30"}


@pytest.mark.parametrize(
    ("joined", "left", "asked", "nini"),
    [
        ("2026-10-01", "2026-12-01", "2026-11-20", "apply_nini_keizoku"),  # exactly 2 months
        ("2026-10-02", "2026-12-01", "2026-11-20", None),  # a day short
        (None, "2026-12-01", "2026-11-20", "apply_nini_keizoku_if_two_months"),
    ],
)
def test_nini_keizoku_needs_two_months_of_membership(
    joined: str | None, left: str, asked: str, nini: str | None
) -> None:
    given = {"joined_on": joined} if joined else {}
    v = judge(asked, left_on=left, myna="yes", **given)
    if nini is None:
        assert ("submit", "nini_keizoku") not in steps(v)
        assert "nini_keizoku_too_short" in codes(v)
    else:
        assert reason_keys(step(v, "submit", "nini_keizoku")) == [nini]
        cited(v, Src.NATIONAL_NINI_KEIZOKU)
    kokuho = step(v, "submit", "kokuho")  # the other path is there either way
    assert kokuho.by == date(2026, 12, 14)  # day 14 from 12-01
    cited(v, Src.NATIONAL_KOKUHO)


@pytest.mark.parametrize(
    ("asked", "key"),
    [
        ("2026-12-14", "join_kokuho"),
        ("2026-12-15", "join_kokuho_late"),
        ("2027-06-01", "join_kokuho_late"),
    ],
)
def test_a_kokuho_report_past_its_day_is_worded_as_late(asked: str, key: str) -> None:
    # The last day (day 14 from 12-01) still says "by"; the day after, "now, though late".
    v = judge(asked, left_on="2026-12-01", myna="yes")
    kokuho = step(v, "submit", "kokuho")
    assert reason_keys(kokuho) == [key] and kokuho.by == date(2026, 12, 14)
    assert v.overdue(kokuho) is (key == "join_kokuho_late")


def test_the_next_insurance_steps_are_the_members_not_the_employers() -> None:
    v = judge("2026-12-03", left_on="2026-12-01", kakuninsho="held", unreachable="yes")
    assert v.audience is Audience.EMPLOYER
    assert ("submit", "kokuho") not in steps(v) and ("submit", "nini_keizoku") not in steps(v)
    undated = judge("2026-12-03", status="leaving", myna="yes")
    assert step(undated, "submit", "kokuho").on == "leaving"
    assert step(undated, "submit", "kokuho").by is None


def test_no_old_card_was_issued_after_cards_stopped() -> None:
    # Joined on the day cards stopped: the card in hand is the previous insurer's.
    theirs = judge("2025-06-01", joined_on="2024-12-02", myna="no", old_card="held")
    assert (Item.OLD_CARD,) not in theirs.present
    assert ("carry", "old_card") not in steps(theirs) and ("keep", "old_card") not in steps(theirs)
    assert reason_keys(step(theirs, "return", "old_card")) == ["return_old_card_previous"]
    cited(theirs, Src.NATIONAL_NO_NEW_CARDS)
    ours = judge("2025-06-01", joined_on="2024-12-01", myna="no", old_card="held")
    assert (Item.OLD_CARD,) in ours.present and ("carry", "old_card") in steps(ours)
    later = judge("2026-06-01", joined_on="2025-02-01", myna="yes", old_card="held")
    assert reason_keys(step(later, "dispose", "old_card")) == ["dispose_old_card_previous"]


@pytest.mark.parametrize(
    ("asked", "covered"),
    [("2025-12-01", True), ("2025-12-02", True), ("2026-03-31", True), ("2026-04-01", False)],
)
def test_the_transition_measure_lets_clinics_take_the_old_card_to_2026_03_31(
    asked: str, covered: bool
) -> None:
    v = judge(asked, myna="no", kakuninsho="none", old_card="held", oshirase="none")
    assert v.can_see_doctor is covered
    measure = "transition_measure" in codes(v)
    assert measure is (asked != "2025-12-01" and covered)
    if measure:
        cited(v, Src.NATIONAL_TRANSITION_MEASURE)
        assert step(v, "dispose", "old_card").from_ == date(2026, 4, 1)


def test_the_transition_measure_takes_the_oshirase_alone_and_only_when_nothing_else_works() -> None:
    alone = judge("2026-01-10", myna="no", kakuninsho="none", oshirase="held")
    assert alone.present == ((Item.OSHIRASE,),) and "transition_measure" in codes(alone)
    after = judge("2026-04-01", myna="no", kakuninsho="none", oshirase="held")
    assert not after.can_see_doctor and "transition_measure" not in codes(after)
    with_card = judge("2026-01-10", myna="yes", oshirase="held")
    assert (Item.OSHIRASE,) not in with_card.present and "transition_measure" not in codes(
        with_card
    )


@pytest.mark.parametrize(("asked", "waits"), [("2026-11-14", True), ("2026-11-15", False)])
def test_a_new_joiner_without_documents_waits_for_the_post_before_asking(
    asked: str, waits: bool
) -> None:
    # Joined 2026-11-01: 14 days (the 資格取得日 counting) for the filing, the work and the post.
    v = judge(asked, joined_on="2026-11-01", myna="no", kakuninsho="none", oshirase="none")
    if waits:
        wait = step(v, "check", "kakuninsho")
        assert reason_keys(wait) == ["wait_documents_joiner"]
        assert params(wait) == {"come_by": "2026-11-14"}
        assert ("contact", "kenpo") not in steps(v)
        cited(v, Src.NATIONAL_ACQUISITION)
    else:
        assert ("contact", "kenpo") in steps(v)


def test_a_joiner_without_a_myna_hoken_is_sent_a_kakuninsho_on_joining() -> None:
    v = judge("2025-06-10", joined_on="2025-06-01", myna="no", oshirase="none")
    assert "kakuninsho_coming" not in codes(v)  # not "for visits after 2025-12-01"
    assert reason_keys(step(v, "check", "kakuninsho")) == ["check_kakuninsho_joiner"]


def test_a_lapsed_card_and_a_lost_kakuninsho_get_the_reissue() -> None:
    v = judge("2027-03-01", myna="yes", cert_expiry="2026-10-15", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") in steps(v)
    assert "kakuninsho_not_reissued" not in codes(v)
    working = judge("2026-11-01", myna="yes", cert_expiry="2027-10-15", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") not in steps(working)
    assert "kakuninsho_not_reissued" in codes(working)


def test_an_unreachable_leavers_old_card_gets_its_report_as_a_step() -> None:
    v = judge("2025-11-20", left_on="2025-11-16", old_card="held", unreachable="yes")
    report = step(v, "submit", "old_card_loss_report")
    assert report.by == date(2025, 11, 20)
    reachable = judge("2025-11-20", left_on="2025-11-16", old_card="held")
    assert ("return", "old_card") in steps(reachable)


def test_an_undated_leavers_old_card_is_a_return_step_while_the_duty_may_exist() -> None:
    v = judge("2026-06-01", status="left", old_card="held", myna="yes")
    assert reason_keys(step(v, "return", "old_card")) == ["return_old_card_if_left_by"]
    assert ("dispose", "old_card") not in steps(v)


def test_a_renewed_kakuninsho_is_one_rule_for_members_and_leavers() -> None:
    member = judge("2028-01-10", myna="no", kakuninsho="held")
    assert member.can_see_doctor is None
    assert ("dispose", "kakuninsho") not in steps(member)
    leaver = judge("2028-01-10", left_on="2028-01-05", myna="no", kakuninsho="held")
    assert reason_keys(step(leaver, "return", "kakuninsho")) == ["return_kakuninsho_renewed_left"]
    assert ("dispose", "kakuninsho") not in steps(leaver)


def cited(v: object, *sources: str) -> None:
    found = cites(v)  # type: ignore[arg-type]
    for s in sources:
        assert s in found, f"{s} not cited; cited: {sorted(found)}"


@pytest.mark.parametrize(
    ("asked", "warned"), [("2026-12-03", True), ("2026-12-16", True), ("2026-12-17", False)]
)
def test_a_joiners_card_in_the_first_days_may_be_the_previous_insurers(
    asked: str, warned: bool
) -> None:
    # Joined 12-03: ours is on its way for 14 days (the post), so the card in hand then
    # may be the previous insurer's: read the insurer's name on it first. It was "carry
    # it: you can see a doctor", and a note below said it might be the wrong insurer's.
    v = judge(asked, joined_on="2026-12-03", myna="no", kakuninsho="held")
    first = v.actions[0]
    assert ((first.action.value, first.item.value) == ("check", "kakuninsho")) is warned
    assert (reason_keys(first) == ["check_kakuninsho_joiner_whose"]) is warned
    assert (v.can_see_doctor is None) is warned and (
        ("carry", "kakuninsho") in steps(v)
    ) is not warned
    assert judge(asked, myna="no", kakuninsho="held").can_see_doctor is True  # not joining
    # Before joining, the card in hand is the previous insurer's: not "it works from the
    # day you join".
    before = judge("2026-11-28", joined_on="2026-12-03", myna="no", kakuninsho="held")
    assert [reason_keys(a) for a in before.actions if a.item.value == "kakuninsho"] == [
        ["check_kakuninsho_joiner_previous"]
    ]


def test_unsure_whether_the_card_is_registered_carries_the_oshirase_with_it() -> None:
    # faq-oshirase-carry: the お知らせ goes with the card, in case the card is registered
    # but cannot be read; without a My Number card at all it stays at home.
    unsure = judge("2026-12-06", myna="unknown", oshirase="held")
    assert reason_keys(step(unsure, "carry", "oshirase")) == ["carry_oshirase_unsure"]
    cited(unsure, Src.OSHIRASE_CARRY)
    without = judge("2026-12-06", myna="no", kakuninsho="held", oshirase="held")
    assert ("carry", "oshirase") not in steps(without) and ("keep", "oshirase") in steps(without)


@pytest.mark.parametrize(
    ("leaving", "key"),
    [
        ({"retired_on": "2026-12-31"}, "keep_kakuninsho_until_return"),  # a known day
        ({"status": "leaving"}, "keep_kakuninsho_with_myna"),  # leaving, day not known
        ({}, "keep_kakuninsho_with_myna"),  # staying
    ],
)
def test_a_myna_holder_leaving_on_a_known_day_keeps_the_card_until_the_return(
    leaving: dict[str, str], key: str
) -> None:
    verdict = judge(
        "2026-12-07", myna="yes", kakuninsho="held", cert_expiry="2029-01-01", **leaving
    )
    assert reason_keys(step(verdict, "keep", "kakuninsho")) == [key]
    # Never "no need to give it back now" beside a dated step to give it back.
    returns = [a for a in verdict.actions if a.action.value == "return"]
    assert bool(returns and returns[0].by) is (key == "keep_kakuninsho_until_return")


@pytest.mark.parametrize(
    ("as_of", "key"),
    [("2026-12-31", "keep_oshirase_before_joining"), ("2027-01-01", "keep_oshirase_new_member")],
)
def test_an_oshirase_held_before_joining_is_the_previous_insurers(as_of: str, key: str) -> None:
    # This 健保's お知らせ is sent once the membership is registered: the day before the
    # 資格取得日, one in hand is not "ours, never expiring".
    verdict = judge(as_of, joined_on="2027-01-01", myna="yes", cert_expiry="2030-01-01")
    assert reason_keys(step(verdict, "keep", "oshirase")) == [key]


@pytest.mark.parametrize(
    ("expiry", "keep", "returned"),
    [
        ("2026-12-20", "keep_kakuninsho_until_expiry", False),  # expires before leaving
        ("2027-01-01", "keep_kakuninsho_until_return", True),  # valid on the 資格喪失日
    ],
)
def test_a_card_expiring_before_the_leaving_day_is_never_said_to_go_back(
    expiry: str, keep: str, returned: bool
) -> None:
    verdict = judge(
        "2026-12-07",
        myna="yes",
        kakuninsho="held",
        kakuninsho_expiry=expiry,
        retired_on="2026-12-31",
        cert_expiry="2029-01-01",
    )
    assert reason_keys(step(verdict, "keep", "kakuninsho")) == [keep]
    assert (("return", "kakuninsho") in steps(verdict)) is returned
    if not returned:  # thrown away from the day after it expires, not from leaving
        assert step(verdict, "dispose", "kakuninsho").from_ == date(2026, 12, 21)


@pytest.mark.parametrize(
    ("leaving", "asked"),
    [({}, True), ({"status": "leaving"}, False), ({"retired_on": "2026-12-31"}, False)],
)
def test_a_leaver_is_not_sent_to_chase_an_oshirase_never_received(
    leaving: dict[str, str], asked: bool
) -> None:
    # A leaver throws the お知らせ away on leaving (faq-oshirase-leaving): asking the 健保
    # for one was the first step of a leaver who did not tick it in the wizard.
    verdict = judge("2026-12-07", myna="yes", oshirase="none", cert_expiry="2029-01-01", **leaving)
    keys = {r.key for a in verdict.actions for r in a.reasons}
    assert ("contact_oshirase_never_received" in keys) is asked


def test_with_nothing_to_show_the_reissue_comes_before_the_leaving_deadlines() -> None:
    # Insured until leaving, but nothing works at reception: the new card is the first job.
    verdict = judge(
        "2026-12-07", myna="no", kakuninsho="lost", retired_on="2026-12-31", dependants="2"
    )
    assert verdict.can_see_doctor is False
    first = verdict.actions[0]
    assert (first.action.value, first.item.value) == ("submit", "kakuninsho_reissue")
    # With a document that works, the dated steps keep their place.
    held = judge("2026-12-07", myna="no", kakuninsho="held", retired_on="2026-12-31")
    assert held.actions[0].by is not None


@pytest.mark.parametrize(
    ("myna", "kakuninsho", "kept"),
    [("no", "none", True), ("no", "held", False), ("yes", "none", False)],
)
def test_before_the_cards_stop_one_with_nothing_else_keeps_it_for_the_measure(
    myna: str, kakuninsho: str, kept: bool
) -> None:
    # On 2025-12-01 a member with no 資格確認書 yet and no マイナ保険証 was told to throw the
    # card away from the next day, the day kenpo told them to carry it under the measure.
    v = judge("2025-12-01", myna=myna, kakuninsho=kakuninsho, old_card="held")
    away = step(v, "dispose", "old_card")
    if kept:
        assert reason_keys(away) == ["keep_old_card_for_measure"]
        assert away.from_ == date(2026, 4, 1)
        assert Src.NATIONAL_TRANSITION_MEASURE in away.sources
        after = judge("2025-12-02", myna=myna, kakuninsho=kakuninsho, old_card="held")
        assert ("carry", "old_card") in steps(after)  # the next day: what they show
    else:
        assert reason_keys(away) == ["dispose_old_card_later"]
        assert away.from_ == date(2025, 12, 2)


def test_a_lapsed_card_holders_kakuninsho_after_the_first_expiry_is_presumed_renewed() -> None:
    # Once the grace period was over, the member had no working マイナ保険証 and was sent
    # the renewed 資格確認書 like anyone without one: "throw it away, you hold nothing"
    # was wrong (健保 clerk review, round two).
    lapsed = judge("2027-12-10", myna="yes", cert_expiry="2027-05-10", kakuninsho="held")
    assert reason_keys(lapsed.actions[0]) == ["check_kakuninsho_renewed"]
    assert ("dispose", "kakuninsho") not in steps(lapsed)
    assert lapsed.can_see_doctor is None
    # A card still working at the first expiry (its grace ran past 2027-11-30): not renewed.
    working = judge("2027-12-10", myna="yes", cert_expiry="2027-10-10", kakuninsho="held")
    assert ("dispose", "kakuninsho") in steps(working)
    # Both sides of the boundary: a certificate of 07-31 ran out of grace on 10-31, before
    # the first cards' expiry; one of 08-01 on 11-30, the expiry itself (still working).
    for expiry, renewed in (("2027-07-31", True), ("2027-08-01", False)):
        v = judge("2027-12-10", myna="yes", cert_expiry=expiry, kakuninsho="held")
        assert (("dispose", "kakuninsho") not in steps(v)) is renewed, expiry


@pytest.mark.parametrize(
    ("asked", "kakuninsho", "said"),
    [
        ("2026-12-07", None, True),  # not said: one kept from before registering may work
        ("2026-12-07", "none", False),  # said to have none: apply
        ("2027-12-01", None, False),  # after the first cards' expiry: a kept one is void
        ("2025-10-31", None, False),  # before the cards were sent
    ],
)
def test_a_lost_card_holder_is_told_a_kept_kakuninsho_still_works(
    asked: str, kakuninsho: str | None, said: bool
) -> None:
    # "You hold nothing; apply for a 資格確認書": one sent before registering stays the
    # member's and works to its expiry (健保 clerk review, round two).
    facts = {"myna": "lost"} | ({"kakuninsho": kakuninsho} if kakuninsho else {})
    v = judge(asked, **facts)
    applied = [a for a in v.actions if a.item.value == "kakuninsho_application"]
    keys = [k for a in applied for k in reason_keys(a)]
    assert ("apply_kakuninsho_unless_kept" in keys) is said, keys
    # The headline agrees: with a kept card not ruled out, coverage is not known (it was
    # "you hold nothing" above a step naming the card that works: round three).
    assert (v.coverage.value == "unknown") is said, v.coverage


@pytest.mark.parametrize(
    ("joined", "asked", "told"),
    [
        ("2025-11-01", "2026-01-20", "contact_kakuninsho_during_measure"),  # a member then
        ("2025-11-02", "2026-01-20", "contact_kakuninsho_joiner_during_measure"),
        ("2025-12-01", "2026-01-20", "contact_kakuninsho_joiner_during_measure"),
        ("2025-12-01", "2025-12-03", "wait_documents_joiner"),  # in the post still
    ],
)
def test_a_joiner_after_the_first_cards_went_out_is_not_told_of_november(
    joined: str, asked: str, told: str
) -> None:
    # A joiner of 2025-12-01 with no 資格確認書 was told the cards "were sent around
    # November 2025", and two days after joining to ask where theirs was (健保 clerk).
    v = judge(asked, joined_on=joined, myna="no", kakuninsho="none")
    keys = [k for a in v.actions for k in reason_keys(a)]
    asks = {"contact_kakuninsho_during_measure", "contact_kakuninsho_joiner_during_measure"}
    assert told in keys and not (asks - {told}) & set(keys), keys


@pytest.mark.parametrize(
    ("left_on", "extra", "warned"),
    [
        ("2025-11-15", {"old_card": "held"}, "dependants_unknown_old_card"),
        ("2025-11-15", {}, "dependants_unknown_old_card"),  # not said: "if you still have it"
        ("2025-11-15", {"old_card": "held", "dependants": "0"}, None),
        ("2025-11-15", {"old_card": "none"}, None),  # back already: nothing of theirs said
        ("2025-12-02", {"old_card": "held"}, "dependants_unknown"),  # 資格確認書 by then
    ],
)
def test_a_leaver_of_the_old_cards_days_is_told_the_familys_cards_go_back(
    left_on: str, extra: dict[str, str], warned: str | None
) -> None:
    # A leaver of 2025-11 with dependants not said heard nothing of them; from 2025-12-02
    # the 資格確認書's warning appeared (健保 clerk, round three).
    v = judge("2025-11-17" if left_on < "2025-12" else "2025-12-05", left_on=left_on, **extra)
    codes = {w.code for w in v.warnings} & {"dependants_unknown", "dependants_unknown_old_card"}
    assert codes == ({warned} if warned else set()), codes


@pytest.mark.parametrize("myna", ["lost", "found"])
def test_a_registered_card_holder_is_not_told_the_first_cards_were_sent_to_them(
    myna: str,
) -> None:
    # A lost card's holder, in the measure's months, was told "members without a マイナ
    # 保険証 were sent a 資格確認書 in November: ask if yours has not come" beside "apply
    # for one": they had a マイナ保険証 (hypothesis, on the headline's change).
    v = judge("2026-01-10", myna=myna, kakuninsho="none")
    keys = {k for a in v.actions for k in reason_keys(a)}
    assert "contact_kakuninsho_during_measure" not in keys, keys
    if myna == "lost":
        assert "apply_kakuninsho" in keys


@pytest.mark.parametrize(
    ("left_on", "key"),
    [
        ("2025-11-01", "dependants_old_card"),  # before the first 資格確認書 went out
        ("2025-11-02", "dependants_old_card_sent"),
        ("2025-12-01", "dependants_old_card_sent"),  # the old card's last day
    ],
)
def test_a_november_leavers_family_may_hold_a_kakuninsho_too(left_on: str, key: str) -> None:
    # "The dependants' cards go back (there were no 資格確認書 yet)" under a step for the
    # member's own 資格確認書, "if you have one": in November 2025 they were being sent.
    v = judge("2025-12-01", left_on=left_on, old_card="held", dependants="2", myna="yes")
    keys = reason_keys(step(v, "return", "old_card"))
    assert key in keys and not ({"dependants_old_card", "dependants_old_card_sent"} - {key}) & set(
        keys
    ), keys


@pytest.mark.parametrize(
    ("asked", "code"),
    [
        ("2027-11-29", "kakuninsho_renewal_coming"),
        ("2027-11-30", "kakuninsho_renewal_today"),  # its last day
        ("2027-12-01", None),
    ],
)
def test_the_kakuninshos_last_day_is_said_as_today(asked: str, code: str | None) -> None:
    # On the day itself: "its expiry is coming; a new one comes before then" (健保 clerk,
    # round three). Today is the day to ask if the new one has not come.
    v = judge(asked, myna="no", kakuninsho="held")
    said = {w.code for w in v.warnings} & {"kakuninsho_renewal_coming", "kakuninsho_renewal_today"}
    assert said == ({code} if code else set()), said
