"""What round seven of independent review and the planners' list found (2026-12-07,
night): HR clerks of a retail chain and a hospital group, and the findings earlier
rounds left for planning. Each test is built from what was fed to kenpo, and fails if
the finding comes back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kenpo_cli.errors import KenpoError
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
    # A 期間工 whose 契約満了日 had passed, no 退職日: judged a member, exit 0, nothing
    # said. The verdict stands (contracts are renewed), but the row says it. (更新区分
    # 満了 beside it says it was not renewed: refused, below.)
    text = (
        "社員番号,雇用形態,契約満了日,更新区分,資格取得日,退職日,マイナ保険証,資格確認書\n"
        "K1,期間工,2026/12/6,,2024/11/1,,未登録,有\n"  # ended yesterday
        "K2,期間工,2026/12/7,更新,2024/11/1,,未登録,有\n"  # ends today: not yet
        "K3,期間工,R8.9.30,満了,2024/10/1,2026/9/30,未登録,有\n"  # left: said by its day
        "K4,期間工,無期,,2020/4/1,,未登録,有\n"
        "K5,期間工,46326,,2020/4/1,,未登録,有\n"  # an Excel serial: 2026-10-31
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 0, ran.stderr
    codes = {r["社員番号"]: [w["code"] for w in r["warnings"]] for r in rows(ran)}
    assert [k for k, c in codes.items() if "contract_ended" in c] == ["K1", "K5"]
    (said,) = [line for line in ran.stderr.splitlines() if "契約満了日 が過ぎている" in line]
    assert "2人" in said and "2, 6 行目" in said
    assert "2026年12月6日" in rows(ran)[0]["warnings"][-1]["message"]


def _read(ran: Ran, key: str = "社員番号") -> dict[str, dict[str, Any]]:
    return {r[key]: r for r in rows(ran)}


def test_a_note_that_may_change_a_status_or_a_myna_word_is_refused_not_dropped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 在籍（12/31退職）, 出向中（社保は出向先）, 登録済（カード返納）: the word before the
    # note was read and the note dropped (members who were leaving or gone; cards that
    # no longer worked, exit 0). A note that says no more than when is read past.
    refused = [
        ("在籍（12/31退職）", "登録済"), ("出向中（社保は出向先）", "登録済"),
        ("在籍（75歳到達）", "登録済"), ("退職（12/31予定）", "登録済"),
        ("退職（嘱託で再雇用）", "登録済"), ("休職（満了後退職）", "登録済"),
        ("在籍", "登録済（R8.9 解除）"), ("在籍", "有（カード紛失中）"),
        ("在籍", "登録済（カード返納）"), ("在籍", "有（期限切れ）"),
    ]  # fmt: skip
    read = [
        ("産休（第2子）", "登録済", "enrolled"),
        ("育休中（2027/3復帰予定）", "登録済（R7.3）", "enrolled"),
        ("退職予定(12/31)", "登録済", "leaving"),
        ("産前休業（第一子）", "登録済み(2025年3月)", "enrolled"),
    ]
    lines = [f"N{n},{s},{m},無" for n, (s, m) in enumerate(refused)]
    lines += [f"Y{n},{s},{m},無" for n, (s, m, _) in enumerate(read)]
    text = "社員番号,在籍区分,マイナ保険証,資格確認書\n" + "\n".join(lines) + "\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    for n, (status, myna) in enumerate(refused):
        assert "error" in got[f"N{n}"], (status, myna)
    for n, (status, myna, code) in enumerate(read):
        assert got[f"Y{n}"]["facts"]["status"] == code, status
        assert got[f"Y{n}"]["facts"]["myna"] == "yes", myna


@pytest.mark.parametrize(
    "kind",
    [
        "出向受入",
        "受入出向（さくら健保）",
        "日々雇用",
        "パート（社保加入なし）",
        "パート（保険なし）",
    ],
)
def test_staff_another_insurer_covers_are_not_judged_as_members(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    text = f"社員番号,雇用形態,マイナ保険証,資格確認書\nA1,{kind},未登録,有\nA2,正社員,未登録,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["A1"] and "雇用形態" in got["A1"]["error"]
    assert got["A2"]["can_see_doctor"] is True


@pytest.mark.parametrize(
    "heading", ["回収(済/未)", "返却確認日", "被保険者証回収日", "回収チェック", "回収済日"]
)
def test_a_collection_column_of_more_headings_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    # Returned cards (済, a day) were chased as overdue: the column was copied unread.
    text = (
        f"社員番号,退職日,資格確認書,{heading}\n"
        "B1,2026/11/30,有,済\nB2,2026/11/30,有,2026/12/01\nB3,2026/11/30,有,\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert [got[k]["facts"]["kakuninsho"] for k in ("B1", "B2", "B3")] == ["none", "none", "held"]


def test_an_old_cards_collection_day_says_the_old_card_came_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,資格喪失日,健康保険証,保険証回収日\n"
        "N1,2025/11/1,有,2025/12/03\nN2,2025/11/1,有,\nN3,2025/11/1,有,済\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    returns = {
        k: [a["item"] for a in r["actions"] if a["action"] == "return"] for k, r in got.items()
    }
    assert returns == {"N1": [], "N2": ["old_card"], "N3": []}


def test_a_death_in_a_day_column_a_transfer_reason_or_a_note_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 死亡年月日 R8.11.10 beside 喪失原因 退職: the dead member was told to apply for 任意継続.
    text = (
        "社員番号,資格喪失日,異動区分,死亡年月日,備考,資格確認書\n"
        "D1,2026/11/11,退職,R8.11.10,,有\n"
        "D2,2026/12/1,死亡,,,有\n"
        "D3,2026/12/1,退職,,死亡退職（11/30逝去）,有\n"
        "D4,,,,本人死亡,有\n"
        "D5,2026/12/1,退職,,父死亡のため家業を継ぐ,有\n"  # a father's: not the member's
        "D6,2026/12/1,退職,-,死亡保険金の手続き済,有\n"
        "D7,2026/12/1,退職,,11/30 死去,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    for k in ("D1", "D2", "D3", "D4", "D7"):
        assert "亡くなった" in got[k]["error"], k
    assert "error" not in got["D5"] and "error" not in got["D6"]


def test_a_reason_or_an_age_that_says_75_is_no_members_verdict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 喪失原因 75歳到達: told to apply for 任意継続 and join 国保. 年齢 76: a member.
    text = (
        "社員番号,資格喪失日,喪失原因,資格確認書\n"
        "S1,2026/12/10,75歳到達,有\nS2,2026/11/1,後期高齢者医療の被保険者となったため,有\n"
        "S3,2026/11/1,自己都合退職,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "後期高齢者医療" in got["S1"]["error"] and "後期高齢者医療" in got["S2"]["error"]
    assert "error" not in got["S3"]
    text = (
        "社員番号,年齢,配偶者生年月日,資格確認書\n"
        "S4,76,1990/1/1,有\nS5,41,1950/1/15,有\nS6,７５歳,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["S4"] and "error" in got["S6"]
    # The spouse's birth date is not the member's: no 75th birthday for S5.
    assert got["S5"]["can_see_doctor"] is True
    assert not any(w["code"] == "turns_75" for w in got["S5"]["warnings"])


def test_a_spouses_birth_date_is_not_read_as_the_members(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,配偶者生年月日,生年月日,資格確認書\n"
        "C1,1952/01/15,1985/1/1,有\nC2,1985/1/1,1950/01/15,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" not in got["C1"]
    assert not any(w["code"] == "turns_75" for w in got["C1"]["warnings"])
    assert "75" in got["C2"]["error"]  # the member turned 75 in January 2025


def test_a_rehire_after_an_earlier_spell_is_the_spell_judged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 退職 2024/3/31, 再入職日 2025/10/01 beside a 資格取得日 column left blank: judged a
    # leaver of 2024 ("the card you hold is another insurer's"). A 定年 retiree rehired
    # as 嘱託 (再雇用開始日) was chased for the card and sent to 国保.
    text = (
        "職員番号,入職日,資格取得日,退職日,再入職日,マイナ保険証,資格確認書\n"
        "H1,2015/4/1,,2024/3/31,2025/10/01,未登録,有\n"
        "H2,2015/4/1,2015/4/1,2026/3/31,2025/10/01,未登録,有\n"  # left again after it
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran, "職員番号")
    assert (got["H1"]["facts"]["joined_on"], got["H1"]["facts"]["left_on"]) == ("2025-10-01", None)
    assert got["H1"]["can_see_doctor"] is True
    assert got["H2"]["facts"]["left_on"] == "2026-04-01"
    assert "'再入職日'（再雇用・再入職の日）" in ran.stderr
    text = (
        "社員番号,在籍区分,退職日,再雇用開始日,マイナ保険証,資格確認書\n"
        "T1,在籍,2026/3/31,2026/4/1,未登録,有\n"
        "T2,在籍,2026/12/31,2027/1/1,未登録,有\n"  # rehired after the run's day
        "T3,退職,2026/3/31,2026/4/1,未登録,有\n"  # which is it? refused
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["T1"]["can_see_doctor"] is True and got["T1"]["facts"]["left_on"] is None
    assert got["T2"]["can_see_doctor"] is True and got["T2"]["facts"]["joined_on"] is None
    assert "再雇用開始日" in got["T3"]["error"]
    # A rehire still to come that is the only 資格取得日: not "not yet joined" (left out
    # the 退職日 before it): refused, as a 同日得喪 to check.
    text = "社員番号,退職日,再入社日,資格確認書\nF1,2026/12/31,2027/1/1,有\n"
    assert "error" in rows(batch(monkeypatch, write(tmp_path, text)))[0]


def test_a_term_end_or_a_last_day_at_work_past_is_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 研修医's 修了日 R8.9.30 and 最終出勤日: members, nothing said.
    text = (
        "社員番号,修了日,最終出勤日,資格取得日,退職日,資格確認書\n"
        "R1,R8.9.30,,2024/4/1,,有\nR2,,2026/11/20,2024/4/1,,有\nR3,R9.3.31,,2024/4/1,,有\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran)
    ended = {
        k: [w["message"] for w in r["warnings"] if w["code"] == "contract_ended"]
        for k, r in got.items()
    }
    assert "修了日" in ended["R1"][0] and "最終出勤日" in ended["R2"][0] and not ended["R3"]
    assert "2人います（2, 3 行目）" in ran.stderr


@pytest.mark.parametrize(
    ("heading", "away", "here"),
    [
        ("連絡可否", "不可", "可"),
        ("所在不明", "○", ""),
        ("連絡取れず", "○", "×"),
        ("音信不通", "有", ""),
    ],
)
def test_a_column_saying_who_cannot_be_reached_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str, away: str, here: str
) -> None:
    text = (
        f"社員番号,退職日,資格確認書,{heading}\nV1,2026/10/31,有,{away}\nV2,2026/10/31,有,{here}\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["V1"]["facts"]["unreachable"] == "yes" and got["V2"]["facts"]["unreachable"] == "no"
    assert any(a["item"] == "kakuninsho_loss_report" for a in got["V1"]["actions"])


def test_the_dates_of_a_sheet_titled_for_another_insurance_are_not_the_healths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 雇用保険 被保険者管理表: U01 lost 雇用保険 only (役員就任), and was chased for the card.
    title = "雇用保険 被保険者管理表（令和8年12月）\n"
    body = "社員番号,取得日,喪失日,資格確認書\nU1,2015/4/1,2026/7/1,有\n"
    ran = batch(monkeypatch, write(tmp_path, title + body))
    (row,) = rows(ran)
    assert row["facts"]["left_on"] is None and row["can_see_doctor"] is True
    assert "健康保険以外の保険の日付" in ran.stderr
    # A title naming both (社会保険・雇用保険) keeps the dates the health insurance's.
    (row,) = rows(batch(monkeypatch, write(tmp_path, "社会保険・雇用保険 一覧\n" + body)))
    assert row["facts"]["left_on"] == "2026-07-01"


def test_a_my_number_column_headed_maina_bango_is_left_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # マイナ番号 with a mistyped check digit: copied to every output (not masked).
    text = "社員番号,マイナ番号,資格確認書\nM1,987654321094,有\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert "987654321094" not in ran.stdout + ran.stderr
    assert "マイナ番号" not in rows(ran)[0]


def test_words_offices_type_for_leaving_counts_and_cards_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Refused before (hand work): 任期満了, 諭旨解雇, 休職満了, 復職; PCA's empty date
    # 00000000; 2（妻・長女）; 交付済(R7.11.20); 本人分のみ返却済（家族分未）; 12/3返却.
    text = (
        "社員番号,在籍区分,退職日,資格確認書,被扶養者数,回収状況\n"
        "W1,任期満了,2026/11/30,有,2（妻・長女）,本人分のみ返却済（家族分未）\n"
        "W2,諭旨解雇,2026/11/30,有,有(1),12/3返却\n"
        "W3,休職満了,2026/11/30,有,0,破損して返却\n"
        "W4,復職,00000000,交付済(R7.11.20),0,\n"
        "W5,在籍,,なし（マイナ）,0,\n"  # a note that is no mere when: refused
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    facts = {k: r.get("facts", {}) for k, r in got.items()}
    assert [facts[k]["status"] for k in ("W1", "W2", "W3", "W4")] == ["left"] * 3 + ["enrolled"]
    assert (facts["W1"]["dependants"], facts["W2"]["dependants"]) == (2, 1)
    assert [facts[k]["kakuninsho"] for k in ("W1", "W2", "W3", "W4")] == ["none"] * 3 + ["held"]
    assert facts["W4"]["left_on"] is None and "error" in got["W5"]


def test_a_previous_jobs_insurance_column_says_nothing_of_this_membership(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,資格取得日,前職の健康保険,資格確認書\n"
        "Q1,2026/12/1,国保,有\nQ2,2026/4/1,協会けんぽ,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" not in got["Q1"] and "error" not in got["Q2"]


@pytest.mark.parametrize("name", ["結果.tsv", "結果.txt", "結果.json"])
def test_an_output_named_as_another_format_is_refused_not_written_as_json_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    src = write(tmp_path, "社員番号,資格確認書\nA1,有\n")
    ran = batch(monkeypatch, src, "-o", str(tmp_path / name))
    assert ran.status == 2 and ".csv" in ran.stderr and not (tmp_path / name).exists()
    ran = batch(monkeypatch, src, "-o", str(tmp_path / name), "--format", "csv")
    assert ran.status == 0 and (tmp_path / name).read_text("utf-8-sig").startswith("番号")


def test_a_calendar_titled_by_a_my_number_column_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # --id-column 個人番号（マイナンバー）: every event titled "2行目", and nothing said.
    src = write(
        tmp_path,
        "社員番号,個人番号（マイナンバー）,退職日,資格確認書\nA1,123456789018,2026/11/30,有\n",
    )
    ics = tmp_path / "o.ics"
    ran = batch(monkeypatch, src, "--ics", str(ics), "--id-column", "個人番号（マイナンバー）")
    assert ran.status == 2 and "マイナンバー" in ran.stderr and not ics.exists()
    assert "123456789018" not in ran.stderr


def test_a_leaver_of_a_few_days_is_told_to_return_a_card_only_if_one_came(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Joined 11/20, gone within the fourteen days a joiner's card takes to come: a definite
    # "return it", counted as a card to collect. The day after, it is owed as ever.
    text = (
        "社員番号,資格取得日,資格喪失日,マイナ保険証\n"
        "X1,2026/11/20,2026/12/04,未登録\n"  # last day 12/3: the 14th day
        "X2,2026/11/20,2026/12/05,未登録\n"  # last day 12/4: the 15th
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran)

    def reason(key: str) -> str:
        (step,) = [a for a in got[key]["actions"] if a["item"] == "kakuninsho"]
        return str(step["reason"])

    assert "届く前だったかもしれません" in reason("X1")
    assert "届く前だったかもしれません" not in reason("X2")
    assert "資格確認書の回収 1件" in ran.stderr  # X2's alone


# Round eight (2026-12-07, night): HR clerks of a construction group and an IT company.


def test_deaths_in_the_words_of_a_site_office_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 殉職 in 退職事由, 転帰 死亡, 備考 "11/25 現場にて殉職": told to apply for 任意継続.
    text = (
        "社員番号,資格喪失日,退職事由,転帰,備考,資格確認書\n"
        "R1,2026/11/26,殉職,,,有\nR2,2026/11/26,退職,死亡,,有\n"
        "R3,2026/11/26,退職,,11/25 現場にて殉職,有\n"
        "R4,2026/11/26,退職,,急逝,有\nR5,2026/11/26,退職,治癒,,有\n"
        "R6,,,,父 死亡のため扶養削除（11/2）,有\n"  # a father's, a space between
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    for k in ("R1", "R2", "R3", "R4"):
        assert "亡くなった" in got[k].get("error", ""), k
    assert "error" not in got["R5"] and "error" not in got["R6"]


def test_a_collection_column_under_a_health_insurance_group_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 健康保険 over 資格確認書 / 返却日 (two rows): 健康保険 返却日 was read as whether the
    # person is insured, or not at all; returned cards were chased.
    text = (
        "社員番号,退職日,健康保険 資格確認書,健康保険 資格確認書回収\n"
        "G1,2026/11/30,有,済\nG2,2026/11/30,有,未\nG3,2026/11/30,有,\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    kept = [got[k]["facts"]["kakuninsho"] for k in ("G1", "G2", "G3")]
    assert kept == ["none", "held", "held"]


def test_a_status_under_other_headings_and_in_english_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "No,状況,資格確認書\nT1,調整中,有\nT2,就労中,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)), "No")
    assert "状況" in got["T1"]["error"] and got["T2"]["facts"]["status"] == "enrolled"
    # A 区分 of 退職 beside no status: was read as a member.
    text = "No,区分,資格確認書\nT3,退職,有\nT4,正社員,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)), "No")
    assert "error" in got["T3"] and "error" not in got["T4"]
    # KING OF TIME in English: Resignation Date and Employment Status were not read.
    text = (
        "ID,Employment Status,Resignation Date,資格確認書\n"
        "K1,Terminated,2026/11/30,有\nK2,Active,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)), "ID")
    assert got["K1"]["facts"]["left_on"] == "2026-12-01" and got["K2"]["can_see_doctor"] is True


def test_a_contract_said_not_renewed_with_no_leaving_day_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,契約満了日,契約更新,資格取得日,退職日,資格確認書\n"
        "N1,2026/11/30,更新しない,2024/4/1,,有\n"
        "N2,2027/3/31,更新する,2024/4/1,,有\n"
        "N3,2026/12/31,3:契約の更新はしない,2024/4/1,,有\n"
        "N4,2026/11/30,更新しない,2024/4/1,2026/11/30,有\n"  # its day typed: judged
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["N1"] and "error" in got["N3"]
    assert got["N2"]["can_see_doctor"] is True and got["N4"]["facts"]["left_on"] == "2026-12-01"


def test_an_age_is_read_where_the_birth_date_is_blank(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,生年月日,年齢,資格確認書\nO1,,77,有\nO2,1980/1/1,77,有\nO3,,45,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["O1"] and "error" not in got["O2"] and "error" not in got["O3"]


def test_a_health_insurer_column_in_an_offices_words_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,加入健保,資格確認書\n"
        "A1,当健保,有\nA2,協会けんぽ,有\nA3,出向先健保,有\nA4,加入手続中,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["A1"]["can_see_doctor"] is True and got["A4"]["can_see_doctor"] is True
    assert "加入していない" in got["A2"]["error"] and "加入していない" in got["A3"]["error"]


@pytest.mark.parametrize(
    ("heading", "away", "here"),
    [("連絡状況", "音信不通", "連絡済"), ("連絡先不通", "○", ""), ("連絡状況", "×", "○")],
)
def test_a_contact_column_in_other_words_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str, away: str, here: str
) -> None:
    text = (
        f"社員番号,退職日,資格確認書,{heading}\nV1,2026/10/31,有,{away}\nV2,2026/10/31,有,{here}\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert (got["V1"]["facts"]["unreachable"], got["V2"]["facts"]["unreachable"]) == ("yes", "no")


def test_a_leavers_log_with_no_kakuninsho_column_reads_its_collection_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 返却状況 返却済 with a 返却日, no 資格確認書 column: chased as overdue.
    text = (
        "社員番号,退職日,マイナ保険証,扶養人数,返却状況,返却日\n"
        "E1,2026/11/30,未登録,0,返却済,2026/12/3\nE2,2026/11/30,未登録,0,未返却,\n"
        "E3,2026/11/30,未登録,0,,\nE5,,未登録,0,済,\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran)
    kept = [got[k]["facts"]["kakuninsho"] for k in ("E1", "E2", "E3", "E5")]
    assert kept == ["none", "held", "unknown", "unknown"]
    assert "資格確認書の列がないので" in ran.stderr


def test_dependants_cards_said_back_with_the_members_are_not_chased(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,資格確認書,扶養人数,回収状況\n"
        "F1,2026/11/30,有,2,返却済（本人＋家族2）\nF2,2026/11/30,有,1,済（2枚）\n"
        "F3,2026/11/30,有,2,本人分済・家族分未\nF4,2026/11/30,有,2,回収済（家族分含む）\n"
        "F5,2026/11/30,有,2,済\nF6,2026/11/30,有,2,済（2枚）\n"  # two of three: one out
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran)
    chased = {
        k: any(a["item"] == "dependants_kakuninsho" for a in r["actions"]) for k, r in got.items()
    }
    assert chased == {"F1": False, "F2": False, "F3": True, "F4": False, "F5": True, "F6": True}
    assert any(w["code"] == "dependants_cards_back" for w in got["F1"]["warnings"])
    assert "資格確認書の回収 6件" in ran.stderr  # F3, F5 and F6's two each


def test_a_second_spells_days_are_the_ones_judged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 退職日2 = 2026-11-30 beside a blank 資格喪失日: judged a member.
    text = (
        "社員番号,入社日,退職日,入社日2,退職日2,資格確認書\n"
        "I1,2015/4/1,2020/3/31,2022/4/1,2026/11/30,有\n"
        "I2,2015/4/1,2020/3/31,2022/4/1,,有\nI3,2015/4/1,,,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    days = {k: (r["facts"]["joined_on"], r["facts"]["left_on"]) for k, r in got.items()}
    assert days == {
        "I1": ("2022-04-01", "2026-12-01"),
        "I2": ("2022-04-01", None),
        "I3": ("2015-04-01", None),
    }


def test_a_count_with_a_note_of_tax_dependants_is_not_read_as_the_insurances(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,資格確認書,扶養人数\n"
        "D1,2026/11/30,有,2名(税のみ)\nD2,2026/11/30,有,1(妻)\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["D1"] and got["D2"]["facts"]["dependants"] == 1


def test_people_an_it_company_lists_beside_its_staff_are_not_judged_as_members(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 準委任（SES）, フリーランス, 学生アルバイト（週12h）, 出向者（受入）: judged members
    # (one chased for a card). 業務委託→正社員 is a member now.
    kinds = {
        "A1": "準委任（SES）", "A2": "学生アルバイト（週12h）", "A3": "出向者（受入）",
        "A5": "Contractor", "A7": "フリーランス", "A8": "Temp staff (dispatch)",
        "A9": "顧問（委任契約）",
    }  # fmt: skip
    members = {"A4": "業務委託→正社員", "A6": "アルバイト（週25時間）", "A10": "正社員"}
    lines = [f"{k},{v},有" for k, v in {**kinds, **members}.items()]
    text = "社員番号,雇用形態,資格確認書\n" + "\n".join(lines) + "\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert all("error" in got[k] for k in kinds), [k for k in kinds if "error" not in got[k]]
    assert all(got[k]["can_see_doctor"] is True for k in members)


def test_more_words_offices_type_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = (
        "社員番号,在籍区分,退職日,マイナ保険証,資格確認書,回収状況\n"
        "W1,休業中（育児）,,登録解除済み,有,\n"
        "W2,休業中（労災・通勤災害）,,登録済,無,\n"
        "W3,同日得喪,,登録済,無,\n"
        "W4,退職,2026/11/30,未登録,有,健保へ送付済\n"
        "W5,退職,2026/11/30,未登録,有,12/3着\n"
        "W6,退職,2026/11/30,未登録,有,郵送待ち\n"
        "W7,退職,2026/11/30,未登録,有,期限切れのため返却不要\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert (got["W1"]["facts"]["status"], got["W1"]["facts"]["myna"]) == ("enrolled", "no")
    assert got["W2"]["facts"]["status"] == "enrolled" and got["W3"]["facts"]["status"] == "enrolled"
    back = [got[k]["facts"]["kakuninsho"] for k in ("W4", "W5", "W6", "W7")]
    assert back == ["none", "none", "held", "none"]


def test_a_total_row_with_a_count_under_the_names_is_no_person(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 合計 | =COUNTA(氏名)→10 | … | =SUM(扶養人数)→4: judged as a person named "10".
    text = "社員番号,氏名,資格確認書,扶養人数\n101,相川 純,○,2\n102,井口 真,×,1\n合計,2,,3\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert [r["社員番号"] for r in rows(ran)] == ["101", "102"]
    assert "合計・小計の行 1行" in ran.stderr


# Round eight's attacker (2026-12-07, night).


def test_brackets_nested_a_thousand_deep_in_a_collection_cell_cost_one_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A RecursionError: exit 70, and every row lost.
    deep = "(" * 1000 + ")" * 1000
    text = f"社員番号,退職日,資格確認書,回収状況\nA1,2026/11/30,有,{deep}\nA2,2026/11/30,有,済\n"
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 3, ran.stderr
    got = _read(ran)
    assert "error" in got["A1"] and got["A2"]["facts"]["kakuninsho"] == "none"


def test_a_collection_note_that_says_otherwise_is_not_read_past(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,資格確認書,回収状況\n"
        "B1,2026/11/30,有,返却済み（未着）\nB2,2026/11/30,有,未（本人分は済）\n"
        "B3,2026/11/30,有,12/20返却\nB4,2026/11/30,有,回収済み（郵送）\n"  # (12/20: to come)
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["B1"] and "error" in got["B2"]
    assert got["B3"]["facts"]["kakuninsho"] == "held" and got["B4"]["facts"]["kakuninsho"] == "none"


@pytest.mark.parametrize("heading", ["連絡可否（本人）", "連絡可否【必須】", "連絡可否フラグ"])
def test_a_can_be_reached_column_with_a_note_keeps_its_sense(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, heading: str
) -> None:
    # ○ (can be reached) was read as unreachable, and a loss report filed.
    text = f"社員番号,退職日,資格確認書,{heading}\nV1,2026/10/31,有,不可\nV2,2026/10/31,有,○\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert (got["V1"]["facts"]["unreachable"], got["V2"]["facts"]["unreachable"]) == ("yes", "no")


def test_a_rehire_still_to_come_leaves_a_leaver_a_leaver_until_then(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,再雇用開始日,資格確認書\n"
        "T4,2026/9/30,2027/4/1,有\n"  # left in September: a leaver now
        "T5,2026/12/31,2027/4/1,有\n"  # leaving, back in April
        "T6,2026/12/31,2027/1/1,有\n"  # rehired the next day: a member throughout
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["T4"]["facts"]["left_on"] == "2026-10-01" and got["T4"]["can_see_doctor"] is False
    assert got["T5"]["facts"]["left_on"] == "2027-01-01"
    assert got["T6"]["facts"]["left_on"] is None


def test_a_title_that_mentions_another_insurance_on_the_way_names_no_dates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = "社員番号,取得日,喪失日,資格確認書\nU1,2015/4/1,2026/7/1,有\n"
    for title in ("退職者一覧（雇用保険加入者を含む）", "※喪失日は健康保険のもの（雇用保険は別）"):
        (row,) = rows(batch(monkeypatch, write(tmp_path, f"{title}\n{body}")))
        assert row["facts"]["left_on"] == "2026-07-01", title
    for title in ("【雇用保険】資格一覧", "厚生年金"):
        (row,) = rows(batch(monkeypatch, write(tmp_path, f"{title}\n{body}")))
        assert row["facts"]["left_on"] is None, title


def test_ages_in_the_forms_offices_write_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for heading in ("年齢", "年令", "現在年齢", "年齢(R8.12.1時点)"):
        text = f"社員番号,{heading},資格確認書\nA1,75（12/1時点）,有\nA2,80代,有\nA3,45,有\n"
        got = _read(batch(monkeypatch, write(tmp_path, text)))
        assert "error" in got["A1"] and "error" in got["A2"], heading
        assert "error" not in got["A3"], heading


def test_a_death_written_with_a_space_or_an_invisible_character_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,備考,資格確認書\n"
        "D1,2026/11/30,死 亡,有\nD2,2026/11/30,死\u200b亡,有\nD3,2026/11/30,本人死去のため退職,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert all("亡くなった" in got[k].get("error", "") for k in ("D1", "D2", "D3"))


def test_an_invisible_character_in_a_refused_word_is_shown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # '退<U+200B>職' は使えません read as if 退職 itself were refused.
    (row,) = rows(batch(monkeypatch, write(tmp_path, "社員番号,在籍状況\nZ1,退\u200b職\n")))
    assert "退\\u200b職" in row["error"]


def test_the_day_an_era_changed_is_read_in_either_era() -> None:
    from datetime import date

    from kenpo_cli.core.facts import parse_fact

    today = date(2026, 12, 7)
    assert parse_fact("joined_on", "大正15年12月25日", today) == date(1926, 12, 25)
    assert parse_fact("joined_on", "M45.7.30", today) == date(1912, 7, 30)
    for past_the_end in ("大正15年12月26日", "明治45年7月31日"):
        with pytest.raises(KenpoError):
            parse_fact("joined_on", past_the_end, today)


def test_an_output_named_ics_is_refused_not_written_as_json_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(
        monkeypatch, write(tmp_path, "社員番号,資格確認書\nA1,有\n"), "-o", str(tmp_path / "x.ics")
    )
    assert ran.status == 2 and not (tmp_path / "x.ics").exists()


# Round nine (2026-12-08, small hours): an HR clerk of a university.


def test_a_list_of_professors_who_left_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 退任日 and 退任事由 were copied unread: everyone a member, nothing to collect.
    text = (
        "教職員番号,退任日,退任事由,資格確認書\n"
        "T1,2026/3/31,定年退任,有\nT2,,,有\nT3,2026/9/30,転出,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)), "教職員番号")
    assert got["T1"]["facts"]["left_on"] == "2026-04-01" and got["T3"]["facts"]["left_on"]
    assert got["T2"]["can_see_doctor"] is True
    for heading in ("離任日", "転出日", "退官日"):
        text = f"職員番号,{heading},資格確認書\nA1,2026/3/31,有\n"
        (row,) = rows(batch(monkeypatch, write(tmp_path, text)))
        assert row["facts"]["left_on"] == "2026-04-01", heading


def test_weekly_hours_under_twenty_are_not_insured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 非常勤講師 with 社保加入 blank and 週の勤務時間 1.5-4.5: judged members.
    text = (
        "職員番号,社保加入,週の勤務時間,資格確認書\n"
        "H1,,1.5,有\nH2,○,38.75,有\nH3,,19.5,有\nH4,,20,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)), "職員番号")
    assert "error" in got["H1"] and "error" in got["H3"]
    assert got["H2"]["can_see_doctor"] is True and "error" not in got["H4"]


@pytest.mark.parametrize(
    "kind",
    [
        "TA",
        "ティーチング・アシスタント",
        "客員教授（無給）",
        "クロスアポイントメント教員",
        "兼務（本務：附属病院）",
    ],
)
def test_university_staff_insured_elsewhere_are_not_judged_as_members(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    text = f"職員番号,雇用形態,資格確認書\nK1,{kind},有\nK2,専任教員,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)), "職員番号")
    assert "error" in got["K1"] and got["K2"]["can_see_doctor"] is True


def test_a_retiree_said_re_employed_is_a_member(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 定年退職日 was unread (50003 a member); with it read, 再雇用の有無 有 made a leaver.
    text = (
        "社員番号,定年退職日,再雇用の有無,資格確認書\n"
        "R2,2026/3/31,有,有\nR3,2026/3/31,無,有\nR4,,,有\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran)
    assert got["R2"]["facts"]["left_on"] is None and got["R2"]["can_see_doctor"] is True
    assert got["R3"]["facts"]["left_on"] == "2026-04-01"
    assert "再雇用の有無" in ran.stderr


def test_a_secondment_to_another_societys_hospital_with_a_leaving_day_is_a_leaver(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 出向先健保 with a 資格喪失日: refused as "never a member", the card off every list.
    text = (
        "職員番号,資格喪失日,健康保険の加入先,資格確認書\n"
        "S1,2026/10/1,出向先健保,有\nS2,,出向先健保,有\nS3,,健保・厚年加入,有\nS4,,雇用保険のみ,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)), "職員番号")
    assert got["S1"]["facts"]["left_on"] == "2026-10-01"
    assert any(a["item"] == "kakuninsho" and a["action"] == "return" for a in got["S1"]["actions"])
    assert "error" in got["S2"] and got["S3"]["can_see_doctor"] is True and "error" in got["S4"]


def test_the_loss_notifications_codes_in_a_reason_column_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 喪失原因 5 (死亡 on the 資格喪失届): the dead member was told to join 国保.
    text = (
        "職員番号,資格喪失日,喪失原因,資格確認書\n"
        "C5,2026/10/21,5,有\nC7,2026/10/21,７,有\nC4,2026/10/21,4,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)), "職員番号")
    assert "亡くなった" in got["C5"]["error"] and "後期高齢者医療" in got["C7"]["error"]
    assert got["C4"]["facts"]["left_on"] == "2026-10-21"


def test_more_words_a_university_types_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "職員番号,在籍区分,退職日,資格確認書,回収状況\n"
        "W1,サバティカル,,有,\nW2,停職,,有,\n"
        "W3,退職,2026/11/30,有,戻り済\nW4,退職,2026/11/30,有,督促状送付済\n"
        "W5,退職,2026/11/30,郵送済,\n"  # sent to them, or sent back? refused on a leaver's row
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)), "職員番号")
    assert got["W1"]["can_see_doctor"] is True and got["W2"]["can_see_doctor"] is True
    assert (got["W3"]["facts"]["kakuninsho"], got["W4"]["facts"]["kakuninsho"]) == ("none", "held")
    assert "error" in got["W5"]


# Round nine: an HR clerk of a restaurant chain.


def test_someone_who_stopped_coming_is_no_member(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 区分 無断退職, 退職日 blank: judged a member who can see a doctor.
    text = (
        "社員番号,区分,資格確認書\nM1,無断退職,有\nM2,バックレ,有\nM3,退職扱い,有\nM4,正社員,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert all("error" in got[k] for k in ("M1", "M2", "M3")) and "error" not in got["M4"]


def test_contacted_in_a_contact_column_is_reachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 連絡状況 済: read as "cannot be reached", and a loss report filed.
    text = "社員番号,退職日,資格確認書,連絡状況\nV1,2026/10/31,有,済\nV2,2026/10/31,有,連絡つかず\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert (got["V1"]["facts"]["unreachable"], got["V2"]["facts"]["unreachable"]) == ("no", "yes")


@pytest.mark.parametrize("kind", ["アルバイト(社保×)", "パート(社保未)", "昼間学生"])
def test_part_timers_a_store_marks_uninsured_are_not_judged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    text = f"社員番号,退職日,雇用区分,資格確認書\nP1,2026/11/20,{kind},有\nP2,,非学生,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["P1"] and "error" not in got["P2"]


def test_a_move_between_stores_marked_as_leaving_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 退職理由 店舗異動（新宿東口店へ）: chased for the card, sent to 国保.
    text = (
        "社員番号,在籍区分,退職日,退職理由,資格確認書\n"
        "S1,退職,2026/11/4,店舗異動（新宿東口店へ）,有\nS2,退職,2026/11/4,転勤,有\n"
        "S3,退職,2026/11/4,グループ内転籍（健保継続）,有\nS4,退職,2026/11/4,一身上の都合,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert all("異動" in got[k]["error"] for k in ("S1", "S2", "S3"))
    assert got["S4"]["facts"]["left_on"] == "2026-11-05"


def test_a_leavers_log_collection_column_of_mi_is_no_contradiction(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 回収 未 with no 資格確認書 column: "回収 は「未」ですが、回収 は「未」です".
    text = "社員番号,退職日,回収\nC1,2026/11/30,未\nC2,2026/11/30,済\nC3,2026/11/30,×\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    kept = [got[k]["facts"]["kakuninsho"] for k in ("C1", "C2", "C3")]
    assert kept == ["held", "none", "held"]


def test_a_collection_word_not_read_is_given_a_map_of_its_own_sense(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Every hint said =out ("still out"): for 返した and 本人が紛失, copying it chased them.
    text = (
        "社員番号,退職日,資格確認書,回収状況\n"
        "A1,2026/11/30,有,返した\nA2,2026/11/30,有,本人が紛失\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "回収状況:返した=returned" in got["A1"]["error"]
    assert "回収状況:本人が紛失=lost" in got["A2"]["error"]


def test_a_last_day_at_work_of_someone_on_leave_is_no_sign_of_leaving(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,在籍区分,最終出勤日,資格確認書\n"
        "L1,休職（産休）,2026/10/1,有\nL2,休職中,2026/9/1,有\nL3,在籍,2026/10/1,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    ended = {k: any(w["code"] == "contract_ended" for w in r["warnings"]) for k, r in got.items()}
    assert ended == {"L1": False, "L2": False, "L3": True}


def test_a_count_with_a_note_of_children_and_no_dependants_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,資格確認書,扶養人数\n"
        "F1,2026/11/30,有,3（妻、子2）\nF2,2026/11/30,有,扶養なし\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert (got["F1"]["facts"]["dependants"], got["F2"]["facts"]["dependants"]) == (3, 0)


# Round nine's attacker.


def test_a_rehire_spells_end_and_later_spells_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 再雇用終了日 2026/11/30: judged a member; 入社日3 unread; 退職日2 before 退職日 won.
    text = (
        "社員番号,入社日,退職日,再雇用開始日,再雇用終了日,資格確認書\n"
        "A1,1990/4/1,2021/3/31,2021/4/1,2026/11/30,有\nA2,1990/4/1,2021/3/31,2021/4/1,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["A1"]["facts"]["left_on"] == "2026-12-01" and got["A2"]["facts"]["left_on"] is None
    text = (
        "社員番号,入社日,退職日,入社日2,退職日2,入社日3,退職日3,資格確認書\n"
        "S1,2015/4/1,2020/3/31,2021/4/1,2023/3/31,2024/4/1,,有\n"
        "S2,2015/4/1,2026/11/30,2018/4/1,2020/3/31,,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["S1"]["facts"]["left_on"] is None and got["S1"]["facts"]["joined_on"] == "2024-04-01"
    assert got["S2"]["facts"]["left_on"] == "2026-12-01"


def test_a_note_that_says_until_is_no_mere_when(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,在籍区分,マイナ保険証,資格確認書\n"
        "U1,在籍（12/31まで）,登録済,無\nU2,在籍（～R8.12.31）,登録済,無\n"
        "U3,在籍,登録済（R7.3〜R8.1）,無\nU4,在籍,登録済（R7.3）,無\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert all("error" in got[k] for k in ("U1", "U2", "U3")) and "error" not in got["U4"]


def test_a_collection_columns_unreachable_fills_a_blank_contact_cell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,資格確認書,連絡可否,回収状況\n"
        "R1,2026/10/31,有,,連絡取れず\nR2,2026/10/31,有,可,\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert (got["R1"]["facts"]["unreachable"], got["R2"]["facts"]["unreachable"]) == ("yes", "no")


@pytest.mark.parametrize("title", ["令和8年 雇用保険 被保険者一覧", "（株）山田商事 雇用保険 台帳"])
def test_a_title_naming_another_insurance_after_a_year_or_a_company_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, title: str
) -> None:
    body = "社員番号,取得日,喪失日,資格確認書\nU1,2015/4/1,2026/7/1,有\n"
    (row,) = rows(batch(monkeypatch, write(tmp_path, f"{title}\n{body}")))
    assert row["facts"]["left_on"] is None


def test_deaths_in_more_words_and_notes_that_are_no_death(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,転帰,備考,死亡日,資格確認書\n"
        "D1,2026/11/30,病死,,,有\nD2,2026/11/30,,事故死,,有\n"
        "L1,2026/11/30,,本人死亡時連絡先：妻,,有\nL2,2026/11/30,,団体生命（死亡保障）加入,,有\n"
        "L3,2026/11/30,,死亡退職金規程 説明済,,有\nL4,2026/11/30,,,2099/12/31,有\n"
        "L5,2026/11/30,,,生存,有\nL6,2026/11/30,,,0000-00-00,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "亡くなった" in got["D1"]["error"] and "亡くなった" in got["D2"]["error"]
    assert all("error" not in got[k] for k in ("L1", "L2", "L3", "L4", "L5", "L6"))


def test_more_ages_and_an_age_dated_in_its_heading(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,年齢,資格確認書\nA1,満80歳,有\nA2,0080,有\nA3,80.5,有\nA4,45,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert all("error" in got[k] for k in ("A1", "A2", "A3")) and "error" not in got["A4"]
    text = "社員番号,年齢(R6.4.1時点),資格確認書\nB1,74,有\nB2,70,有\n"  # 76 and 72 now
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "error" in got["B1"] and "error" not in got["B2"]
    text = "社員番号,生年月日,年齢,資格確認書\nC1,不明,80,有\n"
    assert "error" in rows(batch(monkeypatch, write(tmp_path, text)))[0]


def test_old_kanji_forms_of_a_my_number_are_masked() -> None:
    from kenpo_cli.privacy import MASK, masked

    for written in ("一二三四五六七八九◯一八", "壹貳參四五六七八九〇壹八"):
        assert masked(f"控え {written}") == f"控え {MASK}", written


def test_an_empty_fact_in_a_map_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ran = batch(
        monkeypatch, write(tmp_path, "社員番号,退職日\nA1,2026/11/30\n"), "--map", "退職日="
    )
    assert ran.status == 2 and "退職日=" in ran.stderr


def test_an_output_name_ending_in_a_dot_keeps_its_extensions_format(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv."
    ran = batch(monkeypatch, write(tmp_path, "社員番号,資格確認書\nA1,有\n"), "-o", str(out))
    assert ran.status == 0 and out.read_text("utf-8-sig").startswith("番号")


# Round ten: an HR clerk of a bank.


def test_a_bank_payroll_and_leave_sheet_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 支給状態 退職: members; 休業区分 育休明け退職: a member; 備考 10月末退職: nothing said.
    text = "社員番号,支給状態,資格確認書\n200002,退職者,有\n200003,在籍,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["200002"]["facts"]["status"] == "left" and "error" not in got["200003"]
    text = (
        "社員番号,在籍区分,備考,資格確認書\n"
        "B1,在籍,10月末退職,有\nB2,在籍,前職を2020/3/31退職,有\nB3,在籍,退職金 積立済,有\n"
        "B4,在籍,11/30付で退職済,有\nB5,育休明け退職,,有\nB6,海外赴任中,,有\nB7,在籍（海外勤務）,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    said = {
        k: any(w["code"] == "note_says_leaving" for w in r.get("warnings", []))
        for k, r in got.items()
    }
    assert [k for k, v in said.items() if v] == ["B1", "B4"]
    assert got["B5"]["facts"]["status"] == "left"
    assert got["B6"]["can_see_doctor"] is True and got["B7"]["can_see_doctor"] is True


def test_a_transfer_list_of_a_bank_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # 出向 to a firm whose 健保 took over, with a 健保資格喪失日: refused as never a member.
    text = (
        "社員番号,雇用区分,健保資格喪失日,転籍先の健保,健保への送付,資格確認書,異動区分\n"
        "X1,出向（出向先健保）,2026/10/1,,,有,\n"
        "X2,正社員,,△△健保,送付済,有,帰任\n"
        "X3,正社員,,,,有,役員就任\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["X1"]["facts"]["left_on"] == "2026-10-01"
    assert got["X2"]["can_see_doctor"] is True and got["X3"]["can_see_doctor"] is True


def test_a_mainframes_no_end_date_and_end_of_file_row_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,資格確認書,回収状況\n"
        "M1,99999999,有,\nM2,2026/11/30,有,回収不能届提出済\nEND,16件,,\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    got = _read(ran)
    assert got["M1"]["facts"]["left_on"] is None and got["M2"]["facts"]["kakuninsho"] == "none"
    assert "END" not in got


# Round ten's attacker: readings that disagree.


def test_readings_that_meet_on_one_row_give_the_careful_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 再雇用 有 threw away 再雇用終了日 too: a re-employed retiree gone again, a member.
    text = (
        "社員番号,定年退職日,再雇用の有無,再雇用終了日,資格確認書\n"
        "A1,2025/3/31,有,2026/11/30,有\nA2,2025/3/31,有,,有\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert got["A1"]["facts"]["left_on"] == "2026-12-01" and got["A2"]["facts"]["left_on"] is None
    # 紛失（家族分含む）: the family's cards are lost, not back; 本人＋家族2 of three: one out;
    # 更新区分 更新 beside a past 契約満了日: renewed, nothing to warn of.
    text = (
        "社員番号,退職日,資格確認書,扶養人数,回収状況\n"
        "F1,2026/11/30,有,2,紛失（家族分含む）\nF2,2026/11/30,有,3,返却済（本人＋家族2）\n"
        "F3,2026/11/30,有,2,返却済（本人＋家族2）\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    back = {
        k: any(w["code"] == "dependants_cards_back" for w in r["warnings"]) for k, r in got.items()
    }
    assert back == {"F1": False, "F2": False, "F3": True}
    text = "社員番号,契約満了日,更新区分,資格確認書\nC1,2026/9/30,更新,有\nC2,2026/9/30,,有\n"
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    ended = {k: any(w["code"] == "contract_ended" for w in r["warnings"]) for k, r in got.items()}
    assert ended == {"C1": False, "C2": True}


def test_a_rows_own_warnings_are_all_kept_together(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Each warning judged the row afresh and dropped the one before: a 75th birthday soon
    # and a 契約満了日 past gave the contract's warning alone.
    text = "社員番号,生年月日,契約満了日,備考,資格確認書\nW1,1952/01/15,2026/10/31,10月末退職,有\n"
    (row,) = rows(batch(monkeypatch, write(tmp_path, text)))
    codes = {w["code"] for w in row["warnings"]}
    assert {"turns_75", "contract_ended", "note_says_leaving"} <= codes, codes
    text = (
        "社員番号,退職日,資格確認書,扶養人数,回収状況,生年月日\n"
        "F1,2026/11/30,有,2,回収済（家族分含む）,1980/1/1\n"
    )
    (row,) = rows(batch(monkeypatch, write(tmp_path, text)))
    assert not any(a["item"] == "dependants_kakuninsho" for a in row["actions"])


def test_a_contact_column_and_a_collection_column_that_disagree_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 連絡可否 可 beside 回収状況 連絡取れず: read as reachable, the 回収不能届 never raised.
    text = (
        "社員番号,退職日,資格確認書,連絡可否,回収状況\n"
        "R1,2026/10/31,有,可,連絡取れず\nR2,2026/10/31,有,,連絡取れず\nR4,2026/10/31,有,不可,連絡取れず\n"
    )
    got = _read(batch(monkeypatch, write(tmp_path, text)))
    assert "連絡可否" in got["R1"]["error"] and "回収状況" in got["R1"]["error"]
    assert got["R2"]["facts"]["unreachable"] == "yes" and got["R4"]["facts"]["unreachable"] == "yes"


def test_the_english_loss_report_reason_reads_for_one_dependant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,退職日,マイナ保険証,資格確認書,扶養人数,連絡不能\nU1,2026/10/31,登録済,無,1,○\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--lang", "en")
    assert "1 dependants'" not in ran.stdout and "dependants (1)" in ran.stdout
