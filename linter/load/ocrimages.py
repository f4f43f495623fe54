"""Tables pasted as pictures into Word and web-page reports, read by OCR.

When a DOCX or HTML report has no statistical table with numbers as text, its pictures are read
like scanned pages: each becomes located paragraphs and table rows (with cell confidences),
placed where the picture stands. Word pictures come from the file's own ``word/media``; a web
page's from ``data:`` URIs or files beside the page on disk. Nothing is fetched.
"""

from __future__ import annotations

import base64
import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

from linter.models import Document, Grid, Location, Paragraph, TextCell

MAX_IMAGES = 12
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 25_000_000
TEXT_WIDTH = 450.0  # points: a picture is taken to span the text width of an A4 page
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_IMG = re.compile(rb"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)


def docx_pictures(data: bytes) -> list[tuple[int, bytes]]:
    """(paragraph index, image bytes) of the pictures in a Word file, in reading order."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        rels, body_info = archive.getinfo("word/_rels/document.xml.rels"), archive.getinfo("word/document.xml")
    except KeyError:
        return []
    if rels.file_size > 2_000_000 or body_info.file_size > 64_000_000:  # the Word loader refused larger
        return []
    rels_xml, xml = archive.read(rels), archive.read(body_info)
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096] or b"<!DOCTYPE" in rels_xml[:4096]:
        return []
    if b"blip" not in xml:  # no picture element in the body (a logo in a header, say)
        return []
    targets = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(rels_xml)}
    body = _body(xml)
    out: list[tuple[int, bytes]] = []
    if body is None:
        return out
    index = 0
    stack = list(reversed(list(body)))
    while stack and len(out) < MAX_IMAGES:
        node = stack.pop()
        if node.tag == _W + "p":
            for blip in node.iter(_A + "blip"):
                target = targets.get(blip.get(_R + "embed"), "")
                name = "word/" + target.lstrip("/") if not target.startswith("word/") else target
                try:
                    info = archive.getinfo(name.replace("word//", "word/"))
                except KeyError:
                    continue
                if info.file_size <= MAX_IMAGE_BYTES:
                    out.append((index, archive.read(info)))
            index += 1
        elif node.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"):
            stack.extend(reversed(list(node)))
    return out


def _body(xml: bytes) -> ET.Element | None:
    """The body of ``word/document.xml``, parsed as the Word loader does: without the formatting
    elements, where no picture lives, else whole."""
    from linter.load.docx import _without_formatting

    try:
        return ET.fromstring(_without_formatting(xml)).find(_W + "body")
    except ET.ParseError:
        return ET.fromstring(xml).find(_W + "body")


def html_pictures(data: bytes, path: str) -> list[tuple[str, bytes]]:
    """(text just before the picture, image bytes) of a web page's pictures: inline ``data:``
    ones and files beside the page (never a URL)."""
    folder = Path(path).resolve().parent
    out = []
    for m in _IMG.finditer(data):
        src = m.group(1).decode("utf-8", "replace").strip()
        blob = None
        if src.startswith("data:image/") and ";base64," in src:
            try:
                blob = base64.b64decode(src.split(",", 1)[1], validate=False)
            except ValueError:
                continue
        elif not re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) and not src.startswith("//"):
            beside = os.path.join(folder, src.split("?")[0].split("#")[0])
            if os.path.isfile(beside):  # one stat: a saved page's pictures are mostly not saved with it
                local = Path(beside).resolve()
                if folder in local.parents and local.stat().st_size <= MAX_IMAGE_BYTES:
                    blob = local.read_bytes()
        if blob and len(blob) <= MAX_IMAGE_BYTES:
            before = re.sub(
                r"<[^>]*>|&\w+;|\s", "", data[max(0, m.start() - 2000) : m.start()].decode("utf-8", "replace")
            )
            out.append((before[-12:], blob))
        if len(out) >= MAX_IMAGES:
            break
    return out


def _blocks(blob: bytes, loc: Location, seconds: float) -> list:
    """The picture read as a page: paragraphs and table rows."""
    import numpy as np
    from PIL import Image

    from linter.load import scanned
    from linter.load.ocrpage import read_image
    from linter.load.pdf import _page_items

    image = Image.open(io.BytesIO(blob))
    if image.width * image.height > MAX_PIXELS or min(image.size) < 40:
        return []
    rgb = np.asarray(image.convert("RGB"))
    scale = image.width / TEXT_WIDTH
    with scanned._own_clock():
        scan = read_image(rgb, scale, image.height / scale, seconds)
    items, _ = _page_items(scan.page)
    from linter.load.ocrlabels import correct

    out: list = []
    grid: list[list[TextCell]] = []
    for top, kind, payload in items:
        if kind == "row":
            confs = scanned.row_confs(scan, top, payload)
            grid.append(
                [
                    TextCell(text=correct(t, paragraph=False) if t.strip() else t, loc=loc, conf=c)
                    for t, c in zip(payload, confs)
                ]
            )
            continue
        if grid:
            out.append(Grid(rows=grid, loc=loc))
            grid = []
        text = payload.text.strip()
        out.append(Paragraph(text=correct(text) if len(text) <= 64 else text, loc=loc))
    if grid:
        out.append(Grid(rows=grid, loc=loc))
    return out


def add_picture_tables(
    doc: Document, data: bytes, mode: str, seconds: float, tables_read: Callable[[Document], bool] | None = None
) -> None:
    """Read the pictures of a DOCX or HTML report whose tables are not there as text: in
    ``auto`` mode, unless ``tables_read(doc)`` (the caller's judge, which parses) says the
    statistical tables were read with numbers already; with no judge, every picture."""
    from linter.load import ocr

    if mode == "never" or doc.format not in ("docx", "html"):
        return
    try:
        pictures = docx_pictures(data) if doc.format == "docx" else html_pictures(data, doc.path)
    except (zipfile.BadZipFile, ET.ParseError, OSError):
        return
    if not pictures or (mode == "auto" and tables_read is not None and tables_read(doc)):
        return
    if not ocr.available():
        return
    floor = 0  # pictures in order: each goes after the one before it
    for anchor, blob in pictures:
        loc = Location(paragraph=anchor) if isinstance(anchor, int) else Location()
        try:
            blocks = _blocks(blob, loc, seconds)
        except ocr.OcrTimeout:
            doc.problems.append(f"图片文字识别（OCR）超时（超过 {seconds:g} 秒），已跳过")
            continue
        except Exception as exc:  # an undecodable picture must not lose the document
            doc.problems.append(f"一张图片无法识别（{type(exc).__name__}），已跳过")
            continue
        if not blocks:
            continue
        at = max(_position(doc, anchor), floor)
        doc.blocks[at:at] = blocks
        floor = at + len(blocks)
        doc.meta["ocr"] = "0"


def _position(doc: Document, anchor) -> int:
    """Where a picture's blocks go: after the last block before the picture."""
    if isinstance(anchor, int):
        before = [i for i, b in enumerate(doc.blocks) if b.loc.paragraph is not None and b.loc.paragraph <= anchor]
        return before[-1] + 1 if before else 0
    squashed = [re.sub(r"\s", "", b.text) if b.kind == "paragraph" else "" for b in doc.blocks]
    for size in range(len(anchor), 3, -1):  # the longest end of the text before it found in a paragraph
        hits = [i for i, text in enumerate(squashed) if anchor[-size:] in text]
        if hits:
            return hits[-1] + 1
    return len(doc.blocks)
