"""A minimal Word (.docx) file written with zipfile: paragraphs and ruled tables whose merged
cells use gridSpan and vMerge, as Word saves the official template."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from harness.model import Source
from harness.render import Span, blocks, place

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FONT = '<w:rFonts w:ascii="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC"/>'
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _para(text: str, bold: bool = False, align: str | None = None, size: int = 21) -> str:
    ppr = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    rpr = f'<w:rPr>{FONT}{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/></w:rPr>'
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _table(rows: list[list[Span]]) -> str:
    """Rows of spans as w:tbl: a cell covered from above is a vMerge continuation cell."""
    placed, width = place(rows)
    grid = "".join(f'<w:gridCol w:w="{8800 // width}"/>' for _ in range(width))
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{BORDERS}</w:tblBorders>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    for i in range(len(rows)):
        out.append("<w:tr>")
        col = 0
        while col < width:
            cell, down, across = placed[(i, col)]
            origin = down == 0 and across == 0
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = "" if cell.rowspan == 1 else ('<w:vMerge w:val="restart"/>' if origin else "<w:vMerge/>")
            text = _para(cell.text, size=18) if origin else "<w:p/>"
            out.append(f"<w:tc><w:tcPr>{span}{merge}</w:tcPr>{text}</w:tc>")
            col += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def docx(source: Source) -> bytes:
    body = []
    for kind, payload in blocks(source):
        if kind == "title":
            body.append(_para(payload, bold=True, align="center", size=32))
        elif kind == "heading":
            body.append(_para(payload, bold=True))
        elif kind == "table":
            body.append(_table(payload[1]))
            body.append(_para(""))
        elif kind == "signoff":
            body.append(_para(payload, align="right"))
        else:
            body.append(_para(payload))
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>'
        + "".join(body)
        + "<w:sectPr/></w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
    return buf.getvalue()
