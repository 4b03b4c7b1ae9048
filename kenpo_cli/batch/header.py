"""The header of an HR sheet: where it is, and which column holds which fact.

HR systems name their columns their own way (資格喪失年月日, マイナ保険証の有無,
「資格喪失日（予定）」 with a line break inside …). A heading is matched after folding
width, case, spaces and line breaks; failing that, without its bracketed notes and
marks; failing that, without an ending such as の有無 or 区分. The spellings themselves
are in :data:`kenpo_cli.core.facts.FACTS` (each fact's ``columns``), the one place that
describes the facts. ``--map 列名=fact`` names the rest (``--map 列名=-``: not a fact).

The header need not be the first line: title rows above it are skipped. It is the first
of the first :data:`SEARCH` records that names a fact and has more than one cell (a lone
cell is more likely a title), else the first that names a fact at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from kenpo_cli.batch.csvrows import Malformed
from kenpo_cli.core.dates import normalise
from kenpo_cli.core.facts import FACT_BY_NAME, FACTS, KIND_NAMES, _lookup, vocabulary
from kenpo_cli.core.model import Status, YesNo
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import DEFAULT_LANG, Messages
from kenpo_cli.privacy import echoed, masked

SEARCH = 30  # records looked at for the header (a legend or notes block may come first)
Numbered = tuple[int, "list[str] | Malformed"]  # a record and the line it starts on
# Bytes the file's encoding could not decode (kept as lone surrogates).
SURROGATE = re.compile("[\udc00-\udcff]")

# A bracketed note: (予定), （必須）, 【必須】, [YYYY/MM/DD], <任意>, 「…」 (after NFKC).
_BRACKETED = re.compile(
    r"\([^()]*\)|\[[^\[\]]*\]|【[^】]*】|<[^<>]*>|〈[^〉]*〉|《[^》]*》|「[^」]*」"
)
_MARKS = "※*★☆■□●◆◇◎▼▽・:：#＃"
# Endings that say "whether" or "kind" of the fact, not another fact.
_ENDINGS = (
    "の有無", "有無", "の区分", "区分", "の状況", "状況", "の状態", "フラグ", "登録状況",
    "の受領", "受領", "の交付", "交付", "の所持", "所持", "の保有", "保有",
)  # fmt: skip
# Words a heading may begin with to say which insurance it is about (tried last).
_PREFIXES = ("健康保険", "健保", "被保険者", "社会保険", "社保")
_BRACKET_MARKS = re.compile(r"[()\[\]【】<>〈〉《》「」]")
# Words of an unread column's heading that suggest it holds a fact all the same.
_FACT_WORDS = re.compile(
    "マイナ保険証|マイナ|資格|喪失|取得|確認書|証明書|保険証|退職|離職|退社|入社|出社|在籍|在職"
    "|雇用|ステータス|status|retire|お知らせ|有効期限|期限|脱退|就業|契約終了|契約満了|最終出勤"
    "|^扶養(?:の?有無)?$"  # (see looks_like_dependants)
)
# 扶養 alone: the number of dependants, or whether there are any (扶養区分 is tax's, and
# passes through unsaid): not read unasked, but named with the --map that reads it.
_DEPENDANTS_ALONE = re.compile("扶養(?:の?有無)?")


def looks_like_either_card(name: str) -> bool:
    """Whether an unread column's heading is 保険証 alone (保険証の有無): the old card, or
    the 資格確認書 an office now calls so. Read as the old card, a member holding the
    資格確認書 was told to cut it up."""
    return bool(_EITHER_CARD.fullmatch(_BRACKETED.sub("", heading_key(name))))


_EITHER_CARD = re.compile("保険証(?:の)?(?:有無|所持|あり|有り|有|状況|交付)?")


def looks_like_dependants(name: str) -> bool:
    """Whether an unread column's heading may hold the number of dependants (扶養)."""
    return bool(_DEPENDANTS_ALONE.fullmatch(heading_key(name)))


# Columns that hold マイナンバー are never copied to the output, however spelled:
# "マイナンバー", "個人番号（マイナンバー）", "マイナンバー(個人番号)", "My Number", …
_MY_NUMBER_WORDS = re.compile("マイナンバー|個人番号|mynumber|マイナ番号")
_BRACKETS_AND_MARKS = re.compile(r"[()\[\]{}（）［］｛｝【】「」『』〈〉《》<>＜＞・_\-.:：#＃]")
_MY_NUMBER_REST = frozenset({"", "番号", "の番号", "no", "number", "12桁"})
# ... and whose it is, or which family member's (本人, 配偶者の, 扶養者, 家族1, 個人番号2)
_WHOSE_MY_NUMBER = re.compile(
    "(?:(?:本人|配偶者|扶養者|被扶養者|被保険者|家族|扶養家族|妻|夫|子|社員|従業員|世帯主)の?)?"
    "[0-9]{0,2}(?:番号|の番号|no|number|12桁)?[0-9]{0,2}"
)


@cache
def _harmless_notes() -> frozenset[str]:
    return frozenset(heading_key(n) for n in vocabulary()["notes"]["harmless"])


@cache
def _other_insurances() -> tuple[str, ...]:
    return tuple(heading_key(w) for w in vocabulary()["insurances"]["other"])


# The facts that are one insurance's own: another insurance's 取得日/喪失日 are not them.
_INSURANCE_DATES = ("joined_on", "left_on")


def other_insurance(group: str) -> bool:
    """Whether a (group) heading names an insurance other than 健康保険 (厚生年金, 雇用保険)."""
    key = _BRACKET_MARKS.sub("", heading_key(group)).strip(_MARKS)
    if any(word in _PREFIXES for word in _insurance_words(key)):
        return False  # 健康保険・厚生年金: both, the health insurance's dates among them
    return bool(key) and any(word in key for word in _other_insurances())


def under_groups(top: Sequence[str], cells: Sequence[str], table: dict[str, str]) -> list[str]:
    """``cells`` with each 取得日/喪失日 under a group heading of another insurance in
    ``top`` (a merged cell spans until the next non-empty one) named by it: 喪失日 under
    厚生年金 is ``厚生年金 喪失日``, which no fact is."""
    out, group = list(cells), ""
    for i, cell in enumerate(cells):
        above = top[i].strip() if i < len(top) else ""
        group = above or group
        if group and other_insurance(group) and fact_of(cell, table) in _INSURANCE_DATES:
            out[i] = f"{group} {cell.strip()}"
    return out


@cache
def _value_words() -> frozenset[str]:
    """Every cell word of every kind of value, folded (a values' legend is made of them)."""
    return frozenset(w for kind in KIND_NAMES for w in _lookup(kind))


# A note that spells a date's form: [YYYY/MM/DD], (yyyymmdd), (例:2026/11/26), (西暦8桁).
_DATE_FORM = re.compile(r"(例[:：]?)?[ymdgeh年月日0-9/.\-_ ]+(形式|表記|時点|現在)?|西暦8桁|8桁")


def meaning_note(name: str) -> str | None:
    """The first bracketed note of a heading that may change its meaning (資格確認書
    （回収）: ``回収``), or ``None`` when every note is harmless (資格喪失日（予定））: the
    notes in vocabulary.toml's [notes], a date's form, or a legend of values (1:有/0:無)."""
    for note in _BRACKETED.findall(heading_key(name)):
        inner = note[1:-1].strip(_MARKS)
        if not inner or inner in _harmless_notes() or _DATE_FORM.fullmatch(inner):
            continue
        # (1:登録 0:未登録: in a legend, 登録 beside 未登録 is 登録済, a word of values;
        # alone in a cell it is no value: a two-row header's 登録 stays a sub-heading.)
        inner = _REGISTERED.sub("登録済", inner)
        legend = _both_sides(inner) or (_pairs(inner) and _legend_words(inner) is not None)
        if (legend and _agrees(inner)) or _says_held(inner):
            continue
        return str(note)
    return None


_LEGEND_GAPS = re.compile(r"[/・,、=:;|_\s]+")
_REGISTERED = re.compile("(?<![未利用])登録(?![済者解な無有])")


def _legend_words(legend: str) -> list[str] | None:
    """A legend cut into value words, the longest first at each place (○あり×なし: ○,
    あり, ×, なし), or ``None`` when some part of it is no value word (未登録者)."""
    words, known = [], _value_words()
    longest = max(map(len, known))
    for part in _LEGEND_GAPS.split(normalise(legend)):
        at = 0
        while at < len(part):
            sizes = range(min(longest, len(part) - at), 0, -1)
            size = next((n for n in sizes if part[at : at + n] in known), 0)
            if not size:
                return None
            words.append(part[at : at + size])
            at += size
    return words


def _both_sides(legend: str) -> bool:
    """Whether a note made of value words is a legend that gives both sides of one kind of
    value ((○:あり ×:なし), (○/×), (1:有 0:無)), which leaves a column's meaning as it is.
    A single word ((未登録), (返却済), (×)) says what the column's marks mean instead: read
    as the plain fact, its ○ would be turned around."""
    words = _legend_words(legend)
    if not words:
        return False
    tables = (_lookup(kind) for kind in KIND_NAMES)
    return any(
        all(w in table for w in words) and len({table[w] for w in words}) > 1 for table in tables
    )


# The values a column's ○ means when it is read as its plain fact.
_HELD = frozenset({"yes", "held", "ok"})


def _says_held(note: str) -> bool:
    """Whether a note of value words says what a ○ in the column means anyway ((登録済),
    (有), (交付済), (○・有)): wherever each word is a value, it is the one of having."""
    words = _legend_words(note)
    if not words:
        return False
    values = [table[w] for w in words for table in map(_lookup, KIND_NAMES) if w in table]
    return bool(values) and all(str(v.value) in _HELD for v in values)


def note_value(note: str, fact: str) -> str | None:
    """The value a one-word note gives the marks of a column of ``fact`` (マイナ保険証
    （未登録）: ``no``; 資格確認書（返却済）and （回収）: ``none``), for the ``--map``
    example; else ``None``."""
    spec = FACT_BY_NAME.get(fact)
    inner = note.strip("()[]【】<>〈〉《》「」").strip(_MARKS)
    words = _legend_words(inner) or _legend_words(inner + "済")  # (回収): 回収済
    if spec is None or spec.values is None or not words or len(words) != 1:
        return None
    value = _lookup(spec.values).get(words[0])
    return None if value is None else str(value.value)


# A legend's pairs, as heading_key leaves them (no spaces): 0:有1:無, ○=登録済×=未登録
# (a code, then the word it stands for), or 有:0/無:1 (the word first).
_CODE = r"[0-9]+|[○◯●×xX✓✔レ△]"
_LEGEND_CODE_FIRST = re.compile(rf"({_CODE})[:=]((?:(?!{_CODE})[^:=/・,、;|])+)")
_LEGEND_WORD_FIRST = re.compile(rf"((?:(?!{_CODE})[^:=/・,、;|])+)[:=]({_CODE})")


def _pairs(legend: str) -> list[tuple[str, str]]:
    """A legend's (code, word) pairs: ○=登録済 ×=未登録, 有:1/無:0."""
    return _LEGEND_CODE_FIRST.findall(legend) or [
        (code, word) for word, code in _LEGEND_WORD_FIRST.findall(legend)
    ]


def _agrees(legend: str) -> bool:
    """Whether each pair of a values' legend says what kenpo reads anyway (1:有 0:無 is
    how 1 and 0 are read; 0:有 1:無 is the reverse, and reading the column as usual
    would invert every answer)."""
    for a, b in _pairs(legend):
        left, right = normalise(a), normalise(b)
        if not any(
            left in table and right in table and table[left] == table[right]
            for table in (_lookup(kind) for kind in KIND_NAMES)
        ):
            return False
    return True


def heading_key(name: str) -> str:
    """A heading folded for matching: width, case, spaces and line breaks; ``-`` as ``_``."""
    return "".join(unicodedata.normalize("NFKC", name).split()).lower().replace("-", "_")


def heading_keys(name: str) -> tuple[str, ...]:
    """The forms a heading is looked up by, most exact first: as written, without its
    brackets, without its bracketed notes and marks, and without an ending such as の有無."""
    key = heading_key(name)
    unbracketed = _BRACKET_MARKS.sub("", key).strip(_MARKS)  # 電子証明書（有効期限）
    if _BRACKET_MARKS.search(key) and meaning_note(key) is not None:
        # 資格確認書（回収）: not 資格確認書
        return tuple(dict.fromkeys(k for k in (key, unbracketed) if k))
    bare = _BRACKETED.sub("", key).strip(_MARKS)  # 資格喪失日（予定）
    stem = next((bare[: -len(end)] for end in _ENDINGS if bare.endswith(end)), bare)
    plain = health_insurance_fact(stem)
    return tuple(dict.fromkeys(k for k in (key, unbracketed, bare, stem, plain) if k))


# What may join the insurances a heading begins with, and join them to the fact.
_JOINS = "・_/.:：,、&+の及び "


@cache
def _insurance_spellings() -> tuple[str, ...]:
    return tuple(sorted((*_PREFIXES, *_other_insurances()), key=len, reverse=True))


def _insurance_words(key: str) -> list[str]:
    """The insurances a heading begins with (健康保険・厚生年金保険 資格喪失日: 健康保険,
    厚生年金保険), longest spelling first at each place; none when it begins otherwise."""
    spellings = _insurance_spellings()
    found: list[str] = []
    at = 0
    while True:
        while at < len(key) and key[at] in _JOINS:
            at += 1
        word = next((w for w in spellings if key.startswith(w, at)), None)
        if word is None:
            return found
        found.append(word)
        at += len(word)


def health_insurance_fact(stem: str) -> str:
    """A heading without the insurances it begins with, when 健康保険 is among them: 健保
    資格喪失年月日, 社会保険_資格喪失日, 健保・厚年喪失日 and 健康保険・厚生年金保険
    資格喪失日 are the health insurance's own 資格喪失日 (the two are lost on the same day).
    厚生年金 or 雇用保険 alone is another insurance: the heading is kept whole."""
    named = _insurance_words(stem)
    if not any(word in _PREFIXES for word in named):
        return stem
    at = 0
    for word in named:
        at = stem.index(word, at) + len(word)
    return stem[at:].lstrip(_JOINS) or stem


def noted_fact(name: str, table: dict[str, str]) -> tuple[str, str] | None:
    """(fact, note) for a heading that would name a fact but for a note that may change its
    meaning: 資格確認書（回収） is (kakuninsho, (回収))."""
    note = meaning_note(name)
    if note is None:
        return None
    bare = _BRACKETED.sub("", heading_key(name)).strip(_MARKS)
    stem = next((bare[: -len(end)] for end in _ENDINGS if bare.endswith(end)), bare)
    for key in (bare, stem, health_insurance_fact(stem)):
        if key in table:
            return table[key], note
    return None


def _theirs(heading: str, table: dict[str, str]) -> str | None:
    """The fact a heading would be but that it is another insurance's 取得日/喪失日
    (厚生年金 喪失日: ``left_on``), else ``None``."""
    key = heading_key(heading)
    for word in _other_insurances():
        rest = key.replace(word, "", 1).strip(_JOINS)  # 厚生年金_資格喪失日
        if word in key and (fact := fact_of(rest, table)) in _INSURANCE_DATES:
            return fact
    return None


def column_table(msgs: Messages) -> dict[str, str]:
    """Each heading a fact's column may have: its code, its label (in the chosen language
    and in Japanese), and the spellings HR systems use (vocabulary.toml's [columns])."""
    table: dict[str, str] = {}
    ja = Messages(DEFAULT_LANG)
    for spec in FACTS:
        for heading in (spec.name, msgs("fact", spec.name), ja("fact", spec.name), *spec.columns):
            table.setdefault(heading_key(heading), spec.name)
    return table


def fact_of(name: str, table: dict[str, str]) -> str | None:
    """The fact a heading names, if any: 退職日／退職予定日, alternatives that each name
    it, names it too."""
    found = next((table[k] for k in heading_keys(name) if k in table), None)
    if found is None and "/" in (bare := _BRACKETED.sub("", heading_key(name))):
        named = {next((table[k] for k in heading_keys(p) if k in table), None)
                 for p in bare.split("/") if p.strip()}  # fmt: skip
        found = named.pop() if len(named) == 1 else None
    return found


def is_my_number_column(name: str) -> bool:
    """Whether a column's name says it holds マイナンバー (its cells are never output)."""
    key = _BRACKETS_AND_MARKS.sub("", heading_key(name))
    rest, found = _MY_NUMBER_WORDS.subn("", key)
    return found > 0 and (rest in _MY_NUMBER_REST or _WHOSE_MY_NUMBER.fullmatch(rest) is not None)


def looks_like_a_fact(name: str) -> bool:
    """Whether an unread column's heading suggests a fact (worth a warning)."""
    key = heading_key(name)
    return bool(_FACT_WORDS.search(key.replace("マイナンバー", "")))


_STATUS_WORDS = re.compile("ステータス|在籍|在職|就業|退職|退社|状況|状態|区分|フラグ|status")


def looks_like_a_status(name: str) -> bool:
    """Whether an unread column's heading suggests the status (身分ステータス, 退職者区分):
    a sheet's blank leaving days then say nothing of who has left."""
    return bool(_STATUS_WORDS.search(heading_key(name)))


NOT_A_FACT = "-"
# What --map names a column saying whether the 資格確認書 came back (返却状況) by: no fact,
# read over the 資格確認書 column (_back_twin).
BACK_MARK = "=returned"
_BACK_TARGETS = frozenset(
    normalise(w)
    for w in ("回収状況", "返却状況", "回収", "返却", "returned", "kakuninsho_returned")
)
_PLACE = re.compile(r"#[1-9][0-9]{0,3}")  # a column by its place: #1 is the first


class ColumnMap(dict[str, str]):
    """``--map`` as heading key -> fact code (or ``-``), and in :attr:`words` the
    office's own cell words: heading key (or fact) -> folded word -> the value (its code,
    or a word of the vocabulary's: 退職, 済, read once the column's fact is known).
    :attr:`origins` says where each came from (``--map`` or the profile file)."""

    def __init__(self) -> None:
        super().__init__()
        self.words: dict[str, dict[str, str]] = {}
        self.origins: dict[str, str] = {}  # heading key -> "--map" or "--profile FILE"
        self.typed: dict[str, str] = {}  # heading key -> the column as typed (for messages)
        # --as-of was typed: a 基準日 column found by its name (a payroll export's 算定
        # 基準日, say) is not read over it; one --map names as_of is.
        self.day_given = False


def _value_codes() -> frozenset[str]:
    # (and the 返却状況 column's own: returned, out, unreachable)
    return frozenset(m.value for kind in KIND_NAMES for m in kind) | {NOT_A_FACT, *BACK_CODES}


def _suggest(value: str, accepted: Iterable[str], msgs: Messages | None) -> str:
    """ "(did you mean 'left'?)" for a near miss among ``accepted``, else ``""``."""
    import difflib

    close = difflib.get_close_matches(value.strip().lower(), list(accepted), n=1, cutoff=0.6)
    if not close or msgs is None:
        return ""
    return msgs("error", "batch_map_suggest", value=close[0])


def parse_map(
    pairs: Iterable[str],
    table: dict[str, str],
    msgs: Messages | None = None,
    origins: Sequence[str] = (),
) -> ColumnMap:
    """``--map 列名=fact`` options as heading key -> fact code (or ``-``: not a fact), and
    ``--map 列名:語=値`` (``--map 'マイナ保険証:済=yes'``, ``--map '在籍区分:1=退職'``) as a
    word of the office's own: the value is a code or a word kenpo knows (退職, 在籍, 済).

    The fact may be named by its code or any heading of it (``--map 入社日=資格取得日``);
    a word's column by its heading, its place (``#3``) or its fact. Later pairs win (a
    ``--profile``'s come first). ``origins`` names where each pair came from, for errors
    (``--map`` when not given).
    """
    mapping = ColumnMap()
    said: dict[tuple[str, ...], tuple[str, str]] = {}  # what each pair gave, and where

    def once(key: tuple[str, ...], meaning: str, origin: str, column: str) -> None:
        """Refuse one source giving a column (or a word of it) two meanings: the last
        would win without a word (a --map over a profile's is meant, and wins)."""
        before = said.get(key)
        if before is not None and before[1] == origin and before[0] != meaning:
            raise KenpoError(
                "batch_map_twice", origin=origin, column=echoed(column), first=before[0],
                second=meaning,
            )  # fmt: skip
        said[key] = (meaning, origin)

    for n, pair in enumerate(pairs):
        origin = origins[n] if n < len(origins) else "--map"
        column, sep, target = pair.replace("＝", "=").rpartition("=")  # as an IME types it
        if not sep or not column.strip():
            raise KenpoError("batch_map_form", value=echoed(pair))
        target = target.strip()
        where, colon, word = column.replace("：", ":").rpartition(":")
        is_value = target in _value_codes() or normalise(target) in _value_words()
        is_value = is_value or normalise(target) in BACK_READ  # ('回収状況:督促=未回収')
        if colon and where.strip() and word.strip() and is_value:
            # A word of the column's: what it means is known with the header's fact
            # ('在籍区分:1=退職': 退職 is a status's word, left).
            key = heading_key(where)
            once((key, normalise(word)), target, origin, f"{where}:{word}")
            mapping.words.setdefault(key, {})[normalise(word)] = target
            mapping.origins.setdefault(key, origin)
            mapping.typed.setdefault(key, where.strip())
            continue
        if colon and where.strip() and word.strip() and fact_of(target, table) is None:
            # 'マイナ保険証:済=maybe': a word's value that no fact has
            accepted = ", ".join(sorted(_value_codes()))
            raise KenpoError(
                "batch_map_value",
                origin=origin,
                column=echoed(where),
                value=echoed(target),
                accepted=accepted,
                suggest=_suggest(target, _value_codes(), msgs),
            )
        if not target:  # '退職日=' (a fact left out while typing): not "leave it unread"
            raise KenpoError("batch_map_form", value=echoed(pair))
        if target in (NOT_A_FACT, "none"):
            fact = NOT_A_FACT
        elif normalise(target) in _BACK_TARGETS:
            fact = BACK_MARK  # '退職 回収=回収状況': the column saying the card came back
        elif (found := fact_of(target, table)) is not None:
            fact = found
        else:
            shown = ", ".join(FACT_BY_NAME)
            raise KenpoError(
                "batch_map_fact",
                origin=origin,
                value=echoed(target),
                accepted=shown,
                suggest=_suggest(target, FACT_BY_NAME, msgs),
            )
        once((heading_key(column),), fact, origin, column)
        mapping[heading_key(column)] = fact
        mapping.origins[heading_key(column)] = origin
        mapping.typed.setdefault(heading_key(column), column.strip())
    return mapping


@dataclass
class Header:
    """Which column holds which fact; the rest pass through, except マイナンバー columns."""

    names: list[str]  # each column's name in the output (unique), or in messages
    facts: dict[int, str]  # column index -> fact code
    passthrough: list[int]
    dropped: list[int] = field(default_factory=list)
    line: int = 1  # the line the header is on
    titles: int = 0  # records above it, skipped as titles
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (as written, as output)
    unread_facts: list[int] = field(default_factory=list)  # pass-through, but look like facts
    headings: list[str] = field(default_factory=list)  # each column's name as written
    noted: list[tuple[int, str, str]] = field(default_factory=list)  # (column, fact, note)
    second: int = 0  # the line of a second header row joined to this one (0: none)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # fact -> word -> value
    noted_read: list[tuple[int, str, str]] = field(default_factory=list)  # mapped, words not
    other_insurance: list[tuple[int, str]] = field(default_factory=list)  # 厚生年金 喪失日
    rows: list[list[str]] = field(default_factory=list)  # the header's rows, as in the file
    flag: int | None = None  # the status column, when it is a leavers' flag (退職フラグ)
    hired: int | None = None  # 入社日 read as the 資格取得日 (no column of its own)
    # A leaving day's column -> its planned twin (退職日 and 退職予定日): read where it is blank
    planned: dict[int, int] = field(default_factory=dict)
    # The 資格確認書 column -> a column saying whether it came back (返却状況, 回収状況): read
    # over it where it says something (its words in their own sense: 済 is back)
    back: dict[int, int] = field(default_factory=dict)
    # Other columns saying so (返却日 beside 回収状況): the first that says something counts
    back_more: list[int] = field(default_factory=list)
    # The 返却状況 column when it is also read as who cannot be reached (no such column)
    back_reach: int | None = None
    # The run's day: a 回収日 after it is the day the card is promised back, not back
    back_by: date = date.max
    # The office's own words in that column (--map '回収状況:本人へ連絡済=out'): folded word
    # -> BACK_WORDS' code, "unreachable", or "-" (nothing recorded)
    back_words: dict[str, str] = field(default_factory=dict)
    # A 基準日 column not read because --as-of was typed (its days would overrule it)
    day_overruled: int | None = None
    # Pass-through columns --map left unread (--map '列=-'): copied, and read for nothing
    left_out: list[int] = field(default_factory=list)
    # A rehire's day (再入職日, 再雇用開始日): a leaving day before it is an earlier spell's
    rehire: int | None = None
    # A leaving day's column -> the second spell's (退職日 and 退職日2): read where it says one
    later: dict[int, list[int]] = field(default_factory=dict)
    # Other rehires' days (入社日3 beside 入社日2): the latest is read
    rehire_more: list[int] = field(default_factory=list)
    # Whether a retiree is re-employed (再雇用の有無 有: 定年退職日 is no leaving)
    rehired_flag: int | None = None

    def label(self, fact: str) -> str:
        """How messages name a fact: by its column's heading, or by its code."""
        for i, code in self.facts.items():
            if code == fact:
                return self.headings[i]
        return fact


def _clean(cell: str) -> str:
    """A heading as output and in messages: one line, no マイナンバー, no raw bytes."""
    shown = SURROGATE.sub("\ufffd", cell.lstrip("\ufeff"))
    return " ".join(masked(shown).split())


def read_header(
    row: Sequence[str] | Malformed | None,
    msgs: Messages,
    mapping: dict[str, str] | None = None,
    reserved: Iterable[str] = (),
) -> Header:
    """Map one heading row to facts; duplicated fact columns are a usage error.

    ``reserved`` are the output's own column names: a pass-through column named so is
    renamed (as a repeated name is: ``備考``, ``備考 (2)``).
    """
    if isinstance(row, Malformed):
        raise KenpoError("batch_bad_header", line=str(row.line))
    if not row or not any(cell.strip() for cell in row):
        raise KenpoError("batch_no_header", lines="1", first="")
    table, mapping = column_table(msgs), mapping if mapping is not None else {}
    # Spreadsheets often export unnamed columns (a trailing comma): name them by position.
    headings = [_clean(cell) or f"#{i + 1}" for i, cell in enumerate(row)]
    planned: dict[int, int] = {}
    facts = _facts(headings, table, mapping, msgs, planned)
    flag = _leaver_flag(headings, facts, mapping)
    if flag is not None:
        facts[flag] = "status"
    hired = _hire_day(headings, facts, mapping)
    if hired is not None:
        facts = dict(sorted({**facts, hired: "joined_on"}.items()))
        if (hire := _first_hire(headings, hired, mapping)) is not None:
            planned[hired] = hire  # 再入社日 blank: the 入社日
    elif (twin := _hire_twin(headings, facts, mapping)) is not None:
        # 資格取得日 blank until the 取得届 is processed (SmartHR): the 入社日 is read there
        planned[twin[0]] = twin[1]
    overruled = None  # a 基準日 column --as-of overrules
    if isinstance(mapping, ColumnMap) and mapping.day_given:
        for i, fact in list(facts.items()):
            named = mapping.get(heading_key(headings[i])) or mapping.get(f"#{i + 1}")
            # (a column headed as_of, kenpo's own name, was made for kenpo: read)
            own = heading_key(headings[i]).replace("-", "_") == "as_of"
            if fact == "as_of" and named != "as_of" and not own:
                del facts[i]
                overruled = i
    if not facts:
        first = [(h, found) for h in headings if (found := noted_fact(h, table))]
        if first:
            heading, (fact, note) = first[0]
            value = note_value(note, fact)  # 資格確認書（返却済）: ○ is none
            raise KenpoError(
                "batch_noted_only",
                column=echoed(heading),
                note=note,
                fact=msgs("fact", fact),
                name=fact,
                word="○" if value is not None else "済",
                value=value or "none",
            )
        raise KenpoError("batch_no_fact_column")
    dropped = [i for i, name in enumerate(headings) if i not in facts and is_my_number_column(name)]
    passthrough = [i for i in range(len(headings)) if i not in facts and i not in dropped]
    names, renamed = _unique(headings, passthrough, set(reserved))
    left_out = {f"#{i + 1}" for i in passthrough} & {k for k, v in mapping.items() if v == "-"}
    asked = [
        i
        for i in passthrough
        if mapping.get(heading_key(headings[i])) != NOT_A_FACT and f"#{i + 1}" not in left_out
    ]
    noted = [(i, *found) for i in asked if (found := noted_fact(headings[i], table)) is not None]
    seen = {n[0] for n in noted}
    # 厚生年金 喪失日, 雇用保険 取得日: another insurance's dates, said as such
    others = [(i, f) for i in asked if i not in seen and (f := _theirs(headings[i], table))]
    seen.update(i for i, _ in others)
    seen.update(planned.values())  # 退職予定日: read where 退職日 is blank
    as_back = [
        i
        for i in asked
        if BACK_MARK in (mapping.get(heading_key(headings[i])), mapping.get(f"#{i + 1}"))
    ]
    back = _back_twin(headings, facts, as_back + asked, as_back)
    alone = next((i for card, i in back.items() if card == i), None)
    if alone is not None:
        # No 資格確認書 column on a leavers' list: the 返却状況 is the 資格確認書 (済: back)
        facts = dict(sorted({**facts, alone: "kakuninsho"}.items()))
    seen.update(back.values())  # 返却状況: read over the 資格確認書 where it says something
    # ... and any other such column (返却日 beside 回収状況): the first that says something
    more = [
        i
        for i in asked
        if back
        and i not in back.values()
        and (i in as_back or _BACK_COLUMN.fullmatch(_back_key(headings[i])))
    ]
    seen.update(more)
    # A 返却状況 is also the sheet's word on who cannot be reached (連絡取れず), where no
    # column says it: read for that too, and still copied as it is (not when --map left it
    # unread: then it is not asked).
    returned = next(iter(back.values()), None)
    reach = returned if returned is not None and "unreachable" not in facts.values() else None
    reach = None if alone is not None else reach  # (one column, one fact)
    if reach is not None:
        facts[reach] = "unreachable"
    seen.update([overruled] if overruled is not None else [])
    rehires = [
        i
        for i in (*facts, *asked)
        if is_rehire(headings[i]) and facts.get(i, "joined_on") == "joined_on"
    ]  # (a rehire's day read as the 資格取得日, or beside it)
    rehire = rehires[0] if rehires else None
    seen.update(rehires)
    later = _later_spells(headings, facts, asked)
    seen.update(i for more in later.values() for i in more)
    flag_at = next((i for i in asked if _REHIRED_FLAG.fullmatch(heading_key(headings[i]))), None)
    flag_at = flag_at if {"left_on", "retired_on"} & set(facts.values()) else None
    seen.update([flag_at] if flag_at is not None else [])
    unread = [i for i in asked if looks_like_a_fact(headings[i]) and i not in seen]
    header = Header(names, facts, passthrough, dropped, 1, 0, renamed, unread, headings)
    header.planned = planned
    header.back = back
    header.back_more = more
    header.back_reach = reach
    header.day_overruled = overruled
    header.rehire = rehire
    header.rehire_more = rehires[1:]
    header.later = later
    header.rehired_flag = flag_at
    kept = set(asked)
    header.left_out = [i for i in passthrough if i not in kept]
    header.noted = noted
    header.other_insurance = others
    words = dict(mapping.words) if isinstance(mapping, ColumnMap) else {}
    origins = mapping.origins if isinstance(mapping, ColumnMap) else {}
    typed = mapping.typed if isinstance(mapping, ColumnMap) else {}
    if returned is not None:  # 回収状況's own words, apart from the facts' (in its sense)
        key = heading_key(headings[returned])
        mapped = {w: words.pop(w) for w in (key, f"#{returned + 1}") if w in words}
        header.back_words = _back_words(mapped, headings[returned], origins.get(key, "--map"))
    header.values = _values(words, headings, facts, table, origins, msgs, typed)
    status = next((i for i, f in facts.items() if f == "status"), None)
    if status is not None and _is_leaver_flag(headings[status]):
        header.flag = status
        header.values["status"] = {**_flag_words(), **header.values.get("status", {})}
    reach_asked = next((i for i, f in facts.items() if f == "unreachable"), None)
    if reach_asked is not None and _CAN_REACH.search(heading_key(headings[reach_asked])):
        # (連絡可否（本人）, 連絡可否【必須】, 連絡可否フラグ: the same sense)
        # 連絡可否: 可 (○) can be reached, 不可 (×) cannot: the other way round from 連絡不能
        header.values["unreachable"] = {**_CAN_REACH_WORDS, **header.values.get("unreachable", {})}
    header.hired = hired
    # A column read as its fact by --map though a note may change what its words mean
    # (資格確認書（回収）: 済 may say it came back): said, unless its words were mapped too.
    header.noted_read = [
        (i, fact, why)
        for i, fact in facts.items()
        if (why := meaning_note(headings[i])) is not None and fact not in header.values
    ]
    return header


# 連絡可否, 連絡状況: 可 (○, 連絡済) can be reached, 不可 (×, 音信不通) cannot.
_CAN_REACH = re.compile("連絡(?:の)?(?:可否|状況|状態|可能?)")
_CAN_REACH_WORDS = {
    **{
        normalise(w): YesNo.NO
        for w in (
            "可", "○", "〇", "◯", "可能", "連絡可", "はい", "有", "連絡済", "連絡済み", "良好",
            "済", "連絡取れる", "連絡とれる", "連絡あり", "通常", "問題なし",
        )
    },
    **{
        normalise(w): YesNo.YES
        for w in (
            "不可", "×", "✕", "不能", "連絡不可", "いいえ", "無", "不通", "音信不通", "連絡不能",
            "連絡取れず", "連絡とれず", "連絡つかず", "所在不明", "連絡なし",
        )
    },
}  # fmt: skip


def _is_leaver_flag(heading: str) -> bool:
    """Whether a heading is a column that marks the leavers (退職フラグ)."""
    key = _BRACKETED.sub("", heading_key(heading)).strip(_MARKS)
    return key in {heading_key(w) for w in vocabulary()["flags"]["left"]}


def _leaver_flag(headings: list[str], facts: dict[int, str], mapping: dict[str, str]) -> int | None:
    """The column of a leavers' flag to read as the status, when no column is the status
    and the office did not leave it out (``--map '退職フラグ=-'``)."""
    if "status" in facts.values():
        return None
    for i, heading in enumerate(headings):
        left_out = mapping.get(heading_key(heading)) == NOT_A_FACT or mapping.get(f"#{i + 1}")
        if i not in facts and not left_out and _is_leaver_flag(heading):
            return i
    return None


@cache
def _flag_words() -> dict[str, Any]:
    """A leavers' flag's marks as statuses: a yes (○, 1, TRUE) is 退職, a no (×, 0) 在籍."""
    yes_no = _lookup(YesNo)
    return {w: Status.LEFT if v is YesNo.YES else Status.ENROLLED for w, v in yes_no.items()}


def _values(
    words: dict[str, dict[str, str]],
    headings: list[str],
    facts: dict[int, str],
    table: dict[str, str],
    origins: dict[str, str],
    msgs: Messages,
    typed: dict[str, str],
) -> dict[str, dict[str, Any]]:
    """The office's own cell words by fact: folded word -> typed value (``None``: not
    given). The value is a code or a word of the fact's (退職 for a status: ``left``). A
    word for a column that is not read, or a value its fact has not, is refused."""
    out: dict[str, dict[str, Any]] = {}
    keys = {heading_key(h): i for i, h in enumerate(headings)}
    for where, listed in words.items():
        i = keys.get(where)
        if i is None and _PLACE.fullmatch(where) and int(where[1:]) <= len(headings):
            i = int(where[1:]) - 1
        if i is None and (fact := fact_of(where, table)) in facts.values():
            i = next(j for j, f in facts.items() if f == fact)
        origin = origins.get(where, "--map")
        if i is None or i not in facts:
            shown = ", ".join(headings[j] for j in facts)
            column = echoed(headings[i] if i is not None else typed.get(where, where))
            raise KenpoError("batch_map_value_column", origin=origin, column=column, columns=shown)
        spec = FACT_BY_NAME[facts[i]]
        known = _lookup(spec.values) if spec.values is not None else {}
        for word, code in listed.items():
            if code == NOT_A_FACT:
                out.setdefault(spec.name, {})[word] = None
            elif spec.values is not None and code in spec.values._value2member_map_:
                out.setdefault(spec.name, {})[word] = spec.values(code)
            elif (value := known.get(normalise(code))) is not None:
                out.setdefault(spec.name, {})[word] = value  # 退職: left
            else:
                codes = [*(m.value for m in spec.values or ()), NOT_A_FACT]
                raise KenpoError(
                    "batch_map_value",
                    origin=origin,
                    column=headings[i],
                    value=echoed(code),
                    accepted=", ".join(codes),
                    suggest=_suggest(code, codes, msgs),
                )
    return out


# A column saying whether the 資格確認書 came back, beside the 資格確認書 column (返却状況,
# 回収状況, 資格確認書の回収): a list of leavers marks each card collected there. Read as
# the 資格確認書 it was, 返却済 stayed on the list to collect; read alone, a member's
# blank was "unknown". Its words are its own: 済 and ○ say the card is back.
_BACK_COLUMN = re.compile(
    r"(?:退職者?|資格喪失者?|喪失)?(?:資格確認書|確認書|健康保険証|被保険者証|保険証|健保証)?"
    r"(?:の)?(?:回収|返却|返納)"
    r"(?:状況|状態|有無|済|済み|確認|の有無|日|年月日|日付|完了日|確認日|済日|済み日|チェック"
    r"|check)?"
    r"(?:\((?:資格確認書|確認書)\))?"  # 回収状況（資格確認書）; 退職 over 回収 (two rows)
    r"(?:\((?:[済未○×有無・/,、]|済み)+\))?"  # 回収(済/未)
)
BACK_WORDS = {
    "none": (  # back
        "済", "済み", "返却済", "返却済み", "回収済", "回収済み", "返納済", "完了", "返却",
        "回収", "受領", "受領済", "受領済み", "○", "〇", "◯", "●", "◎", "有", "あり", "はい",
        "yes", "1", "true", "レ", "✓", "✔", "本人分済", "本人分済み", "本人分返却済",
        "本人分回収済", "本人のみ返却", "本人のみ回収", "本人のみ済",  # (the family's: still out)
        "返送済", "返送済み", "受取済", "受取済み", "受け取り済", "受け取り済み", "回収完了",
        "返却完了", "本人分のみ返却済", "本人分のみ回収済", "本人分のみ済", "本人分済・家族分未",
        "本人分済/家族分未", "本人済・家族未", "破損して返却", "破損返却", "破損して返却済",
        "健保へ送付済", "健保へ送付済み", "健保に送付済", "到着済", "到着済み", "着", "☑", "☒",
        "期限切れのため返却不要", "戻り済", "受理", "受理済", "到着", "返送あり",
        # (the office's 回収不能届 is in: nothing more to collect)
        "回収不能届提出済", "回収不能届済", "滅失届提出済", "滅失・回収不能届提出済",
    ),
    "held": (  # still out
        "未", "未返却", "未回収", "未返納", "未了", "未提出", "×", "✕", "無", "なし", "いいえ",
        "no", "0", "false", "返却待ち", "回収待ち", "催促中", "依頼中", "返却予定", "回収予定",
        "郵送にて返却予定", "郵送で返却予定", "郵送予定", "後日返却", "後日郵送", "返送待ち",
        "督促中", "督促済", "督促済み", "未着", "未受領", "郵送待ち", "督促状送付済", "返却なし",
        "連絡済",
    ),
    # lost: the member's 滅失・回収不能届 (本人破棄: thrown away, as lost)
    "lost": ("紛失", "滅失", "紛失届", "滅失届", "本人破棄", "本人が破棄", "破棄"),
}  # fmt: skip
# ... and the words that say the leaver cannot be reached: the employer files the 回収不能届,
# for the dependants' cards too. Whether a card was ever sent is the 資格確認書 column's to say.
BACK_UNREACHABLE = (
    "回収不能", "返却不能", "連絡取れず", "連絡とれず", "連絡不能", "連絡つかず", "連絡がつかない",
    "連絡が取れない", "音信不通",
)  # fmt: skip


# What --map may make a 返却状況 word mean: the sheet's sense (returned: the card is back),
# the 資格確認書's codes it stands for (none: the member has none now), or a word it reads.
BACK_CODES = {"returned": "none", "out": "held", "lost": "lost", "unreachable": "unreachable"}


# A 返却状況 cell's word as the 資格確認書's code it leaves, "unreachable", or NOTHING_SAID.
NOTHING_SAID = "-"
BACK_READ = {
    **{normalise(w): NOTHING_SAID for w in ("-", "ー", "―", "－", "—", "–", "‐", "--")},
    **{normalise(word): code for code, words in BACK_WORDS.items() for word in words},
    **{normalise(word): "unreachable" for word in BACK_UNREACHABLE},
}


def _back_words(mapped: dict[str, dict[str, str]], heading: str, origin: str) -> dict[str, str]:
    """The office's words for the 返却状況 column (``--map '回収状況:本人へ連絡済=out'``):
    folded word -> ``none``/``held``/``lost`` (the 資格確認書 it leaves), ``unreachable``,
    or ``-`` (nothing recorded). A value that is none of them is refused."""
    out: dict[str, str] = {}
    for listed in mapped.values():
        for word, value in listed.items():
            said = normalise(value)
            code = BACK_CODES.get(said) or (said if said in ("none", "held", "lost") else None)
            code = code or BACK_READ.get(said)
            if code is None:
                raise KenpoError(
                    "batch_map_value", origin=origin, column=echoed(heading),
                    value=echoed(value), accepted=", ".join([*BACK_CODES, "-"]), suggest="",
                )  # fmt: skip
            out[word] = code
    return out


def _back_twin(
    headings: list[str], facts: dict[int, str], asked: list[int], named: Sequence[int] = ()
) -> dict[int, int]:
    """The 資格確認書 column and the column beside it saying whether it came back (one
    ``--map`` named so, else one headed so)."""
    card = next((i for i, fact in facts.items() if fact == "kakuninsho"), None)
    old = next((i for i, fact in facts.items() if fact == "old_card"), None)
    leavers = {"left_on", "retired_on"} & set(facts.values())
    for i in asked:
        key = _back_key(headings[i])
        if card is None and old is None and leavers and (i in named or _BACK_COLUMN.fullmatch(key)):
            return {i: i}  # a leavers' log without a 資格確認書 column: this column says it
        if i in named or _BACK_COLUMN.fullmatch(key):
            # 保険証回収日: the old card's, and the 資格確認書 offices still call 保険証
            either = old is not None and (card is None or _CARD_BACK.match(key) is not None)
            return {c: i for c in (card, old if either else None) if c is not None}
    return {}


def _back_key(heading: str) -> str:
    """A heading folded for the collection columns, a group title of the health insurance
    over it taken off (健康保険 over 返却日, two header rows: 健康保険 返却日)."""
    return _HEALTH_GROUP.sub("", heading_key(heading))


_HEALTH_GROUP = re.compile("^(?:健康保険|健保|社会保険|社保)(?:・?厚生年金(?:保険)?)?(?=.)")
_CARD_BACK = re.compile("(?:退職者?|資格喪失者?|喪失)?(?:健康保険証|被保険者証|保険証|健保証)")


# The day employment began, as ジョブカン and freee head it: a sheet without a 資格取得日
# column has its new joiners in it, and an employee is insured from the day employment
# begins (健康保険法 第35条), so it is read as the 資格取得日 (and said so on stderr).
_HIRE_HEADINGS = frozenset(
    {
        "入社日", "入社年月日", "入社日付", "入職日", "入職年月日", "採用日", "採用年月日",
        "雇入日", "雇入年月日", "雇入れ日", "雇入れ年月日",
        # a list of people joining (入社予定者一覧): the day still to come
        "入社予定日", "入社予定年月日", "入職予定日", "入職予定年月日", "採用予定日",
    }
)  # fmt: skip
# A rehire's day (a part-timer who left and came back): the latest spell, read first; the
# first hire's day where it is blank.
_REHIRE_HEADINGS = frozenset(
    {"再入社日", "再入社年月日", "再入職日", "再入職年月日", "再雇用日", "再雇用年月日", "再採用日"}
)
# ... and as offices head a rehire after 定年 (再雇用開始日, 継続雇用開始日, 定年後再雇用日,
# 嘱託契約開始日, 再雇用日（嘱託）).
_REHIRE = re.compile(
    r"(?:定年後?の?)?(?:再入社|再入職|再雇用|再採用|継続雇用|嘱託契約|嘱託雇用|嘱託)(?:の)?"
    r"(?:開始)?(?:日|年月日|日付)(?:\(.*\))?"
    r"|(?:入社|入職|採用|資格取得|取得)(?:日|年月日)_?(?:[2-9]|\([2-9]\)|\([2-9]回目\))"
    r"|(?:[2-9]回目|第[2-9]回?)の?(?:入社|入職|採用|資格取得|取得)(?:日|年月日)"  # a later spell's
)
# A later spell's leaving day (退職日2, 退職日②, 2回目退職日, 再雇用終了日): read over the
# first's where it is later.
_LATER = re.compile(
    r"(退職|離職|退社|資格喪失|喪失)(?:日|年月日)_?(?:[2-9]|\([2-9]\)|\([2-9]回目\))"
    r"|(?:[2-9]回目|第[2-9]回?)の?(退職|離職|退社|資格喪失|喪失)(?:日|年月日)"
    r"|(?:再雇用|再入社|再入職|嘱託契約|嘱託)(?:の|後の?)?(?:終了|退職|満了)(?:日|年月日)"
    r"|再退職(?:日|年月日)"
)


# A column saying whether a retiree is re-employed (再雇用の有無, 継続雇用, 再任用).
_REHIRED_FLAG = re.compile(
    "(?:定年後?の?)?(?:再雇用|継続雇用|再任用)(?:の有無|有無|予定|区分|希望|フラグ|の予定)?"
)


def _later_spells(
    headings: list[str], facts: dict[int, str], asked: list[int]
) -> dict[int, list[int]]:
    """Each leaving day's column and later spells' beside it (退職日 and 退職日2, 退職日3,
    再雇用終了日)."""
    out: dict[int, list[int]] = {}
    for i in asked:
        if (found := _LATER.fullmatch(heading_key(headings[i]))) is None:
            continue
        fact = "left_on" if "喪失" in (found[1] or found[2] or "") else "retired_on"
        base = next((j for j, f in facts.items() if f == fact), None)
        if base is not None:
            out.setdefault(base, []).append(i)
    return out


def is_rehire(heading: str) -> bool:
    """Whether a column's heading is a rehire's day (the latest spell's first day)."""
    key = heading_key(heading)
    return key in _REHIRE_HEADINGS or _REHIRE.fullmatch(key) is not None


def _hire_day(headings: list[str], facts: dict[int, str], mapping: dict[str, str]) -> int | None:
    """The 入社日 column to read as the 資格取得日, where none is: not one --map names."""
    if "joined_on" in facts.values():
        return None
    for kinds in (_REHIRE_HEADINGS, _HIRE_HEADINGS):
        for i, heading in enumerate(headings):
            key = heading_key(heading)
            if i not in facts and key in kinds and key not in mapping:
                return None if f"#{i + 1}" in mapping else i
    return None


def _first_hire(headings: list[str], rehired: int, mapping: dict[str, str]) -> int | None:
    """The first hire's day beside a rehire's (入社日 beside 再入社日), read where the
    rehire's is blank."""
    if heading_key(headings[rehired]) not in _REHIRE_HEADINGS:
        return None
    for i, heading in enumerate(headings):
        key = heading_key(heading)
        if key in _HIRE_HEADINGS and key not in mapping and f"#{i + 1}" not in mapping:
            return i
    return None


def _hire_twin(
    headings: list[str], facts: dict[int, str], mapping: dict[str, str]
) -> tuple[int, int] | None:
    """The 資格取得日 column and an 入社日 column beside it, to read where the first is
    blank (a joiner whose 取得届 is not processed yet was judged a long-time member)."""
    joined = next((i for i, fact in facts.items() if fact == "joined_on"), None)
    if joined is None:
        return None
    for i, heading in enumerate(headings):
        key = heading_key(heading)
        if i not in facts and key in _HIRE_HEADINGS and key not in mapping:
            return None if f"#{i + 1}" in mapping else (joined, i)
    return None


# The facts an HR sheet may keep twice, as the day and the day planned (退職日 and
# 退職予定日, 資格喪失日 and 資格喪失予定日): the planned one is read where the other is blank.
_PLANNED_TWINS = ("left_on", "retired_on")
_PLANNED = re.compile("予定|見込")


def _facts(
    headings: list[str],
    table: dict[str, str],
    mapping: dict[str, str],
    msgs: Messages,
    planned: dict[int, int] | None = None,
) -> dict[int, str]:
    """Column index -> fact; ``--map`` first, then the headings' own spellings. A leaving
    day's column and its planned twin (退職日, 退職予定日) are both kept when ``planned``
    is given: the day's column as the fact, the twin in ``planned`` (it passes through)."""
    facts: dict[int, str] = {}
    keys = [heading_key(h) for h in headings]
    mapped = {i: mapping[key] for i, key in enumerate(keys) if key in mapping}
    # ``--map '#3=-'``: the third column, whatever its heading (two columns may share one).
    by_place = {key: int(key[1:]) - 1 for key in mapping if _PLACE.fullmatch(key)}
    mapped.update({i: mapping[key] for key, i in by_place.items() if 0 <= i < len(headings)})
    missing = set(mapping) - set(keys) - {k for k, i in by_place.items() if i < len(headings)}
    if missing:
        absent = sorted(missing)[0]
        origins = mapping.origins if isinstance(mapping, ColumnMap) else {}
        typed = mapping.typed.get(absent, absent) if isinstance(mapping, ColumnMap) else absent
        origin = origins.get(absent, "--map")
        if typed.startswith(("#", "＃")):  # a column by its place (#-1, #0, #12): show them
            shown = ", ".join(f"#{i} {echoed(h)}" for i, h in enumerate(headings, 1))
        else:
            shown = ", ".join(echoed(h) for h in headings)
        raise KenpoError("batch_map_column", origin=origin, column=echoed(typed), columns=shown)
    claimed = {fact for fact in mapped.values() if fact != NOT_A_FACT}
    for i, heading in enumerate(headings):
        fact = mapped.get(i) if i in mapped else fact_of(heading, table)
        if fact is None or fact in (NOT_A_FACT, BACK_MARK) or (i not in mapped and fact in claimed):
            continue
        if fact in facts.values():
            first = next(j for j, f in facts.items() if f == fact)
            twins = (_PLANNED.search(headings[first]), _PLANNED.search(headings[i]))
            if (
                planned is not None
                and fact in _PLANNED_TWINS
                and bool(twins[0]) != bool(twins[1])
                and first not in mapped
                and i not in mapped
                and first not in planned.values()
            ):
                if twins[0]:  # the planned day first: the day itself is the fact
                    del facts[first]
                    facts[i] = fact
                    planned[i] = first
                else:
                    planned[first] = i
                continue
            same = headings[i] == headings[first]  # by name, --map would leave out both
            raise KenpoError(
                "batch_duplicate_same_name" if same else "batch_duplicate_column",
                column=headings[i],
                other=headings[first],
                fact=msgs("fact", fact),
                place=str(i + 1),
                first=str(first + 1),
            )
        facts[i] = fact
    return dict(sorted(facts.items()))  # (in the sheet's order, a twin's swap too)


def _unique(
    headings: list[str], passthrough: list[int], reserved: set[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Output names: a repeated or reserved pass-through name gets `` (2)``, `` (3)``, …"""
    names = list(headings)
    passed = set(passthrough)
    taken = set(reserved) | {headings[i] for i in range(len(headings)) if i not in passed}
    renamed = []
    tried: dict[str, int] = {}  # the last number tried for each name: linear in the columns
    for i in passthrough:
        name = headings[i]
        n = tried.get(name, 1)
        while names[i] in taken:
            n += 1
            names[i] = f"{name} ({n})"
        tried[name] = n
        taken.add(names[i])
        if names[i] != name:
            renamed.append((name, names[i]))
    return names, renamed


def find_header(
    records: Iterator[Numbered],
    msgs: Messages,
    mapping: dict[str, str] | None = None,
    reserved: Iterable[str] = (),
    at_row: int | None = None,
) -> tuple[Header, list[Numbered]]:
    """The header among the first records, and the records read past it (to be judged).

    Title rows above it are skipped; a file with no heading that names a fact in its
    first :data:`SEARCH` records is a usage error that shows what its first line holds.
    ``at_row`` (``--header-row``) says which row it is.
    """
    table, mapping = column_table(msgs), mapping if mapping is not None else {}
    seen: list[Numbered] = []
    if at_row is not None:
        for line, cells in records:
            seen.append((line, cells))
            if line >= at_row:
                if isinstance(cells, Malformed):
                    raise KenpoError("batch_bad_header", line=str(line))
                return _two_rows(seen, iter(()), records, msgs, mapping, reserved)
        raise KenpoError("batch_header_row", row=str(at_row), rows=str(len(seen)))
    fallback: int | None = None
    found: int | None = None  # the first row that names a fact and has more than one cell
    for line, cells in records:
        if not seen and not isinstance(cells, Malformed) and not "".join(cells).strip():
            continue  # blank lines above everything: not among the SEARCH lines looked at
        seen.append((line, cells))
        if isinstance(cells, Malformed):
            if fallback is None and found is None:
                raise KenpoError("batch_bad_header", line=str(line))
            if found is not None:
                break
            continue
        names = [heading_key(c) for c in cells]
        if found is None and any(
            n in mapping or fact_of(c, table) or noted_fact(c, table)
            for n, c in zip(names, cells, strict=True)
        ):
            if sum(1 for n in names if n) > 1:
                found = len(seen) - 1
            elif fallback is None:
                fallback = len(seen) - 1
        if len(seen) >= SEARCH:
            break
    if found is not None:
        # A legend above the table (マイナ保険証,○=登録済) names a fact too: the header is
        # the row naming the most, unless that row is the first one's second level.
        best = found
        for at in range(found + 1, len(seen)):
            cells = seen[at][1]
            if isinstance(cells, Malformed):
                break
            if _named(cells, table, mapping) > _named(_cells(seen, best), table, mapping):
                if at == best + 1 and joined_headings(_cells(seen, best), cells, table):
                    continue  # マイナ保険証 over 登録状況: one header in two rows
                best = at
        return _two_rows(seen[: best + 1], iter(seen[best + 1 :]), records, msgs, mapping, reserved)
    if fallback is not None:
        return _found(seen, fallback, msgs, mapping, reserved), seen[fallback + 1 :]
    if not any(not isinstance(c, Malformed) and "".join(c).strip() for _, c in seen):
        raise KenpoError("batch_empty")  # no line, or only blank ones
    raise KenpoError("batch_no_header", lines=str(len(seen)), first=_first_cells(seen))


def _cells(seen: list[Numbered], at: int) -> list[str]:
    cells = seen[at][1]
    assert not isinstance(cells, Malformed)
    return cells


def _named(cells: Sequence[str], table: dict[str, str], mapping: dict[str, str]) -> int:
    """How many of a row's cells name a fact (a header's many, a legend's one)."""
    return sum(
        1
        for c in cells
        if c.strip() and (heading_key(c) in mapping or fact_of(c, table) or noted_fact(c, table))
    )


def _two_rows(
    seen: list[Numbered],
    read: Iterator[Numbered],
    records: Iterator[Numbered],
    msgs: Messages,
    mapping: dict[str, str],
    reserved: Iterable[str],
) -> tuple[Header, list[Numbered]]:
    """The header found last in ``seen``, joined with the row under it when that row is its
    second level (大項目/小項目: マイナ保険証 over 登録状況, 資格確認書 over 有無 and
    有効期限); a second level that cannot be joined is refused, naming its line. ``read``
    are the records read past the header already, then come ``records``'."""
    table = column_table(msgs)
    top = seen[-1][1]
    assert not isinstance(top, Malformed)
    rest = list(read)
    following = rest.pop(0) if rest else next(records, None)
    ahead = [following, *rest] if following is not None else []
    if following is None or isinstance(following[1], Malformed):
        return _found(seen, len(seen) - 1, msgs, mapping, reserved), ahead
    line, sub = following
    assert not isinstance(sub, Malformed)
    joined = joined_headings(top, sub, table)
    if joined is None:
        return _found(seen, len(seen) - 1, msgs, mapping, reserved), ahead
    if not joined:  # a second level, but none of its columns names a fact
        shown = echoed(", ".join(c.strip() for c in sub if c.strip()), limit=80)
        raise KenpoError("batch_two_header_rows", line=str(line), cells=shown)
    header = _found([*seen[:-1], (seen[-1][0], joined)], len(seen) - 1, msgs, mapping, reserved)
    header.second = line
    header.rows = [list(top), list(sub)]
    return header, rest


def _is_subheading(cell: str) -> bool:
    """Whether a cell may be a heading's second level: text that is neither a date nor a
    number nor a value word (有, 済, 在籍 are a person's cells)."""
    text = cell.strip()
    return (
        bool(text)
        and not any(ch.isdigit() for ch in text)
        and (normalise(text) not in _value_words())
    )


def joined_headings(
    top: Sequence[str], sub: Sequence[str], table: dict[str, str]
) -> list[str] | None:
    """The headings of two header rows joined (``マイナ保険証 登録状況``), ``None`` when
    ``sub`` is not a second level, or ``[]`` when it is one that names no fact.

    A second level's every cell is a sub-heading or empty, and one of them, joined to the
    heading above it (or to the one before, for cells under a merged heading), names a fact.
    """
    if not any(c.strip() for c in sub) or not all(_is_subheading(c) for c in sub if c.strip()):
        return None
    joined, group, hits, merged = [], "", 0, False
    for i in range(max(len(top), len(sub))):
        above = top[i].strip() if i < len(top) else ""
        below = sub[i].strip() if i < len(sub) else ""
        if above:
            group = above
        if not below:
            joined.append(above)
            continue
        base = above or group
        merged |= not above and bool(group) and fact_of(group, table) is not None
        name = f"{base} {below}" if base else below
        theirs = bool(base) and other_insurance(base)  # 取得日 under 雇用保険: not 健保's
        if fact_of(name, table) is None and fact_of(below, table) is not None and not theirs:
            name = below  # 電子証明書有効期限 under マイナ保険証
        hits += fact_of(name, table) is not None
        joined.append(name)
    if hits:
        return joined
    if merged:
        return []
    return _labels_below(top, sub, table)


def _labels_below(
    top: Sequence[str], sub: Sequence[str], table: dict[str, str]
) -> list[str] | None:
    """The headings of a top row that names the facts over a second row that names only
    the other columns under a group heading (基本情報 over 社員番号, 氏名, 所属; 退職日
    and マイナ保険証 over nothing): those columns are named by the second row, the
    group being a label. None unless a cell of the second row says it holds ids
    (社員番号, コード) and none of its cells is under a fact's heading."""
    from kenpo_cli.io.calendar_file import looks_like_ids

    if not any(fact_of(c, table) for c in top if c.strip()):
        return None
    if not any(looks_like_ids(c) for c in sub if c.strip()):
        return None
    joined, group = [], ""
    for i in range(max(len(top), len(sub))):
        above = top[i].strip() if i < len(top) else ""
        below = sub[i].strip() if i < len(sub) else ""
        group = above or group
        if below and above and fact_of(above, table) is not None:
            return None  # under a fact's heading: a person's cell, or a real second level
        if below and other_insurance(group):  # 取得日 under 雇用保険: said to be theirs
            below = f"{group} {below}"
        joined.append(below or above)
    return joined


def _found(
    seen: list[Numbered],
    at: int,
    msgs: Messages,
    mapping: dict[str, str],
    reserved: Iterable[str],
) -> Header:
    line, cells = seen[at]
    assert not isinstance(cells, Malformed)
    above = seen[at - 1][1] if at else None
    raw = [list(cells)]
    filled = [i for i, c in enumerate(above) if c.strip()] if isinstance(above, list) else []
    if above is not None and not isinstance(above, Malformed) and filled and filled != [0]:
        # ,,厚生年金,, over 取得日,喪失日: those dates are the pension's (a title alone in
        # the first cell is the sheet's name: _insurance_title reads it)
        cells = under_groups(above, cells, column_table(msgs))
    if (title := _insurance_title(seen[:at])) is not None:
        # A sheet titled 雇用保険 被保険者一覧: its 取得日 and 喪失日 are that insurance's
        cells = under_groups([title] + [""] * (len(cells) - 1), cells, column_table(msgs))
    header = read_header(cells, msgs, mapping, reserved)
    header.rows = raw
    header.line = line
    header.titles = at
    return header


def _insurance_title(titles: list[Numbered]) -> str | None:
    """The insurance a sheet's title rows name, when it is another than 健康保険 (雇用保険
    被保険者管理表, with no 健康保険 or 社会保険 beside it), else None."""
    words = [
        c for _, cells in titles if not isinstance(cells, Malformed) for c in cells if c.strip()
    ]
    if any(_HEALTH_TITLE.search(heading_key(w)) for w in words):
        return None  # 社会保険・雇用保険 一覧: both, the health insurance's among them
    # The sheet's own name begins with it (雇用保険 被保険者一覧); one mentioned on the way
    # (退職者一覧（雇用保険加入者を含む）) names no one's dates.
    for word in words:
        key = _BRACKETED.sub("", heading_key(word).replace("【", "").replace("】", ""))
        for other in _other_insurances():
            subject = f"{re.escape(other)}(?:の)?(?:被保険者|資格|台帳|一覧|管理|名簿|取得|喪失)"
            if key.lstrip(_MARKS).startswith(other) or re.search(subject, key):
                return other  # (令和8年 雇用保険 被保険者一覧, （株）山田商事 雇用保険 台帳)
    return None


_HEALTH_TITLE = re.compile("健康保険|健保|社会保険|社保|協会けんぽ")


def _first_cells(seen: list[Numbered]) -> str:
    """The first non-empty record's cells, as a message may show them."""
    for _, cells in seen:
        shown = [c for c in (cells.cells if isinstance(cells, Malformed) else cells) if c.strip()]
        if shown:
            return echoed(", ".join(shown[:6]), limit=80)
    return ""
