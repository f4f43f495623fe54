"""Every output format on real findings: SARIF validated against the official 2.1.0 schema,
CSV, JUnit, GitHub annotations, the offline HTML page (escaping document text), baselines."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import FIXTURES

SEEDS = FIXTURES / "seeds"
CACHE = Path(__file__).resolve().parent / ".cache"


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "linter", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=180
    )


@pytest.fixture(scope="module")
def sarif_schema():
    """The official SARIF 2.1.0 schema (rtm.5), as Microsoft ships it in an npm package."""
    path = CACHE / "sarif-2.1.0-rtm.5.json"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "pack", "@microsoft/jest-sarif@1.0.0-beta.0", "--pack-destination", str(CACHE)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with tarfile.open(next(CACHE.glob("microsoft-jest-sarif-*.tgz"))) as tar:
            path.write_bytes(tar.extractfile("package/lib/schemas/sarif-2.1.0-rtm.5.json").read())
    return json.loads(path.read_text(encoding="utf-8"))


def test_sarif_is_valid_and_carries_rule_metadata(sarif_schema, tmp_path):
    import jsonschema

    out = tmp_path / "out.sarif"
    proc = cli("check", "--format", "sarif", "--output", out, SEEDS, FIXTURES / "real" / "2023_huaian-hongzequ_1.pdf")
    assert proc.returncode == 1 and proc.stdout == ""
    sarif = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, sarif_schema)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["ARI004"]["defaultConfiguration"]["level"] == "error" and rules["ARI004"]["help"]["text"]
    ari = next(r for r in run["results"] if r["ruleId"] == "ARI004")
    assert run["tool"]["driver"]["rules"][ari["ruleIndex"]]["id"] == "ARI004"
    assert ari["properties"]["page"] == 4 and ari["partialFingerprints"]["nianbaoLint/v1"]
    # the two 总计 cells left at 0 are one cause: the second row's finding is a related location
    assert [r["properties"]["ruleId"] for r in ari["relatedLocations"]] == ["ARI004"]


def test_csv_junit_github_statistics(tmp_path):
    rows = list(csv.DictReader(io.StringIO(cli("check", "--format", "csv", SEEDS).stdout.lstrip("\ufeff"))))
    assert {"TBL002", "SEC001", "CIT001"} <= {r["rule"] for r in rows}
    assert any(r["table"] == "四" and r["level"] == "error" for r in rows)
    junit = ElementTree.fromstring(cli("check", "--format", "junit", SEEDS).stdout)
    suites = junit.findall("testsuite")
    assert len(suites) == 5 and int(junit.get("failures")) >= 5
    assert any(tc.find("failure") is not None and "TBL002" in tc.get("name") for tc in junit.iter("testcase"))
    github = cli("check", "--format", "github", SEEDS / "003_72e8cc29e03ca078.txt").stdout.splitlines()
    assert any(line.startswith("::error file=") and "line=104" in line and "[SEC001]" in line for line in github)
    stats = cli("check", "--statistics", SEEDS).stdout
    assert "TBL002" in stats and "共计（5 个文件）" in stats


def test_html_page_is_self_contained_and_escapes_document_text(tmp_path):
    hostile = "[bookmark: <script>alert(1)</script><img src=x onerror=alert(2)>]"
    report = (
        (SEEDS / "004_b64fd1fa63a59982.txt")
        .read_text(encoding="utf-8")
        .replace("（一）依法主动公开。", f"{hostile}（一）依法主动公开。")
    )
    path = tmp_path / "hostile.txt"
    path.write_text(report, encoding="utf-8")
    page = cli("check", "--format", "html", path, SEEDS / "003_72e8cc29e03ca078.txt").stdout
    assert page.startswith("<!DOCTYPE html>") and "PLH002" in page and "表三" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page  # shown, as text
    assert page.count("<script") == 1 and "<img" not in page  # the page's own filter script only
    assert "default-src 'none'" in page and "script-src 'sha256-" in page
    assert "http" not in page.split("</style>", 1)[1]  # offline, nothing fetched


def test_baseline_hides_known_findings_and_survives_reformatting(tmp_path):
    report = tmp_path / "r.txt"
    text = (SEEDS / "002_6bf81d20b44f1e63.txt").read_text(encoding="utf-8")
    report.write_text(text, encoding="utf-8")
    base = tmp_path / "baseline.json"
    assert cli("check", "--write-baseline", base, report).returncode == 1
    entries = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert entries and all(e["file"] == "r.txt" and "reason" in e for e in entries)
    report.write_text("\n\n" + text.replace("。", "。\n"), encoding="utf-8")  # reformatted, same content
    proc = cli("check", "--format", "json", "--baseline", base, report)
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    report.write_text(text.replace("2023年1月1日", "2022年1月1日"), encoding="utf-8")  # a new defect
    new = json.loads(cli("check", "--format", "json", "--baseline", base, report).stdout)
    assert [r["rule"] for r in new] == ["PER002"]
