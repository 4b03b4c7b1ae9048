"""The message catalogues: every language says everything, and nothing is said for nothing.

A new language is one more file, kenpo_cli/data/messages.<code>.toml; these tests
tell its translator what is missing, what is left over and which placeholders a
message must keep.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
import typer

from kenpo_cli.cli.app import make_app
from kenpo_cli.core.facts import FACTS
from kenpo_cli.core.model import ActionKind, Item
from kenpo_cli.core.rulepack import SOURCE_KINDS
from kenpo_cli.i18n import Messages, catalogue, find_lang, languages, pick_lang
from kenpo_cli.render import view

CODE = "\n".join(p.read_text(encoding="utf-8") for p in Path("kenpo_cli").rglob("*.py"))
REFERENCE = catalogue("ja")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", languages())
def test_every_catalogue_has_every_key_with_the_same_placeholders(lang: str) -> None:
    cat = catalogue(lang)
    assert set(cat) == set(REFERENCE), f"sections differ in messages.{lang}.toml"
    for section, keys in REFERENCE.items():
        if section in ("meta", "reading"):  # [reading] is the language's own words
            continue
        # A language's singular (KEY_one: "1 row has") of a message counting things.
        singular = {k for k in cat[section] if k.endswith("_one") and k[:-4] in keys}
        extra = singular - set(keys)
        assert set(cat[section]) - extra == set(keys), (
            f"[{section}] differs in messages.{lang}.toml"
        )
        for key in extra:
            assert placeholders(cat[section][key]) == placeholders(keys[key[:-4]]), key
        for key, template in keys.items():
            mine, needed = placeholders(cat[section][key]), placeholders(template)
            # Layout templates may leave a value out (English shows no 和暦); a message
            # that drops one (a date, a column) loses what the reader needs.
            exact = section in ("reason", "warning", "error", "batch", "calendar")
            assert mine == needed if exact else mine <= needed, (
                f"{lang} [{section}] {key} fills in {sorted(mine)}, not {sorted(needed)}"
            )


@pytest.mark.parametrize("lang", languages())
def test_every_catalogue_names_itself_and_how_it_writes_dates(lang: str) -> None:
    meta = catalogue(lang)["meta"]
    assert meta["name"] and lang in meta["spellings"]
    assert find_lang(meta["name"]) == lang
    assert "{" in meta["date"] and isinstance(meta["sentence_sep"], str)
    assert all(fallback in languages() for fallback in meta["fallback"])


@pytest.mark.parametrize("lang", languages())
def test_every_reading_is_of_a_word_the_catalogue_uses_and_only_in_kana(lang: str) -> None:
    cat = catalogue(lang)
    said = "".join(
        str(text)
        for name, keys in cat.items()
        if name not in ("meta", "reading")
        for text in keys.values()
    )
    for word, reading in cat["reading"].items():
        assert word in said, f"{lang} [reading] {word}: no message says it"
        assert reading and all("\u3040" <= c <= "\u30ff" or c in "・（）" for c in reading), (
            f"{lang} [reading] {word} = {reading!r}: a reading is written in kana"
        )
    if cat["reading"]:
        assert "{term}" in cat["meta"]["gloss"] and "{reading}" in cat["meta"]["gloss"]


def test_language_spellings_are_found_as_people_write_them() -> None:
    assert find_lang("EN") == "en" and find_lang("English") == "en"
    assert find_lang("en_US.UTF-8") == "en" and find_lang("ja_JP.eucJP") == "ja"
    assert find_lang("日本語") == "ja"
    for spelling in (
        "easy",
        "Easy",
        "やさしい日本語",
        "やさしいにほんご",
        "yasashii",
        "plain-japanese",
    ):
        assert find_lang(spelling) == "easy", spelling
    assert find_lang("klingon") is None
    assert pick_lang("klingon") == "ja" and pick_lang(None) == "ja"


def test_vocabulary_sections_match_the_codes_exactly() -> None:
    assert set(REFERENCE["item"]) == {i.value for i in Item}
    assert set(REFERENCE["action"]) == {a.value for a in ActionKind}
    assert set(REFERENCE["fact"]) == {f.name for f in FACTS}
    assert set(REFERENCE["fact_help"]) == {f.name for f in FACTS}


def _ui_used_elsewhere() -> set[str]:
    """ui keys the code reaches through a table rather than a literal call."""
    headlines = set(view._HEADLINES.values())
    kinds = (f"source_kind_{k}" for k in SOURCE_KINDS)
    return {*view._LABELS, *headlines, *view._ON.values(), *kinds}


def _error_used_elsewhere() -> set[str]:
    """InvalidDate names its problem ("era", …); the message key is invalid_date_<problem>."""
    return {
        key
        for key in REFERENCE["error"]
        if key.startswith("invalid_date_") and f'"{key.removeprefix("invalid_date_")}"' in CODE
    }


def test_step_titles_exist_for_every_action_and_only_for_real_steps() -> None:
    actions = {a.value for a in ActionKind}
    items = {i.value for i in Item}
    for key in REFERENCE["step"]:
        if key in REFERENCE["reason"]:  # a title for the steps given for that reason
            continue
        action, _, item = key.partition("_")
        assert action in actions and (not item or item in items), key
    assert actions <= set(REFERENCE["step"])


@pytest.mark.parametrize("section", [s for s in REFERENCE if s.endswith("_employer")])
def test_employer_wording_overrides_only_messages_that_exist(section: str) -> None:
    base = section.removesuffix("_employer")
    assert set(REFERENCE[section]) <= set(REFERENCE[base])


NOT_LOOKED_UP_BY_LITERAL = (
    "meta", "item", "action", "fact", "fact_help", "step", "reading", "os_error", "column", "value",
)  # fmt: skip


def test_os_errors_are_said_in_the_language_by_their_errno_names() -> None:
    import errno

    from kenpo_cli.errors import os_reason

    assert set(REFERENCE["os_error"]) <= set(errno.errorcode.values())
    reason = os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    said = {lang: Messages(lang)("error", "answers_unreadable", file="a", reason=reason)
            for lang in ("ja", "en")}  # fmt: skip
    assert "ファイルまたはフォルダーがありません" in said["ja"] and "No such" not in said["ja"]
    assert "no such file or folder" in said["en"]
    odd = os_reason(OSError(errno.ENOTSUP, "Operation not supported"))  # no words for it
    assert "Operation not supported" in Messages("ja")(
        "error", "answers_unreadable", file="a", reason=odd
    )


def _help_used_elsewhere() -> set[str]:
    """[help] keys helptext finds by a command's and an option's names."""
    used: set[str] = set()

    def walk(cmd: Any, name: str) -> None:
        used.update({name, f"{name}_more"})
        for param in cmd.params:
            flag = next((o for o in param.opts if o.startswith("--")), f"--{param.name}")
            option = flag.removeprefix("--").replace("-", "_")
            used.update({f"{name}_{option}", f"opt_{option}"})
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, sub_name if name == "kenpo" else f"{name}_{sub_name}")

    walk(typer.main.get_command(make_app()), "kenpo")
    return used


@pytest.mark.parametrize(
    "section",
    [s for s in REFERENCE if s not in NOT_LOOKED_UP_BY_LITERAL and not s.endswith("_employer")],
)
def test_every_message_is_used_by_the_code(section: str) -> None:
    if section == "help":
        used = _help_used_elsewhere()
        pattern = r"""["']{}["']"""
    elif section == "ui":
        used = _ui_used_elsewhere()
        pattern = r"""["']{}["']"""
    else:
        used = _error_used_elsewhere() if section == "error" else set()
        pattern = r"""["']{}["']"""
    unused = [
        key
        for key in REFERENCE[section]
        if key not in used and not re.search(pattern.format(re.escape(key)), CODE)
    ]
    assert not unused, f"[{section}] keys no code uses: {unused}"


@pytest.mark.parametrize("lang", languages())
def test_pack_texts_fall_back_to_japanese(lang: str) -> None:
    msgs = Messages(lang)
    assert msgs.text({"ja": "日本語だけ"}) == "日本語だけ"
    assert msgs.text({"ja": "日本語", lang: "mine"}) == "mine"


@pytest.mark.parametrize("lang", ["ja", "easy", "en"])
def test_every_value_of_every_choice_has_words_for_the_office_csv(lang: str) -> None:
    """The CSV and the workbook show facts in words (資格確認書: 不明), never a code a mail
    merge would print (unknown, found)."""
    from kenpo_cli.batch.writers import fact_value
    from kenpo_cli.core.facts import CHOICE_FACTS

    msgs = Messages(lang)
    for fact, kind in CHOICE_FACTS.items():
        for member in kind:
            assert msgs.has("value", f"{fact}_{member.value}"), (lang, fact, member.value)
            if lang != "en":
                shown = fact_value(fact, member, msgs, codes=False)
                assert not shown.isascii() or shown.isdigit(), (fact, member.value, shown)
