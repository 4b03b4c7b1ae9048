"""What an independent HR-office review of ``kenpo batch`` found told to the wrong people
or left untold (review at b7d9d59, --as-of 2026-12-06): each finding, in check and batch.

6. a leaver whose 資格確認書 is not known is told to look for it, return it, or report it lost;
5. 同日得喪 and a rehire are neither "left" in silence nor refused for a wrong reason;
10. the summary's counts agree with the task sheets and ``--only``;
11. a leaver gets no renewal notice, 死亡退職 no next-insurance steps, and ``overdue`` is the
    office's work, not a leaver's own deadline from long ago.
"""

from __future__ import annotations

import re
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


def test_a_myna_hoken_holders_card_not_said_goes_back_if_they_have_one() -> None:
    # A マイナ保険証 holder was sent no 資格確認書 unasked, but one who registered after the
    # bulk issue (around November 2025) keeps the card sent before, until leaving
    # (faq-kakuninsho-after-myna): not said, it goes back "if you have one".
    v = judge(AS_OF, left_on="2026-11-21", myna="yes")
    back = step(v, "return", "kakuninsho")
    assert "kakuninsho_if_received_before_myna" in reason_keys(back)
    assert Src.KAKUNINSHO_AFTER_MYNA in back.sources
    # Said to have none, none goes back; a member in office is told nothing of it.
    assert ("return", "kakuninsho") not in steps(
        judge(AS_OF, left_on="2026-11-21", myna="yes", kakuninsho="none")
    )
    assert not any(a.item.value == "kakuninsho" for a in judge(AS_OF, myna="yes").actions)
    # A card found again after it was lost is a registered card too (it was given the
    # reason of a leaver of November 2025: "the first ones may not have come").
    found = step(judge(AS_OF, left_on="2026-11-21", myna="found"), "return", "kakuninsho")
    assert reason_keys(found)[0] == "kakuninsho_if_received_before_myna"


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Give back (if you have one): 資格確認書"),
        ("ja", "資格確認書を返却する（お持ちなら）"),
        ("easy", "資格確認書を 返す（もって いれば）"),
    ],
)
def test_a_card_that_may_never_have_come_is_conditional_in_the_headline(
    monkeypatch: pytest.MonkeyPatch, lang: str, title: str
) -> None:
    # Asked years later, the holder's headline read "1284 days overdue: give back the
    # 資格確認書", the "if you have one" only in the step's text below. The step's title
    # says it now, and the headline is a step that surely applies (their 国民健康保険).
    args = ["--left-on", "2025-11-16", "--myna", "yes", "--as-of", "2029-05-27"]
    ran = run_main(monkeypatch, ["check", *args, "--no-input", "--lang", lang])
    flat = re.sub("〈[^〉]*〉", "", ran.stdout.replace("\n", "")).replace(" ", "")
    headline, listed = flat.split("1.", 1)  # the lines above the numbered steps, the steps
    assert title.replace(" ", "") in listed, ran.stdout
    assert title.replace(" ", "") not in headline, ran.stdout
    # The employer's report for an unreachable leaver: only for a card that was issued;
    # the old card not said, of a leaver of its last year; a 資格確認書 of a leaver of
    # November 2025 without a マイナ保険証 (the first ones were being sent).
    for args, title in (
        (["--left-on", "2026-11-16", "--myna", "yes", "--unreachable", "yes", "--as-of", AS_OF],
         "Hand in (only if one was issued)"),
        (["--left-on", "2025-11-16", "--myna", "yes", "--kakuninsho", "none", "--as-of",
          "2025-11-20"], "Give back (if you still have it)"),
        (["--left-on", "2025-11-16", "--myna", "no", "--old-card", "none", "--as-of", AS_OF],
         "Give back (if one came)"),
    ):  # fmt: skip
        ran = run_main(monkeypatch, ["check", *args, "--no-input", "--lang", "en"])
        _, listed = ran.stdout.replace("\n", " ").split("1.", 1)
        assert title in listed, ran.stdout


def test_a_leaver_whose_last_day_fell_in_the_month_the_cards_were_sent_may_hold_one() -> None:
    # Sent "around November 2025" (faq-old-card-until), before the old card's last day
    # (2025-12-01): a leaver of that month may have one; an earlier one cannot.
    cases = (
        ("2025-12-02", True),
        ("2025-11-15", True),
        ("2025-11-02", True),
        ("2025-11-01", False),
    )
    for left_on, may in cases:
        v = judge("2026-12-07", left_on=left_on, myna="no", dependants="0")
        assert (("return", "kakuninsho") in steps(v)) is may, (left_on, steps(v))
        if may:  # (the "if" first: the title says it, and the count leaves it out)
            keys = reason_keys(step(v, "return", "kakuninsho"))
            assert keys[0] == "kakuninsho_if_sent_before_leaving", keys
            assert v.cards_to_collect() == 0


@pytest.mark.parametrize(
    ("left_on", "extra", "step_for_it"),
    [
        ("2025-11-16", {}, ("return", "old_card")),  # the card's last year: owed back
        ("2024-12-02", {}, ("return", "old_card")),  # (the first day of that year)
        ("2025-12-01", {}, ("return", "old_card")),  # its last day: in force when left
        ("2025-12-02", {}, None),  # left after it stopped: nothing owed
        ("2024-12-01", {}, None),  # before: collected as cards always were
        ("2025-11-16", {"old_card": "none"}, None),  # said to be back: nothing
        ("2025-11-16", {"joined_on": "2025-01-01"}, None),  # joined after cards stopped
        ("2025-11-16", {"unreachable": "yes"}, ("submit", "old_card_loss_report")),
    ],
)
def test_an_old_card_not_said_goes_back_if_the_leaver_still_has_it(
    left_on: str, extra: dict[str, str], step_for_it: tuple[str, str] | None
) -> None:
    # A list without a 保険証 column: a leaver of the card's last year was told nothing
    # of it (read as "none"), though it was owed back (national-old-card-return). Asked
    # while cards still worked, it goes back (if not collected).
    v = judge("2025-12-01", left_on=left_on, myna="yes", kakuninsho="none", **extra)
    old = [a for a in v.actions if a.item.value in ("old_card", "old_card_loss_report")]
    if step_for_it is None:
        assert old == [], old
        return
    (it,) = old
    assert (it.action.value, it.item.value) == step_for_it
    condition = (
        "old_card_if_still_held"
        if step_for_it[0] == "return"
        else ("old_card_report_if_not_collected")
    )
    assert condition in reason_keys(it) and Src.NATIONAL_OLD_CARD_RETURN in it.sources
    assert it.by is not None  # (owed from the leaving day)
    # Asked once every card had stopped working, the duty stands (CONTRACT: fixed on the
    # day it arises), as for a card said to be held: a 健保 clerk found "throw it away"
    # when not said beside "give it back" when said, for the same leaver. It says why.
    later = judge("2026-12-07", left_on=left_on, myna="yes", kakuninsho="none", **extra)
    (void,) = [a for a in later.actions if a.item.value in ("old_card", "old_card_loss_report")]
    assert (void.action.value, void.item.value) == step_for_it
    assert {condition, "old_card_void_still_owed"} <= set(reason_keys(void))
    said = judge("2026-12-07", left_on=left_on, myna="yes", kakuninsho="none", old_card="held")
    if step_for_it[0] == "return":
        (held,) = [a for a in said.actions if a.item.value == "old_card"]
        assert (held.action, held.by) == (void.action, void.by)
        assert "old_card_void_still_owed" in reason_keys(held)


def test_a_step_for_a_card_that_may_not_exist_is_on_the_sheet_but_not_in_the_counts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,資格喪失日,マイナ保険証,資格確認書\n"
        "M1,2025/11/16,○,なし\n"  # the old card, void now, owed on leaving: if still held
        "M2,2026/11/16,○,\n"  # a 資格確認書 only if one came before registering
        "M3,2026/11/16,×,あり\n"  # a card to collect
    )
    src, out = write(tmp_path, text), tmp_path / "r.xlsx"
    ran = batch(monkeypatch, src, "-o", str(out), "--as-of", "2026-12-07")
    assert ran.status == 0, ran.stderr
    sheet = _sheets(out)["回収する資格確認書"]
    listed = {str(r[0]) for r in sheet}
    assert listed == {"M1", "M2", "M3"}, sheet
    assert "資格確認書の回収 1件" in ran.stderr and "従来の保険証などの回収 0件" in ran.stderr
    assert "2人分" in ran.stderr, ran.stderr  # ... and said to be left out of them
    one = write(tmp_path, text.replace("M1,2025/11/16,○,なし\n", ""), name="one.csv")
    english = batch(monkeypatch, one, "--as-of", "2026-12-07", "--lang", "en").stderr
    assert "1 person has a step for a card" in english, english  # (it read "1 people have")
    m1 = next(
        r for r in rows(batch(monkeypatch, src, "--as-of", "2026-12-07")) if r["社員番号"] == "M1"
    )
    assert m1["facts"]["old_card"] == "unknown"


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
        "U4,2026/11/21,あり,\n"  # a マイナ保険証 holder: one sent before registering
        "U5,2026/11/21,あり,無\n"  # ... said to have none: nothing to return
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--only", "return:kakuninsho")
    assert ran.status == 0, ran.stderr
    got = rows(ran)
    assert [r["社員番号"] for r in got] == ["U1", "U4"]
    assert all(("return", "kakuninsho") in row_steps(r) for r in got)


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


# ---- 10. the summary agrees with the task sheets and --only ---------------------------

# oc.csv and smarthr.csv of the review, cut to what each count is about.
OFFICE = """\
社員番号,在籍状況,資格喪失日,マイナ保険証,資格確認書,従来の保険証,電子証明書の有効期限,被扶養者数
O2,退職,2025/11/16,あり,なし,あり,,
O7,退職,2025/11/16,なし,あり,なし,,
O8,退職,2025/11/20,なし,なし,あり,,
D1,退職,2026/11/21,あり,なし,なし,,2
P1,退職,2026/11/16,なし,あり,なし,,1
L1,退職,2026/12/01,あり,なし,なし,2026/12/20,
M1,在籍,,あり,なし,なし,2026/12/20,
N1,在籍,,なし,なし,なし,,
"""


def _sheets(path: Path) -> dict[str, list[list[str]]]:
    """Each sheet's rows (the heading row left out), every cell as text."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return {
        ws.title: [
            ["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)
        ][1:]
        for ws in book.worksheets
    }


def _events(path: Path) -> list[str]:
    from tests.ics_reader import parse

    return [e.get("SUMMARY").text for e in parse(path.read_bytes()).all("VEVENT")]


def test_the_summary_counts_what_the_task_sheets_and_the_calendar_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src, out, ics = write(tmp_path, OFFICE), tmp_path / "結果.xlsx", tmp_path / "office.ics"
    ran = batch(monkeypatch, src, "-o", str(out), "--ics", str(ics))
    assert ran.status == 0, ran.stderr
    sheets = _sheets(out)
    collect = [row[0] for row in sheets["回収する資格確認書"]]
    no_doctor = [row[0] for row in sheets["受診できない・確認が必要な人"]]
    renewal = [row[0] for row in sheets["電子証明書の更新案内"]]
    # On the collect sheet: O2's and O8's old cards, O7's and P1's cards, D1's dependants'.
    assert sorted(collect) == ["D1", "O2", "O7", "O8", "P1"]
    # 資格確認書 as cards: O7 1, P1 1 + 1 dependant, D1's 2 dependants = 5; old cards 2.
    assert "資格確認書の回収 5件（被扶養者の分も1枚ずつ）" in ran.stderr
    assert "従来の保険証などの回収 2件" in ran.stderr
    assert "従来の保険証などの回収 2件 = 期限切れ 2・今すぐ 0・今後 0" in ran.stderr
    # The people on the 受診できない sheet: N1 (a member with nothing), not the leavers.
    assert no_doctor == ["N1"]
    assert "受診できない人 1人、受診できるか分からない人 0人" in ran.stderr
    # Renewal notices go to members: M1, not L1 who left on 12/01.
    assert renewal == ["M1"] and "電子証明書の更新案内 1件" in ran.stderr
    events = _events(ics)
    assert not [e for e in events if e.startswith("L1")]
    assert len([e for e in events if "返却" in e]) == len(collect)


def test_the_dependants_cards_are_due_with_the_members_filing() -> None:
    # A マイナ保険証 holder leaving on 11/21 with 2 dependants holding 資格確認書.
    v = judge(AS_OF, left_on="2026-11-21", myna="yes", kakuninsho="none", dependants="2")
    theirs = step(v, "return", "dependants_kakuninsho")
    assert theirs.by == date(2026, 11, 25)  # 5 days from the 資格喪失日, as the member's
    assert Src.NATIONAL_LOSS_NOTIFICATION in theirs.sources


def test_only_return_kakuninsho_takes_the_dependants_cards_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, OFFICE), "--only", "return:kakuninsho")
    assert sorted(r["社員番号"] for r in rows(ran)) == ["D1", "O7", "P1"]
    theirs = rows(batch(monkeypatch, write(tmp_path, OFFICE), "--only", "overdue:返却:資格確認書"))
    assert "D1" in [r["社員番号"] for r in theirs]


# ---- 11. instructions to the right people -------------------------------------------


def test_only_overdue_is_the_offices_work_not_a_leavers_own_old_deadline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "社員番号,資格喪失日,マイナ保険証,資格確認書\n"
        "K1,2024/06/01,なし,なし\n"  # left in 2024, no card: only their own 国保, long past
        "K2,2026/11/16,なし,あり\n"  # a card the office should have collected by 11/20
    )
    path = write(tmp_path, text)
    assert [r["社員番号"] for r in rows(batch(monkeypatch, path, "--only", "overdue"))] == ["K2"]
    # Asked with the action, it is anyone's step: the leaver late with their 国保 too.
    late = rows(batch(monkeypatch, path, "--only", "overdue:submit:kokuho"))
    assert [r["社員番号"] for r in late] == ["K1", "K2"]
    # The row itself still tells the leaver their 国保 is overdue.
    k1 = rows(batch(monkeypatch, path))[0]
    assert any(a["item"] == "kokuho" and a.get("overdue") for a in k1["actions"])


def test_a_leaver_is_sent_no_renewal_notice_and_is_not_on_the_renewal_sheet(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "社員番号,資格喪失日,マイナ保険証,電子証明書の有効期限\nL1,2026/12/01,あり,2026/12/20\n"
    src, out, ics = write(tmp_path, text), tmp_path / "r.xlsx", tmp_path / "r.ics"
    ran = batch(monkeypatch, src, "-o", str(out), "--ics", str(ics), "--ics-all")
    assert ran.status == 0, ran.stderr
    assert _sheets(out)["電子証明書の更新案内"] == []
    assert not [e for e in _events(ics) if "電子証明書" in e]
    assert "電子証明書の更新案内 0件" in ran.stderr


@pytest.mark.parametrize("word", ["死亡退職", "死亡", "逝去", "退職（死亡）", "死亡のため退職"])
def test_a_member_who_died_gets_no_next_insurance_steps_but_an_error_saying_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, word: str
) -> None:
    text = (
        "社員番号,在籍状況,資格喪失日,マイナ保険証,資格確認書\n"
        f"X1,{word},2026/11/21,なし,あり\n"
        "X2,退職,2026/11/21,なし,あり\n"
    )
    ran = batch(monkeypatch, write(tmp_path, text))
    assert ran.status == 3 and "Traceback" not in ran.stderr
    dead, alive = rows(ran)
    assert "actions" not in dead
    assert "亡くなった" in dead["error"] and "健康保険法第36条" in dead["error"]
    assert "「退職」にし" in dead["error"]  # and what to do for the cards
    assert ("submit", "kokuho") in row_steps(alive)  # a plain 退職 is read as before


def test_check_refuses_a_deceased_status_in_every_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for lang, words in (("ja", "亡くなった"), ("en", "died"), ("easy", "亡くなった")):
        ran = run_main(
            monkeypatch,
            ["check", "--status", "死亡退職", "--left-on", "2026-11-21", "--as-of", AS_OF,
             "--no-input", "--lang", lang],
        )  # fmt: skip
        assert ran.status == 2 and words in ran.stderr and ran.stdout == ""


# ---- an office's own word in a closed-choice column ------------------------------------


def test_an_unknown_word_names_the_map_that_gives_its_meaning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # パート, 嘱託, 再雇用 are employment types, not a status kenpo can guess: the row's
    # error shows the --map that says what the office means, and that --map is read.
    sheet = write(tmp_path, "社員番号,在籍状況,マイナ保険証\n1,パート,有\n2,在籍,有\n")
    told = rows(batch(monkeypatch, sheet))
    assert "--map '在籍状況:パート=値'" in told[0]["error"]  # the office says which value
    assert "error" not in told[1]
    mapped = rows(batch(monkeypatch, sheet, "--map", "在籍状況:パート=enrolled"))
    assert "error" not in mapped[0] and mapped[0]["facts"]["status"] == "enrolled"


def test_the_summary_counts_cards_that_exist_as_資格確認書(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A leaver from before 2025-12-02: their dependants held old 保険証, not 資格確認書
    (3 more were counted). A マイナ保険証 holder's card not said: told to return it if it
    came, but not counted as a card to collect (most holders were sent none)."""
    text = (
        "社員番号,退職日,マイナ保険証,資格確認書,従来の保険証,扶養人数\n"
        "C5,2025/11/15,無,有,有,3\n"  # their own 資格確認書: 1; the family's old cards: not
        "M1,2026/11/30,有,,,0\n"  # a holder, the card not said: not counted
        "N1,2026/11/30,無,有,,2\n"  # 1 + 2 dependants' 資格確認書
    )
    ran = batch(monkeypatch, write(tmp_path, text), "--lang", "en")
    assert ran.status == 0, ran.stderr
    assert ("return", "kakuninsho") in row_steps(rows(ran)[1])  # still told, "if it came"
    first = next(line for line in ran.stderr.splitlines() if "to collect" in line)
    assert "資格確認書 to collect: 4 (" in first, ran.stderr


def test_a_membership_that_ended_on_the_first_day_of_資格確認書_is_said_to_end_by_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 資格喪失日 2024-12-02 is the day 資格確認書 began, not before it: "on or before".
    args = ["--left-on", "2024-12-02", "--myna", "no", "--kakuninsho", "held"]
    for lang, said, wrong in (
        ("ja", "その日以前", "それより前"),
        ("easy", "その 日までに", "その 前に"),
    ):
        ran = run_main(
            monkeypatch, ["check", *args, "--as-of", AS_OF, "--no-input", "--lang", lang]
        )
        text = ran.stdout.replace("\n", "").replace("  ", " ")
        assert said in text and wrong not in text, text
