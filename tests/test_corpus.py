"""The real corpus (fixtures/real, provenance in SOURCES.tsv): every file is read without a crash,
the defects noted in SOURCES.tsv are found by the rule of their category, files noted as clean
get no error, findings carry the place right for the format, and unreadable PDFs get one
clear parse-error finding."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURES

from linter import engine
from linter.api import lint_file

REAL = FIXTURES / "real"
FILES = sorted(p for p in REAL.iterdir() if p.suffix != ".tsv")


@pytest.fixture(scope="module")
def results(all_rules):
    return {p.name: lint_file(p, all_rules) for p in FILES}


def test_every_real_file_is_read(results):
    assert len(results) == 34
    for name, fr in results.items():
        assert fr.error is None, name
        assert not any(f.rule == "PAR001" for f in fr.findings), name


# file → findings that must be there: (rule, table or section, row or col or None, text in message)
DEFECTS = {
    "2023_huaian-hongzequ_1.pdf": [("ARI004", "四", "review", "为11"), ("ARI004", "四", "suit_after_review", "为5")],
    "2020_pingtan_1.txt": [("ARI002", "三", "natural", "之和为26"), ("ARI002", "三", "total", "之和为27")],
    "2023_shuyang-fagaiju_1.html": [
        ("TBL002", "三", None, "所有行的［商业企业、科研机构、社会公益组织、法律服务机构、其他］列")
    ],
    "2023_pingtan-guoziju_1.html": [("CIT001", None, None, "国办公开办函〔2019〕60号")],
    "2023_pingtan-jingfaju_1.html": [("ARI001", "三", "natural", "为3"), ("ARI001", "三", "total", "为3")],
    "2024_pingtan-jingfaju_1.txt": [("ARI001", "三", "total", "为3"), ("ARI002", "三", "total", "（七）总计为0")],
    "2021_pingtan-shichangjianguanju_1.txt": [("TBL002", "三", None, "［3.其他］整行")],
    # the defect SOURCES.tsv leaves unverifiable is reported as unreadable, not guessed
    "2019_pingtan-gonganju_1.txt": [("PAR002", "三", None, "一、本年新收")],
    "2024_pingtan-shehuishiyeju_1.txt": [("PAR002", "四", None, "00202000001324015")],
}


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_noted_defects_are_found(results, name):
    # a finding merged into another one's cause still counts for its own rule
    findings = [part for f in results[name].findings for part in engine.unmerged(f)]
    for rule, where, what, text in DEFECTS[name]:
        hits = [
            f
            for f in findings
            if f.rule == rule
            and text in f.message
            and (where is None or where in (f.location.table, f.location.section))
            and (what is None or what in (f.location.row, f.location.col))
        ]
        assert hits, f"{name}: no {rule} {where} {what} {text!r} in {[f.message for f in findings]}"


CLEAN = [
    "2024_huaian-shi_1.pdf",
    "2023_pingtan-junshanpianqu_1.html",
    "2024_pingtan_1.txt",
    "2025_pingtan_1.txt",
    "2020_pingtan-caizhengjinrongju_1.txt",
    "2021_pingtan-jinjingpianqu_1.txt",
    "2024_pingtan-junshanpianqu_1.txt",
    "2025_pingtan-xingzhengshenpiju_1.txt",
    "2024_pingtan-gonganju_1.txt",
    "2025_shuyang-xianzhengfu_1.txt",
    "2023_pingtan-shichangjianguanju_1.html",
]


@pytest.mark.parametrize("name", CLEAN)
def test_files_noted_clean_get_no_error(results, name):
    assert [f.message for f in results[name].findings if f.level == "error"] == []


def test_blank_template_gets_blank_tables_and_nothing_absurd(results):
    errors = [f for f in results["tmpl_2021format-blank_1.docx"].findings if f.level == "error"]
    assert sorted((f.rule, f.location.table) for f in errors) == [
        ("PLH001", None),
        ("TBL002", "三"),
        ("TBL002", "二"),
        ("TBL002", "四"),
    ]
    assert all("整张表均未填写" in f.message for f in errors if f.rule == "TBL002")
    assert "（文字描述）" in next(f.message for f in errors if f.rule == "PLH001")


def test_reports_before_2019_are_not_judged_by_the_format(results):
    for name in ("2017_pingtan_1.txt", "2018_pingtan_1.txt"):
        assert [f.rule for f in results[name].findings] == ["PAR004"]


def test_locations_fit_the_format(results):
    pdf = next(f for f in results["2023_huaian-hongzequ_1.pdf"].findings if f.rule == "ARI004")
    assert pdf.location.page == 4 and pdf.location.row_label == "行政复议" and pdf.location.col_label == "总计"
    html = next(f for f in results["2023_pingtan-guoziju_1.html"].findings if f.rule == "CIT001")
    assert html.location.paragraph == 0 and html.location.page is None
    docx = next(f for f in results["tmpl_2021format-blank_1.docx"].findings if f.rule == "TBL002")
    assert docx.location.table_index is not None
    txt = next(f for f in results["2024_pingtan-jingfaju_1.txt"].findings if f.rule == "ARI001")
    assert txt.location.line == 10


def _only_parse_error(path, all_rules, words):
    fr = lint_file(path, all_rules)
    assert fr.error is None
    assert [(f.rule, f.level) for f in fr.findings] == [("PAR001", "error")], [f.message for f in fr.findings]
    assert words in fr.findings[0].message
    return fr


def test_scanned_pdf_without_text_layer(tmp_path, all_rules):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(image).rectangle((60, 60, 500, 300), outline="black", width=3)
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF")
    _only_parse_error(path, all_rules, "没有文字层")


def test_password_protected_pdf(tmp_path, all_rules):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(REAL / "2024_huaian-shi_1.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    _only_parse_error(path, all_rules, "已加密")


def test_truncated_pdf_and_a_page_that_is_no_report(tmp_path, all_rules):
    data = (REAL / "2024_huaian-shi_1.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    fr = lint_file(tmp_path / "cut.pdf", all_rules)
    assert fr.error is None and fr.findings and fr.findings[0].category == "parse-error"
    page = tmp_path / "news.html"
    page.write_text(
        "<html><body><div class='content'><p>会议通知：定于周一上午召开工作例会。</p></div></body></html>",
        encoding="utf-8",
    )
    _only_parse_error(page, all_rules, "无法按年度报告检查")


def test_cli_over_the_whole_corpus():
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(REAL)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "共检查 34 个文件" in proc.stdout


def test_years_of_one_agency_linked_in_a_folder_run(all_rules):
    from linter.api import lint_paths

    result = lint_paths([REAL], all_rules)
    cross = [(f.rule, f.file.rsplit("/", 1)[-1]) for f in result.findings if f.category == "cross-year"]
    # 平潭管委会 2020–2025 and 经发局 2022–2024 are linked; their carry-over figures agree
    assert cross == [("XYR002", "2023_pingtan-jingfaju_1.html")]


def test_size_and_page_limits_and_awkward_paths(tmp_path, all_rules):
    from pypdf import PdfWriter

    from linter.config import Limits

    writer = PdfWriter()
    for _ in range(1000):
        writer.add_blank_page(width=595, height=842)
    book = tmp_path / "一千页 报告.pdf"
    with open(book, "wb") as fh:
        writer.write(fh)
    _only_parse_error(book, all_rules, "超过上限 300 页")
    big = tmp_path / "big page.html"
    with open(big, "wb") as fh:  # 21 MB: refused from its size, before it is read
        fh.write(b"<html><body>")
        fh.truncate(21 * 1024 * 1024)
    _only_parse_error(big, all_rules, "超过上限 20 MB")
    from linter.api import read

    page = FIXTURES / "real" / "2023_pingtan-jingfaju_1.html"  # about 200 KB
    assert read(page, Limits(max_bytes=100 * 1024))[0].recognised is False
    report, result = read(page, Limits(max_bytes=1024 * 1024))
    assert report.recognised and result.error is None
    loop = tmp_path / "报告 文件夹"
    loop.mkdir()
    (loop / "self").symlink_to(loop, target_is_directory=True)
    (loop / "聊城 2024.txt").write_bytes((FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt").read_bytes())
    from linter.api import collect

    assert [p.name for p in collect([loop])] == ["聊城 2024.txt"]  # the link loop is not followed
