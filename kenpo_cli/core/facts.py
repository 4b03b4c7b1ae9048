"""The facts: described once, read from what people type, made into :class:`Facts`.

:data:`FACTS` is the one description of every fact. The command line's flags,
the answers-file keys, the batch columns and the wizard's questions are all made
from it; a fact's label, flag help and question text are found in each message
catalogue under its name (tests/unit/test_facts.py checks that every fact has all
of them).

Each closed-choice fact takes its code (``yes``, ``held``, …) and the words an HR
sheet or a member would use (``はい``, ``有``, ``紛失``, …), full-width or not; those
words, and the headings HR sheets give each fact's column, are data
(kenpo_cli/data/vocabulary.toml).
"""

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple

from kenpo_cli.core.dates import is_no_date, normalise, parse_date
from kenpo_cli.core.model import (
    FACT_NAMES,
    Facts,
    Holding,
    Myna,
    OldCard,
    Reader,
    Status,
    YesNo,
)
from kenpo_cli.core.rulepack import RulePack
from kenpo_cli.errors import InvalidDate, InvalidValue, KenpoError


class FactSpec(NamedTuple):
    """One fact: its name (flag, key and column) and its values (``None``: a date)."""

    name: str
    values: type[StrEnum] | None
    people: bool = False  # a number of people, 0 and up (dependants)

    @property
    def columns(self) -> tuple[str, ...]:
        """The headings HR sheets give its column besides its name and its label
        (kenpo_cli/data/vocabulary.toml)."""
        return tuple(vocabulary()["columns"].get(self.name, ()))

    @property
    def is_date(self) -> bool:
        return self.values is None and not self.people

    @property
    def flag(self) -> str:
        """The command-line flag: ``left_on`` is ``--left-on``."""
        return flag_name(self.name)

    @property
    def metavar(self) -> str:
        """What the flag takes, for help: ``DATE``, ``N`` or ``yes|no|unknown|lost``."""
        if self.people:
            return "N"
        return "DATE" if self.values is None else "|".join(m.value for m in self.values)

    @property
    def default(self) -> Any:
        """The contract's default when the fact is not given (``None``: unknown)."""
        return Facts._field_defaults.get(self.name)


# In the contract's order. ``as_of`` is the day asked about; the rest are Facts fields.
FACTS: tuple[FactSpec, ...] = (
    FactSpec("as_of", None),
    FactSpec("status", Status),
    FactSpec("left_on", None),
    FactSpec("joined_on", None),
    FactSpec("myna", Myna),
    FactSpec("cert_expiry", None),
    FactSpec("kakuninsho", Holding),
    FactSpec("kakuninsho_expiry", None),
    FactSpec("oshirase", Holding),
    FactSpec("old_card", OldCard),
    FactSpec("portal", YesNo),
    FactSpec("reader", Reader),
    FactSpec("name_changed", YesNo),
    FactSpec("unreachable", YesNo),
    FactSpec("retired_on", None),
    FactSpec("dependants", None, people=True),
)
FACT_BY_NAME: dict[str, FactSpec] = {spec.name: spec for spec in FACTS}
ALL_FIELDS: tuple[str, ...] = tuple(FACT_BY_NAME)
CHOICE_FACTS: dict[str, type[StrEnum]] = {s.name: s.values for s in FACTS if s.values is not None}
assert set(ALL_FIELDS) == {"as_of", *FACT_NAMES}, (
    "FACTS and Facts must name the same facts; only in FACTS: "
    f"{sorted(set(ALL_FIELDS) - {'as_of', *FACT_NAMES})}, only in Facts (core/model.py): "
    f"{sorted(set(FACT_NAMES) - set(ALL_FIELDS))}"
)

# The words people use for each kind of value, besides its code: kenpo_cli/data/vocabulary.toml.
KIND_NAMES: dict[type[StrEnum], str] = {
    Status: "status",
    Myna: "myna",
    Holding: "holding",
    OldCard: "old_card",
    YesNo: "yes_no",
    Reader: "reader",
}


@cache
def vocabulary() -> Mapping[str, Any]:
    """kenpo_cli/data/vocabulary.toml: HR sheets' headings and cell words (read on first use)."""
    from kenpo_cli import datafiles

    return datafiles.load("vocabulary.toml")


@cache
def words(kind: type[StrEnum]) -> dict[str, tuple[str, ...]]:
    """The words for each value of ``kind`` (``"@yes"`` expanded from ``[shared]``)."""
    data = vocabulary()
    shared = data["shared"]
    out = {}
    for code, listed in data["values"][KIND_NAMES[kind]].items():
        out[code] = tuple(
            w for item in listed for w in (shared[item[1:]] if item.startswith("@") else (item,))
        )
    return out


# Words that say "I don't know" or "nothing to say" for a fact with no such value: the
# fact is then not given (its default is assumed, and the batch row says so).
NOT_GIVEN = frozenset(normalise(w) for w in ("不明", "?", "未定", "未確認", "n/a", "na"))


@cache
def _lookup(kind: type[StrEnum]) -> dict[str, StrEnum]:
    """Every word for a value of ``kind``, folded, to its value (built on first use)."""
    table: dict[str, StrEnum] = {normalise(m.value): m for m in kind}
    for code, listed in words(kind).items():
        for word in listed:
            table.setdefault(normalise(word), kind(code))
    return table


@cache
def _deceased() -> frozenset[str]:
    """The status words for a member who died, folded (vocabulary.toml's [refused])."""
    return frozenset(normalise(w) for w in vocabulary()["refused"]["deceased"])


def flag_name(field: str) -> str:
    """The command-line flag of a fact: ``left_on`` is ``--left-on``."""
    return "--" + field.replace("_", "-")


def accepted_values(field: str) -> str:
    """The codes a choice field accepts, for error messages (``yes, no, unknown, lost``)."""
    return ", ".join(m.value for m in CHOICE_FACTS[field])


def accepted_words(field: str) -> str:
    """The codes a choice field accepts, each with a few of the words people use for it
    (``yes（はい・有・済）, no（いいえ・無・×）``), for error messages."""
    shown = []
    for member in CHOICE_FACTS[field]:
        some = [w for w in words(CHOICE_FACTS[field])[member.value] if not w.isascii()][:3]
        shown.append(f"{member.value}（{'・'.join(some)}）" if some else member.value)
    return ", ".join(shown)


# The choice facts whose column may hold a date instead, and the date fact it may be.
_DATED = {"myna": "cert_expiry", "kakuninsho": "kakuninsho_expiry"}


def _is_date(raw: str, today: date) -> bool:
    try:
        parse_date(raw, "", today)
    except InvalidDate:
        return False
    return not raw.strip().isdigit() or len(raw.strip()) >= 5  # 1 and 0 are no days


def excel_text(cell: str) -> str:
    """The text an Excel text formula shows: ``="0001"`` is ``0001`` (a doubled quote
    inside is one); any other cell as it is."""
    if len(cell) > 2 and cell.startswith('="') and cell.endswith('"'):
        inner = cell[2:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"')
    return cell


def parse_fact(field: str, raw: Any, today: date, label: str | None = None) -> Any:
    """One fact's typed value from a string (or a TOML date); ``None`` when the text says
    the fact is not given (``-`` or ``なし`` for a date, ``不明`` where nothing else fits).

    Errors name ``label`` (the flag, key or column the value came from), else ``field``.
    """
    name = label or field
    if isinstance(raw, str) and raw.startswith('="'):
        raw = excel_text(raw)  # ="2026/12/01": Excel's text formula, the text it shows
    if field in COUNT_FACTS:
        return parse_count(raw, name)
    if isinstance(raw, datetime):  # a TOML date-time: its day is what counts
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise InvalidValue(name, str(raw), _accepted(field))  # a TOML time: 10:00:00
    if field in CHOICE_FACTS:
        kind = CHOICE_FACTS[field]
        if raw in kind._value2member_map_:  # a code as the contract writes it (--myna yes)
            return kind(raw)
        key = normalise(raw)
        if kind is Status and key in _deceased():
            raise KenpoError("status_deceased", field=name, value=raw)
        found = _lookup(kind).get(key)
        if found is None and kind is Status and _DEATH.search(key):  # 退職（死亡）
            raise KenpoError("status_deceased", field=name, value=raw)
        if found is None and key in NOT_GIVEN:
            return None
        if found is None and kind in _NOTED_KINDS and (bracketed := _NOTE.search(key)):
            found = _past_the_note(kind, key, bracketed)
        if found is None and field in _DATED and _is_date(raw, today):
            # 2025/04/01 under マイナ保険証: a registration day or the card's expiry? Not
            # exactly "yes" either way (it may have been cancelled, handed back, lost).
            raise KenpoError("value_is_date", field=name, value=raw, date_fact=_DATED[field])
        if found is None:
            raise InvalidValue(name, raw, accepted_words(field))
        return found
    if field != "as_of" and is_no_date(raw):  # the day asked about is always a day
        return None
    return parse_date(raw, name, today)


# A note in brackets after a word (産休（第2子）, 育休中（2027/3復帰予定）, 登録済（R7.3）).
_NOTE = re.compile(r"\(([^()]*)\)")
# (a card's too: 交付済（R7.11.20）; 済（回収） says whether it came back, no mere when: refused)
_NOTED_KINDS = frozenset({Status, Myna, Holding})


def _past_the_note(kind: type[StrEnum], key: str, note: re.Match[str]) -> StrEnum | None:
    """The value of a word read past its bracketed note when the note is a word of the
    same value or says no more than when (登録済（R7.3）, 育休中（2027/3復帰予定）, 産休
    （第2子）); None for any other note, which may change the meaning (在籍（退職予定）,
    在籍（12/31退職）, 出向中（社保は出向先）, 登録済（カード返納）, 有（カード紛失中）)."""
    base = (key[: note.start()] + key[note.end() :]).strip()
    found = _lookup(kind).get(base)
    inside = note.group(1).strip()
    said = _lookup(kind).get(inside)
    if said is not None:
        return found if said == found else None
    return found if _WHEN.sub("", inside) in _WHEN_WORDS else None


# What a note may hold and say no more than when: digits, date marks and eras...
_WHEN = re.compile(r"[0-9一二三四五六七八九十〇./\-:、,・年月日頃末初旬上下rhs令和平成昭和\s]")
# ... and these words (after the above are taken out: 第2子 is 第子). Not 予定: 退職
# （12/31予定） is a leaver still to go, not one gone.
_WHEN_WORDS = frozenset(
    {"", "第子", "復帰予定", "から", "より", "頃", "見込", "見込み",
     "時点", "現在", "付", "確認済", "確認済み", "本人確認済", "更新", "更新済", "更新済み",
     # a leave's kind after a word of leave (休業中（育児）, 休業中（労災・通勤災害）)
     "育児", "介護", "産休", "育休", "産前産後", "私傷病", "傷病", "病気", "労災", "通勤災害",
     "業務災害", "労災通勤災害", "無給", "有給", "海外勤務", "海外赴任", "海外駐在"}
)  # fmt: skip


# A death in a status word not listed (退職（死亡）, 死亡のため退職): refused as they are.
_DEATH = re.compile("死亡|死去|逝去|永眠|他界")


# Facts that are a number of people (被扶養者数), and the most kenpo believes of one.
COUNT_FACTS = frozenset(spec.name for spec in FACTS if spec.people)
MAX_DEPENDANTS = 20
# What a cell says when there are none (besides 0): a count's "none" is a number.
_NONE_WORDS = frozenset(
    normalise(w) for w in ("なし", "無", "無し", "いない", "none", "ゼロ", "扶養なし", "扶養無し")
)
# A cell that says there are some, not how many (有, ○ in an HR sheet's 被扶養者 column):
# the number is not known, which is what the verdict then says (warning dependants_unknown).
_SOME_WORDS = frozenset(
    normalise(w) for w in ("有", "有り", "あり", "アリ", "いる", "○", "◯", "〇", "yes")
)
# 2, 2人, 2名, 2（妻・長女）, 有(2), あり（2名）: the number, past a note of who they are.
_COUNT = re.compile(
    r"(?:有|有り|あり|アリ)\((\d{1,3})(?:人|名)?\)|(\d{1,3})(?:人|名|人分)?"
    r"(?:\((?:(?:妻|夫|配偶者|長男|長女|次男|次女|三男|三女|子|子供|父|母|義父|義母|祖父|祖母|孫|兄"
    r"|弟|姉|妹)[0-9]?(?:人|名)?|[・、,/ ])+\))?"
)  # (a note of who they are only: 2名(税のみ) is tax's dependants, not the insurance's)


def parse_count(raw: Any, name: str) -> int | None:
    """A number of people from ``2``, ``２人``, ``2名`` or ``なし`` (0); ``None`` for
    ``不明`` or ``-``, and for ``有`` or ``○`` (some, how many not said): not known, which
    is not 0. Errors name ``name`` with an example."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str):
        key = normalise(raw)
        if key in NOT_GIVEN or key in _SOME_WORDS or (is_no_date(raw) and key not in _NONE_WORDS):
            return None
        if key in _NONE_WORDS:
            return 0
        match = _COUNT.fullmatch(key)
        if match is None:
            raise _bad_count(name, raw)
        number = int(match.group(1) or match.group(2))
    else:
        raise _bad_count(name, str(raw))
    if not 0 <= number <= MAX_DEPENDANTS:
        raise _bad_count(name, str(raw))
    return number


def _bad_count(name: str, raw: str) -> KenpoError:
    """A count that is not one, said in each language with its examples (2, ２人, なし)."""
    return KenpoError("invalid_count", field=name, value=raw, high=str(MAX_DEPENDANTS))


def check_as_of(day: date, pack: RulePack, label: str) -> date:
    """``day`` as the day of a verdict: not before the pack's rules begin."""
    if day < pack.transition_start:
        raise InvalidDate(
            label, day.isoformat(), "before_rules", first=pack.transition_start.isoformat()
        )
    return day


def _accepted(field: str) -> str:
    if field in CHOICE_FACTS:
        return accepted_values(field)
    if field in COUNT_FACTS:
        return "2"
    return "2026-11-26"


# The facts that can be taken at their default, in the contract's order (the day is not
# one: it is --as-of's, or today).
# A count has no default to take (not given, it stays unknown): never "assumed".
DEFAULTED = tuple(spec.name for spec in FACTS if spec.name != "as_of" and not spec.people)
# Facts another given fact settles: a leaving day gives the status, 退職日 gives 資格喪失日.
_SETTLED_BY = {
    "status": ("left_on", "retired_on"),
    "left_on": ("retired_on",),
    "retired_on": ("left_on",),
    "kakuninsho": ("kakuninsho_expiry",),
}


def assumed(given: Iterable[str], columns: Iterable[str] = ()) -> tuple[str, ...]:
    """The facts taken at their default when only ``given`` were, in a sheet with
    ``columns``: neither in a cell nor settled by another fact that was.

    The leaving day is one fact in two spellings: it is said as the sheet has it
    (``retired_on`` for a sheet with only 退職日, else ``left_on``).
    """
    have, headed = set(given), set(columns)
    retired_only = "retired_on" in headed and "left_on" not in headed
    out = []
    for name in DEFAULTED:
        if name in have or any(other in have for other in _SETTLED_BY.get(name, ())):
            continue
        if name == ("left_on" if retired_only else "retired_on") and name not in headed:
            continue
        out.append(name)
    return tuple(out)


def make_facts(
    values: Mapping[str, Any], label: Callable[[str], str] = str, as_of: date | None = None
) -> Facts:
    """:class:`Facts` from typed values (contract defaults for the rest).

    This is the one place that derives facts from others: ``retired_on`` (退職日) gives
    ``left_on`` (資格喪失日, the next day), and a ``left_on`` makes the status ``left``.
    ``status = enrolled`` (or ``leaving``) with a leaving day still ahead of ``as_of`` is
    someone about to leave; with one already past it cannot be true, and is refused.
    An expiry printed on a 資格確認書 says one was issued: ``kakuninsho`` not given is
    then ``held``.
    ``label`` names a fact in errors (a flag, a key, a column).
    """
    given = dict(values)
    if given.get("kakuninsho_expiry") is not None and "kakuninsho" not in given:
        given["kakuninsho"] = Holding.HELD
    retired, left = given.get("retired_on"), given.get("left_on")
    joined = given.get("joined_on")
    if retired is not None:
        derived = retired + timedelta(days=1)
        if left is not None and left != derived:
            raise KenpoError(
                "contradiction_retired",
                retired=label("retired_on"),
                left=label("left_on"),
                expected=derived.isoformat(),
            )
        given["left_on"] = derived
    if (left := given.get("left_on")) is not None:  # leaving on a known day, or left
        still = given.get("status") in (Status.ENROLLED, Status.LEAVING)
        # Joined on or after that day: a 同日得喪 or a rehire, refused with its own reason
        # by the rules (rules/consistency.py), not as "enrolled but left".
        rejoined = joined is not None and joined >= left
        if still and as_of is not None and left <= as_of and not rejoined:
            raise KenpoError(
                "contradiction_enrolled_left",
                status=label("status"),
                left=label("retired_on" if retired is not None else "left_on"),
                left_value=(retired if retired is not None else left).isoformat(),
                as_of=as_of.isoformat(),
            )
        given["status"] = Status.LEFT
    return Facts(**given)


class Gathered:
    """Facts as given so far: typed values by field name, ``as_of`` included."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)

    def merged_under(self, lower: "Gathered") -> "Gathered":
        """These values over ``lower``'s (flags over an answers file, for instance)."""
        return Gathered({**lower.values, **self.values})

    def facts(self, label: Callable[[str], str] = flag_name, as_of: date | None = None) -> Facts:
        """The :class:`Facts` these values give, with contract defaults for the rest
        (checked against ``as_of`` when it is given: see :func:`make_facts`)."""
        given = {k: v for k, v in self.values.items() if k != "as_of"}
        return make_facts(given, label, as_of)

    def as_of(self, today: date) -> date:
        value = self.values.get("as_of", today)
        assert isinstance(value, date)
        return value


def gather(raw: Mapping[str, Any], today: date, origin: str = "", flags: bool = False) -> Gathered:
    """Parse a mapping of field name to raw value (``None`` or ``""`` means not given).

    Errors name the flag (``--left-on``) when ``flags``, else ``origin`` and the key.
    On the command line an empty value is refused: ``--as-of "$DAY"`` with an unset
    variable must not quietly become today.
    """
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name not in FACT_BY_NAME:
            raise KenpoError(
                "unknown_fact", field=key, origin=origin, accepted=", ".join(ALL_FIELDS)
            )
        if isinstance(value, str) and not value.strip() and flags:
            raise KenpoError(
                "empty_value", field=flag_name(name), example=_accepted(name).split(", ")[0]
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        label = flag_name(name) if flags else f"{origin}{key}"
        parsed = parse_fact(name, value, today, label=label)
        if parsed is not None:
            values[name] = parsed
    return Gathered(values)
