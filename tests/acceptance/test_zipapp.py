"""kenpo run from a zip: a plain ``python -m zipapp`` of the package, no files beside it.

The data files (rule pack, message catalogues) are read through importlib.resources
when they are not files on disk, so the same code runs from a wheel, a source checkout,
a frozen app or a zip (tools/build_pyz.py builds the one-file kenpo.pyz handed out).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipapp
from pathlib import Path

import pytest

import kenpo_cli

STAFF = (
    "社員番号,氏名,マイナ保険証,資格確認書,資格喪失日\n1,山田,はい,無,\n2,佐藤,いいえ,有,R8.10.16\n"
)


@pytest.fixture(scope="module")
def pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as it is installed here, zipped as ``python -m zipapp`` would."""
    root = tmp_path_factory.mktemp("zipapp")
    app = root / "app"
    source = Path(kenpo_cli.__file__).parent
    shutil.copytree(source, app / "kenpo_cli", ignore=shutil.ignore_patterns("__pycache__"))
    target = root / "kenpo.pyz"
    zipapp.create_archive(app, target, main="kenpo_cli.cli.entry:main")
    shutil.rmtree(app)  # nothing left beside the zip to read by accident
    return target


def run(pyz: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENPO_")}
    return subprocess.run(
        [sys.executable, str(pyz), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "PYTHONIOENCODING": "utf-8"},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_the_package_is_the_one_in_the_zip(pyz: Path) -> None:
    probe = "import sys, kenpo_cli; print(kenpo_cli.__file__)"
    r = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(pyz)},
        cwd=pyz.parent,
        timeout=60,
    )
    assert r.stdout.startswith(str(pyz) + os.sep), r.stdout + r.stderr


def test_check_from_a_zip(pyz: Path) -> None:
    r = run(pyz, "check", "--no-input", "--json", "--myna", "yes", "--cert-expiry", "2026-08-15")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["actions"]
    text = run(pyz, "check", "--no-input", "--plain", "--myna", "no", "--kakuninsho", "held")
    assert text.returncode == 0 and "資格確認書" in text.stdout, text.stderr


def test_expiry_from_a_zip_in_every_language(pyz: Path) -> None:
    for lang in ("ja", "en", "easy"):
        r = run(pyz, "expiry", "--cert-expiry", "2026-11-15", "--lang", lang)
        assert r.returncode == 0 and r.stdout.strip(), (lang, r.stderr)
    r = run(pyz, "expiry", "--lang", "klingon")
    assert r.returncode == 2 and "easy" in r.stderr  # the languages, listed from the zip


def test_batch_from_a_zip(pyz: Path, tmp_path: Path) -> None:
    (tmp_path / "社員.csv").write_text(STAFF, encoding="cp932")
    r = run(pyz, "batch", "社員.csv", "-o", "結果.csv", "--format", "csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "結果.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [row["氏名"] for row in rows] == ["山田", "佐藤"]


def test_sources_rules_and_a_calendar_from_a_zip(pyz: Path, tmp_path: Path) -> None:
    assert "[pack]" in run(pyz, "rules", "show", "--toml").stdout
    assert run(pyz, "sources").returncode == 0
    r = run(pyz, "check", "--no-input", "--myna", "no", "--ics", str(tmp_path / "k.ics"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "k.ics").read_text().startswith("BEGIN:VCALENDAR")
