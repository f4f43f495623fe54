"""Cost of the defences against hostile input (issue 15), measured by ``scripts/bench.py``:
reading PDF and DOCX files in a bounded child process, per file; the peak memory of ``check``
over many files; hostile inputs end to end.

    python scripts/bench_defences.py
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("linter") is None:  # not installed: the checkout's own (an installed one has its rules)
    sys.path.insert(0, str(ROOT))


BATCH_CHILD = """
import sys
from linter import engine
from linter.api import lint_paths
lint_paths([sys.argv[1]], engine.load_rules())
with open("/proc/self/status") as status:
    print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024)
"""


def isolation_cost() -> None:
    """Reading (load and parse) each PDF and DOCX fixture in place and in a bounded child: the
    steady time of each (best of five), and the median difference per file."""
    from linter.api import read
    from linter.config import Limits

    limits = Limits(max_seconds=0)
    files = sorted(
        p
        for d in ("real", "seeds", "generated")
        for p in (ROOT / "fixtures" / d).iterdir()
        if p.suffix in (".pdf", ".docx")
    )
    rows = []
    for path in files:
        best = {}
        for isolate in (False, True, False, True):
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                read(path, limits, isolate=isolate)
                runs.append(time.perf_counter() - start)
            best[isolate] = min(min(runs), best.get(isolate, 1e9))
        rows.append((path.suffix, best[False], best[True]))
    for suffix in (".pdf", ".docx"):
        mine = [(a, b) for s, a, b in rows if s == suffix]
        if mine:
            extra = statistics.median(b - a for a, b in mine) * 1000
            ratio = statistics.median(b / a for a, b in mine)
            here = statistics.median(a for a, _ in mine) * 1000
            print(
                f"reader process for {suffix} ({len(mine)} files): median read {here:.0f} ms in place, "
                f"{extra:+.1f} ms per file in the reader (x{ratio:.2f})"
            )


def batch_memory(copies: tuple[int, ...] = (20, 400)) -> None:
    """Peak resident memory of a fresh process linting a folder of N copies of real reports."""
    sources = sorted((ROOT / "fixtures" / "real").glob("*.txt"))[:10]
    peaks = []
    for n in copies:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(n):
                src = sources[i % len(sources)]
                (Path(tmp) / f"{i:04d}_{src.name}").write_bytes(src.read_bytes())
            out = subprocess.run(
                [sys.executable, "-c", BATCH_CHILD, tmp], capture_output=True, text=True, check=True, cwd=tmp
            ).stdout
            peaks.append(float(out))
    print(
        "check over many reports, peak resident memory: "
        + ", ".join(f"{n} files {mb:.0f} MB" for n, mb in zip(copies, peaks))
        + f" ({(peaks[-1] - peaks[0]) / (copies[-1] - copies[0]) * 1024:.0f} KB more per file)"
    )


def hostile_inputs() -> None:
    """Each hostile input of the tests through ``lint_file`` with the default limits."""
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile

    from linter import engine
    from linter.api import lint_file

    rules = engine.load_rules()
    inputs = {
        "fanout.pdf": hostile.fanout_pdf(),
        "grid.pdf": hostile.grid_pdf(),
        "rowspan.html": hostile.rowspan_html(),
        "tags.html": b"<a" * 500_000,
        "scripts.html": b"<html><body>" + b"<script" * 150_000,
        "spaces.txt": "一、总体情况 ".encode() + b" " * 1_000_000 + b"x\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in inputs.items():
            path = Path(tmp) / name
            path.write_bytes(data)
            start = time.perf_counter()
            result = lint_file(path, rules)
            outcome = result.error or (result.findings[0].message if result.findings else "no finding")
            print(f"hostile {name:13} {len(data) / 1024:7.0f} KB  {time.perf_counter() - start:6.2f} s  {outcome[:60]}")


def main() -> None:
    isolation_cost()
    batch_memory()
    hostile_inputs()


if __name__ == "__main__":
    main()
