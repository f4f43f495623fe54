"""A hostile batch under ``check``: files built to hang PDFium, to multiply memory, to make a
pattern super-linear, FIFOs and devices under report names, names that are not UTF-8 or that
carry terminal escapes, all in one folder beside a real report. Each bad file gets one clear
finding or one stderr line; the real report keeps its findings; no traceback, no hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import hostile
from conftest import FIXTURES

GOOD = FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"
BOUND = 240  # seconds the whole subprocess may take: a hang fails the test instead of the suite


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)], capture_output=True, cwd=cwd, timeout=BOUND
    )


def _limits(folder, seconds=30, memory=400):
    config = folder / ".nianbao-lint.toml"
    config.write_text(f"[limits]\nmax_seconds = {seconds}\nmax_memory_mb = {memory}\n", encoding="utf-8")
    return config


def _by_file(findings):
    out = {}
    for f in findings:
        out.setdefault(f["file"].rsplit("/", 1)[-1], []).append(f)
    return out


def test_pdfium_hangs_and_memory_bombs_get_one_line_each_and_the_report_keeps_its_findings(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "fanout.pdf").write_bytes(hostile.fanout_pdf())  # 2.7 KB: 10**6 text objects in PDFium
    (folder / "grid.pdf").write_bytes(hostile.grid_pdf())  # 2001 × 2001 ruling lines
    (folder / "rowspan.html").write_bytes(hostile.rowspan_html())  # 12,000 rows spanning 1,000 each
    (folder / "xml.docx").write_bytes(hostile.big_xml_docx())  # 63 MB of XML, compressed 5:1
    os.mkfifo(folder / "fifo.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    (folder / "海东 2023.txt").write_bytes(GOOD.read_bytes())
    assert len((folder / "fanout.pdf").read_bytes()) < 4096
    out = tmp_path / "out.json"
    proc = cli("check", "--config", _limits(tmp_path), "--format", "json", "-o", out, folder)
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr and proc.returncode == 2
    lines = stderr.strip().splitlines()
    errors = {line.split(": ", 2)[1].rsplit("/", 1)[-1]: line.split(": ", 2)[2] for line in lines}
    assert set(errors) == {"fanout.pdf", "xml.docx", "fifo.txt", "zero.txt"}, lines  # one line each, no other
    assert any(word in errors["fanout.pdf"] for word in ("内存上限", "处理超时")), errors
    assert any(word in errors["xml.docx"] for word in ("内存上限", "处理超时")), errors
    assert "不是普通文件（命名管道（FIFO））" in errors["fifo.txt"] and "不是普通文件（字符设备）" in errors["zero.txt"]
    by_file = _by_file(json.loads(out.read_text(encoding="utf-8")))
    assert {"TBL002", "PER001"} <= {f["rule"] for f in by_file["海东 2023.txt"]}
    grid = " ".join(f["message"] for f in by_file["grid.pdf"])
    assert "表格线过多（2001 条横线 × 2001 条竖线）" in grid
    rowspan = " ".join(f["message"] for f in by_file["rowspan.html"])
    assert "超过 100000 个单元格" in rowspan


def test_small_inputs_that_made_patterns_super_linear_finish_within_the_limit(tmp_path):
    """Each input is 1 MB or more of the shape that made a pattern cubic or quadratic (hours of
    work at this size); the file's own time limit must not be reached."""
    folder = tmp_path / "batch"
    folder.mkdir()
    inputs = {
        "tags.html": b"<a" * 500_000,  # the tag pattern backtracked into the name and attributes
        "names.html": b"<html><body><" + b"a" * 1_000_000,
        "quotes.html": b"<html><body>" + b'<a "x" ' * 150_000,
        "declarations.html": b"<html><body>" + b"<!" * 500_000,
        "scripts.html": b"<html><body>" + b"<script" * 150_000,  # each opening scanned to the end
        "styles.html": b"<html><body>" + b"<style><!--" * 100_000,
        "spaces.txt": "一、总体情况 ".encode() + b" " * 1_000_000 + b"x\n",  # the decoration pattern
        "endings.txt": "这一行很长".encode() * 4 + "。".encode() * 300_000 + b" " * 300_000 + b"x\n",
    }
    for name, data in inputs.items():
        assert len(data) >= 1_000_000
        (folder / name).write_bytes(data)
    (folder / "海东 2023.txt").write_bytes(GOOD.read_bytes())
    named = sorted(folder.iterdir())  # named on the command line: read even where they do not look like reports
    proc = cli("check", "--config", _limits(tmp_path, seconds=60), "--format", "json", *named)
    assert "Traceback" not in proc.stderr.decode()
    assert proc.stderr.decode() == "" and proc.returncode == 1  # no file timed out or failed
    by_file = _by_file(json.loads(proc.stdout))
    assert set(by_file) == set(inputs) | {"海东 2023.txt"}
    assert {"TBL002", "PER001"} <= {f["rule"] for f in by_file["海东 2023.txt"]}


# A row label carrying a screen clear, an OSC 8 hyperlink, rich markup and NUL: TYP001 quotes it
NASTY_LABEL = "提(1.本机关不掌握\x1b[2J\x1b]8;;https://e.x/\x07[link=https://e.x/]相关[/link]\x00政府信息"


def _names_folder(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    good = GOOD.read_text(encoding="utf-8")
    raw = os.fsencode(folder) + b"/\xff\xfe \xb1\xa8\xb8\xe6 2023.txt"  # bytes that are not UTF-8 (GBK 报告)
    with open(raw, "wb") as f:
        f.write(good.encode())
    (folder / "red\x1b[31m \x07bell.txt").write_text(good, encoding="utf-8")
    (folder / "osc\x1b]8;;https:\\e.x\x07点我\x1b]8;;\x07.txt").write_text(good, encoding="utf-8")
    (folder / "[red]标记.txt").write_text(good, encoding="utf-8")
    (folder / "label.txt").write_text(good.replace("提(1.本机关不掌握 相关政府信息", NASTY_LABEL, 1), encoding="utf-8")
    (folder / "=HYPERLINK(1).md").write_text('=HYPERLINK("https://e.x/")\n', encoding="utf-8")
    return folder


def test_names_and_text_with_control_characters_are_shown_escaped_in_every_format(tmp_path):
    folder = _names_folder(tmp_path)
    for fmt in ("console", "json", "junit", "sarif", "csv", "github", "html"):
        out = tmp_path / f"out.{fmt}"
        proc = cli("check", "--format", fmt, "-o", out, folder)
        assert "Traceback" not in proc.stderr.decode() and proc.returncode == 1, (fmt, proc.stderr)
        written = out.read_bytes()
        text = written.decode("utf-8")  # the output is valid UTF-8 in every format
        shown = "%5Cxff%5Cxfe" if fmt == "sarif" else "\\xff\\xfe"  # SARIF: in a percent-encoded URI
        assert shown in text.replace("\\\\", "\\"), fmt  # the undecodable bytes, shown escaped
        if fmt in ("console", "junit", "json", "sarif", "csv"):
            assert "\x1b" not in text and "\x00" not in text and "\x07" not in text, fmt
        if fmt == "junit":
            root = ET.fromstring(written)  # well-formed XML despite ESC and NUL in names and titles
            assert any("\\x1b" in s.get("name") for s in root.iter("testsuite"))
        if fmt == "json":
            files = {f["file"].rsplit("/", 1)[-1] for f in json.loads(text)}
            assert "red\\x1b[31m \\x07bell.txt" in files
    by_file = _by_file(json.loads((tmp_path / "out.json").read_text(encoding="utf-8")))
    typo = [f["message"] for f in by_file["label.txt"] if f["rule"] == "TYP001"]
    assert typo and "\x1b[" in typo[0]  # JSON keeps the text as data (written as \u001b, asserted above)
    console = (tmp_path / "out.console").read_text(encoding="utf-8")
    assert "提(1.本机关不掌握\\x1b[" in console  # the terminal is shown the ESC, not given it


def test_console_on_a_terminal_gets_no_escape_from_the_document(tmp_path):
    """Rich may colour the output of a terminal; the document's own escapes and markup must
    not reach it: every ESC in the output starts one of rich's colour codes (CSI … m)."""
    import re

    folder = _names_folder(tmp_path)
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(folder)], capture_output=True, timeout=BOUND, env=env
    )
    text = proc.stdout.decode()
    assert "\x1b[" in text  # coloured: the check below is not vacuous
    assert not re.sub(r"\x1b\[[0-9;]*m", "", text).count("\x1b")
    assert "\x1b]8" not in text  # no hyperlink, neither the document's OSC 8 nor rich's [link] markup
    assert "[red]标记.txt" in text and "\\x1b]8;;https:\\e.x\\x07点我" in text  # names shown, as text


PEAK = """
import sys
from linter import engine
from linter.api import lint_paths
result = lint_paths([sys.argv[1]], engine.load_rules())
assert len(result.files) == int(sys.argv[2]) and all(fr.findings for fr in result.files)
with open("/proc/self/status") as status:
    print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM")))
"""


def test_check_keeps_kilobytes_per_file_not_whole_reports(tmp_path):
    """Peak memory over 30 and over 230 copies of real reports: the 200 more files may add
    their stored figures and findings each (about 30 KB), not their whole reports (0.37 MB) nor
    copies of their tables' cells (0.12 MB)."""
    sources = sorted((FIXTURES / "real").glob("202[34]_pingtan*.txt"))
    peaks = []
    for n in (30, 230):
        folder = tmp_path / str(n)
        folder.mkdir()
        for i in range(n):
            (folder / f"{i:04d}.txt").write_bytes(sources[i % len(sources)].read_bytes())
        proc = subprocess.run(
            [sys.executable, "-c", PEAK, str(folder), str(n)], capture_output=True, text=True, timeout=BOUND, check=True
        )
        peaks.append(int(proc.stdout))
    per_file_kb = (peaks[1] - peaks[0]) / 200
    assert per_file_kb < 80, per_file_kb


def test_a_folder_deeper_than_the_system_path_limit_is_reported_not_skipped(tmp_path):
    """Folders nested past PATH_MAX (4096 bytes) cannot be listed by their path: the run names
    the first one it could not list, and still checks the report beside it."""
    folder = tmp_path / "deep"
    folder.mkdir()
    (folder / "海东 2023.txt").write_bytes(GOOD.read_bytes())
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 × 250 bytes: made one level at a time, relative to an open folder
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("lost.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as f:
            f.write(GOOD.read_bytes())
    finally:
        os.close(fd)
    proc = cli("check", "--format", "json", folder)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1 and "文件名太长" in stderr and "d" * 250 in stderr
    assert {"TBL002", "PER001"} <= {f["rule"] for f in json.loads(proc.stdout) if f["file"].endswith("海东 2023.txt")}
