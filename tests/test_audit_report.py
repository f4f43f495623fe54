"""The audit dashboard opened in a real headless Chromium: the charts render (plotly draws its
SVG), the drill-down shows one report's findings, and the XLSX workbook has its three sheets."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from browser import CHROMIUM, HEADLESS
from conftest import FIXTURES
from openpyxl import load_workbook


def dom(url: str, profile) -> str:
    flags = [
        *HEADLESS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=10000",
        "--dump-dom",
        url,
    ]
    return subprocess.run([CHROMIUM, *flags], capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    db = folder / "audit.sqlite"
    run = [sys.executable, "-m", "linter"]
    audited = subprocess.run(
        [
            *run,
            "audit",
            str(FIXTURES / "seeds"),
            str(FIXTURES / "real" / "2023_huaian-hongzequ_1.pdf"),
            str(FIXTURES / "real" / "2024_huaian-hongzequ_1.pdf"),
            "--db",
            str(db),
            "-j",
            "2",
        ],
        capture_output=True,
        timeout=300,
    )
    assert audited.returncode == 1, audited.stderr  # errors were found
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
    agencies = re.search(r"<h2>机关排名（按错误数）</h2><table[^>]*>(.*?)</table>", home, re.S).group(1)
    names = re.findall(r"<tr><td>([^<]+)</td>", agencies)
    assert sorted(names) == sorted(
        [
            "淮安市洪泽区人民政府",
            "淄博市卫生健康委员会",
            "临淄区卫生健康局",
            "海东市卫生健康委员会",
            "聊城市卫生健康委员会",
            "（未识别机关）",
        ]
    )  # from the reports, the two 洪泽 forms as one
    hongze = re.search(r"<tr><td>淮安市洪泽区人民政府</td><td>(\d+)</td>", agencies).group(1)
    assert hongze == "2"
    assert "数字不符勾稽关系（arithmetic）" in home and "类别说明" in home
    with sqlite3.connect(dashboard / "audit.sqlite") as con:
        info_only = {
            c
            for (c,) in con.execute(
                "SELECT category FROM findings GROUP BY category HAVING max(level='info')=1 AND min(level='info')=1"
            )
        }
    assert "parse-error" in info_only
    chart = re.search(r'id="chart-categories".*?</script>', page, re.S).group(0)
    assert all(f"（{c}）" not in chart for c in info_only) and "（arithmetic）" in chart  # info-level notes left out
    others = re.findall(r'<section class="detail" id="(f\d+)" hidden="">', opened)
    assert target not in others and len(others) == 6


def test_workbook_sheets(dashboard):
    wb = load_workbook(dashboard / "audit-report.xlsx")
    assert wb.sheetnames == ["全部问题", "各机关汇总", "失败文件"]
    sheet = wb["全部问题"]
    findings = list(sheet.iter_rows(values_only=True))
    assert findings[0] == ("文件", "机关", "年度", "地区", "规则", "类别", "级别", "位置", "问题", "修改建议")
    assert len(findings) > 20 and sheet.auto_filter.ref == f"A1:J{len(findings)}"
    ari = next(row for row in findings[1:] if row[4] == "ARI004")
    assert ari[1] == "淮安市洪泽区人民政府" and ari[2] == 2023 and ari[3] == "淮安市"
    assert ari[5] == "数字不符勾稽关系（arithmetic）" and ari[6] == "错误" and ari[9]  # the fix
    assert {row[6] for row in findings[1:]} <= {"错误", "警告", "提示"}
    assert sheet.column_dimensions["I"].width >= 40 and sheet["I2"].alignment.wrap_text
    agencies = [row[0] for row in wb["各机关汇总"].iter_rows(min_row=2, values_only=True)]
    assert "海东市卫生健康委员会" in agencies


def test_agency_names_join_a_name_with_and_without_its_city_only_when_unambiguous():
    from linter.audit.summary import agency_names

    names = agency_names(
        [
            "洪泽区人民政府",
            "淮安市洪泽区人民政府",
            "淮安市 人民政府",
            "城市管理局",
            "南京市城市管理局",
            "苏州市城市管理局",
            "市场监督管理局",
            "北京市市场监督管理局",
            "浦东新区科技局",
            "上海市浦东新区科技局",
            "涟水县教育局",
            "淮安市涟水县教育局",
            "江苏省淮安市涟水县教育局",
        ]
    )
    assert names["洪泽区人民政府"] == names["淮安市洪泽区人民政府"] == "淮安市洪泽区人民政府"
    assert names["淮安市 人民政府"] == "淮安市人民政府"
    assert names["浦东新区科技局"] == "上海市浦东新区科技局"
    assert names["城市管理局"] == "城市管理局"  # two cities have one: which is unknown
    assert names["市场监督管理局"] == "市场监督管理局"  # no place in the name: not joined to Beijing's
    assert names["涟水县教育局"] == names["淮安市涟水县教育局"] == "江苏省淮安市涟水县教育局"  # one agency, three forms
