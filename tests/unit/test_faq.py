"""One test (at least) per Q&A of the society's FAQ, named after the situation it covers.

Each test also checks that the step cites the FAQ entry it rests on, and
``test_every_source_is_cited_by_a_test_here`` fails when an entry has no test.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kenpo_cli.core.model import Item
from kenpo_cli.core.rulepack import Src
from tests.helpers import cites, judge, params, reason_keys, step, steps


def cited(v: object, *sources: str) -> None:
    """Assert the verdict cites ``sources``."""
    found = cites(v)  # type: ignore[arg-type]
    for s in sources:
        assert s in found, f"{s} not cited; cited: {sorted(found)}"


# ---- 現行の保険証に関するQ&A ---------------------------------------------------------


def test_old_card_works_until_the_transition_ends_for_a_member_without_myna() -> None:
    v = judge("2025-12-01", myna="no", old_card="held")
    assert v.can_see_doctor and (Item.OLD_CARD,) in v.present
    carry = step(v, "carry", "old_card")
    assert params(carry)["until"] == "2025-12-01"
    cited(v, Src.OLD_CARD_UNTIL)


def test_member_without_myna_hears_a_kakuninsho_is_coming_before_the_transition_ends() -> None:
    before = judge("2025-11-01", myna="no", old_card="held")
    assert "kakuninsho_coming" in {w.code for w in before.warnings}
    after = judge("2025-12-02", myna="no", old_card="held")
    assert "kakuninsho_coming" not in {w.code for w in after.warnings}
    holder = judge("2025-11-01", myna="yes", old_card="held")
    assert "kakuninsho_coming" not in {w.code for w in holder.warnings}


def test_old_card_no_longer_works_from_2025_12_02() -> None:
    # (The national measure kept it usable at clinics to 2026-03-31: tests/unit/test_national.py.)
    v = judge("2026-04-01", myna="no", old_card="held", kakuninsho="none")
    assert not v.can_see_doctor
    assert ("carry", "old_card") not in steps(v)
    assert ("dispose", "old_card") in steps(v)
    cited(v, Src.OLD_CARD_UNTIL)
    holder = judge("2025-12-02", myna="yes", old_card="held")
    assert (Item.OLD_CARD,) not in holder.present
    assert step(holder, "dispose", "old_card").from_ is None


def test_myna_holder_destroys_the_old_card_after_the_transition() -> None:
    v = judge("2026-01-10", myna="yes", old_card="held")
    assert ("dispose", "old_card") in steps(v)
    cited(v, Src.OLD_CARD_AFTER)


def test_myna_holder_is_told_during_the_transition_to_destroy_the_old_card_from_the_end() -> None:
    v = judge("2025-11-01", myna="yes", old_card="held")
    dispose = step(v, "dispose", "old_card")
    assert dispose.from_ == date(2025, 12, 2)
    assert ("carry", "old_card") in steps(v)


def test_leaver_during_the_transition_gives_the_old_card_back_national_rule() -> None:
    v = judge("2025-06-20", left_on="2025-06-16", old_card="held")
    assert ("return", "old_card") in steps(v)
    assert ("dispose", "old_card") not in steps(v)
    cited(v, Src.NATIONAL_OLD_CARD_RETURN)


# ---- 資格情報のお知らせに関するQ&A ---------------------------------------------------


def test_oshirase_is_what_stands_in_for_the_old_card_with_the_myna() -> None:
    v = judge("2026-10-01", myna="yes", oshirase="held")
    assert (Item.MYNA, Item.OSHIRASE) in v.present
    cited(v, Src.OSHIRASE_WHAT)


def test_oshirase_alone_is_not_enough_to_see_a_doctor() -> None:
    v = judge("2026-10-01", myna="no", kakuninsho="none", oshirase="held")
    assert not v.can_see_doctor
    assert ("keep", "oshirase") in steps(v)
    assert "oshirase_alone" in {w.code for w in v.warnings}
    cited(v, Src.OSHIRASE_ALONE)


def test_myna_holder_carries_the_oshirase_unless_the_portal_screen_stands_in() -> None:
    without_portal = judge("2026-10-01", myna="yes", oshirase="held", portal="no")
    assert ("carry", "oshirase") in steps(without_portal)
    with_portal = judge("2026-10-01", myna="yes", oshirase="held", portal="yes")
    assert ("keep", "oshirase") in steps(with_portal)
    assert ("carry", "oshirase") not in steps(with_portal)
    assert ("carry", "portal_screen") in steps(with_portal)
    cited(without_portal, Src.OSHIRASE_CARRY)


def test_a_new_members_oshirase_in_the_first_days_is_the_previous_insurers() -> None:
    # Ours comes once the membership is registered (faq-oshirase-everyone): what is in hand
    # before then is not shown at reception.
    v = judge("2026-11-03", myna="yes", joined_on="2026-11-01", oshirase="held")
    assert ("carry", "oshirase") not in steps(v)
    assert reason_keys(step(v, "keep", "oshirase")) == ["keep_oshirase_new_member"]
    assert v.present == ((Item.MYNA,),)
    registered = judge("2026-11-06", myna="yes", joined_on="2026-11-01", oshirase="held")
    assert ("carry", "oshirase") in steps(registered)
    assert (Item.MYNA, Item.OSHIRASE) in registered.present
    cited(v, Src.OSHIRASE_EVERYONE)


def test_oshirase_never_expires(pack: object) -> None:
    v = judge("2035-01-01", myna="no", oshirase="held")
    assert ("keep", "oshirase") in steps(v)
    assert ("dispose", "oshirase") not in steps(v)
    cited(v, Src.OSHIRASE_EXPIRY)


def test_name_change_needs_the_form_but_no_new_oshirase() -> None:
    v = judge("2026-10-01", myna="yes", name_changed="yes", oshirase="held")
    assert ("submit", "name_change") in steps(v)
    assert ("check", "mynaportal") in steps(v)
    assert not any(a.item is Item.OSHIRASE and a.action.value == "submit" for a in v.actions)
    cited(v, Src.OSHIRASE_CHANGE)


def test_lost_oshirase_is_not_reissued_and_the_portal_screen_replaces_it() -> None:
    with_portal = judge("2026-10-01", myna="yes", oshirase="lost", portal="yes")
    assert ("carry", "portal_screen") in steps(with_portal)
    assert "oshirase_not_reissued" in {w.code for w in with_portal.warnings}
    without = judge("2026-10-01", myna="yes", oshirase="lost", portal="no")
    assert ("check", "mynaportal") in steps(without)
    assert ("contact", "kenpo") not in steps(without)
    cited(without, Src.OSHIRASE_LOST)


def test_leaver_destroys_the_oshirase_and_does_not_return_it() -> None:
    v = judge("2026-10-20", left_on="2026-10-16", oshirase="held")
    assert ("dispose", "oshirase") in steps(v)
    assert ("return", "oshirase") not in steps(v)
    cited(v, Src.OSHIRASE_LEAVING)


# ---- 資格確認書に関するQ&A -----------------------------------------------------------


def test_kakuninsho_stands_in_for_the_old_card_for_members_without_myna() -> None:
    v = judge("2026-10-01", myna="no", kakuninsho="held")
    assert v.can_see_doctor and (Item.KAKUNINSHO,) in v.present
    assert ("carry", "kakuninsho") in steps(v)
    cited(v, Src.KAKUNINSHO_WHAT, Src.KAKUNINSHO_WITHOUT_MYNA)


def test_kakuninsho_expires_on_2027_11_30() -> None:
    last = judge("2027-11-30", myna="no", kakuninsho="held")
    assert last.can_see_doctor and ("carry", "kakuninsho") in steps(last)
    printed = "2027-11-30"
    after = judge("2027-12-01", myna="no", kakuninsho="held", kakuninsho_expiry=printed)
    assert not after.can_see_doctor
    assert ("dispose", "kakuninsho") in steps(after)
    cited(last, Src.KAKUNINSHO_EXPIRY)
    # Its date not given: the one in hand is presumably the renewed card (faq-kakuninsho-expiry).
    renewed = judge("2027-12-01", myna="no", kakuninsho="held")
    assert renewed.can_see_doctor is None and renewed.unknown_because == ("kakuninsho_expiry",)
    assert ("dispose", "kakuninsho") not in steps(renewed)
    assert reason_keys(step(renewed, "check", "kakuninsho")) == ["check_kakuninsho_renewed"]


def test_lost_kakuninsho_is_reissued_on_application() -> None:
    v = judge("2026-10-01", myna="no", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") in steps(v)
    cited(v, Src.KAKUNINSHO_LOST)


def test_lost_kakuninsho_is_not_reissued_to_a_myna_holder() -> None:
    v = judge("2026-10-01", myna="yes", kakuninsho="lost")
    assert ("submit", "kakuninsho_reissue") not in steps(v)
    assert "kakuninsho_not_reissued" in {w.code for w in v.warnings}
    assert v.can_see_doctor


def test_leaver_returns_the_kakuninsho() -> None:
    v = judge("2026-10-20", left_on="2026-10-16", kakuninsho="held")
    assert ("return", "kakuninsho") in steps(v)
    cited(v, Src.KAKUNINSHO_LEAVING)


def test_leaver_with_an_expired_kakuninsho_need_not_return_it() -> None:
    printed = "2027-11-30"
    v = judge("2027-12-05", left_on="2027-12-01", kakuninsho="held", kakuninsho_expiry=printed)
    assert ("dispose", "kakuninsho") in steps(v)
    # The card in hand goes in the bin; the renewed one sent before it expired (to a member
    # without a マイナ保険証) is in date and goes back (faq-kakuninsho-expiry).
    (back,) = [a for a in v.actions if (a.action.value, a.item.value) == ("return", "kakuninsho")]
    assert back.reasons[0].key == "return_kakuninsho_renewed_after_expiry"
    holder = judge(
        "2027-12-05", left_on="2027-12-01", myna="yes", kakuninsho="held", kakuninsho_expiry=printed
    )
    assert ("return", "kakuninsho") not in steps(holder)  # none is renewed for a holder
    on_expiry_day = judge(
        "2027-11-30", left_on="2027-11-30", kakuninsho="held", kakuninsho_expiry=printed
    )
    assert ("return", "kakuninsho") in steps(on_expiry_day)


def test_kakuninsho_is_kept_after_getting_a_myna_and_returned_on_leaving() -> None:
    kept = judge("2026-10-01", myna="yes", kakuninsho="held")
    assert ("keep", "kakuninsho") in steps(kept)
    assert ("return", "kakuninsho") not in steps(kept)
    cited(kept, Src.KAKUNINSHO_AFTER_MYNA)
    left = judge("2026-10-20", myna="yes", kakuninsho="held", left_on="2026-10-01")
    assert ("return", "kakuninsho") in steps(left)
    cited(left, Src.KAKUNINSHO_AFTER_MYNA)


def test_leaver_who_lost_the_kakuninsho_files_the_loss_report() -> None:
    v = judge("2026-10-20", left_on="2026-10-16", kakuninsho="lost")
    assert ("submit", "kakuninsho_loss_report") in steps(v)
    assert ("submit", "kakuninsho_reissue") not in steps(v)
    cited(v, Src.KAKUNINSHO_LOST_ON_LEAVING)


def test_employer_files_the_loss_report_for_an_unreachable_leaver() -> None:
    v = judge("2026-10-20", left_on="2026-10-16", kakuninsho="held", unreachable="yes")
    assert ("submit", "kakuninsho_loss_report") in steps(v)
    assert ("return", "kakuninsho") not in steps(v)


# ---- マイナ保険証に関するQ&A ---------------------------------------------------------


def test_myna_is_the_normal_way_to_see_a_doctor() -> None:
    v = judge("2026-10-01", myna="yes")
    assert v.present[0] == (Item.MYNA,)
    assert ("carry", "myna") in steps(v)
    cited(v, Src.MYNA_WHAT)


def test_member_without_myna_or_kakuninsho_after_the_transition_asks_the_kenpo() -> None:
    v = judge("2026-10-01", myna="no", kakuninsho="none", oshirase="none")
    assert not v.can_see_doctor
    assert ("contact", "kenpo") in steps(v)
    cited(v, Src.MYNA_WITHOUT)


def test_new_members_myna_takes_days_to_update() -> None:
    v = judge("2026-11-04", myna="yes", joined_on="2026-11-01", oshirase="held")
    check = step(v, "check", "mynaportal")
    assert params(check)["ready"] == "2026-11-06"
    cited(v, Src.MYNA_UPDATE)
    settled = judge("2026-11-06", myna="yes", joined_on="2026-11-01", oshirase="held")
    assert ("check", "mynaportal") not in steps(settled)
    assert (Item.MYNA,) in settled.present


def test_registering_a_myna_does_not_mean_returning_the_kakuninsho() -> None:
    v = judge("2026-10-01", myna="yes", kakuninsho="held")
    assert ("return", "kakuninsho") not in steps(v)
    cited(v, Src.MYNA_REGISTERED)


def test_unsure_whether_registered_checks_mynaportal() -> None:
    v = judge("2026-10-01", myna="unknown")
    assert ("check", "mynaportal") in steps(v)
    cited(v, Src.MYNA_REGISTRATION_CHECK)


def test_clinic_without_a_reader_takes_the_myna_with_the_oshirase() -> None:
    v = judge("2026-10-01", myna="yes", oshirase="held", reader="none")
    assert (Item.MYNA,) not in v.present
    assert (Item.MYNA, Item.OSHIRASE) in v.present
    assert ("carry", "oshirase") in steps(v)
    cited(v, Src.MYNA_NO_READER)
    nothing = judge("2026-10-01", myna="yes", oshirase="none", reader="none")
    assert not nothing.can_see_doctor


def test_expired_certificate_still_works_to_the_end_of_the_third_month() -> None:
    v = judge("2026-10-20", myna="yes", cert_expiry="2026-08-15")
    assert v.can_see_doctor
    renew = step(v, "renew", "myna_cert")
    assert renew.by == date(2026, 11, 30)
    cited(v, Src.MYNA_CERT_EXPIRED)


def test_certificate_grace_ends_on_its_last_day() -> None:
    last = judge("2027-02-28", myna="yes", cert_expiry="2026-11-15")
    assert last.can_see_doctor
    after = judge("2027-03-01", myna="yes", cert_expiry="2026-11-15")
    assert not after.can_see_doctor
    assert ("renew", "myna_cert") in steps(after)
    assert step(after, "renew", "myna_cert").by == date(2027, 2, 28)  # overdue since then
    assert ("keep", "myna") in steps(after)


def test_certificate_expiring_soon_is_renewed_early_national_rule() -> None:
    soon = judge("2026-12-31", myna="yes", cert_expiry="2027-03-31")
    assert ("renew", "myna_cert") in steps(soon)
    cited(soon, Src.NATIONAL_CERT_RENEWAL)
    far = judge("2026-12-30", myna="yes", cert_expiry="2027-03-31")
    assert ("renew", "myna_cert") not in steps(far)


# ---- national rules the FAQ leaves out -----------------------------------------------


def test_lost_my_number_card_is_reissued_and_a_kakuninsho_can_be_asked_for() -> None:
    v = judge("2026-10-01", myna="lost")
    assert [(a.action.value, a.item.value) for a in v.actions[:2]] == [
        ("contact", "myna_card"),  # suspended by phone first
        ("submit", "kakuninsho_application"),
    ]
    assert ("renew", "myna_card") in steps(v)
    cited(v, Src.NATIONAL_MYNA_CARD_LOST, Src.NATIONAL_KAKUNINSHO_ON_REQUEST)


FILES_OF_SITUATIONS = (
    "test_faq.py",
    "test_situations.py",
    "test_lost_found.py",  # issue 21: lost, then found
    "test_dependants.py",  # issue 21: dependants
)


def test_every_source_is_cited_by_a_test_here() -> None:
    # Read from the files' text, so the check holds whichever tests are selected.
    here = Path(__file__).parent
    text = "".join((here / n).read_text(encoding="utf-8") for n in FILES_OF_SITUATIONS)
    checked = {getattr(Src, name) for name in re.findall(r"\bSrc\.([A-Z_]+)\b", text)}
    missing = set(Src) - checked
    assert not missing, f"FAQ entries without a test: {sorted(missing)}"


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "throw it away"), ("ja", "処分"), ("easy", "すてて")]
)
def test_a_myna_holders_kakuninsho_is_said_to_stop_at_its_expiry_with_no_new_one(
    lang: str, said: str
) -> None:
    # faq-kakuninsho-expiry: a new one is sent only to those without a マイナ保険証. "It goes
    # back when you leave" alone left a holder keeping a dead card for good.
    from kenpo_cli.i18n import Messages

    v = judge("2027-11-25", myna="yes", kakuninsho="held")
    (keep,) = [a for a in v.actions if a.reasons[0].key == "keep_kakuninsho_with_myna"]
    text = Messages(lang).reasons(keep.reasons)
    assert said in text and text.count("2027") >= 1
