"""Scanned PDFs read by OCR: a real fixture's table pages rendered, degraded like a scan (turned,
speckled, blurred, sealed, JPEG) and rebuilt as an image-only PDF, then read by the real engine
and compared cell by cell with the text-layer reading of the same pages."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import FIXTURES
from ocrscans import scan_pdf
from PIL import Image, ImageDraw

from linter.api import check, read
from linter.config import Limits
from linter.load import ocrgrid, ocrpage
from linter.load.pdf import load as load_pdf
from linter.load.pdfpage import read_page
from linter.load.scanned import MARK, THRESHOLD, review
from linter.models import CellStatus
from linter.parse import parse
from linter.textutil import parse_number

SOURCE = FIXTURES / "real" / "2024_huaian-shi_1.pdf"
PAGES = [3, 4]  # tables 二 (end), 三 and 四


def _subset(source, pages) -> bytes:
    src, out = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    out.import_pages(src, pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    scan, text = folder / "scan.pdf", folder / "text.pdf"
    scan.write_bytes(scan_pdf(SOURCE, PAGES, seed=7))
    text.write_bytes(_subset(SOURCE, PAGES))
    return scan, text


@pytest.fixture(scope="module")
def scan_doc(scanned):
    """The scan loaded by the PDF loader (OCR'd once for the tests that look at the Document)."""
    return load_pdf(scanned[0].read_bytes(), str(scanned[0]))


@pytest.fixture(scope="module")
def readings(scanned):
    """(scan's report and result, text layer's report): read once, as the linter does."""
    scan, text = scanned
    return read(scan), read(text)


def _cells(report):
    return {
        f"{k}/{ref}": c
        for k in ("二", "三", "四")
        for ref, c in report.tables[k].cells.items()
        if c.status != CellStatus.MISSING
    }


def _same(truth, got) -> bool:
    """The scan's cell says what the text layer's says (a cell taken out of the checks by its low
    confidence is judged by its reading)."""
    if got.conf is not None and got.conf < THRESHOLD:
        status, value = parse_number(got.raw)
    else:
        status, value = got.status, got.value
    filled = (CellStatus.NUMBER, CellStatus.INFERRED)  # a value given through the row identity is a value
    return (status in filled, value) == (truth.status in filled, truth.value) and (
        status in filled or status == truth.status
    )


def test_a_scan_has_no_text_layer_and_ocr_reads_its_pages(scanned, scan_doc):
    pdf = pdfium.PdfDocument(str(scanned[0]))
    assert all(not read_page(pdf, i).chars for i in range(len(pdf)))
    doc = scan_doc
    assert doc.meta["ocr"] == "1,2"
    text = " ".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "四、政府信息公开行政复议、行政诉讼情况" in text.replace(" ", "")


def test_table_cells_read_from_the_scan_equal_the_text_layer(readings):
    (report, _), (original, _) = readings
    truth, got = _cells(original), _cells(report)
    assert len(truth) > 150
    exact = [k for k, c in truth.items() if k in got and _same(c, got[k])]
    assert len(exact) >= 0.97 * len(truth)
    confident = [k for k in truth if k in got and got[k].conf is not None and got[k].conf >= THRESHOLD]
    assert len(confident) >= 0.8 * len(truth)
    assert [k for k in confident if not _same(truth[k], got[k])] == []


def test_a_clean_scanned_report_gets_no_error_and_says_it_was_ocrd(readings, all_rules):
    (report, result), (original, result0) = readings
    assert report.ocr_pages == [1, 2]
    findings = check(report, result, all_rules).findings

    def errors(found):  # an excerpt of two pages lacks sections: those errors are the original's too
        return {
            (f.rule, f.location.section, f.location.table, f.location.row, f.location.col)
            for f in found
            if f.level == "error"
        }

    assert errors(findings) == errors(check(original, result0, all_rules).findings)
    assert findings and all(f.message.startswith(MARK) for f in findings)
    assert not [f for f in findings if f.category == "label-typo" and f.level != "info"]


def test_a_low_confidence_cell_is_shown_not_checked_and_named_once(scan_doc):
    doc = scan_doc.model_copy(deep=True)
    # the cell 三［（七）总计］×［自然人］, made unsure as a smudge would
    row = next(
        r
        for b in doc.blocks
        if b.kind == "table"
        for r in b.rows
        if any("总计" in c.text for c in r[:2]) and any(c.text == "2932" for c in r)
    )
    cell = next(c for c in row if c.text == "2932")
    cell.conf = 0.3
    report = parse(doc)
    review(doc, report)
    marked = [c for c in report.tables["三"].cells.values() if c.raw == "2932"]
    assert marked and all(c.status == CellStatus.UNREADABLE and c.conf == 0.3 for c in marked)
    notes = [n for n in report.notes if n.key == "三/ocr-low"]
    assert len(notes) == 1 and "2932" in notes[0].message and "（七）总计" in notes[0].message


def test_digits_and_look_alikes_are_resolved_only_in_cells_of_digits():
    cases = {
        "O": "0",
        "l2": "12",
        "1O5": "105",
        "３０": "30",
        "12.": "12",
        "了": "7",
        "3,05O": "3,050",
        "—": "—",
        "Ol": "Ol",
        "总计": "总计",
        "1 2": "1 2",
        "(五)": "(五)",
    }
    assert {k: ocrpage.as_number(k) for k in cases} == cases


def test_a_turned_page_is_straightened():
    page = pdfium.PdfDocument(str(SOURCE))[4]
    image = page.render(scale=100 / 72, grayscale=True).to_pil().convert("L")
    for angle in (1.2, -0.7):
        turned = np.asarray(image.rotate(angle, resample=Image.BICUBIC, fillcolor=255))
        assert abs(ocrgrid.skew(turned) + angle) <= 0.15


def test_ruling_lines_become_edges_and_cells():
    img = Image.new("L", (600, 400), 255)
    draw = ImageDraw.Draw(img)
    for y in (50, 120, 190, 260):
        draw.line((40, y, 560, y), fill=0, width=2)
    for x in (40, 170, 300, 430, 560):
        draw.line((x, 50, x, 260), fill=0, width=2)
    draw.text((60, 70), "12", fill=0)
    _, ink = ocrgrid.prepare(np.asarray(img.convert("RGB")))
    lines, edges = ocrgrid.ruling(ink, 2.0)
    assert sum(e["orientation"] == "h" for e in edges) == 4 and sum(e["orientation"] == "v" for e in edges) == 5
    assert len(ocrgrid.cells(edges)) == 12
    assert not lines[60:90, 55:100].any()  # the text is not a line


def test_a_red_seal_fades_but_print_under_it_stays():
    rgb = np.array([[[255, 255, 255], [231, 105, 105], [147, 20, 20], [0, 0, 0]]], dtype=np.uint8)
    gray = ocrgrid.to_gray(rgb)
    assert gray[0, 1] > 200 and gray[0, 2] < 160 and gray[0, 3] < 10


def test_the_page_time_limit_skips_the_page_with_a_problem(scanned):
    scan, _ = scanned
    doc = load_pdf(scan.read_bytes(), str(scan), ocr_seconds=0.001)
    assert len([p for p in doc.problems if "超时" in p]) == 2


def test_ocr_never_and_always(scanned, all_rules):
    scan, text = scanned
    report, result = read(scan, Limits(ocr="never"))
    messages = [f.message for f in check(report, result, all_rules).findings if f.rule == "PAR001"]
    assert messages and "--ocr never" in messages[0]
    one = _subset(SOURCE, [0])
    doc = load_pdf(one, "one.pdf", ocr="always")
    assert doc.meta["ocr"] == "1" and "政府信息公开工作年度报告" in " ".join(b.text for b in doc.blocks[:3])
    assert load_pdf(text.read_bytes(), str(text)).meta.get("ocr") is None
