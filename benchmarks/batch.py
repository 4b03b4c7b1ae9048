"""Time `kenpo batch` against a plain Python csv -> jsonl round trip of the same file.

    python benchmarks/batch.py [--rows 100000] [--memory-rows 10000 100000 1000000] [--ics]

Generates realistic CP932 files (employee number, name with 髙/﨑, department,
facts in the words HR sheets use, 和暦 and ISO dates), then prints the wall time of
both in the same run and their ratio (target, issue 4: at most 3x), and the peak
memory (max RSS) of `kenpo batch` for each size in --memory-rows (bounded caches fill
in the first rows; after that it must not grow with the file). ``--ics`` also writes
the office calendar (its events stream to the file: memory must stay flat too).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KENPO = shutil.which("kenpo", path=str(Path(sys.executable).parent)) or "kenpo"
HEADER = (
    "社員番号,氏名,所属,マイナ保険証,電子証明書有効期限,資格確認書,資格情報のお知らせ,"
    "資格喪失日,備考"
)
NAMES = ["髙橋", "山﨑", "佐藤", "鈴木", "田中", "伊藤", "渡辺", "小林", "加藤", "吉田"]
GIVEN = ["一郎", "花子", "次郎", "美咲", "健太", "さくら", "翔", "陽菜"]
DEPTS = ["総務部", "営業部", "製造部", "物流部", "㈱関連会社出向"]

PLAIN = """
import csv, json, sys
with open(sys.argv[1], encoding="cp932", newline="") as f, open(sys.argv[2], "w") as out:
    rows = csv.reader(f)
    header = next(rows)
    for n, row in enumerate(rows, 1):
        out.write(json.dumps({"row": n, **dict(zip(header, row))}, ensure_ascii=False) + "\\n")
"""


def row(n: int, rng: random.Random) -> str:
    myna = rng.choices(["はい", "いいえ", "わからない", "紛失"], [70, 22, 6, 2])[0]
    cert = ""
    if myna == "はい" and rng.random() < 0.6:
        year, month = rng.randint(2026, 2030), rng.randint(1, 12)
        cert = (
            f"R{year - 2018}.{month}.{rng.randint(1, 28)}"
            if rng.random() < 0.5
            else f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        )
    kakuninsho = rng.choices(["有", "無", "紛失"], [25, 72, 3])[0]
    oshirase = rng.choices(["有", "無", "紛失"], [85, 10, 5])[0]
    left = ""
    if rng.random() < 0.1:
        left = f"2026-{rng.randint(1, 12):02d}-{rng.choice([1, 16]):02d}"
    name = f"{rng.choice(NAMES)} {rng.choice(GIVEN)}"
    note = rng.choice(["", "", "", "育休中", "①再雇用", "Ⅲ期入社"])
    return (
        f"E{n:07d},{name},{rng.choice(DEPTS)},{myna},{cert},{kakuninsho},{oshirase},{left},{note}"
    )


def generate(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    with open(path, "w", encoding="cp932", newline="\r\n") as f:
        f.write(HEADER + "\n")
        for n in range(1, rows + 1):
            f.write(row(n, rng) + "\n")


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak RSS (KiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"{cmd[:2]} failed with {status}")
    del before
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ics", action="store_true", help="also write the --ics calendar")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "staff.csv"
        generate(src, args.rows)
        size = src.stat().st_size / 1e6
        kenpo_cmd = [KENPO, "batch", str(src), "--as-of", "2026-11-26", "-o", f"{tmp}/out.jsonl"]
        if args.ics:
            kenpo_cmd += ["--ics", f"{tmp}/office.ics"]
        plain_cmd = [sys.executable, "-c", PLAIN, str(src), f"{tmp}/plain.jsonl"]
        kenpo_t, plain_t = [], []
        for _ in range(args.runs):
            plain_t.append(timed(plain_cmd)[0])
            kenpo_t.append(timed(kenpo_cmd)[0])
        k, p = min(kenpo_t), min(plain_t)
        print(f"{args.rows:,} rows, {size:.1f} MB CP932; fastest of {args.runs} runs")
        print(f"  plain csv -> jsonl   {p:7.2f} s")
        print(f"  kenpo batch          {k:7.2f} s   {k / p:.2f}x  (target: at most 3x)")
        print(f"  kenpo rows/second    {args.rows / k:,.0f}")
        for rows in args.memory_rows:
            generate(src, rows)
            seconds, rss = timed(kenpo_cmd)
            print(f"  peak memory at {rows:>9,} rows: {rss / 1024:6.1f} MiB  ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
