"""Run a built kenpo (kenpo.pyz, the PyInstaller folder, any command) through check,
expiry and batch, and check what each gives; exit 1 on the first thing wrong.

    python tools/smoke_run.py -- python3 dist/kenpo.pyz
    python tools/smoke_run.py -- dist/kenpo/kenpo

Only the standard library: it checks a kenpo that has none of its dependencies beside
it. Prints each command it runs.
"""

from __future__ import annotations

import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

STAFF = (
    "社員番号,氏名,マイナ保険証,資格確認書,資格喪失日\r\n"
    "1,山田,はい,無,\r\n"
    "2,佐藤,いいえ,有,R8.10.16\r\n"
)

# The smallest workbook Excel and both readers open: one sheet of inline strings.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="社員" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def workbook(rows: list[list[str]]) -> bytes:
    """An .xlsx of ``rows`` (text cells), written with the standard library alone."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in row)
        + "</row>"
        for r, row in enumerate(rows, 1)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in {**_XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return data.getvalue()


def run(kenpo: list[str], *args: str, cwd: Path) -> str:
    cmd = [*kenpo, *args]
    print("$", shlex.join(cmd), flush=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KENPO_", "PYTHON"))}
    r = subprocess.run(
        cmd, capture_output=True, cwd=cwd, env=env, stdin=subprocess.DEVNULL, timeout=120
    )
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"exit {r.returncode}: {shlex.join(cmd)}")
    return r.stdout.decode("utf-8")  # data on standard output is UTF-8 whatever the console


def check(what: str, ok: bool) -> None:
    print(f"  {'ok' if ok else 'WRONG'}: {what}", flush=True)
    if not ok:
        raise SystemExit(f"smoke run failed: {what}")


def smoke(kenpo: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="kenpo-smoke-") as work:
        here = Path(work)
        out = run(kenpo, "--version", cwd=here)
        check("--version names kenpo", out.startswith("kenpo "))
        out = run(
            kenpo, "check", "--no-input", "--json", "--myna", "yes",
            "--cert-expiry", "2026-08-15", "--as-of", "2026-10-20", cwd=here,
        )  # fmt: skip
        check("check --json gives the facts", json.loads(out)["facts"]["myna"] == "yes")
        out = run(kenpo, "check", "--no-input", "--plain", "--myna", "no", cwd=here)
        check("check in Japanese (the catalogues are there)", "資格確認書" in out)
        out = run(kenpo, "check", "--no-input", "--myna", "no", "--ics", "k.ics", cwd=here)
        ics = (here / "k.ics").read_text(encoding="utf-8")
        check("check --ics writes a calendar", ics.startswith("BEGIN:VCALENDAR"))
        (here / "answers.toml").write_bytes('myna = "いいえ"\n'.encode("cp932"))  # Notepad
        out = run(kenpo, "check", "--no-input", "--json", "--answers", "answers.toml", cwd=here)
        check("check --answers reads a TOML file", json.loads(out)["facts"]["myna"] == "no")
        out = run(kenpo, "expiry", "--json", "--date", "2026-11-26", "--cert-expiry",
                  "2026-11-15", cwd=here)  # fmt: skip
        check("expiry --json lists the documents", len(json.loads(out)["documents"]) >= 3)
        out = run(kenpo, "expiry", "--lang", "easy", "--cert-expiry", "2026-11-15", cwd=here)
        check("expiry in やさしい日本語", bool(out.strip()))
        (here / "社員.csv").write_bytes(STAFF.encode("cp932"))  # as Excel saves it
        run(kenpo, "batch", "社員.csv", "-o", "結果.csv", "--format", "csv", cwd=here)
        with open(here / "結果.csv", encoding="utf-8-sig", newline="") as f:
            names = [row["氏名"] for row in csv.DictReader(f)]
        check("batch of a cp932 CSV gives one row each", names == ["山田", "佐藤"])
        out = run(kenpo, "batch", "社員.csv", cwd=here)
        check("batch to standard output (JSON Lines)", len(out.splitlines()) == 2)
        rows = [line.split(",") for line in STAFF.splitlines()]
        (here / "社員.xlsx").write_bytes(workbook(rows))
        out = run(kenpo, "batch", "社員.xlsx", cwd=here)
        read = [json.loads(line)["氏名"] for line in out.splitlines()]
        check("batch of an .xlsx workbook gives one row each", read == ["山田", "佐藤"])
        out = run(kenpo, "rules", "show", "--toml", cwd=here)
        check("rules show --toml gives the pack", "[pack]" in out)
    print("smoke run passed:", shlex.join(kenpo), flush=True)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        raise SystemExit(__doc__)
    smoke(args)


if __name__ == "__main__":
    main()
