"""Table cells enclosed by ruling edges: the cell finder of pdfplumber's "lines" strategy
(snap, join, intersections, smallest cells, tables of cells sharing corners), done again on
tuples with indexes instead of scans.

pdfplumber's own functions compare every intersection with every later one and build sets of
edge boxes at each comparison, so a page of a few hundred rules costs tens of milliseconds and
importing pdfplumber pulls in pdfminer. Here each step gives exactly what pdfplumber's gives
(the same floating-point arithmetic, in the same order, for snapped and joined edges; the same
cells, and the same tables in the same order), which ``tests/test_pdfcells.py`` checks against
pdfplumber itself. Edges come in and go out as pdfplumber-style dicts (x0, x1, top, bottom,
width, height, orientation "h" or "v"); cells are (x0, top, x1, bottom).
"""

from __future__ import annotations

import bisect
from collections import defaultdict

Cell = tuple[float, float, float, float]
_SLACK = 1e-6  # widens index look-ups so that rounding never leaves out what the exact test would take


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """Each distinct value's cluster: sorted values chained while each is within ``tolerance``
    of the one before."""
    out: dict[float, int] = {}
    index, last = -1, None
    for v in sorted(set(values)):
        if last is None or not v <= last + tolerance:
            index += 1
        out[v] = index
        last = v
    return out


def _snap(edges: list[dict], attr: str, tolerance: float) -> list[dict]:
    """Edges of one orientation moved to the mean of their cluster's ``attr`` (x0 of upright
    edges, top of edges across), cluster by cluster, in input order within a cluster."""
    cluster = _clusters([e[attr] for e in edges], tolerance)
    groups: dict[int, list[dict]] = defaultdict(list)
    for e in edges:
        groups[cluster[e[attr]]].append(e)
    lo, hi = ("x0", "x1") if attr == "x0" else ("top", "bottom")
    out = []
    for key in sorted(groups):
        members = groups[key]
        mean = sum(e[attr] for e in members) / len(members)
        for e in members:
            shift = mean - e[attr]
            moved = dict(e)
            moved[lo] = e[lo] + shift
            moved[hi] = e[hi] + shift
            out.append(moved)
    return out


def _join(group: list[dict], horizontal: bool, tolerance: float) -> list[dict]:
    """Edges on one line joined where they overlap or nearly meet."""
    lo, hi = ("x0", "x1") if horizontal else ("top", "bottom")
    ordered = sorted(group, key=lambda e: e[lo])
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                grown = dict(last)
                grown[hi] = e[hi]
                if horizontal:
                    grown["width"] = e[hi] - last["x0"]
                else:
                    grown["height"] = last["height"] + (e[hi] - last[hi])
                joined[-1] = grown
        else:
            joined.append(e)
    return joined


def merge_edges(edges: list[dict], snap: float, join: float) -> list[dict]:
    """Snapped and joined edges (pdfplumber's ``merge_edges`` with equal x and y tolerances)."""
    upright = [e for e in edges if e["orientation"] == "v"]
    across = [e for e in edges if e["orientation"] == "h"]
    if snap > 0:
        upright, across = _snap(upright, "x0", snap), _snap(across, "top", snap)
    groups: dict[tuple[str, float], list[dict]] = defaultdict(list)
    for e in upright + across:
        groups[("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"])].append(e)
    out: list[dict] = []
    for key in sorted(groups):
        out += _join(groups[key], key[0] == "h", join)
    return out


def _box(e: dict) -> Cell:
    return (e["x0"], e["top"], e["x1"], e["bottom"])


def intersections(edges: list[dict], tolerance: float) -> dict[tuple[float, float], tuple[set, set]]:
    """Points where an upright edge meets an edge across (within ``tolerance``), each with the
    boxes of the upright edges and of the edges across that meet there."""
    across = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: e["top"])
    tops = [e["top"] for e in across]
    spans = [(e["top"], e["x0"], e["x1"], _box(e)) for e in across]
    out: dict[tuple[float, float], tuple[set, set]] = {}
    for v in (e for e in edges if e["orientation"] == "v"):
        x, vtop, vbottom, vbox = v["x0"], v["top"], v["bottom"], _box(v)
        first = bisect.bisect_left(tops, vtop - tolerance - _SLACK)  # a superset of the candidates
        for htop, hx0, hx1, hbox in spans[first : bisect.bisect_right(tops, vbottom + tolerance + _SLACK)]:
            # the same tests as pdfplumber, so that borderline floats fall the same way
            if (
                vtop <= htop + tolerance
                and vbottom >= htop - tolerance
                and x >= hx0 - tolerance
                and x <= hx1 + tolerance
            ):
                point = (x, htop)
                meeting = out.get(point)
                if meeting is None:
                    meeting = out[point] = (set(), set())
                meeting[0].add(vbox)
                meeting[1].add(hbox)
    return out


def cells(points: dict[tuple[float, float], tuple[set, set]]) -> list[Cell]:
    """The smallest cell with each point as its top-left corner, whose four sides are edges:
    for each point, the nearest point below it on a shared upright edge and, trying nearer ones
    first, a point right of it on a shared edge across, such that the fourth corner is joined
    to both."""
    # x → the ys of the points there, ascending, and the points; y → the xs, and the points
    column: dict[float, tuple[list, list]] = defaultdict(lambda: ([], []))
    row: dict[float, tuple[list, list]] = defaultdict(lambda: ([], []))
    ordered = sorted(points)
    for x, y in ordered:
        meeting = points[(x, y)]
        ys, downward = column[x]
        ys.append(y)
        downward.append(meeting)
        xs, rightward = row[y]
        xs.append(x)
        rightward.append(meeting)
    out = []
    for x, y in ordered:
        found = _smallest(points, x, y, column[x], row[y])
        if found:
            out.append(found)
    return out


def _smallest(points, x: float, y: float, down: tuple[list, list], right: tuple[list, list]) -> Cell | None:
    """The first cell found from the point (x, y): points below tried nearest first and, for
    each, points to the right nearest first (those joined to (x, y) found once, as needed).
    ``down`` and ``right``: the ys of the points in the column of (x, y) and the xs of those in
    its row, ascending, each with its point's edges."""
    (ys, below_at), (xs, right_at) = down, right
    ups, acrosses = points[(x, y)]
    joined: list[int] = []  # indexes in ``xs`` of the points right of (x, y) on a shared edge across, in order
    k = bisect.bisect_right(xs, x)
    for i in range(bisect.bisect_right(ys, y), len(ys)):
        b, below = ys[i], below_at[i]
        if ups.isdisjoint(below[0]):
            continue
        n = 0
        while True:
            if n == len(joined):
                while k < len(xs) and acrosses.isdisjoint(right_at[k][1]):
                    k += 1
                if k == len(xs):
                    break
                joined.append(k)
                k += 1
            j = joined[n]
            n += 1
            r = xs[j]
            corner = points.get((r, b))
            if corner is not None and not corner[0].isdisjoint(right_at[j][0]) and not corner[1].isdisjoint(below[1]):
                return (x, y, r, b)
    return None


def _corners(cell: Cell) -> tuple[tuple[float, float], ...]:
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def tables(found: list[Cell]) -> list[list[Cell]]:
    """Cells grouped into tables (cells sharing a corner, transitively), ordered by their top
    then left corner, each table's cells in the order found; tables of one cell are dropped."""
    corners = [_corners(cell) for cell in found]
    sharing: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, four in enumerate(corners):
        for corner in four:
            sharing[corner].append(i)
    seen = [False] * len(found)
    groups = []
    for i in range(len(found)):
        if seen[i]:
            continue
        seen[i], stack, members = True, [i], []
        while stack:
            j = stack.pop()
            members.append(j)
            for corner in corners[j]:
                for k in sharing[corner]:
                    if not seen[k]:
                        seen[k] = True
                        stack.append(k)
        groups.append([found[j] for j in sorted(members)])
    ordered = sorted(groups, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]


def find(edges: list[dict], snap: float, min_edge: float, max_crossings: int | None = None):
    """(cells, tables) of merged edges at least ``min_edge`` long; ``None`` when the rules
    across times the upright ones exceed ``max_crossings`` (the count is returned instead)."""
    merged = [
        e
        for e in merge_edges(edges, snap, snap)
        if (e["width"] if e["orientation"] == "h" else e["height"]) >= min_edge
    ]
    across = sum(1 for e in merged if e["orientation"] == "h")
    if max_crossings is not None and across * (len(merged) - across) > max_crossings:
        return None, (across, len(merged) - across)
    found = cells(intersections(merged, snap))
    return found, tables(found)
