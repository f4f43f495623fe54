"""Ruling edges of one PDF page: the straight horizontal and vertical pieces of the drawn paths
(lines, rectangles, the outlines of filled boxes), nested forms included, as pdfplumber-style
edge dicts in points from the top-left corner; and the rules a browser leaves out where it
breaks a table across pages.

A segment read through PDFium's API costs four calls. PDFium keeps a path's segments as one
array of (x, y as float32, type, close) records, each segment handle pointing into it, so a long
path is read in one copy of that array instead, where the handles show the array is laid out so
(contiguous, 12 bytes a record) and the API agrees with the copy on its first, middle and last
segments; otherwise, and for short paths, through the API. Pages are read object by object in the
order PDFium lists them, last first (the order of the edges decides how snapping averages them,
and must not change).
"""

from __future__ import annotations

import ctypes
import struct

SNAP = 3.0  # pdfplumber's default snap, join and intersection tolerances
MIN_EDGE = 3.0
MAX_DEPTH = 8  # forms nested deeper than this are not looked into
_RECORD = struct.Struct("<ffBB2x")  # one segment as PDFium stores it: x, y, type, close
_COPY_FROM = 8  # segments: shorter paths are read through the API


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _through_api(raw, obj, count: int, x, y) -> list[tuple[float, float, int, int]]:
    out = []
    for i in range(count):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        out.append((x.value, y.value, raw.FPDFPathSegment_GetType(seg), raw.FPDFPathSegment_GetClose(seg)))
    return out


def _copied(raw, obj, count: int, x, y) -> list[tuple[float, float, int, int]] | None:
    """The segments as one copy of PDFium's array, or None where the layout is not as expected."""
    start = _address(raw.FPDFPath_GetPathSegment(obj, 0))
    if (
        not start
        or _address(raw.FPDFPath_GetPathSegment(obj, 1)) - start != _RECORD.size
        or _address(raw.FPDFPath_GetPathSegment(obj, count - 1)) - start != _RECORD.size * (count - 1)
    ):
        return None
    records = list(_RECORD.iter_unpack(ctypes.string_at(start, _RECORD.size * count)))
    for i in (0, count // 2, count - 1):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        if records[i] != (x.value, y.value, raw.FPDFPathSegment_GetType(seg), raw.FPDFPathSegment_GetClose(seg)):
            return None
    return records


def _segments(raw, obj, x, y) -> list[tuple[float, float, int, int]]:
    """(x, y, type, closes) of each segment of a path object, in the path's own coordinates."""
    count = raw.FPDFPath_CountSegments(obj)
    return (count >= _COPY_FROM and _copied(raw, obj, count, x, y)) or _through_api(raw, obj, count, x, y)


def _matrix(raw, obj, outer, m):
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return outer
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    if outer is None:
        return (a, b, c, d, e, f)
    A, B, C, D, E, F = outer  # the object's matrix, then its form's matrix
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def edges(raw, page, top: float) -> list[dict]:
    """The page's ruling edges (``page`` a pypdfium2 page, ``top`` its media box top)."""
    out: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    m = raw.FS_MATRIX()
    get_object, get_type = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType
    FORM, PATH = raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH
    LINETO, MOVETO = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO
    handle = page.raw
    stack = [(get_object(handle, i), None, 0) for i in range(raw.FPDFPage_CountObjects(handle))]
    while stack:
        obj, outer, depth = stack.pop()
        kind = get_type(obj)
        if kind == FORM and depth < MAX_DEPTH:
            form = _matrix(raw, obj, outer, m)
            stack.extend(
                (raw.FPDFFormObj_GetObject(obj, i), form, depth + 1) for i in range(raw.FPDFFormObj_CountObjects(obj))
            )
            continue
        if kind != PATH:
            continue
        if raw.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
            continue  # neither filled nor stroked: nothing is drawn
        a, b, c, d, e, f = _matrix(raw, obj, outer, m) or (1, 0, 0, 1, 0, 0)
        start = last = None
        for px, py, kind, closes in _segments(raw, obj, x, y):
            point = (a * px + c * py + e, top - (b * px + d * py + f))
            if kind == LINETO and last is not None:
                _add(out, last, point)
            if kind == MOVETO:
                start = point
            last = point
            if closes and start is not None:
                _add(out, last, start)
                last = start
    return out


def _add(out: list[dict], p: tuple[float, float], q: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = (q, p) if q < p else (p, q)
    if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 0.5:
        out.append(
            {
                "x0": x0,
                "x1": x1,
                "top": (y0 + y1) / 2,
                "bottom": (y0 + y1) / 2,
                "width": x1 - x0,
                "height": 0.0,
                "orientation": "h",
            }
        )
    elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 0.5:
        lo, hi = min(y0, y1), max(y0, y1)
        out.append(
            {
                "x0": (x0 + x1) / 2,
                "x1": (x0 + x1) / 2,
                "top": lo,
                "bottom": hi,
                "width": 0.0,
                "height": hi - lo,
                "orientation": "v",
            }
        )


def _covered(spans: list[tuple[float, float]], x0: float, x1: float) -> float:
    """How much of [x0, x1] the union of the spans covers."""
    total, reach = 0.0, x0
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, x1)
        if b > a:
            total, reach = total + b - a, b
    return total


def break_edges(edges: list[dict]) -> list[dict]:
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
            added.append(
                {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}
            )
    return added
