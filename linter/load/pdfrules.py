"""Ruling edges of one PDF page: the straight horizontal and vertical pieces of the drawn paths
(lines, rectangles, the outlines of filled boxes), nested forms included, as pdfplumber-style
edge dicts in points from the top-left corner; and the rules a browser leaves out where it
breaks a table across pages.

A segment read through PDFium's API costs four calls. PDFium keeps a path's segments as one
array of (x, y as float32, type, close) records, each segment handle pointing into it, so a path
is read in one copy of that array instead, where the handles show the array is laid out so
(contiguous, 12 bytes a record); the first copy on a page must also agree with the API on its
first, middle and last segments (the record layout is the library's, the same for every path).
Otherwise, and for paths of one segment, a path is read through the API. Pages are read object by object in the
order PDFium lists them, last first (the order of the edges decides how snapping averages them,
and must not change).
"""

from __future__ import annotations

import ctypes
import struct

from linter.load.pdfcalls import address, handle, lean

SNAP = 3.0  # pdfplumber's default snap, join and intersection tolerances
MIN_EDGE = 3.0
MAX_DEPTH = 8  # forms nested deeper than this are not looked into
_RECORD = struct.Struct("<ffBB2x")  # one segment as PDFium stores it: x, y, type, close


def _through_api(api, obj, count: int, xy) -> list[tuple[float, float, int, int]]:
    x, y, px, py = xy
    get, point, kind, closes = (
        api.FPDFPath_GetPathSegment,
        api.FPDFPathSegment_GetPoint,
        api.FPDFPathSegment_GetType,
        api.FPDFPathSegment_GetClose,
    )
    out = []
    for i in range(count):
        seg = get(obj, i)
        point(seg, px, py)
        out.append((x.value, y.value, kind(seg), closes(seg)))
    return out


def _copied(api, obj, count: int, xy, check: bool) -> list[tuple[float, float, int, int]] | None:
    """The segments as one copy of PDFium's array, or None where the layout is not as expected:
    the handles of the first, second and last segments must lie one record apart, and with
    ``check`` the API must agree with the copy on the first, middle and last segments."""
    x, y, px, py = xy
    get = api.FPDFPath_GetPathSegment
    start = address(get(obj, 0))
    if (
        not start
        or address(get(obj, 1)) - start != _RECORD.size
        or address(get(obj, count - 1)) - start != _RECORD.size * (count - 1)
    ):
        return None
    records = list(_RECORD.iter_unpack(ctypes.string_at(start, _RECORD.size * count)))
    for i in (0, count // 2, count - 1) if check else ():
        seg = get(obj, i)
        api.FPDFPathSegment_GetPoint(seg, px, py)
        if records[i] != (x.value, y.value, api.FPDFPathSegment_GetType(seg), api.FPDFPathSegment_GetClose(seg)):
            return None
    return records


def _segments(api, obj, xy, checked: list[bool]) -> list[tuple[float, float, int, int]]:
    """(x, y, type, closes) of each segment of a path object, in the path's own coordinates.
    ``checked``: whether a copy on this page has already agreed with the API (then later
    paths of the page are only checked for the layout of their handles)."""
    count = api.FPDFPath_CountSegments(obj)
    if count >= 2:
        records = _copied(api, obj, count, xy, not checked[0])
        if records is not None:
            checked[0] = True
            return records
    return _through_api(api, obj, count, xy)


def _matrix(api, obj, outer, m, pm):
    if not api.FPDFPageObj_GetMatrix(obj, pm):
        return outer
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    if outer is None:
        return (a, b, c, d, e, f)
    A, B, C, D, E, F = outer  # the object's matrix, then its form's matrix
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def edges(raw, page, top: float) -> list[dict]:
    """The page's ruling edges (``page`` a pypdfium2 page, ``top`` its media box top)."""
    api = lean(raw)
    out: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    xy = (x, y, ctypes.byref(x), ctypes.byref(y))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pfill, pstroke = ctypes.byref(fill), ctypes.byref(stroke)
    m = raw.FS_MATRIX()
    pm = ctypes.byref(m)
    get_object, get_type, form_object = api.FPDFPage_GetObject, api.FPDFPageObj_GetType, api.FPDFFormObj_GetObject

    def in_form(form, i: int):
        return form_object(form, ctypes.c_ulong(i))  # an unsigned long: given as one

    FORM, PATH = raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH
    LINETO, MOVETO = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO
    h = handle(page.raw)
    checked = [False]
    scratch = (m, pm, xy, pfill, pstroke, fill, stroke, LINETO, MOVETO)
    # (owner, the indexes of its objects left to read, last first, the getter, the owner's matrix, depth):
    # the page, then each form being read (a form's objects are read before those listed before it)
    objects = [(h, range(api.FPDFPage_CountObjects(h) - 1, -1, -1), get_object, None, 0)]
    while objects:
        owner, indexes, get, outer, depth = objects[-1]
        for i in indexes:
            obj = get(owner, i)
            kind = get_type(obj)
            if kind == PATH:
                _path(api, obj, outer, top, out, scratch, checked)
            elif kind == FORM and depth < MAX_DEPTH:
                form = _matrix(api, obj, outer, m, pm)
                count = api.FPDFFormObj_CountObjects(obj)
                objects[-1] = (owner, range(i - 1, -1, -1), get, outer, depth)  # the rest, after the form
                objects.append((obj, range(count - 1, -1, -1), in_form, form, depth + 1))
                break
        else:
            objects.pop()
    return out


def _path(api, obj, outer, top: float, out: list[dict], scratch, checked: list[bool]) -> None:
    """The edges of one path object (drawn: filled or stroked), in page coordinates."""
    m, pm, xy, pfill, pstroke, fill, stroke, LINETO, MOVETO = scratch
    if api.FPDFPath_GetDrawMode(obj, pfill, pstroke) and not fill.value and not stroke.value:
        return  # neither filled nor stroked: nothing is drawn
    a, b, c, d, e, f = _matrix(api, obj, outer, m, pm) or (1, 0, 0, 1, 0, 0)
    start = last = None
    for px, py, kind, closes in _segments(api, obj, xy, checked):
        point = (a * px + c * py + e, top - (b * px + d * py + f))
        if kind == LINETO and last is not None:
            _add(out, last, point)
        if kind == MOVETO:
            start = point
        last = point
        if closes and start is not None:
            _add(out, last, start)
            last = start


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
    across = [(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"]
    added = []
    for side, y in (("bottom", max(e["bottom"] for e in verticals)), ("top", min(e["top"] for e in verticals))):
        ends = [e for e in verticals if abs(e[side] - y) <= SNAP]
        x0, x1 = min(e["x0"] for e in ends), max(e["x0"] for e in ends)
        if len(ends) < 2 or x1 - x0 < 10 * SNAP:
            continue
        spans = [(a, b) for top, a, b in across if abs(top - y) <= SNAP]
        if _covered(spans, x0, x1) < 0.9 * (x1 - x0):
            added.append(
                {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}
            )
    return added
