"""What stays on the wizard's screen: each answer once, however it was changed, and the
review alone once it comes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kenpo_cli.core.facts import gather
from kenpo_cli.core.model import Holding, Myna
from kenpo_cli.i18n import Messages
from tests.unit.test_wizard import CONFIRM, TODAY, Scripted, Turns, wizard


class OnScreen(Scripted):
    """A scripted member whose screen keeps notes as a terminal does: taking one back
    removes the last one shown."""

    def __init__(self, lang: str, script: dict[str, Any]) -> None:
        super().__init__(lang, script)
        self.screen: list[list[str]] = []

    def note(self, lines: Sequence[str]) -> None:
        super().note(lines)
        self.screen.append(list(lines))

    def unnote(self) -> None:
        super().unnote()
        self.screen.pop()


def records(p: OnScreen, title: str) -> list[str]:
    """The records of one question's answers on screen above the review."""
    return [line for note in p.screen[:-1] for line in note if f" {title}：" in line]


def test_an_answer_changed_on_the_review_is_listed_once() -> None:

    p = OnScreen(
        "ja",
        {
            "myna": Turns([Myna.NO, Myna.NO]),
            "documents": Turns([[("oshirase", Holding.HELD)], [("oshirase", Holding.HELD)]]),
            "events": Turns([[], []]),
            "review": Turns(["documents", CONFIRM]),
        },
    )
    wizard(p, gather({}, TODAY))
    q = Messages("ja").section("question")
    for title in ("myna_title", "documents_title", "events_title"):
        shown = records(p, q[title])
        assert len(shown) <= 1, (title, p.screen)
    [review] = p.screen  # the records gave way to the review, which lists them all
    assert review[0] == q["review_title"] and len(review) == 4  # every answer, once
