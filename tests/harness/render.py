"""Rendering a ``Source`` as documents: the official tables as span grids, an HTML body,
and Markdown with pipe tables (the Word file is written by ``ooxml``).

A table is first laid out as rows of :class:`Span` (text, colspan, rowspan) in the official
shape: block headers of table 二, the merged header of table 三 with its vertically merged group
labels, the two-level header of table 四. Every format is written from that one layout.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from harness.model import Source
from linter.formats import load_format

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class Span:
    text: str
    colspan: int = 1
    rowspan: int = 1


def fmt_value(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _label(source: Source, key: str, row) -> str:
    return source.label_overrides.get((key, row.key), row.label)


def table_two(source: Source) -> list[list[Span]]:
    spec = load_format(source.layouts["二"]).tables["二"]
    values = source.tables["二"]
    width = max(len(spec.row_columns(r)) for r in spec.rows)
    rows: list[list[Span]] = []
    blocks: list[str] = []
    for r in spec.rows:
        if r.block not in blocks:
            blocks.append(r.block)
    for block in blocks:
        members = [r for r in spec.rows if r.block == block]
        cols = spec.row_columns(members[0])
        rows.append([Span(block, colspan=width + 1)])
        share = _shares(width, len(cols))
        rows.append([Span("信息内容")] + [Span(spec.column(c).label, colspan=n) for c, n in zip(cols, share)])
        for r in members:
            rows.append(
                [Span(_label(source, "二", r))] + [Span(fmt_value(v), colspan=n) for v, n in zip(values[r.key], share)]
            )
    return rows


def _shares(width: int, n: int) -> list[int]:
    base = [width // n] * n
    base[-1] += width - sum(base)
    return base


def table_three(source: Source) -> list[list[Span]]:
    spec = load_format(source.layouts["三"]).tables["三"]
    values = source.tables["三"]
    cols = spec.row_columns(spec.rows[0])
    orgs = [spec.column(c).label for c in cols if c not in ("natural", "total")]
    rows = [
        [Span(T3_NOTE, colspan=3, rowspan=3), Span("申请人情况", colspan=len(cols))],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=len(orgs)), Span("总计", rowspan=2)],
        [Span(label) for label in orgs],
    ]
    outer = [r for r in spec.rows if r.group and re.match(r"^[一二三四五六七八九十]、", r.group)]
    group_rows = spec.rows[spec.rows.index(outer[0]) : spec.rows.index(outer[-1]) + 1] if outer else []
    seen: set[str] = set()
    for r in spec.rows:
        cells: list[Span] = []
        label = _label(source, "三", r)
        if r not in group_rows:
            cells.append(Span(label, colspan=3))
        else:
            if r is group_rows[0]:
                cells.append(Span(outer[0].group, rowspan=len(group_rows)))
            if r.group == outer[0].group:
                cells.append(Span(label, colspan=2))
            else:
                if r.group not in seen:
                    seen.add(r.group)
                    cells.append(Span(r.group, rowspan=sum(1 for x in spec.rows if x.group == r.group)))
                cells.append(Span(label))
        rows.append(cells + [Span(fmt_value(v)) for v in values[r.key]])
    return rows


def table_four(source: Source) -> list[list[Span]]:
    spec = load_format(source.layouts["四"]).tables["四"]
    values = source.tables["四"]
    labels = [spec.column(c).label for c in spec.row_columns(spec.rows[0])]
    n = len(labels)
    rows = [
        [Span("行政复议", colspan=n, rowspan=2), Span("行政诉讼", colspan=2 * n)],
        [Span("未经复议直接起诉", colspan=n), Span("复议后起诉", colspan=n)],
        [Span(label) for label in labels * 3],
        [Span(fmt_value(v)) for r in spec.rows for v in values[r.key]],
    ]
    return rows


TABLES = {"二": table_two, "三": table_three, "四": table_four}


def place(rows: list[list[Span]]) -> tuple[dict[tuple[int, int], tuple[Span, int, int]], int]:
    """Where every span lands on the grid: (row, col) → (span, rows down, cols across from its
    origin), and the grid's width. Rows of spans are read as HTML reads them: a span covered
    from above pushes the next cell right."""
    placed: dict[tuple[int, int], tuple[Span, int, int]] = {}
    for i, row in enumerate(rows):
        col = 0
        for cell in row:
            while (i, col) in placed:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    placed[(i + dr, col + dc)] = (cell, dr, dc)
            col += cell.colspan
    return placed, max(c for _, c in placed) + 1


def expand(rows: list[list[Span]], fill: str | None = None) -> list[list[str]]:
    """The span grid as rows of texts: a cell's text at its origin and ``fill`` where a span
    covers (None: covered positions are left out, as text exports print a merged cell once)."""
    placed, width = place(rows)
    out = []
    for i in range(len(rows)):
        texts = [
            c.text if dr == dc == 0 else None
            for c, dr, dc in (placed[(i, col)] for col in range(width) if (i, col) in placed)
        ]
        out.append([t if t is not None else fill for t in texts if t is not None or fill is not None])
    return out


def blocks(source: Source):
    """The document in reading order: ("title"|"para"|"heading"|"table"|"signoff", payload)."""
    yield "title", source.title
    for p in source.intro:
        yield "para", p
    for sec in source.sections:
        yield "heading", sec.heading
        for p in sec.paragraphs:
            yield "para", p
        if sec.key in TABLES:
            yield "table", (sec.key, TABLES[sec.key](source))
    if source.agency:
        yield "signoff", source.agency
    if source.date:
        yield "signoff", source.date_text()


def html_table(rows: list[list[Span]]) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="3" style="border-collapse:collapse">']
    for row in rows:
        cells = []
        for c in row:
            attrs = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + (
                f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""
            )
            cells.append(f"<td{attrs}>{html.escape(c.text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_body(source: Source) -> str:
    """The report as an HTML fragment: title, paragraphs, ruled tables with merged cells."""
    out = []
    for kind, payload in blocks(source):
        if kind == "title":
            out.append(f'<h1 style="text-align:center">{html.escape(payload)}</h1>')
        elif kind == "heading":
            out.append(f"<p><strong>{html.escape(payload)}</strong></p>")
        elif kind == "table":
            out.append(html_table(payload[1]))
        elif kind == "signoff":
            out.append(f'<p style="text-align:right">{html.escape(payload)}</p>')
        else:
            out.append(f"<p>{html.escape(payload)}</p>")
    return "\n".join(out)


def plain_page(body_html: str, *, title: str, encoding: str = "utf-8") -> bytes:
    """A bare page around a body: no portal chrome at all."""
    page = (
        f'<!DOCTYPE html>\n<html><head><meta charset="{encoding}"><title>{html.escape(title)}</title>'
        f'<style>body{{font-family:"Noto Sans CJK SC","Noto Serif CJK SC",sans-serif}}</style>'
        f"</head>\n<body>\n{body_html}\n</body></html>\n"
    )
    return page.encode(encoding)


def markdown(source: Source) -> str:
    out = []
    for kind, payload in blocks(source):
        if kind == "title":
            out.append(f"# {payload}")
        elif kind == "heading":
            out.append(f"## {payload}")
        elif kind == "table":
            grid = expand(payload[1], fill="")
            width = max(len(r) for r in grid)
            lines = ["| " + " | ".join(list(r) + [""] * (width - len(r))) + " |" for r in grid]
            lines.insert(1, "|" + "---|" * width)
            out.append("\n".join(lines))
        else:
            out.append(payload)
    return "\n\n".join(out) + "\n"
