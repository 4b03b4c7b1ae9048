"""Both sides of every date the rules turn on, and the validity answers of ``kenpo expiry``."""

from __future__ import annotations

from datetime import date

import pytest

from kenpo_cli.cli.checking import verdict_for
from kenpo_cli.core.facts import gather
from kenpo_cli.core.model import Item
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.validity import DocumentDates, documents_on, grace_end, status_on
from kenpo_cli.errors import InvalidDate
from tests.helpers import TODAY, judge, params, reason_keys, step, steps


def test_last_day_of_membership_is_covered_and_the_leaving_day_is_not() -> None:
    before = judge("2026-10-15", left_on="2026-10-16", myna="yes")
    assert before.can_see_doctor
    on = judge("2026-10-16", left_on="2026-10-16", myna="yes")
    assert not on.can_see_doctor and on.present == ()


def test_someone_leaving_soon_gets_the_return_step_dated_from_leaving() -> None:
    v = judge("2026-10-01", left_on="2026-10-16", kakuninsho="held", oshirase="held")
    assert v.can_see_doctor
    assert ("carry", "kakuninsho") in steps(v)
    assert step(v, "return", "kakuninsho").from_ == date(2026, 10, 16)
    assert step(v, "dispose", "oshirase").from_ == date(2026, 10, 16)
    assert "leaving_soon" in {w.code for w in v.warnings}


def test_a_kakuninsho_expiring_before_the_leaving_day_is_not_returned() -> None:
    v = judge("2027-11-01", left_on="2027-12-16", kakuninsho="held", kakuninsho_expiry="2027-11-30")
    # Thrown away once it has expired (the day after 11-30), not from the leaving day.
    assert step(v, "dispose", "kakuninsho").from_ == date(2027, 12, 1)
    # What goes back on leaving is the renewed card, sent before 11-30 (no マイナ保険証).
    back = step(v, "return", "kakuninsho")
    assert back.from_ == date(2027, 12, 16)
    assert back.reasons[0].key == "return_kakuninsho_renewed_after_expiry"
    holder = judge(
        "2027-11-01",
        left_on="2027-12-16",
        myna="yes",
        kakuninsho="held",
        kakuninsho_expiry="2027-11-30",
    )
    assert ("return", "kakuninsho") not in steps(holder)
    # Leaving the day after its last day: the card in hand goes back itself, no second one.
    last = judge(
        "2027-11-01", left_on="2027-11-30", kakuninsho="held", kakuninsho_expiry="2027-11-30"
    )
    assert [
        a.reasons[0].key
        for a in last.actions
        if a.item is Item.KAKUNINSHO and a.action.value == "return"
    ] == ["return_kakuninsho_dated"]


def test_printed_kakuninsho_expiry_overrides_the_packs() -> None:
    v = judge("2026-12-01", myna="no", kakuninsho="held", kakuninsho_expiry="2026-11-30")
    assert not v.can_see_doctor
    assert ("dispose", "kakuninsho") in steps(v)
    assert ("contact", "kenpo") in steps(v)


def test_joining_later_means_not_yet_covered() -> None:
    v = judge("2026-11-26", joined_on="2026-12-01", myna="yes")
    assert not v.can_see_doctor
    assert "not_yet_member" in {w.code for w in v.warnings}


@pytest.mark.parametrize(
    ("as_of", "updating"),
    [("2026-11-01", True), ("2026-11-05", True), ("2026-11-06", False)],
)
def test_update_window_after_joining_is_five_days(as_of: str, updating: bool) -> None:
    v = judge(as_of, joined_on="2026-11-01", myna="yes", oshirase="held")
    assert (("check", "mynaportal") in steps(v)) is updating
    assert ("new_member_unconfirmed" in {w.code for w in v.warnings}) is updating
    assert (Item.MYNA,) in v.present  # insured from the 資格取得日 all the same


def test_certificate_expiry_day_is_not_yet_the_grace_period() -> None:
    v = judge("2026-11-15", myna="yes", cert_expiry="2026-11-15")
    assert reason_keys(step(v, "carry", "myna")) == ["carry_myna"]
    after = judge("2026-11-16", myna="yes", cert_expiry="2026-11-15")
    assert reason_keys(step(after, "carry", "myna")) == ["carry_myna_in_grace"]


def test_grace_into_a_leap_february(pack: RulePack) -> None:
    assert grace_end(date(2027, 11, 30), pack) == date(2028, 2, 29)
    assert judge("2028-02-29", myna="yes", cert_expiry="2027-11-30").can_see_doctor
    assert not judge("2028-03-01", myna="yes", cert_expiry="2027-11-30").can_see_doctor


def test_as_of_before_the_rules_is_rejected(pack: RulePack) -> None:
    with pytest.raises(InvalidDate) as caught:
        verdict_for(gather({"as_of": "2024-12-01"}, TODAY), TODAY, pack)
    assert caught.value.problem == "before_rules"
    assert "2024-12-02" in caught.value.params["first"]
    assert verdict_for(gather({"as_of": "2024-12-02"}, TODAY), TODAY, pack).as_of == date(
        2024, 12, 2
    )


def test_expiry_document_matches_the_contract_example(pack: RulePack) -> None:
    docs = {
        d.item: d
        for d in documents_on(
            date(2026, 11, 26), pack, DocumentDates(cert_expiry=date(2026, 11, 15))
        )
    }
    assert not docs[Item.OLD_CARD].valid
    assert docs[Item.OLD_CARD].valid_until == date(2025, 12, 1)
    assert docs[Item.KAKUNINSHO].valid and docs[Item.KAKUNINSHO].days_left == 369
    assert docs[Item.OSHIRASE].valid and docs[Item.OSHIRASE].valid_until is None
    myna = docs[Item.MYNA]
    assert myna.valid and myna.in_grace and myna.valid_until == date(2027, 2, 28)


@pytest.mark.parametrize(("day", "valid"), [(date(2025, 12, 1), True), (date(2025, 12, 2), False)])
def test_old_card_validity_around_the_transition_end(
    pack: RulePack, day: date, valid: bool
) -> None:
    assert documents_on(day, pack, DocumentDates())[0].valid is valid


def test_leaving_ends_every_document_the_day_before(pack: RulePack) -> None:
    docs = documents_on(
        date(2026, 10, 16),
        pack,
        DocumentDates(left_on=date(2026, 10, 16), cert_expiry=date(2030, 1, 1)),
    )
    assert not any(d.valid for d in docs if d.item is not Item.OLD_CARD)
    assert all(d.valid_until == date(2026, 10, 15) for d in docs if d.item is not Item.OLD_CARD)
    earlier = documents_on(date(2026, 10, 15), pack, DocumentDates(left_on=date(2026, 10, 16)))
    assert {d.item: d.valid for d in earlier}[Item.KAKUNINSHO]


def test_myna_is_not_in_grace_before_its_certificate_expires(pack: RulePack) -> None:
    card = DocumentDates(cert_expiry=date(2026, 11, 15))
    s = status_on(Item.MYNA, date(2026, 11, 15), card, pack)
    assert s.valid and not s.in_grace
    after = status_on(Item.MYNA, date(2027, 3, 1), card, pack)
    assert not after.valid and not after.in_grace


def test_check_and_expiry_agree_on_the_old_cards_last_day_for_someone_leaving(
    pack: RulePack,
) -> None:
    # Leaving on 2025-12-01 (the transition's last day): membership ends on 11-30.
    v = judge("2025-11-20", left_on="2025-12-01", old_card="held")
    assert params(step(v, "carry", "old_card"))["until"] == "2025-11-30"
    docs = documents_on(date(2025, 11, 20), pack, DocumentDates(left_on=date(2025, 12, 1)))
    assert docs[0].item is Item.OLD_CARD and docs[0].valid_until == date(2025, 11, 30)
    staying = judge("2025-11-20", old_card="held")
    assert params(step(staying, "carry", "old_card"))["until"] == "2025-12-01"


def test_a_step_keeps_every_reason_when_two_rules_ask_for_it() -> None:
    # A name change and a lost お知らせ both send the member to マイナポータル.
    v = judge("2026-11-26", myna="yes", oshirase="lost", name_changed="yes")
    check = step(v, "check", "mynaportal")
    assert reason_keys(check) == ["check_portal_name_change", "check_portal_setup"]


@pytest.mark.parametrize(
    ("left", "key"),
    [
        ("2027-10-01", None),  # before the new cards were sent (60 days before 11-30)
        ("2027-10-02", "return_kakuninsho_renewed_if_came"),  # as they were: it may have come
        ("2027-11-30", "return_kakuninsho_renewed_if_came"),  # the card's own last day
        ("2027-12-01", "return_kakuninsho_renewed_after_expiry"),  # after it: it came
    ],
)
def test_the_renewed_card_of_a_leaver_around_the_first_expiry(left: str, key: str | None) -> None:
    # faq-kakuninsho-expiry: the new card reaches a member without a マイナ保険証 before the
    # one told of (2027-11-30) expires; on leaving, every card still in date goes back.
    v = judge("2027-12-10", left_on=left, kakuninsho="held", kakuninsho_expiry="2027-11-30")
    keys = [r.key for a in v.actions if a.item is Item.KAKUNINSHO for r in a.reasons]
    renewed = [k for k in keys if k.startswith("return_kakuninsho_renewed_")]
    assert renewed == ([key] if key else []), keys
    # Lost, the card told of: the renewed one goes back all the same.
    lost = judge("2027-12-10", left_on=left, kakuninsho="lost", kakuninsho_expiry="2027-11-30")
    keys = [r.key for a in lost.actions for r in a.reasons]
    assert [k for k in keys if k.startswith("return_kakuninsho_renewed_")] == ([key] if key else [])


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "資格喪失日"), ("ja", "資格喪失日（退職日の翌日）")]
)
def test_a_card_expiring_on_the_last_day_at_work_is_said_to_lapse_by_the_shikaku_soshitsubi(
    lang: str, said: str
) -> None:
    # Retiring on 11-30, the card's last day: still valid that day, lapsed on the 12-01
    # 資格喪失日. "by the day you leave" read as the 退職日 was a day wrong.
    from kenpo_cli.i18n import Messages

    v = judge("2027-11-20", myna="yes", kakuninsho="held", retired_on="2027-11-30")
    texts = [Messages(lang).reasons(a.reasons) for a in v.actions if a.item is Item.KAKUNINSHO]
    assert texts and all(said in t for t in texts if "2027" in t), texts
