"""The batch's caches change nothing: every row's output is what judging it afresh gives.

Rows are drawn with dates around every threshold of the day (and far from them), in the
forms sheets use, and the whole output of a cached run — JSON Lines and CSV — is compared
with that of a run where each row is parsed, judged and rendered from its own facts.
"""

from __future__ import annotations

import io
import itertools
import os
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from kenpo_cli.batch import command as batch
from kenpo_cli.batch.header import find_header
from kenpo_cli.batch.writers import CsvWriter, JsonlWriter
from kenpo_cli.core import rulepack
from kenpo_cli.core.dates import month_end_after, to_wareki
from kenpo_cli.i18n import Messages
from tests.inprocess import run_main

PACK = rulepack.builtin()
AS_OF = date(2026, 11, 26)
HEADER = "社員番号,資格取得日,退職日,マイナ保険証,電子証明書有効期限,資格確認書,資格確認書有効期限,お知らせ,保険証,連絡不能"  # noqa: E501
DAYS = [
    AS_OF,
    PACK.old_card_valid_until,
    PACK.kakuninsho_expiry,
    PACK.transition_start,
    AS_OF - timedelta(days=PACK.myna_update_days),
    month_end_after(AS_OF, PACK.cert_renew_notice_months),
    AS_OF + timedelta(days=92),
    month_end_after(AS_OF, -PACK.cert_grace_months - 1),
]


@st.composite
def a_day(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return ""
    if kind == 1:
        day = draw(st.sampled_from(DAYS)) + timedelta(days=draw(st.integers(-3, 3)))
    elif kind == 2:
        day = AS_OF + timedelta(days=draw(st.integers(-15000, 2500)))
    else:
        day = AS_OF + timedelta(days=draw(st.integers(-120, 120)))
    form = draw(st.integers(0, 3))
    if form == 0:
        return day.isoformat()
    if form == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if form == 2:
        return to_wareki(day)
    return str((day - date(1899, 12, 30)).days)


@st.composite
def a_row(draw: st.DrawFn, n: int) -> str:
    cells = [
        str(n),
        draw(a_day()),
        draw(a_day()) if draw(st.integers(0, 4)) == 0 else "",
        draw(st.sampled_from(["はい", "いいえ", "不明", "紛失", "", "たぶん"])),
        draw(a_day()),
        draw(st.sampled_from(["有", "無", "紛失", ""])),
        draw(a_day()) if draw(st.booleans()) else "",
        draw(st.sampled_from(["有", "無", "紛失", ""])),
        draw(st.sampled_from(["有", "無", ""])),
        draw(st.sampled_from(["はい", ""])),
    ]
    return ",".join(cells)


def run(text: str, kind: type[JsonlWriter] | type[CsvWriter], exact: bool) -> str:
    msgs = Messages("ja")
    opened = batch.open_rows(io.BytesIO(text.encode("utf-8")), "auto")
    header, ahead = find_header(opened.rows, msgs, {}, kind.reserved)
    out = io.StringIO()
    writer = kind(out, header, msgs)
    judge = batch.make_judge(
        header, today=AS_OF, as_of=AS_OF, pack=PACK, msgs=msgs, writer=writer, exact=exact
    )
    batch.process(
        header, itertools.chain(ahead, opened.rows), writer, judge, opened=opened, msgs=msgs
    )
    return out.getvalue()


# No shrinking: each example is a whole sheet, and a failure shows its rows as drawn.
@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.integers(20, 120).flatmap(lambda n: st.tuples(*(a_row(i) for i in range(n)))))
def test_cached_output_is_exactly_fresh_output(lines: tuple[str, ...]) -> None:
    # Each sheet twice over: the second half meets caches filled by the first.
    text = "\n".join([HEADER, *lines, *lines]) + "\n"
    for kind in (JsonlWriter, CsvWriter):
        assert run(text, kind, exact=False) == run(text, kind, exact=True)


def test_rows_written_as_bytes_are_the_text_rows_with_the_systems_line_ends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Into a file the JSON rows go out as UTF-8 bytes under its text stream: the same
    rows as a text stream gets, each ended as that stream would end it (CRLF on Windows)."""
    text = "\n".join([HEADER, "1,2020/4/1,,はい,2027-03-31,無,,有,,", "2,,,いいえ,,有,,,,"])
    expected = run(text + "\n", JsonlWriter, exact=False)
    assert expected.count("\n") == 2
    monkeypatch.setattr(os, "linesep", "\r\n")
    staff, out = tmp_path / "staff.csv", tmp_path / "out.jsonl"
    staff.write_text(text + "\n", encoding="utf-8")
    ran = run_main(monkeypatch, ["batch", str(staff), "--as-of", str(AS_OF), "-o", str(out)])
    assert ran.status == 0, ran.stderr
    assert out.read_bytes().decode("utf-8") == expected.replace("\n", "\r\n")


def test_a_full_store_of_verdicts_is_emptied_and_its_rows_stay_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory stays bounded on a sheet of many distinct verdicts: the store of verdicts on
    the run's day is emptied when full, and the rows after it are judged again alike."""
    monkeypatch.setattr(batch.RowJudge, "VERDICTS", 3)
    sizes: list[int] = []
    kept = batch.RowJudge._judged

    def judged(self: batch.RowJudge, represented: object) -> object:
        sizes.append(len(self.judged))
        return kept(self, represented)  # type: ignore[arg-type]

    monkeypatch.setattr(batch.RowJudge, "_judged", judged)
    # Certificates expiring on ten different days in their renewal window: ten verdicts.
    days = [AS_OF + timedelta(days=n) for n in range(1, 11)]
    # (Joined in 2001 or 2002: rows that differ, to the rules alike.)
    lines = [f"{n},{2001 + n // 10}/4/1,,はい,{day},無,,有,," for n, day in enumerate(days * 2)]
    text = "\n".join([HEADER, *lines]) + "\n"
    assert run(text, JsonlWriter, exact=False) == run(text, JsonlWriter, exact=True)
    assert len(sizes) > 10 and max(sizes) <= 3  # emptied when full, each judged again


def _fact_values(name: str) -> st.SearchStrategy[object]:
    from kenpo_cli.core.facts import FACT_BY_NAME
    from kenpo_cli.core.model import Facts

    default = Facts._field_defaults[name]
    if FACT_BY_NAME[name].is_date:
        return st.none() | st.dates(date(1900, 1, 1), date(2040, 12, 31))
    if default is None or isinstance(default, int):  # dependants: a count, or not known
        return st.none() | st.integers(0, 12)
    kind: type[Enum] = type(default)
    return st.sampled_from(list(kind))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_rows_facts_json_is_the_facts_as_dict_whatever_was_written_before(
    data: st.DataObject,
) -> None:
    """JSON Lines' ``facts`` comes from templates kept across rows: each row's is still
    exactly its own facts, in contract order (``jq '.facts.left_on'`` reads the right day)."""
    import json

    from kenpo_cli.batch.writers import FactsJson
    from kenpo_cli.core.model import Facts

    one = st.builds(Facts, **{name: _fact_values(name) for name in Facts._fields})
    written = FactsJson()
    for facts in data.draw(st.lists(one, min_size=1, max_size=12)):
        assert written(facts) == json.dumps(facts.as_dict(), ensure_ascii=False).encode()
