"""Rule metadata travels with the result and every rule leads to its code: ``explain`` names the
check's file and line, its parameters (types, values as configured) and the case file; SARIF,
the annotated page and the audit dashboard show a level a configuration file changed; one
table of levels; one helper for validation errors naming file and key."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
SEED = FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"  # gives TBL002 (blank cells), an error in its rule file


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "COLUMNS": "400"},
    )


# ---------------------------------------------------------------- explain leads to the code


def _code_line(text: str, check: str) -> tuple[Path, int]:
    m = re.search(rf"检查：`?{check}`?，位于 (linter/checks/\w+\.py):(\d+)（模块 `?linter\.checks\.(\w+)`?）", text)
    assert m, text
    assert Path(m.group(1)).stem == m.group(3)
    return ROOT / m.group(1), int(m.group(2))


def test_explain_names_the_check_its_line_parameters_and_case_file(tmp_path):
    proc = cli("explain", "PUB001", cwd=tmp_path)  # no configuration above tmp_path
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    path, line = _code_line(out, "publication_deadline")
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("def publication_deadline(")
    m = re.search(r"参数（DeadlineParams，位于 (linter/checks/dates\.py):(\d+)）", out)
    assert m and (ROOT / m.group(1)).read_text(encoding="utf-8").splitlines()[int(m.group(2)) - 1].startswith(
        "class DeadlineParams("
    )
    # the deadline defaults come from the check's parameters, with their types
    assert 'department（str）= "01-31"（检查的默认值）' in out
    assert 'government（str）= "03-31"（检查的默认值）' in out
    assert "regions（dict[str, dict[str, str]]）= {}" in out
    cases = yaml.safe_load((ROOT / "tests" / "cases" / "PUB001.yaml").read_text(encoding="utf-8"))["cases"]
    assert f"用例：tests/cases/PUB001.yaml（{len(cases)} 个用例" in out
    assert "规则文件：rules/PUB001.yaml" in out and "未找到配置文件" in out


def test_explain_shows_parameters_and_level_as_a_configuration_sets_them(tmp_path):
    (tmp_path / ".nianbao-lint.toml").write_text(
        'ignore = ["PUB"]\n[rules.PUB001]\nlevel = "warning"\n[deadlines]\ndepartment = "01-10"\n', encoding="utf-8"
    )
    out = cli("explain", "late-publication", cwd=tmp_path).stdout
    assert 'department（str）= "01-10"（配置）' in out and 'government（str）= "03-31"（检查的默认值）' in out
    assert "默认级别：错误（error）" in out and "按配置 .nianbao-lint.toml 的级别：警告（warning）" in out
    assert "配置：.nianbao-lint.toml（按其 select/ignore，本规则不运行）" in out
    # a rule whose parameters come from its rule file, with --config given explicitly
    other = tmp_path / "other.toml"
    other.write_text('[rules.ARI001.params]\nidentity = "T3-2"\n', encoding="utf-8")
    out = cli("explain", "ARI001", "--config", other).stdout
    _code_line(out, "table_identity")
    assert 'identity（str）= "T3-2"（配置）' in out and f"配置：{other}" in out
    assert 'identity（str）= "T3-1"（规则文件）' in cli("explain", "ARI001", cwd=tmp_path).stdout


def test_every_rule_leads_to_code_that_exists(all_rules):
    from linter.explain import code

    for rule in all_rules:
        text = code(rule, None, None, True)
        path, line = _code_line(text, rule.spec.check)
        assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith(f"def {rule.check.fn.__name__}(")
        assert f"tests/cases/{rule.spec.id}.yaml（" in text and "在源代码仓库中" not in text


# ---------------------------------------------------------------- the registry and its map


def test_registry_imports_every_module_of_the_package_and_the_docstring_maps_each_family(all_rules):
    import pkgutil

    import linter.checks as checks

    modules = {m.name for m in pkgutil.iter_modules(checks.__path__)}
    checks.registry()
    assert all(f"linter.checks.{m}" in sys.modules for m in modules)
    deciding = {spec.fn.__module__.rsplit(".", 1)[1] for spec in checks.registry().values()}
    assert deciding <= modules and modules - deciding == {"solve"}  # solve only helps tables
    families = {}
    for line in checks.__doc__.splitlines():
        m = re.fullmatch(r"  ((?:[A-Z]{2,5} )+)\s*(\w+)\s{2,}\S.*", line)
        if m:
            families.update({f: m.group(2) for f in m.group(1).split()})
    for rule in all_rules:
        family = re.match(r"[A-Z]+", rule.spec.id).group(0)
        assert families.get(family) == rule.check.fn.__module__.rsplit(".", 1)[1], rule.spec.id
    assert set(families) == {re.match(r"[A-Z]+", r.spec.id).group(0) for r in all_rules}


# ---------------------------------------------------------------- configured levels in every output


@pytest.fixture()
def reconfigured(tmp_path):
    """A folder with one report and a configuration that makes TBL002 (an error in its rule
    file) a warning."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (tmp_path / ".nianbao-lint.toml").write_text('[rules.TBL002]\nlevel = "warning"\n', encoding="utf-8")
    return tmp_path


def test_sarif_gives_the_configured_level_and_keeps_the_rule_files(reconfigured):
    run = json.loads(cli("check", "--format", "sarif", "reports", cwd=reconfigured).stdout)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["TBL002"]["defaultConfiguration"]["level"] == "warning"
    assert rules["TBL002"]["properties"]["ruleFileLevel"] == "error"
    assert (
        rules["SEC001"]["defaultConfiguration"]["level"] == "error"
        and "ruleFileLevel" not in rules["SEC001"]["properties"]
    )
    found = [r for r in run["results"] if r["ruleId"] == "TBL002"]
    assert found and all(r["level"] == "warning" for r in found)
    assert all(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    # the run's rules are those the configuration selects
    (reconfigured / ".nianbao-lint.toml").write_text('select = ["TBL", "SEC"]\n', encoding="utf-8")
    run = json.loads(cli("check", "--format", "sarif", "reports", cwd=reconfigured).stdout)["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"TBL001", "TBL002", "SEC001"}


def test_annotated_page_gives_the_configured_level(reconfigured):
    page = cli("check", "--format", "html", "reports", cwd=reconfigured).stdout
    row = re.search(r"<tr data-rule='TBL002' data-level='(\w+)'>(.*?)</tr>", page)
    assert row and row.group(1) == "warning"
    assert "<span class='lv warning'>警告</span>" in row.group(2) and "规则文件为错误" in row.group(2)
    assert "条报出问题，1 条的级别按配置调整" in page
    assert "<tr data-rule='ARI004'" not in page  # rules that found nothing and kept their level are not listed
    assert re.search(r"<div class='finding warning' data-level='warning' data-rule='TBL002'>", page)
    assert "<tr data-rule='SEC001' data-level='error'>" in page


def test_dashboard_gives_the_configured_level(reconfigured):
    db = reconfigured / "audit.sqlite"
    audited = cli("audit", "reports", "--db", db, cwd=reconfigured)
    assert audited.returncode == 1, audited.stderr  # SEC001 and LAY001 are still errors
    with sqlite3.connect(db) as con:
        stored = dict(con.execute("SELECT rule, level FROM findings").fetchall())
        rules = {r["id"]: r for r in json.loads(con.execute("SELECT rules FROM runs").fetchone()[0])}
    assert stored["TBL002"] == "warning" and rules["TBL002"]["level"] == "warning"
    assert rules["TBL002"]["rule_file_level"] == "error"
    assert cli("audit-report", "--db", db, cwd=reconfigured).returncode == 0
    page = (reconfigured / "audit-report.html").read_text(encoding="utf-8")
    table = re.search(r"<h2>各规则问题数</h2><table class='rules'>(.*?)</table>", page).group(1)
    tbl = re.search(r"<tr><td><code>TBL002</code></td><td>(.*?)</td>", table).group(1)
    assert "<span class='warning'>警告</span>" in tbl and "规则文件为错误" in tbl
    sec = re.search(r"<tr><td><code>SEC001</code></td><td>(.*?)</td>", table).group(1)
    assert "<span class='error'>错误</span>" in sec and "规则文件" not in sec


def test_a_dashboard_of_an_older_database_reads_the_rule_files(reconfigured):
    from linter.audit.summary import collect

    db = reconfigured / "audit.sqlite"
    cli("audit", "reports", "--db", db, cwd=reconfigured)
    with sqlite3.connect(db) as con:  # as a database written before rules were recorded
        con.execute("UPDATE runs SET rules = NULL")
    data = collect(db)
    assert data["rule_docs"]["TBL002"]["level"] == "error" and data["rule_docs"]["TBL002"]["summary"]


# ---------------------------------------------------------------- one table of levels


def test_one_table_of_levels():
    from linter import levels, models
    from linter.config import RuleOverride
    from linter.findings import Finding

    assert typing.get_args(levels.Level) == levels.LEVELS == ("error", "warning", "info")
    assert models.Level is levels.Level and models.LEVEL_RANK is levels.RANK
    assert Finding.model_fields["level"].annotation is levels.Level
    assert RuleOverride.model_fields["level"].annotation == levels.Level | None
    assert sorted(levels.LEVELS, key=levels.RANK.get, reverse=True) == list(levels.LEVELS)
    assert levels.worst(["info", "error", "warning"]) == "error"
    with sqlite3.connect(":memory:") as con:  # the SQL forms sort and select as the table says
        con.execute("CREATE TABLE t (level TEXT)")
        con.executemany("INSERT INTO t VALUES (?)", [("info",), ("odd",), ("error",), ("warning",)])
        order = [lv for (lv,) in con.execute(f"SELECT level FROM t ORDER BY {levels.sql_order()}")]
        assert order == ["error", "warning", "info", "odd"]
        picked = {
            lv for (lv,) in con.execute(f"SELECT level FROM t WHERE level IN {levels.sql_list(['error', 'info'])}")
        }
        assert picked == {"error", "info"}


def test_no_other_module_spells_out_the_level_names():
    spelled = re.compile(
        r"""["']错误["']\s*,\s*["']警告["']|\{\s*["']error["']\s*:|\(\s*["']error["']\s*,\s*["']warning["']"""
    )
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "linter").rglob("*.py")
        if p.name != "levels.py" and spelled.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# ---------------------------------------------------------------- one source of deadline defaults


def test_deadline_defaults_have_one_source():
    from linter.checks.dates import DeadlineParams
    from linter.formats import VERSIONS

    for version in VERSIONS:
        data = yaml.safe_load((ROOT / "linter" / "formats" / f"v{version}.yaml").read_text(encoding="utf-8"))
        assert "deadlines" not in data
    assert (DeadlineParams().department, DeadlineParams().government) == ("01-31", "03-31")


# ---------------------------------------------------------------- one helper for validation errors


def test_validation_errors_name_the_file_and_the_key(tmp_path):
    from linter.config import ConfigError, load_config
    from linter.engine import RuleError, load_rule
    from linter.errors import LocatedError
    from linter.formats import FormatError, FormatSpec

    data = yaml.safe_load((ROOT / "rules" / "ARI001.yaml").read_text(encoding="utf-8"))
    bad = tmp_path / "ARI001.yaml"
    bad.write_text(yaml.safe_dump({**data, "params": {"identity": 3}}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError) as rule_error:
        load_rule(bad)
    assert str(rule_error.value).startswith("ARI001.yaml: params.identity: ")
    assert (rule_error.value.file, rule_error.value.key) == ("ARI001.yaml", "params.identity")

    config = tmp_path / "my.toml"
    config.write_text("[limits]\nmax_pagez = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as config_error:
        load_config(config)
    assert str(config_error.value) == "my.toml: limits.max_pagez: 不认识的设置项；是否想写 'max_pages'？"

    spec = yaml.safe_load((ROOT / "linter" / "formats" / "v2021.yaml").read_text(encoding="utf-8"))
    spec["tables"]["三"]["title"] = ["not", "text"]
    with pytest.raises(ValidationError) as invalid:
        FormatSpec.model_validate(spec)
    error = FormatError.invalid("v2021.yaml", invalid.value)
    assert isinstance(error, LocatedError) and str(error).startswith("v2021.yaml: tables.三.title: ")
    top = LocatedError.invalid("x.yaml", pytest.raises(ValidationError, FormatSpec.model_validate, []).value)
    assert top.key == "(top)"


def test_a_configured_rule_parameter_error_names_the_rule_and_parameter(tmp_path):
    (tmp_path / "bad.toml").write_text("[rules.TXT002.params]\nmin_partz = 2\n", encoding="utf-8")
    proc = cli("check", "--config", tmp_path / "bad.toml", SEED)
    assert proc.returncode == 2
    assert proc.stderr.startswith("nianbao-lint: 配置错误：bad.toml: rules.TXT002.params.min_partz: 不认识的设置项")
    assert "是否想写 'min_parts'？" in proc.stderr  # the nearest parameter of the check, not a top-level key


# ---------------------------------------------------------------- findings share one base


def test_finding_and_related_share_their_fields_and_records(all_rules):
    from linter.api import lint_paths
    from linter.findings import Finding, Related, Stamped

    assert set(Stamped.model_fields) <= set(Finding.model_fields) and set(Related.model_fields) == set(
        Stamped.model_fields
    )
    result = lint_paths([SEED], all_rules)
    finding = next(f for f in result.findings if f.rule == "TBL002")
    assert list(finding.record()) == [
        "file",
        "rule",
        "name",
        "category",
        "level",
        "message",
        "excerpt",
        "expected",
        "actual",
        "fix",
        "fingerprint",
        "location",
        "where",
        "related",
    ]
    related = Related(**{k: getattr(finding, k) for k in Related.model_fields})
    assert list(related.record()) == [
        "rule",
        "name",
        "category",
        "level",
        "message",
        "fingerprint",
        "location",
        "where",
    ]
    assert {k: v for k, v in finding.record().items() if k in related.record()} == related.record()
    assert {r.id for r in result.rules} == {r.spec.id for r in all_rules}
    assert result.rule("TBL002").level == "error" and not result.rule("TBL002").reconfigured
