"""The language a member gets without --lang: KENPO_LANG, else the locale, else ja."""

from __future__ import annotations

import pytest

from kenpo_cli.i18n import env_lang
from tests.inprocess import run_main


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C.UTF-8"}, "ja"),
        ({"LANG": "POSIX"}, "ja"),
        ({"LANG": "fr_FR.UTF-8"}, "ja"),  # a language kenpo lacks: the default
        ({"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "en"),  # set but empty: not a choice
        ({"LANG": "en_US.UTF-8", "KENPO_LANG": "easy"}, "easy"),
        ({"LANG": "en_US.UTF-8", "KENPO_LANG": "klingon"}, "en"),  # junk: the locale speaks
        ({"LANG": "sr_RS.UTF-8@latin"}, "ja"),
    ],
)
def test_the_environment_chooses_the_language(environ: dict[str, str], lang: str) -> None:
    assert env_lang(environ) == lang


def test_an_english_locale_gets_english_errors_and_typo_suggestions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    r = run_main(monkeypatch, ["chek"], LANG="en_US.UTF-8")
    assert r.status == 2 and "unknown command chek" in r.stderr and "check" in r.stderr
    r = run_main(monkeypatch, ["expiry", "--date", "2026-13-01"], LANG="en_US.UTF-8")
    assert r.status == 2 and "error" in r.stderr and "エラー" not in r.stderr


def test_an_english_locale_gets_english_help_and_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    r = run_main(monkeypatch, ["check", "--help"], LANG="en_US.UTF-8")
    assert r.status == 0 and "Usage" in r.stdout and "--no-input" in r.stdout
    assert "判定" not in r.stdout
    r = run_main(monkeypatch, ["expiry", "--date", "2026-11-26"], LANG="en_US.UTF-8")
    assert "Documents on" in r.stdout


def test_the_flag_wins_over_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    r = run_main(monkeypatch, ["chek", "--lang", "ja"], LANG="en_US.UTF-8")
    assert "不明なコマンド" in r.stderr
