"""Build kenpo as one folder with its own Python (PyInstaller, packaging/kenpo.spec) for
an office without Python, then smoke-run it.

    python tools/build_exe.py [--dist dist] [--venv build/exe-venv] [--no-smoke]

It makes a venv (``--venv``; kept, and reused by the next build), installs kenpo into it
as a wheel (so that its data files are also compiled, setup.py) with PyInstaller from
PyPI, and runs PyInstaller on the spec. The result is ``dist/kenpo/`` with ``kenpo``
(``kenpo.exe`` on Windows) inside: zip that folder and hand it over. PyInstaller builds
for the system it runs on: build on Windows for Windows (README, "Windows").
Then tools/smoke_run.py runs check, expiry and batch with the built command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sh(*cmd: str | Path, cwd: Path | None = None) -> None:
    print("$", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=cwd)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build(dist: Path, venv: Path) -> Path:
    """Build ``dist/kenpo/``; returns the command inside it."""
    python = venv_python(venv)
    if not python.exists():
        sh(sys.executable, "-m", "venv", venv)
    pip = (python, "-m", "pip", "--disable-pip-version-check", "install", "--quiet")
    sh(*pip, "pyinstaller>=6")
    sh(*pip, "--force-reinstall", "--no-deps", ROOT)  # this checkout, built as a wheel
    sh(*pip, ROOT)  # and its dependencies
    work = ROOT / "build" / "pyinstaller"
    work.mkdir(parents=True, exist_ok=True)
    # Run away from the checkout: `python -m` puts the current folder first on the path,
    # and the checkout's kenpo_cli lacks what the installed one has (kenpo_cli._compiled).
    sh(
        python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", dist, "--workpath", work, ROOT / "packaging" / "kenpo.spec",
        cwd=work,
    )  # fmt: skip
    exe = dist / "kenpo" / ("kenpo.exe" if os.name == "nt" else "kenpo")
    print(f"built {exe}", flush=True)
    return exe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "exe-venv")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    args = parser.parse_args()
    exe = build(args.dist.resolve(), args.venv.resolve())
    if not args.no_smoke:
        sh(sys.executable, ROOT / "tools" / "smoke_run.py", "--", exe)


if __name__ == "__main__":
    main()
