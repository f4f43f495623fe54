"""PDF loader: text lines with page numbers, table rows from ruling lines.

Each page is read once through PDFium (``pdfpage``). Reading order comes from the text lines;
where the table finder sees a row of two or more real cells, that row replaces the lines it
covers (a row that is a single cell across the table, such as prose inside a page border, stays
text). Lines of a table drawn without rules are split into cells at wide gaps. Wrapped lines are
joined back into paragraphs; page numbers are dropped. Encrypted, broken and text-less files
raise or report a clear problem instead of yielding an empty report.
"""

from __future__ import annotations

import re

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


def _margins(lines: list[Line]) -> tuple[float, float, float]:
    if not lines:
        return 0.0, 0.0, 10.0
    x0s = sorted(ln.x0 for ln in lines)
    x1s = sorted(ln.x1 for ln in lines)
    sizes = [c.x1 - c.x0 for ln in lines for c in ln.chars]
    return x0s[len(x0s) // 10], x1s[(len(x1s) * 9) // 10], _median(sizes) if sizes else 10.0


def load(
    data: bytes, path: str, kind: str = "pdf", max_pages: int = MAX_PAGES, ocr: str = "auto", ocr_seconds: float = 30.0
) -> Document:
    import pypdfium2 as pdfium

    from linter.load import scanned

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise LoadError("PDF 文件已加密，需要密码才能打开，无法读取内容") from None
        raise LoadError("PDF 文件已损坏或不是有效的 PDF，无法读取") from None
    pages = len(pdf)
    doc = Document(path=path, format="pdf", pages=pages)
    if pages > max_pages:
        pdf.close()
        raise LoadError(f"PDF 有 {pages} 页，超过上限 {max_pages} 页，未读取（可在配置中调整页数上限）")
    paragraph: list = []  # [text, loc, last Line, page right margin, left margin, size]
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

    try:
        for index in range(pages):
            pno = index + 1
            if index and index % REOPEN_EVERY == 0:  # PDFium keeps every font and image it parsed
                pdf.close()  # until the document is closed
                pdf = pdfium.PdfDocument(data)
            try:
                page, scan = scanned.page_for(pdf, index, read_page(pdf, index), ocr, ocr_seconds, doc)
                items, lines = edges.strip(*_page_items(page))
                doc.problems += [f"第{pno}页{problem}" for problem in page.problems]
            except Exception as exc:  # one bad page must not lose the others
                doc.problems.append(f"第{pno}页无法解析（{type(exc).__name__}），已跳过")
                continue
            chars += sum(len(ln.chars) for ln in lines)
            left, right, size = _margins(lines)
            for n, (top, kind_, payload) in enumerate(items, start=1):
                loc = Location(page=pno, line=n)
                if kind_ == "row":
                    flush_paragraph()
                    confs = scanned.row_confs(scan, top, payload)
                    grid.append([TextCell(text=t, loc=loc, conf=c) for t, c in zip(payload, confs)])
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
    finally:
        pdf.close()
    flush_paragraph()
    flush_grid()
    scanned.restore_labels(doc)
    if chars == 0:
        doc.blocks.clear()
        doc.problems.append(scanned.no_text_message(doc, ocr))
    return doc
