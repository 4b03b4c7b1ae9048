"""kenpo: which health-insurance documents to carry, keep, return or renew."""

from __future__ import annotations

from pathlib import Path


def __getattr__(name: str) -> str:
    """``kenpo_cli.__version__``, looked up when asked for (``--version``, a calendar's
    PRODID) rather than on every run: reading package metadata costs milliseconds."""
    if name == "__version__":
        return version()
    raise AttributeError(name)


def version(source: Path | None = None) -> str:
    """kenpo's version, written in one place: pyproject.toml.

    A source tree (``python -m kenpo_cli`` in a checkout) reads it from its
    pyproject.toml, which may be newer than what is installed; an installed kenpo from
    its package metadata; a copy that has neither (a zip of the package) says so.
    """
    pyproject = source or Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        import tomllib

        with pyproject.open("rb") as file:
            project = tomllib.load(file).get("project", {})
        if project.get("name") == "kenpo" and isinstance(project.get("version"), str):
            return str(project["version"])
    except (OSError, ValueError):  # no such file, or not ours to read
        pass
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("kenpo")
    except PackageNotFoundError:
        return "unknown"
