"""What members read: the plain verdict pinned by snapshots in both languages, and its layout."""

from __future__ import annotations

import pytest

from kenpo_cli.core import rulepack
from kenpo_cli.i18n import Lang, Messages, languages
from kenpo_cli.render import text, view
from tests.helpers import judge, matches_snapshot

# The situations of issue 3, as a member would describe them.
SITUATIONS = {
    "myna-holder": dict(as_of="2026-11-26", myna="yes", cert_expiry="2030-03-31", oshirase="held"),
    "kakuninsho-holder": dict(as_of="2026-11-26", myna="no", kakuninsho="held", old_card="held"),
    "lost-kakuninsho": dict(as_of="2026-11-26", myna="no", kakuninsho="lost"),
    "leaver": dict(
        as_of="2026-11-26", left_on="2026-11-16", myna="yes", kakuninsho="held", oshirase="held"
    ),
    "cert-expired-last-month": dict(
        as_of="2026-11-26", myna="yes", cert_expiry="2026-10-15", oshirase="held"
    ),
    "clinic-without-reader": dict(as_of="2026-11-26", myna="yes", oshirase="held", reader="none"),
}


def render_plain(name: str, lang: Lang) -> str:
    verdict = judge(**SITUATIONS[name])
    return text.verdict_plain(view.build(verdict, rulepack.builtin(), Messages(lang)))


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("name", SITUATIONS)
def test_plain_verdict_snapshot(name: str, lang: Lang, update_snapshots: bool) -> None:
    matches_snapshot(f"plain-{name}.{lang}.txt", render_plain(name, lang), update_snapshots)


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("name", SITUATIONS)
def test_plain_verdict_fits_80_columns_without_colour_or_boxes(name: str, lang: Lang) -> None:
    out = render_plain(name, lang)
    assert max(text.display_width(line) for line in out.splitlines()) <= 80
    assert "\x1b[" not in out
    assert not set(out) & set("─│╭╮╰╯┌┐└┘")


def test_markdown_checklist_has_a_box_per_step(update_snapshots: bool) -> None:
    verdict = judge(**SITUATIONS["leaver"])
    md = text.verdict_markdown(view.build(verdict, rulepack.builtin(), Messages("ja")), "チェック")
    assert md.count("- [ ] ") == len(verdict.actions)
    matches_snapshot("markdown-leaver.ja.md", md, update_snapshots)


def test_rich_verdict_draws_the_same_steps_in_colour() -> None:
    verdict = judge(**SITUATIONS["cert-expired-last-month"])
    shown = view.build(verdict, rulepack.builtin(), Messages("en"))
    out = text.verdict_rich(shown, width=80)
    assert "\x1b[" in out
    for heading, steps in shown.groups:
        assert heading in out
        for step in steps:
            assert step.item in out
    assert "2027-01-31" in out


def test_wrap_keeps_wide_characters_within_the_width() -> None:
    line = "資格確認書" * 30
    wrapped = text.wrap(line, 40, indent="  ")
    assert all(text.display_width(w) <= 40 for w in wrapped)
    assert "".join(w.strip() for w in wrapped) == line


def test_timeline_marks_today_after_a_same_day_event() -> None:
    verdict = judge(as_of="2026-11-16", left_on="2026-11-16", kakuninsho="held")
    events = view.timeline(verdict, Messages("en"))
    days = [(e.day.isoformat(), e.is_today) for e in events]
    assert days.index(("2026-11-16", False)) < days.index(("2026-11-16", True))


def test_wrap_keeps_brackets_with_their_words() -> None:
    sentence = "マイナ保険証の利用登録を行いました、「資格確認書」はどうしたらいいですか？"
    for width in range(10, 60):
        for line in text.wrap(sentence, width):
            assert line[-1] not in "「（", line
            assert line.strip()[0] not in "」）。、？", line
