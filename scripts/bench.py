"""Benchmark of single-report linting (issue 8): wall time and peak memory per report for each
input format, PDF pages per second, the start-up time of ``nianbao-lint --version``, the naive
pdfplumber baseline (open, then extract_text and extract_tables on every page) on the same PDFs,
a generated 100-page PDF linted in a fresh process (time, peak resident memory), and the cost
of the defences against hostile input (issue 15): reading PDF and DOCX files in a bounded child
process, per file; the peak memory of ``check`` over many files; hostile inputs end to end.

    python scripts/bench.py            # numbers for the README
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, *args):
    """Wall time of a first call, the best of three more (the label caches warm, as in a long
    batch where every report repeats the official labels), then peak traced memory in a last
    call (tracing slows the code several-fold, so it is never on while the clock runs)."""
    start = time.perf_counter()
    fn(*args)
    first = time.perf_counter() - start
    again = []
    for _ in range(3):
        start = time.perf_counter()
        fn(*args)
        again.append(time.perf_counter() - start)
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return first, min(again), peak


def naive(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


BIG_PDF_CHILD = """
import sys, time
from linter import engine
from linter.api import lint_file
import pdfplumber.table, pypdfium2
def peak_mb():  # VmHWM, unlike ru_maxrss, starts afresh at exec instead of keeping the parent's peak
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
rules = engine.load_rules()
before = peak_mb()
start = time.perf_counter()
lint_file(sys.argv[1], rules)
seconds = time.perf_counter() - start
print(seconds, before, peak_mb())
"""


def big_pdf(pages: int, out: Path) -> None:
    """A report-like PDF of ``pages`` pages: the pages of a real report, repeated."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(ROOT / "fixtures" / "real" / "2024_huaian-shi_1.pdf")
    book = pdfium.PdfDocument.new()
    while len(book) < pages:
        book.import_pages(source)
    while len(book) > pages:
        book.del_page(len(book) - 1)
    book.save(out)


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
    files = sorted(p for d in ("real", "seeds", "generated") for p in (ROOT / "fixtures" / d).iterdir()
                   if p.suffix in (".pdf", ".docx"))
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
            print(f"reader process for {suffix} ({len(mine)} files): median read {here:.0f} ms in place, "
                  f"{extra:+.1f} ms per file in the reader (x{ratio:.2f})")


def batch_memory(copies: tuple[int, ...] = (20, 400)) -> None:
    """Peak resident memory of a fresh process linting a folder of N copies of real reports."""
    sources = sorted((ROOT / "fixtures" / "real").glob("*.txt"))[:10]
    peaks = []
    for n in copies:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(n):
                src = sources[i % len(sources)]
                (Path(tmp) / f"{i:04d}_{src.name}").write_bytes(src.read_bytes())
            out = subprocess.run([sys.executable, "-c", BATCH_CHILD, tmp], capture_output=True, text=True,
                                 check=True, cwd=ROOT).stdout
            peaks.append(float(out))
    print("check over many reports, peak resident memory: "
          + ", ".join(f"{n} files {mb:.0f} MB" for n, mb in zip(copies, peaks))
          + f" ({(peaks[-1] - peaks[0]) / (copies[-1] - copies[0]) * 1024:.0f} KB more per file)")


def hostile_inputs() -> None:
    """Each hostile input of the tests through ``lint_file`` with the default limits."""
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile

    from linter import engine
    from linter.api import lint_file

    rules = engine.load_rules()
    inputs = {"fanout.pdf": hostile.fanout_pdf(), "grid.pdf": hostile.grid_pdf(),
              "rowspan.html": hostile.rowspan_html(), "tags.html": b"<a" * 500_000,
              "scripts.html": b"<html><body>" + b"<script" * 150_000,
              "spaces.txt": "一、总体情况 ".encode() + b" " * 1_000_000 + b"x\n"}
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in inputs.items():
            path = Path(tmp) / name
            path.write_bytes(data)
            start = time.perf_counter()
            result = lint_file(path, rules)
            outcome = result.error or (result.findings[0].message if result.findings else "no finding")
            print(f"hostile {name:13} {len(data) / 1024:7.0f} KB  {time.perf_counter() - start:6.2f} s  {outcome[:60]}")


def main() -> None:
    from linter import engine
    from linter.api import lint_file

    rules = engine.load_rules()
    files = sorted(p for d in ("real", "seeds", "generated") for p in (ROOT / "fixtures" / d).iterdir()
                   if p.suffix != ".tsv")
    for suffix in (".txt", ".html", ".docx", ".pdf"):  # imports and rule files loaded once, as in a batch
        lint_file(next(p for p in files if p.suffix == suffix), rules)
    by_format: dict[str, list[tuple[float, float, int]]] = {}
    for path in files:
        by_format.setdefault(path.suffix, []).append(timed(lint_file, path, rules))
    print("format  files  median ms: first run  steady  max ms (first)  peak MB (traced)")
    for suffix, runs in sorted(by_format.items()):
        first = [f * 1000 for f, _, _ in runs]
        steady = [s * 1000 for _, s, _ in runs]
        print(f"{suffix:6} {len(runs):6}  {statistics.median(first):19.0f}  {statistics.median(steady):6.0f}  "
              f"{max(first):14.0f}  {max(p for _, _, p in runs) / 2**20:16.1f}")
    import pdfplumber

    pdfs = sorted((ROOT / "fixtures" / "real").glob("*.pdf"))  # the ratio is over the real reports
    ours, base, pages = [], [], 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)
        ours.append(timed(lint_file, path, rules)[1])
        base.append(timed(naive, path)[1])
    print(f"real PDF reports: {pages} pages in {len(pdfs)} files; nianbao-lint {pages / sum(ours):.1f} pages/s, "
          f"median {statistics.median(ours):.2f} s per report; naive pdfplumber median {statistics.median(base):.2f} s; "
          f"ratio naive/ours {statistics.median(b / o for b, o in zip(base, ours)):.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "100-pages.pdf"
        big_pdf(100, path)
        out = subprocess.run([sys.executable, "-c", BIG_PDF_CHILD, str(path)], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split()
        seconds, before, peak = map(float, out)
        print(f"100-page PDF: {seconds:.2f} s ({100 / seconds:.0f} pages/s), peak resident memory {peak:.0f} MB "
              f"({before:.0f} MB before reading it)")
    starts = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "linter", "--version"], check=True, capture_output=True)
        starts.append(time.perf_counter() - start)
    print(f"nianbao-lint --version: median {statistics.median(starts):.3f} s")
    isolation_cost()
    batch_memory()
    hostile_inputs()


if __name__ == "__main__":
    main()
