"""Batch audits on a real SQLite file with real worker processes: parallel results equal the
single-file results, re-runs skip unchanged files, an audit killed halfway resumes without losing
or duplicating rows, and a file that hangs, crashes its worker or exhausts memory is recorded as
failed while every other file gets its result."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import FIXTURES

from linter.audit.pool import WorkerLimits, run

REAL = FIXTURES / "real"


def audit(db, *paths, jobs=2, extra=()):
    return subprocess.run(
        [sys.executable, "-m", "linter", "audit", *map(str, paths), "--db", str(db), "-j", str(jobs), *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )


def rows(db, sql):
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def test_audit_matches_check_and_reruns_only_what_changed(tmp_path, all_rules):
    from linter.api import lint_file

    db = tmp_path / "audit.sqlite"
    proc = audit(db, REAL)
    assert proc.returncode == 1 and "检查 34 个" in proc.stdout, proc.stderr  # 1: errors found
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    for name in ("2023_huaian-hongzequ_1.pdf", "2020_pingtan_1.txt", "tmpl_2021format-blank_1.docx"):
        path = str(REAL / name)
        want = sorted((f.rule, f.fingerprint) for f in lint_file(path, all_rules).findings)
        assert sorted(rows(db, f"SELECT rule, fingerprint FROM findings WHERE path='{path}'")) == want
    meta = dict(
        (
            (p.rsplit("/", 1)[-1], (a, lv, r, y))
            for p, a, lv, r, y in rows(db, "SELECT path, agency, level, region, year FROM files")
        )
    )
    assert meta["2024_huaian-shi_1.pdf"] == ("淮安市人民政府", "government", "淮安市", 2024)
    assert meta["2024_pingtan-gonganju_1.txt"][1:] == ("department", None, 2024)
    again = audit(db, REAL)
    assert "检查 0 个，未变化跳过 34 个" in again.stdout
    changed = tmp_path / "copy"
    changed.mkdir()
    (changed / "r.txt").write_text((FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt").read_text(encoding="utf-8"))
    audit(db, changed)
    (changed / "r.txt").write_text((FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt").read_text(encoding="utf-8"))
    assert "检查 1 个" in audit(db, changed).stdout
    assert rows(db, f"SELECT errors FROM files WHERE path='{changed / 'r.txt'}'") == [(4,)]


def test_killed_audit_resumes_without_loss_or_duplicates(tmp_path):
    # four copies of the real reports: long enough (several seconds) that the kill lands halfway
    folder = tmp_path / "reports"
    for n in range(4):
        (folder / f"copy{n}").mkdir(parents=True)
        for f in REAL.iterdir():
            if f.is_file() and f.suffix != ".tsv":
                os.link(f, folder / f"copy{n}" / f.name)
    total = sum(1 for _ in folder.rglob("*.*"))
    db = tmp_path / "audit.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "audit", str(folder), "--db", str(db), "-j", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.1)
        if _stored(db) >= 5:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = rows(db, "SELECT count(*) FROM files")[0][0]
    assert 5 <= partial < total
    resumed = audit(db, folder)
    assert f"检查 {total - partial} 个，未变化跳过 {partial} 个" in resumed.stdout
    fresh = tmp_path / "fresh.sqlite"
    audit(fresh, folder)
    count = "SELECT path, count(*) FROM findings GROUP BY path ORDER BY path"
    assert rows(db, count) == rows(fresh, count)


def _stored(db) -> int:
    """Rows in files so far; 0 while the audit has not yet created its schema."""
    try:
        return rows(db, "SELECT count(*) FROM files")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:  # the file exists a moment before its tables do
        return 0


def _job(path: str) -> dict:
    if path == "hang":
        time.sleep(60)
    if path == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if path == "memory":
        _ = bytearray(2 * 1024**3)
    return {"path": path, "status": "ok"}


def test_hanging_crashing_and_memory_hungry_files_fail_alone():
    results = {}
    tasks = ["a", "hang", "b", "crash", "c", "memory", "d"]
    run(tasks, _job, 2, WorkerLimits(seconds=2, memory_mb=1536), lambda r: results.__setitem__(r["path"], r))
    assert {p: r["status"] for p, r in results.items()} == {
        "a": "ok",
        "b": "ok",
        "c": "ok",
        "d": "ok",
        "hang": "failed",
        "crash": "failed",
        "memory": "failed",
    }
    assert "超时" in results["hang"]["reason"] and "退出" in results["crash"]["reason"]
    assert "内存" in results["memory"]["reason"] or "退出" in results["memory"]["reason"]


def test_cross_year_checks_run_over_the_whole_database(tmp_path):
    db = tmp_path / "audit.sqlite"
    years = tmp_path / "经发局"
    years.mkdir()
    for name in ("2022_pingtan-jingfaju_1.txt", "2023_pingtan-jingfaju_1.html", "2024_pingtan-jingfaju_1.txt"):
        (years / name).write_bytes((REAL / name).read_bytes())
    audit(db, years / "2022_pingtan-jingfaju_1.txt", years / "2023_pingtan-jingfaju_1.html")
    cross = "SELECT substr(path, -28), rule FROM findings WHERE category='cross-year'"
    assert rows(db, cross) == [("2023_pingtan-jingfaju_1.html", "XYR002")]
    audit(db, years)  # another run adds 2024; 2023's finding is recomputed from the stored figures
    assert rows(db, cross) == [("2023_pingtan-jingfaju_1.html", "XYR002")]
    assert rows(db, "SELECT warnings >= 1 FROM files WHERE path LIKE '%2023_pingtan-jingfaju_1.html'") == [(1,)]


def test_dask_localcluster_gives_the_same_results(tmp_path):
    from dask.distributed import LocalCluster

    local, remote = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    audit(local, FIXTURES / "seeds", REAL / "2023_huaian-hongzequ_1.pdf")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        proc = audit(
            remote,
            FIXTURES / "seeds",
            REAL / "2023_huaian-hongzequ_1.pdf",
            extra=("--executor", "dask", "--scheduler", cluster.scheduler_address),
        )
    assert proc.returncode == 1 and "检查 6 个" in proc.stdout, proc.stderr  # 1: errors found
    same = "SELECT path, rule, fingerprint, message FROM findings ORDER BY 1, 2, 3"
    assert rows(remote, same) == rows(local, same) and len(rows(local, same)) > 20
    files = "SELECT path, sha256, agency, level, year, status, errors FROM files ORDER BY path"
    assert rows(remote, files) == rows(local, files)


def test_region_government_against_its_departments(tmp_path):
    text = (FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt").read_text(encoding="utf-8")
    title = "聊城市卫生健康委员会 2024 年政府信息公开工作年度报告"
    region = tmp_path / "某县"
    region.mkdir()
    for name, agency in (("gov.txt", "某县人民政府"), ("health.txt", "某县卫生健康局"), ("edu.txt", "某县教育局")):
        (region / name).write_text(text.replace(title, f"{agency} 2024 年政府信息公开工作年度报告"), encoding="utf-8")
    db = tmp_path / "audit.sqlite"
    audit(db, tmp_path)
    assert rows(db, "SELECT count(*) FROM findings WHERE category='region-sum'") == [(0,)]  # opt-in only
    audit(db, tmp_path, extra=("--hierarchy",))
    found = rows(db, "SELECT substr(path, -7), rule FROM findings WHERE category='region-sum'")
    assert found and {f for f in found} == {("gov.txt", "HIE001")}
    assert rows(db, "SELECT region, level FROM files WHERE path LIKE '%gov.txt'") == [("某县", "government")]


def test_audit_honours_the_configuration_like_check(tmp_path):
    """The folder's .nianbao-lint.toml (select, levels, deadlines) decides what audit stores,
    exactly as for check; changing it re-lints every file."""
    import json

    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("2023_pingtan_1.txt", "2024_pingtan-gonganju_1.txt", "2023_huaian-hongzequ_1.pdf"):
        (folder / name).write_bytes((REAL / name).read_bytes())
    (folder / "003.txt").write_bytes((FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt").read_bytes())
    config = folder / ".nianbao-lint.toml"
    config.write_text(
        'select = ["TBL", "SEC", "PUB"]\n[rules.PUB002]\nlevel = "warning"\n'
        '[deadlines]\ndepartment = "01-10"\ngovernment = "01-10"\n',
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    want = sorted((f["file"], f["rule"], f["level"], f["fingerprint"]) for f in json.loads(checked.stdout))
    assert {r for _, r, _, _ in want} <= {"TBL001", "TBL002", "SEC001", "PUB001", "PUB002"} and want
    assert {("PUB001", "error"), ("PUB002", "warning")} <= {(r, lv) for _, r, lv, _ in want}  # deadline, level
    db = tmp_path / "audit.sqlite"
    assert audit(db, folder).returncode == 1  # errors found (PUB001)
    assert sorted(rows(db, "SELECT path, rule, level, fingerprint FROM findings")) == want
    config.write_text('select = ["TBL"]\n', encoding="utf-8")
    again = audit(db, folder)
    assert "检查 4 个" in again.stdout, again.stdout
    assert {r for (r,) in rows(db, "SELECT DISTINCT rule FROM findings")} <= {"TBL001", "TBL002"}
    other = tmp_path / "other.toml"
    other.write_text('select = ["SEC"]\n', encoding="utf-8")
    assert audit(db, folder, extra=("--config", str(other))).returncode == 1  # SEC001 in 003
    assert {r for (r,) in rows(db, "SELECT DISTINCT rule FROM findings")} == {"SEC001"}


def test_a_workers_ready_rows_are_the_findings_records_as_stored(all_rules):
    """Workers hand back each finding as its database row: the fields of ``Finding.record``
    that the database keeps, the location as JSON, every text as UTF-8 can encode it."""
    import json

    from linter.api import lint_file
    from linter.audit.work import FINDING_COLUMNS, finding_row
    from linter.safetext import storable

    findings = [
        f
        for name in ("2023_huaian-hongzequ_1.pdf", "2023_pingtan-guoziju_1.html", "2020_pingtan_1.txt")
        for f in lint_file(str(REAL / name), all_rules).findings
    ]
    odd = findings[0].model_copy(update={"message": findings[0].message + "\udcff"})  # a byte that is not UTF-8
    assert len(findings) > 10
    for f in [*findings, odd]:
        r = f.record()
        r["location"] = json.dumps(r["location"], ensure_ascii=False)
        r["place"] = r.pop("where")
        assert finding_row(f) == tuple(storable(r[c]) for c in FINDING_COLUMNS)
    assert finding_row(odd)[4].endswith("\\xff")
