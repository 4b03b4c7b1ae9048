"""Time kenpo.pyz (one file, tools/build_pyz.py) against kenpo installed, in the same run.

    python benchmarks/pyz.py [--pyz dist/kenpo.pyz] [--runs 21]

Builds kenpo.pyz unless given one, and unpacks the same files into a folder: that
folder is kenpo as pip installs it (the same modules, read from disk), so the two
differ only in being zipped. The installed ``kenpo`` command of this environment is
timed too. Prints the median and fastest wall time of ``expiry --json`` and ``check
--no-input --json`` for each, the median CPU time (user + system: the steadier figure
on a busy machine), and the pyz's ratios to the folder and to the command.
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


def seconds(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``cmd``."""
    import resource  # not on Windows: run the benchmark on Linux or macOS

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        env=ENV,
        cwd=tempfile.gettempdir(),  # not a checkout, whose kenpo_cli would be imported
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
            samples: dict[str, list[tuple[float, float]]] = {who: [] for who in cmds}
            for _ in range(args.runs):
                for who, cmd in cmds.items():
                    samples[who].append(seconds(cmd))
            print(f"{name}: {args.runs} interleaved runs; wall median, fastest; CPU median")
            wall = {who: [w for w, _ in times] for who, times in samples.items()}
            cpu = {who: statistics.median(c for _, c in times) for who, times in samples.items()}
            for who in cmds:
                print(f"  {who:22s} {statistics.median(wall[who]) * 1e3:6.1f} ms "
                      f"{min(wall[who]) * 1e3:6.1f} ms  {cpu[who] * 1e3:6.1f} ms")  # fmt: skip
            pyz_w = wall["kenpo.pyz"]
            for who in ("installed command", "same files, a folder"):
                ratios = (
                    statistics.median(pyz_w) / statistics.median(wall[who]),
                    min(pyz_w) / min(wall[who]),
                    cpu["kenpo.pyz"] / cpu[who],
                )
                print(f"  kenpo.pyz / {who:22s} " + "  ".join(f"{r:5.2f}x" for r in ratios))
    print("target: kenpo.pyz at most 1.50x the installed command")


if __name__ == "__main__":
    main()
