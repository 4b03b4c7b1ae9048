from __future__ import annotations

import pytest

from kenpo_cli.core import rulepack


@pytest.fixture(autouse=True)
def _fresh_file_record() -> None:
    """Each test starts as a run does: no file read, no output begun (kenpo_cli/io/safeio.py)."""
    from kenpo_cli.io import safeio

    safeio.reset()


@pytest.fixture
def pack() -> rulepack.RulePack:
    return rulepack.builtin()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="Rewrite tests/snapshots/ and the golden table from the current output.",
    )


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest.fixture(autouse=True)
def _locale_says_no_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's LANG=en_US.UTF-8 must not choose the language of tests that do not
    choose it themselves (kenpo reads the locale when --lang and KENPO_LANG are absent)."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
