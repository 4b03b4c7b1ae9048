"""``kenpo batch`` on the files of the independent HR-office review (issue 22), each
written the way the review wrote it: a heading whose bracketed note turns its marks
around, health-insurance headings and status headings as HR systems spell them, an
instructions sheet in two columns placed first, a 基準日 column beside --as-of, and the
hand work of a clerk (footers, ``="0001"``, a date with （予定）).
What must never happen: a wrong verdict with exit 0 and nothing said.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_batch_sheets import batch, rows, steps, write

# ---- finding 1: a note that is a single value word -------------------------------------

NEG = """社員番号,氏名,在籍状況,資格喪失日,マイナ保険証（未登録）,資格確認書（返却済）
1,退職・返却済,退職,2026/11/20,○,○
2,在籍・マイナ未登録,在籍,,○,
3,在籍・マイナ登録済,在籍,,,
"""


def test_a_note_that_turns_the_marks_around_keeps_the_column_unread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = batch(monkeypatch, write(tmp_path, NEG, name="neg.csv"))
    assert ran.status == 0, ran.stderr
    returned, unregistered, _ = rows(ran)
    # Read as the plain fact, the one who handed the card back was told to return it,
    # and the one with no マイナ保険証 was told to carry it.
    assert returned["facts"]["kakuninsho"] != "held"
    assert unregistered["facts"]["myna"] != "yes"
    assert unregistered["can_see_doctor"] is not True
    # stderr names each column, --map, and what a ○ there means as a --map example
    for column, example in (
        ("マイナ保険証（未登録）", "--map 'マイナ保険証（未登録）:○=no'"),
        ("資格確認書（返却済）", "--map '資格確認書（返却済）:○=none'"),
    ):
        said = [line for line in ran.stderr.splitlines() if column in line and example in line]
        assert said, ran.stderr
    # and the example, followed, reads the column as the office meant it
    maps = [
        *("--map", "マイナ保険証（未登録）=myna", "--map", "マイナ保険証（未登録）:○=no"),
        *("--map", "資格確認書（返却済）=kakuninsho", "--map", "資格確認書（返却済）:○=none"),
    ]
    returned, unregistered, _ = rows(batch(monkeypatch, tmp_path / "neg.csv", *maps))
    assert returned["facts"]["kakuninsho"] == "none"
    assert ("return", "kakuninsho") not in steps(returned)
    assert unregistered["facts"]["myna"] == "no"


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("資格確認書（紛失）", "kakuninsho"),
        ("資格確認書（未交付）", "kakuninsho"),
        ("資格確認書（無）", "kakuninsho"),
        ("資格確認書（回収）", "kakuninsho"),
        ("資格確認書（回収済）", "kakuninsho"),
        ("マイナ保険証（無）", "myna"),
        ("マイナ保険証（なし）", "myna"),
        ("マイナ保険証（×）", "myna"),
        ("マイナ保険証（申請中）", "myna"),
        ("マイナ保険証【未登録】", "myna"),
        ("保険証（回収済）", "old_card"),
    ],
)
def test_a_single_value_word_in_a_note_is_not_the_plain_fact(heading: str, fact: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading, "在籍状況"], Messages("ja"))
    assert fact not in header.facts.values()
    assert [f for _, f, _ in header.noted] == [fact]


@pytest.mark.parametrize(
    ("heading", "fact"),
    [
        ("資格確認書（○:あり ×:なし）", "kakuninsho"),
        ("資格確認書（○/×）", "kakuninsho"),
        ("マイナ保険証(○×)", "myna"),
        ("マイナ保険証（あり・なし）", "myna"),
        ("マイナ保険証（登録済）", "myna"),  # what a ○ there means anyway
        ("資格確認書（交付済）", "kakuninsho"),
        ("資格喪失日（予定）", "left_on"),
    ],
)
def test_notes_that_leave_the_meaning_as_it_is_are_still_ignored(heading: str, fact: str) -> None:
    from kenpo_cli.batch.header import read_header
    from kenpo_cli.i18n import Messages

    header = read_header(["社員番号", heading], Messages("ja"))
    assert list(header.facts.values()) == [fact] and not header.noted
