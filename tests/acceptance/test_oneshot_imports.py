"""The one-shot JSON paths stay light: no questionary, no icalendar, and no rich unless drawing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import io, json, sys, contextlib
sys.argv = ["kenpo", *json.loads(sys.argv[1])]
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        from kenpo_cli.cli.app import main
        main()
except SystemExit:
    pass
heavy = sorted(
    {m.split(".")[0] for m in sys.modules} & {"questionary", "rich", "prompt_toolkit", "icalendar"}
)
print(json.dumps(heavy))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["expiry", "--json", "--cert-expiry", "2026-11-15"],
        ["check", "--no-input", "--json", "--myna", "yes", "--cert-expiry", "2026-08-15"],
        ["check", "--no-input", "--plain", "--myna", "no", "--kakuninsho", "held"],
        ["expiry", "--check", "kakuninsho", "--quiet"],
    ],
)
def test_one_shot_paths_do_not_import_the_interactive_libraries(args: list[str]) -> None:
    r = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []
