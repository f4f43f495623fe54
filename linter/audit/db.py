"""The audit results database: an embedded SQLite file in WAL mode, written only by the
coordinating process. Results are stored a batch of files at a time, each batch in one
transaction, so an audit killed halfway loses no batch it stored (and reported) and duplicates
nothing when resumed. One audit at a time
writes a database; a path that cannot hold one is a ``DatabaseError`` with a one-line message,
and ``open_for_reading`` reads one on read-only media. Texts are stored as UTF-8 can encode them.

Schema (documented in the README):
  runs(id, started, finished, tool_version, ruleset, paths, files_total, files_linted, files_skipped, files_failed,
       rules, cross)  -- rules: JSON, the run's rules as configured (id, level, rule_file_level, summary, fix …)
  files(path, sha256, size, format, agency, level, region, year, status, reason, seconds, ruleset, run_id,
        errors, warnings, infos, figures, removed, mtime_ns, ctime_ns, inode)
  findings(id, path, rule, name, category, level, message, location, place, fingerprint)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import urllib.parse
from pathlib import Path

from linter.errors import InputError
from linter.levels import LEVELS
from linter.safetext import shown_path, storable

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, tool_version TEXT NOT NULL,
  ruleset TEXT NOT NULL, paths TEXT NOT NULL, files_total INTEGER DEFAULT 0, files_linted INTEGER DEFAULT 0,
  files_skipped INTEGER DEFAULT 0, files_failed INTEGER DEFAULT 0, rules TEXT,
  cross TEXT);  -- what the cross-document checks of a finished run were computed with
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, format TEXT, agency TEXT, level TEXT,
  region TEXT, year INTEGER, status TEXT NOT NULL CHECK (status IN ('ok', 'failed')), reason TEXT,
  seconds REAL, ruleset TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
  errors INTEGER DEFAULT 0, warnings INTEGER DEFAULT 0, infos INTEGER DEFAULT 0,
  figures TEXT,  -- JSON: the table cells the cross-year checks compare
  removed TEXT,  -- when an audit of its folder found the file gone (left out of reports)
  mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER);  -- the stat the hash was taken with (NULL: hash again)
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE, rule TEXT, name TEXT,
  category TEXT, level TEXT, message TEXT, location TEXT, place TEXT, fingerprint TEXT);
CREATE INDEX IF NOT EXISTS findings_path ON findings(path);
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
CREATE INDEX IF NOT EXISTS files_agency_year ON files(agency, year);
"""


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class DatabaseError(InputError):
    """The database cannot be used; the message is one line for users (Chinese)."""


_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> None:
    try:
        with open(path, "rb") as f:
            head = f.read(len(_HEADER))
    except OSError as exc:
        raise DatabaseError(f"无法读取审核数据库 {shown_path(path)}：{exc.strerror or exc}") from None
    if head and head != _HEADER:
        raise DatabaseError(f"{shown_path(path)} 不是 SQLite 数据库（不会覆盖它，请换一个 --db 文件名）")


def connect(path: str | Path) -> sqlite3.Connection:
    """The database to write, created if new. A missing or read-only folder, or a file that is
    not SQLite, is a ``DatabaseError`` naming the path."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DatabaseError(f"--db {shown_path(path)} 是一个文件夹，请给出数据库文件名")
    if not folder.is_dir():
        raise DatabaseError(f"数据库所在的文件夹 {shown_path(folder)} 不存在")
    if path.exists():
        _check_file(path)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise DatabaseError(f"无法写入审核数据库 {shown_path(path)}（文件或所在文件夹只读）")
    try:
        con = sqlite3.connect(str(path), timeout=30)
        _claim(con, path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA foreign_keys=ON")
        con.executescript(SCHEMA)
        columns = {row[1] for row in con.execute("PRAGMA table_info(files)")}
        for name, kind in (
            ("figures", "TEXT"),
            ("removed", "TEXT"),
            ("mtime_ns", "INTEGER"),
            ("ctime_ns", "INTEGER"),
            ("inode", "INTEGER"),
        ):
            if name not in columns:  # a database from an earlier version
                con.execute(f"ALTER TABLE files ADD COLUMN {name} {kind}")
        run_columns = {row[1] for row in con.execute("PRAGMA table_info(runs)")}
        for name in ("rules", "cross"):
            if name not in run_columns:
                con.execute(f"ALTER TABLE runs ADD COLUMN {name} TEXT")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"无法打开审核数据库 {shown_path(path)}：{exc}") from None
    return con


def _claim(con: sqlite3.Connection, path: Path) -> None:
    """One audit at a time on a database: an exclusive lock on the file (flock, apart from
    SQLite's own locks), held by a descriptor that lives as long as the connection."""
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking only
        return
    con.execute("PRAGMA user_version")  # creates the file when it is new
    holder = open(path, "rb")
    try:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder.close()
        con.close()
        raise DatabaseError(f"另一个 audit 正在写入审核数据库 {shown_path(path)}，请等它结束后再运行") from None
    _HOLDERS[id(con)] = holder  # released when the process ends or ``close`` is called


_HOLDERS: dict = {}


def close(con: sqlite3.Connection) -> None:
    con.close()
    holder = _HOLDERS.pop(id(con), None)
    if holder is not None:
        holder.close()


def open_for_reading(path: str | Path) -> sqlite3.Connection:
    """A database to read only. Where it cannot be written (read-only media, another owner),
    a WAL database is opened as immutable: SQLite then needs neither its -wal nor -shm file."""
    path = Path(path)
    _check_file(path)
    uri = "file:" + urllib.parse.quote(str(path.resolve()))
    try:
        mode = "?mode=ro" if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK) else "?immutable=1"
        con = sqlite3.connect(uri + mode, uri=True)
        con.execute("SELECT count(*) FROM files").fetchone()
        return con
    except sqlite3.DatabaseError as exc:
        if mode != "?immutable=1":
            try:
                con = sqlite3.connect(uri + "?immutable=1", uri=True)
                con.execute("SELECT count(*) FROM files").fetchone()
                return con
            except sqlite3.DatabaseError:
                pass
        raise DatabaseError(f"无法读取审核数据库 {shown_path(path)}：{exc}") from None


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


def current_views(con: sqlite3.Connection) -> None:
    """Temporary views of the files still present and their findings (``current_files``,
    ``current_findings``); they work on a read-only connection and on databases from before
    ``removed`` existed."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(files)")}
    where = " WHERE removed IS NULL" if "removed" in columns else ""
    con.execute(f"CREATE TEMP VIEW current_files AS SELECT * FROM files{where}")
    con.execute(
        "CREATE TEMP VIEW current_findings AS SELECT * FROM findings WHERE path IN (SELECT path FROM current_files)"
    )


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


def store(con: sqlite3.Connection, run_id: int, ruleset: str, row: dict) -> None:
    """Replace one file's results atomically (``store_many`` of one)."""
    store_many(con, run_id, ruleset, [row])


def store_many(con: sqlite3.Connection, run_id: int, ruleset: str, rows: list[dict]) -> None:
    """Replace the results of ``rows`` (one file each) in one transaction: all are stored or
    none. Every text is stored as UTF-8 can encode it, the path as outputs show it (a name that
    is not UTF-8 has its bytes escaped). ``stat``, when a row has it, is what lets the next run
    skip the file without hashing it."""
    files, findings = [], []
    rows = list({shown_path(row["path"]): row for row in rows}.values())  # a path twice: the last row
    for row in rows:
        row = {k: storable(v) for k, v in row.items()} | {"path": shown_path(row["path"])}
        found = [{k: storable(v) for k, v in f.items()} for f in row.get("findings", [])]
        counts = {lv: sum(1 for f in found if f["level"] == lv) for lv in LEVELS}
        stat = row.get("stat") or (None, None, None, None)
        files.append(
            (
                row["path"],
                row["sha256"],
                row["size"],
                row.get("format"),
                row.get("agency"),
                row.get("level"),
                row.get("region"),
                row.get("year"),
                row["status"],
                row.get("reason"),
                row.get("seconds"),
                ruleset,
                run_id,
                counts["error"],
                counts["warning"],
                counts["info"],
                storable(json.dumps(row.get("figures"), ensure_ascii=False)) if row.get("figures") else None,
                stat[1],
                stat[2],
                stat[3],
            )
        )
        findings.extend(
            (
                row["path"],
                f["rule"],
                f["name"],
                f["category"],
                f["level"],
                f["message"],
                storable(json.dumps(f["location"], ensure_ascii=False)),
                f["where"],
                f["fingerprint"],
            )
            for f in found
        )
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
