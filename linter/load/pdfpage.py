"""One PDF page's geometry read through PDFium: characters with boxes, text lines, and the
rows of the tables that the page's ruling edges enclose.

PDFium (pypdfium2) reads a page in a few milliseconds where pdfminer's layout analysis takes
tenths of a second. The page is read once: characters come from the text page (the text in one
call, then a box and an origin per character), ruling edges from the path objects
(``pdfrules``), and cells from pdfplumber's table algorithm done on those edges (``pdfcells``),
only on a page with rules. All coordinates are pdfplumber-style: points from the top-left corner
of the page.
"""

from __future__ import annotations

import bisect
import ctypes
import struct
from dataclasses import dataclass, field
from operator import attrgetter

from linter.load import pdfcells
from linter.load.pdfcalls import handle, lean
from linter.load.pdfrules import MIN_EDGE, SNAP
from linter.load.pdfrules import break_edges as _break_edges
from linter.load.pdfrules import edges as _edges

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


_X0, _X1, _TOP, _BOTTOM, _BASE = (attrgetter(k) for k in ("x0", "x1", "top", "bottom", "base"))


@dataclass(slots=True)
class Line:
    chars: list[Char]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def __post_init__(self) -> None:
        chars = self.chars
        self.x0 = min(map(_X0, chars))
        self.x1 = max(map(_X1, chars))
        self.top = min(map(_TOP, chars))
        self.bottom = max(map(_BOTTOM, chars))
        self.text = _join(chars)


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


def _groups(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines by their baselines (chained within LINE_TOLERANCE), each
    line left to right."""
    if not chars:
        return []
    ordered = sorted(chars, key=_BASE)
    groups, current = [], [ordered[0]]
    last = ordered[0].base
    for c in ordered[1:]:
        if c.base - last <= LINE_TOLERANCE:
            current.append(c)
        else:
            groups.append(current)
            current = [c]
        last = c.base
    groups.append(current)
    return [sorted(g, key=_X0) for g in groups]


def lines_of(chars: list[Char]) -> list[Line]:
    """Group characters into lines by their baselines (chained within LINE_TOLERANCE), then
    sort each line left to right."""
    return [Line(g) for g in _groups(chars)]


def text_of(chars: list[Char]) -> str:
    """The texts of ``lines_of(chars)``, one line each (a cell's text, without building lines)."""
    return "\n".join(_join(g) for g in _groups(chars))


class _Centres:
    """The characters whose centres lie in a box, found by bisection: the page's characters by
    their vertical centre, and those of each band (a cell's top and bottom) by their horizontal
    one; a box's characters come back in page order, as a scan of them all would give them."""

    def __init__(self, chars: list[Char]) -> None:
        middles = [(c.top + c.bottom) / 2 for c in chars]
        order = sorted(range(len(chars)), key=middles.__getitem__)  # stable: ties stay in page order
        self.chars = [chars[k] for k in order]
        self.middles = [middles[k] for k in order]
        self.centres = [(c.x0 + c.x1) / 2 for c in self.chars]
        self.bands: dict[tuple[float, float], tuple[list[int], list[float]]] = {}

    def inside(self, x0: float, top: float, x1: float, bottom: float) -> list[Char]:
        band = self.bands.get((top, bottom))
        if band is None:
            lo, hi = bisect.bisect_left(self.middles, top), bisect.bisect_left(self.middles, bottom)
            order = sorted(range(lo, hi), key=self.centres.__getitem__)
            band = self.bands[(top, bottom)] = (order, [self.centres[k] for k in order])
        order, xs = band
        picked = sorted(order[bisect.bisect_left(xs, x0) : bisect.bisect_left(xs, x1)])
        return [self.chars[k] for k in picked]


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


_SKIP = frozenset((0xA0, 0x3000, 0xFFFE, 0xFFFF))
_RECT = struct.Struct("=4f")  # FS_RECTF as it lies in memory: left, top, right, bottom


def _codes(api, handle, count: int) -> list[int]:
    """The UTF-16 code of each character: the page's text in one call where it has one unit per
    character (it leaves out control characters), else character by character."""
    if count:
        buffer = (ctypes.c_ushort * (count + 1))()
        if api.FPDFText_GetText(handle, 0, count, buffer) == count + 1:
            return buffer[:count]
    unicode = api.FPDFText_GetUnicode
    return [unicode(handle, i) for i in range(count)]


def _chars(raw, page, top: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        api = lean(raw)
        h = handle(textpage.raw)
        rect = raw.FS_RECTF()
        left, right, low, high, x, y = (ctypes.c_double() for _ in range(6))
        prect, px, py = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y)
        loose, origin, box = api.FPDFText_GetLooseCharBox, api.FPDFText_GetCharOrigin, _RECT.unpack
        out = []
        append = out.append
        for i, code in enumerate(_codes(api, h, api.FPDFText_CountChars(h))):
            # Spaces come back from the gaps. The characters PDFium adds itself (generated: the
            # spaces and line breaks between its words and lines) are all among these codes.
            if code <= 32 or code in _SKIP:
                continue
            if not loose(h, i, prect):
                continue
            origin(h, i, px, py)
            x0, upper, x1, lower = box(rect)
            base = y.value
            if x1 - x0 > 40 or upper - lower > 40:  # font metrics gone wrong (vertical runs): check the glyph
                api.FPDFText_GetCharBox(
                    h, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(low), ctypes.byref(high)
                )
                if x1 - x0 > 4 * (right.value - left.value) + 10 or upper - lower > 4 * (high.value - low.value) + 10:
                    x0, x1, upper, lower, base = left.value, right.value, high.value, low.value, low.value
            append(Char(chr(code), x0, x1, top - upper, top - lower, top - base))
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


def table_rows(page: Page) -> list[tuple[float, float, list[str]]]:
    """(top, bottom, cell texts) for each row of each ruled table. A cell spanning several rows
    is repeated in each of them, as the Word and HTML loaders do with merged cells, so every
    row keeps all its cells; the bottom is that of the tallest cell starting in the row."""
    if len(page.edges) < 4:
        return []
    cells, tables = pdfcells.find(page.edges + _break_edges(page.edges), SNAP, MIN_EDGE, MAX_CROSSINGS)
    if cells is None:  # the cell finder is quadratic in crossings
        across, upright = tables
        page.problems.append(f"表格线过多（{across} 条横线 × {upright} 条竖线），未识别其中的表格")
        return []
    if not tables:
        return []
    centres = _Centres(page.chars)
    rows = []
    for table in tables:
        texts = {cell: text_of(centres.inside(*cell)) for cell in table}
        tops = sorted({cell[1] for cell in table})
        covering: list[list] = [[] for _ in tops]  # the cells over each row's top
        for cell in table:
            for n in range(bisect.bisect_left(tops, cell[1]), bisect.bisect_left(tops, cell[3])):
                covering[n].append(cell)
        for row_top, over in zip(tops, covering):
            over.sort()
            bottom = max(cell[3] for cell in over if cell[1] == row_top)
            rows.append((row_top, bottom, [texts[cell] for cell in over]))
    return rows
