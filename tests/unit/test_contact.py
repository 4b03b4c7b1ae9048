"""Whom to call: a rule pack may carry the society's contact, and the steps that say to
contact the society show it."""

from __future__ import annotations

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages
from kenpo_cli.render import text, view
from tests.helpers import judge

CONTACT = """
[contact]
name = { ja = "テスト健康保険組合", en = "Test Health Insurance Society" }
phone = "03-1234-5678"
hours = { ja = "平日 9:00〜17:00", en = "weekdays 9:00-17:00" }
web = "https://kenpo.example.jp/"
"""
# Every member is sent the お知らせ: one who never got it is told to ask the society.
NEVER_GOT_THE_NOTICE = {"myna": "yes", "cert_expiry": "2029-01-01", "oshirase": "none"}


def with_contact(table: str = CONTACT) -> rulepack.RulePack:
    return rulepack.parse(rulepack.builtin_text() + table, "ours.toml")


def shown(pack: rulepack.RulePack, lang: str) -> str:
    v = judge("2026-11-26", rules=pack, **NEVER_GOT_THE_NOTICE)
    return text.verdict_plain(view.build(v, pack, Messages(lang)), width=200)


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_a_step_that_says_to_ask_the_society_says_how(lang: str) -> None:
    said = shown(with_contact(), lang)
    assert "03-1234-5678" in said and "https://kenpo.example.jp/" in said
    assert ("weekdays 9:00-17:00" if lang == "en" else "平日 9:00〜17:00") in said
    assert ("Test Health" if lang == "en" else "テスト健康保険組合") in said


def test_the_contact_goes_only_with_the_steps_that_ask_the_society() -> None:
    pack = with_contact()
    v = judge("2026-11-26", rules=pack, myna="yes", cert_expiry="2029-01-01", oshirase="held")
    assert "03-1234-5678" not in text.verdict_plain(view.build(v, pack, Messages("ja")))


def test_without_a_contact_the_member_is_told_where_to_find_it() -> None:
    said = shown(rulepack.builtin(), "en")
    assert Messages("en").ui("contact_unknown") in said.replace("\n     ", " ").replace("  ", "")


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('\n[contact]\nphone = "call us"\n', "contact.phone"),
        ('\n[contact]\nphone = "12"\n', "contact.phone"),
        ('\n[contact]\nweb = "kenpo.example.jp"\n', "contact.web"),
        ('\n[contact]\nname = "健保"\n', "contact.phone"),  # nothing to dial or open
        ('\n[contact]\nfax = "03-1234-5678"\n', "contact.fax"),
        ('\n[contact]\nphone = "03-1234-5678\\u001b[31m"\n', "contact.phone"),
    ],
)
def test_a_contact_that_cannot_be_used_is_refused_naming_the_key(table: str, key: str) -> None:
    with pytest.raises(KenpoError) as refused:
        with_contact(table)
    assert refused.value.params["key"] == key
    assert refused.value.exit_status == 2


def test_a_phone_number_may_be_written_as_people_write_it() -> None:
    for phone in ("0120-95-0178", "(03) 1234 5678", "+81-3-1234-5678", "0312345678"):
        pack = with_contact(f'\n[contact]\nphone = "{phone}"\n')
        assert pack.contact is not None and pack.contact.phone == phone
