"""Batch audits at scale, on real SQLite files and real processes: results are stored a batch
per transaction and only what is stored is reported done, so an audit SIGKILLed or interrupted
halfway resumes without losing or re-linting anything stored; workers load the rules once, not
per file; a re-run trusts a settled stat and hashes only files whose stat changed."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time

from conftest import FIXTURES
from test_audit import _stored, rows
from test_audit import audit as cli

from linter.audit import scan
from linter.audit.pool import WorkerLimits

REAL = FIXTURES / "real"
COPIES = 3  # folders of the real fixtures: enough files that a kill lands halfway

CHILD = """
import sys
from linter.audit import audit
from linter.audit.pool import WorkerLimits

def progress(summary, todo):
    print(summary.linted + summary.failed, flush=True)

audit([sys.argv[1]], sys.argv[2], 1, WorkerLimits(), progress, batch=5, batch_seconds=1e9)
"""


def _batch(tmp_path):
    folder = tmp_path / "batch"
    for k in range(COPIES):
        shutil.copytree(REAL, folder / f"copy{k}")
    return folder, COPIES * sum(1 for p in REAL.iterdir() if p.suffix != ".tsv")


def _same_as_fresh(tmp_path, db, folder):
    fresh = tmp_path / "fresh.sqlite"
    cli(fresh, folder)
    per_file = "SELECT path, count(*), group_concat(fingerprint) FROM findings GROUP BY path ORDER BY path"
    assert rows(db, per_file) == rows(fresh, per_file)
    files = "SELECT path, sha256, size, status, agency, year, errors, warnings, infos FROM files ORDER BY path"
    assert rows(db, files) == rows(fresh, files)


def test_a_killed_audit_keeps_every_batch_it_reported_and_relints_nothing_stored(tmp_path):
    folder, total = _batch(tmp_path)
    db = tmp_path / "audit.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    reported = []
    try:
        for line in proc.stdout:
            reported.append(int(line))
            if reported[-1] >= 10:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        reported += [int(line) for line in proc.stdout.read().split()]
        proc.wait()
    assert reported[0] == 0 and all(n % 5 == 0 for n in reported), reported  # whole batches only
    stored = rows(db, "SELECT count(*) FROM files")[0][0]
    assert 10 <= max(reported) <= stored < total
    assert stored % 5 == 0 and stored - max(reported) in (0, 5)  # a batch stored just before the kill
    resumed = cli(db, folder)
    assert f"检查 {total - stored} 个，未变化跳过 {stored} 个" in resumed.stdout, resumed.stdout + resumed.stderr
    _same_as_fresh(tmp_path, db, folder)


def test_ctrl_c_stores_what_is_finished_and_says_how_many(tmp_path):
    folder, total = _batch(tmp_path)
    db = tmp_path / "audit.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "audit", str(folder), "--db", str(db), "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and _stored(db) < 3:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    saved = int(err.split("已完成的 ")[1].split(" 个")[0])
    assert rows(db, "SELECT count(*) FROM files")[0][0] == saved and 3 <= saved < total, err
    resumed = cli(db, folder)
    assert f"检查 {total - saved} 个，未变化跳过 {saved} 个" in resumed.stdout, resumed.stdout + resumed.stderr
    _same_as_fresh(tmp_path, db, folder)


def test_workers_load_the_rules_once_not_per_file(tmp_path, monkeypatch):
    from linter import audit as batch
    from linter import engine
    from linter.config import Config

    log = tmp_path / "loads"
    real = engine.load_rules

    def counted(*args, **kw):
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kw)

    monkeypatch.setattr(engine, "load_rules", counted)
    folder = tmp_path / "reports"
    folder.mkdir()
    names = sorted(p.name for p in REAL.glob("*.txt"))[:12]
    for name in names:
        shutil.copy(REAL / name, folder / name)
    summary = batch.audit([str(folder)], tmp_path / "a.sqlite", 2, WorkerLimits())
    assert summary.linted == 12
    assert log.read_text().split() == [str(os.getpid())]  # the coordinator's; the forked workers inherit them
    job = pickle.loads(pickle.dumps(batch.Job(Config(), [object()])))  # as a spawned or Dask worker gets it
    assert job.rules is None
    monkeypatch.setattr(batch, "_RULES", {})
    results = [job(str(folder / name)) for name in names[:4]]
    assert [r["status"] for r in results] == ["ok"] * 4
    assert len(log.read_text().split()) == 2  # once more for this process, not once per file


def test_a_settled_stat_is_trusted_and_a_fresh_one_is_not(tmp_path):
    old = scan.hashed(REAL / "2020_pingtan_1.txt")  # checked out long ago
    assert old.stat is not None and old.stat[0] == old.size
    fresh = tmp_path / "r.txt"
    fresh.write_bytes((REAL / "2020_pingtan_1.txt").read_bytes())
    now = scan.hashed(fresh)
    assert now.stat is None and (now.sha256, now.size) == (old.sha256, old.size)  # changed just now
    assert scan.same_stat(REAL / "2020_pingtan_1.txt", old.stat) and not scan.same_stat(fresh, old.stat)
    assert scan.unchanged(fresh, now)
    fresh.write_bytes(fresh.read_bytes().replace("平潭".encode(), "平谭".encode(), 1))  # same size
    assert fresh.stat().st_size == now.size and not scan.unchanged(fresh, now)


def test_a_rerun_hashes_only_files_whose_stat_changed(tmp_path, monkeypatch):
    """Settled files are skipped on their stat alone; a file rewritten with the same size and
    its mtime put back (as cp -p, rsync -t or tar do) has a new ctime and is linted again; a
    file only touched is hashed and skipped; a file just written is hashed on every run until
    its stat settles."""
    from linter import audit as batch

    folder = tmp_path / "reports"
    folder.mkdir()
    names = ["2020_pingtan_1.txt", "2022_pingtan_1.txt", "2023_pingtan_1.txt"]
    for name in names:
        shutil.copy(REAL / name, folder / name)
    time.sleep(scan.RACY_NS / 1e9 + 0.2)  # let their stats settle
    db = tmp_path / "a.sqlite"
    batch.audit([str(folder)], db, 1, WorkerLimits())
    assert rows(db, "SELECT count(*) FROM files WHERE mtime_ns IS NOT NULL AND inode IS NOT NULL") == [(3,)]
    hashed = []
    real = scan.hashed
    monkeypatch.setattr(scan, "hashed", lambda path: hashed.append(os.path.basename(path)) or real(path))

    again = batch.audit([str(folder)], db, 1, WorkerLimits())
    assert (again.linted, again.skipped, hashed) == (0, 3, [])

    edited = folder / names[0]
    st = edited.stat()
    edited.write_bytes(edited.read_bytes().replace("平潭".encode(), "平谭".encode(), 1))
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    os.utime(folder / names[1])  # touched: new mtime, same content
    (folder / "new.txt").write_bytes((REAL / names[2]).read_bytes())
    third = batch.audit([str(folder)], db, 1, WorkerLimits())
    assert (third.linted, third.skipped) == (2, 2)  # the edited one and the new one
    assert sorted(hashed) == sorted([names[0], names[0], names[1], "new.txt", "new.txt"])  # after the lint too
    assert rows(db, f"SELECT sha256 FROM files WHERE path='{edited}'") == [
        (hashlib.sha256(edited.read_bytes()).hexdigest(),)
    ]
    assert rows(db, f"SELECT mtime_ns FROM files WHERE path='{folder / 'new.txt'}'") == [(None,)]  # not settled

    hashed.clear()
    fourth = batch.audit([str(folder)], db, 1, WorkerLimits())
    assert (fourth.linted, fourth.skipped) == (0, 4)
    assert "new.txt" in hashed and names[2] not in hashed


def test_the_cross_document_pass_shared_by_workers_stores_what_one_process_stores(tmp_path):
    """With several workers the cross-document pass is shared out in ranges of the entries:
    the findings stored, and their order, are those of one process; a range whose worker
    is stopped (here: no time at all) is computed by the coordinator instead."""
    import sqlite3

    from linter.api import configured_rules
    from linter.audit import audit, crossdoc, db

    folder, total = _batch(tmp_path)
    base = tmp_path / "base.sqlite"
    audit([str(folder)], base, 2, WorkerLimits(), hierarchy=True)
    assert len(crossdoc.entries(sqlite3.connect(base))) >= crossdoc.ALONE  # enough to be shared
    _, rules = configured_rules(None, str(folder))
    stored = "SELECT id, path, rule, category, level, message, location, place, fingerprint FROM findings ORDER BY id"
    counts = "SELECT path, errors, warnings FROM files ORDER BY path"
    got = {}
    for name, jobs, limits in (("one", 1, None), ("shared", 2, WorkerLimits()), ("starved", 2, WorkerLimits(1e-9))):
        copy = tmp_path / f"{name}.sqlite"
        shutil.copy(base, copy)
        con = db.connect(copy)
        found = crossdoc.run(con, rules, True, jobs=jobs, limits=limits)
        db.close(con)
        got[name] = (found, rows(copy, stored), rows(copy, counts))
    cross = [r for r in got["one"][1] if r[3] in ("cross-year", "region-sum")]
    assert got["one"][0] == len(cross) and {r[3] for r in cross} == {"cross-year", "region-sum"}
    assert got["shared"] == got["one"] and got["starved"] == got["one"]
