"""kenpo's data files (``kenpo_cli/data/*.toml``): the rule pack and the message catalogues.

The TOML files are the only source. When kenpo is built into a wheel (``pip install
.``), ``setup.py`` also writes each file's parsed data as a Python module in
``kenpo_cli/_compiled`` (:func:`compile_to`); pip compiles those to bytecode, and
loading one costs a fraction of parsing TOML on every one-shot call
(benchmarks/oneshot.py). Without them (an editable install, a source checkout) the
TOML is parsed, with the same result (tests/unit/test_datafiles.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

DATA = os.path.join(os.path.dirname(__file__), "data")
COMPILED = "kenpo_cli._compiled"


def text(name: str) -> str:
    """The text of ``kenpo_cli/data/<name>``.

    Read as a file beside the code where kenpo is installed as a directory (a wheel, a
    source checkout, a PyInstaller folder): the cheapest read for every one-shot call.
    In a zip (``kenpo.pyz``) there is no such file: a built kenpo carries the text in its
    compiled module; else :mod:`importlib.resources` reads it from the zip.
    """
    try:
        with open(os.path.join(DATA, name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        pass
    carried: str | None = getattr(_compiled(module_name(name)), "TEXT", None)
    if carried is not None:
        return carried
    found: str = _resource(name).read_text(encoding="utf-8")
    return found


def names() -> list[str]:
    """The names of the files in ``kenpo_cli/data`` (beside the code, or in a zip)."""
    try:
        return os.listdir(DATA)
    except OSError:
        pass
    listed: tuple[str, ...] | None = getattr(_compiled(""), "NAMES", None)
    if listed is not None:
        return list(listed)
    return [entry.name for entry in _resource().iterdir()]


def _compiled(module: str) -> Any:
    """``kenpo_cli._compiled.<module>`` (the package itself for ""), None if not built so."""
    try:
        return __import__(f"{COMPILED}.{module}" if module else COMPILED, fromlist=["DATA"])
    except ModuleNotFoundError:
        return None


def _resource(name: str = "") -> Any:
    """``kenpo_cli/data/<name>`` as :mod:`importlib.resources` finds it, wherever the
    package was loaded from. (Imported only then: it costs more than a one-shot read,
    and more again from a zip.)"""
    from importlib.resources import files

    folder = files("kenpo_cli").joinpath("data")
    return folder.joinpath(name) if name else folder


def module_name(name: str) -> str:
    """The compiled module of a data file: ``messages.ja.toml`` is ``messages_ja``."""
    return name.removesuffix(".toml").replace(".", "_").replace("-", "_")


def load(name: str) -> Mapping[str, Any]:
    """The parsed content of ``kenpo_cli/data/<name>``: compiled if built so, else parsed.

    A compiled message catalogue comes section by section, each loaded when first asked
    for: a one-shot call needs a few of them, never the help texts or the questions."""
    compiled = _compiled(module_name(name))
    if compiled is None:
        import tomli

        parsed: dict[str, Any] = tomli.loads(text(name))
        return parsed
    sections: tuple[str, ...] | None = getattr(compiled, "SECTIONS", None)
    if sections is not None:
        return Sections(module_name(name), sections, compiled.SMALL)
    data: dict[str, Any] = compiled.DATA
    return data


class Sections(Mapping[str, Any]):
    """A compiled catalogue's sections, each imported on first use (then kept)."""

    def __init__(self, module: str, names: tuple[str, ...], small: dict[str, Any]) -> None:
        self._module, self._names = module, names
        self._loaded: dict[str, Any] = dict(small)  # sections small enough to come along

    def __getitem__(self, section: str) -> Any:
        if section not in self._loaded:
            if section not in self._names:
                raise KeyError(section)
            part = __import__(f"{COMPILED}.{self._module}__{section}", fromlist=["DATA"])
            self._loaded[section] = part.DATA
        return self._loaded[section]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


_SMALL = 1000  # characters: a section this small comes with its catalogue's module


def compile_to(folder: str | Path, source: str | Path = DATA) -> list[Path]:
    """Write every TOML file of ``source`` as a Python module in ``folder`` (the package
    kenpo_cli._compiled of a build); returns the modules written."""
    import tomllib

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    init = out / "__init__.py"
    tomls = sorted(Path(source).glob("*.toml"))
    init.write_text(
        '"""kenpo\'s data files as Python: written when kenpo was built."""\n\n'
        f"NAMES = {tuple(t.name for t in tomls)!r}  # the files of kenpo_cli/data\n",
        encoding="utf-8",
    )
    written = [init]
    for toml in tomls:
        raw = toml.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
        name = module_name(toml.name)
        note = f"# Written from kenpo_cli/data/{toml.name} when kenpo was built: do not edit.\n"
        if toml.name.startswith("messages."):  # a catalogue: one module per section
            filled = {section: table for section, table in data.items() if table}
            small = {s: t for s, t in filled.items() if len(repr(t)) < _SMALL}
            for section, table in filled.items():
                if section not in small:
                    part = out / f"{name}__{section}.py"
                    part.write_text(f"{note}DATA = {table!r}\n", encoding="utf-8")
                    written.append(part)
            # An empty section is as good as none; a small one costs less than an import.
            body = f"SECTIONS = {tuple(filled)!r}\nSMALL = {small!r}\n"
        else:
            # The text too, for `rules show --toml` from a zip, where no file is beside it.
            body = f"import datetime\n\nDATA = {data!r}\nTEXT = {raw!r}\n"
        module = out / f"{name}.py"
        module.write_text(note + body, encoding="utf-8")
        written.append(module)
    return written
