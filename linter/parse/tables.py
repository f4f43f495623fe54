"""Recovering tables 二, 三 and 四 from a region of the document into official cells.

The region's rows (grid rows and stray paragraphs alike) become a stream of tokens: labels,
values and empty cells. Labels followed by values form printed rows ("chunks"); continuation
lines of broken labels are merged back; chunks are aligned to the official rows in order;
each row's values are fitted to its columns. Anything that cannot be placed without guessing
becomes a ParseNote, never a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linter.formats import TableSpec
from linter.models import Cell, CellStatus, Location, ParseNote, Table, TextCell
from linter.parse.align import MATCH, align, fit, numbering, similarity
from linter.textutil import label_key, parse_number, split_label_numbers, squash

_PAGE_NUMBER = re.compile(r"^[-—–－\s]+\d{1,3}[-—–－\s]+$|^第\s*\d+\s*页(共\s*\d+\s*页)?$")


@dataclass
class Unit:
    """One line of the flattened document: a paragraph or a grid row."""

    cells: list[TextCell]
    is_para: bool

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells if c.text)


@dataclass
class Tok:
    kind: str  # "L" label, "N" value (number or placeholder), "E" empty cell
    text: str
    loc: Location


@dataclass
class Chunk:
    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "".join(t.text for t in self.labels)

    @property
    def has_numbers(self) -> bool:
        return any(t.kind == "N" for t in self.values)


def tokens_of(unit: Unit) -> list[Tok]:
    if _PAGE_NUMBER.match(unit.text or "x"):
        return []
    toks: list[Tok] = []
    for cell in unit.cells:
        label, nums = split_label_numbers(cell.text)
        if not label and not nums:
            toks.append(Tok("E", "", cell.loc))
            continue
        if label:
            toks.append(Tok("L", label, cell.loc))
        toks.extend(Tok("N", n, cell.loc) for n in nums)
    if any(t.kind == "L" for t in toks):  # indentation cells before a row label are not values
        first = next(i for i, t in enumerate(toks) if t.kind == "L")
        toks = [t for i, t in enumerate(toks) if i >= first or t.kind != "E"]
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


def _best(text: str, officials: list[str]) -> float:
    return max((similarity(text, o) for o in officials), default=0.0)


_LEADING_NUMBER = re.compile(r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[.．、])")


def merge_continuations(chunks: list[Chunk]) -> list[Chunk]:
    """Fold a label-only chunk into the valued chunk before it when it continues that label.

    A printed row starts with its numbering (一、 / （一） / 1.); a fragment without one that
    follows a row with values is the rest of that row's label, broken over lines.
    """
    out: list[Chunk] = []
    for ch in chunks:
        prev = out[-1] if out else None
        if (prev is not None and prev.has_numbers and not ch.has_numbers and ch.labels
                and not _LEADING_NUMBER.match(ch.labels[0].text)):
            prev.labels.extend(ch.labels)
            continue
        out.append(ch)
    return out


def _cell(tok: Tok | None, loc: Location) -> Cell:
    if tok is None or tok.kind == "E":
        return Cell(raw="", status=CellStatus.BLANK, loc=tok.loc if tok else loc)
    status, value = parse_number(tok.text)
    return Cell(raw=tok.text, value=value, status=status, loc=tok.loc)


def _row_valid(spec: TableSpec, identity_cols: tuple[list[str], list[str]] | None, cols: list[str]):
    if identity_cols is None:
        return None
    lhs, rhs = identity_cols
    if not set(lhs + rhs) <= set(cols):
        return None
    index = {c: i for i, c in enumerate(cols)}

    def valid(vec: list[float | None]) -> bool:
        if any(vec[index[c]] is None for c in lhs + rhs):
            return False
        return sum(vec[index[c]] for c in lhs) == sum(vec[index[c]] for c in rhs)  # type: ignore[misc]

    return valid


class Recovery:
    """Builds one Table from its region; collects ParseNotes for what it could not place."""

    def __init__(self, key: str, spec: TableSpec, identity_cols=None):
        self.key, self.spec, self.identity_cols = key, spec, identity_cols
        self.notes: list[ParseNote] = []
        self.resolved: dict[str, list[tuple[str, Location]]] = {"extra": [], "inferred": []}

    def note(self, level, message: str, loc: Location, what: str) -> None:
        self.notes.append(ParseNote(level=level, message=message, loc=loc.model_copy(update={"table": self.key}),
                                    key=f"{self.key}/{what}"))

    def _place(self, table: Table, row: str, cols: list[str], toks: list[Tok], loc: Location, label: str) -> None:
        if not any(t.kind == "N" and parse_number(t.text)[0] == CellStatus.NUMBER for t in toks):
            for col in cols:  # nothing but blanks and placeholders: every cell is unfilled
                table.cells[f"{row}/{col}"] = Cell(raw="", status=CellStatus.BLANK, loc=loc)
            return
        valid = _row_valid(self.spec, self.identity_cols, cols)
        seq, how, reading = fit(toks, len(cols), lambda t: t.kind == "E",
                                lambda t: parse_number(t.text)[1] if t.kind == "N" else None, valid)
        name = f"表{self.key}［{label}］"
        if seq is not None:
            for col, tok in zip(cols, seq):
                table.cells[f"{row}/{col}"] = _cell(tok, loc)
            if how == "extra":
                self.resolved["extra"].append((label, loc))
            return
        if how == "inferred" and reading is not None:
            for col, value in zip(cols, reading):
                table.cells[f"{row}/{col}"] = Cell(raw=str(int(value)), value=int(value),
                                                   status=CellStatus.INFERRED, loc=loc)
            self.resolved["inferred"].append((label, loc))
            return
        raw = " ".join(t.text or "□" for t in toks)
        for col in cols:
            table.cells[f"{row}/{col}"] = Cell(raw=raw, status=CellStatus.UNREADABLE, loc=loc)
        n = sum(1 for t in toks if t.kind != "E")
        self.note("warning", f"{name}识别到{n}个数值（{raw}），应有{len(cols)}个，无法确定各数值所在列，"
                  "该行不做勾稽检查", loc, f"{row}/unaligned")

    def summarise(self) -> None:
        """One info note per table for rows resolved through the row identity."""
        texts = {"extra": "比列数多出一个数值", "inferred": "比列数少一个数值"}
        for how, rows in self.resolved.items():
            if rows:
                names = "、".join(f"［{label}］" for label, _ in rows[:6]) + ("等" if len(rows) > 6 else "")
                self.note("info", f"表{self.key}有{len(rows)}行{texts[how]}：{names}；各列数值已按行内勾稽关系"
                          "唯一确定（只有一种读法满足“总计=各列之和”），请核对原表", rows[0][1], how)

    def _collapsed_groups(self, chunks: list[Chunk], table: Table) -> set[int]:
        """Rows that give one total for a whole group of sub-items (e.g. a single （六）其他处理
        row, as the 2019 format had): they are no sub-item, so they are kept out of alignment."""
        groups: dict[str, list[str]] = {}
        for row in self.spec.rows:
            if row.group and numbering(row.group)[0] and numbering(row.group)[0].startswith("p"):
                groups.setdefault(row.group, []).append(row.key)
        out: set[int] = set()
        for ch in chunks:
            num = numbering(ch.label)[0]
            if not ch.has_numbers or not num or not num.startswith("p"):
                continue
            for group, keys in groups.items():
                if numbering(group)[0] == num and similarity(ch.label, group) >= 0.8 and len(keys) > 1:
                    out.add(id(ch))
                    table.collapsed[group] = keys
                    self.note("warning", f"表{self.key}［{group}］只填了一行合计，没有分列其下的{len(keys)}个小项"
                              "（这是2019年格式的写法）；这些小项不做检查", ch.labels[0].loc, f"collapsed/{group}")
        return out

    def grid(self, units: list[Unit], loc: Location) -> Table:
        """Tables with labelled rows (二 and 三)."""
        spec = self.spec
        table = Table(key=self.key, found=True, layout="2021", loc=loc)
        officials = [r.label for r in spec.rows]
        chunks = merge_continuations(chunks_of(units))
        collapsed = self._collapsed_groups(chunks, table)
        header = squash(" ".join(u.text for u in units[:12]))
        optional = [c.key for c in spec.columns if c.optional and any(
            squash(a) in header for a in [c.label, *c.aliases])]
        matched = align(chunks, officials, lambda ch: "" if id(ch) in collapsed else ch.label,
                        lambda ch: ch.has_numbers and id(ch) not in collapsed)
        by_row = {j: i for i, j in matched.items()}
        for j, row in enumerate(spec.rows):
            cols = spec.row_columns(row)
            if optional and row.columns is None:
                cols = [c.key for c in spec.columns if not c.optional or c.key in optional]
            if j not in by_row:
                for col in cols:
                    table.cells[f"{row.key}/{col}"] = Cell(status=CellStatus.MISSING, loc=loc)
                continue
            ch = chunks[by_row[j]]
            row_loc = ch.labels[0].loc if ch.labels else (ch.values[0].loc if ch.values else loc)
            table.row_labels[row.key] = ch.label
            self._place(table, row.key, cols, ch.values, row_loc, row.label)
        self.summarise()
        if not table.has_numbers:  # an unfilled table: no reading problems to report
            self.notes = []
            return table
        covered = {k for keys in table.collapsed.values() for k in keys}
        missing = [r.label for j, r in enumerate(spec.rows) if j not in by_row and r.key not in covered]
        if missing:
            names = "、".join(f"［{m}］" for m in missing[:6]) + ("等" if len(missing) > 6 else "")
            self.note("warning", f"表{self.key}中找不到{len(missing)}行：{names}。可能是报告删去或改写了这些行，"
                      "也可能是文件中的表格无法完整读取；这些行不做检查", loc, "missing-rows")
        return table

    def flat(self, units: list[Unit], loc: Location) -> Table:
        """Table 四: one printed row of values read as blocks of columns."""
        spec = self.spec
        table = Table(key=self.key, found=True, layout="2021", loc=loc)
        keys = [(r.key, c) for r in spec.rows for c in spec.row_columns(r)]
        runs: list[list[Tok]] = []
        current: list[Tok] = []
        for unit in units:
            toks = tokens_of(unit)
            if toks and all(t.kind != "L" for t in toks):
                current.extend(toks)
                continue
            if any(t.kind == "N" for t in current):
                runs.append(current)
            current = []
        if any(t.kind == "N" for t in current):
            runs.append(current)
        if not runs:
            for row, col in keys:
                table.cells[f"{row}/{col}"] = Cell(status=CellStatus.BLANK, loc=loc)
            return table
        run = runs[0]
        seq, how, _ = fit(run, len(keys), lambda t: t.kind == "E", lambda t: None)
        if seq is None:
            raw = " ".join(t.text or "□" for t in run)
            for row, col in keys:
                table.cells[f"{row}/{col}"] = Cell(raw=raw, status=CellStatus.UNREADABLE, loc=run[0].loc)
            n = sum(1 for t in run if t.kind != "E")
            self.note("warning", f"表{self.key}识别到{n}个数值（{raw}），应有{len(keys)}个，无法确定各数值所在列，"
                      "该表不做勾稽检查", run[0].loc, "unaligned")
            return table
        for (row, col), tok in zip(keys, seq):
            table.cells[f"{row}/{col}"] = _cell(tok, run[0].loc)
        return table


def has_label(units: list[Unit], labels: list[str]) -> str | None:
    """The first of ``labels`` that occurs in the units (spacing and width ignored)."""
    text = label_key(" ".join(u.text for u in units))
    for label in labels:
        if label_key(label) in text:
            return label
    return None


def row_match(text: str, spec: TableSpec) -> float:
    return _best(text, [r.label for r in spec.rows])


__all__ = ["Unit", "Recovery", "has_label", "row_match", "MATCH"]
