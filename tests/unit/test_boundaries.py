"""Both sides of every date the rules turn on, and the validity answers of ``kenpo expiry``."""

from __future__ import annotations

from datetime import date

import pytest

from kenpo_cli.core.facts import gather
from kenpo_cli.core.model import Item
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.validity import documents_on, grace_end, myna_status
from kenpo_cli.errors import InvalidDate
from tests.helpers import TODAY, judge, step, steps


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
    v = judge("2027-11-01", left_on="2027-12-16", kakuninsho="held")
    assert ("return", "kakuninsho") not in steps(v)
    assert step(v, "dispose", "kakuninsho").from_ == date(2027, 12, 16)


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
    assert ((Item.MYNA,) in v.present) is not updating


def test_certificate_expiry_day_is_not_yet_the_grace_period() -> None:
    v = judge("2026-11-15", myna="yes", cert_expiry="2026-11-15")
    assert step(v, "carry", "myna").reason == "carry_myna"
    after = judge("2026-11-16", myna="yes", cert_expiry="2026-11-15")
    assert step(after, "carry", "myna").reason == "carry_myna_in_grace"


def test_grace_into_a_leap_february(pack: RulePack) -> None:
    assert grace_end(date(2027, 11, 30), pack) == date(2028, 2, 29)
    assert judge("2028-02-29", myna="yes", cert_expiry="2027-11-30").can_see_doctor
    assert not judge("2028-03-01", myna="yes", cert_expiry="2027-11-30").can_see_doctor


def test_as_of_before_the_rules_is_rejected() -> None:
    with pytest.raises(InvalidDate) as caught:
        gather({"as_of": "2024-12-01"}, TODAY)
    assert caught.value.problem == "before_rules"
    assert gather({"as_of": "2024-12-02"}, TODAY).as_of(TODAY) == date(2024, 12, 2)


def test_expiry_document_matches_the_contract_example(pack: RulePack) -> None:
    docs = {
        d.item: d for d in documents_on(date(2026, 11, 26), pack, cert_expiry=date(2026, 11, 15))
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
    assert documents_on(day, pack)[0].valid is valid


def test_leaving_ends_every_document_the_day_before(pack: RulePack) -> None:
    docs = documents_on(
        date(2026, 10, 16), pack, left_on=date(2026, 10, 16), cert_expiry=date(2030, 1, 1)
    )
    assert not any(d.valid for d in docs if d.item is not Item.OLD_CARD)
    assert all(d.valid_until == date(2026, 10, 15) for d in docs if d.item is not Item.OLD_CARD)
    earlier = documents_on(date(2026, 10, 15), pack, left_on=date(2026, 10, 16))
    assert {d.item: d.valid for d in earlier}[Item.KAKUNINSHO]


def test_myna_is_not_in_grace_before_its_certificate_expires(pack: RulePack) -> None:
    s = myna_status(date(2026, 11, 15), pack, date(2026, 11, 15))
    assert s.valid and not s.in_grace
    after = myna_status(date(2027, 3, 1), pack, date(2026, 11, 15))
    assert not after.valid and not after.in_grace
