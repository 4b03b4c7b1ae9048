"""How urgent each step is, on the run's day: ``--only overdue|now|later``, the summary's
split counts, the CSV's ``next_deadline`` and the workbook's order all agree.

The rules give the dates (``by``, ``from``); these tests only read them. A certificate
that expired before its grace period ended is overdue; a return owed by someone who
left is due now; a return from a future leaving day is for later.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from kenpo_cli.batch.tasks import Urgency, due_day, urgency
from kenpo_cli.core.model import Action, ActionKind, Item, Reason
from tests.unit.test_batch_exports import batch

STAFF = """社員番号,マイナ保険証,資格確認書,資格喪失日,電子証明書の有効期限
A1,いいえ,有,2026-10-16,
A2,いいえ,有,2027-04-01,
A3,はい,無,,2026-06-01
A4,はい,無,,2026-12-20
A5,はい,無,,2029-12-01
"""
AS_OF = date(2026, 11, 26)


def step(action: ActionKind, **dates: date | str) -> Action:
    reason = (Reason("x"),)
    return Action(action, Item.KAKUNINSHO, reason, ("s",), **dates)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"by": date(2026, 11, 25)}, Urgency.OVERDUE),
        ({"by": AS_OF}, Urgency.NOW),  # due today is not late yet
        ({"by": date(2026, 12, 1)}, Urgency.NOW),
        ({}, Urgency.NOW),
        ({"from_": AS_OF}, Urgency.NOW),
        # A return starting on the 資格喪失日: due now on the 退職日, the day before (the
        # last day the card is handed over at work), not from the day after it.
        ({"from_": date(2026, 11, 27)}, Urgency.NOW),
        ({"from_": date(2026, 11, 28)}, Urgency.LATER),
        ({"on": "leaving"}, Urgency.LATER),
    ],
)
def test_a_step_is_overdue_due_now_or_for_later(dates: dict[str, date], expected: Urgency) -> None:
    assert urgency(step(ActionKind.RETURN, **dates), AS_OF) is expected


def test_only_a_return_is_due_the_day_before_it_starts() -> None:
    assert urgency(step(ActionKind.DISPOSE, from_=date(2026, 11, 27)), AS_OF) is Urgency.LATER


def test_a_duty_owed_now_without_a_date_is_due_on_the_run_s_day() -> None:
    assert due_day(step(ActionKind.RETURN), AS_OF) == AS_OF
    assert due_day(step(ActionKind.CARRY), AS_OF) is None  # a habit is never "due"
    assert due_day(step(ActionKind.RETURN, from_=date(2027, 4, 1)), AS_OF) is None


def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *args: str) -> tuple[list[str], str]:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    ran = batch(monkeypatch, src, "--lang", "ja", *args)
    assert ran.status == 0, ran.stderr
    return [json.loads(line)["社員番号"] for line in ran.stdout.splitlines()], ran.stderr


@pytest.mark.parametrize(
    ("only", "kept"),
    [
        # A1's return was due with the employer's filing, 2026-10-20 (5 days from its
        # 資格喪失日); A3's certificate's grace period ended in September
        ("overdue", ["A1", "A3"]),
        ("now", ["A4"]),  # a renewal due in December
        ("later", ["A2"]),  # a return from the April leaving day
        ("overdue:renew", ["A3"]),
        ("now:return", []),
        ("overdue:return", ["A1"]),
        ("later:return:kakuninsho", ["A2"]),
        ("今後:返却", ["A2"]),
        ("overdue,later", ["A1", "A2", "A3"]),
        ("return", ["A1", "A2"]),  # as before: any urgency
    ],
)
def test_only_takes_urgency_alone_or_before_an_action(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, only: str, kept: list[str]
) -> None:
    assert run(monkeypatch, tmp_path, "--only", only)[0] == kept


def test_an_unknown_urgency_is_refused_naming_the_accepted_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    ran = batch(monkeypatch, src, "--only", "soon:return")
    assert ran.status == 2 and "soon:return" in ran.stderr and "overdue" in ran.stderr


def test_the_summary_splits_each_count_by_urgency(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stderr = run(monkeypatch, tmp_path)[1]
    assert "資格確認書の回収 2件 = 期限切れ 1・今すぐ 0・今後 1" in stderr
    assert "電子証明書の更新 2件 = 期限切れ 1・今すぐ 1・今後 0" in stderr


def test_sorting_the_csv_by_next_deadline_puts_the_most_urgent_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    ran = batch(monkeypatch, src, "--format", "csv", "--codes")
    rows = list(csv.DictReader(io.StringIO(ran.stdout.lstrip("\ufeff"))))
    deadlines = {r["社員番号"]: r["next_deadline"] for r in rows}
    # A1's return was due on 2026-10-20 (5 days from its 資格喪失日); A2's is due 5 days
    # from its leaving day in April.
    assert deadlines["A1"] == "2026-10-20" and deadlines["A2"] == "2027-04-05"
    dated = sorted((d, who) for who, d in deadlines.items() if d)
    assert [who for _, who in dated] == ["A3", "A1", "A4", "A2"]  # A5's is years off


def test_the_workbook_says_how_urgent_each_task_is(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    src = tmp_path / "staff.csv"
    src.write_text(STAFF, encoding="utf-8")
    out = tmp_path / "結果.xlsx"
    assert batch(monkeypatch, src, "-o", str(out), "--lang", "ja").status == 0
    sheet = load_workbook(out)["電子証明書の更新案内"]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [(r[0], r[1]) for r in rows] == [("A3", "期限切れ"), ("A4", "今すぐ")]
