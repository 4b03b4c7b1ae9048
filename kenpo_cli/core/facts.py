"""The facts: described once, read from what people type, made into :class:`Facts`.

:data:`FACTS` is the one description of every fact. The command line's flags,
the answers-file keys, the batch columns and the wizard's questions are all made
from it; a fact's label, flag help and question text are found in each message
catalogue under its name (tests/unit/test_facts.py checks that every fact has all
of them).

Each closed-choice fact takes its code (``yes``, ``held``, …) and the words an HR
sheet or a member would use (``はい``, ``有``, ``紛失``, …), full-width or not.
"""

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
    """One fact: its name (flag, key and column), its values (``None``: a date), and the
    column headings HR sheets give it besides its name and its label."""

    name: str
    values: type[StrEnum] | None
    columns: tuple[str, ...] = ()

    @property
    def is_date(self) -> bool:
        return self.values is None

    @property
    def flag(self) -> str:
        """The command-line flag: ``left_on`` is ``--left-on``."""
        return flag_name(self.name)

    @property
    def metavar(self) -> str:
        """What the flag takes, for help: ``DATE`` or ``yes|no|unknown|lost``."""
        return "DATE" if self.values is None else "|".join(m.value for m in self.values)

    @property
    def default(self) -> Any:
        """The contract's default when the fact is not given (``None``: unknown)."""
        return Facts._field_defaults.get(self.name)


# The headings HR sheets give a fact's column besides its code and label. They are
# matched after folding width, case, spaces and line breaks, and after taking off a
# bracketed note or an 「の有無」-style ending (kenpo_cli/batch_header.py): 「資格喪失日
# （予定）」 and 「マイナ保険証の有無」 need no entry of their own.
_LEFT_ON = (
    "資格喪失日", "資格喪失年月日", "喪失日", "喪失年月日", "資格喪失予定日", "喪失予定日",
    "被保険者資格喪失日", "被保険者資格喪失年月日", "健保喪失日", "健康保険資格喪失日",
    "健康保険喪失日",
)  # fmt: skip
_JOINED_ON = (
    "資格取得日", "資格取得年月日", "取得日", "取得年月日", "被保険者資格取得日",
    "被保険者資格取得年月日", "健保取得日", "健康保険資格取得日", "健康保険取得日",
)  # fmt: skip
_MYNA = (
    "マイナ保険証", "マイナ保険証登録", "マイナ保険証利用登録", "マイナ保険証の登録",
    "健康保険証利用登録", "保険証利用登録", "健康保険証としての利用登録",
    "マイナンバーカードの健康保険証利用登録", "マイナンバーカード健康保険証利用登録",
    "マイナ登録", "マイナ保険証の利用登録", "マイナ保険証の登録状況",
    "マイナンバーカード保険証利用登録", "マイナンバーカードの保険証利用登録",
    "マイナンバーカードの保険証登録", "健康保険証の利用登録",
)  # fmt: skip
_CERT_EXPIRY = (
    "電子証明書有効期限", "電子証明書の有効期限", "利用者証明用電子証明書の有効期限",
    "利用者証明用電子証明書有効期限", "電子証明書期限", "電子証明書の期限",
    "電子証明書有効期限日", "マイナンバーカード電子証明書有効期限",
    "マイナンバーカードの電子証明書の有効期限",
)  # fmt: skip
_OLD_CARD = (
    "現行の健康保険証", "従来の保険証", "健康保険証", "保険証", "旧保険証",
    "健康保険被保険者証", "被保険者証", "現行保険証",
)  # fmt: skip

# In the contract's order. ``as_of`` is the day asked about; the rest are Facts fields.
FACTS: tuple[FactSpec, ...] = (
    FactSpec("as_of", None, ("基準日", "判定日", "判定基準日")),
    FactSpec(
        "status",
        Status,
        (
            "在籍状況",
            "状態",
            "在籍",
            "在籍状態",
            "在職",
            "在職状況",
            "在職状態",
            "資格状態",
            "雇用状態",
            "雇用状況",
            "ステータス",
            "status",
        ),
    ),
    FactSpec("left_on", None, _LEFT_ON),
    FactSpec("joined_on", None, _JOINED_ON),
    FactSpec("myna", Myna, _MYNA),
    FactSpec("cert_expiry", None, _CERT_EXPIRY),
    FactSpec(
        "kakuninsho",
        Holding,
        ("資格確認書", "資格確認書交付", "資格確認書の交付", "資格確認書所持", "資格確認書の所持"),
    ),
    FactSpec(
        "kakuninsho_expiry",
        None,
        ("資格確認書有効期限", "資格確認書の有効期限", "資格確認書期限", "資格確認書の期限"),
    ),
    FactSpec(
        "oshirase",
        Holding,
        ("資格情報のお知らせ", "お知らせ", "資格情報のお知らせ交付", "資格情報通知"),
    ),
    FactSpec("old_card", OldCard, _OLD_CARD),
    FactSpec("portal", YesNo, ("マイナポータル", "マイナポータル利用")),
    FactSpec("reader", Reader, ("カードリーダー", "読取機")),
    FactSpec("name_changed", YesNo, ("氏名変更", "氏名変更等", "氏名等変更")),
    FactSpec("unreachable", YesNo, ("連絡不能", "連絡不可", "連絡先不明")),
    FactSpec(
        "retired_on",
        None,
        (
            "退職日",
            "退職年月日",
            "退職予定日",
            "退職予定年月日",
            "退職日付",
            "離職日",
            "離職年月日",
            "退社日",
            "退社年月日",
            "退社予定日",
            "retirement date",
            "retirementdate",
            "retired on",
            "date of retirement",
        ),
    ),
)
FACT_BY_NAME: dict[str, FactSpec] = {spec.name: spec for spec in FACTS}
ALL_FIELDS: tuple[str, ...] = tuple(FACT_BY_NAME)
CHOICE_FACTS: dict[str, type[StrEnum]] = {s.name: s.values for s in FACTS if s.values is not None}
assert set(ALL_FIELDS) == {"as_of", *FACT_NAMES}, "FACTS and Facts must name the same facts"

_YES = (
    "yes", "y", "true", "1", "はい", "有", "有り", "あり", "○", "〇", "◯", "●", "◎", "✓", "✔",
    "済", "済み", "登録済", "登録済み", "登録あり", "登録有", "該当", "該当あり",
)  # fmt: skip
_NO = (
    "no", "n", "false", "0", "いいえ", "無", "無し", "なし", "×", "✕", "✖", "x", "未", "未登録",
    "登録なし", "該当なし", "非該当", "対象外", "-", "--",
)  # fmt: skip
_LOST = ("lost", "紛失", "紛失した", "滅失", "き損", "毀損", "なくした", "失くした", "破損")
_HELD = ("持っている", "所持", "保有", "交付済", "交付済み", "受領", "受領済", "発行済")
_NOT_HELD = ("未交付", "未受領", "未発行", "持っていない")

# The words people use for each value, besides its code.
_WORDS: dict[type[StrEnum], dict[str, tuple[str, ...]]] = {
    Status: {
        # On leave (休職, 産休, 育休) a person is still a member.
        "enrolled": (
            "在籍",
            "在籍中",
            "在職",
            "在職中",
            "加入中",
            "加入",
            "被保険者",
            "休職",
            "休職中",
            "産休",
            "産休中",
            "育休",
            "育休中",
            "産前産後休業",
            "育児休業",
            "休業",
            "休業中",
        ),
        "left": ("退職", "退職済", "退職済み", "退社", "退社済", "喪失", "資格喪失", "喪失済"),
        "leaving": ("退職予定", "退職見込み", "喪失予定", "予定"),
    },
    Myna: {
        "yes": (*_YES, "保有", "所持", "保有あり", "所持あり"),
        "no": (
            *_NO,
            "未申請",
            "未保有",
            "未所持",
            "保有なし",
            "所持なし",
            "申請中",
            "登録解除",
            "解除済",
            "解除済み",
        ),
        "unknown": ("?", "不明", "わからない", "分からない", "未確認", "確認中", "要確認"),
        "lost": _LOST,
    },
    Holding: {
        "held": (*_YES, *_HELD, "再交付済", "再交付済み"),
        # Handed back already: not held any more.
        "none": (*_NO, *_NOT_HELD, "返却済", "返却済み", "回収済", "回収済み"),
        "lost": _LOST,
    },
    OldCard: {"held": (*_YES, *_HELD), "none": (*_NO, *_NOT_HELD, "返却済", "廃棄済", "回収済")},
    YesNo: {"yes": _YES, "no": _NO},
    Reader: {
        "ok": ("yes", "あり", "有", "使える", "読める", "○", "〇"),
        "none": ("no", "なし", "無", "ない", "使えない", "読めない", "×", "✕"),
    },
}
# Words that say "I don't know" or "nothing to say" for a fact with no such value: the
# fact is then not given (its default is assumed, and the batch row says so).
NOT_GIVEN = frozenset(normalise(w) for w in ("不明", "?", "未定", "未確認", "n/a", "na"))


@cache
def _lookup(kind: type[StrEnum]) -> dict[str, StrEnum]:
    """Every word for a value of ``kind``, folded, to its value (built on first use)."""
    table: dict[str, StrEnum] = {normalise(m.value): m for m in kind}
    for code, words in _WORDS[kind].items():
        for word in words:
            table.setdefault(normalise(word), kind(code))
    return table


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
        words = [w for w in _WORDS[CHOICE_FACTS[field]][member.value] if not w.isascii()][:3]
        shown.append(f"{member.value}（{'・'.join(words)}）" if words else member.value)
    return ", ".join(shown)


def parse_fact(field: str, raw: Any, today: date, label: str | None = None) -> Any:
    """One fact's typed value from a string (or a TOML date); ``None`` when the text says
    the fact is not given (``-`` or ``なし`` for a date, ``不明`` where nothing else fits).

    Errors name ``label`` (the flag, key or column the value came from), else ``field``.
    """
    name = label or field
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
        found = _lookup(kind).get(key)
        if found is None and key in NOT_GIVEN:
            return None
        if found is None:
            raise InvalidValue(name, raw, accepted_words(field))
        return found
    if field != "as_of" and is_no_date(raw):  # the day asked about is always a day
        return None
    return parse_date(raw, name, today)


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
    return "2026-11-26"


# The facts that can be taken at their default, in the contract's order (the day is not
# one: it is --as-of's, or today).
DEFAULTED = tuple(spec.name for spec in FACTS if spec.name != "as_of")
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
        if still and as_of is not None and left <= as_of:
            raise KenpoError(
                "contradiction_enrolled_left",
                status=label("status"),
                value=given["status"].value,
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
