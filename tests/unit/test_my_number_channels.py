"""A マイナンバー, its digits joined by whatever Unicode puts between digits (invisible
format characters, combining marks, every kind of dash, dot, slash and space, full-width
and other scripts' digits), is never echoed: through every input (a CSV cell, a header,
an option, an answers file, a rule pack's TOML escapes) and on every output (standard
output as a file, ``-o``, ``--ics``, standard error)."""

from __future__ import annotations

import csv
import io
import json
import sys
import types
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kenpo_cli import privacy
from kenpo_cli.cli.app import main
from kenpo_cli.core import rulepack
from kenpo_cli.privacy import (
    INVISIBLE,
    MARK,
    NOT_SEPARATOR,
    VISIBLE,
    check_digit,
    masked,
    separator_kind,
)

# Digits of other scripts too: ASCII, full-width, Arabic-Indic, Devanagari, mathematical
# bold; and what NFKC turns into digits: superscripts, subscripts, circled digits.
_ZEROS = (0x30, 0xFF10, 0x660, 0x966, 0x1D7CE)
_DIGIT_FORMS = [
    *("".join(chr(z + i) for i in range(10)) for z in _ZEROS),
    "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "₀₁₂₃₄₅₆₇₈₉",
    "⓪①②③④⑤⑥⑦⑧⑨",
    "〇一二三四五六七八九",  # kanji numerals as digits (attacker, round four)
]
# Any number of: format characters, combining marks, controls, spaces of every kind, and
# the default-ignorable or blank-looking characters of other categories.
_INVISIBLES = st.characters(
    categories=("Cf", "Mn", "Me", "Cc", "Zs", "Zl", "Zp")
) | st.sampled_from(
    list("\u115f\u1160\u3164\uffa0\u2800\U0001d159\u2065\ufff0\U000e0000\U000e0fff")
)
# Up to four: dashes, dots, slashes, after NFKC.
_VISIBLES = st.characters(categories=["Pd"]) | st.sampled_from(
    list("./・·\u2024\uff0e\uff0f\u2212\u30fc\ufe63\u2044\u2215\u00ad\\")
)
# One: any other punctuation or symbol (a thousands comma, a bracket, a quote, a bullet).
_MARKS = st.characters(
    categories=("Po", "Ps", "Pe", "Pi", "Pf", "Pc", "Sm", "Sc", "Sk", "So"),
    exclude_characters="".join(privacy.DIGIT_LIKE),
).filter(lambda c: separator_kind(c) == MARK)


@st.composite
def my_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(the number in ASCII digits, the number as written)."""
    first = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=11, max_size=11)))
    number = first + str(check_digit(first))
    forms = draw(st.sampled_from(_DIGIT_FORMS))
    written = ""
    for i, d in enumerate(number):
        written += forms[int(d)]
        if i < 11:
            gap = (
                draw(st.lists(_INVISIBLES, max_size=6))
                + draw(st.lists(_VISIBLES, max_size=2))
                + draw(st.lists(_MARKS, max_size=1))
            )
            written += "".join(draw(st.permutations(gap)))
    return number, written


def leaks(text: str, number: str, written: str) -> bool:
    """Whether ``text`` shows ``number`` as ``written``: every character put between its
    digits taken out (whatever kenpo thinks of them), digits of any script read as
    ASCII (JSON lines are read back too: a ``\\u200b`` there is the character itself)."""
    between = {c for c in written if not _digit(c)}
    texts = [text]
    for line in text.splitlines():
        try:
            texts.append(json.dumps(json.loads(line), ensure_ascii=False))
        except ValueError:
            continue
    return any(number in _digits(t, between) for t in texts)


def _digit(c: str) -> bool:
    return c.isdecimal() or c in privacy.DIGIT_LIKE


def _digits(text: str, between: set[str]) -> str:
    return "".join(
        str(int(unicodedata.numeric(c))) if _digit(c) else c for c in text if c not in between
    )


def test_the_separators_are_what_unicode_says_they_are() -> None:
    assert separator_kind("\u200b") == INVISIBLE  # zero-width space
    assert separator_kind("\u00ad") == INVISIBLE  # soft hyphen (Cf)
    assert separator_kind("\u2060") == INVISIBLE  # word joiner
    assert separator_kind("\ufeff") == INVISIBLE  # BOM
    assert separator_kind("\u200e") == INVISIBLE  # a bidi mark
    assert separator_kind("\ufe63") == VISIBLE  # small hyphen-minus
    assert separator_kind("\u2024") == VISIBLE  # one-dot leader
    assert separator_kind("・") == VISIBLE
    assert separator_kind("\u3000") == INVISIBLE  # spaces, any number of them
    assert separator_kind("\u3164") == INVISIBLE  # Hangul filler: a letter that shows as nothing
    assert separator_kind("\u2800") == INVISIBLE  # blank braille pattern
    assert separator_kind("\x1b") == INVISIBLE  # controls
    assert separator_kind("\x85") == INVISIBLE
    assert separator_kind(",") == MARK  # 123,456,789,018: one between two digits
    assert separator_kind("、") == MARK
    assert separator_kind("•") == MARK
    assert separator_kind("年") == NOT_SEPARATOR
    assert separator_kind("½") == NOT_SEPARATOR  # another number


def test_ascii_is_classed_as_separator_kind_classes_it() -> None:
    """_joins knows ASCII without asking unicodedata: the same answers."""
    assert all(privacy._ASCII_KINDS[chr(c)] == separator_kind(chr(c)) for c in range(0x80))


def test_the_digits_are_what_nfkc_makes_digits() -> None:
    found = {
        chr(c)
        for c in range(0x110000)
        if not chr(c).isdecimal()
        and unicodedata.normalize("NFKC", chr(c)).isdecimal()
        and len(unicodedata.normalize("NFKC", chr(c))) == 1
    }
    # (and the kanji numerals written as digits, which NFKC leaves as they are)
    assert found == set(privacy.DIGIT_LIKE) - set(privacy.KANJI_DIGITS + privacy.KANJI_FORMS)


@pytest.mark.parametrize(
    "written", ["一二三四五六七八九○一八", "壱弐参四五六七八九〇壱八", "壱弐参肆伍陸漆捌玖零壱捌"]
)
def test_a_my_number_in_other_kanji_forms_is_masked(written: str) -> None:
    # ○ for 〇, 零, and the 大字 of deeds: left in clear on every channel.
    assert masked(f"控え {written}") == f"控え {privacy.MASK}"


@pytest.mark.parametrize(
    "gap",
    [
        *"\u3164\u115f\u1160\uffa0\u2800\U0001d159\x00\x1b\x1c\x7f\x85\x08",
        *"、，_:|•◦'\"+*",
        " " * 7,
        ",",
    ],
)
def test_what_the_attacker_put_between_the_digits_is_masked(gap: str) -> None:
    for text in (gap.join(("1234", "5678", "9018")), gap.join(("123", "456", "789", "018"))):
        assert masked(f"番号{text}です") == f"番号{privacy.MASK}です", repr(text)


@pytest.mark.parametrize(
    "text", ["(1234)5678-9018", "¹²³456789018", "①②③④⑤⑥⑦⑧⑨⓪①⑧", "123,456,789,018"]
)
def test_other_written_forms_are_masked(text: str) -> None:
    assert privacy.MASK in masked(text) and not any(c.isdigit() for c in masked(text)[1:])


@pytest.mark.parametrize(
    "text",
    [
        '"2026-12-06", "2027-01-05", "2028-02-03"',  # a JSON list of dates: no one number
        "10,11,2026-12-06,E0001",
        "1234 ,, 5678 ,, 9018",
    ],
)
def test_two_marks_between_digits_part_them(text: str) -> None:
    assert masked(text) == text


def test_the_letters_taken_for_separators_are_listed() -> None:
    """_joins rules out letters and digits without asking unicodedata, but for these."""
    letters = {chr(c) for c in range(0x110000) if chr(c).isalnum()}
    assert {c for c in letters if separator_kind(c) != NOT_SEPARATOR} == privacy.LETTER_SEPARATORS
    assert separator_kind("ż") == NOT_SEPARATOR  # its name has a DOT; it is a letter


@settings(max_examples=200, deadline=None)
@given(my_numbers())
def test_every_my_number_written_any_way_is_masked(case: tuple[str, str]) -> None:
    number, written = case
    assert privacy.is_my_number(number)
    assert not leaks(masked(f"番号: {written}。"), number, written)
    assert masked(f"x{written}y").startswith("x") and privacy.MASK in masked(f"x{written}y")


def _run(
    monkeypatch: pytest.MonkeyPatch, tmp: Path, args: list[str], stdin: str = ""
) -> tuple[int, str, str]:
    """``kenpo ARGS`` in this process, standard output a real file (as a redirect)."""
    for key in ("KENPO_LANG", "KENPO_RULES", "KENPO_DEBUG"):
        monkeypatch.delenv(key, raising=False)
    out_path = tmp / "stdout.txt"
    err = io.StringIO()
    with open(out_path, "w", encoding="utf-8") as out, monkeypatch.context() as m:
        m.setattr(sys, "argv", ["kenpo", *args])
        m.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        m.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
        m.setattr(sys, "stdout", out)
        m.setattr(sys, "stderr", err)
        import signal

        saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1)}
        try:
            with pytest.raises(SystemExit) as ended:
                main()
        finally:
            for s, h in saved.items():
                signal.signal(s, h)
    code = ended.value.code
    return code if isinstance(code, int) else 0, out_path.read_text("utf-8"), err.getvalue()


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=my_numbers())
def test_no_channel_echoes_a_my_number(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str]
) -> None:
    number, written = case
    tmp = tmp_path_factory.mktemp("mn")
    staff = tmp / "staff.csv"
    staff.write_text(
        _csv(
            [
                ["社員番号", "備考", "マイナ保険証", "資格確認書", "資格喪失日", f"メモ{written}"],
                [written, f"控え {written}", "はい", "有", "R8.12.10", "x"],
                ["1002", "x", written, "有", "", "y"],  # in a fact cell: an error row
            ]
        ),
        encoding="utf-8",
    )
    answers = tmp / "mine.toml"
    escaped = "".join(f"\\U{ord(c):08x}" for c in written)
    answers.write_text(f'myna = "{escaped}"\n', encoding="utf-8")
    pack = tmp / "pack.toml"
    builtin = rulepack.builtin_text()
    pack.write_text(builtin.replace('name.ja = "', f'name.ja = "{escaped}', 1), encoding="utf-8")
    runs = [
        ["batch", str(staff), "--ics", str(tmp / "a.ics")],
        ["batch", str(staff), "--format", "csv", "-o", str(tmp / "o.csv")],
        ["batch", str(staff), "-o", str(tmp / "o.jsonl"), "--only", written],
        ["batch", "-"],
        ["check", "--no-input", "--myna", written],
        ["check", "--no-input", "--answers", str(answers)],
        ["check", "--no-input", "--answers", "-"],
        ["check", "--no-input", "--as-of", written],
        ["batch", str(staff), "--map", f"{written}=myna"],
        ["check", "--no-input", "--rules", str(pack)],
        ["rules", "show", "--toml", "--rules", str(pack)],
        ["rules", "show", "--rules", str(pack)],
        ["sources", "--rules", str(pack)],
        ["check", "--no-input", "--answers", str(tmp / f"{written}.toml")],  # a file's name
        ["batch", str(staff), "-o", str(tmp / written / "out.jsonl")],
        [written],  # as a command's name (Click quotes it with repr: 1234\\n5678…)
        ["rules", written],
    ]
    # (the file's own text: read_text would make a lone CR in a cell a line break)
    stdin = {"batch": staff.read_bytes().decode("utf-8"), "check": f'{{"myna": "{written}"}}'}
    for args in runs:
        if any("\x00" in arg for arg in args):
            continue  # a command line cannot carry NUL (C strings): only files can
        status, out, err = _run(monkeypatch, tmp, args, stdin[args[0]] if "-" in args else "")
        assert status in (0, 2, 3), (args, status, err)
        assert "Traceback" not in err, (args, err)
        assert not leaks(out, number, written), (args, out)
        assert not leaks(err, number, written), (args, err)
    for made in ("a.ics", "o.csv"):
        text = (tmp / made).read_text("utf-8")
        assert not leaks(text.replace("\r\n ", ""), number, written), (made, text)


@pytest.mark.parametrize(
    "name",
    [
        '"\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038\\u0039\\u0030\\u0031\\u0038"',
        '"""1234\\\n    5678\\\n    9018"""',  # a line-continued string
        '"\\uff11\\uff12\\uff13\\uff14\\uff15\\uff16\\uff17\\uff18\\uff19\\uff10\\uff11\\uff18"',
    ],
)
def test_a_rule_pack_is_scanned_as_read_not_as_written(name: str) -> None:
    """TOML escapes and line continuations hide the digits from the text, not the values."""
    from kenpo_cli.errors import KenpoError

    text = rulepack.builtin_text().replace('name.en = "', "name.en = " + name + "\n# ", 1)
    with pytest.raises(KenpoError) as caught:
        rulepack.parse(text, "p.toml")
    # Found in the value (the key named), or already in the text as written (the line
    # continuation's backslash and spaces are separators too): refused either way.
    assert caught.value.code in ("rules_my_number_key", "rules_my_number")
    if caught.value.code == "rules_my_number_key":
        assert caught.value.params["key"] == "pack.name.en"


@pytest.mark.parametrize(
    "typed",
    [
        "123456789012",
        "1234 5678 9012",
        "１２３４－５６７８－９０１２",
        "12345678901",
        "1234567890123",
    ],
)
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-input", "--cert-expiry"],
        ["check", "--no-input", "--left-on"],
        ["check", "--no-input", "--dependants"],
        ["check", "--no-input", "--myna"],
        ["expiry", "--date"],
    ],
)
def test_a_number_typed_where_a_date_or_a_count_goes_is_not_echoed_check_digit_or_not(
    monkeypatch: pytest.MonkeyPatch, typed: str, args: list[str]
) -> None:
    """A マイナンバー typed one digit off (its check digit then fails) is still most of a
    マイナンバー: a message refusing it says the field, not the digits."""
    from tests.inprocess import run_main

    ran = run_main(monkeypatch, [*args, typed])
    assert ran.status == 2 and args[-1] in ran.stderr, ran
    digits = "".join(c for c in unicodedata.normalize("NFKC", typed) if c.isdigit())
    shown = "".join(c for c in unicodedata.normalize("NFKC", ran.stderr) if c.isdigit())
    assert digits[:8] not in shown and privacy.MASK in ran.stderr, ran.stderr


def test_a_date_and_time_or_a_short_number_refused_is_still_shown() -> None:
    """What is echoed is what a person needs to find the mistake: a date, a time, a count."""
    for text in ("2026/11/31 00:00:00", "2026-13-01", "20261301", "1234567890", "R8.13.1"):
        assert not privacy.typed_number(text), text
    for text in ("123456789012", " 1234・5678・9012 ", "１２３４ ５６７８ ９０１２", "12345678901"):
        assert privacy.typed_number(text), text


@pytest.mark.parametrize("gap", ["\n", "\t", "\r", "\udcff", " "])
def test_a_command_name_holding_one_is_not_echoed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gap: str
) -> None:
    # "unknown command 1234\n5678\n9018": Click's repr of the name escaped the breaks
    # before kenpo masked it (an attacker's review).
    typed = gap.join(("1234", "5678", "9018"))
    for args in ([typed], ["rules", typed]):
        status, _out, err = _run(monkeypatch, tmp_path, args, "")
        assert status == 2 and "Traceback" not in err, err
        assert not leaks(err, "123456789018", typed), err
        assert "****" in err, err
