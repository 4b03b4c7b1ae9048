"""``--help`` speaks the member's language: every command, every option, Click's own words."""

from __future__ import annotations

import pytest
import typer
from typer._click import Command
from typer.core import TyperGroup
from typer.testing import CliRunner

from kenpo_cli.cli.app import make_app
from kenpo_cli.i18n import Lang, Messages, languages
from kenpo_cli.render.text import display_width

# Each command, as typed after kenpo, and its name in the catalogues' [help] section.
COMMANDS = {
    (): "kenpo",
    ("check",): "check",
    ("expiry",): "expiry",
    ("batch",): "batch",
    ("sources",): "sources",
    ("rules",): "rules",
    ("rules", "show"): "rules_show",
}
CLICK_ENGLISH = ("Usage", "Options", "Show this message", "Commands", "Arguments", "default:")


def help_of(path: tuple[str, ...], lang: Lang | None = None, width: int = 80) -> str:
    app = make_app(path[0] if path else None, lang)
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    return result.output


def squashed(text: str) -> str:
    """Text without its line breaks and spaces, to find a sentence that help has wrapped."""
    return "".join(text.split())


def commands(lang: Lang) -> dict[str, Command]:
    """Every kenpo command (groups included), by its [help] name."""
    found: dict[str, Command] = {}

    def walk(cmd: Command, name: str) -> None:
        found[name] = cmd
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, sub_name if name == "kenpo" else f"{name}_{sub_name}")

    walk(typer.main.get_command(make_app(None, lang)), "kenpo")
    return found


@pytest.mark.parametrize("path", COMMANDS)
def test_help_is_japanese_by_default_with_no_english_left_from_click(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KENPO_LANG", raising=False)
    out = help_of(path)
    ja = Messages("ja")
    assert out.startswith(ja("help", "usage"))
    assert squashed(ja("help", COMMANDS[path])) in squashed(out)
    assert ja("help", "help_option") in out
    for english in CLICK_ENGLISH:
        assert english not in out, f"{english!r} in kenpo {' '.join(path)} --help"


@pytest.mark.parametrize("path", COMMANDS)
def test_help_is_english_with_kenpo_lang_en(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KENPO_LANG", "en")
    out = help_of(path)
    assert out.startswith("Usage:")
    assert squashed(Messages("en")("help", COMMANDS[path])) in squashed(out)
    assert "この説明" not in out and "使い方" not in out


@pytest.mark.parametrize("lang", languages())
def test_every_option_of_every_command_has_help(lang: Lang) -> None:
    for name, cmd in commands(lang).items():
        ctx = cmd.context_class(cmd, info_name=name)
        for param in cmd.get_params(ctx):
            record = param.get_help_record(ctx)
            assert record and record[1].strip(), f"{lang}: {name} {param.name} has no help"


@pytest.mark.parametrize("lang", languages())
def test_command_summaries_are_whole_in_the_list_of_commands(lang: Lang) -> None:
    out = help_of((), lang)
    msgs = Messages(lang)
    for name in ("check", "expiry", "batch", "sources", "rules"):
        assert squashed(msgs("help", name)) in squashed(out), name
    assert "..." not in out.split(msgs("help", "commands"))[-1]


@pytest.mark.parametrize("lang", languages())
def test_check_help_says_it_asks_and_that_every_question_is_an_option(lang: Lang) -> None:
    out = squashed(help_of(("check",), lang))
    assert squashed(Messages(lang)("help", "check_more")) in out
    assert "--answers" in out and "left_on" in out and "--no-input" in out


def test_check_help_explains_what_a_clerk_would_not_know() -> None:
    ja = help_of(("check",), "ja")
    assert "facts" not in ja and "rule pack" not in ja
    assert "ルールパック: " in ja  # explained where it is named
    en = help_of(("check",), "en")
    assert "facts" not in en.lower()
    assert "rule pack:" in en


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("path", COMMANDS)
def test_help_fits_a_60_column_screen(lang: Lang, path: tuple[str, ...]) -> None:
    out = help_of(path, lang, width=60)
    too_wide = [line for line in out.splitlines() if display_width(line) > 60]
    assert not too_wide


def test_typers_notes_are_translated_too() -> None:
    ja = squashed(help_of(("batch",), "ja"))
    assert "[既定:auto]" in ja and "[必須]" in ja and "[環境変数:KENPO_RULES]" in ja
    en = squashed(help_of(("batch",), "en"))
    assert "[default:auto]" in en and "[required]" in en


def test_the_language_of_one_app_does_not_leak_into_another() -> None:
    # Typer's gettext hook is process-wide: it must follow the command being helped.
    assert "使い方" in help_of(("expiry",), "ja")
    assert "Usage:" in help_of(("expiry",), "en")
    assert "[環境変数:" in help_of(("expiry",), "ja")


def test_completion_is_offered_on_the_whole_tool() -> None:
    ja, en = help_of((), "ja"), help_of((), "en")
    assert "--install-completion" in ja and "--show-completion" in ja
    assert squashed(Messages("ja")("help", "install_completion")) in squashed(ja)
    assert squashed(Messages("en")("help", "install_completion")) in squashed(en)


def test_a_one_shot_command_is_built_without_completion() -> None:
    cmd = typer.main.get_command(make_app("expiry", "ja"))
    assert isinstance(cmd, TyperGroup)
    assert {p.name for p in cmd.params}.isdisjoint({"install_completion", "show_completion"})
