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
from pathlib import Path
from typing import Any

DATA = os.path.join(os.path.dirname(__file__), "data")
COMPILED = "kenpo_cli._compiled"


def text(name: str) -> str:
    """The text of ``kenpo_cli/data/<name>``.

    Read as a file beside the code: kenpo is installed as a directory, and this is the
    cheapest read for every one-shot call.
    """
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return f.read()


def module_name(name: str) -> str:
    """The compiled module of a data file: ``messages.ja.toml`` is ``messages_ja``."""
    return name.removesuffix(".toml").replace(".", "_").replace("-", "_")


def load(name: str) -> dict[str, Any]:
    """The parsed content of ``kenpo_cli/data/<name>``: compiled if built so, else parsed."""
    try:
        compiled = __import__(f"{COMPILED}.{module_name(name)}", fromlist=["DATA"])
    except ModuleNotFoundError:
        import tomli

        parsed: dict[str, Any] = tomli.loads(text(name))
        return parsed
    data: dict[str, Any] = compiled.DATA
    return data


def compile_to(folder: str | Path, source: str | Path = DATA) -> list[Path]:
    """Write every TOML file of ``source`` as a Python module in ``folder`` (the package
    kenpo_cli._compiled of a build); returns the modules written."""
    import tomllib

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    init = out / "__init__.py"
    init.write_text('"""kenpo\'s data files as Python: written when kenpo was built."""\n')
    written = [init]
    for toml in sorted(Path(source).glob("*.toml")):
        data = tomllib.loads(toml.read_text(encoding="utf-8"))
        module = out / f"{module_name(toml.name)}.py"
        module.write_text(
            f"# Written from kenpo_cli/data/{toml.name} when kenpo was built: do not edit.\n"
            f"import datetime\n\nDATA = {data!r}\n",
            encoding="utf-8",
        )
        written.append(module)
    return written
