"""Time the one-shot paths against starting Python with Typer, in the same run.

    python benchmarks/oneshot.py [--runs N]

Prints the median and the fastest wall time of each command and their ratios to
`python -c "import typer"`. Target (issues 2, 8, 12, 14, 20): each one-shot path at most
1.3x. kenpo loads with the collector paused; a second line loads Typer alone that way, to
show kenpo's own share apart from what the pause saves on Typer's import.
Wall time swings with whatever else the machine does; `--instructions` also counts the
instructions each command executes (valgrind's callgrind: the same count on every run,
whatever the load), the steadier figure to compare changes by.
The rounds are interleaved so that machine load touches every command alike, and
bytecode caching is left on (as for an installed package), whatever the shell says.
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
from pathlib import Path

KENPO = shutil.which("kenpo", path=str(Path(sys.executable).parent)) or "kenpo"
# kenpo loads itself and Typer with the collector paused, then sets what it loaded aside
# (kenpo_cli/cli/entry.py): the second line loads Typer alone that way, so that kenpo's
# own share can be read apart from what the pause saves on Typer's import.
PAUSED = "import gc; gc.disable(); import typer; gc.freeze(); gc.enable()"
COMMANDS = {
    "python -c 'import typer'": [sys.executable, "-c", "import typer"],
    "  the same, collector paused": [sys.executable, "-c", PAUSED],
    "kenpo expiry --json": [KENPO, "expiry", "--json", "--date", "2026-11-26",
                            "--cert-expiry", "2026-11-15"],
    "kenpo check --no-input --json": [KENPO, "check", "--no-input", "--json", "--as-of",
                                      "2026-10-20", "--myna", "yes", "--cert-expiry",
                                      "2026-08-15", "--kakuninsho", "held"],
}  # fmt: skip


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - start


def instructions(cmd: list[str], env: dict[str, str] | None = None) -> int:
    """The instructions ``cmd`` executes, counted by valgrind's callgrind (in ``env``,
    else this script's)."""
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}", *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            env=env or ENV,
            cwd=tempfile.gettempdir(),  # not a checkout, whose kenpo_cli would be imported
        )
        for line in Path(out.name).read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no total")


def count_instructions() -> None:
    if not shutil.which("valgrind"):
        print("instructions: valgrind is not installed")
        return
    counts = {name: instructions(cmd) for name, cmd in COMMANDS.items()}
    base = counts["python -c 'import typer'"]
    paused = counts["  the same, collector paused"]
    print("instructions executed (callgrind), the same on every run; ratios to the first")
    print("line (the target's) and to the second (Typer loaded as kenpo loads it)")
    for name, count in counts.items():
        print(f"  {name:31s} {count / 1e6:7.1f} M  {count / base:5.3f}x  {count / paused:5.3f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args()
    runs = args.runs
    for cmd in COMMANDS.values():  # warm the file cache and write .pyc files
        seconds(cmd)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, cmd in COMMANDS.items():
            samples[name].append(seconds(cmd))
    baseline = samples["python -c 'import typer'"]
    med, low = statistics.median(baseline), min(baseline)
    print(f"{runs} interleaved runs per command; wall time, median and fastest")
    for name, times in samples.items():
        m, f = statistics.median(times), min(times)
        print(f"  {name:31s} {m * 1e3:6.1f} ms {m / med:5.2f}x   {f * 1e3:6.1f} ms {f / low:5.2f}x")
    print("target: one-shot paths at most 1.30x the typer baseline")
    if args.instructions:
        count_instructions()


if __name__ == "__main__":
    main()
