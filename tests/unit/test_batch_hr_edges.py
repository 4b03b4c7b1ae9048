"""``kenpo batch`` on the last shapes of issue 22, each file written as its system writes it.

A pass-through date column beside the ids (a マイナンバー is still masked where it is, and
only there); an instructions sheet placed first in a workbook; a tally row in a fact
column; Excel's empty date (0, shown as 00:00:00 or 1900/1/0); 離職 as a status word.
What must never happen: a wrong verdict with exit 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.inprocess import Ran, run_main

AS_OF = "2026-11-26"
MY_NUMBER = "123456789018"  # a valid マイナンバー (its check digit is 8)


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def rows(ran: Ran) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ran.stdout.splitlines()]


def steps(row: dict[str, Any]) -> set[tuple[str, str]]:
    return {(a["action"], a["item"]) for a in row.get("actions", [])}


# ---- a マイナンバー among pass-through ids and dates ----------------------------------


def test_a_my_number_is_masked_in_its_cell_beside_pass_through_ids_and_dates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As ジョブカン exports: UTF-8, 入社日 and 生年月日 passed through beside the staff code
    # (twelve digits together on every row, none a マイナンバー), a note holding one.
    path = tmp_path / "jobcan.csv"
    path.write_text(
        "スタッフコード,生年月日,入社日,マイナ保険証,備考\n"
        "E0000001,1980/01/02,2003/05/30,有,\n"
        f"E0000002,1975/03/04,2010/04/01,有,控え {MY_NUMBER}\n"
        # a cell holding the character the batch joins cells with, between the digits
        f"E0000003,1990/05/06,2020/04/01,有,{MY_NUMBER[:6]}\x1f{MY_NUMBER[6:]}\n",
        encoding="utf-8",
    )
    ran = batch(monkeypatch, path)
    assert ran.status == 0, ran.stderr
    first, second, third = rows(ran)
    assert (first["生年月日"], first["入社日"]) == ("1980/01/02", "2003/05/30")
    assert MY_NUMBER not in ran.stdout and "控え" in second["備考"]
    assert "\x1f" not in third["備考"] and third["備考"].strip("*") == ""
    assert second["入社日"] == "2010/04/01"  # only the cell holding one is masked
    assert "備考" in ran.stderr.splitlines()[-1]  # the summary names the column


def _digit_runs_one_by_one(text: str) -> list[list[int]]:
    """privacy._digit_runs as it was: each digit found alone, each gap looked at."""
    import re

    from kenpo_cli import privacy

    runs: list[list[int]] = []
    for m in re.finditer(privacy._DIGIT, text):
        at = m.start()
        if runs and (at - runs[-1][-1] == 1 or privacy._joins(text[runs[-1][-1] + 1 : at])):
            runs[-1].append(at)
        else:
            runs.append([at])
    return runs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１²③ -/.:,()午前年月日aE\x1f\u200b", max_size=40))
def test_digit_runs_found_a_group_at_a_time_are_the_same_runs(text: str) -> None:
    from kenpo_cli import privacy

    assert privacy._digit_runs(text) == _digit_runs_one_by_one(text)
