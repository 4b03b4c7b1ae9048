"""The ``kenpo check`` wizard: ask, one question at a time, only what can change the verdict.

Facts already given by flags or an answers file are never asked. The questions
are plain data (:data:`QUESTIONS`); a :class:`Prompter` asks them. The real one
uses questionary; tests inject a scripted one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from kenpo_cli.core.facts import Gathered, parse_fact
from kenpo_cli.core.model import Holding, Myna, OldCard, Reader, Status, YesNo
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import Messages

Values = Mapping[str, Any]


@dataclass(frozen=True)
class Choice:
    """One answer offered: ``value`` is recorded, ``label`` (a [question] key) is shown."""

    value: Any
    label: str


@dataclass(frozen=True)
class Question:
    """A question: a single choice, several ticks, or a date (blank allowed when optional)."""

    key: str
    kind: str  # "select", "checkbox" or "date"
    choices: Callable[[Values], Sequence[Choice]] = lambda v: ()
    asks: Callable[[Values], bool] = lambda v: True
    optional: bool = False


class Prompter(Protocol):
    def select(self, message: str, choices: Sequence[tuple[str, Any]]) -> Any: ...
    def checkbox(self, message: str, choices: Sequence[tuple[str, Any]]) -> list[Any]: ...
    def date(self, message: str, validate: Callable[[str], str | None]) -> str: ...


# ---- the questions --------------------------------------------------------------

ASK = "ask"  # a tick whose fact is a date, asked for next
# Ticks of the "documents" and "events" questions, each setting one fact.
_DOCUMENT_TICKS = (
    ("kakuninsho", Holding.HELD, "doc_kakuninsho_held"),
    ("kakuninsho", Holding.LOST, "doc_kakuninsho_lost"),
    ("oshirase", Holding.HELD, "doc_oshirase_held"),
    ("oshirase", Holding.LOST, "doc_oshirase_lost"),
    ("old_card", OldCard.HELD, "doc_old_card"),
    ("portal", YesNo.YES, "doc_portal"),
)
_EVENT_TICKS = (
    ("status", Status.LEFT, "event_leaving"),
    ("joined_on", ASK, "event_joined"),
    ("name_changed", YesNo.YES, "event_name_changed"),
    ("reader", Reader.NONE, "event_no_reader"),
)
# What an unticked box means for its fact.
_UNTICKED: dict[str, Any] = {
    "kakuninsho": Holding.NONE,
    "oshirase": Holding.NONE,
    "old_card": OldCard.NONE,
    "portal": YesNo.NO,
    "status": Status.ENROLLED,
    "name_changed": YesNo.NO,
    "reader": Reader.OK,
}


def _has_myna(v: Values) -> bool:
    return v.get("myna") is Myna.YES


def _tick_relevant(field: str, v: Values) -> bool:
    if field in v or (field == "status" and "left_on" in v):
        return False
    # The portal, the clinic's reader and the update after joining only matter with a
    # マイナ保険証.
    if field in ("portal", "reader", "joined_on"):
        return _has_myna(v)
    return True


def _ticks(table: tuple[tuple[str, Any, str], ...]) -> Callable[[Values], Sequence[Choice]]:
    def offered(v: Values) -> Sequence[Choice]:
        return [Choice((f, val), label) for f, val, label in table if _tick_relevant(f, v)]

    return offered


QUESTIONS: tuple[Question, ...] = (
    Question(
        "myna",
        "select",
        choices=lambda v: [
            Choice(Myna.YES, "myna_yes"),
            Choice(Myna.NO, "myna_no"),
            Choice(Myna.UNKNOWN, "myna_unknown"),
            Choice(Myna.LOST, "myna_lost"),
        ],
    ),
    Question("cert_expiry", "date", asks=_has_myna, optional=True),
    Question("documents", "checkbox", choices=_ticks(_DOCUMENT_TICKS)),
    Question(
        "kakuninsho_expiry",
        "date",
        optional=True,
        asks=lambda v: v.get("kakuninsho") is Holding.HELD,
    ),
    Question("events", "checkbox", choices=_ticks(_EVENT_TICKS)),
    Question("left_on", "date", optional=True, asks=lambda v: v.get("status") is Status.LEFT),
    Question("joined_on", "date", asks=lambda v: False),  # only once its tick says ASK
)


# Facts the wizard never asks, and why (tests/unit/test_facts.py checks the rest are asked).
NOT_ASKED = {
    "as_of": "the wizard is about today; --as-of asks about another day",
    "unreachable": "employers say this of a leaver; a member does not",
    "retired_on": "the leaving question asks for the 資格喪失日 and explains it is the day after",
}


def facts_asked() -> set[str]:
    """Every fact some question of the wizard can set."""
    asked = {q.key for q in QUESTIONS if q.kind != "checkbox"}
    return asked | {field for field, _value, _label in (*_DOCUMENT_TICKS, *_EVENT_TICKS)}


def _pending(q: Question, values: Values) -> bool:
    """Whether ``q`` still has something to ask, given the values so far."""
    if q.kind == "checkbox":
        return bool(q.choices(values))
    if values.get(q.key) == ASK:
        return True
    return q.key not in values and q.asks(values)


# ---- asking ---------------------------------------------------------------------


def run(
    values: dict[str, Any], today: date, pack: RulePack, msgs: Messages, prompter: Prompter
) -> dict[str, Any]:
    """Ask every pending question in order; returns the values with the answers added."""
    for q in QUESTIONS:
        if not _pending(q, values):
            continue
        message = msgs("question", q.key, expiry=pack.kakuninsho_expiry.isoformat())
        if q.kind == "select":
            values[q.key] = prompter.select(message, _labelled(q.choices(values), msgs))
        elif q.kind == "checkbox":
            offered = q.choices(values)
            picked = prompter.checkbox(message, _labelled(offered, msgs))
            _apply_ticks(values, offered, picked)
        else:
            _ask_date(q, values, today, msgs, prompter, message)
    return values


def _labelled(choices: Sequence[Choice], msgs: Messages) -> list[tuple[str, Any]]:
    return [(msgs("question", c.label), c.value) for c in choices]


def _apply_ticks(values: dict[str, Any], offered: Sequence[Choice], picked: Sequence[Any]) -> None:
    for field, value in picked:
        values[field] = value
    for field, _value in (c.value for c in offered):
        if field not in values and field in _UNTICKED:
            values[field] = _UNTICKED[field]


def _ask_date(
    q: Question,
    values: dict[str, Any],
    today: date,
    msgs: Messages,
    prompter: Prompter,
    message: str,
) -> None:
    label = msgs("fact", q.key)

    def problem(text: str) -> str | None:
        if not text.strip():
            return None if q.optional else msgs("question", "date_required")
        try:
            parse_fact(q.key, text, today, label=label)
        except KenpoError as err:
            return msgs("error", err.code, **err.params)
        return None

    answer = prompter.date(message, problem)
    if answer.strip():
        values[q.key] = parse_fact(q.key, answer, today, label=label)
    else:
        values.pop(q.key, None)


class QuestionaryPrompter:
    """Asks on the terminal with questionary; Ctrl-C raises KeyboardInterrupt, Ctrl-D EOFError."""

    def __init__(self, msgs: Messages) -> None:
        import sys

        import questionary
        from prompt_toolkit.output import create_output

        self._q = questionary
        self._style = questionary.Style([("qmark", "fg:ansicyan bold"), ("answer", "bold")])
        # Questions go to stderr, the terminal, so stdout carries the verdict alone
        # (`kenpo check --json > mine.json` still asks on screen).
        stream = sys.stderr if sys.stderr.isatty() else sys.stdout
        self._kw: dict[str, Any] = {"output": create_output(stdout=stream), "style": self._style}
        self._hint = msgs("question", "checkbox_hint")
        self._conflict = msgs("question", "checkbox_conflict")

    @staticmethod
    def _ask(question: Any) -> Any:
        """Ask, with Ctrl-D meaning end of input in lists too (prompt_toolkit only does it in
        text prompts), so that every question can be left the same way."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        eof = KeyBindings()

        @eof.add("c-d", eager=True)
        def _end(event: Any) -> None:
            event.app.exit(exception=EOFError())

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, eof])
        return question.unsafe_ask()

    def select(self, message: str, choices: Sequence[tuple[str, Any]]) -> Any:
        opts = [self._q.Choice(title=label, value=value) for label, value in choices]
        return self._ask(self._q.select(message, choices=opts, **self._kw))

    def checkbox(self, message: str, choices: Sequence[tuple[str, Any]]) -> list[Any]:
        opts = [self._q.Choice(title=label, value=value) for label, value in choices]

        def consistent(picked: list[Any]) -> bool | str:
            fields = [f for f, _ in picked]
            return True if len(fields) == len(set(fields)) else self._conflict

        answer = self._ask(
            self._q.checkbox(
                message, choices=opts, validate=consistent, instruction=self._hint, **self._kw
            )
        )
        return list(answer)

    def date(self, message: str, validate: Callable[[str], str | None]) -> str:
        def check(text: str) -> bool | str:
            found = validate(text)
            return True if found is None else found

        return str(self._ask(self._q.text(message, validate=check, **self._kw)))


def ask_missing(
    gathered: Gathered,
    today: date,
    pack: RulePack,
    msgs: Messages,
    prompter: Prompter | None = None,
) -> Gathered:
    """The gathered facts completed by asking on the terminal (the ``kenpo check`` seam)."""
    values = run(dict(gathered.values), today, pack, msgs, prompter or QuestionaryPrompter(msgs))
    return Gathered(values)
