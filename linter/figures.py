"""The stored form of a report's figures, and the inputs of the cross-document checks.

``figures(report)`` is every cell with a value of tables 二/三/四, keyed by table and then by
``row/col``, with its place in the document: plain data that ``check`` keeps for each file
until its cross-year pass and that ``audit`` stores in its database. ``rebuild`` turns it back
into the minimal report the cross-document checks read, so that both routes judge the same
thing. ``contexts`` pairs the reports of one run: last year's report of the same agency
(names compared by ``agency_key``) and, in audits by region, a government's departments.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from linter.checks import Context
from linter.formats import load_format
from linter.models import Cell, CellStatus, Location, Meta, Report, Table

FORM = 2  # the version of the stored form; rows of form 1 (before it was numbered) are still read
PLACE = ("page", "line", "paragraph", "table_index")  # a cell's physical place, stored after its value


def figures(report: Report) -> dict:
    """Every cell with a value of the report's statistical tables, as JSON-ready data:
    ``{"form", "version", "judged", "tables": {key: {"layout", "cells": {"row/col": [value,
    page, line, paragraph, table_index]}}}}`` (trailing empty places left out)."""
    tables = {}
    for key, table in report.tables.items():
        if not table.found:
            continue
        cells = {}
        for ref, cell in table.cells.items():
            if cell.has_value:
                place = [getattr(cell.loc, name) for name in PLACE]
                while place and place[-1] is None:
                    place.pop()
                cells[ref] = [cell.value, *place]
        tables[key] = {"layout": table.layout, "cells": cells}
    return {"form": FORM, "version": report.version, "judged": report.recognised and report.in_scope, "tables": tables}


def _form1(data: dict) -> dict:
    """A stored form written before forms were numbered: only the compared rows, no places."""
    tables = {
        key: {"layout": layout, "cells": {ref: [value] for ref, value in data.get(key, {}).items()}}
        for key, layout in data.get("layouts", {}).items()
    }
    return {"form": 1, "version": "2021", "judged": True, "tables": tables}


def rebuild(path: str, data: dict | str, agency: str | None = None, year: int | None = None) -> Report:
    """The report the cross-document checks read, from a stored form (a dict or its JSON):
    its cells with their values, places and the official labels of their layout."""
    if isinstance(data, str):
        data = json.loads(data)
    if "form" not in data:
        data = _form1(data)
    tables = {}
    for key, stored in data["tables"].items():
        spec = load_format(stored["layout"]).tables[key]
        labels = {row.key: row.label for row in spec.rows}
        cells = {}
        for ref, (value, *place) in stored["cells"].items():
            row, col = ref.split("/")
            loc = Location(
                **dict(zip(PLACE, place)),
                table=key,
                row=row,
                col=col,
                row_label=labels.get(row, row),
                col_label=spec.column(col).label,
            )
            cells[ref] = Cell(raw=str(value), value=value, status=CellStatus.NUMBER, loc=loc)
        tables[key] = Table(key=key, found=True, layout=stored["layout"], cells=cells)
    return Report(
        path=path,
        format="",
        version=data["version"],
        recognised=data["judged"],
        meta=Meta(agency=agency, year=year),
        tables=tables,
    )


def agency_key(agency: str | None) -> str | None:
    """An agency's name as reports of different years are matched by: without parenthesised
    parts and spaces; None when too short to identify one agency."""
    name = re.sub(r"[（(].*?[）)]|\s", "", agency or "")
    return name if len(name) >= 3 else None


def report_year(report: Report, path: str) -> int | None:
    """The year a report is filed under for cross-document checks: the year the parser decided,
    else a year in the file name."""
    if report.meta.year is not None:
        return report.meta.year
    found = re.search(r"(20\d{2})", Path(path).name)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Entry:
    """One report of a run as the cross-document pass sees it: its stored figures (a dict or
    JSON) and what pairs it with others."""

    path: str
    agency: str | None
    year: int | None
    figures: dict | str
    level: str | None = None  # "government" or "department" (audits)
    region: str | None = None  # audits only

    @classmethod
    def of(cls, report: Report, path: str) -> Entry:
        stored = json.dumps(figures(report), ensure_ascii=False)  # a string: a few KB, however long the report
        return cls(path, report.meta.agency, report_year(report, path), stored)

    def report(self) -> Report:
        return rebuild(self.path, self.figures, self.agency, self.year)


def contexts(
    entries: list[Entry], hierarchy: bool = False, previous: Entry | None = None, chosen: range | None = None
) -> Iterator[tuple[int, Report, Context]]:
    """Each entry that has a counterpart, by its index in ``entries``, rebuilt, with its
    context: last year's report of the same agency (another entry, else ``previous`` when it
    is of the year before) and, with ``hierarchy``, the departments of a region whose one
    government it is. Reports are rebuilt when their turn comes, so a large run holds only
    the stored forms. ``chosen``: only the entries of these indices (their counterparts may
    be any entry), so that processes can share a run's entries."""
    by_year = {(agency_key(e.agency), e.year): e for e in entries if agency_key(e.agency) and e.year}
    members: dict[tuple, list[Entry]] = {}
    if hierarchy:
        for e in by_year.values():
            if e.region:
                members.setdefault((e.region, e.year), []).append(e)
    for index in range(len(entries)) if chosen is None else chosen:
        entry = entries[index]
        if entry.year is None:
            continue
        key = agency_key(entry.agency)
        last = by_year.get((key, entry.year - 1)) if key else None
        if last is None and previous is not None and previous.year == entry.year - 1:
            last = previous
        children: tuple[Report, ...] = ()
        group = members.get((entry.region, entry.year), [])
        governments = [e for e in group if e.level == "government"]
        if entry.level == "government" and len(governments) == 1 and agency_key(governments[0].agency) == key:
            rebuilt = tuple(map(_rebuilt, (e for e in group if e.level == "department")))
            children = rebuilt if all(r is not None for r in rebuilt) else ()  # a sum short of one misleads
        if last is not None or children:
            report, before = _rebuilt(entry), _rebuilt(last) if last else None
            if report is not None and (before is not None or children):
                yield index, report, Context(previous=before, children=children)


def _rebuilt(entry: Entry) -> Report | None:
    """The entry's report; None when its stored figures cannot be read (a damaged database
    row loses its own comparisons, not the run)."""
    try:
        return entry.report()
    except Exception:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return None
