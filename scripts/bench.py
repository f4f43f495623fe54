"""Benchmark of single-report linting (issue 8): wall time and peak memory per report for each
input format, PDF pages per second, the start-up time of ``nianbao-lint --version``, the naive
pdfplumber baseline (open, then extract_text and extract_tables on every page) on the same PDFs,
and a generated 100-page PDF linted in a fresh process (time, peak resident memory).

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


if __name__ == "__main__":
    main()
