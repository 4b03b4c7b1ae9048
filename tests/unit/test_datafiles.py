"""The data files as a wheel carries them: compiled to Python, the same data as the TOML.

A built kenpo reads kenpo_cli/_compiled (written by setup.py); a checkout parses the
TOML. Both must give the same messages and the same rule pack.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kenpo_cli import datafiles, i18n


@pytest.fixture
def compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """kenpo_cli._compiled as a build writes it, importable from ``tmp_path``.

    The catalogues kenpo keeps once read are forgotten before and after, so a catalogue
    read from these modules never serves a later test (nor one read before, this)."""
    i18n.catalogue.cache_clear()
    package = tmp_path / "kenpo_cli" / "_compiled"
    datafiles.compile_to(package)
    root = tmp_path / "kenpo_cli"
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith("kenpo_cli._compiled")]:
        monkeypatch.delitem(sys.modules, name)
    import kenpo_cli

    monkeypatch.setattr(kenpo_cli, "__path__", [*kenpo_cli.__path__, str(root)])
    importlib.invalidate_caches()
    yield package
    # What the test imported from them goes too (monkeypatch restores only what it removed).
    for name in [m for m in sys.modules if m.startswith("kenpo_cli._compiled")]:
        del sys.modules[name]
    i18n.catalogue.cache_clear()


@pytest.mark.parametrize("name", sorted(p.name for p in Path(datafiles.DATA).glob("*.toml")))
def test_every_compiled_file_is_its_toml(compiled: Path, name: str) -> None:
    parsed = tomllib.loads(datafiles.text(name))
    loaded = datafiles.load(name)
    assert {key: loaded[key] for key in loaded} == {k: v for k, v in parsed.items() if v}
    assert all(loaded.get(key, {}) == value for key, value in parsed.items())


def test_a_catalogue_loads_only_the_sections_asked_for(compiled: Path) -> None:
    messages = datafiles.load("messages.ja.toml")
    assert isinstance(messages, datafiles.Sections)
    assert "help" in messages and "kenpo" in messages["help"]
    assert messages.get("no_such_section") is None
    loaded = {m for m in sys.modules if m.startswith("kenpo_cli._compiled.messages_ja__")}
    assert loaded == {"kenpo_cli._compiled.messages_ja__help"}  # nothing else was read


def test_a_built_kenpo_in_a_zip_reads_its_data_from_the_compiled_modules(
    compiled: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In kenpo.pyz no data file is a file on disk: the compiled modules carry the rule
    pack's text and the list of files, so a one-shot call never opens the zip again
    through importlib.resources (which costs more than the whole call's own work)."""
    originals = {name: datafiles.text(name) for name in ("rules.toml", "messages.en.toml")}
    resource = datafiles._resource
    monkeypatch.setattr(datafiles, "DATA", str(tmp_path / "kenpo.pyz" / "kenpo_cli" / "data"))

    def no_resources(name: str = "") -> None:
        raise AssertionError(f"importlib.resources asked for {name!r}")

    monkeypatch.setattr(datafiles, "_resource", no_resources)
    assert datafiles.text("rules.toml") == originals["rules.toml"]
    assert "messages.easy.toml" in datafiles.names()
    monkeypatch.setattr(datafiles, "_resource", resource)  # for what is not carried
    assert datafiles.text("messages.en.toml") == originals["messages.en.toml"]
