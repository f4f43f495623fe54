"""Tables pasted as pictures into a Word report and a saved web page, read by OCR where the
document has no such table as text: a real report's table pages rendered by PDFium, degraded
like a scan, and embedded in a DOCX (``word/media``) and in an HTML page (a file beside it)."""

from __future__ import annotations

import io
import zipfile

import pypdfium2 as pdfium
import pytest
from conftest import FIXTURES
from ocrscans import degrade

from linter.api import read
from linter.models import CellStatus

SOURCE = FIXTURES / "real" / "2024_huaian-shi_1.pdf"
PAGES = [3, 4]  # heading 三 and table 三, table 四

_DOC = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>{}</w:body></w:document>'
)
_TEXT = [
    "淮安市人民政府2024年政府信息公开工作年度报告",
    "一、总体情况",
    "2024年，我市认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "二、主动公开政府信息情况",
    "详见下表。",
]
_END = ["六、其他需要报告的事项", "本年度无其他需要报告的事项。"]


def _pictures() -> list[bytes]:
    pdf, out = pdfium.PdfDocument(str(SOURCE)), []
    for index in PAGES:
        image = degrade(pdf[index].render(scale=200 / 72, rev_byteorder=True).to_pil(), index, stamp=False)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


@pytest.fixture(scope="module")
def pictures():
    return _pictures()


@pytest.fixture(scope="module")
def text_cells():
    report = read(SOURCE)[0]
    return {ref: c for ref, c in report.tables["三"].cells.items() if c.status == CellStatus.NUMBER}


def _agree(report, truth) -> float:
    table = report.tables["三"]
    same = sum(
        1
        for ref, c in truth.items()
        if ref in table.cells and (table.cells[ref].value == c.value or table.cells[ref].raw == c.raw)
    )
    return same / len(truth)


def test_a_word_report_with_table_three_as_a_picture(tmp_path, pictures, text_cells):
    body = "".join(map(_para, _TEXT))
    rels = []
    for n, _ in enumerate(pictures, start=1):
        body += (
            f'<w:p><w:r><w:drawing><a:graphic><a:graphicData><a:blip r:embed="rId{n}"/>'
            f"</a:graphicData></a:graphic></w:drawing></w:r></w:p>"
        )
        rels.append(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/image" Target="media/image{n}.png"/>'
        )
    body += "".join(map(_para, _END))
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("word/document.xml", _DOC.format(body))
        z.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">' + "".join(rels) + "</Relationships>",
        )
        for n, blob in enumerate(pictures, start=1):
            z.writestr(f"word/media/image{n}.png", blob)
    report, _ = read(path)
    assert report.ocr_pages == [0]
    assert list(report.sections) == ["一", "二", "三", "四", "五", "六"]
    assert _agree(report, text_cells) >= 0.95
    assert report.tables["四"].found and report.tables["四"].has_numbers


def test_a_web_page_with_its_tables_as_pictures_beside_it(tmp_path, pictures, text_cells):
    (tmp_path / "page_files").mkdir()
    imgs = ""
    for n, blob in enumerate(pictures, start=1):
        (tmp_path / "page_files" / f"t{n}.png").write_bytes(blob)
        imgs += f'<p><img src="page_files/t{n}.png"></p>'
    html = (
        "<html><head><meta charset='utf-8'><title>年度报告</title></head><body><div class='article'>"
        + "".join(f"<p>{t}</p>" for t in _TEXT)
        + imgs
        + "".join(f"<p>{t}</p>" for t in _END)
        + "<p><img src='https://example.invalid/never-fetched.png'></p></div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    report, _ = read(path)
    assert report.ocr_pages == [0]
    assert _agree(report, text_cells) >= 0.95
    assert list(report.sections) == ["一", "二", "三", "四", "五", "六"]
