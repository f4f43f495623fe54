"""Benchmark of single reports and batches against the targets of the speed issue, in one run.

Measures, on the bundled fixtures:

- each input format as a process (``nianbao-lint check --format json FILE``), twice: handed to
  a warm server (``linter.warm``, its own, in a temporary socket folder; the runs 0.5 s apart,
  as a user's checks are, and a text report once more back to back) and done wholly in its own
  process (``NIANBAO_LINT_WARM=0``); and ``nianbao-lint --version``: wall time of the whole
  process, median of N runs after a warm-up, with the package byte-compiled first and a warm
  compiled rule cache (its own, in a temporary ``XDG_CACHE_HOME``); a text report with no cache
  (a first run) beside it;
- the naive pdfplumber baseline on the same PDFs (open, then ``extract_text`` and
  ``extract_tables`` on every page), as a process and in-process, and the ratios;
- ``linter.lint(FILE)`` in-process per format (steady: imports and rules already loaded); a
  PDF also with its pages read by one reader process, not shared out among one per processor;
- a generated 100-page PDF in a fresh process: time and peak resident memory;
- audit rates, from ``scripts/bench_audit.py --json`` (rates at 1 and 2 workers, taken in turn,
  speed-up, re-audit of 10,000 unchanged reports);
- then (not with ``--quick``) the cost of the defences, ``scripts/bench_defences.py``.

Absolute times vary from machine to machine (and with the load on it); compare the ratios.

    python scripts/bench.py            # everything (several minutes)
    python scripts/bench.py --quick    # one file per format, 3 runs, no audit or 100-page PDF
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("linter") is None:  # not installed: the checkout's own (an installed one has its rules)
    sys.path.insert(0, str(ROOT))

NAIVE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
"""

BIG_PDF_CHILD = """
import sys, time
from linter.api import lint_file
from linter import engine
def peak_mb():  # VmHWM, unlike ru_maxrss, starts afresh at exec instead of keeping the parent's peak
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
rules = engine.load_rules()
start = time.perf_counter()
lint_file(sys.argv[1], rules)
seconds = time.perf_counter() - start
import resource
from linter import isolate
for reader in list(isolate._readers.values()):  # reaped, so that their peaks are counted
    reader.close(kill=False)
readers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest reader's
print(seconds, peak_mb(), readers)
"""

FORMATS = (".pdf", ".txt", ".md", ".docx", ".html")


def fixtures(suffix: str, most: int) -> list[Path]:
    """Real reports of a format first, then generated ones (the PDFs printed from real pages)."""
    found = [p for d in ("real", "generated") for p in sorted((ROOT / "fixtures" / d).glob(f"*{suffix}"))]
    return found[:most]


def command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m linter``."""
    script = Path(sys.executable).parent / "nianbao-lint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "linter"]


def walls(
    commands: list[list[str]], env: dict, runs: int, fresh: tuple[int, ...] = (), pause: float = 0.0
) -> list[list[float]]:
    """Wall times of whole processes, the commands taken in turn (A B A B ...) so that a ratio
    taken run by run holds while the machine's speed drifts; one warm-up round is not counted.
    Output is thrown away. The commands at the indices in ``fresh`` get an empty cache folder
    each run: every run of theirs is a first run. ``pause`` seconds pass before each run (not
    timed), as between a user's checks."""
    times: list[list[float]] = [[] for _ in commands]
    for round_ in range(runs + 1):
        for i, argv in enumerate(commands):
            run_env, tmp = env, None
            if i in fresh:
                tmp = tempfile.mkdtemp(prefix="bench-cache-")
                run_env = {**env, "XDG_CACHE_HOME": tmp}
            time.sleep(pause)
            start = time.perf_counter()
            subprocess.run(argv, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            if round_:
                times[i].append(time.perf_counter() - start)
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
    return times


def ratio(a: list[float], b: list[float]) -> float:
    """The median of the run-by-run ratios a / b."""
    return statistics.median(x / y for x, y in zip(a, b))


def steady(fns: list, path: Path, runs: int) -> list[list[float]]:
    """In-process times of each function on ``path``, taken in turn after one call each."""
    for fn in fns:
        fn(path)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn(path)
            times[i].append(time.perf_counter() - start)
    return times


def naive(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def one_reader(path: Path) -> None:
    """``linter.lint`` with a PDF's pages read by one reader process instead of one per processor."""
    import linter
    from linter import isolate

    shared = isolate.readers
    isolate.readers = lambda: 1
    try:
        linter.lint(path)
    finally:
        isolate.readers = shared


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


def audit_rates() -> dict | None:
    """The audit figures of ``scripts/bench_audit.py --json`` (one JSON object on its last
    line), or None when that script does not give them."""
    try:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_audit.py"), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        data = (
            json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 and proc.stdout.strip() else None
        )
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return None
    keys = ("rate_1", "rate_2", "speedup", "rounds", "cores_available", "rerun_10k_s")
    return data if isinstance(data, dict) and all(isinstance(data.get(k), (int, float)) for k in keys) else None


class Table:
    """Rows of what, measured, target, and whether the target is met."""

    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, shown: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append((what, shown, target, "" if met is None else ("yes" if met else "NO")))

    def print(self) -> None:
        widths = [max(len(r[i]) for r in self.rows + [("what", "measured", "target", "met")]) for i in range(4)]
        for row in [("what", "measured", "target", "met"), tuple("-" * w for w in widths)] + self.rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


@contextmanager
def warm_server(env: dict):
    """An environment whose ``check`` runs go to a warm server of its own (in a private socket
    folder), started and ready before the first timing; the server is stopped after."""
    runtime = tempfile.mkdtemp(prefix="bench-run-")
    warm_env = {k: v for k, v in env.items() if k not in ("CI", "NIANBAO_LINT_WARM")}
    warm_env["XDG_RUNTIME_DIR"] = runtime
    try:
        subprocess.run(command() + ["warm", "start"], env=warm_env, check=True, capture_output=True, cwd=ROOT)
        yield warm_env
    finally:
        subprocess.run(command() + ["warm", "stop"], env=warm_env, capture_output=True, cwd=ROOT)
        shutil.rmtree(runtime, ignore_errors=True)


def per_format(table: Table, mode: str, env: dict, runs: int, most: int, pause: float = 0.0) -> None:
    cmd = command()
    for suffix in FORMATS:
        files = fixtures(suffix, most)
        what = f"process, {mode}: check {suffix[1:].upper()} ({len(files)} file{'s' * (len(files) > 1)})"
        if suffix != ".pdf":
            ours = [
                statistics.median(walls([cmd + ["check", "--format", "json", str(p)]], env, runs, pause=pause)[0])
                for p in files
            ]
            table.add(what, f"{statistics.median(ours):.3f} s", "<= 0.10 s", statistics.median(ours) <= 0.10)
            continue
        pairs = [
            walls(
                [cmd + ["check", "--format", "json", str(p)], [sys.executable, "-c", NAIVE, str(p)]],
                env,
                runs,
                pause=pause,
            )
            for p in files
        ]
        ours = statistics.median(statistics.median(a) for a, _ in pairs)
        table.add(what, f"{ours:.3f} s", "<= 0.12 s", ours <= 0.12)
        table.add(
            "  naive pdfplumber process, same PDFs",
            f"{statistics.median(statistics.median(b) for _, b in pairs):.3f} s",
        )
        times = statistics.median(ratio(b, a) for a, b in pairs)
        table.add("  ratio naive / ours (process)", f"{times:.2f}x", ">= 3.5x", times >= 3.5)


def processes(table: Table, env: dict, runs: int, most: int) -> None:
    """Each format as a process twice: handed to a warm server (as every run after a user's
    first, 0.5 s apart as a user's checks are, so that its spare is ready; and once back to back),
    and done wholly in its own process (``NIANBAO_LINT_WARM=0``: a first run, CI)."""
    cmd = command()
    with warm_server(env) as warm_env:
        per_format(table, "warm server", warm_env, runs, most, pause=0.5)
        text = str(fixtures(".txt", 1)[0])
        back_to_back = walls([cmd + ["check", "--format", "json", text]], warm_env, runs)[0]
        table.add("  TXT, warm server, checks back to back (no pause)", f"{statistics.median(back_to_back):.3f} s")
    per_format(table, "no server", env, runs, most)
    hit, miss = walls([cmd + ["check", "--format", "json", text]] * 2, env, runs, fresh=(1,))
    table.add("  TXT, no rule cache (a first run)", f"{statistics.median(miss):.3f} s")
    table.add("  ratio no cache / warm cache (TXT)", f"{ratio(miss, hit):.2f}x")
    version, floor, bare = walls(
        [cmd + ["--version"], [sys.executable, "-c", "pass"], [sys.executable, "-S", "-c", "pass"]], env, runs
    )
    table.add(
        "process: nianbao-lint --version",
        f"{statistics.median(version):.3f} s",
        "<= 0.05 s",
        statistics.median(version) <= 0.05,
    )
    table.add("  python -c pass (the interpreter's own start)", f"{statistics.median(floor):.3f} s")
    table.add("  ratio --version / python -c pass", f"{ratio(version, floor):.2f}x")
    table.add("  python -S -c pass (without site: its .pth start-up hooks)", f"{statistics.median(bare):.3f} s")


def in_process(table: Table, runs: int, most: int) -> None:
    import linter

    for suffix in FORMATS:
        files = fixtures(suffix, most)
        if suffix != ".pdf":
            ours = statistics.median(statistics.median(steady([linter.lint], p, runs)[0]) for p in files)
            table.add(f"in-process: lint() {suffix[1:].upper()}", f"{ours * 1000:.0f} ms")
            continue
        # ours, the naive script and ours with one reader, taken in turn on each file
        triples = [steady([linter.lint, naive, one_reader], p, runs) for p in files]

        def each(k: int, triples=triples) -> float:
            return statistics.median(statistics.median(t[k]) for t in triples)

        table.add("in-process: lint() PDF", f"{each(0) * 1000:.0f} ms")
        table.add("  naive pdfplumber in-process", f"{each(1) * 1000:.0f} ms")
        times = statistics.median(ratio(t[1], t[0]) for t in triples)
        table.add("  ratio naive / ours (in-process)", f"{times:.1f}x", ">= 10x", times >= 10)
        alone = statistics.median(ratio(t[1], t[2]) for t in triples)
        table.add(
            "  lint() PDF with one reader process (the pages not shared out)", f"{each(2) * 1000:.0f} ms, {alone:.1f}x"
        )


def hundred_pages(table: Table, env: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "100-pages.pdf"
        big_pdf(100, path)
        out = subprocess.run(
            [sys.executable, "-c", BIG_PDF_CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,  # not the checkout, whose linter folder would shadow an installed package
            env=env,
        ).stdout.split()
    seconds, peak, reader = map(float, out)
    table.add("100-page PDF: time in a fresh process", f"{seconds:.2f} s ({100 / seconds:.0f} pages/s)")
    most = max(peak, reader)
    shown = f"{peak:.0f} MB; largest reader process {reader:.0f} MB"
    table.add("100-page PDF: peak resident memory", shown, "< 150 MB", most < 150)


def audits(table: Table) -> None:
    rates = audit_rates()
    if rates is None:
        for what in ("audit, 1 worker", "audit, 2 workers", "  speed-up 2 / 1 workers", "re-audit of 10,000 unchanged"):
            table.add(what, "not measured")
        return
    table.add("audit, 1 worker", f"{rates['rate_1']:.1f} reports/s")
    table.add("audit, 2 workers", f"{rates['rate_2']:.1f} reports/s", ">= 40 reports/s", rates["rate_2"] >= 40)
    what = f"  speed-up 2 / 1 workers, median of {rates['rounds']} rounds in turn"
    table.add(what, f"{rates['speedup']:.2f}x", ">= 1.8x", rates["speedup"] >= 1.8)
    table.add("  cores the machine lent at the start (two busy loops at once)", f"{rates['cores_available']:.2f}")
    table.add("re-audit of 10,000 unchanged", f"{rates['rerun_10k_s']:.1f} s", "< 10 s", rates["rerun_10k_s"] < 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one file per format, 3 runs, no audit or 100-page PDF")
    args = parser.parse_args()
    runs, most = (3, 1) if args.quick else (5, 3)
    compileall.compile_dir(ROOT / "linter", quiet=1)  # as an installed package is: no compiling in the timings
    cache = tempfile.mkdtemp(prefix="bench-xdg-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = cache
    env["NIANBAO_LINT_WARM"] = "0"  # no server but the one the warm rows start (in a folder of their own)
    os.environ["XDG_CACHE_HOME"] = cache  # the in-process runs use the same cache
    print(
        f"nianbao-lint benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}; package byte-compiled "
        f"with compileall first; process times are the median of {runs} runs after a warm-up, with a warm "
        f"compiled rule cache (in {cache}) unless said otherwise; up to {most} fixture(s) per format"
    )
    table = Table()
    try:
        processes(table, env, runs, most)
        in_process(table, runs, most)
        if not args.quick:
            hundred_pages(table, env)
            audits(table)
        table.print()
        print("Absolute times vary from machine to machine and with its load; compare the ratios.")
        if not args.quick:
            print()
            import bench_defences

            bench_defences.main()
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
