"""Recovering tables 二, 三 and 四 from a region of the document into official cells.

The region's rows (grid rows and stray paragraphs alike) become a stream of tokens: labels,
values and empty cells. Labels followed by values form printed rows ("chunks"); continuation
lines of broken labels are merged back; chunks are aligned to the official rows in order;
each row's values are fitted to its columns. Anything that cannot be placed without guessing
becomes a ParseNote, never a number.
"""

from __future__ import annotations

from linter.formats import TableSpec
from linter.models import Cell, CellStatus, Location, ParseNote, Table
from linter.parse.align import align, best_pairs, fit, similarity_from
from linter.parse.digits import RowCheck, digit_splits, digit_total, segment_valid
from linter.parse.rows import Chunk, Tok, Unit, chunks_of, merge_continuations, split_glued_labels, tokens_of
from linter.textutil import parse_number, squash
from linter.wording.numbering import numbering


def _cell(tok: Tok | None, loc: Location) -> Cell:
    if tok is None or tok.kind == "E":
        return Cell(raw="", status=CellStatus.BLANK, loc=tok.loc if tok else loc)
    status, value = parse_number(tok.text)
    return Cell(raw=tok.text, value=value, status=status, loc=tok.loc)


MANY = 20  # readings of a digit run counted before saying "more than"


def _count(n: int) -> str:
    return f"{n}种" if n <= MANY else f"{MANY}种以上"


def _without_page_numbers(toks: list[Tok], ncols: int, valid):
    """A row's values without the bare numbers printed alone on a line near it (a page number
    between two table rows) unless the row needs them: a number wrapped onto the next line
    completes the row and keeps its identity. Returns the tokens kept and ``fit``'s answer."""

    def fitted(ts):
        return fit(ts, ncols, lambda t: t.kind == "E", lambda t: t.text, valid)

    first = fitted(toks)
    alone = [t for t in toks if t.alone]
    rest = [t for t in toks if not t.alone]
    if not alone or not any(t.kind == "N" for t in rest):
        return toks, first
    if first[1] in ("values", "position"):
        numbers = [parse_number(t.text)[1] for t in first[0] if t.kind == "N"]
        if valid is not None and len(numbers) == ncols and None not in numbers and valid(numbers):
            return toks, first
        return rest, fitted(rest)
    second = fitted(rest)
    if second[1] in ("values", "position", "split", "digits"):
        return rest, second
    return toks, first


class Recovery:
    """Builds one Table from its region; collects ParseNotes for what it could not place."""

    def __init__(self, key: str, spec: TableSpec, identity_cols=None):
        self.key, self.spec, self.identity_cols = key, spec, identity_cols
        self.notes: list[ParseNote] = []
        self.scrambled = False  # labels and values separated: a row without values is not proof of blanks
        self.resolved: dict[str, list[tuple[str, Location, str, int]]] = {  # label, place, raw, readings
            k: [] for k in ("extra", "inferred", "split", "digits", "ambiguous", "nosplit", "unaligned")
        }
        self.checks: dict[tuple, RowCheck | None] = {}  # the row identity by the columns (or segments) read

    def note(self, level, message: str, loc: Location, what: str) -> None:
        self.notes.append(
            ParseNote(
                level=level, message=message, loc=loc.model_copy(update={"table": self.key}), key=f"{self.key}/{what}"
            )
        )

    def _place(
        self,
        table: Table,
        row: str,
        cols: list[str],
        toks: list[Tok],
        loc: Location,
        label: str,
        segments: list[list[str]] | None = None,
    ) -> None:
        keys = [f"{row}/{c}" for c in cols] if segments is None else cols
        if not any(t.kind == "N" and parse_number(t.text)[0] == CellStatus.NUMBER for t in toks):
            status = CellStatus.BLANK  # nothing but blanks and placeholders: every cell is unfilled
            if self.scrambled and not any(t.kind == "E" for t in toks):
                status = CellStatus.UNREADABLE  # its numbers may be among the displaced ones
                self.resolved["unaligned"].append((label, loc, "（无数值）", 0))
            for key in keys:
                table.cells[key] = Cell(raw="", status=status, loc=loc)
            return
        read = tuple(cols) if not segments else tuple(map(tuple, segments))
        if read not in self.checks:  # the same check for every row of the same columns
            names = [[k.split("/")[-1] for k in seg] for seg in (segments or [cols])]
            self.checks[read] = segment_valid(self.identity_cols, names)
        valid = self.checks[read]
        toks, (seq, how, reading) = _without_page_numbers(toks, len(keys), valid)
        raw = ""
        if how != "values" and how != "position":
            raw = " ".join(t.text or "□" for t in toks)
            groups = [t.text.strip() for t in toks if t.kind != "E"]
            readings = 0  # for a split: 1 when it is the only split there is (one digit per column, say)
            if how == "split":
                readings = int(digit_total(groups) == len(keys) or len(digit_splits(groups, len(keys), None)) == 1)
            elif (
                how == "unaligned" and (digits := digit_total(groups)) is not None and digits > len(keys) > len(groups)
            ):
                how = "nosplit"  # digits enough for every cell, but no split satisfies the identity
            elif how == "ambiguous":
                readings = len(digit_splits(groups, len(keys), valid, limit=MANY + 1))
            self.resolved[how].append((label, loc, raw, readings))
        if seq is not None:
            for key, tok in zip(keys, seq):
                table.cells[key] = _cell(tok, loc)
        elif reading is not None:
            for key, value in zip(keys, reading):
                shown = str(int(value)) if float(value).is_integer() else str(value)
                number = int(value) if float(value).is_integer() or how in ("extra", "inferred") else value
                table.cells[key] = Cell(raw=shown, value=number, status=CellStatus.INFERRED, loc=loc)
        else:
            for key in keys:
                table.cells[key] = Cell(raw=raw, status=CellStatus.UNREADABLE, loc=loc)

    def summarise(self) -> None:
        """One note per table and kind: rows read through the row identity or one digit per
        column (info), rows that could not be read without guessing (warning). A run read one
        digit per column that breaks the identity gets no note: the arithmetic rules report it."""
        resolved = "；各列数值已按行内勾稽关系唯一确定（只有一种读法满足“总计=各列之和”），请核对原表"
        texts = {
            "extra": ("info", "比列数多出一个数值", resolved),
            "inferred": ("info", "比列数少一个数值", resolved),
            "split": ("info", "的数字连在一起、没有分隔（如“{raw}”）", resolved),
            "ambiguous": ("warning", "的数字连在一起，可以拆成不止一种读法，无法确定各单元格的数值", ""),
            "nosplit": (
                "warning",
                "的数字连在一起（如“{raw}”），没有一种拆分方式满足行内勾稽关系（总计=各列之和），"
                "可能是原表数字有误或漏填了单元格，无法确定各单元格的数值",
                "",
            ),
            "unaligned": ("warning", "的数值个数与列数不符（如“{raw}”），无法确定各数值所在列", ""),
        }
        for how, rows in self.resolved.items():
            if not rows or how == "digits":
                continue
            level, text, tail = texts[how]
            forced = sum(n for *_, n in rows) if how == "split" else 0
            if forced == len(rows):
                tail = "；这些行只有一种拆分方式能填满各列（如数字个数与列数相同，每列一位），已按此读取，请核对原表"
            elif forced:
                tail = (
                    f"；其中{forced}行只有一种拆分方式能填满各列（如数字个数与列数相同，每列一位），其余{len(rows) - forced}行"
                    "按行内勾稽关系唯一确定（只有一种读法满足“总计=各列之和”），请核对原表"
                )
            if how == "ambiguous":
                names = "、".join(f"［{label}］（“{raw[:30]}”有{_count(n)}读法）" for label, _, raw, n in rows[:5])
            else:
                names = "、".join(f"［{label}］" for label, *_ in rows[:5])
            names += "等" if len(rows) > 5 else ""
            what = f"表{self.key}有{len(rows)}行{text.format(raw=rows[0][2][:40])}：{names}"
            self.note(level, what + (tail or "；这些行不做勾稽检查"), rows[0][1], how)

    def _collapsed_groups(self, chunks: list[Chunk], table: Table) -> dict[int, str]:
        """Rows that give one total for a whole group of sub-items (e.g. a single （六）其他处理
        row, as the 2019 format had): they are no sub-item, so they are kept out of alignment."""
        groups: dict[str, list[str]] = {}
        for row in self.spec.rows:
            if row.group and numbering(row.group)[0] and numbering(row.group)[0].startswith("p"):
                groups.setdefault(row.group, []).append(row.key)
        out: dict[int, str] = {}
        for ch in chunks:
            num = numbering(ch.label)[0]
            values = [t for t in ch.values if t.kind == "N"]
            if not ch.has_numbers or not num or not num.startswith("p") or (len(values) == 1 and values[0].alone):
                continue  # a lone number on its own line is no group's total (a page number, say)
            for group, keys in groups.items():
                if numbering(group)[0] == num and similarity_from(ch.label, group, 0.8) >= 0.8 and len(keys) > 1:
                    out[id(ch)] = group  # reported by the old-table-layout rule, not as a reading problem
                    table.collapsed[group] = keys
        return out

    def grid(self, units: list[Unit], loc: Location) -> Table:
        """Tables with labelled rows (二 and 三)."""
        spec = self.spec
        table = Table(key=self.key, found=True, loc=loc)  # its layout: the caller, which chose the spec
        officials = [r.label for r in spec.rows]
        chunks = split_glued_labels(merge_continuations(chunks_of(units)), officials)
        collapsed = self._collapsed_groups(chunks, table)
        width = max(len(spec.row_columns(r)) for r in spec.rows)
        self.scrambled = table.scrambled = any(sum(t.kind == "N" for t in ch.values) >= width + 2 for ch in chunks)
        if self.scrambled:
            self.note(
                "warning",
                f"表{self.key}的结构错乱：有的行标签与数值分开、数值堆在别处（常见于从 PDF 转换的文字）；"
                "无法对应的行不做检查，请用原始 PDF 或 Word 文件核对",
                loc,
                "scrambled",
            )
        header = squash(" ".join(u.text for u in units[:12]))
        optional = [
            c.key for c in spec.columns if c.optional and any(squash(a) in header for a in [c.label, *c.aliases])
        ]
        label_of = lambda ch: "" if id(ch) in collapsed else ch.label  # noqa: E731
        valued = lambda ch: ch.has_numbers and id(ch) not in collapsed  # noqa: E731
        if spec.row_order == "free":
            matched = best_pairs(chunks, officials, label_of, valued)
        else:
            matched = align(chunks, officials, label_of, valued, gap_fill=not self.scrambled)
        by_row = {j: i for i, j in matched.items()}
        first_row = min(matched, default=len(chunks))
        heads = [t for ch in chunks[:first_row] for t in ch.labels]
        if first_row < len(chunks):
            heads += chunks[first_row].labels[:-1]  # header cells printed before the first row's own label
        table.header_labels = [(t.text, t.loc) for t in heads if 2 <= len(t.text) <= 14]
        groups = {r.group for r in spec.rows if r.group}  # merged group cells repeated on each row
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
            own = [
                t
                for t in ch.labels
                if not (
                    any(similarity_from(t.text, g, 0.8) >= 0.8 for g in groups)
                    and similarity_from(t.text, row.label, 0.8) < 0.8
                )
            ]
            if len(own) == 1:
                table.own_labels[row.key] = own[0].text
            values = ch.values
            if self.scrambled and ch.labels:  # numbers from other rows piled on: keep the label's own line
                own = [t for t in values if t.loc == ch.labels[-1].loc]
                if sum(t.kind == "N" for t in own) == len(cols):
                    values = own
            self._place(table, row.key, cols, values, row_loc, row.label)
        for ch in chunks:  # a group given as one total: keep its numbers under the group's label
            if id(ch) in collapsed:
                self._place(
                    table,
                    collapsed[id(ch)],
                    spec.row_columns(spec.rows[-1]),
                    ch.values,
                    ch.labels[0].loc,
                    collapsed[id(ch)],
                )
        self.summarise()
        if not table.has_numbers:  # an unfilled table: no reading problems to report
            self.notes = []
            return table
        covered = {k for keys in table.collapsed.values() for k in keys}
        missing = [r.label for j, r in enumerate(spec.rows) if j not in by_row and r.key not in covered]
        if missing:
            names = "、".join(f"［{m}］" for m in missing[:6]) + ("等" if len(missing) > 6 else "")
            self.note(
                "warning",
                f"表{self.key}中找不到{len(missing)}行：{names}。可能是报告删去或改写了这些行，"
                "也可能是文件中的表格无法完整读取；这些行不做检查",
                loc,
                "missing-rows",
            )
        return table

    def flat(self, units: list[Unit], loc: Location) -> Table:
        """Table 四: one printed row of values read as blocks of columns (one block per row key)."""
        spec = self.spec
        table = Table(key=self.key, found=True, loc=loc)  # its layout: the caller, which chose the spec
        segments = [[f"{r.key}/{c}" for c in spec.row_columns(r)] for r in spec.rows]
        keys = [k for seg in segments for k in seg]
        runs: list[list[Tok]] = [[]]
        for unit in units:
            for tok in tokens_of(unit):
                if tok.kind == "L":
                    runs.append([])
                else:
                    runs[-1].append(tok)
        best = max(runs, key=lambda run: sum(1 for t in run if t.kind == "N"))
        numeric = [run for run in runs if any(t.kind == "N" for t in run)]
        if sum(t.kind == "N" for t in best) < len(keys) and sum(t.kind == "N" for r in numeric for t in r) == len(keys):
            best = [t for r in numeric for t in r if t.kind == "N"]  # one block per printed sub-table
        if not any(t.kind == "N" for t in best):
            for key in keys:
                table.cells[key] = Cell(status=CellStatus.BLANK, loc=loc)
            return table
        self._place(table, "", keys, best, best[0].loc, "、".join(r.label for r in spec.rows), segments)
        self.summarise()
        return table
