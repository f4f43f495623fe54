"""The cell finder of the PDF reader gives what pdfplumber's "lines" strategy gives: the same
merged edges, intersections, cells and tables, on the rules of every PDF fixture page and on
random rules drawn to hit the borderline cases (edges within the snap tolerance, edges that
just meet, ties, rules repeated on top of each other)."""

from __future__ import annotations

import random

import pypdfium2 as pdfium
import pytest
from conftest import FIXTURES
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells
from pdfplumber.table import merge_edges as plumber_merge

from linter.load import pdfcells
from linter.load.pdfpage import MIN_EDGE, SNAP, _break_edges, read_page

PDFS = sorted(p for d in ("real", "generated") for p in (FIXTURES / d).glob("*.pdf"))


def _plumber(edges: list[dict]):
    merged = [
        e
        for e in plumber_merge(edges, SNAP, SNAP, SNAP, SNAP)
        if (e["width"] if e["orientation"] == "h" else e["height"]) >= MIN_EDGE
    ]
    points = edges_to_intersections(merged, SNAP, SNAP)
    cells = intersections_to_cells(points)
    return merged, points, cells, cells_to_tables(cells)


def _same(edges: list[dict]) -> None:
    merged, points, cells, tables = _plumber(edges)
    ours = [
        e
        for e in pdfcells.merge_edges(edges, SNAP, SNAP)
        if (e["width"] if e["orientation"] == "h" else e["height"]) >= MIN_EDGE
    ]

    def key(e):
        return (e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e.get("height"))

    assert sorted(map(key, ours)) == sorted(map(key, merged))
    got_points = pdfcells.intersections(ours, SNAP)
    want_points = {
        p: ({pdfcells._box(e) for e in v["v"]}, {pdfcells._box(e) for e in v["h"]}) for p, v in points.items()
    }
    assert got_points == want_points
    got_cells = pdfcells.cells(got_points)
    assert got_cells == cells
    found, got_tables = pdfcells.find(edges, SNAP, MIN_EDGE)
    assert found == cells
    assert [sorted(t) for t in got_tables] == [sorted(t) for t in tables]


def _edge(rng: random.Random, grid: list[float], across: bool) -> dict:
    a, b = sorted(rng.sample(grid, 2))
    at = rng.choice(grid) + rng.choice([0.0, 0.0, rng.uniform(-3.2, 3.2), 2.999, -3.001, 1e-9])
    a += rng.choice([0.0, rng.uniform(-4, 4)])
    if across:
        return {"x0": a, "x1": b, "top": at, "bottom": at, "width": b - a, "height": 0.0, "orientation": "h"}
    return {"x0": at, "x1": at, "top": a, "bottom": b, "width": 0.0, "height": b - a, "orientation": "v"}


@pytest.mark.parametrize("seed", range(60))
def test_random_rules_give_pdfplumbers_cells(seed):
    rng = random.Random(seed)
    grid = sorted(rng.sample(range(0, 600, 3), rng.randint(3, 14)))
    grid = [g + rng.choice([0.0, 0.25, 0.5]) for g in grid]
    edges = [_edge(rng, grid, rng.random() < 0.5) for _ in range(rng.randint(2, 70))]
    edges += [dict(e) for e in rng.sample(edges, min(len(edges), rng.randint(0, 5)))]  # drawn twice
    _same(edges)


def _grid(rng: random.Random, left: float, top: float, columns: int, rows: int) -> list[dict]:
    """A ruled table as word processors draw it: every cell boxed, neighbours' rules doubled."""
    xs = [left + 60 * i + rng.uniform(-0.4, 0.4) for i in range(columns + 1)]
    ys = [top + 18 * j + rng.uniform(-0.4, 0.4) for j in range(rows + 1)]
    edges = []
    for x0, x1 in zip(xs, xs[1:]):
        for y0, y1 in zip(ys, ys[1:]):
            for y in (y0, y1):
                edges.append(
                    {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}
                )
            for x in (x0, x1):
                edges.append(
                    {"x0": x, "x1": x, "top": y0, "bottom": y1, "width": 0.0, "height": y1 - y0, "orientation": "v"}
                )
    return edges


def test_full_grids_give_pdfplumbers_cells_and_tables():
    rng = random.Random(7)
    # a big table, one further down, a small one beside it and one that touches it at a corner
    edges = _grid(rng, 50, 100, 6, 24) + _grid(rng, 50, 600, 3, 4) + _grid(rng, 300, 600, 2, 2)
    edges += _grid(rng, 50 + 3 * 60, 600 + 4 * 18, 1, 2)
    rng.shuffle(edges)
    _, _, _, tables = _plumber(edges)
    assert len(tables) >= 3
    _same(edges)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_fixture_pages_give_pdfplumbers_cells(path):
    pdf = pdfium.PdfDocument(path)
    try:
        pages = [read_page(pdf, i) for i in range(len(pdf))]
    finally:
        pdf.close()
    ruled = [p for p in pages if len(p.edges) >= 4]
    if path.parent.name == "real":
        assert ruled  # the real reports print their tables with rules
    for page in ruled:
        _same(page.edges + _break_edges(page.edges))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_path_segments_copied_at_once_equal_those_read_one_by_one(path):
    """Paths are read in one copy of PDFium's segment array (the first on a page checked
    against the API, the later ones only for the layout of their handles): the copy must give
    what the API gives segment by segment, on every path of every fixture page, also unchecked."""
    import ctypes

    import pypdfium2.raw as raw

    from linter.load import pdfrules
    from linter.load.pdfcalls import handle, lean

    api = lean(raw)
    x, y = ctypes.c_float(), ctypes.c_float()
    xy = (x, y, ctypes.byref(x), ctypes.byref(y))
    pdf = pdfium.PdfDocument(path)
    copied = paths = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            checked = [False]
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=8):
                h = handle(obj.raw)
                count = api.FPDFPath_CountSegments(h)
                want = pdfrules._through_api(api, h, count, xy)
                assert want == [
                    (*raw_point, raw.FPDFPathSegment_GetType(seg), raw.FPDFPathSegment_GetClose(seg))
                    for seg in (raw.FPDFPath_GetPathSegment(obj.raw, i) for i in range(count))
                    for raw_point in [_point(raw, seg)]
                ]  # the lean calls give what pypdfium2's own bindings give
                assert pdfrules._segments(api, h, xy, checked) == want
                if count >= 2:
                    paths += 1
                    unchecked = pdfrules._copied(api, h, count, xy, False)
                    assert unchecked in (None, want)
                    copied += unchecked == want
            page.close()
    finally:
        pdf.close()
    assert copied == paths  # PDFium keeps every path as one array: the copy is what read them


def _point(raw, seg) -> tuple[float, float]:
    import ctypes

    x, y = ctypes.c_float(), ctypes.c_float()
    assert raw.FPDFPathSegment_GetPoint(seg, x, y)
    return x.value, y.value
