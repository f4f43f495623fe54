"""Benchmark of batch audits: generates a batch of reports of mixed formats (TXT, Markdown,
HTML, DOCX, PDF) from the fixtures, audits it with 1 and with 2 workers (``nianbao-lint audit``
as a process, start-up included) in turn, 3 rounds: the rates are the medians, the speedup the
median of the rounds' own, so that it holds while the machine's speed drifts; then times the
re-run of an audit of 10,000 unchanged reports.

    python scripts/bench_audit.py              # 1,000 reports; a table
    python scripts/bench_audit.py --quick      # 200 reports
    python scripts/bench_audit.py --json       # one JSON object: rate_1, rate_2, speedup, rerun_10k_s, ...

The batch cycles through the real and seed fixtures (so its mix is theirs: mostly text, with
HTML, PDF, Markdown and DOCX); text formats get a line of their own so that every file has its
own content hash. Files are left to rest a few seconds before the first audit, as files on disk
usually have: a file changed within the last seconds has its stat re-checked by hashing.

The 10,000-file re-run: the batch is linked (hard links, else copies) into enough folders to
make 10,000 paths, and the database of the 2-worker audit is extended with the same rows under
those paths (auditing 10,000 files first would take minutes and measure nothing more). A first
re-run then finds every stat new (a link changes ctime) and hashes every file
(``rerun_10k_hash_s``); the second re-run is the steady state (``rerun_10k_s``).
CPU milliseconds per report (user + system of the audit and its workers) are printed too:
unlike the rates they hardly move when other programs load the machine; so is how many cores
the machine lends at the start (``cores_available``), without which a speedup means little.
Absolute times depend on the machine; compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RERUN = 10_000
REST = 3.2  # seconds: longer than the audit's window for recently changed files


def generate(folder: Path, n: int) -> dict[str, int]:
    """n reports cycling through the real and seed fixtures, in seven region folders."""
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


CPU: dict[int, float] = {}  # CPU seconds (user + system, workers included) of the last audit with j workers


def audit(folder: Path, db: Path, jobs: int) -> float:
    """Wall seconds of one ``audit`` process; exit 0 or 1 (findings) is a finished run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "audit", str(folder), "--db", str(db), "-j", str(jobs)],
        capture_output=True,
        text=True,
        cwd=folder,  # not the checkout, whose linter folder would shadow an installed package
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[jobs] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if proc.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds


SPIN = "x = 0\nfor i in range(6_000_000):\n    x += i\n"


def cores() -> float:
    """How many cores this machine lends us now: the same pure-Python loop run alone, then as
    two processes at once (2.0 on an idle 2-core machine; near 1.0 when other programs hold the
    other core, and then no audit can show a 2-worker speedup)."""

    def spin(k: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(k)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    return round(2 * spin(1) / spin(2), 2)


def spread(batch: Path, tree: Path, total: int) -> int:
    """Link the batch's files into copy folders under ``tree`` until there are ``total`` paths."""
    files = sorted(p for p in batch.rglob("*") if p.is_file())
    made = 0
    while made < total:
        for src in files[: total - made]:
            dest = tree / f"copy{made // len(files)}" / src.relative_to(batch)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copy(src, dest)
            made += 1
    return made


def extend(db: Path, batch: Path, tree: Path, copies: int) -> None:
    """Store the batch's rows again under every copy folder's paths (and only there), as an
    audit run of its own that did not finish (so the next run recomputes the cross-document
    checks)."""
    with sqlite3.connect(db) as con:
        cur = con.execute(
            "INSERT INTO runs(started, tool_version, ruleset, paths) "
            "SELECT started, tool_version, ruleset, ? FROM runs ORDER BY id DESC LIMIT 1",
            (json.dumps([str(tree)]),),
        )
        run_id = cur.lastrowid
        files = [c[1] for c in con.execute("PRAGMA table_info(files)")]
        found = [c[1] for c in con.execute("PRAGMA table_info(findings)") if c[1] != "id"]
        old = f"{batch}/"
        for k in range(copies):
            new = f"{tree}/copy{k}/"
            pick = ", ".join(
                "replace(path, :old, :new)"
                if c == "path"
                else ":run"
                if c == "run_id"
                else "NULL"
                if c in ("mtime_ns", "ctime_ns", "inode")
                else c
                for c in files
            )
            con.execute(
                f"INSERT INTO files({', '.join(files)}) SELECT {pick} FROM files WHERE path LIKE :like",
                {"old": old, "new": new, "run": run_id, "like": old + "%"},
            )
            pick = ", ".join("replace(path, :old, :new)" if c == "path" else c for c in found)
            con.execute(
                f"INSERT INTO findings({', '.join(found)}) SELECT {pick} FROM findings WHERE path LIKE :like",
                {"old": old, "new": new, "like": old + "%"},
            )
        gone = [
            (p,)
            for (p,) in con.execute("SELECT path FROM files")
            if not p.startswith(f"{tree}/") or not os.path.exists(p)
        ]
        con.executemany("DELETE FROM findings WHERE path=?", gone)
        con.executemany("DELETE FROM files WHERE path=?", gone)


def rerun(tmp: Path, batch: Path, db: Path) -> tuple[float, float]:
    tree = tmp / "tree"
    n = spread(batch, tree, RERUN)
    big = tmp / "rerun.sqlite"
    shutil.copy(db, big)
    per = sum(1 for p in batch.rglob("*") if p.is_file())
    extend(big, batch, tree, -(-n // per))
    with sqlite3.connect(big) as con:
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == n
    time.sleep(REST)
    first = audit(tree, big, 2)
    second = audit(tree, big, 2)
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports in the batch (default 1,000)")
    parser.add_argument("--quick", action="store_true", help="200 reports")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rounds", type=int, default=3, help="audits with 1 and with 2 workers, in turn (default 3)")
    args = parser.parse_args()
    n = 200 if args.quick else args.reports
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        batch = tmp / "batch"
        batch.mkdir()
        counts = generate(batch, n)
        time.sleep(REST)
        capacity = cores()
        walls: dict[int, list[float]] = {1: [], 2: []}
        cpus: dict[int, list[float]] = {1: [], 2: []}
        for k in range(args.rounds):  # in turn, 1 2 1 2 ...: the speedup holds while the machine drifts
            for jobs in (1, 2):
                walls[jobs].append(audit(batch, tmp / f"j{jobs}-{k}.sqlite", jobs))
                cpus[jobs].append(CPU[jobs])
        ones, twos = walls[1], walls[2]
        one, two = statistics.median(ones), statistics.median(twos)
        cpu = {jobs: statistics.median(cpus[jobs]) for jobs in (1, 2)}
        again = audit(batch, tmp / f"j2-{args.rounds - 1}.sqlite", 2)
        hashed, steady = rerun(tmp, batch, tmp / f"j2-{args.rounds - 1}.sqlite")
    out = {
        "reports": n,
        "cores_available": capacity,
        "mix": {s.lstrip("."): c for s, c in sorted(counts.items())},
        "rate_1": round(n / one, 2),
        "rate_2": round(n / two, 2),
        "speedup": round(statistics.median(a / b for a, b in zip(ones, twos)), 3),
        "rounds": args.rounds,
        "cpu_ms_1": round(cpu[1] / n * 1000, 1),
        "cpu_ms_2": round(cpu[2] / n * 1000, 1),
        "rerun_s": round(again, 3),
        "rerun_10k_hash_s": round(hashed, 3),
        "rerun_10k_s": round(steady, 3),
    }
    if args.json:
        print(json.dumps(out))
        return
    mix = ", ".join(f"{c} {s}" for s, c in out["mix"].items())
    print(f"audit of {n} reports ({mix}), one process each, start-up included")
    print(f"cores available to this run (two busy loops at once): {capacity:.2f}\n")
    print(f"{'':34}{'seconds':>9}{'reports/s':>11}{'CPU ms/report':>15}")
    print(f"{'1 worker':34}{one:9.2f}{out['rate_1']:11.1f}{out['cpu_ms_1']:15.1f}")
    print(f"{'2 workers':34}{two:9.2f}{out['rate_2']:11.1f}{out['cpu_ms_2']:15.1f}")
    print(f"{'speedup (2 workers / 1)':34}{out['speedup']:9.2f}   (median of {args.rounds} rounds, in turn)")
    print(f"{f're-run of the {n}, unchanged':34}{again:9.2f}")
    print(f"{f're-run of {RERUN:,}, every stat new':34}{hashed:9.2f}")
    print(f"{f're-run of {RERUN:,}, unchanged':34}{steady:9.2f}")


if __name__ == "__main__":
    main()
