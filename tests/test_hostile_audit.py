"""A hostile batch under ``audit`` and ``audit-report``: names that are not UTF-8 or carry
escapes, a FIFO and a device under report names, formula-like names and document text. The
database gets every file (the bad ones as failed, with the reason), a re-run skips them all,
and the workbook holds only text cells. A database on read-only media can still be reported."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import wait_until
from openpyxl import load_workbook
from test_hostile_batch import GOOD, NASTY_LABEL

BOUND = 300


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "linter", *map(str, args)], capture_output=True, timeout=BOUND, **kw)


def _batch(folder: Path) -> None:
    folder.mkdir()
    good = GOOD.read_text(encoding="utf-8")
    with open(os.fsencode(folder) + b"/\xff\xfe \xb1\xa8\xb8\xe6 2023.txt", "wb") as f:  # not UTF-8
        f.write(good.encode())
    (folder / "esc\x1b[31m\x07.txt").write_text(good, encoding="utf-8")
    (folder / "=HYPERLINK(1).txt").write_text(
        good.replace("提(1.本机关不掌握 相关政府信息", NASTY_LABEL, 1), encoding="utf-8"
    )
    (folder / "@SUM(1).txt").write_text("=1+2\n+cmd|' /C calc'!A0\n", encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    os.symlink("/dev/zero", folder / "zero.txt")


def test_audit_and_its_workbook_survive_hostile_names_and_text(tmp_path):
    folder = tmp_path / "batch"
    _batch(folder)
    db = tmp_path / "audit.db"
    proc = cli("audit", "--exit-zero", "--db", db, "-j", "1", "--timeout", "60", folder)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in stderr, stderr  # two files could not be read
    failures = [line for line in stderr.splitlines() if "失败：" in line]
    assert len(failures) == 2 and all("不是普通文件" in line for line in failures), stderr
    with sqlite3.connect(db) as con:
        rows = dict(con.execute("SELECT path, status FROM files"))
    names = {p.rsplit("/", 1)[-1]: s for p, s in rows.items()}
    assert names == {
        "\\xff\\xfe \\xb1\\xa8\\xb8\\xe6 2023.txt": "ok",
        "esc\\x1b[31m\\x07.txt": "ok",
        "=HYPERLINK(1).txt": "ok",
        "@SUM(1).txt": "ok",
        "fifo.txt": "failed",
        "zero.txt": "failed",
    }
    again = cli("audit", "--exit-zero", "--db", db, "-j", "1", folder)
    assert again.returncode == 2 and "未变化跳过 4 个" in again.stdout.decode()  # names match on re-runs

    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    report = cli("audit-report", "--db", db, "--xlsx", xlsx, "--html", html)
    assert report.returncode == 0 and "Traceback" not in report.stderr.decode(), report.stderr
    book = load_workbook(xlsx)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # no formula, whatever the text begins with
    texts = [c.value for c in cells]
    assert any(t.endswith("=HYPERLINK(1).txt") for t in texts) and any("\\x1b[" in t for t in texts)
    assert not any(ch in t for t in texts for ch in "\x00\x07\x1b")
    assert "\\xff\\xfe" in html.read_text(encoding="utf-8")


def test_audit_report_reads_a_database_it_cannot_write(tmp_path):
    """Read-only media, or another user's folder: the WAL database cannot get its -shm file, so
    it is opened immutable. Root ignores permissions, so root runs the report as nobody."""
    as_user = (
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=+dac_read_search",
            "--ambient-caps=+dac_read_search",
        ]
        if os.geteuid() == 0
        else []
    )  # may read all, write nothing
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(GOOD, folder / "海东 2023.txt")
    db = tmp_path / "audit.db"
    assert cli("audit", "--exit-zero", "--db", db, "-j", "1", folder).returncode == 0
    media = Path(tempfile.mkdtemp(dir="/tmp"))  # readable by anyone, writable by root only
    out = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        shutil.copy(db, media / "audit.db")
        media.chmod(0o755)
        (media / "audit.db").chmod(0o444)
        out.chmod(0o777)
        proc = subprocess.run(
            [
                *as_user,
                sys.executable,
                "-m",
                "linter",
                "audit-report",
                "--db",
                str(media / "audit.db"),
                "--xlsx",
                str(out / "r.xlsx"),
                "--html",
                str(out / "r.html"),
            ],
            capture_output=True,
            timeout=BOUND,
            cwd="/tmp",
            env={**os.environ, "HOME": "/tmp"},
        )
        assert proc.returncode == 0, proc.stderr.decode()
        assert "海东 2023.txt" in (out / "r.html").read_text(encoding="utf-8")
        assert sorted(p.name for p in media.iterdir()) == ["audit.db"]  # nothing written beside it
    finally:
        shutil.rmtree(media)
        shutil.rmtree(out)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("command", ["audit", "check"])
def test_a_killed_coordinator_leaves_no_reader_or_worker_behind(tmp_path, command):
    """The fan-out PDF keeps the process reading it busy; SIGKILL the command meanwhile: that
    process must go too (before, an audit worker stayed blocked or spinning for ever)."""
    import signal

    import hostile

    (tmp_path / "fanout.pdf").write_bytes(hostile.fanout_pdf())
    config = tmp_path / "limits.toml"
    config.write_text("[limits]\nmax_seconds = 600\n", encoding="utf-8")
    # the memory limit (1 GB) ends the reading on its own after 10 s or more: the wait below is shorter
    args = ["--db", tmp_path / "a.db", "-j", "1", "--timeout", "600"] if command == "audit" else ["--config", config]
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", command, *map(str, args), str(tmp_path / "fanout.pdf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: _children(proc.pid)), "no reading process was started"
        readers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert wait_until(lambda: not any(_alive(pid) for pid in readers), 5), "a reading process outlived its parent"
    finally:
        proc.kill()
        for pid in _children(proc.pid):
            os.kill(pid, signal.SIGKILL)


def test_a_second_audit_on_the_same_database_is_refused_while_the_first_runs(tmp_path):
    import signal

    import hostile

    (tmp_path / "fanout.pdf").write_bytes(hostile.fanout_pdf())  # keeps the first audit busy
    db = tmp_path / "a.db"
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "linter",
            "audit",
            "--db",
            str(db),
            "-j",
            "1",
            "--timeout",
            "600",
            str(tmp_path / "fanout.pdf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: _children(first.pid)), "the first audit started no worker"
        second = cli("audit", "--exit-zero", "--db", db, "-j", "1", GOOD)
        assert second.returncode == 2 and "Traceback" not in second.stderr.decode()
        assert (
            second.stderr.decode().strip() == f"nianbao-lint: 另一个 audit 正在写入审核数据库 {db}，请等它结束后再运行"
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert wait_until(
        lambda: cli("audit", "--exit-zero", "--db", db, "-j", "1", GOOD).returncode == 0, 30
    )  # free once it ended


def test_chart_labels_are_text_not_markup(tmp_path):
    """An agency name carrying plotly markup (<span style>) is drawn as its characters: the
    dashboard, opened in headless Chromium, has no styled span made from it."""
    import re

    from test_audit_report import CHROMIUM, dom

    folder = tmp_path / "r"
    folder.mkdir()
    styled = '<span style="font-size:200px">海东市卫生健康委员会</span>'
    (folder / "2023.txt").write_text(
        GOOD.read_text(encoding="utf-8").replace("海东市卫生健康委员会", styled), encoding="utf-8"
    )
    db = tmp_path / "a.db"
    assert cli("audit", "--exit-zero", "--db", db, "-j", "1", folder).returncode == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT agency FROM files").fetchone() == (styled,)  # the label reaches the chart
    assert cli("audit-report", "--db", db).returncode == 0
    assert CHROMIUM
    page = dom((tmp_path / "audit-report.html").as_uri(), tmp_path / "profile")
    chart = page.split('id="chart-agencies"', 1)[1][:60000]
    assert 'class="main-svg"' in chart  # drawn
    assert not re.search(r"<tspan[^>]*font-size: ?200px", chart)
    assert re.search(r"<text[^>]*>[^<]*&lt;span ?style=", chart)  # the tag shown as text (spaces dropped from names)


def test_a_file_changed_while_it_is_read_is_not_stored_with_its_old_hash(tmp_path):
    """The results would belong to neither version: the file is failed with the reason, and
    the next run, seeing a new hash, checks it again."""
    import pypdfium2 as pdfium
    from conftest import FIXTURES, wait_until

    source = pdfium.PdfDocument(FIXTURES / "real" / "2024_huaian-shi_1.pdf")
    book = pdfium.PdfDocument.new()
    while len(book) < 150:  # several seconds to read: the change below lands while it is read
        book.import_pages(source)
    report = tmp_path / "batch" / "2024.pdf"
    report.parent.mkdir()
    book.save(report)
    db = tmp_path / "a.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "audit", "--db", str(db), "-j", "1", str(report.parent)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert wait_until(lambda: _children(proc.pid)), "no worker was started"
    with open(report, "ab") as f:
        f.write(b"\n% appended while the audit reads the file\n")
    assert proc.wait(timeout=BOUND) == 2 and b"Traceback" not in proc.stderr.read()  # the file failed
    with sqlite3.connect(db) as con:
        status, reason = con.execute("SELECT status, reason FROM files").fetchone()
    assert status == "failed" and "检查期间被修改" in reason
    again = cli("audit", "--exit-zero", "--db", db, "-j", "1", report.parent)
    assert "检查 1 个，未变化跳过 0 个，失败 0 个" in again.stdout.decode()


def test_files_gone_from_the_folder_are_marked_and_left_out_of_reports(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("甲 2023.txt", "乙 2023.txt"):
        shutil.copy(GOOD, folder / name)
    db = tmp_path / "a.db"
    assert cli("audit", "--exit-zero", "--db", db, "-j", "1", folder).returncode == 0
    (folder / "乙 2023.txt").unlink()
    again = cli("audit", "--exit-zero", "--db", db, "-j", "1", folder)
    assert again.returncode == 0 and "已从文件夹删除 1 个" in again.stdout.decode()
    with sqlite3.connect(db) as con:
        removed = dict(con.execute("SELECT path, removed IS NOT NULL FROM files"))
    assert {p.rsplit("/", 1)[-1]: r for p, r in removed.items()} == {"甲 2023.txt": 0, "乙 2023.txt": 1}
    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    assert cli("audit-report", "--db", db, "--xlsx", xlsx, "--html", html).returncode == 0
    files = {c.value.rsplit("/", 1)[-1] for c in load_workbook(xlsx)["全部问题"]["A"][1:]}
    assert files == {"甲 2023.txt"} and "乙 2023.txt" not in html.read_text(encoding="utf-8")
    shutil.copy(GOOD, folder / "乙 2023.txt")  # back again: checked and shown again
    assert cli("audit", "--exit-zero", "--db", db, "-j", "1", folder).returncode == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM files WHERE removed IS NULL").fetchone() == (2,)
