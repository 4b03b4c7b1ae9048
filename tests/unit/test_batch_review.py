"""``kenpo batch`` on exports an independent HR clerk tried (issue 22's review).

Each file is written as the system that makes it writes it (tests/unit/test_batch_exports.py
has the writers): subtotal rows, group headings naming another insurance, 未定 as a
leaving day, a legend above the table, a page header repeated mid-file, Excel's error
cells. What must never happen: a wrong verdict with exit 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_batch_exports import batch, excel_csv, facts, rows, smarthr

# ---- 未定 as a leaving day ------------------------------------------------------------


def test_an_undecided_leaving_day_means_leaving_and_a_dash_means_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table = [
        ["社員番号", "氏名", "退職予定日", "マイナ保険証"],
        ["1001", "山田 太郎", "未定", "登録済"],
        ["1002", "佐藤 花子", "ー", "登録済"],
        ["1003", "鈴木 一郎", "調整中", "登録済"],
        ["1004", "高橋 次郎", "", "登録済"],
        ["1005", "田中 三郎", "不明", "登録済"],
    ]
    read = facts(monkeypatch, smarthr(tmp_path, table))
    assert [r["status"] for r in read] == ["leaving", "enrolled", "leaving", "enrolled", "leaving"]
    assert read[0]["left_on"] == ""
