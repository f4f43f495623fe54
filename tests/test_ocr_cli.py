"""Scans through the command line and the audit's worker processes: a real engine in a real
child process, a missing engine, and OCR'd findings stored by an audit."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import FIXTURES
from ocrscans import scan_pdf

SOURCE = FIXTURES / "real" / "2024_huaian-shi_1.pdf"


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "scan" / "2024_scan.pdf"
    path.parent.mkdir()
    path.write_bytes(scan_pdf(SOURCE, [4], seed=11))  # the page with the end of table 三 and table 四
    return path


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)], capture_output=True, text=True, timeout=600, env=env
    )


def test_without_the_engine_a_scan_gets_one_finding_that_says_how_to_enable_ocr(scan, tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # no tesseract on the search path
    proc = run("check", scan, "--format", "json", env=env)
    assert proc.returncode == 1, proc.stderr
    assert "PAR001" in proc.stdout and "pip install 'nianbao-lint[ocr]'" in proc.stdout
    assert "tesseract-ocr-chi-sim" in proc.stdout


def test_dump_marks_the_ocr_reading_and_never_reads_nothing(scan):
    proc = run("dump", scan)
    assert proc.returncode == 0, proc.stderr
    assert "表四" in proc.stdout and "~＝文字识别（OCR）置信度低" in proc.stdout
    never = run("dump", scan, "--ocr", "never")
    assert "--ocr never" in never.stdout


def test_an_audit_reads_a_scan_in_its_workers(scan, tmp_path):
    db = tmp_path / "audit.db"
    proc = run("audit", scan.parent, "--db", db, "-j", "1", "--timeout", "300")
    assert proc.returncode == 1, proc.stderr  # read, and its errors found
    with sqlite3.connect(db) as con:
        status = con.execute("SELECT status, reason FROM files").fetchall()
        messages = [m for (m,) in con.execute("SELECT message FROM findings")]
    assert status == [("ok", None)]
    assert messages and all(m.startswith("据OCR识别") for m in messages)
