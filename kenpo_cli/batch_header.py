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

from kenpo_cli.core.facts import FACT_BY_NAME, FACTS
from kenpo_cli.csvrows import Malformed
from kenpo_cli.errors import KenpoError
from kenpo_cli.i18n import DEFAULT_LANG, Messages
from kenpo_cli.privacy import echoed, masked

SEARCH = 10  # records looked at for the header
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
    "|雇用|ステータス|status|retire|お知らせ|有効期限|期限"
)

# Columns that hold マイナンバー are never copied to the output, however spelled:
# "マイナンバー", "個人番号（マイナンバー）", "マイナンバー(個人番号)", "My Number", …
_MY_NUMBER_WORDS = re.compile("マイナンバー|個人番号|mynumber")
_BRACKETS_AND_MARKS = re.compile(r"[()\[\]{}（）［］｛｝【】「」『』〈〉《》<>＜＞・_\-.:：#＃]")
_MY_NUMBER_REST = frozenset({"", "番号", "の番号", "no", "number", "12桁"})


def heading_key(name: str) -> str:
    """A heading folded for matching: width, case, spaces and line breaks; ``-`` as ``_``."""
    return "".join(unicodedata.normalize("NFKC", name).split()).lower().replace("-", "_")


def heading_keys(name: str) -> tuple[str, ...]:
    """The forms a heading is looked up by, most exact first: as written, without its
    brackets, without its bracketed notes and marks, and without an ending such as の有無."""
    key = heading_key(name)
    unbracketed = _BRACKET_MARKS.sub("", key).strip(_MARKS)  # 電子証明書（有効期限）
    bare = _BRACKETED.sub("", key).strip(_MARKS)  # 資格喪失日（予定）
    stem = next((bare[: -len(end)] for end in _ENDINGS if bare.endswith(end)), bare)
    # 健保資格喪失年月日, 被保険者資格取得日: the insurance named first, then the fact.
    plain = next((stem[len(p) :] for p in _PREFIXES if stem.startswith(p)), stem)
    return tuple(dict.fromkeys(k for k in (key, unbracketed, bare, stem, plain) if k))


def column_table(msgs: Messages) -> dict[str, str]:
    """Each heading a fact's column may have: its code, its label (in the chosen language
    and in Japanese), and the spellings HR systems use (FactSpec.columns)."""
    table: dict[str, str] = {}
    ja = Messages(DEFAULT_LANG)
    for spec in FACTS:
        for heading in (spec.name, msgs("fact", spec.name), ja("fact", spec.name), *spec.columns):
            table.setdefault(heading_key(heading), spec.name)
    return table


def fact_of(name: str, table: dict[str, str]) -> str | None:
    """The fact a heading names, if any."""
    return next((table[k] for k in heading_keys(name) if k in table), None)


def is_my_number_column(name: str) -> bool:
    """Whether a column's name says it holds マイナンバー (its cells are never output)."""
    key = _BRACKETS_AND_MARKS.sub("", heading_key(name))
    rest, found = _MY_NUMBER_WORDS.subn("", key)
    return found > 0 and rest in _MY_NUMBER_REST


def looks_like_a_fact(name: str) -> bool:
    """Whether an unread column's heading suggests a fact (worth a warning)."""
    key = heading_key(name)
    return bool(_FACT_WORDS.search(key.replace("マイナンバー", "")))


NOT_A_FACT = "-"
_PLACE = re.compile(r"#[1-9][0-9]{0,3}")  # a column by its place: #1 is the first


def parse_map(pairs: Iterable[str], table: dict[str, str]) -> dict[str, str]:
    """``--map 列名=fact`` options as heading key -> fact code (or ``-``: not a fact).

    The fact may be named by its code or any heading of it (``--map 入社日=資格取得日``).
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.replace("＝", "=").rpartition("=")  # as an IME types it
        if not sep or not column.strip():
            raise KenpoError("batch_map_form", value=echoed(pair))
        target = target.strip()
        if target in ("", NOT_A_FACT, "none"):
            fact = NOT_A_FACT
        elif (found := fact_of(target, table)) is not None:
            fact = found
        else:
            shown = ", ".join(FACT_BY_NAME)
            raise KenpoError("batch_map_fact", value=echoed(target), accepted=shown)
        mapping[heading_key(column)] = fact
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
    table, mapping = column_table(msgs), mapping or {}
    # Spreadsheets often export unnamed columns (a trailing comma): name them by position.
    headings = [_clean(cell) or f"#{i + 1}" for i, cell in enumerate(row)]
    facts = _facts(headings, table, mapping, msgs)
    if not facts:
        raise KenpoError("batch_no_fact_column")
    dropped = [i for i, name in enumerate(headings) if i not in facts and is_my_number_column(name)]
    passthrough = [i for i in range(len(headings)) if i not in facts and i not in dropped]
    names, renamed = _unique(headings, passthrough, set(reserved))
    left_out = {f"#{i + 1}" for i in passthrough} & {k for k, v in mapping.items() if v == "-"}
    unread = [
        i
        for i in passthrough
        if looks_like_a_fact(headings[i])
        and mapping.get(heading_key(headings[i])) != NOT_A_FACT
        and f"#{i + 1}" not in left_out
    ]
    return Header(names, facts, passthrough, dropped, 1, 0, renamed, unread, headings)


def _facts(
    headings: list[str], table: dict[str, str], mapping: dict[str, str], msgs: Messages
) -> dict[int, str]:
    """Column index -> fact; ``--map`` first, then the headings' own spellings."""
    facts: dict[int, str] = {}
    keys = [heading_key(h) for h in headings]
    mapped = {i: mapping[key] for i, key in enumerate(keys) if key in mapping}
    # ``--map '#3=-'``: the third column, whatever its heading (two columns may share one).
    by_place = {key: int(key[1:]) - 1 for key in mapping if _PLACE.fullmatch(key)}
    mapped.update({i: mapping[key] for key, i in by_place.items() if 0 <= i < len(headings)})
    missing = set(mapping) - set(keys) - {k for k, i in by_place.items() if i < len(headings)}
    if missing:
        shown = ", ".join(echoed(h) for h in headings)
        raise KenpoError("batch_map_column", column=echoed(sorted(missing)[0]), columns=shown)
    claimed = {fact for fact in mapped.values() if fact != NOT_A_FACT}
    for i, heading in enumerate(headings):
        fact = mapped.get(i) if i in mapped else fact_of(heading, table)
        if fact is None or fact == NOT_A_FACT or (i not in mapped and fact in claimed):
            continue
        if fact in facts.values():
            first = next(j for j, f in facts.items() if f == fact)
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
    return facts


def _unique(
    headings: list[str], passthrough: list[int], reserved: set[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Output names: a repeated or reserved pass-through name gets `` (2)``, `` (3)``, …"""
    names = list(headings)
    taken = set(reserved) | {headings[i] for i in range(len(headings)) if i not in passthrough}
    renamed = []
    for i in passthrough:
        name, n = headings[i], 1
        while names[i] in taken:
            n += 1
            names[i] = f"{name} ({n})"
        taken.add(names[i])
        if names[i] != name:
            renamed.append((name, names[i]))
    return names, renamed


def find_header(
    records: Iterator[Numbered],
    msgs: Messages,
    mapping: dict[str, str] | None = None,
    reserved: Iterable[str] = (),
) -> tuple[Header, list[Numbered]]:
    """The header among the first records, and the records read past it (to be judged).

    Title rows above it are skipped; a file with no heading that names a fact in its
    first :data:`SEARCH` records is a usage error that shows what its first line holds.
    """
    table, mapping = column_table(msgs), mapping or {}
    seen: list[Numbered] = []
    fallback: int | None = None
    for line, cells in records:
        seen.append((line, cells))
        if isinstance(cells, Malformed):
            if fallback is None:
                raise KenpoError("batch_bad_header", line=str(line))
            continue
        names = [heading_key(c) for c in cells]
        if any(n in mapping or fact_of(c, table) for n, c in zip(names, cells, strict=True)):
            if sum(1 for n in names if n) > 1:
                return _found(seen, len(seen) - 1, msgs, mapping, reserved), []
            if fallback is None:
                fallback = len(seen) - 1
        if len(seen) >= SEARCH:
            break
    if fallback is not None:
        return _found(seen, fallback, msgs, mapping, reserved), seen[fallback + 1 :]
    if not any(not isinstance(c, Malformed) and "".join(c).strip() for _, c in seen):
        raise KenpoError("batch_empty")  # no line, or only blank ones
    raise KenpoError("batch_no_header", lines=str(len(seen)), first=_first_cells(seen))


def _found(
    seen: list[Numbered],
    at: int,
    msgs: Messages,
    mapping: dict[str, str],
    reserved: Iterable[str],
) -> Header:
    line, cells = seen[at]
    assert not isinstance(cells, Malformed)
    header = read_header(cells, msgs, mapping, reserved)
    header.line = line
    header.titles = at
    return header


def _first_cells(seen: list[Numbered]) -> str:
    """The first non-empty record's cells, as a message may show them."""
    for _, cells in seen:
        shown = [c for c in (cells.cells if isinstance(cells, Malformed) else cells) if c.strip()]
        if shown:
            return echoed(", ".join(shown[:6]), limit=80)
    return ""
