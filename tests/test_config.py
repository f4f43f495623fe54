"""Configuration as users write it: discovery, selection, overrides, strict errors, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES

from linter import lint
from linter.config import ConfigError, discover, load_config

HAIDONG = FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture
def project(tmp_path):
    reports = tmp_path / "reports" / "2023"
    reports.mkdir(parents=True)
    shutil.copy(HAIDONG, reports / "haidong.txt")
    return tmp_path


def test_discovered_from_a_parent_folder_and_applied(project):
    (project / ".nianbao-lint.toml").write_text(
        'ignore = ["missing-section"]\nmin_level = "warning"\n[rules.TBL002]\nlevel = "warning"\n', encoding="utf-8"
    )
    report = project / "reports" / "2023" / "haidong.txt"
    assert discover(report) == project / ".nianbao-lint.toml"
    result = lint(report)
    levels = {(f.rule, f.level) for f in result.findings}
    assert ("TBL002", "warning") in levels and not {r for r, _ in levels} & {"SEC001"}
    assert all(f.level != "info" for f in result.findings)


def test_pyproject_table_and_fail_level(project):
    (project / "pyproject.toml").write_text(
        '[tool.nianbao-lint]\nfail_level = "warning"\nselect = ["PER"]\n', encoding="utf-8"
    )
    proc = cli("check", "--format", "json", project / "reports")
    assert [r["rule"] for r in json.loads(proc.stdout)] == ["PER001"]
    assert proc.returncode == 1  # a warning fails at fail_level = warning
    assert cli("check", "--exit-zero", project / "reports").returncode == 0


def test_per_file_ignores_and_region_deadlines(project):
    (project / ".nianbao-lint.toml").write_text(
        '[per_file_ignores]\n"reports/2023/*.txt" = ["blank-table"]\n'
        '[deadlines.regions."海东"]\ndepartment = "01-10"\n',
        encoding="utf-8",
    )
    result = lint(project / "reports")
    rules = {f.rule for f in result.findings}
    assert "TBL002" not in rules
    late = [f for f in result.findings if f.rule == "PUB001"]
    assert late and "2024年1月10日" in late[0].message  # signed 18 January, local deadline 10 January


@pytest.mark.parametrize(
    "text, key, hint",
    [
        ('selct = ["ARI"]', "selct", "是否想写 'select'？"),
        ('[rules.ARI009]\nlevel = "warning"', "rules.ARI009", "是否想写 'ARI00"),
        ('ignore = ["blank-tabel"]', "ignore", "是否想写 'blank-table'？"),
        ('[rules.ARI001]\nlevel = "fatal"', "rules.ARI001.level", "应为以下之一：'error'"),
        ('[rules.TXT002]\nparams = { min_parts = "many" }', "rules.TXT002.params.min_parts", "应为整数"),
        ('[deadlines]\ndepartment = "1月31日"', "deadlines.department", "应写作 MM-DD"),
        ("[limits]\nmax_pages = 0", "limits.max_pages", "应大于 0"),
    ],
)
def test_invalid_configuration_names_file_and_key(project, text, key, hint):
    (project / ".nianbao-lint.toml").write_text(text, encoding="utf-8")
    proc = cli("check", project / "reports")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"nianbao-lint: 配置错误：.nianbao-lint.toml: {key}: ") and hint in proc.stderr
    with pytest.raises(ConfigError):
        lint(project / "reports")


def test_explicit_config_overrides_discovery(project, tmp_path_factory):
    (project / ".nianbao-lint.toml").write_text('select = ["SEC"]\n', encoding="utf-8")
    other = tmp_path_factory.mktemp("cfg") / "strict.toml"
    other.write_text('select = ["TBL002"]\n', encoding="utf-8")
    records = json.loads(cli("check", "--format", "json", "--config", other, project / "reports").stdout)
    assert {r["rule"] for r in records} == {"TBL002"}
    assert load_config(other).select == ["TBL002"]


def test_a_pyproject_without_the_table_is_remembered_and_a_broken_one_fails_every_run(project, tmp_path):
    """Whether a pyproject.toml has [tool.nianbao-lint] is kept in the cache for its bytes; the
    answer never outlives the bytes, and a file that is not TOML is the same error each run."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run():
        return subprocess.run(
            [sys.executable, "-m", "linter", "check", "--format", "json", str(project / "reports")],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    unconfigured = run()
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[project]\nname = "reports"\n', encoding="utf-8")
    first, second = run(), run()
    assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr)
    assert (first.returncode, first.stdout) == (unconfigured.returncode, unconfigured.stdout)
    [entry] = (tmp_path / "cache" / "nianbao-lint").glob("pyproject-*.json")
    assert json.loads(entry.read_text(encoding="utf-8"))["data"] is False
    pyproject.write_text('[project]\nname = "reports"\n[tool.nianbao-lint]\nselect = ["PER"]\n', encoding="utf-8")
    assert [r["rule"] for r in json.loads(run().stdout)] == ["PER001"]
    pyproject.write_text('[project\nname = "reports"\n', encoding="utf-8")
    for _ in range(2):
        broken = run()
        assert broken.returncode == 2 and broken.stdout == ""
        assert broken.stderr.startswith("nianbao-lint: 配置错误：pyproject.toml: (toml): "), broken.stderr
    assert len(list((tmp_path / "cache" / "nianbao-lint").glob("pyproject-*.json"))) == 2
