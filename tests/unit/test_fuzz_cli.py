"""Inputs that try to break kenpo: every one ends with exit 0, 1 or 2 and no traceback."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kenpo_cli.cli.app import app
from kenpo_cli.core import rulepack
from kenpo_cli.core.facts import ALL_FIELDS, CHOICE_FACTS
from tests.inprocess import run_main

runner = CliRunner()
DATE_OPTIONS = ["--as-of", "--left-on", "--joined-on", "--cert-expiry", "--kakuninsho-expiry"]
CHOICE_OPTIONS = ["--" + name.replace("_", "-") for name in CHOICE_FACTS]
# Text as people paste it: Japanese, full-width forms, digits, separators, odd bytes.
junk = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(list("0123456789０１２３４５６７８９-/.年月日令和平成元RHS ")),
    max_size=24,
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ends_cleanly(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


@FAST
@given(st.sampled_from(DATE_OPTIONS), junk)
def test_any_text_in_a_date_option(option: str, value: str) -> None:
    ends_cleanly(["check", "--no-input", "--json", option, value])


@FAST
@given(st.sampled_from(CHOICE_OPTIONS), junk)
def test_any_text_in_a_choice_option(option: str, value: str) -> None:
    ends_cleanly(["check", "--no-input", "--json", option, value])


@FAST
@given(
    st.sampled_from(["--date", "--cert-expiry", "--kakuninsho-expiry", "--left-on", "--check"]),
    junk,
)
def test_any_text_in_an_expiry_option(option: str, value: str) -> None:
    ends_cleanly(["expiry", "--quiet", option, value])


answers = st.dictionaries(
    st.sampled_from(ALL_FIELDS) | junk,
    junk | st.integers() | st.booleans() | st.none() | st.lists(st.integers(), max_size=2),
    max_size=6,
)


@FAST
@given(answers, st.sampled_from([".json", ".toml", ""]))
def test_any_answers_file(content: dict[str, object], suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"answers{suffix}"
        path.write_text(json.dumps(content), encoding="utf-8")
        ends_cleanly(["check", "--no-input", "--json", "--answers", str(path)])


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_as_an_answers_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.toml"
        path.write_bytes(content)
        ends_cleanly(["check", "--no-input", "--answers", str(path)])


@FAST
@given(st.integers(min_value=0, max_value=20000), st.integers(min_value=0, max_value=60), junk)
def test_any_edit_to_a_rule_pack(at: int, cut: int, insert: str) -> None:
    text = rulepack.builtin_text()
    at %= len(text)
    broken = text[:at] + insert + text[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pack.toml"
        path.write_text(broken, encoding="utf-8")
        ends_cleanly(["expiry", "--json", "--rules", str(path)])
        ends_cleanly(["check", "--no-input", "--json", "--rules", str(path), "--myna", "yes"])


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_a_batch_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        path.write_bytes(b"myna,kakuninsho,left_on,note\n" + content)
        result = runner.invoke(app, ["batch", str(path), "--as-of", "2026-11-26"])
        assert result.exit_code in (0, 2, 3), result.output
        assert "Traceback" not in result.output


# ---- issue 10: the real entry point against hostile input, in-process -----------------

VALID = "123456789018"  # a マイナンバー: 12 digits with a valid check digit
SPACED = "1234 5678 9018"
WIDE = "１２３４－５６７８－９０１８"


def leaks(text: str) -> list[str]:
    """The planted マイナンバー in ``text``, however written (separators, full width).

    A run of digits is the number when its digits are exactly those twelve: a
    longer run (13 digits, a card number) is another kind of number.
    """
    runs = re.finditer(r"\d(?:[\s\-./－．／ー]{0,3}\d)*", text)
    found = [
        m.group() for m in runs if "".join(str(int(c)) for c in m.group() if c.isdecimal()) == VALID
    ]
    return found + re.findall(rf"(?<!\d){VALID}(?!\d)", text)


def hostile_runs(tmp: Path) -> list[tuple[list[str], str]]:
    """(arguments, standard input) that each put a マイナンバー where kenpo might echo it."""
    answers = tmp / "a.json"
    answers.write_text(json.dumps({"myna": VALID, f"note {SPACED}": "x"}))
    key = tmp / "b.json"
    key.write_text(json.dumps({VALID: "yes"}))
    toml = tmp / "c.toml"
    toml.write_text(f'left_on = "{WIDE}"\n')
    pack = tmp / "pack.toml"
    pack.write_text(rulepack.builtin_text().replace('name = "', f'name = "{SPACED} ', 1))
    bad_pack = tmp / "bad.toml"
    bad_pack.write_text(rulepack.builtin_text().replace("[pack]", f"[pack]\n{VALID} = 1", 1))
    header = "社員番号,氏名,マイナ保険証,資格確認書,資格喪失日,備考"
    cells = tmp / "staff.csv"
    cells.write_text(
        "\n".join(
            [
                f"{header},{VALID}",
                f'1,="{VALID}",はい,無,,個人番号{SPACED}を控え,',
                f"2,ID:{VALID},{VALID},無,,,",
                f"3,b,はい,{WIDE},,,",
                f"4,c,はい,無,{VALID},,",
                f'5,"{VALID}\nsecond line",はい,無,,,',
                f'6,"stray {VALID},はい,無,,,',
                f"7,d,はい,無,,{'x' * 140_000}{VALID},",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    raw = tmp / "bytes.csv"
    raw.write_bytes(f"{header}\n".encode() + b"1,\x82\xff" + VALID.encode() + b",yes,held,,x\n")
    return [
        (["check", f"--{VALID}"], ""),
        (["check", f"--lang={VALID}"], ""),
        (["check", "--no-input", VALID], ""),
        (["check", "--no-input", "--myna", SPACED], ""),
        (["check", "--no-input", "--as-of", WIDE], ""),
        (["check", "--no-input", "--left-on", f"R{VALID}"], ""),
        (["check", "--no-input", "--answers", str(answers)], ""),
        (["check", "--no-input", "--answers", str(key)], ""),
        (["check", "--no-input", "--answers", str(toml)], ""),
        (["check", "--no-input", "--answers", str(tmp / f"{VALID}.json")], ""),
        (["check", "--no-input", "--answers", "-"], f'{{"myna": "{VALID}"}}'),
        (["check", "--no-input", "--save-answers", str(tmp / VALID / "x.json")], ""),
        (["sources", "--rules", str(pack)], ""),
        (["rules", "show", "--toml", "--rules", str(pack)], ""),
        (["check", "--no-input", "--plain", "--rules", str(pack)], ""),
        (["expiry", "--rules", str(bad_pack)], ""),
        (["batch", str(cells)], ""),
        (["batch", str(cells), "--format", "csv"], ""),
        (["batch", str(raw)], ""),
        (["batch", "-"], f"{VALID},myna\n{VALID},yes\n"),
        (["batch", "-"], f"myna,{VALID}\n"),
        (["batch", str(cells), "--as-of", SPACED], ""),
        (["batch", str(cells), "--encoding", VALID], ""),
        (["batch", str(cells), "-o", str(tmp / VALID / "out.jsonl")], ""),
        (["expiry", "--date", VALID], ""),
        (["expiry", "--check", VALID], ""),
        ([VALID], ""),
    ]


def test_no_valid_my_number_appears_in_any_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = hostile_runs(tmp_path)
    for args, stdin in runs:
        for lang in ("ja", "en"):
            r = run_main(monkeypatch, args, stdin, KENPO_LANG=lang)
            assert r.status in (0, 2, 3), (args, r)
            assert leaks(r.stdout + r.stderr) == [], (args, r.stdout[-600:], r.stderr)
    assert len(runs) >= 25


def test_an_employee_number_that_is_not_a_my_number_stays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    r = run_main(monkeypatch, ["batch", "-"], "社員番号,myna\n123456789012,yes\n")
    assert json.loads(r.stdout)["社員番号"] == "123456789012"


placed = st.sampled_from([VALID, SPACED, WIDE, f'="{VALID}"', f"No.{VALID}号"])


@FAST
@given(junk, placed, junk, st.sampled_from(["--myna", "--as-of", "--left-on", "--lang", "--x"]))
def test_a_my_number_anywhere_in_an_argument_is_never_echoed(
    before: str, number: str, after: str, option: str
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        r = run_main(mp, ["check", "--no-input", "--json", option, before + number + after])
    assert r.status in (0, 2), r
    assert leaks(r.stdout + r.stderr) == [], r


@FAST
@given(st.lists(junk | placed, min_size=1, max_size=5), st.sampled_from(["jsonl", "csv"]))
def test_a_my_number_anywhere_in_a_csv_is_never_echoed(cells: list[str], fmt: str) -> None:
    header = "社員番号,myna,note," + cells[0].replace(",", "").replace("\n", "")
    body = "\n".join(f'{n},yes,"{c.replace(chr(34), "")}",{c}' for n, c in enumerate(cells))
    with pytest.MonkeyPatch.context() as mp:
        r = run_main(mp, ["batch", "-", "--format", fmt], f"{header}\n{body}\n")
    assert r.status in (0, 2, 3), r
    assert leaks(r.stdout + r.stderr) == [], r


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (["check", "--zzz"], "不明なオプション --zzz（kenpo check --help で一覧）", "--zzz"),
        (["check", "--jsn"], "--json", "did you mean"),
        (["check", "--no-input", "extra", "more"], "余分な引数があります: extra more", "extra"),
        (["batch"], "FILE|- を指定してください", "FILE|- is missing"),
        (["check", "--lang"], "オプション --lang には値が必要です", "needs a value"),
        (["expiry", "--json=1"], "--json に値は付けられません", "takes no value"),
        (["nosuch"], "不明なコマンド nosuch", "unknown command nosuch"),
        (["chek"], "不明なコマンド chek。check のことですか", "did you mean check?"),
        (["rules"], None, None),  # a group alone prints its help, as before
        (["check", "--rules", "/"], "ファイルではなくフォルダーです", "it is a folder, not a file"),
        (["check", "--as-of"], "--as-of", "--as-of"),
    ],
)
def test_usage_errors_are_one_line_in_the_chosen_language(
    monkeypatch: pytest.MonkeyPatch, args: list[str], ja: str | None, en: str | None
) -> None:
    r = run_main(monkeypatch, args)
    assert r.status == 2 and r.stdout == ""
    if ja is None or en is None:
        assert "kenpo rules" in r.stderr
        return
    assert r.stderr.startswith("kenpo: エラー: ") and ja in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1
    r = run_main(monkeypatch, args, KENPO_LANG="en")
    assert r.stderr.startswith("kenpo: error: ") and en in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args", [["check", "--lang", "English", "--zzz"], ["check", "--zzz", "--lang=英語"]]
)
def test_lang_on_the_command_line_chooses_the_language_of_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    r = run_main(monkeypatch, args, KENPO_LANG="ja")
    assert r.stderr == "kenpo: error: unknown option --zzz (see kenpo check --help)\n"


@pytest.mark.parametrize("spelling", ["en", "EN", "english", "English", "英語", "en_US.UTF-8"])
def test_lang_flag_and_env_accept_the_same_spellings(
    monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    flag = run_main(monkeypatch, ["expiry", "--date", "2026-11-26", "--lang", spelling])
    env = run_main(monkeypatch, ["expiry", "--date", "2026-11-26"], KENPO_LANG=spelling)
    assert flag.status == env.status == 0, flag.stderr
    assert flag.stdout == env.stdout and "Documents on" in flag.stdout


def test_lang_junk_is_refused_by_the_flag_and_ignored_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    r = run_main(monkeypatch, ["expiry", "--lang", "klingon"])
    assert r.status == 2 and "--lang" in r.stderr and "english" in r.stderr
    r = run_main(monkeypatch, ["expiry", "--date", "2026-11-26"], KENPO_LANG="klingon")
    assert r.status == 0 and "書類" in r.stdout


def test_kenpo_debug_zero_does_not_turn_debugging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr("kenpo_cli.render.formats.render_verdict", bug)
    for value in ("0", "false", "no", ""):
        r = run_main(monkeypatch, ["check", "--no-input"], KENPO_DEBUG=value)
        assert r.status == 70 and "KENPO_DEBUG=1" in r.stderr
    with pytest.raises(RuntimeError):
        run_main(monkeypatch, ["check", "--no-input"], KENPO_DEBUG="1")


def test_the_internal_error_message_tells_the_truth_about_saved_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr("kenpo_cli.render.formats.render_verdict", bug)
    saved = tmp_path / "answers.json"
    r = run_main(monkeypatch, ["check", "--no-input", "--save-answers", str(saved)])
    assert r.status == 70 and saved.exists()
    assert str(saved) in r.stderr and "Nothing was saved" not in r.stderr
    r = run_main(monkeypatch, ["check", "--no-input"], KENPO_LANG="en")
    assert r.status == 70 and "Nothing was saved" in r.stderr


@FAST
@given(st.binary(max_size=400), st.sampled_from([b'"', b'\n"', b'","', b"\r", b"\x00"]))
def test_any_bytes_with_quotes_as_a_batch_file_in_process(content: bytes, sprinkle: bytes) -> None:
    data = b"myna,kakuninsho,left_on,note\n" + content.replace(b"a", sprinkle)
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        path = Path(tmp) / "staff.csv"
        path.write_bytes(data)
        r = run_main(mp, ["batch", str(path), "--as-of", "2026-11-26", "-o", f"{tmp}/o.jsonl"])
        assert r.status in (0, 2, 3), r
        if r.status != 2:
            rows = [json.loads(line) for line in Path(f"{tmp}/o.jsonl").read_text().splitlines()]
            assert [row["row"] for row in rows] == list(range(1, len(rows) + 1))
            assert all(("error" in row) != ("actions" in row) for row in rows)
