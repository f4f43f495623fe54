"""Word (.docx) loader: body paragraphs and tables in order, merged cells placed.

Reads ``word/document.xml`` with the standard library only. Headers, footers, footnotes and
text boxes live elsewhere or are skipped, so they do not pollute the body. A horizontally
merged cell (gridSpan) is one cell; a vertically merged one (vMerge) repeats the text of the
cell it continues, so every row keeps all its cells. Documents with a DOCTYPE (entity tricks)
or an oversized body are refused before parsing.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from linter.load import LoadError
from linter.load.blocks import add_table
from linter.models import Document, Location, Paragraph, TextCell

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed: beyond this it is a zip bomb, not a report
_FORMATTING = re.compile(rb"<w:(rPr|pPr|sectPr|tblPr|tcBorders|tblGrid|shd|tcW|vAlign)\b[^>]{0,2000}>")
SKIP = {W + "txbxContent", MC + "Fallback", W + "del", W + "instrText", W + "footnoteReference"}


_T, _BREAKS = W + "t", {W + "tab", W + "br", W + "cr"}
_P, _TBL, _TR, _TC, _TCPR = W + "p", W + "tbl", W + "tr", W + "tc", W + "tcPr"
_GRID_BEFORE, _GRID_SPAN, _VMERGE = f"{W}trPr/{W}gridBefore", W + "gridSpan", W + "vMerge"
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}


def _text(elem: ET.Element) -> str:
    """The visible text under an element, skipping text boxes and deleted runs (in document
    order: ``iter`` walks the tree without recursion; a skipped element's subtree is set aside)."""
    out: list[str] = []
    skipped: set[ET.Element] | None = None
    for node in elem.iter():
        if skipped is not None and node in skipped:
            continue
        tag = node.tag
        if tag in SKIP:
            skipped = skipped or set()
            skipped.update(node.iter())
        elif tag == _T:
            if node.text:
                out.append(node.text)
        elif tag in _BREAKS:
            out.append(" ")
    return "".join(out)


def _without_formatting(xml: bytes) -> bytes:
    """The body XML without run, paragraph, section and table formatting (no text lives there;
    it is most of the bytes, so parsing gets several times faster). Linear: one forward scan."""
    out, pos = [], 0
    while True:
        m = _FORMATTING.search(xml, pos)
        if m is None:
            break
        out.append(xml[pos : m.start()])
        if m.group(0).endswith(b"/>"):
            pos = m.end()
            continue
        close = xml.find(b"</w:" + m.group(1) + b">", m.end())
        if close < 0:
            pos = m.start()
            break
        pos = close + len(m.group(1)) + 5
    out.append(xml[pos:])
    return b"".join(out)


def _val(elem: ET.Element | None, default: str | None = None) -> str | None:
    return default if elem is None else elem.get(W + "val", default)


def _rows(tbl: ET.Element, table_index: int) -> list[list[TextCell]]:
    rows: list[list[TextCell]] = []
    above: dict[int, str] = {}  # grid column → text of the cell a vMerge continues
    loc = Location(table_index=table_index)
    for tr in tbl.findall(_TR):  # direct rows only: a nested table's text belongs to its cell
        row: list[TextCell] = []
        col = int(_val(tr.find(_GRID_BEFORE), "0") or 0)
        for tc in tr.findall(_TC):
            props = tc.find(_TCPR)
            span = int(_val(props.find(_GRID_SPAN) if props is not None else None, "1") or 1)
            vmerge = props.find(_VMERGE) if props is not None else None
            text = " ".join(_text(p) for p in tc if p.tag == _P or p.tag == _TBL).strip()
            if vmerge is not None and _val(vmerge, "continue") != "restart":
                text = above.get(col, "")
            above[col] = text
            row.append(TextCell(text=text, loc=loc))
            col += span
        rows.append(row)
    return rows


def load(data: bytes, path: str, kind: str = "docx") -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise LoadError("不是有效的 Word（.docx）文件：压缩包损坏或缺少正文 word/document.xml") from None
    if info.file_size > MAX_XML_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1_000_000:
        raise LoadError(f"Word 文件正文解压后过大（{info.file_size} 字节），疑似压缩炸弹，已拒绝读取")
    try:
        xml = archive.read(info)
    except Exception as exc:  # corrupt member, bad CRC, unsupported compression
        raise LoadError(f"Word 文件已损坏，无法解压正文：{exc}") from None
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        raise LoadError("Word 文件正文含有 DOCTYPE/实体声明，可能是恶意构造的文件，已拒绝读取")
    try:
        root = ET.fromstring(_without_formatting(xml))
    except ET.ParseError:  # nested formatting (tracked changes) cut wrongly: read it all
        try:
            root = ET.fromstring(xml)
        except ET.ParseError as exc:
            raise LoadError(f"Word 文件正文不是合法的 XML：{exc}") from None
    body = root.find(W + "body")
    doc = Document(path=path, format="docx")
    if body is None:
        return doc
    para_index = table_index = 0
    stack = list(reversed(list(body)))
    while stack:
        node = stack.pop()
        if node.tag == _P:
            text = _text(node).strip()
            if text:
                doc.blocks.append(Paragraph(text=text, loc=Location(paragraph=para_index)))
            para_index += 1
        elif node.tag == _TBL:
            add_table(doc, _rows(node, table_index), Location(table_index=table_index))
            table_index += 1
        elif node.tag in _CONTAINERS:
            stack.extend(reversed(list(node)))
    return doc
