"""Scanned pages: which pages are read by OCR, how sure each table cell is, and what the rules
and users are told about it.

The PDF loader asks ``page_for`` for every page: under ``--ocr auto`` a page without text, or one
whose text layer has fewer than ``FEW_CHARS`` characters over a picture covering most of it, is
read from its image; under ``always`` every page is, under ``never`` none. OCR time does not
count against the file's time limit: each page has its own. ``row_confs`` gives the cells of a
loader row their OCR confidence and ``restore_labels`` the format's wording. After parsing,
``review`` carries confidences onto the report's cells; a cell below ``THRESHOLD`` is taken out
of the checks (its reading is kept and shown) and each table gets one note naming such cells.
``annotate`` makes every finding on OCR'd text say so (and a label typo there only a hint).
"""

from __future__ import annotations

import signal
import threading
from collections import defaultdict
from contextlib import contextmanager

from linter.models import CellStatus, Document, Finding, Location, ParseNote, Report, TextCell

FEW_CHARS = 20  # a page number or a stray header is not a text layer
THRESHOLD = 0.80  # below: the cell's reading is shown but not used by any check
MODES = ("auto", "always", "never")
MARK = "据OCR识别，"


@contextmanager
def _own_clock():
    """OCR runs on its own per-page limit: the file's time limit (an interval timer) is paused
    meanwhile and resumed with what was left of it."""
    if not hasattr(signal, "getitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    if left:
        signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if left:
            signal.setitimer(signal.ITIMER_REAL, left)


def _scanned_image(pdf, index: int) -> bool:
    """Whether a picture covers most of the page (a scan with a stray line of text on it)."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        width, height = page.get_size()
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_pos()
            if (right - left) * (top - bottom) >= 0.5 * width * height:
                return True
        return False
    finally:
        page.close()


def page_for(pdf, index: int, page, mode: str, seconds: float, doc: Document):
    """(page to read, Scan or None): the text-layer page, or the page read from its image."""
    if mode == "never" or (
        mode == "auto" and page.chars and (len(page.chars) >= FEW_CHARS or not _scanned_image(pdf, index))
    ):
        return page, None
    from linter.load import ocr

    if not ocr.available():
        doc.meta["ocr_missing"] = "1"
        return page, None
    from linter.load.ocrpage import read_pdf_page

    try:
        with _own_clock():
            scan = read_pdf_page(pdf, index, seconds)
    except ocr.OcrTimeout:
        doc.problems.append(
            f"第{index + 1}页文字识别（OCR）超时（超过 {seconds:g} 秒），已跳过"
            "（可在配置的 limits.ocr_page_seconds 中调整）"
        )
        return page, None
    pages = [p for p in doc.meta.get("ocr", "").split(",") if p]
    doc.meta["ocr"] = ",".join([*pages, str(index + 1)])
    return scan.page, scan


def restore_labels(doc: Document) -> None:
    """Headings and label cells on OCR'd pages in the format's own wording where the reading
    makes it unique (``ocrlabels``)."""
    pages = {int(p) for p in doc.meta.get("ocr", "").split(",") if p}
    if not pages:
        return
    from linter.load.ocrlabels import correct

    for block in doc.blocks:
        if block.kind == "paragraph" and block.loc.page in pages and len(block.text) <= 64:
            block.text = correct(block.text)
        elif block.kind == "table":
            for row in block.rows:
                for cell in row:
                    if cell.conf is not None and cell.text.strip():
                        cell.text = correct(cell.text, paragraph=False)


def no_text_message(doc: Document, mode: str) -> str:
    """The problem for a PDF with no text at all, saying how OCR could read it."""
    from linter.load import ocr

    base = "PDF 没有文字层（可能是扫描件或图片），无法读取文字；请提供可复制文字的 PDF 或 Word 原件"
    if mode == "never":
        return base + "，或去掉 --ocr never 以启用文字识别（OCR）"
    if doc.meta.get("ocr_missing") or not ocr.available():
        return base + "，或" + ocr.HINT
    if doc.meta.get("ocr"):
        return base + "；文字识别（OCR）也未能从页面图像中识别出文字"
    return base


def row_confs(scan, top: float, texts: list[str]) -> list[float | None]:
    """Confidence of each cell of a loader row that starts at ``top``: the OCR'd table cells
    covering that height, or, for a row split from a line of text, its characters'."""
    if scan is None:
        return [None] * len(texts)
    covering = sorted((box, conf) for box, conf in scan.cells if box[1] - 0.5 <= top < box[3] - 0.5)
    if len(covering) == len(texts):
        return [conf for _, conf in covering]
    line = sorted((c for c in scan.page.chars if abs(c.top - top) < 1.0), key=lambda c: c.x0)
    out, k = [], 0
    for text in texts:
        n = len(text.replace(" ", ""))
        part = line[k : k + n]
        k += n
        out.append(min((getattr(c, "conf", 1.0) for c in part), default=0.0) if n else 1.0)
    return out


def _readings(doc: Document) -> dict[tuple, list[TextCell]]:
    """OCR'd grid cells by their location (page, line)."""
    out: dict[tuple, list[TextCell]] = defaultdict(list)
    for block in doc.blocks:
        if block.kind == "table":
            for row in block.rows:
                for cell in row:
                    if cell.conf is not None:
                        out[(cell.loc.page, cell.loc.line, cell.loc.paragraph, cell.loc.table_index)].append(cell)
    return out


def _key(loc: Location) -> tuple:
    return (loc.page, loc.line, loc.paragraph, loc.table_index)


def review(doc: Document, report: Report) -> None:
    """Give the report's cells the confidence of the OCR'd cells they were read from; take those
    below the threshold out of the checks and name them in one note per table."""
    if not doc.meta.get("ocr"):
        return
    report.ocr_pages = sorted({int(p) for p in doc.meta["ocr"].split(",") if p})
    readings = _readings(doc)
    for key, table in report.tables.items():
        low: list[str] = []
        groups: dict[tuple, list] = defaultdict(list)
        pages = set(report.ocr_pages)
        for ref, cell in table.cells.items():
            if cell.status == CellStatus.MISSING:
                continue
            if _key(cell.loc) in readings:
                groups[_key(cell.loc)].append((ref, cell))
            elif cell.loc.page in pages:  # read from OCR'd text that was not a table row: unknown
                groups[("unknown",)].append((ref, cell))
        readings[("unknown",)] = [TextCell(text="", loc=Location(), conf=0.0)]
        for where, cells in groups.items():
            source = readings[where]
            floor = min(c.conf for c in source)
            pointer = 0
            for _ref, cell in cells:
                conf = floor
                for j in range(pointer, len(source)):
                    if source[j].text.strip() == cell.raw.strip():
                        conf, pointer = source[j].conf, j + 1
                        break
                if cell.status == CellStatus.BLANK and not any(not s.text.strip() for s in source):
                    conf = floor
                cell.conf = conf
                if conf < THRESHOLD and cell.status in (CellStatus.NUMBER, CellStatus.INFERRED, CellStatus.BLANK):
                    cell.status = CellStatus.UNREADABLE
                    low.append(f"［{cell.loc.row_label}］×［{cell.loc.col_label}］（识别为“{cell.raw or '空'}”）")
        if low:
            shown = "、".join(low)
            report.notes.append(
                ParseNote(
                    level="info",
                    key=f"{key}/ocr-low",
                    message=f"表{key}有 {len(low)} 个单元格的文字识别（OCR）置信度较低：{shown}；这些单元格不参与核对，请对照原件确认",
                    loc=table.loc.model_copy(update={"table": key}),
                )
            )


def annotate(report: Report, findings: list[Finding]) -> list[Finding]:
    """Findings located on OCR'd pages (or on the whole of an OCR'd document) say so."""
    if not report.ocr_pages:
        return findings
    pages = set(report.ocr_pages)
    out = []
    for f in findings:
        if (f.location.page is None or f.location.page in pages or 0 in pages) and not f.message.startswith(MARK):
            update: dict = {"message": MARK + f.message}
            if f.category == "label-typo":
                update["level"] = "info"  # the engine misreads a label far more often than an office misprints it
            f = f.model_copy(update=update)
        out.append(f)
    return out
