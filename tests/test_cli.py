"""The command line as users run it: real subprocesses, exit codes, outputs."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURES

SEEDS = FIXTURES / "seeds"
CLEAN = SEEDS / "004_b64fd1fa63a59982.txt"
HAIDONG = SEEDS / "003_72e8cc29e03ca078.txt"


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)], capture_output=True, text=True, env=env, timeout=120
    )


def test_clean_report_exits_zero():
    proc = run("check", CLEAN)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 个错误" in proc.stdout


def test_errors_exit_one_and_console_shows_rule_level_place():
    proc = run("check", HAIDONG)
    assert proc.returncode == 1
    out = proc.stdout
    assert "错误" in out and "TBL002 blank-table" in out and "SEC001 missing-section" in out
    assert "第104行" in out and "表三" in out and "修改建议" in out


def test_subcommand_is_optional_and_folders_are_searched():
    proc = run(SEEDS, "--format", "json")
    assert proc.returncode == 1
    records = json.loads(proc.stdout)
    assert {r["file"].rsplit("/", 1)[-1][:3] for r in records} >= {"002", "003"}
    for r in records:
        assert {"file", "rule", "category", "level", "message", "location"} <= set(r)


def test_json_flat_list_for_haidong():
    records = json.loads(run("check", "--format", "json", HAIDONG).stdout)
    cats = sorted(
        (r["level"], r["category"], r["location"].get("table") or r["location"].get("section")) for r in records
    )
    assert ("error", "blank-table", "三") in cats and ("error", "blank-table", "四") in cats
    assert ("error", "missing-section", "六") in cats


def test_unreadable_input_exits_two_without_traceback(tmp_path):
    proc = run("check", tmp_path / "nope.pdf", CLEAN)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "无法读取文件" in proc.stdout and "TXT001" in proc.stdout  # the other file still reported
    assert proc.stderr.count("\n") == 1 and "nope.pdf" in proc.stderr


def test_bad_arguments_exit_two_with_one_line():
    proc = run("check", "--format", "yaml", CLEAN)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "参数错误" in proc.stderr


def test_select_and_ignore():
    only = json.loads(run("check", "--format", "json", "--select", "blank-table", HAIDONG).stdout)
    assert only and {r["category"] for r in only} == {"blank-table"}
    rest = json.loads(run("check", "--format", "json", "--ignore", "TBL,SEC001", HAIDONG).stdout)
    assert rest and not {r["rule"] for r in rest} & {"TBL001", "TBL002", "SEC001"}


def test_rules_and_explain():
    listing = run("rules").stdout
    assert "ARI001" in listing and "application-balance" in listing
    doc = run("explain", "application-balance")
    assert doc.returncode == 0 and "为什么重要" in doc.stdout and "勾稽关系" in doc.stdout
    assert run("explain", "XYZ999").returncode == 2


def test_dump_shows_recovered_tables():
    proc = run("dump", CLEAN)
    assert proc.returncode == 0 and "表三" in proc.stdout and "103.9" in proc.stdout
    data = json.loads(run("dump", "--format", "json", CLEAN).stdout)
    r01 = data["tables"]["三"]["rows"][0]
    assert r01["row"] == "r01" and r01["cells"]["natural"]["value"] == 8


def test_version_and_no_color():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("nianbao-lint ")
    import os

    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color"}
    out = run("check", HAIDONG, env=env).stdout
    assert "\x1b[" not in out


def test_python_api_returns_the_typed_result():
    from linter import lint

    result = lint(HAIDONG)
    assert [fr.path for fr in result.files] == [str(HAIDONG)]
    assert result.count("error") == 4 and {f.rule for f in result.findings} >= {"TBL002", "SEC001", "LAY001"}


def test_cross_year_from_files_of_one_run_and_from_previous():
    real = FIXTURES / "real"
    together = json.loads(
        run(
            "check",
            "--format",
            "json",
            "--select",
            "cross-year",
            real / "2022_pingtan-jingfaju_1.txt",
            real / "2023_pingtan-jingfaju_1.html",
        ).stdout
    )
    assert [(r["rule"], r["file"].rsplit("/", 1)[-1]) for r in together] == [("XYR002", "2023_pingtan-jingfaju_1.html")]
    given = json.loads(
        run(
            "check",
            "--format",
            "json",
            "--select",
            "XYR",
            "--previous",
            real / "2022_pingtan-jingfaju_1.txt",
            real / "2023_pingtan-jingfaju_1.html",
        ).stdout
    )
    assert [r["rule"] for r in given] == ["XYR002"]


def test_dump_reads_each_table_in_its_own_layout():
    data = json.loads(run("dump", "--format", "json", FIXTURES / "real" / "2020_pingtan_1.txt").stdout)
    three = data["tables"]["三"]
    assert three["layout"] == "2019" and [r["row"] for r in three["rows"]][-3:] == ["r21_23", "r24", "r25"]
    assert three["rows"][-3]["cells"]["natural"]["value"] == 4
    shown = run("dump", SEEDS / "003_72e8cc29e03ca078.txt").stdout
    assert "按 2019 年版格式读取" in shown and "本年新制作数量" in shown


def test_a_file_over_the_time_limit_is_reported_and_the_others_still_checked(tmp_path):
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(FIXTURES / "real" / "2024_huaian-shi_1.pdf")
    book = pdfium.PdfDocument.new()
    while len(book) < 120:  # about 2.5 s to read here, far beyond the limit below
        book.import_pages(source)
    slow = tmp_path / "很长的 报告.pdf"
    book.save(slow)
    config = tmp_path / ".nianbao-lint.toml"
    config.write_text("[limits]\nmax_seconds = 0.4\n", encoding="utf-8")
    proc = run("check", "--config", config, "--format", "json", slow, SEEDS / "003_72e8cc29e03ca078.txt")
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == f"nianbao-lint: {slow}: 处理超时（超过 0.4 秒），未完成检查（可在配置的 limits.max_seconds 中调整）"
    )
    findings = json.loads(proc.stdout)
    slow_entries = [f for f in findings if f["file"] == str(slow)]
    assert [(f["rule"], f["message"]) for f in slow_entries] == [(None, proc.stderr.split(": ", 2)[2].strip())]
    assert {f["rule"] for f in findings if f["file"] == str(SEEDS / "003_72e8cc29e03ca078.txt")} >= {"TBL002", "PER001"}
