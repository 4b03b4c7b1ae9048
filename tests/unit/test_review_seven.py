"""What round seven of independent review and the planners' list found (2026-12-07,
night): HR clerks of a retail chain and a hospital group, and the findings earlier
rounds left for planning. Each test is built from what was fed to kenpo, and fails if
the finding comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inprocess import Ran, run_main
from tests.unit.test_batch_sheets import write

AS_OF = "2026-12-07"


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


def _titles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> list[str]:
    ics = tmp_path / "office.ics"
    ran = batch(
        monkeypatch, write(tmp_path, text), "-o", str(tmp_path / "o.csv"), "--ics", str(ics)
    )
    assert ran.status == 0, ran.stderr
    lines = ics.read_text(encoding="utf-8").replace("\r\n ", "").splitlines()
    return [line.removeprefix("SUMMARY:") for line in lines if line.startswith("SUMMARY:")]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # A row's place beside 雇用形態: every event was titled 正社員.
        ("No.,氏名,雇用形態,資格取得日,資格喪失日,資格確認書\n"
         "101,山田,正社員,2020/4/1,2026/11/1,有\n", "101: "),
        # A store's code before the employee's: every event was titled by the store.
        ("店舗コード,社員番号,氏名,資格取得日,資格喪失日,資格確認書\n"
         "S01,E7,山田,2020/4/1,2026/11/1,有\n", "E7: "),
        # Two header rows: 職員情報 glued onto No. made the row's place an id.
        ("職員情報,,,健康保険資格,,資格確認書\nNo.,職員ID,所属,取得日,喪失日,有無\n"
         "1,E7,外来,2020/4/1,2026/11/1,有\n", "E7: "),
    ],
)  # fmt: skip
def test_calendar_events_are_titled_by_the_person_not_their_group(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, title: str
) -> None:
    titles = _titles(monkeypatch, tmp_path, text)
    assert titles and all(t.startswith(title) for t in titles), titles
