"""Page furniture: running heads, footers and page numbers that a paged original prints at
every page break, and that text exports (pdftotext, a copy from a viewer, OCR) carry into the
body, often between the rows of a table.

A line is furniture only on evidence that a page break is there: a form feed; a decorated page
mark (``- 3 -``, ``— 3 —``, ``第 3 页 共 6 页``, ``3/6``); a line repeated at the top or foot of
the pages; bare numbers next to such a break, or counting the pages up by one at page-sized
intervals. A number that is a cell value has none of that evidence and stays (the table reader
has a last check of its own: a bare number on its own line that makes a row one value too long).

``text_furniture`` serves the text and Markdown loader (line indices to skip); ``PageEdges``
serves the PDF loader, page by page.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from linter.wording.dates import MONTH_RE
from linter.wording.numbering import BARE_PAGE, ITEM_RE, is_page_mark

_MD_BREAK = re.compile(r"^(?:([-*_])(?:\s*\1){2,}|<!--.*-->)$")

MIN_PAGE = 4  # fewest lines between two page breaks in a text export (a paragraph may be one line)
MAX_HEAD = 80  # longest running head or footer


def _is_row(line: str) -> bool:
    """A table row for the text loader (tab-separated or a pipe row): never furniture."""
    return "\t" in line or line.lstrip().startswith("|")


def _blank(line: str) -> bool:
    return not line.strip() and "\t" not in line


_SPACES, _DIGITS = re.compile(r"\s+"), re.compile(r"\d+")


def _head_key(text: str) -> str | None:
    """What a running head is compared by: without spacing, page numbers as #; None when the
    line cannot be one (too short, too long, a numbered item, a table row)."""
    flat = _SPACES.sub("", text)
    if not flat or len(flat) > MAX_HEAD or ITEM_RE.match(flat) or _is_row(text):
        return None
    key = _DIGITS.sub("#", flat)
    return key if len(key.replace("#", "")) >= 6 else None


def _neighbours(lines: list[str], i: int, gone: set[int], step: int, reach: int = 2) -> list[int]:
    """The indices of up to ``reach`` non-blank lines next to ``i`` in direction ``step``."""
    out, j = [], i + step
    while 0 <= j < len(lines) and len(out) < reach:
        if lines[j].strip() and j not in gone:
            out.append(j)
        j += step
    return out


def _signoff(lines: list[str], i: int) -> bool:
    """An agency line followed by the date, or one of the last lines: a signature, no footer."""
    after = _neighbours(lines, i, set(), 1, 2)
    return len(_neighbours(lines, i, set(), 1, 3)) < 3 or any(MONTH_RE.search(lines[j]) for j in after)


def _pages(raw: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges between form feeds; one range when there is none."""
    bounds, start = [], 0
    for i, line in enumerate(raw):
        if line.endswith("\x0c"):
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(raw) or not bounds:
        bounds.append((start, len(raw)))
    return bounds


def _edges(lines: list[str], page: tuple[int, int], gone: set[int], reach: int = 2) -> tuple[list[int], list[int]]:
    first, end = page
    top = [j for j in range(first, end) if lines[j].strip() and j not in gone][:reach]
    bottom = [j for j in range(end - 1, first - 1, -1) if lines[j].strip() and j not in gone][:reach]
    return top, bottom


def _paged_heads(lines: list[str], pages: list[tuple[int, int]], gone: set[int]) -> set[int]:
    """Lines repeated at the same edge of two or more pages. A head on the first page may be the
    report's own title and stays; a footer never does."""
    found: set[int] = set()
    for side in (0, 1):
        places: dict[str, list[tuple[int, int]]] = {}
        for p, page in enumerate(pages):
            for j in _edges(lines, page, gone)[side]:
                key = _head_key(lines[j])
                if key:
                    places.setdefault(key, []).append((p, j))
        for where in places.values():
            pages_with = {p for p, _ in where}
            if len(pages_with) < 2 or len(pages_with - {0}) < 0.4 * (len(pages) - 1):
                continue  # once, or on a few pages of a long document: a table header printed again
            found.update(j for p, j in where if not (side == 0 and p == 0) and not (side == 1 and _signoff(lines, j)))
    return found


def _repeated_heads(lines: list[str], gone: set[int]) -> tuple[set[int], set[int]]:
    """Without form feeds: a line printed three times or more at page-like intervals. All its
    places, and those to drop: not one among the document's first lines (it may be the title),
    nor a signature."""
    places: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        key = _head_key(line) if i not in gone else None
        if key:
            places.setdefault(key, []).append(i)
    opening = set([i for i, line in enumerate(lines) if line.strip()][:5])
    found: set[int] = set()
    every: set[int] = set()
    for where in places.values():
        gaps = [b - a for a, b in zip(where, where[1:])]
        if len(where) >= 3 and min(gaps) >= MIN_PAGE and max(gaps) <= 4 * min(gaps):
            every.update(where)
            found.update(j for j in where if j not in opening and not _signoff(lines, j))
    return found, every


def _paged_numbers(lines: list[str], pages: list[tuple[int, int]], gone: set[int]) -> set[int]:
    """Bare numbers at a page's outer edge that count the pages: page n printed as n plus a
    fixed offset (a cover not counted), on one side of the pages, on most of them. A page that
    carries a page mark already has its number."""
    marked = {p for p, (a, b) in enumerate(pages) if any(a <= j < b and is_page_mark(lines[j]) for j in gone)}
    best: tuple[int, list[int]] = (0, [])
    for side in (0, 1):
        found = []
        for p, page in enumerate(pages):
            if p not in marked:
                found += [
                    (int(lines[j].strip()) - (p + 1), j)
                    for j in _edges(lines, page, gone, 1)[side]
                    if not _is_row(lines[j]) and BARE_PAGE.match(lines[j].strip())
                ]
        if not found:
            continue
        offset, count = Counter(off for off, _ in found).most_common(1)[0]
        if -3 <= offset <= 5 and count > best[0]:
            best = (count, [j for off, j in found if off == offset])
    unmarked = len(pages) - len(marked)
    return set(best[1]) if best[0] >= max(2, unmarked // 2) or (unmarked <= 2 and best[0] == 1) else set()


def _counting_numbers(lines: list[str], gone: set[int], heads: set[int]) -> set[int]:
    """Without form feeds: bare numbers that count the pages up by one, at page-like intervals.
    Either two or more next to the running heads, or three or more standing apart (a cell
    value printed one per line has numbers for neighbours)."""
    cands = [i for i, line in enumerate(lines) if i not in gone and not _is_row(line) and BARE_PAGE.match(line.strip())]
    value = {i: int(lines[i].strip()) for i in cands}
    near = [i for i in cands if any(j in heads for j in _around(lines, i))]
    apart = [i for i in cands if not any(lines[j].strip().isdigit() for j in _around(lines, i))]
    found: set[int] = set()
    for group, least in ((near, 2), (apart, 3)):
        chain = _longest_count(group, value)
        pace = [(b - a) / (value[b] - value[a]) for a, b in zip(chain, chain[1:])]
        skipped = value[chain[-1]] - value[chain[0]] + 1 - len(chain) if chain else 0
        if len(chain) >= least and max(pace) <= 4 * min(pace) and 2 * skipped < len(chain):
            found.update(chain + _between(chain, cands, value))
    return found


def _between(chain: list[int], cands: list[int], value: dict[int, int]) -> list[int]:
    """The page numbers a counting run skips, or that come before or after it (pages whose
    number fell among cell values): for each missing number, the one line holding it where that
    page's number must be, between the run's neighbours or one page's pace beyond its ends."""
    pace = sorted((b - a) / (value[b] - value[a]) for a, b in zip(chain, chain[1:]))[(len(chain) - 1) // 2]

    where: dict[int, list[int]] = {}
    for i in cands:
        where.setdefault(value[i], []).append(i)

    def holder(number: int, low: float, high: float) -> int | None:
        places = where.get(number, [])
        found = places[bisect_left(places, low) : bisect_right(places, high)]
        return found[0] if len(found) == 1 else None

    out = []
    for a, b in zip(chain, chain[1:]):
        for missing in range(value[a] + 1, value[b]):
            got = holder(missing, a + MIN_PAGE, b - MIN_PAGE)
            out += [got] if got is not None else []
    for step, start in ((-1, chain[0]), (1, chain[-1])):
        number, place = value[start] + step, float(start)
        while number >= 1 and 0 <= place + step * pace < max(cands, default=0) + pace:
            expected = place + step * pace
            got = holder(number, expected - pace / 2, expected + pace / 2)
            if got is not None:
                out.append(got)
            place, number = (got if got is not None else expected), number + step
    return out


def _longest_count(places: list[int], value: dict[int, int]) -> list[int]:
    """The longest run of places, in order and at least MIN_PAGE lines apart, whose numbers
    go up by one at a time (a page or two may lack its number)."""
    ready: dict[int, list[int]] = {}  # number → longest run ending in it, far enough behind
    chain: dict[int, list[int]] = {}
    behind = 0
    for i in places:
        while places[behind] <= i - MIN_PAGE:
            j = places[behind]
            if len(chain[j]) > len(ready.get(value[j], [])):
                ready[value[j]] = chain[j]
            behind += 1
        best = max((ready.get(value[i] - step, []) for step in (1, 2, 3)), key=len)
        chain[i] = best + [i]
    return max(chain.values(), key=len, default=[])


def _around(lines: list[str], i: int) -> list[int]:
    """Indices of the nearest non-blank line on each side (furniture included)."""
    return _neighbours(lines, i, set(), -1, 1) + _neighbours(lines, i, set(), 1, 1)


def text_furniture(text: str, markdown: bool = False) -> set[int]:
    """0-based indices, as in ``text.splitlines()``, of the lines that are page furniture."""
    raw = text.splitlines(keepends=True)
    lines = text.splitlines()
    gone = {i for i, line in enumerate(lines) if not _is_row(line) and is_page_mark(line)}
    if markdown:
        gone |= {i for i, line in enumerate(lines) if _MD_BREAK.match(line.strip())}
    pages = _pages(raw)
    if len(pages) > 1:
        gone |= _paged_heads(lines, pages, gone)
        return gone | _paged_numbers(lines, pages, gone)
    heads, places = _repeated_heads(lines, gone)
    return gone | heads | _counting_numbers(lines, gone | heads, places)


def skipped(lines: list[str], furniture: set[int]) -> set[int]:
    """Furniture lines with the blank lines around them: what a page break leaves out, so that a
    paragraph or a table broken by it reads on as one."""
    out = set(furniture)
    for i in sorted(furniture):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and _blank(lines[j]) and j not in out:
                out.add(j)
                j += step
    return out


class PageEdges:
    """The PDF side: lines at the top or foot of a page that repeat an earlier page's (a running
    head or footer, page numbers aside), and page marks there, are dropped. Items are the PDF loader's per-page
    ``(top, kind, payload)`` in reading order; only ``"line"`` items at a page's edge qualify."""

    def __init__(self) -> None:
        self.seen: tuple[set[str], set[str]] = (set(), set())

    def strip(self, items: list, lines: list) -> tuple[list, list]:
        """The page's items and text lines without its running heads, footers and page marks
        (the lines also set the page's margins, which furniture must not move)."""
        drop: set[int] = set()
        for side, order in ((0, range(len(items))), (1, range(len(items) - 1, -1, -1))):
            keys, repeating = [], True
            for n in list(order)[:2]:
                text = items[n][2].text if items[n][1] == "line" else ""
                if is_page_mark(text):
                    drop.add(n)  # Page 3 of 9, wherever the page's margins are
                    continue
                key = _head_key(text) if text else None
                if key is None:
                    break
                keys.append(key)
                repeating = repeating and key in self.seen[side]
                if repeating:
                    drop.add(n)  # only from the edge inwards: the head, then a second head line
            self.seen[side].update(keys)
        gone = {id(items[n][2]) for n in drop}
        return [it for n, it in enumerate(items) if n not in drop], [ln for ln in lines if id(ln) not in gone]
