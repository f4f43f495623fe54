"""Bad configuration and state: impossible deadlines, infinite or absurd limits, a TOML nested
100,000 deep, a database path that cannot be used, a broken baseline, a file list that is not
UTF-8, a missing ``--previous``. Each is one Chinese line on stderr naming the file and key,
exit 2, no traceback, and nothing half-written."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from test_hostile_batch import GOOD


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        errors="backslashreplace",
    )


def _one_line(proc, *words):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao-lint: "), proc.stderr
    assert re.search(r"[\u4e00-\u9fff]", lines[0])  # said in Chinese
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


CONFIGS = {
    "impossible month": ('[deadlines]\ndepartment = "13-45"\n', ["deadlines.department", "'13-45'"]),
    "not every year": ('[deadlines]\ngovernment = "02-29"\n', ["deadlines.government", "02-29"]),
    "unpadded": ('[deadlines.regions."平潭"]\ndepartment = "1-31"\n', ["deadlines.regions.平潭.department", "MM-DD"]),
    "as a rule parameter": ('[rules.PUB001.params]\ndepartment = "04-31"\n', ["rules.PUB001.params.department"]),
    "infinite seconds": ("[limits]\nmax_seconds = inf\n", ["limits.max_seconds", "inf"]),
    "nan seconds": ("[limits]\nmax_seconds = nan\n", ["limits.max_seconds"]),
    "a year per file": ("[limits]\nmax_seconds = 31536000\n", ["limits.max_seconds", "86400"]),
    "negative memory": ("[limits]\nmax_memory_mb = -1\n", ["limits.max_memory_mb", "应不小于 0"]),
    "deep arrays": ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", ["(toml)", "嵌套"]),
    "deep tables": ("x = " + "{a = " * 50 + "1" + "}" * 50 + "\n", ["(toml)", "嵌套"]),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_bad_configuration_is_one_line_naming_the_key(tmp_path, name):
    text, words = CONFIGS[name]
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    _one_line(cli("check", "--config", config, GOOD), "配置错误", "bad.toml", *words)


def test_good_deadlines_still_apply(tmp_path):
    config = tmp_path / "ok.toml"
    config.write_text('[deadlines]\ndepartment = "02-28"\n[limits]\nmax_seconds = 86400\n', encoding="utf-8")
    proc = cli("check", "--config", config, GOOD)
    assert proc.returncode == 1 and proc.stderr == ""


def test_unusable_database_paths(tmp_path):
    _one_line(cli("audit", "--db", tmp_path / "missing" / "a.db", GOOD), "不存在", "missing")
    (tmp_path / "notes.db").write_text("my notes, not a database\n", encoding="utf-8")
    _one_line(cli("audit", "--db", tmp_path / "notes.db", GOOD), "不是 SQLite 数据库")
    assert (tmp_path / "notes.db").read_text(encoding="utf-8") == "my notes, not a database\n"  # untouched
    (tmp_path / "folder.db").mkdir()
    _one_line(cli("audit", "--db", tmp_path / "folder.db", GOOD), "是一个文件夹")
    _one_line(cli("audit-report", "--db", tmp_path / "notes.db"), "不是 SQLite 数据库")
    with sqlite3.connect(tmp_path / "other.db") as con:  # SQLite, but not an audit database
        con.execute("CREATE TABLE t (x)")
    _one_line(cli("audit-report", "--db", tmp_path / "other.db"), "无法读取审核数据库")


def test_bad_file_lists_baselines_and_previous_reports(tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_bytes(str(GOOD).encode() + b"\n\xb1\xa8\xb8\xe6.txt\n")  # GBK on its second line
    _one_line(cli("audit", "--db", tmp_path / "a.db", f"@{listing}"), "list.txt", "第 2 行", "UTF-8")
    _one_line(cli("audit", "--db", tmp_path / "a.db", f"@{tmp_path / 'none.txt'}"), "无法读取文件清单", "none.txt")
    for name, text, word in (
        ("broken.json", "{not json", "不是有效的 JSON"),
        ("list.json", "[1, 2, 3]", "格式不对"),
        ("entry.json", '{"findings": [{"file": "a.txt"}]}', "第 1 条记录"),
        ("binary.json", "\udcff", "不是有效的 JSON"),
    ):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        _one_line(cli("check", "--baseline", path, GOOD), name, word)
    _one_line(cli("check", "--previous", tmp_path / "2022.txt", GOOD), "上一年度", "2022.txt")
    assert not (tmp_path / "a.db").exists() or sqlite3.connect(tmp_path / "a.db").execute(
        "SELECT count(*) FROM files"
    ).fetchone() == (0,)
