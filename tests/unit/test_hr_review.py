"""What an independent HR-office review of ``kenpo batch`` found told to the wrong people
or left untold (review at b7d9d59, --as-of 2026-12-06): each finding, in check and batch.

6. a leaver whose 資格確認書 is not known is told to look for it, return it, or report it lost;
5. 同日得喪 and a rehire are neither "left" in silence nor refused for a wrong reason;
10. the summary's counts agree with the task sheets and ``--only``;
11. a leaver gets no renewal notice, 死亡退職 no next-insurance steps, and ``overdue`` is the
    office's work, not a leaver's own deadline from long ago.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kenpo_cli.core.rulepack import Src
from tests.helpers import cites, judge, reason_keys, step, steps
from tests.inprocess import Ran, run_main
from tests.unit.test_batch_sheets import rows, write
from tests.unit.test_batch_sheets import steps as row_steps

AS_OF = "2026-12-06"  # the review's day


def batch(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str) -> Ran:
    return run_main(monkeypatch, ["batch", str(path), "--as-of", AS_OF, *args])


# ---- 6. a leaver's 資格確認書 not known ------------------------------------------------


@pytest.mark.parametrize("myna", ["unknown", "no"])
def test_a_leaver_whose_kakuninsho_is_not_known_is_told_to_check_return_or_report(
    myna: str,
) -> None:
    v = judge(AS_OF, left_on="2026-11-21", myna=myna, kakuninsho="unknown")
    back = step(v, "return", "kakuninsho")
    came = "kakuninsho_if_received" if myna == "no" else "kakuninsho_if_received_unsure"
    assert reason_keys(back)[-2:] == [came, "kakuninsho_if_lost"]
    assert back.by == date(2026, 11, 25)  # the 資格喪失届's 5 days, like a card said held
    assert Src.KAKUNINSHO_LOST_ON_LEAVING in cites(v)


def test_a_leaving_member_whose_registration_is_not_known_returns_the_card_if_it_came() -> None:
    v = judge(AS_OF, left_on="2027-01-21", myna="unknown")
    assert ("check", "mynaportal") in steps(v)
    back = step(v, "return", "kakuninsho")
    assert back.from_ == date(2027, 1, 21) and back.by is not None


def test_a_myna_hoken_holders_card_not_said_is_still_none_when_they_leave() -> None:
    # The documented rule (README): a マイナ保険証 holder was sent no 資格確認書 unasked.
    v = judge(AS_OF, left_on="2026-11-21", myna="yes")
    assert ("return", "kakuninsho") not in steps(v)
    assert ("submit", "kakuninsho_loss_report") not in steps(v)


def test_check_tells_the_leaver_with_nothing_known_to_look_for_the_card(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ["--left-on", "2026-11-21", "--myna", "unknown", "--kakuninsho", "unknown"]
    for lang, words in (
        ("ja", "資格確認書滅失・回収不能届"),
        ("en", "check whether one came"),
        ("easy", "届いたか どうか"),
    ):
        ran = run_main(
            monkeypatch, ["check", *args, "--as-of", AS_OF, "--no-input", "--lang", lang]
        )
        assert ran.status == 0, ran.stderr
        assert words in ran.stdout.replace("\n", "").replace("  ", " ")


def test_batch_row_with_the_card_not_known_is_on_the_return_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,資格喪失日,マイナ保険証,資格確認書\n"
        "U1,2026/11/21,不明,不明\n"
        "U4,2026/11/21,あり,\n"  # a マイナ保険証 holder: no card to return
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--only", "return:kakuninsho")
    assert ran.status == 0, ran.stderr
    got = rows(ran)
    assert [r["社員番号"] for r in got] == ["U1"]
    assert ("return", "kakuninsho") in row_steps(got[0])


# ---- 5. 同日得喪 and rehires --------------------------------------------------------


@pytest.mark.parametrize("status", ["在籍", "", "退職"])
def test_a_same_day_loss_and_rejoin_is_never_judged_left_and_says_what_to_fill_in(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, status: str
) -> None:
    # 定年再雇用 filed as 同日得喪: 取得日 = 喪失日 (dojitsu.csv, T1 and T2).
    text = (
        "社員番号,在籍状況,資格取得日,資格喪失日,マイナ保険証,資格確認書\n"
        f"T1,{status},2026/11/01,2026/11/01,なし,あり\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    (row,) = rows(ran)
    assert "actions" not in row and row.get("status") != "left"
    assert "同日得喪" in row["error"] and "資格喪失日 を空けて" in row["error"]
    assert "加入する前に" not in row["error"]


@pytest.mark.parametrize("status", ["在籍", ""])
def test_a_rehire_is_refused_for_the_right_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, status: str
) -> None:
    # sem.csv S2/S3: joined again on 12/01 after an old 資格喪失日 of 06/01.
    text = (
        "社員番号,在籍状況,資格取得日,資格喪失日,マイナ保険証,資格確認書\n"
        f"S3,{status},2026/12/01,2026/06/01,なし,あり\n"
    )
    (row,) = rows(batch(monkeypatch, write(tmp_path, text)))
    assert "再入社" in row["error"] and "資格喪失日 を空けて" in row["error"]
    assert "在籍（enrolled）ですが" not in row["error"]  # not "enrolled but left"
    assert "加入する前に資格を失うことはありません" not in row["error"]


def test_rejoining_the_day_after_the_retiring_day_names_the_retiring_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A sheet with 退職日 only: 10/31 retired, 11/01 rehired (資格喪失日 11/01 = 取得日).
    text = (
        "社員番号,資格取得日,退職日,マイナ保険証,資格確認書\nR1,2026/11/01,2026/10/31,なし,あり\n"
    )
    (row,) = rows(batch(monkeypatch, write(tmp_path, text)))
    assert "同日得喪" in row["error"] and "退職日 を空けて" in row["error"]
    assert "left_on" not in row["error"]


@pytest.mark.parametrize(
    ("dates", "words"),
    [
        (["--left-on", "2026-11-01"], "同日得喪"),
        (["--left-on", "2026-06-01"], "再入社"),
        (["--retired-on", "2026-10-31"], "--retired-on を空けて"),
    ],
)
def test_check_refuses_a_rejoin_naming_it_and_the_flag(
    monkeypatch: pytest.MonkeyPatch, dates: list[str], words: str
) -> None:
    args = ["check", "--joined-on", "2026-11-01", *dates, "--as-of", AS_OF, "--no-input"]
    ran = run_main(monkeypatch, [*args, "--myna", "no", "--kakuninsho", "held"])
    assert ran.status == 2 and words in ran.stderr
    assert "Traceback" not in ran.stderr and ran.stdout == ""
    en = run_main(monkeypatch, [*args, "--lang", "en"])
    assert en.status == 2 and ("同日得喪" in en.stderr or "rehire" in en.stderr)
