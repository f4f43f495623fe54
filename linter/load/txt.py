"""Plain-text and Markdown loader: decodes, then turns lines into paragraphs and grids.

A line with tabs, or a Markdown pipe row, is a table row; consecutive rows (blank lines
allowed between them) form one grid. Everything else is a paragraph located by line. Page
furniture (running heads, page numbers at page breaks: ``furniture``) is left out first, so a
table or a paragraph broken by a page break reads on as one.
"""

from __future__ import annotations

import re

from linter.formats import for_year
from linter.load.furniture import skipped, text_furniture
from linter.models import Document, Grid, Location, Paragraph, TextCell
from linter.wording.headings import inline_heading
from linter.wording.names import is_title
from linter.wording.numbering import ITEM

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_LEAD = re.compile(r"(#{1,6}\s+|>\s*|[-*+]\s+(?=\S))?(\*\*|__)?")  # matched at the start only: linear


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def _row_cells(line: str) -> list[str] | None:
    """The cells of a table row, or None for a prose line."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _MD_SEPARATOR.match(stripped):
            return []
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return [c.strip() for c in inner.split("|")]
    if "\t" in line.rstrip("\r\n"):
        return [c.strip() for c in line.rstrip("\r\n").split("\t")]
    return None


_HEADER_KEY = re.compile(
    r"^\s*(标题|发布时间|发布日期|成文日期|发布机构|来源|文号|栏目|原文链接|本地目录|索引号)\s*[:：]\s*(.*)$"
)
_BODY_MARK = re.compile(r"^[=\-*#\s]*正文[=\-*#\s]*$")
# Where a flattened page starts a new heading inside one long line: before 一、 / （一） that
# follow the end of a sentence, a number or a closing bracket.
_INLINE_BREAK = re.compile(
    r"(?=[一二三四五六七八九十（(])(?:"  # what every break is followed by: one quick test per position
    r"(?<=[。；！？\d)）\s])(?=[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[)）])"
    r"|(?<=\S)(?=[一二三四五六]、(?:总体情况|主动公开政府|收到和处理|政府信息公开行政|存在的主要问题|其他需要报告)))"
)
LONG_LINE = 400


_HEADER_FIELDS = {
    "标题": "title",
    "发布时间": "published",
    "发布日期": "published",
    "成文日期": "signed",
    "发布机构": "agency",
    "来源": "agency",
}


def crawler_header(lines: list[str]) -> tuple[dict[str, str], dict[str, Location], int]:
    """Metadata of a crawled page (标题: … / 发布时间: … / ==== 正文 ====), the line each value
    was read on, and the first body line. A date is recorded with how it was printed
    (``published_source``, ``signed_source``: 页头“发布时间”)."""
    meta: dict[str, str] = {}
    where: dict[str, Location] = {}
    for i, line in enumerate(lines[:20]):
        if _BODY_MARK.match(line):
            return (meta, where, i + 1) if meta else ({}, {}, 0)
        m = _HEADER_KEY.match(line)
        key = _HEADER_FIELDS.get(m.group(1)) if m else None
        if key and m.group(2).strip() and key not in meta:
            meta[key], where[key] = m.group(2).strip(), Location(line=i + 1)
            if key in ("published", "signed"):
                meta[f"{key}_source"] = f"页头“{m.group(1)}”"
    return {}, {}, 0  # no body separator: not a crawler header


_PROSE = re.compile(r"[，。；,;]")
_SENTENCE_END = re.compile(r"[。；！？：:…」”）)\]】》]\s*$")
_STARTS_ITEM = re.compile(rf"^\s*(#|[-*+]\s|{ITEM}|第[一二三四五六七八九十\d]+[条章部])")


_NUMBERS_AT_END = re.compile(r"(?:\s\d+(?:\.\d+)?){2}$")  # "… 0 0 2": the cells of a table row


def _join(head: str, tail: str) -> str:
    """A hard-wrapped line joined to its continuation: CJK prose is joined as it is, but where a
    table row of space-separated numbers was wrapped between two of them, the space stays, so
    "… 0 0 2" + "0 101" is the cells 2, 0, 101 and not a number 20."""
    if tail[:1].isdigit() and _NUMBERS_AT_END.search(head):
        return f"{head} {tail}"
    return head + tail


def wraps_into(line: str, nxt: str) -> bool:
    """True when a prose line was hard-wrapped and ``nxt`` continues it (extracted PDF text)."""
    line = line.strip()
    if (
        len(line) < 15
        or _SENTENCE_END.match(line[-1:])
        or _STARTS_ITEM.match(nxt)
        or not nxt.strip()
        or nxt.strip().isdigit()  # a number alone on its line is a cell or a page number
    ):
        return False  # the cheap tests first, then the costly ones
    numbered = _STARTS_ITEM.match(line) and not (  # a numbered line that goes on as prose may wrap
        len(line) >= 25 and _PROSE.search(line) or (inline_heading(_plain(line), for_year(None)) or ("",) * 4)[3]
    )
    return not numbered and not is_title(line)


def _plain(text: str) -> str:
    """The text without Markdown decoration: a heading, quote or list marker, and bold."""
    text = text.lstrip()  # one line (``splitlines`` made them)
    text = text[_MD_LEAD.match(text).end() :].rstrip()
    return (text[:-2] if text.endswith(("**", "__")) else text).strip()


def load(data: bytes, path: str, kind: str = "txt") -> Document:
    text = decode(data)
    doc = Document(path=path, format=kind)
    grid_rows: list[list[TextCell]] = []
    grid_start = 0

    def flush() -> None:
        nonlocal grid_rows
        if grid_rows:
            doc.blocks.append(Grid(rows=grid_rows, loc=Location(line=grid_start)))
            grid_rows = []

    lines = text.splitlines()
    meta, where, first = crawler_header(lines)
    skip = skipped(lines, text_furniture(text, markdown=kind == "md"))
    following = [len(lines)] * (len(lines) + 1)  # index of the next line that is not left out
    for i in range(len(lines) - 1, -1, -1):
        following[i] = following[i + 1] if i + 1 < len(lines) and i + 1 in skip else i + 1
    doc.meta.update(meta)
    doc.meta_loc.update(where)
    pending: tuple[str, int] | None = None  # a wrapped paragraph being joined: (text, first line)

    def emit(text: str, lineno: int) -> None:
        parts = _INLINE_BREAK.split(text) if len(text) > LONG_LINE else [text]
        for part in parts:
            if part.strip():
                doc.blocks.append(Paragraph(text=_plain(part), loc=Location(line=lineno)))

    for lineno, line in enumerate(lines, start=1):
        if lineno <= first or lineno - 1 in skip:
            continue
        cells = _row_cells(line)
        if cells is None and line.strip():
            after = following[lineno - 1]
            nxt = lines[after] if after < len(lines) else ""
            joined = _join(pending[0], line.strip()) if pending else line.strip()
            start = pending[1] if pending else lineno
            if _row_cells(nxt) is None and wraps_into(line, nxt):
                flush()
                pending = (joined, start)
                continue
            pending = None
            flush()
            emit(joined, start)
            continue
        if pending:
            emit(*pending)
            pending = None
        if cells is not None:
            if cells:
                if not grid_rows:
                    grid_start = lineno
                here = Location(line=lineno)  # one for the row: a Location is frozen
                grid_rows.append([TextCell(text=c, loc=here) for c in cells])
            continue
        # a blank line: it does not end a grid
    if pending:
        emit(*pending)
    flush()
    return doc
