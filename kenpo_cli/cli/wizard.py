"""The ``kenpo check`` wizard: ask, one question at a time, only what can change the verdict.

Facts already given by flags or an answers file are never asked. The questions
are plain data (:data:`QUESTIONS`); a :class:`Prompter` asks them. The real one
draws on the terminal (questionary and prompt_toolkit); tests inject a scripted one.

The member can go back a question (the prompter answers :data:`BACK`), sees every
answer on one screen before the verdict and can change any of them, and may save
the answers. The flow is replayed from the answers so far each time, so a changed
answer drops the questions it made unnecessary and asks the ones it made needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from kenpo_cli.core.dates import is_no_date, normalise
from kenpo_cli.core.facts import Gathered, parse_fact
from kenpo_cli.core.model import FACT_NAMES, Holding, Myna, OldCard, Reader, Status, YesNo
from kenpo_cli.core.relevance import can_matter
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import KenpoError, shown_file
from kenpo_cli.i18n import Messages

if TYPE_CHECKING:
    from prompt_toolkit.key_binding import KeyBindings

Values = Mapping[str, Any]
# Whether a fact (at a value, or at any: None) may still change the verdict, given the
# values so far: the core's answer (core/relevance.py), never a table of the wizard's own.
Matters = Callable[[str, Any, Values], bool]


class Back:
    """The answer "go back to the previous question"."""

    def __repr__(self) -> str:
        return "BACK"


BACK = Back()


class QuitWizard(Exception):
    """The member left the wizard (Ctrl-D): no verdict, and no advice meant for scripts."""


@dataclass(frozen=True)
class Choice:
    """One answer offered: ``value`` is recorded, ``label`` (a [question] key) is shown."""

    value: Any
    label: str


@dataclass(frozen=True)
class Question:
    """A question: a single choice, several ticks, or a date (blank allowed when optional).

    ``title`` names it on the review screen. A date question is asked when the fact
    ``when[0]`` has the value ``when[1]``; ``blank`` is what a blank date means besides
    "no date" (``blank_label`` says it on the review screen).
    """

    key: str
    kind: str  # "select", "checkbox", "date" or "count" (a number of people)
    title: str
    choices: Callable[[Values, Matters], Sequence[Choice]] = lambda v, matters: ()
    when: tuple[str, Any] | None = None
    optional: bool = False
    blank: tuple[str, Any] | None = None
    blank_label: str = ""


class Ask(NamedTuple):
    """What the prompter shows: the question (``key`` names it), where it stands in the
    list ("質問 2（最大 5 問）"), and how to answer it."""

    key: str
    message: str
    progress: str
    hint: str


class Prompter(Protocol):
    """Asks on some screen. Each method may return :data:`BACK`; Ctrl-C raises
    KeyboardInterrupt and leaving (Ctrl-D) raises :class:`QuitWizard`."""

    def select(self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Any = None) -> Any: ...
    def checkbox(
        self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Sequence[Any] = ()
    ) -> Any: ...
    def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any: ...
    def note(self, lines: Sequence[str]) -> None: ...
    def unnote(self) -> None:
        """Take back the last note (an answer that was just undone), where the screen can."""


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
    ("kakuninsho", Holding.FOUND, "doc_kakuninsho_found"),  # last: the others keep their places
)
_EVENT_TICKS = (
    ("left_on", ASK, "event_leaving"),
    ("joined_on", ASK, "event_joined"),
    ("name_changed", YesNo.YES, "event_name_changed"),
    ("reader", Reader.NONE, "event_no_reader"),
)
# What an unticked box means: the fact it sets, and to what. "Not recently joined" is
# an answer too (no date), so that a saved file does not ask it again.
_UNTICKED: dict[str, tuple[str, Any]] = {
    "kakuninsho": ("kakuninsho", Holding.NONE),
    "oshirase": ("oshirase", Holding.NONE),
    "old_card": ("old_card", OldCard.NONE),
    "portal": ("portal", YesNo.NO),
    "left_on": ("status", Status.ENROLLED),
    "joined_on": ("joined_on", None),
    "name_changed": ("name_changed", YesNo.NO),
    "reader": ("reader", Reader.OK),
}
# The facts that, once known, make a tick pointless (default: its own).
_DECIDED_BY = {"left_on": ("left_on", "status", "retired_on")}


def _tick_offered(field: str, v: Values, matters: Matters, value: Any = None) -> bool:
    """Whether the tick setting ``field`` (to ``value``; None: any) is offered, now or
    later: not when the answers so far settle the fact, nor when the core says it can no
    longer change the verdict (the portal or the clinic's reader without a card that
    could work, for instance)."""
    if any(fact in v for fact in _DECIDED_BY.get(field, (field,))):
        return False
    return matters(field, None if value == ASK or isinstance(value, tuple) else value, v)


def _ticks(
    table: tuple[tuple[str, Any, str], ...],
) -> Callable[[Values, Matters], Sequence[Choice]]:
    def offered(v: Values, matters: Matters) -> Sequence[Choice]:
        return [
            Choice((f, val), label) for f, val, label in table if _tick_offered(f, v, matters, val)
        ]

    return offered


def _known(v: Values) -> dict[str, Any]:
    """The facts the values so far give (not a date still to be asked)."""
    return {k: x for k, x in v.items() if k in FACT_NAMES and x != ASK}


QUESTIONS: tuple[Question, ...] = (
    Question(
        "myna",
        "select",
        "myna_title",
        choices=lambda v, matters: [
            Choice(Myna.YES, "myna_yes"),
            Choice(Myna.NO, "myna_no"),
            Choice(Myna.UNKNOWN, "myna_unknown"),
            Choice(Myna.LOST, "myna_lost"),
            Choice(Myna.FOUND, "myna_found"),
        ],
    ),
    Question(
        "cert_expiry",
        "date",
        "cert_expiry_title",
        when=("myna", Myna.YES),
        optional=True,
        blank_label="blank_unknown",
    ),
    Question("documents", "checkbox", "documents_title", choices=_ticks(_DOCUMENT_TICKS)),
    Question(
        "kakuninsho_expiry",
        "date",
        "kakuninsho_expiry_title",
        when=("kakuninsho", (Holding.HELD, Holding.FOUND)),  # found: the reissued one's
        optional=True,
        blank_label="blank_pack_expiry",
    ),
    Question("events", "checkbox", "events_title", choices=_ticks(_EVENT_TICKS)),
    Question(
        "left_on",
        "date",
        "left_on_title",
        when=("left_on", ASK),
        optional=True,
        blank=("status", Status.LEAVING),  # leaving, on a day not yet known
        blank_label="blank_leaving",
    ),
    Question("joined_on", "date", "joined_on_title", when=("joined_on", ASK)),
    # Dependants' 資格確認書 go back with a leaver's: asked only of someone leaving.
    Question("dependants", "count", "dependants_title", optional=True, blank_label="blank_unknown"),
)
_TICK_TABLES = {"documents": _DOCUMENT_TICKS, "events": _EVENT_TICKS}


# Facts the wizard never asks, and why (tests/unit/test_facts.py checks the rest are asked).
NOT_ASKED = {
    "as_of": "the wizard is about today; --as-of asks about another day",
    "unreachable": "employers say this of a leaver; a member does not",
    "retired_on": "the leaving question asks for the 資格喪失日 and explains it is the day after",
}


def facts_asked() -> set[str]:
    """Every fact some question of the wizard can set."""
    asked = {q.key for q in QUESTIONS if q.kind == "select"}
    asked |= {q.key for q in QUESTIONS if q.kind in ("date", "count")}
    asked |= {q.blank[0] for q in QUESTIONS if q.blank}
    asked |= {field for field, _value, _label in (*_DOCUMENT_TICKS, *_EVENT_TICKS)}
    return asked | {fact for fact, _value in _UNTICKED.values()}


def _leaving(v: Values) -> bool:
    """Whether the answers so far say the member leaves (or has left)."""
    left = v.get("left_on")
    said = left is not None and left != ASK
    return said or v.get("status") in (Status.LEFT, Status.LEAVING) or "retired_on" in v


def _pending(q: Question, v: Values, matters: Matters) -> bool:
    """Whether ``q`` has something to ask, given the values so far."""
    if q.kind == "count":
        return q.key not in v and _leaving(v)
    if q.kind == "checkbox":
        return bool(q.choices(v, matters))
    if q.kind == "select":
        return q.key not in v
    assert q.when is not None
    fact, value = q.when
    wanted = value if isinstance(value, tuple) else (value,)  # one value, or any of several
    due = v.get(fact) in wanted and (q.key not in v or v[q.key] == ASK)
    return due and matters(q.key, None, v)


def _may_ask(q: Question, v: Values, matters: Matters) -> bool:
    """Whether ``q`` may still be asked, once the questions before it are answered."""
    if _pending(q, v, matters):
        return True
    if q.kind == "checkbox":
        return any(_tick_offered(f, v, matters, val) for f, val, _l in _TICK_TABLES[q.key])
    if q.kind == "count":  # leaving may still be said (a tick, or the day it asks for)
        asking_day = v.get("left_on") == ASK
        return q.key not in v and (
            _leaving(v) or asking_day or _tick_offered("left_on", v, matters)
        )
    if q.when is None or q.key in v:
        return False
    fact, value = q.when
    return fact not in v and (fact == "myna" or _tick_offered(fact, v, matters, value))


def _given_ticks(key: str, given: Values) -> list[str]:
    """The labels of a list's ticks that the given facts already settle as ticked
    (``--kakuninsho held`` is "I have a 資格確認書" on the documents list)."""
    ticks = {"documents": _DOCUMENT_TICKS, "events": _EVENT_TICKS}.get(key, ())
    leaving = given.get("status") in (Status.LEFT, Status.LEAVING)
    out = []
    for fact, value, label in ticks:
        found = given.get(fact)
        if value == ASK:
            said = leaving or given.get("retired_on") is not None
            ticked = (found is not None and found != ASK) or (fact == "left_on" and said)
        else:
            ticked = found == value
        if ticked:
            out.append(label)
    return out


# "I don't know" (not "not decided yet", 未定): typed as the leaving day, it could mean
# someone who has left (and is covered no more) as well as someone leaving later.
_UNSURE = frozenset(
    {"わからない", "分からない", "わかりません", "分かりません", "不明", "?", "？", "unknown"}
    | {"dontknow", "don'tknow", "don’tknow", "idontknow", "idon'tknow", "notsure", "notknown"}
)


def _blank(typed: str) -> bool:
    """Whether a date typed says "not known (yet)": nothing, or 未定, 不明, わからない, -
    (as ``--left-on 未定`` does)."""
    return not typed.strip() or is_no_date(typed)


def _seeded(given: Values) -> dict[str, Any]:
    """The given values, and a leaving day to ask for if a leaver's day is not given."""
    values = dict(given)
    if values.get("status") is Status.LEFT and not {"left_on", "retired_on"} & set(values):
        values["left_on"] = ASK
    return values


# ---- the flow -------------------------------------------------------------------


class Asked(NamedTuple):
    """What the wizard gathered, and where the member asked to save the answers (if so)."""

    gathered: Gathered
    save_to: Path | None


class _Flow:
    """The answers so far, replayed over the given facts in the questions' order."""

    def __init__(self, given: Values, today: date, pack: RulePack) -> None:
        self.given = _seeded(given)
        self.today = today
        as_of = self.given.get("as_of", today)
        self.matters: Matters = lambda field, value, v: can_matter(
            field, _known(v), as_of, pack, value
        )
        self.answers: dict[str, Any] = {}  # by question key, as the prompter returned them
        self.remembered: dict[str, Any] = {}  # the last answer to each, to offer again
        self.seen: dict[str, set[Any]] = {}  # the ticks offered when a list was answered

    def replay(self) -> tuple[dict[str, Any], list[Question]]:
        """The values the answers give, and the questions asked so far: the last is the
        next to ask if it has no answer yet."""
        values = dict(self.given)
        asked: list[Question] = []
        for q in QUESTIONS:
            if not _pending(q, values, self.matters):
                continue
            asked.append(q)
            if q.kind == "checkbox" and not self._seen_all(q, values):
                # A changed answer offers ticks the member has not seen: ask the list again.
                self.answers.pop(q.key, None)
            if q.key not in self.answers:
                break
            self.apply(q, self.answers[q.key], values)
        return values, asked

    def _seen_all(self, q: Question, values: Values) -> bool:
        return {c.value for c in q.choices(values, self.matters)} <= self.seen.get(q.key, set())

    def apply(self, q: Question, answer: Any, values: dict[str, Any]) -> None:
        if q.kind == "select":
            values[q.key] = answer
        elif q.kind == "checkbox":
            offered = [c.value for c in q.choices(values, self.matters)]
            picked = [tick for tick in answer if tick in offered]
            for field, value in picked:
                values[field] = value
            for field, _value in offered:
                if field not in {f for f, _ in picked} and field in _UNTICKED:
                    fact, meaning = _UNTICKED[field]
                    values[fact] = meaning
        elif not _blank(answer) or (q.kind == "count" and answer.strip()):  # なし: 0 people
            values[q.key] = parse_fact(q.key, answer, self.today)
        else:
            values[q.key] = None  # answered: not known, or none
            if q.blank is not None:
                values.setdefault(*q.blank)

    def answer(self, q: Question, value: Any, values: Values) -> None:
        self.answers[q.key] = self.remembered[q.key] = value
        self.seen[q.key] = {c.value for c in q.choices(values, self.matters)}

    def back(self) -> bool:
        """Forget the last answer, so that its question comes again; False at the first."""
        _values, asked = self.replay()
        answered = [q for q in asked if q.key in self.answers]
        if not answered:
            return False
        del self.answers[answered[-1].key]
        return True

    def progress(self, asked: list[Question], values: Values) -> tuple[int, int]:
        """Where the question being asked stands: k of at most n (n shrinks as answers
        make questions unnecessary, and the question says "at most")."""
        current = QUESTIONS.index(asked[-1])
        later = sum(_may_ask(q, values, self.matters) for q in QUESTIONS[current + 1 :])
        return len(asked), len(asked) + later


_CONFIRM = "confirm"  # the review's "use these answers" (no question has this key)


class _Wizard:
    def __init__(self, flow: _Flow, pack: RulePack, msgs: Messages, prompter: Prompter) -> None:
        self.flow, self.msgs, self.prompter = flow, msgs, prompter
        self.pack = pack.on(flow.today)  # the expiry a 資格確認書 issued by today carries
        self.noted = 0  # the notes on screen: the answers' records, the review

    def note(self, lines: Sequence[str]) -> None:
        self.prompter.note(lines)
        self.noted += 1

    def unnote(self, every: bool = False) -> None:
        """Take back the last note (or ``every`` note) from the screen."""
        while self.noted:
            self.prompter.unnote()
            self.noted -= 1
            if not every:
                return

    def q(self, key: str, **kw: str) -> str:
        return self.msgs("question", key, **kw)

    def ask_all(self) -> None:
        """Ask until every pending question has an answer (going back when asked to)."""
        while True:
            values, asked = self.flow.replay()
            if not asked or asked[-1].key in self.flow.answers:
                return
            q = asked[-1]
            k, n = self.flow.progress(asked, values)
            answer = self.ask(q, values, self.q("progress", k=str(k), n=str(n)))
            if answer is BACK:
                if self.flow.back():
                    self.unnote()  # that answer's record goes with it
                continue
            self.flow.answer(q, answer, values)
            self.note([self.record(q, answer, values, f"{k}.")])

    def ask(self, q: Question, values: Values, progress: str) -> Any:
        gloss = self.msgs.glosser()  # a question is a screen: its hard words read out once
        message = gloss(self.q(q.key, expiry=self.pack.kakuninsho_expiry.isoformat()))
        before = self.flow.remembered.get(q.key)
        if q.kind in ("date", "count"):
            hint = self.q("date_hint" if q.kind == "date" else "count_hint")
            ask = Ask(q.key, message, progress, hint)
            return self.prompter.text(ask, self._date_problem(q), before or "")
        choices = [(gloss(self.q(c.label)), c.value) for c in q.choices(values, self.flow.matters)]
        if q.kind == "select":
            return self.prompter.select(
                Ask(q.key, message, progress, self.q("select_hint")), choices, before
            )
        ask = Ask(q.key, message, progress, self.q("checkbox_hint"))
        # A list answered "none of these" before comes back as [] (a list): still none.
        return self.prompter.checkbox(ask, choices, before if before is not None else ())

    def _date_problem(self, q: Question) -> Callable[[str], str | None]:
        label = self.msgs("fact", q.key)

        def problem(text: str) -> str | None:
            if q.key == "left_on" and normalise(text) in _UNSURE:
                # わからない typed: has the member left or not? Blank (未定) says not yet.
                return self.q("left_on_unknown")
            if _blank(text):
                return None if q.optional else self.q("date_required")
            try:
                parse_fact(q.key, text, self.flow.today, label=label)
            except KenpoError as err:
                return self.msgs("error", err.code, **err.params)
            return None

        return problem

    def answer_text(self, q: Question, answer: Any, values: Values) -> str:
        """An answer as the member chose it: the labels ticked, the date, or what blank means."""
        if q.kind == "select":
            offered = q.choices(values, self.flow.matters)
            return next(self.q(c.label) for c in offered if c.value == answer)
        if q.kind == "checkbox":
            labels = [
                self.q(c.label) for c in q.choices(values, self.flow.matters) if c.value in answer
            ]
            # What flags or an answers file said for this list: not asked, still true.
            labels += [self.q(label) for label in _given_ticks(q.key, self.flow.given)]
            return self.msgs.ui("list_sep").join(dict.fromkeys(labels)) or self.q("ticked_none")
        typed = q.kind == "count" and answer.strip()
        count = parse_fact(q.key, answer, self.flow.today) if typed else None
        if count is not None:  # (わからない typed is as blank: not known)
            return str(count)
        if _blank(answer) or q.kind == "count":
            return self.q(q.blank_label, expiry=self.msgs.date(self.pack.kakuninsho_expiry))
        day = parse_fact(q.key, answer, self.flow.today)
        if q.key == "left_on":  # said with the day before, so a last working day typed shows
            last = self.msgs.date(day - timedelta(days=1))
            said = "left_on_retired_past" if day <= self.flow.today else "left_on_retired"
            return self.msgs.date(day) + self.q(said, day=last)
        return self.msgs.date(day)

    def record(self, q: Question, answer: Any, values: Values, where: str) -> str:
        text = self.answer_text(q, answer, values)
        return self.q("answered", where=where, title=self.q(q.title), answer=text)

    def review(self) -> bool:
        """Show every answer on one screen; True when the member confirms them, False
        after changing one (or going back)."""
        _values, asked = self.flow.replay()
        shown, lines, gloss = dict(self.flow.given), [], self.msgs.glosser()
        for q in asked:
            answer = self._shown(q, shown)
            lines.append(gloss(self.q("reviewed", title=self.q(q.title), answer=answer)))
        self.unnote(every=True)  # the answers' records: the review says them all again
        self.note([self.q("review_title"), *lines])
        choices: list[tuple[str, Any]] = [(self.q("review_confirm"), _CONFIRM)]
        choices += [(self.q("review_change", title=self.q(q.title)), q.key) for q in asked]
        ask = Ask("review", self.q("review"), "", self.q("select_hint"))
        picked = self.prompter.select(ask, choices, _CONFIRM)
        if picked == _CONFIRM:
            return True
        self.unnote()  # the review is shown again once the answers change
        if picked is BACK:
            if self.flow.back():
                self.unnote()
        else:
            del self.flow.answers[picked]
        return False

    def _shown(self, q: Question, values: dict[str, Any]) -> str:
        answer = self.flow.answers[q.key]
        text = self.answer_text(q, answer, values)
        self.flow.apply(q, answer, values)
        return text

    def offer_save(self) -> Path | Back | None:
        """Where the member wants the answers saved (None: not saved; BACK: to the review)."""
        offer = Ask("save", self.q("save"), "", self.q("select_hint"))
        where = Ask("save_file", self.q("save_file"), "", self.q("text_hint"))
        name = self.q("save_default")
        while True:
            wanted = self.prompter.select(
                offer, [(self.q("save_no"), False), (self.q("save_yes"), True)]
            )
            if wanted is BACK or not wanted:
                return BACK if wanted is BACK else None
            while (typed := self.prompter.text(where, self._file_problem, name)) is not BACK:
                name = typed.strip()
                path = Path(name).expanduser()  # ~/kenpo.toml, as the README writes it
                if not path.exists() or self._overwrite(name):
                    return path

    def _overwrite(self, name: str) -> bool:
        """Whether the member wants the file that is there replaced (else: another name)."""
        asked = self.q("save_overwrite", file=shown_file(name))
        ask = Ask("save_overwrite", asked, "", self.q("select_hint"))
        choices = [(self.q("save_other_name"), False), (self.q("save_replace"), True)]
        return self.prompter.select(ask, choices) is True

    def _file_problem(self, text: str) -> str | None:
        """What stops the answers being saved there, said before the verdict (a failure
        after it would lose the answers)."""
        import os

        path = Path(text.strip()).expanduser()
        if path.is_symlink():  # refused when saved (never written through): say it now
            return self.q("save_link", file=shown_file(path))
        if not text.strip() or path.is_dir() or (path.exists() and not path.is_file()):
            return self.q("save_file_needed")
        folder = path.parent
        if not folder.is_dir():
            return self.q("save_no_folder", folder=shown_file(folder))
        if not os.access(folder, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        ):
            return self.q("save_not_allowed", folder=shown_file(folder))
        return None


def run(
    given: Values,
    today: date,
    pack: RulePack,
    msgs: Messages,
    prompter: Prompter,
    offer_save: bool = False,
) -> Asked:
    """Ask every pending question, then the review (and the offer to save); returns the
    values with the answers added."""
    flow = _Flow(given, today, pack)
    wizard = _Wizard(flow, pack, msgs, prompter)
    while True:
        wizard.ask_all()
        if not flow.answers:  # nothing was asked: nothing to review
            return Asked(Gathered(flow.replay()[0]), None)
        if not wizard.review():
            continue
        save_to = wizard.offer_save() if offer_save else None
        if save_to is BACK:
            continue
        values, _asked = flow.replay()
        assert not isinstance(save_to, Back)
        return Asked(Gathered(values), save_to)


class TerminalPrompter:
    """Asks on the terminal (stderr, so that stdout keeps the verdict alone). Ctrl-C
    raises KeyboardInterrupt, Ctrl-D :class:`QuitWizard`, ← answers :data:`BACK`."""

    def __init__(self, msgs: Messages, colour: bool) -> None:
        import os
        import sys

        import questionary
        from prompt_toolkit.output import ColorDepth, create_output

        self._q = questionary
        # `kenpo check --json > mine.json` still asks on screen.
        self._stream = sys.stderr if sys.stderr.isatty() else sys.stdout
        try:
            self._columns = os.get_terminal_size(self._stream.fileno()).columns
        except OSError:  # not a terminal after all
            self._columns = 80
        depth = ColorDepth.DEPTH_8_BIT if colour else ColorDepth.DEPTH_1_BIT
        styles = [("qmark", "fg:ansicyan bold"), ("answer", "bold"), ("error", "fg:ansired")]
        self._style = questionary.Style(styles if colour else [("qmark", "bold")])
        self._kw: dict[str, Any] = {
            "output": create_output(stdout=self._stream),
            "style": self._style,
            "color_depth": depth,
            "erase_when_done": True,  # the prompter writes its own record of the answer
        }
        self._conflict = msgs("question", "checkbox_conflict")
        self._none = msgs("question", "ticked_none")
        self._nothing = msgs("question", "checkbox_nothing_ticked")
        self._msgs = msgs
        self._phrases = msgs.phrases
        self._noted: list[int] = []  # the screen lines of each note, to take one back
        # What was typed or ticked on a question left with ←, offered when it comes again.
        self._drafts: dict[str, Any] = {}

    def _run(self, question: Any, more: KeyBindings | None = None) -> Any:
        """Ask, with ← for back and Ctrl-D for quitting in lists too (prompt_toolkit only
        ends text prompts on Ctrl-D); ``more``: key bindings of this question's own."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        keys: KeyBindings = KeyBindings() if more is None else more

        @keys.add("c-d", eager=True)
        def _quit(event: Any) -> None:
            event.app.exit(exception=EOFError())

        @keys.add("left", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=BACK)

        @keys.add("escape", eager=True)
        def _nothing(event: Any) -> None:
            pass  # no Emacs command (a repeat count, say) starts here

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, keys])
        try:
            return question.unsafe_ask()
        except EOFError:
            raise QuitWizard from None

    def _heading(self, ask: Ask) -> str:
        """The question, wrapped here by words (prompt_toolkit would cut a date in two),
        again at each redraw (a narrowed window)."""
        text = f"{ask.progress}  {ask.message}" if ask.progress else ask.message
        return _Fitted(text, self._columns, self._phrases, first=2)

    def _hint(self, ask: Ask, *notes: str) -> str:
        """The hint on a line of its own (never empty: questionary would put its English
        there), after ``notes`` (a mistake, a tick just made), rewrapped at each redraw."""
        return _Fitted("\n" + "\n".join([*notes, ask.hint]), self._columns, self._phrases)

    def _choice(self, label: str, lead: int) -> str:
        """A choice's label wrapped under itself (``lead``: the columns before it, the
        pointer and the tick box), so that a long one is not cut at the screen's edge."""
        return _Fitted(label, self._columns, self._phrases, lead=lead)

    def select(self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Any = None) -> Any:
        opts = [
            self._q.Choice(title=self._choice(label, 3), value=value) for label, value in choices
        ]
        start = next((o for o in opts if o.value == default), None)
        with _fitted_hints():
            question = self._q.select(
                self._heading(ask), opts, default=start, instruction=self._hint(ask), **self._kw
            )
        return self._run(question)

    def checkbox(
        self, ask: Ask, choices: Sequence[tuple[str, Any]], default: Sequence[Any] = ()
    ) -> Any:
        # A mistake is said right under the question, not in questionary's toolbar at the
        # bottom of the screen (where prompt_toolkit may not even draw it). "None of these"
        # is a choice of its own, so that Enter on a highlighted item never means none.
        from questionary.prompts.common import InquirerControl

        drafted = ask.key in self._drafts
        hint, ticked = self._hint(ask), list(self._drafts.pop(ask.key, default))
        pointed: Any = None  # the choice the cursor starts on
        touched = False  # Space used on this list since it came: Enter never ticks then
        labels = {value: label for label, value in choices}
        ticked = [value for value in ticked if value in labels]
        if not drafted and isinstance(default, list) and not ticked:
            # Answered "none of these" before: it comes back ticked, the cursor on it, so
            # that Enter keeps that answer instead of ticking the first item.
            ticked, pointed = [_NONE_TICKED], _NONE_TICKED
        while True:
            opts = [
                self._q.Choice(title=self._choice(label, 5), value=value, checked=value in ticked)
                for label, value in [*choices, (self._none, _NONE_TICKED)]
            ]
            with _fitted_hints():
                question = self._q.checkbox(
                    self._heading(ask), opts, instruction=hint, initial_choice=pointed, **self._kw
                )
            answer = self._run(question, _tick_keys(question, touched))
            if isinstance(answer, _Pointed):  # Enter with nothing ticked: tick, and say so
                pointed = answer.value
                if answer.untouched:
                    ticked = [answer.value]
                    said = self._msgs("question", "checkbox_ticked", choice=labels[answer.value])
                else:  # the member unticked what there was: not ticked again behind their back
                    ticked, said, touched = [], self._nothing, True
                hint = self._hint(ask, said)
                continue
            if answer is BACK:
                found = question.application.layout.find_all_controls()
                ic = next(c for c in found if isinstance(c, InquirerControl))
                self._drafts[ask.key] = [v for v in ic.selected_options if v in labels]
                return BACK
            answer = [value for value in answer if value is not _NONE_TICKED]
            fields = [f for f, _ in answer]
            if len(fields) == len(set(fields)):
                return answer
            hint, ticked = self._hint(ask, self._conflict), answer
            pointed = None

    def text(self, ask: Ask, validate: Callable[[str], str | None], default: str = "") -> Any:
        from kenpo_cli.cli.prompt import ask_text

        draft: list[str] = []
        typed = self._drafts.pop(ask.key, default)
        try:
            heading = f"{ask.progress}  {ask.message}" if ask.progress else ask.message
            answer = ask_text(
                heading, ask.hint, validate, typed, BACK, self._kw, self._phrases, draft
            )
            if answer is BACK and draft and draft[0].strip():
                self._drafts[ask.key] = draft[0]
            return answer
        except EOFError:
            raise QuitWizard from None

    def note(self, lines: Sequence[str]) -> None:
        from kenpo_cli.render.text import wrap

        count = 0
        for line in lines:
            lead = " " * (len(line) - len(line.lstrip()))
            text = line.lstrip()
            wrapped = wrap(text, self._width() - 1, lead + "  ", lead, self._phrases)
            print("\n".join(wrapped), file=self._stream)
            count += len(wrapped)
        self._noted.append(count)
        self._stream.flush()

    def _width(self) -> int:
        """The terminal's width now (a window narrowed since the start wraps notes
        narrower, so that taking one back erases every line it took)."""
        import os

        try:
            return os.get_terminal_size(self._stream.fileno()).columns
        except OSError:
            return self._columns

    def unnote(self) -> None:
        # The questions erase themselves when answered: the last note is right above.
        if self._noted and self._stream.isatty():
            lines = self._noted.pop()
            self._stream.write(f"\r\x1b[{lines}A\x1b[J")  # up to its first line, clear below
            self._stream.flush()

    def clear(self) -> None:
        """Take every note back (the answers and the review), so that the verdict after
        them starts where the questions did and fits the screen. Lines that have
        scrolled off the top stay in the terminal's history."""
        import sys

        if self._noted and self._stream.isatty() and sys.stdout.isatty():
            lines, self._noted = sum(self._noted), []
            self._stream.write(f"\r\x1b[{lines}A\x1b[J")
            self._stream.flush()


class _Fitted(str):
    """A text questionary puts on screen with ``"{}".format(…)`` each time it draws (a
    question, a choice): wrapped by words to the terminal's width at that moment, so
    that a window narrowed mid-question shows it whole. ``first``: the columns before
    its first line; ``lead``: the columns before each of its lines."""

    def __new__(
        cls, text: str, columns: int, phrases: bool, first: int = 0, lead: int = 0
    ) -> _Fitted:
        fitted = super().__new__(cls, text)
        fitted.columns, fitted.phrases, fitted.first, fitted.lead = columns, phrases, first, lead
        return fitted

    columns: int
    phrases: bool
    first: int
    lead: int

    def __format__(self, spec: str) -> str:
        from prompt_toolkit.application.current import get_app_or_none

        from kenpo_cli.render.text import wrap

        app = get_app_or_none()
        columns = app.output.get_size().columns if app is not None else self.columns
        width = max(columns - 1 - self.lead, 10)
        lines: list[str] = []
        for paragraph in str(self).split("\n"):  # each line of its own, wrapped alone
            lead = " " * (self.first if not lines else 0)
            wrapped = wrap(paragraph, width, first=lead, phrases=self.phrases)
            lines += [wrapped[0][len(lead) :], *wrapped[1:]]
        return format(("\n" + " " * self.lead).join(lines), spec)


def _fitted_hints() -> Any:
    """While a questionary list is built: its prompt's texts that are :class:`_Fitted`
    (the hint, which questionary does not format) are wrapped at each redraw too."""
    import contextlib

    from questionary.prompts import common

    make = common.create_inquirer_layout

    def fitted(ic: Any, tokens: Any, **kw: Any) -> Any:
        def refit() -> list[tuple[str, str]]:
            return [(s, format(t) if isinstance(t, _Fitted) else t) for s, t in tokens()]

        return make(ic, refit, **kw)

    stack = contextlib.ExitStack()
    common.create_inquirer_layout = fitted  # type: ignore[assignment]
    stack.callback(setattr, common, "create_inquirer_layout", make)
    return stack


class _NoneTicked:
    """The list's own "none of these" choice (never an answer's value)."""

    def __repr__(self) -> str:
        return "NONE_TICKED"


_NONE_TICKED = _NoneTicked()


class _Pointed(NamedTuple):
    """Enter pressed on ``value`` with nothing ticked; ``untouched``: Space not used on
    this list since it was shown (nothing was ever unticked)."""

    value: Any
    untouched: bool


def _tick_keys(question: Any, touched: bool = False) -> KeyBindings:
    """A list's keys: Space ticks ("none of these" alone); Enter on "none of these" answers
    none, whatever is ticked; Enter on an item with nothing ticked asks again
    (:class:`_Pointed`: the item ticked if Space was not used, else "nothing is ticked")
    rather than answering none; ``a``/``i`` (questionary's tick all, invert) do nothing."""
    from prompt_toolkit.key_binding import KeyBindings
    from questionary.prompts.common import InquirerControl

    found = question.application.layout.find_all_controls()
    ic = next(c for c in found if isinstance(c, InquirerControl))
    keys = KeyBindings()
    spaced = [touched]

    @keys.add(" ", eager=True)
    def _tick(event: Any) -> None:
        spaced[0] = True
        value = ic.get_pointed_at().value
        if value in ic.selected_options:
            ic.selected_options.remove(value)
            return
        if value is _NONE_TICKED:
            ic.selected_options = []
        elif _NONE_TICKED in ic.selected_options:
            ic.selected_options.remove(_NONE_TICKED)
        ic.selected_options.append(value)

    @keys.add("enter", eager=True)
    def _enter(event: Any) -> None:
        value = ic.get_pointed_at().value
        if value is _NONE_TICKED:  # as the hint says: none, whatever was ticked before
            ic.selected_options = [_NONE_TICKED]
            ic.is_answered = True
            event.app.exit(result=[])
            return
        if not ic.selected_options:
            event.app.exit(result=_Pointed(value, not spaced[0]))
            return
        ic.is_answered = True
        event.app.exit(result=[c.value for c in ic.get_selected_values()])

    @keys.add("a", eager=True)
    @keys.add("i", eager=True)
    def _nothing(event: Any) -> None:
        pass

    return keys


def ask_missing(
    gathered: Gathered,
    today: date,
    pack: RulePack,
    msgs: Messages,
    prompter: Prompter | None = None,
    colour: bool = True,
    offer_save: bool = False,
) -> Asked:
    """The gathered facts completed by asking on the terminal (the ``kenpo check`` seam)."""
    asker = prompter or TerminalPrompter(msgs, colour)
    asked = run(gathered.values, today, pack, msgs, asker, offer_save)
    if isinstance(asker, TerminalPrompter):
        asker.clear()
    return asked
