"""The audit dashboard opened in a real headless Chromium: the charts render (plotly draws its
SVG), the drill-down shows one report's findings, and the XLSX workbook has its three sheets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def dom(url: str, profile) -> str:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--virtual-time-budget=10000", "--dump-dom", url]
    return subprocess.run([CHROMIUM, *flags], capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    db = folder / "audit.sqlite"
    run = [sys.executable, "-m", "linter"]
    subprocess.run([*run, "audit", str(FIXTURES / "seeds"), str(FIXTURES / "real" / "2023_huaian-hongzequ_1.pdf"),
                    "--db", str(db), "-j", "2"], check=True, capture_output=True, timeout=300)
    subprocess.run([*run, "audit-report", "--db", str(db)], check=True, capture_output=True, timeout=300)
    return folder


def test_chromium_is_installed():
    assert CHROMIUM, "Debian's chromium package is needed (.ci/run installs it)"


def test_charts_render_and_drill_down_works(dashboard, tmp_path):
    page = (dashboard / "audit-report.html").read_text(encoding="utf-8")
    assert "http" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S).split("<body>", 1)[1]  # offline
    assert "海东市卫生健康委员会" in page and "处理失败的文件" in page
    home = dom((dashboard / "audit-report.html").as_uri(), tmp_path / "p1")
    for chart in ("chart-categories", "chart-rules", "chart-agencies", "chart-years"):
        block = home.split(f'id="{chart}"', 1)[1][:20000]
        assert 'class="main-svg"' in block, f"{chart} was not drawn"
    target = re.search(r"<a href='#(f\d+)'>[^<]*003_72e8cc29e03ca078\.txt</a>", page).group(1)
    opened = dom((dashboard / "audit-report.html").as_uri() + f"#{target}", tmp_path / "p2")
    section = re.search(rf'<section class="detail" id="{target}"( hidden="")?>(.*?)</section>', opened, re.S)
    assert section and section.group(1) is None, "the chosen report's findings are not shown"
    assert "TBL002" in section.group(2) and "SEC001" in section.group(2)
    others = re.findall(r'<section class="detail" id="(f\d+)" hidden="">', opened)
    assert target not in others and len(others) == 5


def test_workbook_sheets(dashboard):
    wb = load_workbook(dashboard / "audit-report.xlsx")
    assert wb.sheetnames == ["全部问题", "各机关汇总", "失败文件"]
    findings = list(wb["全部问题"].iter_rows(values_only=True))
    assert findings[0] == ("文件", "规则", "类别", "级别", "位置", "问题") and len(findings) > 20
    assert any(row[1] == "ARI004" for row in findings[1:])
    agencies = [row[0] for row in wb["各机关汇总"].iter_rows(min_row=2, values_only=True)]
    assert "海东市卫生健康委员会" in agencies
