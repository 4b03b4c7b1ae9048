"""Build kenpo.pyz: kenpo and its pure-Python dependencies in one file, for an office
that has Python (3.11 or later) but cannot ``pip install``.

    python tools/build_pyz.py [-o dist/kenpo.pyz]

Run it with the Python the office has (``py -3.12 tools\\build_pyz.py`` on Windows):
the file runs on any Python from 3.11, but starts fastest on the version it was built
with, whose bytecode it carries. The office runs ``python kenpo.pyz batch 社員.csv -o
結果.csv`` (or double-clicks nothing: it is a command-line tool).

Only the standard library builds it (pip, compileall, zipapp):

1. kenpo is built as a wheel (which also writes its data files as Python, setup.py) and
   installed with its dependencies into a folder, from wheels that hold no compiled code
   (``--platform any``: tomli's pure-Python wheel, say, not its compiled one); a
   dependency that is only compiled code is replaced by a pure-Python one doing its work
   (:data:`IN_PLACE_OF`: openpyxl reads .xlsx where python-calamine cannot be had); a
   file that is a native extension anyway stops the build, since Python cannot import
   one from a zip;
2. every module is compiled to bytecode beside its source (zipimport reads ``x.pyc``, not
   ``__pycache__``), hash-based and unchecked: a zip's times are too coarse to compare;
3. ``zipapp`` puts the folder into one file that starts ``kenpo_cli.cli.entry:main``.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tempfile
import zipapp
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIVE = (".so", ".pyd", ".dylib", ".dll")


def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


# Dependencies that exist only as compiled code, and the pure-Python package that does
# their work in kenpo.pyz (kenpo_cli/batch/xlsx.py falls back to it).
IN_PLACE_OF = {"python-calamine": "openpyxl>=3.1"}


def pure_requirements(wheel: Path) -> list[str]:
    """kenpo's requirements as the wheel states them, each compiled-only one replaced
    by its pure-Python stand-in (kenpo itself is installed without its own)."""
    import re
    import zipfile

    with zipfile.ZipFile(wheel) as whl:
        (meta,) = (n for n in whl.namelist() if n.endswith(".dist-info/METADATA"))
        lines = whl.read(meta).decode("utf-8").splitlines()
    wanted = []
    for line in lines:
        if not line.startswith("Requires-Dist:") or "extra ==" in line:
            continue
        requirement = line.split(":", 1)[1].strip()
        name = re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower()
        wanted.append(IN_PLACE_OF.get(name, requirement))
    return wanted


def build(out: Path) -> Path:
    """Build ``out`` from the checkout this script is in; returns it."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    with tempfile.TemporaryDirectory(prefix="kenpo-pyz-") as work:
        wheels, app = Path(work, "wheels"), Path(work, "app")
        pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
        (wheel,) = wheels.glob("kenpo-*.whl")
        pure = ["--only-binary=:all:", "--platform", "any", "--python-version", version]
        pure += ["--implementation", "py"]
        pip("install", "--quiet", "--target", str(app), *pure, "--no-deps", str(wheel))
        pip("install", "--quiet", "--target", str(app), *pure, *pure_requirements(wheel))
        native = [p.relative_to(app) for p in app.rglob("*") if p.name.endswith(NATIVE)]
        if native:
            raise SystemExit(f"native extensions cannot run from a zip: {native}")
        shutil.rmtree(app / "bin", ignore_errors=True)  # console scripts: of no use here
        for cache in list(app.rglob("__pycache__")):
            shutil.rmtree(cache)
        import py_compile

        compileall.compile_dir(
            app,
            quiet=1,
            legacy=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        zipapp.create_archive(
            app,
            out,
            interpreter="/usr/bin/env python3",
            main="kenpo_cli.cli.entry:main",
            compressed=True,
        )
    print(f"built {out} ({out.stat().st_size / 1e6:.1f} MB, bytecode for Python {version})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "dist" / "kenpo.pyz")
    build(parser.parse_args().output.resolve())


if __name__ == "__main__":
    main()
