"""Digit runs: a row's numbers printed with no separator (``72641783``), read back as cells.

``digit_splits`` walks the ways a run splits into n numbers, in a fixed order and within a
budget of steps, keeping those the row identity allows. When the identity is a ``RowCheck``
(total = sum of the other columns in each segment of a reading) its structure also bounds the
walk: a branch none of whose readings can satisfy it is not entered, but the steps the walk
would have spent there are still counted, so the answer is exactly that of the full walk.
"""

from __future__ import annotations

import re

GROUP = re.compile(r"\d+(?:\.\d+)?")

SPLIT_STEPS = 200_000  # a row of run-together digits with no valid split is searched this far, then called ambiguous
_WIDEST = 7  # digits one cell of a run may take


def cells_in(group: str) -> int:
    return 1 if "." in group else len(group)


def digit_total(groups: list[str]) -> int | None:
    """How many cells digit groups can fill at most (a decimal is one); None if any is no group."""
    if not groups or not all(GROUP.fullmatch(g) for g in groups):
        return None
    return sum(cells_in(g) for g in groups)


def one_per_column(groups: list[str]) -> tuple[float, ...]:
    """Digit groups read one digit per cell (a decimal stays one cell)."""
    return tuple(v for g in groups for v in ([float(g)] if "." in g else [int(d) for d in g]))


class RowCheck:
    """The row identity held in every segment of a reading (one segment per table row: one for
    a grid row, three for table 四's flat row); called on a reading of all the segments' cells."""

    def __init__(self, lhs: list[str], rhs: list[str], segments: list[list[str]]):
        self.sums: list[tuple[list[int], list[int]]] = []  # per segment: positions summed on each side
        self.weight: list[int] = []  # per position: times on the left less times on the right
        self.end: list[int] = []  # per position: where its segment ends
        for cols in segments:
            start = len(self.weight)
            at = dict(zip(cols, range(start, start + len(cols))))  # a column named twice: its last cell
            self.sums.append(([at[c] for c in lhs], [at[c] for c in rhs]))
            self.weight += [0] * len(cols)
            self.end += [start + len(cols)] * len(cols)
            for c in lhs:
                self.weight[at[c]] += 1
            for c in rhs:
                self.weight[at[c]] -= 1

    def __call__(self, vec) -> bool:
        for left, right in self.sums:
            if sum(vec[i] for i in left) != sum(vec[i] for i in right):
                return False
        return True


def segment_valid(identity_cols: tuple[list[str], list[str]] | None, segments: list[list[str]]) -> RowCheck | None:
    """The row identity as a check of a reading of ``segments``; None when it cannot apply."""
    if identity_cols is None:
        return None
    lhs, rhs = identity_cols
    if not all(set(lhs + rhs) <= set(cols) for cols in segments):
        return None
    return RowCheck(lhs, rhs, segments)


def digit_splits(
    groups: list[str], n: int, valid, limit: int = 2, budget: int = SPLIT_STEPS
) -> list[tuple[float, ...]]:
    """Readings of digit groups as ``n`` numbers (a group may hold several cells run together;
    no number but 0 starts with 0). Stops once ``limit`` readings are found: callers only need
    to know whether the reading is unique. Without ``valid`` every reading counts. A search
    that spends ``budget`` steps answers with as many readings as asked for: never unique."""
    found: list[tuple[float, ...]] = []
    left = [sum(cells_in(g) for g in groups[i:]) for i in range(len(groups))] + [0]
    if left[0] >= n and len(groups) <= n and left[0] <= 40:
        if isinstance(valid, RowCheck) and len(valid.weight) == n and not any("." in g for g in groups):
            steps = _Pruned(groups, n, valid, limit, left, found).run(budget)
        else:
            steps = _walk(groups, n, valid, limit, left, found, budget)
    else:
        steps = budget
    if steps <= 0:  # searched too long to know: as many readings as asked for, so never "unique"
        found += [()] * (limit - len(found))
    return found


def _walk(groups, n, valid, limit, left, found, budget) -> int:
    """Every split in order; returns the steps left."""
    steps = [budget]

    def walk(gi: int, pos: int, parts: list[float]) -> None:
        if len(found) >= limit or len(parts) > n or steps[0] <= 0:
            return
        steps[0] -= 1
        if gi == len(groups):
            if len(parts) == n and (valid is None or valid(parts)):
                found.append(tuple(parts))
            return
        group = groups[gi]
        if "." in group:  # a decimal is one cell
            walk(gi + 1, 0, parts + [float(group)])
            return
        if pos == len(group):
            walk(gi + 1, 0, parts)
            return
        if len(group) - pos + left[gi + 1] < n - len(parts):
            return  # too few digits left for the cells still to fill
        if len(parts) + 1 + (len(groups) - gi - 1) > n:
            return  # every group left needs at least one cell
        if group[pos] == "0":
            walk(gi, pos + 1, parts + [0])
            return
        for end in range(pos + 1, min(len(group), pos + _WIDEST) + 1):
            walk(gi, end, parts + [int(group[pos:end])])

    walk(0, 0, [])
    return steps[0]


class _Pruned:
    """``_walk`` over whole-number groups with a RowCheck: the same steps in the same order,
    but a branch whose readings all break the identity is counted, not walked. A branch is
    known by where it starts (group, digit, cells filled); for each such place ``_span`` gives
    the steps of its whole walk and the least and greatest weighted sum its cells can add to
    the segment they start in, over the readings that fill exactly n cells."""

    def __init__(self, groups, n, check: RowCheck, limit, left, found):
        self.groups, self.n, self.check, self.limit, self.left, self.found = groups, n, check, limit, left, found
        self.spans: dict[tuple[int, int, int], tuple[int, int | None, int | None]] = {}

    def _cuts(self, group: str, pos: int) -> range:
        return range(pos + 1, pos + 2) if group[pos] == "0" else range(pos + 1, min(len(group), pos + _WIDEST) + 1)

    def _span(self, gi: int, pos: int, k: int) -> tuple[int, int | None, int | None]:
        key = (gi, pos, k)
        if key in self.spans:
            return self.spans[key]
        groups, n = self.groups, self.n
        if k > n:
            out = (0, None, None)
        elif gi == len(groups):
            out = (1, 0, 0) if k == n else (1, None, None)
        elif pos == len(groups[gi]):
            steps, lo, hi = self._span(gi + 1, 0, k)
            out = (steps + 1, lo, hi)
        elif len(groups[gi]) - pos + self.left[gi + 1] < n - k or k + 1 + (len(groups) - gi - 1) > n:
            out = (1, None, None)
        else:
            group, weight, same = groups[gi], self.check.weight[k], k + 1 < self.check.end[k]
            steps, lo, hi = 1, None, None
            for end in self._cuts(group, pos):
                sub, sub_lo, sub_hi = self._span(gi, end, k + 1)
                steps += sub
                if sub_lo is None:
                    continue
                here = weight * int(group[pos:end])
                low, high = (here + sub_lo, here + sub_hi) if same else (here, here)
                lo = low if lo is None else min(lo, low)
                hi = high if hi is None else max(hi, high)
            out = (steps, lo, hi)
        self.spans[key] = out
        return out

    def run(self, budget: int) -> int:
        self.steps = budget
        self._walk(0, 0, [], 0)
        return self.steps

    def _walk(self, gi: int, pos: int, parts: list[int], sofar: int | None) -> None:
        """``sofar``: the weighted sum of the current segment's cells so far; None once a
        finished segment broke the identity."""
        n, groups = self.n, self.groups
        if len(self.found) >= self.limit or len(parts) > n or self.steps <= 0:
            return
        k = len(parts)
        steps, lo, hi = self._span(gi, pos, k)
        if sofar is None or lo is None or not lo <= -sofar <= hi:
            self.steps = max(self.steps - steps, 0)  # no reading here holds: its steps, unwalked
            return
        self.steps -= 1
        if gi == len(groups):
            if k == n and self.check(parts):
                self.found.append(tuple(parts))
            return
        group = groups[gi]
        if pos == len(group):
            self._walk(gi + 1, 0, parts, sofar)
            return
        if len(group) - pos + self.left[gi + 1] < n - k or k + 1 + (len(groups) - gi - 1) > n:
            return
        weight, closes = self.check.weight[k], k + 1 == self.check.end[k]
        for end in self._cuts(group, pos):
            value = int(group[pos:end])
            total = sofar + weight * value
            self._walk(gi, end, parts + [value], (0 if total == 0 else None) if closes else total)
