"""PDF loader: text lines with page numbers, table rows from ruling lines.

Each page is read once through PDFium (``pdfpage``). Reading order comes from the text lines;
where the table finder sees a row of two or more real cells, that row replaces the lines it
covers (a row that is a single cell across the table, such as prose inside a page border, stays
text). Lines of a table drawn without rules are split into cells at wide gaps. Wrapped lines are
joined back into paragraphs; page numbers are dropped. Encrypted, broken and text-less files
raise or report a clear problem instead of yielding an empty report.

Reading (``read_pages``: PDFium, per page) and putting the pages together (``assemble``: running
heads, paragraphs and tables across pages) are apart, so that several reader processes can read
one file's pages at once (``linter.load.load``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from linter.load import LoadError
from linter.load.furniture import PageEdges
from linter.load.pdfpage import Line, Page, lines_of, read_page, table_rows
from linter.models import Document, Grid, Location, Paragraph, TextCell
from linter.wording.numbering import is_page_number

MAX_PAGES = 300
REOPEN_EVERY = 20  # pages: a long PDF is reopened so that PDFium's caches do not grow with it
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十]{1,2}[)）]|\d+[.．、])")
_DIGIT_BREAK = re.compile(r"(?<=\d)\n(?=\d)")  # a line break inside a cell between digits is a space
_NUMERIC = re.compile(r"^[\d,，.\s]+(件|万元|元)?$|^[—\-/／]+$")


def _median(values: list[float]) -> float:
    """The median as ``statistics.median`` gives it (the mean of the middle two of an even count)."""
    data = sorted(values)
    half = len(data) // 2
    return data[half] if len(data) % 2 else (data[half - 1] + data[half]) / 2


def _cell_text(text: str) -> str:
    if "\n" in text:
        text = _DIGIT_BREAK.sub(" ", text).replace("\n", "")
    return text.strip()


def _split_line(line: Line) -> list[str]:
    """A text line's cells: split where the gap between characters is much wider than a character."""
    chars = line.chars
    if len(chars) < 2:
        return [line.text]
    size = _median([c.x1 - c.x0 for c in chars]) or 1.0
    gap = max(2.5 * size, 8.0)
    cells, current = [], [chars[0].text]
    for prev, cur in zip(chars, chars[1:]):
        if cur.x0 - prev.x1 > gap:
            cells.append("".join(current))
            current = []
        current.append(cur.text)
    cells.append("".join(current))
    return cells


def _within(y: float, spans: list[tuple[float, float]]) -> bool:
    """Whether ``y`` lies in one of the (low, high) spans, ends included."""
    for low, high in spans:
        if low <= y <= high:
            return True
    return False


def _page_items(page: Page):
    """(top, kind, payload) for one page: table rows and text lines, in reading order."""
    rows = []
    for top, bottom, texts in table_rows(page):
        real = [_cell_text(t) for t in texts]
        if len(real) >= 2:
            rows.append((top, bottom, real))
    lines = lines_of(page.chars)
    items = [(top, "row", cells) for top, _, cells in rows]
    spans = [(top - 1, bottom + 1) for top, bottom, _ in rows]
    for ln in lines:
        middle = (ln.top + ln.bottom) / 2
        if spans and _within(middle, spans):
            continue
        if is_page_number(ln.text) and (ln.top > 0.85 * page.height or ln.bottom < 0.12 * page.height):
            continue  # page number in the header or footer
        cells = _split_line(ln)
        if len(cells) >= 2 and any(_NUMERIC.match(c.strip()) for c in cells):
            items.append((ln.top, "row", cells))
        else:
            items.append((ln.top, "line", ln))
    items.sort(key=lambda it: it[0])
    return items, lines


def _margins(lines: list[PrintedLine]) -> tuple[float, float, float]:
    if not lines:
        return 0.0, 0.0, 10.0
    x0s = sorted(ln.x0 for ln in lines)
    x1s = sorted(ln.x1 for ln in lines)
    sizes = [w for ln in lines for w in ln.widths]
    return x0s[len(x0s) // 10], x1s[(len(x1s) * 9) // 10], _median(sizes) if sizes else 10.0


class PrintedLine(NamedTuple):
    """A text line as the assembly needs it: its text, its left and right ends, the width of
    each of its characters (for the page's margins and type size)."""

    text: str
    x0: float
    x1: float
    widths: list[float]


@dataclass(slots=True)
class PageRead:
    """What reading one page gives, in the items and lines the assembly strips and joins. What
    the page's OCR set on the document (``meta``, ``notes``) is kept to be set there in page
    order; ``failed`` names the exception when the page could not be read."""

    index: int
    items: list = field(default_factory=list)  # (top, "row", (cells, confidences)) | (top, "line", PrintedLine)
    lines: list[PrintedLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failed: str = ""


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise LoadError("PDF 文件已加密，需要密码才能打开，无法读取内容") from None
        raise LoadError("PDF 文件已损坏或不是有效的 PDF，无法读取") from None


def read_pages(
    data: bytes,
    path: str,
    part: int = 0,
    parts: int = 1,
    max_pages: int = MAX_PAGES,
    ocr: str = "auto",
    ocr_seconds: float = 30.0,
) -> tuple[int, list[PageRead]]:
    """(page count, the reading of every ``parts``-th page from ``part`` on): the pages can be
    read by several processes at once and put together by ``assemble``."""
    from linter.load import scanned

    pdf = _open(data)
    pages = len(pdf)
    if pages > max_pages:
        pdf.close()
        raise LoadError(f"PDF 有 {pages} 页，超过上限 {max_pages} 页，未读取（可在配置中调整页数上限）")
    reads = []
    try:
        for n, index in enumerate(range(part, pages, parts)):
            if n and n % REOPEN_EVERY == 0:  # PDFium keeps every font and image it parsed
                pdf.close()  # until the document is closed
                pdf = _open(data)
            read = PageRead(index)
            record = Document(path=path, format="pdf")  # what the page's OCR sets on the document
            try:
                page, scan = scanned.page_for(pdf, index, read_page(pdf, index), ocr, ocr_seconds, record)
                items, lines = _page_items(page)
                light = {id(ln): PrintedLine(ln.text, ln.x0, ln.x1, [c.x1 - c.x0 for c in ln.chars]) for ln in lines}
                for top, kind, payload in items:
                    if kind == "row":
                        read.items.append((top, kind, (payload, scanned.row_confs(scan, top, payload))))
                    else:
                        read.items.append((top, kind, light[id(payload)]))
                read.lines = list(light.values())
                read.problems = page.problems
            except Exception as exc:  # one bad page must not lose the others
                read.failed = type(exc).__name__
            read.meta, read.notes = record.meta, record.problems
            reads.append(read)
    finally:
        pdf.close()
    return pages, reads


def load(
    data: bytes, path: str, kind: str = "pdf", max_pages: int = MAX_PAGES, ocr: str = "auto", ocr_seconds: float = 30.0
) -> Document:
    return assemble(path, *read_pages(data, path, 0, 1, max_pages, ocr, ocr_seconds), ocr)


def assemble(path: str, pages: int, reads: list[PageRead], ocr: str) -> Document:
    """The Document of the pages read (any order, each page once): running heads and page marks
    dropped, wrapped lines joined into paragraphs, rows into grids, across pages."""
    from linter.load import scanned

    doc = Document(path=path, format="pdf", pages=pages)
    paragraph: list = []  # [text, loc, last line, page right margin, left margin, size]
    grid: list[list[TextCell]] = []
    chars = 0
    edges = PageEdges()  # running heads and footers repeated from page to page

    def flush_paragraph() -> None:
        if paragraph:
            doc.blocks.append(Paragraph(text=paragraph[0], loc=paragraph[1]))
            paragraph.clear()

    def flush_grid() -> None:
        if grid:
            doc.blocks.append(Grid(rows=list(grid), loc=grid[0][0].loc))
            grid.clear()

    for read in sorted(reads, key=lambda r: r.index):
        pno = read.index + 1
        doc.problems += read.notes
        if "ocr" in read.meta:
            doc.meta["ocr"] = ",".join(p for p in (doc.meta.get("ocr", ""), read.meta["ocr"]) if p)
        doc.meta.update({k: v for k, v in read.meta.items() if k != "ocr"})
        try:
            if read.failed:
                raise LoadError(read.failed)
            items, lines = edges.strip(read.items, read.lines)
            doc.problems += [f"第{pno}页{problem}" for problem in read.problems]
        except Exception as exc:
            doc.problems.append(f"第{pno}页无法解析（{read.failed or type(exc).__name__}），已跳过")
            continue
        chars += sum(len(ln.widths) for ln in lines)
        left, right, size = _margins(lines)
        for n, (_, kind, payload) in enumerate(items, start=1):
            loc = Location(page=pno, line=n)
            if kind == "row":
                flush_paragraph()
                cells, confs = payload
                grid.append([TextCell(text=t, loc=loc, conf=c) for t, c in zip(cells, confs)])
                continue
            flush_grid()
            text = payload.text.strip()
            continues = (
                paragraph
                and paragraph[2].x1 >= paragraph[3] - 1.5 * paragraph[5]
                and payload.x0 <= left + 1.0 * size
                and not _HEADING.match(text)
            )
            if continues:
                paragraph[0] += text
                paragraph[2:] = [payload, right, left, size]
            else:
                flush_paragraph()
                paragraph[:] = [text, loc, payload, right, left, size]
    flush_paragraph()
    flush_grid()
    scanned.restore_labels(doc)
    if chars == 0:
        doc.blocks.clear()
        doc.problems.append(scanned.no_text_message(doc, ocr))
    return doc
