"""Printed rows of a table region: tokens (labels, values, empty cells) and chunks (a row's
label followed by its values), with broken labels merged back and glued labels split apart."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linter.models import CellStatus, Location, Paragraph, TextCell
from linter.parse.align import similarities_from
from linter.textutil import parse_number, split_mixed
from linter.wording.numbering import is_page_mark

_BARE_NUMBER = re.compile(r"^[1-9]\d{0,3}$")


@dataclass
class Unit:
    """One line of the flattened document: a paragraph or a grid row (its cells not changed
    once it is made: its text is read once)."""

    cells: list[TextCell] | list[Paragraph]  # a paragraph is its own one cell
    is_para: bool
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = " ".join(c.text for c in self.cells if c.text)


@dataclass(slots=True)
class Tok:
    kind: str  # "L" label, "N" value (number or placeholder), "E" empty cell
    text: str
    loc: Location
    alone: bool = False  # a whole line holding nothing but this number (perhaps a page number)


@dataclass(slots=True)
class Chunk:
    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "".join(t.text for t in self.labels)

    @property
    def has_numbers(self) -> bool:
        return any(t.kind == "N" and parse_number(t.text)[0] == CellStatus.NUMBER for t in self.values)


_GLUED_LABEL = re.compile(r"^[^\d\s]*[\u4e00-\u9fff][^\s\d]*\d{1,2}$")


def tokens_of(unit: Unit) -> list[Tok]:
    if is_page_mark(unit.text or "x"):
        return []
    toks: list[Tok] = []
    grid = not unit.is_para
    for cell in unit.cells:
        loc = cell.loc
        if grid:
            stripped = cell.text.strip()
            if _GLUED_LABEL.match(stripped):
                toks.append(Tok("L", stripped, loc))  # a grid cell such as 数据1 is a label
                continue
        parts = split_mixed(cell.text)
        if parts:
            toks.extend([Tok(kind, text, loc) for kind, text in parts])
        else:
            toks.append(Tok("E", "", loc))
    first = next((i for i, t in enumerate(toks) if t.kind == "L"), 0)
    if first:  # indentation cells before a row label are not values
        toks = [t for t in toks[:first] if t.kind != "E"] + toks[first:]
    if unit.is_para and len(toks) == 1 and toks[0].kind == "N" and _BARE_NUMBER.match(toks[0].text.strip()):
        toks[0].alone = True
    return toks


def chunks_of(units: list[Unit]) -> list[Chunk]:
    out: list[Chunk] = []
    cur = Chunk()
    for unit in units:
        for tok in tokens_of(unit):
            if tok.kind == "L" and cur.values:
                out.append(cur)
                cur = Chunk()
            (cur.labels if tok.kind == "L" else cur.values).append(tok)
    if cur.labels or cur.values:
        out.append(cur)
    return out


_LEADING_NUMBER = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[.．、])"
)


_ROW_START = re.compile(r"(?=[(（][一二三四五六七八九十]{1,2}[)）]|\d{1,2}\s*[.．、](?!\d))")


def split_glued_labels(chunks: list[Chunk], officials: list[str]) -> list[Chunk]:
    """Split a chunk whose label runs several row labels together (``…申请3.其他(七)总计5000005``,
    rows printed with no values): the earlier rows become value-less chunks, and the values stay
    with the last. A group title before a row (（三）不予公开 1.属于…) is no row and stays attached."""
    out: list[Chunk] = []
    for ch in chunks:
        pieces = [p for p in _ROW_START.split(ch.label) if p.strip()] if ch.labels else []
        if len(pieces) < 2:
            out.append(ch)
            continue
        rows, pending, labels = [], "", tuple(officials)
        for piece in pieces:
            pending += piece
            if any(s >= 0.8 for s in similarities_from(pending, labels, 0.8)):  # names a row
                rows.append(pending)
                pending = ""
        if len(rows) < 2:
            out.append(ch)
            continue
        rows[-1] += pending
        loc = ch.labels[0].loc
        for text in rows[:-1]:
            out.append(Chunk(labels=[Tok("L", text, loc)], values=[]))
        out.append(Chunk(labels=[Tok("L", rows[-1], loc)], values=ch.values))
    return out


def merge_continuations(chunks: list[Chunk]) -> list[Chunk]:
    """Fold a label-only chunk into the valued chunk before it when it continues that label.

    A printed row starts with its numbering (一、 / （一） / 1.); a fragment without one that
    follows a row with values is the rest of that row's label, broken over lines.
    """
    out: list[Chunk] = []
    for ch in chunks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.has_numbers
            and not any(t.kind == "N" for t in ch.values)
            and ch.labels
            and not _LEADING_NUMBER.match(ch.labels[0].text)
        ):
            prev.labels.extend(ch.labels)
            continue
        out.append(ch)
    return out
