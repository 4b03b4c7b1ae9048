"""One version, from one place: pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import kenpo_cli
from tests.inprocess import run_main

ROOT = Path(__file__).resolve().parents[2]


def written() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def test_version_says_what_pyproject_says(monkeypatch: pytest.MonkeyPatch) -> None:
    r = run_main(monkeypatch, ["--version"])
    assert r.status == 0 and r.stdout == f"kenpo {written()}\n"


def test_the_readme_names_the_same_version() -> None:
    major_minor = ".".join(written().split(".")[:2])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"describes kenpo {re.escape(major_minor)}\b", readme)


def test_without_a_pyproject_the_installed_metadata_answers(tmp_path: Path) -> None:
    # An installed kenpo has no pyproject.toml beside it; the package metadata (written
    # from pyproject.toml when installed) gives the same version.
    assert kenpo_cli.version(tmp_path / "pyproject.toml") == written()


def test_another_projects_pyproject_is_not_read(tmp_path: Path) -> None:
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "other"\nversion = "9.9"\n', encoding="utf-8")
    assert kenpo_cli.version(other) == written()


def test_a_copy_with_neither_says_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert kenpo_cli.version(tmp_path / "pyproject.toml") == "unknown"
