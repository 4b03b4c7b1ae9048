"""What round seven of independent review and the planners' list found (2026-12-07,
night): HR clerks of a retail chain and a hospital group, and the findings earlier
rounds left for planning. Each test is built from what was fed to kenpo, and fails if
the finding comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inprocess import Ran, run_main
from tests.unit.test_batch_sheets import rows, write

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


def test_a_contract_that_ended_with_no_leaving_day_is_said_on_its_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A 期間工 whose 契約満了日 had passed (更新区分 満了), no 退職日: judged a member, exit
    # 0, nothing said. The verdict stands (contracts are renewed), but the row says it.
    text = (
        "社員番号,雇用形態,契約満了日,更新区分,資格取得日,退職日,マイナ保険証,資格確認書\n"
        "K1,期間工,2026/12/6,満了,2024/11/1,,未登録,有\n"  # ended yesterday
        "K2,期間工,2026/12/7,更新,2024/11/1,,未登録,有\n"  # ends today: not yet
        "K3,期間工,R8.9.30,満了,2024/10/1,2026/9/30,未登録,有\n"  # left: said by its day
        "K4,期間工,無期,,2020/4/1,,未登録,有\n"
        "K5,期間工,46326,,2020/4/1,,未登録,有\n"  # an Excel serial: 2026-10-31
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    codes = {r["社員番号"]: [w["code"] for w in r["warnings"]] for r in rows(ran)}
    assert [k for k, c in codes.items() if "contract_ended" in c] == ["K1", "K5"]
    (said,) = [line for line in ran.stderr.splitlines() if "契約満了日が過ぎている" in line]
    assert "2人" in said and "2, 6 行目" in said
    assert "2026年12月6日" in rows(ran)[0]["warnings"][-1]["message"]
