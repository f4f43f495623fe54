"""Helpers shared by the loaders for turning extracted tables into Document blocks."""

from __future__ import annotations

from linter.models import Document, Grid, Location, Paragraph, TextCell


def add_table(doc: Document, rows: list[list[TextCell]], loc: Location) -> None:
    """Append a physical table. A row that is one cell across the whole width (a block title
    such as 第二十条第（一）项, or prose inside a page-border table) becomes a paragraph."""
    grid: list[list[TextCell]] = []
    width = max((len(r) for r in rows), default=0)

    def flush() -> None:
        if grid:
            doc.blocks.append(Grid(rows=list(grid), loc=grid[0][0].loc if grid[0] else loc))
            grid.clear()

    for row in rows:
        filled = [c for c in row if c.text.strip()]
        if width > 1 and len(row) == 1 and filled:
            flush()
            doc.blocks.append(Paragraph(text=filled[0].text.strip(), loc=filled[0].loc))
        elif row:
            grid.append(row)
    flush()
