"""The audit results database as a file: an embedded SQLite file in WAL mode, its schema (and
the columns added since older versions), the lock that lets one audit at a time write it, and
opening it to read, also on read-only media. A path that cannot hold a database is a
``DatabaseError`` with a one-line message. What an audit reads and writes in it is
``linter.audit.store``.

Schema (documented in the README):
  runs(id, started, finished, tool_version, ruleset, paths, files_total, files_linted, files_skipped, files_failed,
       rules, cross)  -- rules: JSON, the run's rules as configured (id, level, rule_file_level, summary, fix …)
  files(path, sha256, size, format, agency, level, region, year, status, reason, seconds, ruleset, run_id,
        errors, warnings, infos, figures, removed, mtime_ns, ctime_ns, inode)
  findings(id, path, rule, name, category, level, message, location, place, fingerprint)
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path

from linter.errors import InputError
from linter.safetext import shown_path

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
