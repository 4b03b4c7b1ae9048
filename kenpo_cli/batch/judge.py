"""From a row's fact cells to its verdict, each distinct verdict judged and rendered once.

Real sheets repeat few verdicts but many dates: 資格取得日 spread over forty years,
certificate expiries all different. So a row's cells are read one by one (each distinct
cell once, then from a cache), and the verdict is looked up by the row's
:func:`~kenpo_cli.core.rules.representative.representative` — facts whose dates are
put where the rules cannot tell them apart — and the day. The rendered verdict is kept
for the next row with the same representative; memory is bounded by the caches' sizes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from kenpo_cli.batch.tasks import (
    KAKUNINSHO_RETURNS,
    URGENCIES,
    Task,
    ended,
    no_doctor,
    office_step,
    step_task,
    step_urgency,
    urgency,
)
from kenpo_cli.core.dates import excel_empty_date, normalise, quick_date
from kenpo_cli.core.facts import (
    FACT_BY_NAME,
    MAX_DEPENDANTS,
    assumed,
    check_as_of,
    make_facts,
    parse_fact,
)
from kenpo_cli.core.model import (
    Action,
    ActionKind,
    Audience,
    Coverage,
    Facts,
    Holding,
    Item,
    Myna,
    Notice,
    Status,
    Verdict,
    conditional,
)
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.core.rules import evaluate
from kenpo_cli.core.rules.representative import representer
from kenpo_cli.errors import ContradictoryFacts, KenpoError
from kenpo_cli.i18n import Messages


class Judged(NamedTuple):
    """A verdict as the output needs it (the writer's rendering) and as the summary counts it."""

    shown: Any  # what the writer made of the verdict: JSON members, or CSV cells
    counted: int  # what the summary counts of it, as one number (see counted())
    dated: tuple[Action, ...] = ()  # the steps with a day or owed now by the office, for --ics
    audience: Audience = Audience.MEMBER  # who reads the steps' reasons
    # (action, item, urgency, whether it is the office's task) of each step
    steps: frozenset[tuple[str, str, str, bool]] = frozenset()


_COVERAGES = tuple(Coverage)
# The 資格確認書 one row may have to collect: the member's, each dependant's, a found one.
_MOST_CARDS = 2 + MAX_DEPENDANTS
_LEVELS = 1 + len(URGENCIES)  # a counted step: none, or 1 + its urgency's index
_TALLIES = 4  # 資格確認書 to collect, loss reports, renewals, other documents to collect
# counted()'s numbers; the last factors: whether a leaver's dependants are not known, and
# whether a step is for a document that may not exist (model.conditional)
COUNTED = len(_COVERAGES) * _LEVELS**_TALLIES * (_MOST_CARDS + 1) * 2 * 2


def counted(verdict: Verdict) -> int:
    """What the summary counts of a verdict, as one small number: the 資格確認書 to collect
    (cards, not people), and the urgency of collecting them, of a loss report, of a
    certificate to renew and of another document to collect (an old 保険証; each none, or
    the step's urgency plus one), and the coverage as the 受診できない sheet has it (a
    former member's is counted as covered: see tasks.no_doctor). A row then costs the
    summary one addition. Outermost, whether the verdict is a leaver's whose dependants'
    number was not given (their cards are in no count), and whether a step is for a
    document that may not exist (in no count either)."""
    tallies = _tally(verdict)
    cards = min(verdict.cards_to_collect(), _MOST_CARDS)
    family = any(w.code == "dependants_unknown" for w in verdict.warnings)
    gone = ended(verdict)
    maybe = any(conditional(a) and step_task(a, gone) is not None for a in verdict.actions)
    number = (maybe * 2 + family) * (_MOST_CARDS + 1) + cards
    for level in tallies:
        number = number * _LEVELS + level
    shown = verdict.coverage if no_doctor(verdict) else Coverage.YES
    return number * len(_COVERAGES) + _COVERAGES.index(shown)


class Counted(NamedTuple):
    """What :func:`counted` folded into one number."""

    cards: int
    collect: int  # each urgency: 0 for no such step, else 1 + its index in URGENCIES
    loss: int
    renew: int
    other: int
    coverage: Coverage
    family_unknown: bool  # a leaver whose dependants' number was not given
    maybe: bool  # a step for a document that may not exist (model.conditional)


def uncounted(number: int) -> Counted:
    """The cards, the four urgencies, the coverage and whether the dependants are not
    known, of a number :func:`counted` gave."""
    number, coverage = divmod(number, len(_COVERAGES))
    number, other = divmod(number, _LEVELS)
    number, renew = divmod(number, _LEVELS)
    number, loss = divmod(number, _LEVELS)
    number, collect = divmod(number, _LEVELS)
    number, cards = divmod(number, _MOST_CARDS + 1)
    maybe, family = divmod(number, 2)
    shown = _COVERAGES[coverage]
    return Counted(cards, collect, loss, renew, other, shown, bool(family), bool(maybe))


def _own_renewal(step: Action, gone: bool) -> bool:
    """A former member's certificate renewal: theirs, not the office's."""
    return gone and step.action is ActionKind.RENEW and step.item is Item.MYNA_CERT


class Row(NamedTuple):
    """One row's verdict, with what is its own: the facts as given and those assumed."""

    judged: Judged
    facts: Facts
    as_of: date
    assumed: tuple[str, ...]


_UNSEEN = object()  # a cell not read before (None is a reading: "not given")


class RowError(Exception):
    """A row that gets an ``error`` (naming its columns) instead of a verdict."""


# Each task sheet's count (tasks.step_task decides the sheet, for the sheets, the calendar
# and the summary alike): the collect sheet's 資格確認書 apart from its other documents.
_TALLIED = {Task.COLLECT: 0, Task.LOSS_REPORT: 1, Task.RENEWAL: 2}
_OTHER_RETURNS = 3


def _tally(verdict: Verdict) -> tuple[int, int, int, int]:
    """For each count of the summary: 0 if the verdict has no such step, else 1 + the
    index of its most urgent one's urgency."""
    found = [0, 0, 0, 0]
    gone = ended(verdict)
    for a in verdict.actions:
        task = step_task(a, gone)
        if task is None or conditional(a):  # (on the sheets, but not in the counts)
            continue
        n = _TALLIED[task]
        if task is Task.COLLECT and a.item not in KAKUNINSHO_RETURNS:
            n = _OTHER_RETURNS
        level = URGENCIES.index(urgency(a, verdict.as_of)) + 1
        found[n] = min(found[n] or level, level)
    return found[0], found[1], found[2], found[3]


_FIELDS = Facts._fields
_AS_OF = len(_FIELDS)  # a row's slots: the facts in Facts' order, then as_of
_DEFAULTS = (*Facts._field_defaults.values(), None)
assert len(_DEFAULTS) == _AS_OF + 1, "every field of Facts has a default"
# Facts that make_facts derives others from: a row giving one is built by it. (A
# 資格確認書 expiry gives the 資格確認書 only where that was not given itself.)
_DERIVING = frozenset({"left_on", "retired_on"})
_STATUS = _FIELDS.index("status")
# A leaving day on or after this is an HR system's mark for "no end date" (2099/12/31,
# 9999/12/31), read as no leaving day.
NO_END = date(2099, 12, 31)
_FAR_YEAR = re.compile(r"(\d{4})[-/.年]")
_new = tuple.__new__  # a NamedTuple made from a tuple, without its keyword machinery


# What a leaver's 資格確認書 or 保険証 cell may say either way: 済 is 交付済 (still held)
# on a list of cards handed out, 回収済 (back) on a list of cards collected; 未 the
# reverse, 受領済 either. Read as the staff's words, a card still out fell off the list
# to collect: such a word on a leaver's row is refused, unless the office gave its
# meaning (--map '資格確認書:済=none').
_EITHER_WAY = frozenset({"済", "済み", "未", "受領", "受領済", "受領済み", "郵送済", "郵送済み"})
_CARDS = ("kakuninsho", "old_card")
# A heading that says the column is about holding the card (資格確認書の有無, 保険証所持,
# 資格確認書交付): its 済 and 未 are 交付済 and 未交付, whoever's row.
_HELD_HEADING = re.compile("有無|所持|保有|交付|発行")


# A card column headed by a day (資格確認書交付日, 資格確認書回収日, マイナ保険証登録日): a
# date in it says the card was handed out (held), came back (none), or registered
# (yes). Under a plain 資格確認書 heading a date is refused (an expiry, or an issue day?).
_DAY_HEADINGS: dict[str, tuple[tuple[re.Pattern[str], Any], ...]] = {
    "kakuninsho": (
        (re.compile("回収|返却|返納"), Holding.NONE),
        (re.compile("交付|発行|受領|配布|送付"), Holding.HELD),
    ),
    "myna": ((re.compile("登録"), Myna.YES),),
}
# ... but not a day to come or a limit (返却予定日, 返却期限, 有効期限): nothing done yet.
_NOT_DONE = re.compile("予定|期限|期日|有効|締切|〆切|見込")


# 給与奉行 writes a choice as its code and its name (0:在籍, 2:退職): read by its name.
CODED = re.compile(r"\s*[0-9]+ ?[:：] ?(\S.*)", re.S)


# What a leaving day's cell may say instead of a day: the person leaves, on a day not
# known yet (as --status leaving without a day). "-", "ー", "なし" say there is no day.
_UNDECIDED_DAY = frozenset(
    normalise(w) for w in ("未定", "不明", "調整中", "未確定", "確認中", "tbd")
)


@lru_cache(maxsize=1024)
def undecided_day(raw: str) -> bool:
    """Whether a leaving day's cell says the day is not known yet (未定, 不明, 調整中).
    Kept: a 退職日 column says なし or - on most rows, and folding costs more."""
    return normalise(raw) in _UNDECIDED_DAY


def _slot(fact: str) -> int:
    return _AS_OF if fact == "as_of" else _FIELDS.index(fact)


def _as_sheet_word(err: KenpoError, fact: str) -> KenpoError:
    """A word a closed-choice column does not know (パート in 在籍状況) is likely the
    sheet's own: its error also shows how to give its meaning (--map '列:語=値'), with
    no value filled in: a copied example could say the opposite of the word (未返却=none)."""
    if err.code == "invalid_value" and FACT_BY_NAME[fact].values is not None:
        err.code = "invalid_value_column"
    return err


class RowJudge:
    """The verdict for a row's fact cells: :attr:`row` (cells in ``columns`` order) gives
    its :class:`Row`, or raises :class:`RowError`.

    ``columns`` are (fact, heading) of the fact columns, in the order of the cells given;
    ``label`` names a fact in messages (its column's heading, else its code).
    """

    CELLS = 1024  # distinct cells kept per column (as typed: はい, 有, 2027/3/31, …)
    DATES = CELLS // 2  # of which dates read by quick_date (room is left for the rest)
    ROWS = 4096  # distinct rows of fact cells kept, while rows repeat at all
    TRIAL = 8192  # rows after which a row cache that rarely hits is given up
    # Distinct representatives kept, each with its rendered verdict and rows (about 2 KB):
    # a sheet with a year of leavers has some 7,000 (benchmarks/batch.py), and a cache that
    # fills is emptied and judged afresh: 8,192 holds them (17 MiB more at a million rows).
    VERDICTS = 8192

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        label: Callable[[str], str],
        today: date,
        as_of: date,
        pack: RulePack,
        msgs: Messages,
        render: Callable[[Verdict], Any],
        exact: bool = False,
        words: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.columns = list(columns)
        self.words = words or {}  # an office's own cell words, by fact (--map 'COL:済=yes')
        self.empty_dates: list[str] = []  # facts with a cell of Excel's empty date (1900/1/0)
        # Each fact column: its slot, its bit in a row's mask of given facts, whether it
        # holds dates, the cells read so far, and its fact.
        self.kinds: list[tuple[int, int, bool, dict[str, Any], str]] = [
            (_slot(fact), 1 << n, FACT_BY_NAME[fact].is_date, {}, fact)
            for n, (fact, _) in enumerate(self.columns)
        ]
        bits = {fact: 1 << n for n, (fact, _) in enumerate(self.columns)}
        self.deriving = sum(bit for fact, bit in bits.items() if fact in _DERIVING)
        self.expiry_alone = (bits.get("kakuninsho_expiry", 0), bits.get("kakuninsho", 0))
        # The card columns whose words may say "held" or "returned" on a leaver's row
        # (their position among the fact cells, the fact, the words the office left open).
        self.either_way = [
            (n, fact, open_words)
            for n, (fact, heading) in enumerate(self.columns)
            if fact in _CARDS
            and not _HELD_HEADING.search(heading)  # (資格確認書の有無: 未 is "not held")
            and (open_words := _EITHER_WAY - {normalise(w) for w in self.words.get(fact, {})})
        ]
        # What a date means in a card column headed by a day (see _DAY_HEADINGS).
        self.dated_means: dict[str, Any] = {}
        for fact, heading in self.columns:
            for pattern, meaning in _DAY_HEADINGS.get(fact, ()):
                if pattern.search(heading) and not _NOT_DONE.search(heading):
                    self.dated_means.setdefault(fact, meaning)
        self.label = label
        self.today, self.as_of, self.pack, self.msgs = today, as_of, pack, msgs
        self.render = render
        self.error_sep = msgs("batch", "error_sep")
        self.exact = exact
        # exact: every row judged afresh from its own facts (tests compare the two).
        self.keys: dict[date, Callable[[Facts], Facts]] = {}  # by day: the representer
        self.key = self._key(as_of)
        self.assumed_by_mask: dict[int, tuple[str, ...]] = {}
        # What a row is judged by: through a cache of whole rows, until trial_over.
        self.row: Callable[[tuple[str, ...]], Row] = self._row
        self.verdict: Callable[[Facts, date], Judged] = self._verdict  # on a row's own day
        self.judged: dict[Facts, Judged] = {}  # on the run's day, by representative
        if not exact:
            self.row = lru_cache(maxsize=self.ROWS)(self._row)
            self.verdict = lru_cache(maxsize=self.VERDICTS)(self._verdict)

    def trial_over(self) -> Callable[[tuple[str, ...]], Row]:
        """After :data:`TRIAL` rows, give up the row cache if rows rarely repeated (dates
        all different): then it costs more than it saves, and each row is read cell by
        cell. Returns what rows are judged by from now on (:attr:`row`)."""
        info = getattr(self.row, "cache_info", None)
        if info is not None and info().hits < self.TRIAL // 4:
            self.row = self._row
        return self.row

    def _row(self, raws: tuple[str, ...]) -> Row:
        """The row's verdict: its cells read into the slots of Facts (this runs for every
        row of a sheet whose dates all differ: benchmarks/batch.py)."""
        slots = list(_DEFAULTS)
        given = 0
        errors = None
        undecided = False  # a leaving day's cell says 未定: leaving, on a day not known
        for (slot, bit, is_date, seen, fact), raw in zip(self.kinds, raws, strict=True):
            if not raw or raw.isspace():
                continue
            value = seen.get(raw, _UNSEEN)
            if value is _UNSEEN:
                value = quick_date(raw) if is_date else None
                if value is not None and bit & self.deriving and value >= NO_END:
                    self._no_end(fact)  # 2099/12/31: no leaving day
                    value = seen[raw] = None
                elif value is None:
                    try:
                        value = self._cell(fact, raw, seen)
                    except RowError as err:
                        if bit & self.deriving and undecided_day(raw):  # 調整中
                            undecided = True
                            given |= bit
                        else:
                            errors = [*(errors or ()), str(err)]
                        continue
                elif len(seen) < self.DATES and not self.exact:
                    seen[raw] = value
            if value is not None:  # "-", "不明": not given
                slots[slot] = value
                given |= bit
            elif bit & self.deriving and undecided_day(raw):
                undecided = True
                given |= bit
        if errors:
            raise RowError(self.error_sep.join(errors))
        day = slots.pop()
        if day is None:
            day = self.as_of
            key = self.key
        else:
            self._checked(lambda: check_as_of(day, self.pack, self.label("as_of")))
            key = self.keys.get(day) or self._key(day)
        expiry, held = self.expiry_alone
        if given & self.deriving or (given & expiry and not given & held):
            kinds = self.kinds
            values = {_FIELDS[s]: slots[s] for s, bit, *_ in kinds if given & bit and s < _AS_OF}
            values = {k: v for k, v in values.items() if v is not None}
            if undecided and values.get("status") is not Status.LEFT:
                values["status"] = Status.LEAVING
            try:
                facts = make_facts(values, self.label, day)
            except KenpoError as err:
                raise self._error(err) from None
        else:  # what make_facts makes of facts without a leaving day, built directly
            facts = _new(Facts, slots)
        if self.either_way and facts.status is not Status.ENROLLED:
            self._either_way(raws)
        if day == self.as_of and not self.exact:
            # The run's own day: a plain dict by representative (an lru_cache's bookkeeping
            # costs a row more than the look-up; the dict is emptied when full).
            represented = key(facts)
            judged = self.judged.get(represented) or self._judged(represented)
        else:
            judged = self.verdict(key(facts), day)
        assumed = self.assumed_by_mask.get(given)
        if assumed is None:
            assumed = self.assumed_by_mask[given] = self._assumed(given)
        return _new(Row, (judged, facts, day, assumed))

    def _either_way(self, raws: tuple[str, ...]) -> None:
        """Refuse a leaver's card cell that says 済 or 未 (see _EITHER_WAY)."""
        for n, fact, words in self.either_way:
            if (raw := raws[n]) and normalise(raw) in words:
                label = self.label(fact)
                said = self.msgs("error", "either_way_word", field=label, value=raw.strip())
                raise RowError(said)

    def _key(self, day: date) -> Callable[[Facts], Facts]:
        """What a row's facts are looked up by on ``day``: their representative."""
        if len(self.keys) >= 64:
            self.keys.clear()  # a column of as_of days: kept bounded
        key = self.keys[day] = (lambda facts: facts) if self.exact else representer(day, self.pack)
        return key

    def _assumed(self, given: int) -> tuple[str, ...]:
        """The facts assumed in a row that gave the facts of the bits in ``given``."""
        headed = [fact for _, bit, _, _, fact in self.kinds]
        return assumed([fact for _, bit, _, _, fact in self.kinds if given & bit], headed)

    def _cell(self, fact: str, raw: str, seen: dict[str, Any]) -> Any:
        """One cell read by the general parser, and kept (unless the column has many)."""
        heading = self.label(fact)
        if FACT_BY_NAME[fact].values is not None and (coded := CODED.fullmatch(raw)):
            named = self._cell(fact, coded.group(1), {})  # 0:在籍 (給与奉行): 在籍
            if len(seen) < self.CELLS and not self.exact:
                seen[raw] = named
            return named
        own = self.words.get(fact)
        if own is not None and (key := normalise(raw)) in own:
            value = own[key]
        elif FACT_BY_NAME[fact].is_date and excel_empty_date(raw):
            value = None  # 1900/1/0, 00:00:00: Excel's empty date, no date at all
            if fact not in self.empty_dates:
                self.empty_dates.append(fact)
        elif (
            fact in _DERIVING
            and (year := _FAR_YEAR.match(normalise(raw)))
            and int(year[1]) >= NO_END.year
        ):
            self._no_end(fact)  # 9999/12/31: past the years a date is read in
            value = None
        else:
            try:
                value = parse_fact(fact, raw, self.today, label=heading)
            except KenpoError as err:
                if err.code == "value_is_date" and fact in self.dated_means:
                    value = self.dated_means[fact]  # 交付日 2025/11/20: held
                    if len(seen) < self.CELLS and not self.exact:
                        seen[raw] = value
                    return value
                said = (  # a formula's text: its result was never saved
                    KenpoError("formula_no_result", field=heading, value=raw)
                    if raw.startswith("=")
                    else err
                )
                raise self._error(_as_sheet_word(said, fact)) from None
            if fact in _DERIVING and isinstance(value, date) and value >= NO_END:
                self._no_end(fact)
                value = None
        if len(seen) < self.CELLS and not self.exact:
            seen[raw] = value
        return value

    def _no_end(self, fact: str) -> None:
        """A leaving day of 2099/12/31 or later is an HR system's "no end date", not a day
        anyone leaves on: no leaving day, said with Excel's empty date (the summary)."""
        if fact not in self.empty_dates:
            self.empty_dates.append(fact)
        return None

    def _judged(self, represented: Facts) -> Judged:
        """The verdict on the run's day of facts not met before, kept for the next rows."""
        judged = self._verdict(represented, self.as_of)
        if len(self.judged) >= self.VERDICTS:
            self.judged.clear()
        self.judged[represented] = judged
        return judged

    def _verdict(self, facts: Facts, day: date) -> Judged:
        verdict = self._checked(lambda: evaluate(facts, day, self.pack, timeline=False))
        return self._judging(verdict, day)

    def amended(self, row: Row, notices: tuple[Notice, ...], family_back: bool = False) -> Row:
        """``row`` with warnings of its own from cells its facts do not hold (a 75th
        birthday soon, a 契約満了日 past, a note), and with no step for the dependants'
        cards when its collection column says they came back too (回収済（家族分含む）):
        judged afresh once, with all of them, and not kept (few rows have any)."""
        key = self.keys.get(row.as_of) or self._key(row.as_of)
        day = row.as_of
        verdict = self._checked(lambda: evaluate(key(row.facts), day, self.pack, timeline=False))
        if family_back:
            theirs = (ActionKind.RETURN, Item.DEPENDANTS_KAKUNINSHO)
            kept = tuple(a for a in verdict.actions if (a.action, a.item) != theirs)
            if len(kept) < len(verdict.actions):
                verdict = verdict._replace(actions=kept)
                notices = (*notices, Notice("dependants_cards_back"))
        verdict = verdict._replace(warnings=(*verdict.warnings, *notices))
        return row._replace(judged=self._judging(verdict, day))

    def _judging(self, verdict: Verdict, day: date) -> Judged:
        gone = ended(verdict)
        # (A former member's certificate renewal is on no office list, --ics-all's either.)
        dated = tuple(
            a
            for a in verdict.actions
            if office_step(a, gone) or (a.day is not None and not _own_renewal(a, gone))
        )
        steps = frozenset(
            (a.action.value, a.item.value, step_urgency(a, day), office_step(a, gone))
            for a in verdict.actions
        )
        return Judged(self.render(verdict), counted(verdict), dated, verdict.audience, steps)

    def _checked(self, work: Callable[[], Any]) -> Any:
        """``work()``, its refusal turned into this row's error (columns named as headed)."""
        try:
            return work()
        except KenpoError as err:
            raise self._error(err) from None

    def _error(self, err: KenpoError) -> RowError:
        if isinstance(err, ContradictoryFacts):
            err.relabel(self.label)
        code = "value_is_date_column" if err.code == "value_is_date" else err.code  # --map
        return RowError(self.msgs("error", code, **err.params))
