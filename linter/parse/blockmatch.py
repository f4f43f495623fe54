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
        besti, bestj, size = (_block_along_b if short_b else _block_along_a)(a, b, where, alo, ahi, blo, bhi)
        if size:
            total += size
            if alo < besti and blo < bestj:
                todo.append((alo, besti, blo, bestj))
            if besti + size < ahi and bestj + size < bhi:
                todo.append((besti + size, ahi, bestj + size, bhi))
    return total


def _block_along_a(a: str, b: str, where: dict, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """difflib's longest block of a[alo:ahi] and b[blo:bhi] (``where``: b's positions of each
    character): runs ending at each a[i] in turn, the first longest kept."""
    besti, bestj, size = alo, blo, 0
    runs: dict[int, int] = {}  # b index → length of the common run ending there and at a[i]
    for i in range(alo, ahi):
        longer = {}
        for j in where.get(a[i], ()):
            if j < blo:
                continue
            if j >= bhi:
                break
            k = longer[j] = runs.get(j - 1, 0) + 1
            if k > size:
                besti, bestj, size = i - k + 1, j - k + 1, k
        runs = longer
    return besti, bestj, size


def _block_along_b(a: str, b: str, where: dict, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """The same block found along b (``where``: a's positions of each character): of the
    longest runs, the one starting earliest in a, then in b, as difflib's order keeps it."""
    besti, bestj, size = alo, blo, 0
    runs: dict[int, int] = {}  # a index → length of the common run ending there and at b[j]
    for j in range(blo, bhi):
        longer = {}
        for i in where.get(b[j], ()):
            if i < alo:
                continue
            if i >= ahi:
                break
            k = longer[i] = runs.get(i - 1, 0) + 1
            if k > size or (k == size and (i - k + 1, j - k + 1) < (besti, bestj)):
                besti, bestj, size = i - k + 1, j - k + 1, k
        runs = longer
    return besti, bestj, size
