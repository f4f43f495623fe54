"""Command-line conventions users bring from the linters they know, run as real subprocesses:
refused typos, options anywhere, suggestions, empty runs, exclude, order by position, stdin,
the concise format, Chinese everywhere, CSV headers, SARIF locations."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES

SEEDS = FIXTURES / "seeds"
HAIDONG = SEEDS / "003_72e8cc29e03ca078.txt"
CLEAN = SEEDS / "004_b64fd1fa63a59982.txt"
HONGZE = FIXTURES / "real" / "2023_huaian-hongzequ_1.pdf"
DOCX = FIXTURES / "real" / "tmpl_2021format-blank_1.docx"


def run(*args, cwd=None, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        input=stdin,
        timeout=180,
        text=stdin is None or isinstance(stdin, str),
    )


@pytest.mark.parametrize(
    "option, value, hint",
    [
        ("--select", "TBL999", "是否想写 'TBL00"),
        ("--select", "blank-tabel", "是否想写 'blank-table'"),
        ("--ignore", "XYZ", "nianbao-lint rules"),
        ("--select", "SEC,arithmetc", "是否想写 'arithmetic'"),
    ],
)
def test_unknown_rules_in_select_and_ignore_are_refused(option, value, hint):
    proc = run("check", option, value, HAIDONG)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"nianbao-lint: 参数错误：{option}：") and hint in proc.stderr
    assert proc.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("-q", HAIDONG),
        ("--format", "json", HAIDONG),
        ("--statistics", HAIDONG),
        (HAIDONG, "--format", "json"),
        ("--select", "TBL", HAIDONG),
    ],
)
def test_options_before_or_after_the_report_in_the_shortcut(args):
    proc = run(*args)
    assert proc.returncode == 1, proc.stderr
    assert "TBL002" in proc.stdout


def test_a_mistyped_subcommand_is_suggested_not_read_as_a_file():
    proc = run("chek", "foo.txt")
    assert proc.returncode == 2 and "'chek'" in proc.stderr and "是否想用 'check'" in proc.stderr
    assert "无法读取" not in proc.stdout + proc.stderr
    assert run("auditt", "--db", "x.sqlite", SEEDS).stderr.count("是否想用 'audit'") == 1


def test_a_folder_with_no_report_says_so_and_exits_two(tmp_path):
    (tmp_path / "README.md").write_text("# 报告仓库\n", encoding="utf-8")
    (tmp_path / "图片.png").write_bytes(b"\x89PNG")
    proc = run("check", tmp_path)
    assert proc.returncode == 2 and "没有找到可检查的报告" in proc.stderr and proc.stdout == ""


@pytest.fixture
def repository(tmp_path):
    """A report repository as people keep them: reports, a README, notes, drafts, a dot-folder."""
    repo = tmp_path / "repo"
    (repo / "2023").mkdir(parents=True)
    (repo / "drafts").mkdir()
    (repo / ".history").mkdir()
    shutil.copy(HAIDONG, repo / "2023" / "haidong.txt")
    shutil.copy(CLEAN, repo / "2023" / "liaocheng.txt")
    shutil.copy(HAIDONG, repo / "drafts" / "old.txt")
    shutil.copy(HAIDONG, repo / ".history" / "x.txt")
    (repo / "README.md").write_text("# 年度报告\n本仓库存放各单位的报告。\n", encoding="utf-8")
    (repo / "notes.txt").write_text("待办：周五前交稿，找张科长签字。\n", encoding="utf-8")
    (repo / "CHANGELOG.md").write_text("- 2024-01 更新\n", encoding="utf-8")
    return repo


def linted(proc) -> set[str]:
    return {r["file"].replace("\\", "/").split("repo/")[-1] for r in json.loads(proc.stdout)}


def test_exclude_defaults_configuration_and_command_line(repository):
    proc = run("check", "--format", "json", repository)
    assert linted(proc) == {"2023/haidong.txt", "2023/liaocheng.txt", "drafts/old.txt"}
    assert "跳过" in proc.stderr and "notes.txt" in proc.stderr and "README" not in proc.stderr
    assert linted(run("check", "--format", "json", "--exclude", "drafts", repository)) == {
        "2023/haidong.txt",
        "2023/liaocheng.txt",
    }
    (repository / ".nianbao-lint.toml").write_text('exclude = ["2023/liao*"]\n', encoding="utf-8")
    assert linted(run("check", "--format", "json", repository)) == {"2023/haidong.txt", "drafts/old.txt"}
    (repository / ".nianbao-lint.toml").write_text('exclud = ["x"]\n', encoding="utf-8")
    bad = run("check", repository)
    assert bad.returncode == 2 and "exclud" in bad.stderr and "是否想写 'exclude'" in bad.stderr


def test_named_files_are_linted_unless_force_exclude(repository):
    named = run("check", "--format", "json", repository / "notes.txt")
    assert named.returncode == 1 and [r["rule"] for r in json.loads(named.stdout)] == ["PAR001"]
    hooked = run("check", "--force-exclude", "notes.txt", "README.md", "drafts/old.txt", cwd=repository)
    assert hooked.returncode == 1 and "drafts/old.txt" in hooked.stdout and "notes.txt" not in hooked.stdout
    only_notes = run("check", "--force-exclude", "notes.txt", "CHANGELOG.md", cwd=repository)
    assert only_notes.returncode == 0, only_notes.stdout + only_notes.stderr  # nothing that is a report: no block


def test_findings_are_ordered_by_position_in_every_format():
    records = json.loads(run("check", "--format", "json", HONGZE, HAIDONG).stdout)
    assert [r["file"] for r in records] == sorted((r["file"] for r in records), key=[str(HONGZE), str(HAIDONG)].index)
    for name in (str(HONGZE), str(HAIDONG)):
        places = [(r["location"].get("page", 0), r["location"].get("line", 0)) for r in records if r["file"] == name]
        assert places == sorted(places) and len(set(places)) > 2
    console = run("check", HAIDONG).stdout
    lines = [int(m) for m in re.findall(r"第(\d+)行", console)]
    assert lines == sorted(lines) and len(lines) >= 4


def test_stdin_with_the_format_found_from_the_content():
    text = run("check", "--format", "json", "-", stdin=HAIDONG.read_text(encoding="utf-8"))
    records = json.loads(text.stdout)
    assert text.returncode == 1 and {r["file"] for r in records} == {"-"} and "TBL002" in {r["rule"] for r in records}
    pdf = run("check", "--format", "concise", "--stdin-filename", "上传.pdf", "-", stdin=HONGZE.read_bytes())
    out = pdf.stdout.decode("utf-8")
    assert pdf.returncode == 1 and "上传.pdf:" in out and "ARI004" in out and "第4页" in out


def test_concise_format_one_line_per_finding_with_absolute_lines():
    out = run("check", "--format", "concise", HONGZE, HAIDONG, DOCX).stdout.splitlines()
    pattern = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]{3}\d{3}) \[(错误|警告|提示)\] .+$")
    assert out and all(pattern.match(line) for line in out), out
    sarif_free = json.loads(run("check", "--format", "json", HONGZE).stdout)
    ari = next(r for r in sarif_free if r["rule"] == "ARI004")["location"]
    assert ari["page"] == 4
    line = next(int(pattern.match(x)["line"]) for x in out if " ARI004 " in x)
    assert line > ari["line"]  # counted from the first page, not within page 4
    assert any(x.startswith(f"{HAIDONG}:104:1: SEC001 [错误] ") for x in out)
    assert any(" PLH001 " in x and "第5段" in x for x in out if x.startswith(str(DOCX)))


def test_help_errors_and_os_messages_are_chinese(tmp_path):
    helps = [run("-h").stdout, run("check", "-h").stdout, run("audit", "--help").stdout]
    for text in helps:
        assert text.startswith("用法：") and "选项" in text and "显示本帮助并退出" in text
        for english in ("usage:", "options:", "show this help", "positional arguments", "show program"):
            assert english not in text
    for args, want in [
        (("check", "--format", "yaml", CLEAN), "无效的取值 yaml"),
        (("check",), "缺少必需的参数"),
        (("check", CLEAN, "--bogus"), "无法识别的参数：--bogus"),
        (("audit", SEEDS, "--db", "x", "-j", "many"), "many 不是有效的整数值"),
    ]:
        proc = run(*args)
        assert proc.returncode == 2 and want in proc.stderr and "error:" not in proc.stderr, proc.stderr
    proc = run("check", "-o", tmp_path / "no" / "such" / "out.json", CLEAN)
    assert proc.returncode == 2 and proc.stderr.strip().endswith("：文件或文件夹不存在")
    assert "No such file" not in proc.stderr
    shutil.copy(CLEAN, tmp_path / "r.txt")
    for text, want in [
        ("bogus = 1\n", "bogus: 不认识的设置项"),
        ('fail_level = "fatal"\n', "应为以下之一：'error'、'warning'、'info'"),
        ("[limits]\nmax_pages = -1\n", "应大于 0"),
    ]:
        (tmp_path / ".nianbao-lint.toml").write_text(text, encoding="utf-8")
        config = run("check", tmp_path / "r.txt")
        assert config.returncode == 2 and want in config.stderr, config.stderr
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", config.stderr.split(": ", 2)[-1])  # no English sentence


def test_rules_piped_are_not_cut():
    import yaml

    lines = run("rules").stdout.splitlines()
    assert lines[0].split("\t") == ["编号", "名称", "类别", "级别", "说明"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    for path in (FIXTURES.parent / "rules").glob("*.yaml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert rows[spec["id"]][4] == spec["summary"] and rows[spec["id"]][2].endswith(f"（{spec['category']}）")


def test_csv_chinese_headers_over_the_same_columns():
    ids = list(csv.reader(io.StringIO(run("check", "--format", "csv", HAIDONG).stdout.lstrip("\ufeff"))))
    zh = list(
        csv.reader(io.StringIO(run("check", "--format", "csv", "--csv-headers", "zh", HAIDONG).stdout.lstrip("\ufeff")))
    )
    assert ids[0][:5] == ["file", "rule", "name", "category", "level"]
    assert zh[0][:5] == ["文件", "规则", "规则名称", "类别", "级别"] and len(zh[0]) == len(ids[0]) and zh[1:] == ids[1:]


def test_sarif_locations_relative_to_srcroot_with_absolute_lines_and_block_indexes(tmp_path):
    shutil.copy(HONGZE, tmp_path / "hongze.pdf")
    shutil.copy(DOCX, tmp_path / "template.docx")
    run_ = json.loads(run("check", "--format", "sarif", "hongze.pdf", "template.docx", cwd=tmp_path).stdout)["runs"][0]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    results = run_["results"]
    for r in results:
        artifact = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and artifact["uri"] in ("hongze.pdf", "template.docx")
    ari = next(r for r in results if r["ruleId"] == "ARI004")
    physical = ari["locations"][0]["physicalLocation"]
    assert (
        physical["properties"]["page"] == 4 and physical["region"]["startLine"] > physical["properties"]["lineOnPage"]
    )
    assert physical["region"]["message"]["text"].startswith("第4页") and "第4页" in ari["message"]["text"]
    docx = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "template.docx"]
    indexed = [r["locations"][0]["physicalLocation"].get("properties", {}) for r in docx]
    assert any("tableIndex" in p for p in indexed) and any("paragraph" in p for p in indexed)


def test_explain_suggests_the_nearest_rule():
    proc = run("explain", "aplication-balance")
    assert proc.returncode == 2 and "是否想查 application-balance？" in proc.stderr
