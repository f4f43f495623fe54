"""The warm server's own sample reports, written at its start so that its warm-up exercises every
reader: a text report (checked through the command line in every output format), and a web
page, a Word file and a PDF with ruled tables (read in place: they are the server's own files).
Only what the readers and the parser do matters here, not what the samples say.
"""

from __future__ import annotations

import ctypes
import os
import zipfile
from html import escape

REPORT = """某某县人民政府办公室2023年政府信息公开工作年度报告

一、总体情况
2023年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。

二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
行政规范性文件 1 0 3

三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请数量 1

四、政府信息公开行政复议、行政诉讼情况
行政复议 0

五、存在的主要问题及改进情况
无。

六、其他需要报告的事项
无。

某某县人民政府办公室
2024年1月20日
"""

ROWS = [
    ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
    ("规章", "0", "0", "0"),
    ("行政规范性文件", "1", "0", "3"),
]


def write(folder: str) -> str:
    """Write the samples into ``folder`` (with a configuration to find); the text report's path."""
    with open(os.path.join(folder, ".nianbao-lint.toml"), "w", encoding="utf-8") as out:
        out.write('ignore = ["TYP001"]\n')  # a configuration to find, so that reading one is warm too
    report = os.path.join(folder, "report.txt")
    with open(report, "w", encoding="utf-8") as out:
        out.write(REPORT)
    _html(os.path.join(folder, "report.html"))
    _docx(os.path.join(folder, "report.docx"))
    try:
        _pdf(os.path.join(folder, "report.pdf"))
    except (ImportError, AttributeError, OSError):  # no PDFium, or one without these calls
        pass
    return report


def others(folder: str) -> list[str]:
    return [
        os.path.join(folder, n)
        for n in ("report.html", "report.docx", "report.pdf")
        if os.path.exists(os.path.join(folder, n))
    ]


def _paragraphs() -> list[str]:
    return [line for line in REPORT.splitlines() if line.strip()]


def _html(path: str) -> None:
    body = "".join(f"<p>{escape(line)}</p>" for line in _paragraphs())
    table = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in ROWS)
    page = f"<html><head><meta charset='utf-8'><title>年度报告</title></head><body>{body}<table>{table}</table></body></html>"
    with open(path, "w", encoding="utf-8") as out:
        out.write(page)


def _docx(path: str) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraphs = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in _paragraphs())
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
        for row in ROWS
    )
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{paragraphs}<w:tbl>{cells}</w:tbl></w:body></w:document>'
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", document)


def _pdf(path: str) -> None:
    """A page of ruled rows with Latin text (PDFium's standard fonts have no Chinese)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)

    def rule(x: float, y: float, width: float, height: float) -> None:
        obj = raw.FPDFPageObj_CreateNewRect(x, y, width, height)
        raw.FPDFPageObj_SetFillColor(obj, 0, 0, 0, 255)
        raw.FPDFPath_SetDrawMode(obj, raw.FPDF_FILLMODE_ALTERNATE, False)
        raw.FPDFPage_InsertObject(page.raw, obj)

    for row in range(7):
        rule(50, 700 - row * 20, 400, 0.6)
    for x in (50, 250, 350, 450):
        rule(x, 580, 0.6, 120)
    for row in range(6):
        for column, x in enumerate((55, 255, 355)):
            text = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 9.0)
            words = (f"Row {row}", str(row * 7), str(row + column))[column] + "\0"
            data = ctypes.create_string_buffer(words.encode("utf-16-le"))
            raw.FPDFText_SetText(text, ctypes.cast(data, ctypes.POINTER(ctypes.c_ushort)))
            raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, x, 700 - (row + 1) * 20 + 6)
            raw.FPDFPage_InsertObject(page.raw, text)
    raw.FPDFPage_GenerateContent(page.raw)
    pdf.save(path)
