"""Plain-text and Markdown loader: decodes, then turns lines into paragraphs and grids.

A line with tabs, or a Markdown pipe row, is a table row; consecutive rows (blank lines
allowed between them) form one grid. Everything else is a paragraph located by line.
"""

from __future__ import annotations

import re

from linter.models import Document, Grid, Location, Paragraph, TextCell

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_DECOR = re.compile(r"^\s*(#{1,6}\s+|>\s*|[-*+]\s+(?=\S))?(\*\*|__)?(.*?)(\*\*|__)?\s*$")


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


def _plain(text: str) -> str:
    m = _MD_DECOR.match(text)
    return (m.group(3) if m else text).strip()


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

    for lineno, line in enumerate(text.splitlines(), start=1):
        cells = _row_cells(line)
        if cells is not None:
            if cells:
                if not grid_rows:
                    grid_start = lineno
                grid_rows.append([TextCell(text=c, loc=Location(line=lineno)) for c in cells])
            continue
        if not line.strip():
            continue  # blank lines do not end a grid
        flush()
        doc.blocks.append(Paragraph(text=_plain(line), loc=Location(line=lineno)))
    flush()
    return doc
