"""What an audit reads and writes in its database (``linter.audit.db``, written only by the
coordinating process): the runs, what is already stored of each file (to skip what has not
changed), and the results of a batch of files replaced in one transaction, so an audit killed
halfway loses no batch it stored (and reported) and duplicates nothing when resumed. Texts are
stored as UTF-8 can encode them, paths as outputs show them; results come from the workers in
the ready form of ``linter.audit.work``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3

from linter.safetext import shown_path, storable


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def start_run(con: sqlite3.Connection, version: str, ruleset: str, paths: list[str], rules: list | None = None) -> int:
    """A new run; ``rules``: its rules as configured (``RuleInfo``), for the dashboard."""
    cur = con.execute(
        "INSERT INTO runs(started, tool_version, ruleset, paths, rules) VALUES (?, ?, ?, ?, ?)",
        (
            now(),
            version,
            ruleset,
            json.dumps([shown_path(p) for p in paths], ensure_ascii=False),
            json.dumps([r.model_dump(mode="json") for r in rules], ensure_ascii=False) if rules else None,
        ),
    )
    con.commit()
    return cur.lastrowid


def finish_run(
    con: sqlite3.Connection, run_id: int, total: int, linted: int, skipped: int, failed: int, cross: str | None = None
) -> None:
    con.execute(
        "UPDATE runs SET finished=?, files_total=?, files_linted=?, files_skipped=?, files_failed=?, "
        "cross=? WHERE id=?",
        (now(), total, linted, skipped, failed, cross, run_id),
    )
    con.commit()


def last_cross(con: sqlite3.Connection, run_id: int) -> str | None:
    """What the cross-document findings now stored were computed with: the ``cross`` of the
    run before ``run_id`` if it finished (a run killed halfway may have stored files without
    recomputing them), else None."""
    row = con.execute("SELECT finished, cross FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()
    return row[1] if row and row[0] else None


def mark_removed(con: sqlite3.Connection, present: set[str], roots: list[str]) -> int:
    """Mark files under the audited folders ``roots`` that are no longer there; returns how
    many. Stored again if they come back (the row is replaced, ``removed`` empty)."""
    prefixes = tuple(r.rstrip("/") + "/" for r in roots)
    gone = [
        p
        for (p,) in con.execute("SELECT path FROM files WHERE removed IS NULL")
        if p not in present and prefixes and p.startswith(prefixes) and not os.path.lexists(p)
    ]
    with con:
        con.executemany("UPDATE files SET removed=? WHERE path=?", [(now(), p) for p in gone])
    return len(gone)


def cross_findings(con: sqlite3.Connection) -> int:
    """How many cross-document findings (cross-year, region-sum) the database holds."""
    return con.execute("SELECT count(*) FROM findings WHERE category IN ('cross-year', 'region-sum')").fetchone()[0]


def known(con: sqlite3.Connection) -> dict[str, tuple]:
    """path → (sha256, ruleset, status, stat) of what is already in the database, ``stat``
    being (size, mtime_ns, ctime_ns, inode) or None where it cannot be trusted (a file marked
    removed is not listed: when it comes back it is checked again)."""
    return {
        p: (h, r, s, (size, m, c, i) if m is not None and c is not None and i is not None else None)
        for p, h, r, s, size, m, c, i in con.execute(
            "SELECT path, sha256, ruleset, status, size, mtime_ns, ctime_ns, inode FROM files WHERE removed IS NULL"
        )
    }


def refresh_stats(con: sqlite3.Connection, stats: list[tuple[str, tuple]]) -> None:
    """Record the stat of files found unchanged by their hash, so the next run trusts it."""
    with con:
        con.executemany(
            "UPDATE files SET mtime_ns=?, ctime_ns=?, inode=? WHERE path=?",
            [(st[1], st[2], st[3], shown_path(path)) for path, st in stats],
        )


def store_many(con: sqlite3.Connection, run_id: int, ruleset: str, rows: list[dict]) -> None:
    """Replace the results of ``rows`` (one file each; its findings as ``work.finding_row``
    gives them) in one transaction: all are stored or none. ``stat``, when a row has it, is
    what lets the next run skip the file without hashing it."""
    files, findings = [], []
    rows = list({shown_path(row["path"]): row for row in rows}.values())  # a path twice: the last row
    for row in rows:
        path = shown_path(row["path"])
        found = row.get("findings", ())
        levels = [f[3] for f in found]
        stat = row.get("stat") or (None, None, None, None)
        get = row.get
        files.append(
            (
                path,
                storable(row["sha256"]),
                row["size"],
                storable(get("format")),
                storable(get("agency")),
                storable(get("level")),
                storable(get("region")),
                get("year"),
                storable(row["status"]),
                storable(get("reason")),
                get("seconds"),
                ruleset,
                run_id,
                levels.count("error"),
                levels.count("warning"),
                levels.count("info"),
                get("figures") or None,
                stat[1],
                stat[2],
                stat[3],
            )
        )
        findings.extend((path, *f) for f in found)
    with con:
        con.executemany("DELETE FROM findings WHERE path=?", [(f[0],) for f in files])
        con.executemany(
            "INSERT OR REPLACE INTO files(path, sha256, size, format, agency, level, region, year, status, reason,"
            " seconds, ruleset, run_id, errors, warnings, infos, figures, mtime_ns, ctime_ns, inode)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            files,
        )
        con.executemany(
            "INSERT INTO findings(path, rule, name, category, level, message, location, place, fingerprint)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            findings,
        )
