"""Benchmark of batch audits: generates a batch of reports of mixed formats from the fixtures,
audits it with 1 and with 2 workers, then re-runs with nothing changed. Prints reports/second.

    python scripts/bench_audit.py [--reports 500]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(folder: Path, n: int) -> dict[str, int]:
    """n reports cycling through the real and seed fixtures; text formats get a unique line so
    that every file has its own content hash."""
    sources = sorted(p for d in ("real", "seeds") for p in (ROOT / "fixtures" / d).iterdir() if p.suffix != ".tsv")
    counts: dict[str, int] = {}
    for i in range(n):
        src = sources[i % len(sources)]
        region = folder / f"region{i % 7}"
        region.mkdir(exist_ok=True)
        dest = region / f"{i:04d}_{src.name}"
        if src.suffix in (".txt", ".md"):
            dest.write_text(src.read_text(encoding="utf-8") + f"\n（批次样本 {i}）\n", encoding="utf-8")
        else:
            shutil.copy(src, dest)
        counts[src.suffix] = counts.get(src.suffix, 0) + 1
    return counts


def timed(folder: Path, db: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "linter", "audit", str(folder), "--db", str(db), "-j", str(jobs)],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "batch"
        folder.mkdir()
        counts = generate(folder, args.reports)
        print(f"{args.reports} reports: " + ", ".join(f"{n} {s[1:]}" for s, n in sorted(counts.items())))
        for jobs in (1, 2):
            seconds = timed(folder, Path(tmp) / f"j{jobs}.sqlite", jobs)
            print(f"-j {jobs}: {seconds:6.1f} s  {args.reports / seconds:5.1f} reports/s")
        seconds = timed(folder, Path(tmp) / "j2.sqlite", 2)
        print(f"re-run, nothing changed: {seconds:.2f} s")


if __name__ == "__main__":
    main()
