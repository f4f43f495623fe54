"""Page-image analysis for OCR: clean the image, straighten it, find the ruling lines of tables
and cut out each cell's ink.

A scan is turned to grayscale with red ink (seals, stamps) dropped, straightened by the angle at
which its rows of ink line up best, and binarised with Otsu's threshold. Ruling lines are the long
horizontal and vertical runs of dark pixels (a morphological opening done with running sums);
they are returned as edges in the same form the text-layer reader gets from a PDF's drawing
paths, so one table algorithm serves both. Everything is numpy on one image.
"""

from __future__ import annotations

import numpy as np

MAX_SKEW = 3.0  # degrees
FAINT = 215  # grey level under which a pixel may belong to a ruling line


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Grayscale in which red ink (a seal) counts by its red channel only: the seal turns light,
    while black print under it, darkened to deep red, stays dark. Light tints (a shaded cell)
    count by their brightest channel, so they are paper, not ink."""
    if rgb.ndim == 2:
        return rgb.astype(np.uint8)
    rgb = rgb[..., :3].astype(np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    gray = (0.299 * r + 0.587 * g + 0.114 * b).astype(np.int16)
    red = (r - np.maximum(g, b)) > 50
    gray[red] = r[red]
    top = np.maximum(np.maximum(r, g), b)
    tint = (top > 180) & (top - np.minimum(np.minimum(r, g), b) > 25) & ~red
    gray[tint] = top[tint]  # a light colour filling a cell or a title bar is background
    return np.clip(gray, 0, 255).astype(np.uint8)


def otsu(gray: np.ndarray) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def _rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(gray).rotate(angle, resample=Image.BILINEAR, fillcolor=255))


def skew(gray: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that makes rows of ink horizontal: the angle whose
    row profile is sharpest, searched coarse on a quarter-size image, then fine on a half-size one."""

    def scorer(step: int):
        small = gray[::step, ::step]
        ink = small < otsu(small)
        if ink.mean() < 0.002:
            return None
        paper = np.where(ink, 0, 255).astype(np.uint8)  # ink black on white: the turned corners are white

        def score(angle: float) -> float:
            rows = _rotate(paper, angle).astype(np.float64).sum(axis=1)
            return float(np.sum(np.diff(rows) ** 2))

        return score

    coarse = scorer(4)
    if coarse is None:
        return 0.0
    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=coarse)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=coarse)
    fine = scorer(2)
    best = max(np.arange(best - 0.15, best + 0.16, 0.05), key=fine)
    return float(round(best, 2)) if abs(best) >= 0.05 else 0.0


def prepare(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(grayscale, ink mask) of a page image, straightened."""
    gray = to_gray(rgb)
    angle = skew(gray)
    if angle:
        gray = _rotate(gray, angle)
    threshold = min(otsu(gray), 200)
    return gray, despeckle(gray < threshold)


def despeckle(ink: np.ndarray) -> np.ndarray:
    """Ink pixels with at least two inked neighbours (scan noise is single dots)."""
    padded = np.pad(ink, 1).astype(np.uint8)
    h, w = ink.shape
    near = sum(padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return ink & (near >= 2)


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels of ``mask`` that lie in a run of at least ``length`` along axis 1 (an opening)."""
    h, w = mask.shape
    if w < length:
        return np.zeros_like(mask)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=c[:, 1:])
    full = (c[:, length:] - c[:, :-length]) == length  # window starting at x is all ink
    d = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=d[:, 1 : full.shape[1] + 1])
    d[:, full.shape[1] + 1 :] = d[:, full.shape[1] : full.shape[1] + 1]
    x = np.arange(w)
    lo = np.clip(x - length + 1, 0, full.shape[1])
    hi = np.clip(x + 1, 0, full.shape[1])
    return (d[:, hi] - d[:, lo]) > 0  # covered by some full window


def _segments(lines: np.ndarray, gap: int) -> list[tuple[int, int, int, int]]:
    """(along0, along1, across0, across1) for each line in a mask of horizontal lines: rows of
    the mask are grouped into bands, each band's columns into segments, and each segment's rows
    narrowed to its core (rows holding at least half as much of it as its fullest row), so the
    grey fringe that blur and JPEG leave along a rule does not thicken it."""
    rows = np.flatnonzero(lines.any(axis=1))
    out = []
    if rows.size == 0:
        return out
    bands = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    for band in bands:
        block = lines[band[0] : band[-1] + 1]
        cols = np.flatnonzero(block.any(axis=0))
        if cols.size == 0:
            continue
        for piece in np.split(cols, np.flatnonzero(np.diff(cols) > gap) + 1):
            a0, a1 = int(piece[0]), int(piece[-1]) + 1
            counts = block[:, a0:a1].sum(axis=1)
            core = np.flatnonzero(counts >= 0.5 * counts.max())
            out.append((a0, a1, int(band[0] + core[0]), int(band[0] + core[-1]) + 1))
    return out


def _extend(along: np.ndarray, start: int, end: int, gap: int) -> tuple[int, int]:
    """A line's ends followed along its band of ink across gaps of at most ``gap`` pixels (a
    scan breaks a rule where the toner is thin)."""
    ink = np.flatnonzero(along)
    before = ink[ink < start][::-1]
    for x in before:
        if start - x > gap + 1:
            break
        start = int(x)
    after = ink[ink >= end]
    for x in after:
        if x - (end - 1) > gap + 1:
            break
        end = int(x) + 1
    return start, end


def ruling(ink: np.ndarray, scale: float, gray: np.ndarray | None = None) -> tuple[np.ndarray, list[dict]]:
    """The mask of ruling-line pixels and the lines as edges in points (``scale`` px per point).
    A horizontal line is a run of ink at least 9 mm long, a vertical one at least 4 mm long (a
    table row can be that low) that meets a horizontal line; both at most 1.5 mm thick. No stroke
    of body text is that long across, and a long upright stroke of a heading meets no rule."""
    if gray is not None:  # hairlines come out light grey from a scanner: looked for in faint ink too
        ink = ink | despeckle(gray < FAINT)
    thick = max(int(4 * scale), 3)
    horiz = _runs(ink, max(int(12 * scale), 12))
    vert = _runs(ink.T, max(int(11 * scale), 12)).T
    edges: list[dict] = []
    mask = np.zeros_like(ink)
    rules = []
    for x0, x1, y0, y1 in _segments(horiz, int(3 * scale)):
        if y1 - y0 > thick:
            continue
        e0, e1 = _extend(ink[y0:y1].any(axis=0), x0, x1, int(scale))
        if e1 - e0 >= 25 * scale:
            rules.append((e0, e1, y0, y1))
            mask[y0:y1, x0:x1] |= horiz[y0:y1, x0:x1]
            mask[y0:y1, e0:x0] |= ink[y0:y1, e0:x0]
            mask[y0:y1, x1:e1] |= ink[y0:y1, x1:e1]
            x0, x1 = e0, e1
            y = (y0 + y1) / 2 / scale
            edges.append(
                {
                    "x0": x0 / scale,
                    "x1": x1 / scale,
                    "top": y,
                    "bottom": y,
                    "width": (x1 - x0) / scale,
                    "height": 0.0,
                    "orientation": "h",
                }
            )
    near = 3
    for y0, y1, x0, x1 in _segments(vert.T, int(3 * scale)):
        if x1 - x0 > thick + 0.005 * (y1 - y0):  # a long rule may lean by a pixel or two
            continue
        e0, e1 = _extend(ink[:, x0:x1].any(axis=1), y0, y1, int(scale))
        vert[e0:y0, x0:x1] |= ink[e0:y0, x0:x1]
        vert[y1:e1, x0:x1] |= ink[y1:e1, x0:x1]
        y0, y1 = e0, e1
        if not any(
            hx0 - near <= x1 and x0 <= hx1 + near and y0 - near <= hy1 and hy0 <= y1 + near
            for hx0, hx1, hy0, hy1 in rules
        ):
            continue
        mask[y0:y1, x0:x1] |= vert[y0:y1, x0:x1]
        x = (x0 + x1) / 2 / scale
        edges.append(
            {
                "x0": x,
                "x1": x,
                "top": y0 / scale,
                "bottom": y1 / scale,
                "width": 0.0,
                "height": (y1 - y0) / scale,
                "orientation": "v",
            }
        )
    edges += _open_ends(edges)
    # a line's ragged border (scan noise, anti-aliasing) goes with it
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    return grown & ink, edges


def _open_ends(edges: list[dict]) -> list[dict]:
    """Rules closing a table cut by a page break: where three or more upright rules stop at the
    same height with no rule across there, the last row (or the first) is bounded by a rule
    across from the first of them to the last."""
    across = [e for e in edges if e["orientation"] == "h"]
    upright = [e for e in edges if e["orientation"] == "v"]
    out = []
    for end in ("bottom", "top"):
        for y in sorted({round(e[end]) for e in upright}):
            ending = [
                e
                for e in upright
                if abs(e[end] - y) <= 3
                and e["height"] >= 10
                and any(
                    h["x0"] - 3 <= e["x0"] <= h["x1"] + 3
                    and abs(h["top"] - y) > 6
                    and e["top"] - 3 <= h["top"] <= e["bottom"] + 3
                    for h in across
                )
            ]
            if len(ending) < 3 or max(e["x0"] for e in ending) - min(e["x0"] for e in ending) < 60:
                continue
            x0, x1 = min(e["x0"] for e in ending), max(e["x0"] for e in ending)
            if any(abs(h["top"] - y) <= 6 and h["x0"] <= x0 + 3 and h["x1"] >= x1 - 3 for h in across + out):
                continue
            level = sum(e[end] for e in ending) / len(ending)
            out.append(
                {"x0": x0, "x1": x1, "top": level, "bottom": level, "width": x1 - x0, "height": 0.0, "orientation": "h"}
            )
    return out


def cells(edges: list[dict]) -> list[tuple[float, float, float, float]]:
    """Table cells (x0, top, x1, bottom in points) enclosed by the edges, by the same algorithm
    the text-layer reader uses."""
    if len(edges) < 4:
        return []
    from linter.load import pdfcells
    from linter.load.pdfrules import MIN_EDGE, SNAP

    return pdfcells.find(edges, SNAP, MIN_EDGE)[0]


def crop(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, int, int] | None:
    """The ink of one cell, tight and padded, on white: (image, left, top) in page pixels, or
    None for an empty cell. ``ink`` has the ruling lines already removed."""
    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    if region.size == 0:
        return None
    rows = np.flatnonzero(region.sum(axis=1) >= 1)
    colsum = region.sum(axis=0)
    cols = np.flatnonzero(colsum >= 1)
    if rows.size == 0 or cols.size == 0 or region.sum() < 6:
        return None  # nothing, or a speck of noise
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    piece = np.where(region[top:bottom, left:right], gray[y0 + top : y0 + bottom, x0 + left : x0 + right], 255)
    pad = max(6, (bottom - top) // 3)
    return np.pad(piece.astype(np.uint8), pad, constant_values=255), x0 + left - pad, y0 + top - pad
