"""The installed ``kenpo`` command as scripts and members meet it (run as a subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

KENPO = shutil.which("kenpo", path=str(Path(sys.executable).parent)) or shutil.which("kenpo")


def kenpo(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Any:
    assert KENPO, "the kenpo command is not installed (pip install -e '.[test]')"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    full_env.update(env or {})
    return subprocess.run(
        [KENPO, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def test_check_json_is_the_contract_document() -> None:
    r = kenpo(
        "check",
        "--no-input",
        "--json",
        "--as-of",
        "2026-11-26",
        "--myna",
        "yes",
        "--cert-expiry",
        "2026-11-15",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 3
    assert doc["rules"] == {"id": "kenpo-faq", "version": "2025.12"}
    assert doc["as_of"] == "2026-11-26"
    assert doc["facts"]["myna"] == "yes" and doc["facts"]["cert_expiry"] == "2026-11-15"
    assert doc["can_see_doctor"] is True
    assert ["myna"] in doc["present"]
    renew = next(a for a in doc["actions"] if a["action"] == "renew")
    assert renew == {
        "action": "renew",
        "item": "myna_cert",
        "by": "2027-02-28",
        "reason": renew["reason"],
        "sources": ["faq-myna-cert-expired"],
    }
    assert all(a["sources"] and a["reason"] for a in doc["actions"])
    assert doc["warnings"] == []


def test_every_cited_source_is_listed_by_kenpo_sources() -> None:
    listed = json.loads(kenpo("sources", "--json").stdout)["sources"]
    ids = {s["id"] for s in listed}
    assert all(s["section"] and s["question"] for s in listed)
    r = kenpo(
        "check",
        "--no-input",
        "--json",
        "--as-of",
        "2026-10-20",
        "--left-on",
        "2026-10-16",
        "--kakuninsho",
        "lost",
        "--old-card",
        "held",
    )
    cited = {s for a in json.loads(r.stdout)["actions"] for s in a["sources"]}
    assert cited and cited <= ids


def test_expiry_json_matches_the_contract_example() -> None:
    r = kenpo("expiry", "--json", "--date", "2026-11-26", "--cert-expiry", "2026-11-15")
    assert r.returncode == 0
    assert json.loads(r.stdout) == {
        "schema_version": 3,
        "date": "2026-11-26",
        "documents": [
            {"item": "old_card", "valid": False, "valid_until": "2025-12-01"},
            {"item": "kakuninsho", "valid": True, "valid_until": "2027-11-30", "days_left": 369},
            {"item": "oshirase", "valid": True, "valid_until": None},
            {
                "item": "myna",
                "valid": True,
                "valid_until": "2027-02-28",
                "days_left": 94,
                "cert_expiry": "2026-11-15",
                "in_grace": True,
            },
        ],
    }


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["--check", "old_card", "--date", "2025-12-01"], 0),
        (["--check", "old_card", "--date", "2025-12-02"], 1),
        (["--check", "kakuninsho", "--date", "2027-11-30"], 0),
        (["--check", "kakuninsho", "--date", "2027-12-01", "--kakuninsho-expiry", "2027-11-30"], 1),
        (["--check", "kakuninsho", "--date", "2028-11-30", "--kakuninsho-expiry", "2028-11-30"], 0),
        (["--check", "kakuninsho", "--date", "2027-12-01"], 2),  # a renewed card: its date?
        (["--check", "myna", "--date", "2027-02-28", "--cert-expiry", "2026-11-15"], 0),
        (["--check", "myna", "--date", "2027-03-01", "--cert-expiry", "2026-11-15"], 1),
        (["--check", "oshirase", "--date", "R8.10.16", "--left-on", "R8.10.16"], 1),
    ],
)
def test_expiry_check_quiet_answers_with_the_exit_status(args: list[str], status: int) -> None:
    r = kenpo("expiry", "--quiet", *args)
    assert (r.returncode, r.stdout) == (status, "")


def test_plain_text_verdict_in_both_languages() -> None:
    args = [
        "check",
        "--no-input",
        "--as-of",
        "2026-10-20",
        "--left-on",
        "2026-10-16",
        "--kakuninsho",
        "held",
    ]
    ja = kenpo(*args, "--lang", "ja")
    en = kenpo(*args, env={"KENPO_LANG": "en"})
    assert "資格を失っているため" in ja.stdout and "返却する" in ja.stdout
    assert "membership has ended" in en.stdout and "Give back" in en.stdout
    for out in (ja.stdout, en.stdout):
        assert "\x1b[" not in out  # not a terminal: no colour
        assert "faq-kakuninsho-leaving" in out


def test_answers_file_and_save_answers_round_trip(tmp_path: Path) -> None:
    answers = tmp_path / "in.toml"
    answers.write_text('myna = "yes"\ncert_expiry = 2026-08-15\nas_of = "2026-10-20"\n')
    saved = tmp_path / "out.json"
    r = kenpo(
        "check",
        "--no-input",
        "--json",
        "--answers",
        str(answers),
        "--oshirase",
        "lost",
        "--save-answers",
        str(saved),
    )
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    data = json.loads(saved.read_text())
    assert data["myna"] == "yes" and data["oshirase"] == "lost" and data["as_of"] == "2026-10-20"
    again = kenpo("check", "--no-input", "--json", "--answers", str(saved))
    first, second = json.loads(r.stdout), json.loads(again.stdout)
    assert "kakuninsho" in first.pop("assumed")  # the first run took it at its default
    assert "kakuninsho" not in second.pop("assumed")  # the saved file says it
    assert second == first  # the same verdict


def test_check_json_says_which_facts_were_assumed() -> None:
    # A script that forgot --myna learns it was taken as "no", not as "yes".
    r = kenpo("check", "--no-input", "--json", "--as-of", "2026-11-27", "--left-on", "2026-12-01")
    assumed = json.loads(r.stdout)["assumed"]
    assert "myna" in assumed and "kakuninsho" in assumed
    assert "left_on" not in assumed and "status" not in assumed  # given, and settled by it


def test_flags_win_over_the_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text('{"myna": "no", "kakuninsho": "held", "as_of": "2026-10-01"}')
    r = kenpo("check", "--no-input", "--json", "--answers", str(answers), "--myna", "yes")
    assert json.loads(r.stdout)["facts"]["myna"] == "yes"


def test_missing_facts_without_a_terminal_are_defaulted_with_a_note() -> None:
    r = kenpo("check", "--json", "--as-of", "2026-10-01", "--myna", "yes", "--lang", "en")
    assert r.returncode == 0
    assert "default" in r.stderr and "--kakuninsho unknown" in r.stderr
    # Not said, and shown so (a マイナ保険証 holder's rules read it as none).
    assert json.loads(r.stdout)["facts"]["kakuninsho"] == "unknown"
    quiet = kenpo("check", "--no-input", "--json", "--as-of", "2026-10-01")
    assert quiet.stderr == ""


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["check", "--no-input", "--as-of", "2026-02-30"], "--as-of"),
        (["check", "--no-input", "--left-on", "H31.5.1"], "--left-on"),
        (["check", "--no-input", "--as-of", "2024-12-01"], "--as-of"),
        (["check", "--no-input", "--myna", "maybe"], "--myna"),
        (["check", "--no-input", "--cert-expiry", "soon"], "--cert-expiry"),
        (["check", "--no-input", "--lang", "fr"], "--lang"),
        (["check", "--no-input", "--format", "pdf"], "--format"),
        (["check", "--no-input", "--answers", "/nonexistent/a.json"], "/nonexistent/a.json"),
        (["expiry", "--date", "yesterday"], "--date"),
        (["expiry", "--left-on", "2026-13-01"], "--left-on"),
        (["expiry", "--check", "passport"], "--check"),
        (["expiry", "--check", "myna"], "--cert-expiry"),
        (["expiry", "--rules", "/nonexistent/pack.toml"], "/nonexistent/pack.toml"),
        (["batch", "/nonexistent/staff.csv"], "/nonexistent/staff.csv"),
        (["check", "--bogus-flag"], "--bogus-flag"),
        # An empty value is a script's unset variable, not "today" or "not known".
        (["check", "--no-input", "--as-of", ""], "--as-of"),
        (["check", "--no-input", "--myna", " "], "--myna yes"),
        (["check", "--no-input", "--left-on="], "--left-on 2026-11-26"),
        (["expiry", "--date", ""], "--date 2026-11-26"),
        (["expiry", "--cert-expiry", ""], "--cert-expiry"),
        (["batch", "-", "--as-of", ""], "--as-of 2026-11-26"),
        (["check", "--no-input", "--json", "--format", "markdown"], "--format markdown"),
    ],
)
def test_bad_input_exits_2_with_one_message_naming_the_field(args: list[str], names: str) -> None:
    r = kenpo(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert names in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        '{"myna": 3}',
        '{"shoe_size": "27"}',
        "myna = ",
        '{"as_of": "R1.4.30"}',
    ],
)
def test_bad_answers_files_exit_2_without_traceback(tmp_path: Path, content: str) -> None:
    f = tmp_path / "answers.json"
    f.write_text(content)
    r = kenpo("check", "--no-input", "--answers", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_version_and_help() -> None:
    assert kenpo("--version").stdout.startswith("kenpo ")
    r = kenpo("check", "--help")
    assert r.returncode == 0 and "--no-input" in r.stdout and "--save-answers" in r.stdout


def test_rules_show_toml_is_the_built_in_pack() -> None:
    r = kenpo("rules", "show", "--toml")
    assert r.returncode == 0 and "[values.kakuninsho_expiry]" in r.stdout
    assert "2027-11-30" in kenpo("rules", "show").stdout


def test_module_entry_point_runs() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "kenpo_cli", "--version"], capture_output=True, text=True
    )
    assert r.returncode == 0 and "kenpo" in r.stdout


def test_kenpo_rules_env_selects_another_pack_for_every_command(tmp_path: Path) -> None:
    pack = str(Path(__file__).parents[2] / "examples" / "rules" / "example-society.toml")
    env = {"KENPO_RULES": pack}
    doc = json.loads(kenpo("check", "--no-input", "--json", env=env).stdout)
    assert doc["rules"] == {"id": "example-society", "version": "2026.04"}
    exp = json.loads(kenpo("expiry", "--json", "--date", "2026-11-26", env=env).stdout)
    assert exp["documents"][1]["valid_until"] == "2026-11-30"
    staff = tmp_path / "staff.csv"
    staff.write_text("myna,kakuninsho\nno,held\nyes,held\n")
    out = kenpo("batch", str(staff), "--as-of", "2026-12-01", env=env).stdout
    without, holder = (json.loads(line) for line in out.splitlines())
    # The example pack's 資格確認書 ended on 11-30: without a マイナ保険証 a renewed one
    # came (read the date on it); a マイナ保険証 holder's is simply over.
    assert without["can_see_doctor"] is None
    assert ["check", "kakuninsho"] in [[a["action"], a["item"]] for a in without["actions"]]
    assert ["dispose", "kakuninsho"] in [[a["action"], a["item"]] for a in holder["actions"]]
    assert "example-society" in kenpo("rules", "show", env=env).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--myna", "123456789018"],
        ["--as-of", "1234 5678 9018"],
        ["--cert-expiry", "１２３４-５６７８-９０１８"],
    ],
)
def test_a_pasted_my_number_is_never_echoed(args: list[str], tmp_path: Path) -> None:
    r = kenpo("check", "--no-input", *args)
    assert r.returncode == 2 and "************" in r.stderr
    assert "5678" not in r.stderr and "５６７８" not in r.stderr
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({args[0][2:].replace("-", "_"): args[1]}), encoding="utf-8")
    r = kenpo("check", "--no-input", "--answers", str(answers))
    assert r.returncode == 2 and "5678" not in r.stderr and "５６７８" not in r.stderr


def test_expiry_says_membership_ended_rather_than_the_card_expired() -> None:
    r = kenpo(
        "expiry", "--lang", "en", "--date", "2026-06-10", "--left-on", "2026-06-01",
        "--cert-expiry", "2028-01-31",
    )  # fmt: skip
    assert r.returncode == 0
    myna = " ".join(r.stdout.split("マイナ保険証 (")[1].split())  # its entry, unwrapped
    assert "membership ran until Sun 2026-05-31" in myna
    last = " ".join(kenpo("expiry", "--lang", "en", "--date", "2027-11-30").stdout.split())
    assert "today is the last day" in last and "0 days" not in last


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_expiry_after_the_societys_date_asks_for_the_renewed_cards_own(lang: str) -> None:
    # check says "read the date on the renewed card" from 2027-12-01: so does expiry.
    last = json.loads(kenpo("expiry", "--json", "--date", "2027-11-30").stdout)
    assert last["documents"][1] == {
        "item": "kakuninsho", "valid": True, "valid_until": "2027-11-30", "days_left": 0,
    }  # fmt: skip
    after = json.loads(kenpo("expiry", "--json", "--date", "2027-12-01").stdout)
    assert after["documents"][1] == {
        "item": "kakuninsho", "valid": None, "valid_until": None,
        "unknown_because": ["kakuninsho_expiry"],
    }  # fmt: skip
    text = kenpo("expiry", "--lang", lang, "--plain", "--date", "2027-12-01").stdout
    assert "--kakuninsho-expiry" in text and "2027" in text
    asked = kenpo("expiry", "--lang", lang, "--check", "kakuninsho", "--date", "2027-12-01")
    assert (asked.returncode, asked.stdout) == (2, "") and "--kakuninsho-expiry" in asked.stderr
    # A member who left after the society's date held the renewed card to the end.
    left = json.loads(
        kenpo("expiry", "--json", "--date", "2028-03-01", "--left-on", "2028-02-01").stdout
    )
    assert left["documents"][1]["valid"] is False
    assert left["documents"][1]["valid_until"] == "2028-01-31"


def test_a_run_builds_only_the_options_it_names_and_still_knows_all_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import typer

    from kenpo_cli.cli import app as cli

    names = cli._options_named(["check", "--as-of=2026-10-20", "--myna", "yes", "-o", "x"])
    assert names == {"--as-of", "--myna", "-o"}
    pruned = typer.main.get_command(cli.make_app("check", None, False, names))
    options = {o for p in pruned.commands["check"].params for o in p.opts}  # type: ignore[attr-defined]
    assert {"--as-of", "--myna", "--rules"} <= options and "--kakuninsho" not in options
    full = typer.main.get_command(cli.make_app("check", None, False))
    assert "--kakuninsho" in {o for p in full.commands["check"].params for o in p.opts}  # type: ignore[attr-defined]
    # A wrong option is reported as the whole command would: with its suggestion.
    r = kenpo("check", "--no-input", "--kakunisho", "held", env={"KENPO_LANG": "en"})
    assert r.returncode == 2 and "--kakuninsho" in r.stderr


EASY_CASE = ("--as-of", "2026-11-26", "--myna", "no", "--kakuninsho", "held")


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--no-input", "--plain", *EASY_CASE, "--left-on", "2026-12-16"),
        ("expiry", "--date", "2026-11-26", "--cert-expiry", "2026-10-15"),
        ("sources",),
        ("rules", "show"),
        ("check", "--help"),
    ],
)
def test_easy_japanese_by_flag_or_environment(args: tuple[str, ...]) -> None:
    """やさしい日本語 everywhere ja is: the flag and KENPO_LANG give the same screen."""
    by_flag = kenpo(*args, "--lang", "easy")
    by_env = kenpo(*args, env={"KENPO_LANG": "やさしい日本語"})
    assert by_flag.returncode == by_env.returncode == 0, by_flag.stderr
    assert by_flag.stdout == by_env.stdout
    assert by_flag.stdout != kenpo(*args, "--lang", "ja").stdout or args[0] in ("sources", "rules")


def test_easy_japanese_verdict_reads_out_official_names_and_dates_in_words() -> None:
    r = kenpo("check", "--no-input", "--plain", *EASY_CASE, "--lang", "easy")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("今日は 2026年11月26日(木)です。")
    assert r.stdout.count("資格確認書〈しかくかくにんしょ〉") == 1
    assert "2027年11月30日(火)まで 使えます" in r.stdout


@pytest.mark.parametrize("lang", ["ja", "en", "easy"])
def test_expiry_says_the_oshirase_never_expires_but_is_not_enough_alone(lang: str) -> None:
    alone = {"ja": "これだけでは受診できません", "en": "notenoughonitsown", "easy": "これだけでは"}
    for leaving in ([], ["--left-on", "2026-12-01"]):  # its own life, or the membership's
        r = kenpo("expiry", "--lang", lang, "--date", "2026-11-27", *leaving)
        oshirase = "".join(r.stdout.split("\n  - ")[3].split())  # its entry, unwrapped
        assert r.returncode == 0 and alone[lang] in oshirase, oshirase
    after = kenpo("expiry", "--lang", lang, "--date", "2026-12-01", "--left-on", "2026-12-01")
    assert alone[lang] not in "".join(after.stdout.split("\n  - ")[3].split())  # not valid


def test_expiry_without_a_certificate_date_says_how_to_see_the_myna_line() -> None:
    plain = kenpo("expiry", "--lang", "en", "--date", "2026-12-01")
    assert "--cert-expiry" in plain.stdout and "マイナ保険証:" not in plain.stdout
    given = kenpo("expiry", "--lang", "en", "--date", "2026-12-01", "--cert-expiry", "2030-01-01")
    assert "--cert-expiry" not in given.stdout and "マイナ保険証" in given.stdout
    as_json = kenpo("expiry", "--json", "--date", "2026-12-01")
    assert "--cert-expiry" not in as_json.stdout  # scripts get the document alone
