"""Matching printed row labels to official ones, and fitting a row's values to its columns.

Three pure pieces: ``similarity`` (how well printed text covers an official label, with the
row numbering as a tie-breaker), ``align`` (a monotonic, order-preserving assignment of
printed rows to official rows) and ``fit`` (which printed value belongs to which column,
refusing to guess when the count does not fit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from linter.parse.blockmatch import matched
from linter.parse.digits import GROUP, cells_in, digit_splits, one_per_column
from linter.textutil import is_digit_run, label_key, nfkc, parse_number
from linter.wording.numbering import numbering

T = TypeVar("T")

MATCH = 0.5  # minimum similarity for a label to name a row
NAMING = MATCH - 0.1  # below it a label cannot name a row (even with the 0.1 a row with values gets)
GAP_FILL = 0.05  # score for a row with values but an unreadable label, placed by order alone


@lru_cache(maxsize=262144)
def similarity(printed: str, official: str) -> float:
    """How well ``printed`` stands for ``official``: coverage of the official text, numbering."""
    off_num, off_core = numbering(official)
    cand_num, cand_core = numbering(printed)
    a, b = label_key(cand_core), label_key(off_core)
    if not a or not b:
        return 0.0
    common = matched(a, b)
    coverage = common / len(b)
    precision = common / len(a)
    score = coverage * (0.7 + 0.3 * precision)
    if off_num and cand_num:
        if off_num == cand_num:
            score += 0.1
        elif off_num[0] == cand_num[0]:
            score *= 0.5
    return score


@lru_cache(maxsize=65536)
def _core(text: str) -> tuple[str, frozenset[str]]:
    """A label's comparison key without its numbering, and the characters in it."""
    key = label_key(numbering(text)[1])
    return key, frozenset(key)


@lru_cache(maxsize=65536)
def _counts(key: str) -> Counter:
    return Counter(key)


@lru_cache(maxsize=262144)
def similarity_from(printed: str, official: str, floor: float) -> float:
    """``similarity`` where it could reach ``floor``, else 0.0. The bound counts the characters
    both labels share, which no matching exceeds (plus the numbering bonus), so the costly
    matching is skipped only where its result is below the floor anyway."""
    (a, sa), (b, sb) = _core(printed), _core(official)
    if not a or not b:
        return 0.0
    # each distinct character of one label missing from the other leaves at least one unmatched
    shared = min(len(a) - len(sa - sb), len(b) - len(sb - sa))
    if shared / len(b) * (0.7 + 0.3 * shared / len(a)) + 0.1 < floor:
        return 0.0
    ca, cb = _counts(a), _counts(b)  # then the exact count of shared characters
    shared = sum(min(ca[c], cb[c]) for c in sa & sb)
    if shared / len(b) * (0.7 + 0.3 * shared / len(a)) + 0.1 < floor:
        return 0.0
    return similarity(printed, official)


@lru_cache(maxsize=1024)
def _postings(officials: tuple[str, ...]) -> tuple[list[int], dict[str, list[tuple[int, int]]]]:
    """The length of each official's comparison key and, for each character, the officials
    whose key holds it, with its count there."""
    lengths: list[int] = []
    where: dict[str, list[tuple[int, int]]] = {}
    for j, official in enumerate(officials):
        b = _core(official)[0]
        lengths.append(len(b))
        for ch, count in _counts(b).items():
            where.setdefault(ch, []).append((j, count))
    return lengths, where


@lru_cache(maxsize=16384)
def similarities_from(printed: str, officials: tuple[str, ...], floor: float) -> tuple[float, ...]:
    """``similarity_from(printed, o, floor)`` for each of ``officials``. The exact count of
    shared characters is taken for all officials in one pass over the characters' postings; it
    is ``similarity_from``'s second bound, which decides alone (its first bound is never lower),
    so only the officials it lets through are matched."""
    a = _core(printed)[0]
    if not a:
        return (0.0,) * len(officials)
    lengths, where = _postings(officials)
    shared = [0] * len(officials)
    for ch, count in _counts(a).items():
        for j, theirs in where.get(ch, ()):
            shared[j] += count if count < theirs else theirs
    size, out = len(a), []
    for official, length, common in zip(officials, lengths, shared):
        if not length or common / length * (0.7 + 0.3 * common / size) + 0.1 < floor:
            out.append(0.0)
        else:
            out.append(similarity(printed, official))
    return tuple(out)


def align(
    items: Sequence[T],
    official: Sequence[str],
    label: Callable[[T], str],
    has_values: Callable[[T], bool],
    gap_fill: bool = True,
) -> dict[int, int]:
    """Order-preserving assignment item index → official index maximising total similarity.

    An item whose label is too unlike any official label may still be placed between two
    confidently matched neighbours, but only if it carries values (it is then a row whose
    label was mangled); label-only items never fill a gap.
    """
    n, m = len(items), len(official)
    if not n or not m:
        return {}
    floor, labels = NAMING, tuple(official)
    score: list[list[float]] = []
    for item in items:
        text = label(item)
        values = has_values(item)
        # a printed row with its values beats a bare label competing for the same place
        bonus, fill = (0.1, GAP_FILL if gap_fill else -1.0) if values else (0.0, -1.0)
        if not text:
            score.append([fill] * m)
            continue
        score.append([s + bonus if s >= MATCH else fill for s in similarities_from(text, labels, floor)])
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 skip item, 2 skip official, 3 match
    for i in range(1, n + 1):
        above, here, moves, scores = dp[i - 1], dp[i], move[i], score[i - 1]
        for j in range(1, m + 1):
            best, how = above[j], 1
            if here[j - 1] > best:
                best, how = here[j - 1], 2
            s = scores[j - 1]
            if s > 0 and above[j - 1] + s > best:
                best, how = above[j - 1] + s, 3
            here[j], moves[j] = best, how
    out: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        how = move[i][j]
        if how == 3:
            out[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1
    return _one_to_one_gaps(out, score)


def best_pairs(
    items: Sequence[T], official: Sequence[str], label: Callable[[T], str], has_values: Callable[[T], bool]
) -> dict[int, int]:
    """Order-free assignment for tables whose row labels are all distinct: best pairs first."""
    printed = [(i, label(it), 0.1 if has_values(it) else 0.0) for i, it in enumerate(items)]
    labels = tuple(official)
    pairs = sorted(
        (
            (s + bonus, i, j)
            for i, text, bonus in printed
            if text
            for j, s in enumerate(similarities_from(text, labels, NAMING))
        ),
        reverse=True,
    )
    out: dict[int, int] = {}
    for s, i, j in pairs:
        if s >= MATCH and i not in out and j not in out.values():
            out[i] = j
    return out


def _one_to_one_gaps(out: dict[int, int], score: list[list[float]]) -> dict[int, int]:
    """Keep a row placed by order alone only when it fills a gap exactly: as many printed rows
    as official rows between the confident matches around it. Otherwise it would be a guess."""
    sure = sorted((i, j) for i, j in out.items() if score[i][j] >= MATCH)
    keep = {i: j for i, j in out.items() if score[i][j] >= MATCH}
    bounds = [(-1, -1)] + sure + [(len(score), len(score[0]) if score else 0)]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        gap = [(i, out[i]) for i in range(i0 + 1, i1) if i in out and score[i][out[i]] < MATCH]
        printed = [i for i in range(i0 + 1, i1) if i in out or any(v > 0 for v in score[i])]
        if gap and len(gap) == len(printed) == j1 - j0 - 1:
            keep.update(dict(gap))
    return keep


def fit(
    cells: Sequence[T],
    ncols: int,
    is_empty: Callable[[T], bool],
    text_of: Callable[[T], str],
    valid: Callable[[list[float]], bool] | None = None,
) -> tuple[list[T] | None, str, tuple[float, ...] | None]:
    """Assign a row's value cells to ``ncols`` columns, or return None when it would be a guess.

    Returns (cells by column, how, reading). ``how`` says which rule applied: "values" (exactly
    ncols non-empty cells), "position" (the cells, blanks included, line up with the columns),
    "extra" / "inferred" (one value too many or too few) and "split" (digits run together with
    no separator) are accepted only when exactly one reading satisfies the row identity; the
    numbers are then in ``reading``. "digits" is a run with exactly one digit per column that
    fails the row identity: the reading is forced, so the row is read and its arithmetic judged.
    "ambiguous" and "unaligned" mean: do not read this row.
    """
    filled = [c for c in cells if not is_empty(c)]
    texts = [nfkc(text_of(c)).strip() for c in filled]
    runs = any(is_digit_run(t) for t in texts)
    if not runs:
        if len(filled) == ncols:
            return list(filled), "values", None
        seq = list(cells)
        if len(seq) == ncols:
            return seq, "position", None
        idx = [k for k, c in enumerate(seq) if not is_empty(c)]
        if idx and idx[-1] - idx[0] + 1 == ncols:  # values span exactly the columns: inner blanks are placed
            return seq[idx[0] : idx[-1] + 1], "position", None
    nums = [parse_number(t)[1] for t in texts]
    if valid is not None and not runs and all(v is not None for v in nums):
        if len(filled) == ncols + 1:
            readings = {tuple(nums[:k] + nums[k + 1 :]) for k in range(len(nums)) if valid(nums[:k] + nums[k + 1 :])}
            if len(readings) == 1:
                return None, "extra", readings.pop()
        if len(filled) == ncols - 1:
            readings = set()
            for k in range(ncols):
                readings.update(tuple(r) for r in _solutions(nums[:k] + [None] + nums[k:], valid))
            if len(readings) == 1:
                return None, "inferred", readings.pop()
    if texts and all(GROUP.fullmatch(t) for t in texts) and sum(cells_in(t) for t in texts) > len(texts):
        if sum(cells_in(t) for t in texts) == ncols:  # one digit per column: the only reading there is
            reading = one_per_column(texts)
            return None, "split" if valid is None or valid(list(reading)) else "digits", reading
        readings = digit_splits(texts, ncols, valid)
        if len(readings) == 1:
            return None, "split", readings[0]
        if len(readings) > 1:
            return None, "ambiguous", None
    return None, "unaligned", None


def _solutions(vector: list[float | None], valid: Callable[[list[float]], bool]) -> list[list[float]]:
    """Non-negative integer completions of the one missing entry that satisfy ``valid``."""
    known = [v for v in vector if v is not None]
    bound = int(sum(known)) if known else 0
    return [filled for guess in range(0, bound + 1) if valid(filled := [guess if v is None else v for v in vector])]
