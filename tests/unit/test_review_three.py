"""What the third round of independent review found in `kenpo batch` (an HR clerk with
27 exports of their own, 2026-12-07): each test is built from a sheet written the way
that clerk's systems wrote it, and fails if the finding comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inprocess import Ran, run_main
from tests.unit.test_batch_sheets import rows, write

AS_OF = "2026-12-07"


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def test_rows_numbered_ahead_of_the_data_are_no_people(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A template numbered down column A before anyone was typed in: rows 2 and 3 were
    # judged as two people ("check that the 資格確認書 has come") and counted.
    text = (
        "No.,社員番号,氏名,退職日,マイナ保険証,資格確認書\n"
        "1,E101,山田,2026/11/30,無,有\n"
        "2,,,,,\n"
        "３,,,, ,\n"
        "4,E104,,,,\n"  # an employee number: a person, judged on defaults and said
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    assert [r["社員番号"] for r in rows(ran)] == ["E101", "E104"]
    assert "空の行 2行" in ran.stderr, ran.stderr
    assert "受診できるか分からない人 1人" in ran.stderr, ran.stderr  # E104 only
