"""``kenpo sources``: each FAQ entry's answer too, in the member's language."""

from __future__ import annotations

import json
import re

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.errors import KenpoError
from tests.inprocess import run_main


def test_every_faq_entry_has_its_answer_in_every_language() -> None:
    for source in rulepack.builtin().sources.values():
        if source.kind == "faq":
            assert source.answer is not None, source.id
            assert {"ja", "en", "easy"} <= set(source.answer), source.id


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_kenpo_sources_shows_each_answer_in_the_chosen_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = run_main(monkeypatch, ["sources", "--lang", lang])
    assert r.status == 0
    squashed = re.sub("〈[^〉]*〉", "", "".join(r.stdout.split()))  # readings aside
    for source in rulepack.builtin().sources.values():
        if source.answer is not None:
            assert "".join(source.answer[lang].split()) in squashed, source.id


def test_the_json_keeps_its_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    r = run_main(monkeypatch, ["sources", "--json"])
    first = json.loads(r.stdout)["sources"][0]
    assert set(first) == {"id", "kind", "section", "question", "texts", "section_en", "question_en"}


def test_an_answer_with_a_terminal_control_is_refused() -> None:
    text = rulepack.builtin_text().replace(
        'answer.en = "No, it has no expiry."', 'answer.en = "No\\u001b[2J"'
    )
    with pytest.raises(KenpoError) as refused:
        rulepack.parse(text, "ours.toml")
    assert refused.value.params["key"] == "sources.faq-oshirase-expiry.answer.en"
