"""One PDF page's geometry read through PDFium: characters with boxes, text lines, ruling edges
and the table cells those edges enclose.

PDFium (pypdfium2, which pdfplumber itself depends on) reads a page in a few milliseconds where
pdfminer's layout analysis takes tenths of a second. The page is read once: characters come from
the text page, ruling edges from the path objects (nested forms included), and cells are found
with pdfplumber's table algorithm (snap and join edges, intersections, cells, tables) applied to
those edges. All coordinates are pdfplumber-style: points from the top-left corner of the page.
"""

from __future__ import annotations

import bisect
import ctypes
from dataclasses import dataclass, field

SNAP = 3.0  # pdfplumber's default snap, join and intersection tolerances
MIN_EDGE = 3.0
MAX_CROSSINGS = 50_000  # horizontal × vertical rules on one page; a report's largest table has ~1,000
LINE_TOLERANCE = 3.0  # characters whose baselines differ by at most this are on one line
WORD_GAP = 3.0  # a wider gap between characters of a line is a space


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # the baseline: characters of different fonts on one line share it


@dataclass(slots=True)
class Line:
    chars: list[Char]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(c.x0 for c in self.chars)
        self.x1 = max(c.x1 for c in self.chars)
        self.top = min(c.top for c in self.chars)
        self.bottom = max(c.bottom for c in self.chars)
        self.text = _join(self.chars)


@dataclass(slots=True)
class Page:
    height: float
    chars: list[Char] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read on the page


def _join(chars: list[Char]) -> str:
    """Characters of one line, left to right, with a space where the gap is wide."""
    out, last = [], None
    for c in chars:
        if last is not None and c.x0 - last.x1 > WORD_GAP:
            out.append(" ")
        out.append(c.text)
        last = c
    return "".join(out)


def lines_of(chars: list[Char]) -> list[Line]:
    """Group characters into lines by their baselines (chained within LINE_TOLERANCE), then
    sort each line left to right."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: c.base)
    groups, current = [], [ordered[0]]
    for c in ordered[1:]:
        if c.base - current[-1].base <= LINE_TOLERANCE:
            current.append(c)
        else:
            groups.append(current)
            current = [c]
    groups.append(current)
    return [Line(sorted(g, key=lambda c: c.x0)) for g in groups]


def cell_text(chars: list[Char], bbox: tuple[float, float, float, float]) -> str:
    """Text of the characters whose centres lie inside a cell, line by line ("\n" between)."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= (c.x0 + c.x1) / 2 < x1 and top <= (c.top + c.bottom) / 2 < bottom]
    return "\n".join(ln.text for ln in lines_of(inside))


def read_page(pdf, index: int) -> Page:
    """Characters and ruling edges of one page (pypdfium2 document, 0-based index)."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        _, bottom, _, top = page.get_mediabox()
        result = Page(height=top - bottom)
        result.chars = _chars(raw, page, top)
        result.edges = _edges(raw, page, top)
    finally:
        page.close()
    return result


def _chars(raw, page, top: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        rect = raw.FS_RECTF()
        left, right, low, high, x, y = (ctypes.c_double() for _ in range(6))
        out = []
        for i in range(raw.FPDFText_CountChars(handle)):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code <= 32 or code in (0xA0, 0x3000, 0xFFFE, 0xFFFF) or raw.FPDFText_IsGenerated(handle, i) == 1:
                continue  # spaces come back from the gaps; generated characters are PDFium's own
            if not raw.FPDFText_GetLooseCharBox(handle, i, rect):
                continue
            raw.FPDFText_GetCharOrigin(handle, i, x, y)
            x0, x1, upper, lower, base = rect.left, rect.right, rect.top, rect.bottom, y.value
            if x1 - x0 > 40 or upper - lower > 40:  # font metrics gone wrong (vertical runs): check the glyph
                raw.FPDFText_GetCharBox(handle, i, left, right, low, high)
                if x1 - x0 > 4 * (right.value - left.value) + 10 or upper - lower > 4 * (high.value - low.value) + 10:
                    x0, x1, upper, lower, base = left.value, right.value, high.value, low.value, low.value
            out.append(Char(chr(code), x0, x1, top - upper, top - lower, top - base))
        return _pair_surrogates(out)
    finally:
        textpage.close()


def _pair_surrogates(chars: list[Char]) -> list[Char]:
    """PDFium reports characters outside the BMP as two UTF-16 halves: join them."""
    if not any(0xD800 <= ord(c.text) <= 0xDBFF for c in chars):
        return chars
    out: list[Char] = []
    for c in chars:
        if out and 0xDC00 <= ord(c.text) <= 0xDFFF and 0xD800 <= ord(out[-1].text[-1]) <= 0xDBFF:
            out[-1].text = (out[-1].text + c.text).encode("utf-16", "surrogatepass").decode("utf-16")
        else:
            out.append(c)
    return [c for c in out if not 0xD800 <= ord(c.text[0]) <= 0xDFFF]


def _matrix(raw, obj, outer):
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return outer
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    if outer is None:
        return (a, b, c, d, e, f)
    A, B, C, D, E, F = outer  # the object's matrix, then its form's matrix
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _edges(raw, page, top: float) -> list[dict]:
    edges: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    stack = [(raw.FPDFPage_GetObject(page.raw, i), None, 0) for i in range(raw.FPDFPage_CountObjects(page.raw))]
    while stack:
        obj, outer, depth = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            m = _matrix(raw, obj, outer)
            stack.extend((raw.FPDFFormObj_GetObject(obj, i), m, depth + 1) for i in range(raw.FPDFFormObj_CountObjects(obj)))
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        if raw.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
            continue  # neither filled nor stroked: nothing is drawn
        a, b, c, d, e, f = _matrix(raw, obj, outer) or (1, 0, 0, 1, 0, 0)
        start = last = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            point = (a * x.value + c * y.value + e, top - (b * x.value + d * y.value + f))
            segment = raw.FPDFPathSegment_GetType(seg)
            if segment == raw.FPDF_SEGMENT_LINETO and last is not None:
                _add_edge(edges, last, point)
            if segment == raw.FPDF_SEGMENT_MOVETO:
                start = point
            last = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_edge(edges, last, start)
                last = start
    return edges


def _add_edge(edges: list[dict], p: tuple[float, float], q: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = sorted((p, q))
    if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 0.5:
        edges.append({"x0": x0, "x1": x1, "top": (y0 + y1) / 2, "bottom": (y0 + y1) / 2,
                      "width": x1 - x0, "height": 0.0, "orientation": "h"})
    elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 0.5:
        lo, hi = min(y0, y1), max(y0, y1)
        edges.append({"x0": (x0 + x1) / 2, "x1": (x0 + x1) / 2, "top": lo, "bottom": hi,
                      "width": 0.0, "height": hi - lo, "orientation": "v"})


def _covered(spans: list[tuple[float, float]], x0: float, x1: float) -> float:
    """How much of [x0, x1] the union of the spans covers."""
    total, reach = 0.0, x0
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, x1)
        if b > a:
            total, reach = total + b - a, b
    return total


def _break_edges(edges: list[dict]) -> list[dict]:
    """A browser prints a table broken across pages open at the break: the vertical rules of
    the page's last table stop at the page bottom (and those of a table continued from the
    page before start at the top) with no horizontal rule joining them, so the cells there
    are never closed. Such an open end gets the missing rule."""
    verticals = [e for e in edges if e["orientation"] == "v" and e["height"] >= MIN_EDGE]
    if len(verticals) < 2:
        return []
    added = []
    for side, y in (("bottom", max(e["bottom"] for e in verticals)), ("top", min(e["top"] for e in verticals))):
        ends = [e for e in verticals if abs(e[side] - y) <= SNAP]
        x0, x1 = min(e["x0"] for e in ends), max(e["x0"] for e in ends)
        if len(ends) < 2 or x1 - x0 < 10 * SNAP:
            continue
        spans = [(e["x0"], e["x1"]) for e in edges if e["orientation"] == "h" and abs(e["top"] - y) <= SNAP]
        if _covered(spans, x0, x1) < 0.9 * (x1 - x0):
            added.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                          "orientation": "h"})
    return added


def table_rows(page: Page) -> list[tuple[float, float, list[str]]]:
    """(top, bottom, cell texts) for each row of each ruled table. A cell spanning several rows
    is repeated in each of them, as the Word and HTML loaders do with merged cells, so every
    row keeps all its cells; the bottom is that of the tallest cell starting in the row."""
    if len(page.edges) < 4:
        return []
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = merge_edges(page.edges + _break_edges(page.edges), SNAP, SNAP, SNAP, SNAP)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= MIN_EDGE]
    across = sum(1 for e in edges if e["orientation"] == "h")
    if across * (len(edges) - across) > MAX_CROSSINGS:  # the cell finder is quadratic in crossings
        page.problems.append(f"表格线过多（{across} 条横线 × {len(edges) - across} 条竖线），未识别其中的表格")
        return []
    cells = intersections_to_cells(edges_to_intersections(edges, SNAP, SNAP))
    chars = sorted(page.chars, key=lambda c: (c.top + c.bottom) / 2)
    middles = [(c.top + c.bottom) / 2 for c in chars]
    rows = []
    for table in cells_to_tables(cells):
        texts = {cell: cell_text(chars[bisect.bisect_left(middles, cell[1]):bisect.bisect_left(middles, cell[3])], cell)
                 for cell in table}
        for row_top in sorted({cell[1] for cell in table}):
            covering = sorted(cell for cell in table if cell[1] <= row_top < cell[3])
            bottom = max(cell[3] for cell in covering if cell[1] == row_top)
            rows.append((row_top, bottom, [texts[cell] for cell in covering]))
    return rows
