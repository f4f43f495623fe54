"""The command line in a real terminal (a pseudo-terminal of a given size, as the controlling
terminal of the process): the layout at 80 and 120 columns, Ctrl-C during an audit, and the
audit's exit codes."""

from __future__ import annotations

import fcntl
import os
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time

from conftest import FIXTURES

HAIDONG = FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


class Terminal:
    def __init__(self, args, columns: int = 80, rows: int = 40, cwd=None, env=None):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in (env or os.environ).items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        env["TERM"] = "xterm-256color"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "linter", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.seen = b""

    def read_until(self, pattern: str, timeout: float = 300) -> re.Match | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            if not self._read(0.2) and self.proc.poll() is not None:
                break
        return re.search(pattern, self.text())

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the other side closed
            return False
        self.seen += chunk
        return bool(chunk)

    def finish(self, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        while self._read(0.1):
            pass
        os.close(self.master)
        return self.proc.wait(5)

    def text(self) -> str:
        return ANSI.sub("", self.seen.decode("utf-8", "replace"))


def cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_narrow_terminal_puts_message_and_fix_on_their_own_lines():
    term = Terminal(["check", HAIDONG], columns=80)
    assert term.finish() == 1
    lines = term.text().split("\n")
    assert max(cells(line.rstrip()) for line in lines) <= 80
    head = next(i for i, line in enumerate(lines) if line.startswith("错误 SEC001 missing-section"))
    assert "第104行" in lines[head]
    assert lines[head + 1].startswith("  第六部分“其他需要报告的事项”只有标题")  # the whole width for the message
    assert any(line.startswith("  修改建议：") for line in lines[head + 1 : head + 5])


def test_wide_terminal_keeps_one_row_per_finding():
    term = Terminal(["check", HAIDONG], columns=120)
    assert term.finish() == 1
    lines = term.text().split("\n")
    row = next(line for line in lines if re.match(r"错误 +SEC001 missing-section", line))
    assert "第104行" in row and "只有标题" in row and max(cells(line.rstrip()) for line in lines) <= 120


def _folder_of_reports(tmp_path, count: int):
    folder = tmp_path / "reports"
    folder.mkdir()
    sources = [FIXTURES / "real" / "2024_huaian-shi_1.pdf", FIXTURES / "real" / "2023_huaian-hongzequ_1.pdf"]
    for n in range(count):
        data = sources[n % 2].read_bytes() + f"\n% copy {n}\n".encode()  # each file its own hash
        (folder / f"{n:03d}.pdf").write_bytes(data)
    return folder


def _group_alive(group: int) -> bool:
    """Whether any process of the session's process group still runs (given a moment to be reaped)."""
    for _ in range(50):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


def test_ctrl_c_ends_an_audit_cleanly_and_the_rerun_resumes(tmp_path):
    folder = _folder_of_reports(tmp_path, 60)
    db = tmp_path / "audit.sqlite"
    term = Terminal(["audit", folder, "--db", db, "-j", "2"], columns=100)
    assert term.read_until(r"检查中.*?\b([3-9]|\d\d)/60"), term.text()
    os.write(term.master, b"\x03")  # Ctrl-C, as typed: the terminal signals the whole foreground group
    code = term.finish()
    text = term.text()
    assert code == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    stops = [line for line in text.split("\n") if "已中断" in line]
    assert len(stops) == 1 and "再次运行同一命令将从中断处继续" in stops[0]
    saved = int(re.search(r"已完成的 (\d+) 个文件的结果已保存", stops[0]).group(1))
    with sqlite3.connect(db) as con:
        stored = con.execute("SELECT count(*) FROM files").fetchone()[0]
    assert 3 <= saved <= stored < 60
    assert not _group_alive(term.proc.pid), "a worker process was left behind"
    again = subprocess.run(
        [sys.executable, "-m", "linter", "audit", str(folder), "--db", str(db), "-j", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 1, again.stderr  # the reports have errors
    assert f"未变化跳过 {stored} 个" in again.stdout and f"检查 {60 - stored} 个" in again.stdout


def test_audit_exit_codes(tmp_path):
    def audit(*paths, extra=()):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "linter",
                "audit",
                *map(str, paths),
                "--db",
                str(tmp_path / f"a{len(os.listdir(tmp_path))}.sqlite"),
                "-j",
                "1",
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )

    clean = FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt"
    assert audit(clean).returncode == 0
    assert audit(HAIDONG).returncode == 1
    assert audit(HAIDONG, extra=("--exit-zero",)).returncode == 0
    assert audit(clean, extra=("--fail-level", "info")).returncode == 1  # it has notes at info level
    slow = audit(FIXTURES / "real" / "2024_huaian-shi_1.pdf", clean, extra=("--timeout", "0.05"))
    assert slow.returncode == 2 and "处理超时" in slow.stderr  # a file could not be checked
