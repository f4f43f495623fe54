"""The audit results database: an embedded SQLite file in WAL mode, written only by the
coordinating process. Each file's results are replaced in one transaction, so an audit killed
halfway loses nothing it finished and duplicates nothing when resumed.

Schema (documented in the README):
  runs(id, started, finished, tool_version, ruleset, paths, files_total, files_linted, files_skipped, files_failed)
  files(path, sha256, size, format, agency, level, region, year, status, reason, seconds, ruleset, run_id,
        errors, warnings, infos, figures)
  findings(id, path, rule, name, category, level, message, location, place, fingerprint)
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, tool_version TEXT NOT NULL,
  ruleset TEXT NOT NULL, paths TEXT NOT NULL, files_total INTEGER DEFAULT 0, files_linted INTEGER DEFAULT 0,
  files_skipped INTEGER DEFAULT 0, files_failed INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, format TEXT, agency TEXT, level TEXT,
  region TEXT, year INTEGER, status TEXT NOT NULL CHECK (status IN ('ok', 'failed')), reason TEXT,
  seconds REAL, ruleset TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
  errors INTEGER DEFAULT 0, warnings INTEGER DEFAULT 0, infos INTEGER DEFAULT 0,
  figures TEXT);  -- JSON: the table cells the cross-year checks compare
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY, path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE, rule TEXT, name TEXT,
  category TEXT, level TEXT, message TEXT, location TEXT, place TEXT, fingerprint TEXT);
CREATE INDEX IF NOT EXISTS findings_path ON findings(path);
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
CREATE INDEX IF NOT EXISTS files_agency_year ON files(agency, year);
"""


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def connect(path: str | Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(SCHEMA)
    columns = {row[1] for row in con.execute("PRAGMA table_info(files)")}
    if "figures" not in columns:  # a database from an earlier version
        con.execute("ALTER TABLE files ADD COLUMN figures TEXT")
    return con


def start_run(con: sqlite3.Connection, version: str, ruleset: str, paths: list[str]) -> int:
    cur = con.execute("INSERT INTO runs(started, tool_version, ruleset, paths) VALUES (?, ?, ?, ?)",
                      (now(), version, ruleset, json.dumps(paths, ensure_ascii=False)))
    con.commit()
    return cur.lastrowid


def finish_run(con: sqlite3.Connection, run_id: int, total: int, linted: int, skipped: int, failed: int) -> None:
    con.execute("UPDATE runs SET finished=?, files_total=?, files_linted=?, files_skipped=?, files_failed=? "
                "WHERE id=?", (now(), total, linted, skipped, failed, run_id))
    con.commit()


def known(con: sqlite3.Connection) -> dict[str, tuple[str, str, str]]:
    """path → (sha256, ruleset, status) of what is already in the database."""
    return {p: (h, r, s) for p, h, r, s in con.execute("SELECT path, sha256, ruleset, status FROM files")}


def store(con: sqlite3.Connection, run_id: int, ruleset: str, row: dict) -> None:
    """Replace one file's results atomically."""
    findings = row.get("findings", [])
    counts = {lv: sum(1 for f in findings if f["level"] == lv) for lv in ("error", "warning", "info")}
    with con:
        con.execute("DELETE FROM findings WHERE path=?", (row["path"],))
        con.execute(
            "INSERT OR REPLACE INTO files(path, sha256, size, format, agency, level, region, year, status, reason,"
            " seconds, ruleset, run_id, errors, warnings, infos, figures) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (row["path"], row["sha256"], row["size"], row.get("format"), row.get("agency"), row.get("level"),
             row.get("region"), row.get("year"), row["status"], row.get("reason"), row.get("seconds"), ruleset,
             run_id, counts["error"], counts["warning"], counts["info"],
             json.dumps(row.get("figures"), ensure_ascii=False) if row.get("figures") else None))
        con.executemany(
            "INSERT INTO findings(path, rule, name, category, level, message, location, place, fingerprint)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(row["path"], f["rule"], f["name"], f["category"], f["level"], f["message"],
              json.dumps(f["location"], ensure_ascii=False), f["where"], f["fingerprint"]) for f in findings])
