"""How many characters two labels share in order: the sizes of difflib's matching blocks
(``SequenceMatcher(None, a, b, autojunk=False)``) added up, found by the same steps without
building the matcher. Label matching (``linter.parse.align``) calls it for every printed label
a document brings that may name an official row."""

from __future__ import annotations


def matched(a: str, b: str) -> int:
    """How many characters ``SequenceMatcher(None, a, b, autojunk=False)`` matches (the sizes
    of its matching blocks added up), by the same steps: the longest common block, earliest in
    ``a`` then in ``b``, then the same on each side of it; without building the matcher. The
    runs are followed along the shorter text (a printed label is often a whole line against a
    short official one), which finds the same block; the shorter found whole in the longer is
    that block."""
    short_b = len(b) <= len(a)
    if (b in a) if short_b else (a in b):  # the shorter whole inside the longer: it is the one block
        return min(len(a), len(b))
    where: dict[str, list[int]] = {}
    for k, ch in enumerate(a if short_b else b):
        where.setdefault(ch, []).append(k)
    total, todo = 0, [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        if short_b:
            besti, bestj, size = _longest(b, where, blo, bhi, alo, ahi, walk_is_b=True)
        else:
            besti, bestj, size = _longest(a, where, alo, ahi, blo, bhi, walk_is_b=False)
        if size:
            total += size
            if alo < besti and blo < bestj:
                todo.append((alo, besti, blo, bestj))
            if besti + size < ahi and bestj + size < bhi:
                todo.append((besti + size, ahi, bestj + size, bhi))
    return total


def _longest(walk: str, where: dict, wlo: int, whi: int, olo: int, ohi: int, walk_is_b: bool) -> tuple[int, int, int]:
    """difflib's longest block of a[alo:ahi] and b[blo:bhi], found by following the common runs
    along one of the texts (``walk``, its window ``wlo:whi``; ``where``: the other's positions
    of each character, its window ``olo:ohi``): of the longest runs, the one starting earliest
    in a, then in b, as difflib's order keeps it. Returned as (start in a, start in b, size)."""
    besti = bestj = size = 0
    runs: dict[int, int] = {}  # other's index → length of the common run ending there and at walk[w]
    for w in range(wlo, whi):
        longer = {}
        for o in where.get(walk[w], ()):
            if o < olo:
                continue
            if o >= ohi:
                break
            k = longer[o] = runs.get(o - 1, 0) + 1
            if k >= size:
                i, j = (o - k + 1, w - k + 1) if walk_is_b else (w - k + 1, o - k + 1)
                if k > size or (i, j) < (besti, bestj):
                    besti, bestj, size = i, j, k
        runs = longer
    return besti, bestj, size
