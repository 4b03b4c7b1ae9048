"""Time kenpo.pyz (one file, tools/build_pyz.py) against kenpo installed, in the same run.

    python benchmarks/pyz.py [--pyz dist/kenpo.pyz] [--runs 21]

Builds kenpo.pyz unless given one, and unpacks the same files into a folder: that
folder is kenpo as pip installs it (the same modules, read from disk), so the two
differ only in being zipped. The installed ``kenpo`` command of this environment is
timed too. Prints the median and fastest wall time of ``expiry --json`` and ``check
--no-input --json`` for each, and the pyz's ratios to the folder and to the command.
Target (issue 24): the pyz at most 1.5x the installed command.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KENPO = shutil.which("kenpo", path=str(Path(sys.executable).parent)) or "kenpo"
ARGS = {
    "expiry --json": ["expiry", "--json", "--date", "2026-11-26", "--cert-expiry", "2026-11-15"],
    "check --no-input --json": ["check", "--no-input", "--json", "--as-of", "2026-10-20",
                                "--myna", "yes", "--cert-expiry", "2026-08-15",
                                "--kakuninsho", "held"],
}  # fmt: skip
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        env=ENV,
        cwd=tempfile.gettempdir(),  # not a checkout, whose kenpo_cli would be imported
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pyz", type=Path, help="an existing kenpo.pyz (else one is built)")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kenpo-bench-") as work:
        pyz = args.pyz
        if pyz is None:
            sys.path.insert(0, str(ROOT / "tools"))
            from build_pyz import build

            pyz = build(Path(work, "kenpo.pyz"))
        folder = Path(work, "installed")
        with zipfile.ZipFile(pyz) as z:
            z.extractall(folder)
        runners = {
            "installed command": [KENPO],
            "same files, a folder": [sys.executable, str(folder)],
            "kenpo.pyz": [sys.executable, str(pyz.resolve())],
        }
        for name, args_ in ARGS.items():
            cmds = {who: [*run, *args_] for who, run in runners.items()}
            for cmd in cmds.values():  # warm the file cache and write .pyc files
                seconds(cmd)
            samples: dict[str, list[float]] = {who: [] for who in cmds}
            for _ in range(args.runs):
                for who, cmd in cmds.items():
                    samples[who].append(seconds(cmd))
            print(f"{name}: {args.runs} interleaved runs, wall time median and fastest")
            for who, times in samples.items():
                print(f"  {who:22s} {statistics.median(times) * 1e3:6.1f} ms "
                      f"{min(times) * 1e3:6.1f} ms")  # fmt: skip
            pyz_m, pyz_f = statistics.median(samples["kenpo.pyz"]), min(samples["kenpo.pyz"])
            for who in ("installed command", "same files, a folder"):
                m, f = statistics.median(samples[who]), min(samples[who])
                print(f"  kenpo.pyz / {who:22s} {pyz_m / m:5.2f}x median {pyz_f / f:5.2f}x fastest")
    print("target: kenpo.pyz at most 1.50x the installed command")


if __name__ == "__main__":
    main()
