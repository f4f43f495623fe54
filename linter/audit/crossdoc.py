"""Cross-document checks over an audit database: the cross-year rules (XYR001, XYR002) between
consecutive years of each agency and, with ``--hierarchy``, a region government against its
departments (HIE001), run after every audit on everything the database holds. The stored
figures are the form ``linter.figures`` gives, and the pass is the one ``check`` runs.

Rebuilding the reports from their stored figures is most of the work, so with more than one
worker the entries are shared out in ranges to forked worker processes (``linter.audit.pool``,
with its time limit); the findings come back and are stored in the order one process would
have found them. A range whose worker fails (killed, out of time, a check that failed) is
done again here, so the findings are always those one process finds.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3

from linter.audit.work import finding_row
from linter.figures import Entry

SHARES = 4  # ranges per worker, so that a slow range does not leave the others idle
ALONE = 64  # fewer entries than this are not worth a worker process


def entries(con: sqlite3.Connection) -> list[Entry]:
    """Every file of the database with stored figures, as the cross-document pass pairs them."""
    return [
        Entry(path, agency, year, figs, level, region)
        for path, agency, year, level, region, figs in con.execute(
            "SELECT path, agency, year, level, region, figures FROM files WHERE status='ok' AND figures IS NOT NULL"
            " AND removed IS NULL ORDER BY path"
        )
    ]


class _Pass:
    """The cross-document findings of a range of ``files`` (``"start:stop"``), as rows
    (index in ``files``, then the ``findings`` columns after the path)."""

    def __init__(self, files: list[Entry], rules, hierarchy: bool, keep):
        self.files, self.rules, self.hierarchy, self.keep = files, rules, hierarchy, keep

    def rows(self, chosen: range, strict: bool = False) -> list[tuple]:
        """``strict``: a check that fails is an error (a worker's range is then done again by
        the coordinator, which alone decides what a failing check leaves)."""
        from linter.api import cross_check

        out = []
        for index, result in cross_check(self.files, self.rules, hierarchy=self.hierarchy, chosen=chosen):
            if strict and result.error:
                raise RuntimeError(result.error)
            out.extend((index, *finding_row(f)) for f in result.findings if self.keep(f))
        return out

    def __call__(self, task: str) -> dict:
        start, stop = map(int, task.split(":"))
        return {"path": task, "status": "ok", "rows": self.rows(range(start, stop), strict=True)}


def _shared(job: _Pass, jobs: int, limits) -> list[tuple]:
    """The rows of every range, computed by ``jobs`` worker processes, each range within the
    time limit of ``limits`` for each of its entries (and no memory limit: they read only the
    database's own figures, as this process does); a range they could not give is computed
    here."""
    from linter.audit.pool import WorkerLimits, run

    n = len(job.files)
    size = -(-n // (jobs * SHARES))
    tasks = [f"{start}:{min(start + size, n)}" for start in range(0, n, size)]
    got: dict[str, list] = {}
    within = WorkerLimits(limits.seconds * size, 0)
    run(tasks, job, jobs, within, lambda out: got.__setitem__(out["path"], out.get("rows")))
    rows = []
    for task in tasks:
        start, stop = map(int, task.split(":"))
        part = got.get(task)
        rows.extend(part if part is not None else job.rows(range(start, stop)))
    return rows


def run(
    con: sqlite3.Connection, rules, hierarchy: bool = False, keep=lambda finding: True, jobs: int = 1, limits=None
) -> int:
    """Replace the cross-document findings in the database (cross-year; with ``hierarchy`` also
    region government = sum of its departments) from the configured ``rules``, keeping those
    the configuration keeps; returns how many there are. ``jobs``: worker processes to share
    the pass (``limits``: theirs, ``pool.WorkerLimits``), where processes can be forked."""
    categories = {"cross-year", "region-sum"} if hierarchy else {"cross-year"}
    chosen = [r for r in rules if r.check.context and r.spec.category in categories]
    files = entries(con)
    job = _Pass(files, chosen, hierarchy, keep)
    if jobs > 1 and len(files) >= ALONE and limits is not None and "fork" in mp.get_all_start_methods():
        rows = _shared(job, jobs, limits)
    else:
        rows = job.rows(range(len(files)))
    with con:
        con.execute("DELETE FROM findings WHERE category IN ('cross-year', 'region-sum')")
        con.executemany(
            "INSERT INTO findings(path, rule, name, category, level, message, location, place,"
            " fingerprint) VALUES (?,?,?,?,?,?,?,?,?)",
            [(files[index].path, *row) for index, *row in rows],
        )
        con.execute(
            "UPDATE files SET errors=(SELECT count(*) FROM findings f WHERE f.path=files.path AND"
            " f.level='error'), warnings=(SELECT count(*) FROM findings f WHERE f.path=files.path AND"
            " f.level='warning')"
        )
    return len(rows)
