"""Crawler and export text made from a ``Source``: one line per paragraph, the whole page on
one line, hard-wrapped lines, page breaks with page numbers and running heads, and a crawler's
metadata header. Table rows are printed as text exports print them: a merged cell once."""

from __future__ import annotations

import textwrap

from harness.model import Source
from harness.render import blocks, expand

PAGE_LINES = 30  # lines per printed page when page breaks are inserted
FOOTERS = {
    "dash": lambda n, total: f"- {n} -",
    "emdash": lambda n, total: f"— {n} —",
    "of": lambda n, total: f"第{n}页 共{total}页",
    "slash": lambda n, total: f"{n}/{total}",
    "bare": lambda n, total: f"{n}",
}


def lines(source: Source, sep: str = " ") -> list[str]:
    """One line per paragraph; one line per table row with cells joined by ``sep``."""
    out: list[str] = []
    for kind, payload in blocks(source):
        if kind == "table":
            out.extend(sep.join(row) for row in expand(payload[1]))
        else:
            out.append(payload)
    return out


def per_line(source: Source, sep: str = " ") -> str:
    return "\n".join(lines(source, sep)) + "\n"


def one_line(source: Source, sep: str = " ") -> str:
    """Everything on one line, as some crawlers store a page (cells joined by ``sep``)."""
    parts = []
    for kind, payload in blocks(source):
        if kind == "table":
            parts.append(sep.join(sep.join(row) for row in expand(payload[1])))
        else:
            parts.append(payload)
    return "".join(parts) + "\n"


def wrapped(source: Source, width: int) -> str:
    """Every line hard-wrapped at ``width`` characters (a fixed-width text export)."""
    out = []
    for line in lines(source):
        out.extend(textwrap.wrap(line, width=width, break_long_words=True, break_on_hyphens=False) or [""])
    return "\n".join(out) + "\n"


def paged(source: Source, footer: str, running_head: bool = False) -> str:
    """Page breaks every PAGE_LINES lines, each page closed by a page-number line in the
    ``footer`` style and, with ``running_head``, opened by the report title again."""
    body = lines(source)
    pages = [body[i : i + PAGE_LINES] for i in range(0, len(body), PAGE_LINES)]
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        if running_head and n > 1:
            out.append(source.title)
        out.extend(page)
        out.append(FOOTERS[footer](n, len(pages)))
    return "\n".join(out) + "\n"


def crawler(source: Source) -> str:
    """A crawler's metadata header (title, date, agency, link) above the per-line text."""
    head = [
        f"标题: {source.title}",
        f"发布时间: {source.iso_date() or ''}",
        "文号: ",
        f"发布机构: {source.agency or ''}",
        "栏目: 政府信息公开年报",
        "原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/t20240130_1.htm",
        "==================== 正文 ====================",
    ]
    return "\n".join(head) + "\n" + per_line(source)
