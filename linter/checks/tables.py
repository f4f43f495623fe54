"""Checks on the statistical tables: presence, unfilled cells, and the format's identities."""

from __future__ import annotations

from collections import defaultdict

from linter.checks import NoParams, check
from linter.formats import TableSpec, load_format
from linter.models import CellStatus, Hit, Location, Report, Table


class TablesParams(NoParams):
    tables: list[str] = ["二", "三", "四"]


@check("table_present", params=TablesParams, slots=("table", "title"))
def table_present(report: Report, params: TablesParams):
    """Each required statistical table can be found in the report."""
    fmt = load_format(report.version)
    for key in params.tables:
        table = report.tables.get(key)
        if table is None or not table.found:
            section = report.sections.get(key)
            loc = section.loc if section else Location(section=key)
            yield Hit(loc=loc.model_copy(update={"table": key}), key=key,
                      data={"table": key, "title": fmt.tables[key].title})


def _short(label: str) -> str:
    return label if len(label) <= 20 else label[:19] + "…"


def describe_cells(spec: TableSpec, table: Table, refs: list[tuple[str, str]]) -> str:
    """Name a set of cells compactly by their official labels."""
    every = spec.cell_keys()
    if set(refs) >= set(every):
        return "整张表均未填写"
    by_row: dict[str, list[str]] = defaultdict(list)
    for row, col in refs:
        by_row[row].append(col)
    rows = [r.key for r in spec.rows]
    col_sets = {tuple(cols) for cols in by_row.values()}
    if len(by_row) == len(rows) and len(col_sets) == 1:
        cols = "、".join(spec.column(c).label for c in next(iter(col_sets)))
        return f"所有行的［{cols}］列"
    parts = []
    for row in rows:
        if row not in by_row:
            continue
        cols = by_row[row]
        label = _short(spec.row(row).label)
        if len(cols) > 1 and cols == spec.row_columns(spec.row(row)):
            parts.append(f"［{label}］整行")
        else:
            parts.append(f"［{label}］的［{'、'.join(spec.column(c).label for c in cols)}］")
    if len(parts) > 8:
        return "；".join(parts[:8]) + f" 等{len(parts)}行"
    return "；".join(parts)


@check("blank_cells", params=TablesParams, slots=("table", "title", "count", "cells"))
def blank_cells(report: Report, params: TablesParams):
    """Cells the format requires a number in are empty or hold a dash/slash instead (0 is not blank)."""
    fmt = load_format(report.version)
    for key in params.tables:
        table = report.tables.get(key)
        if table is None or not table.found:
            continue
        spec = load_format(table.layout).tables[key]  # a table is judged cell by cell in the layout it is printed in
        unfilled = {CellStatus.BLANK, CellStatus.PLACEHOLDER}
        if not table.has_numbers:
            unfilled.add(CellStatus.MISSING)  # an unfilled table: rows we could not even find are blank too
        collapsed = {k for keys in table.collapsed.values() for k in keys}
        refs = [(r, c) for r, c in spec.cell_keys() if r not in collapsed and table.cell(r, c).status in unfilled]
        if not refs:
            continue
        first = table.cell(*refs[0])
        loc = first.loc if first.loc.line or first.loc.page or first.loc.paragraph is not None else table.loc
        yield Hit(loc=loc.model_copy(update={"table": key, "row": None, "col": None,
                                              "row_label": None, "col_label": None}),
                  key=key, data={"table": key, "title": spec.title, "count": len(refs),
                                 "cells": describe_cells(spec, table, refs)})


class IdentityParams(NoParams):
    identity: str


def _side_text(given: str | None, spec: TableSpec, keys: list[str], each: str) -> str:
    if given:
        return given
    names = [spec.row(k).label if each == "column" else spec.column(k).label for k in keys]
    return "＋".join(_short(n) for n in names)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _operands(table: Table, keys: list[str], cell) -> list[str]:
    """Row keys to add up; sub-rows that the report gives only as one group total (a collapsed
    （六）其他处理) are replaced by that total."""
    out = list(keys)
    for group, members in table.collapsed.items():
        if set(members) <= set(out) and all(cell(m).status == CellStatus.MISSING for m in members):
            out = [k for k in out if k not in members] + [group]
    return out


@check("table_identity", params=IdentityParams,
       slots=("table", "where", "lhs_text", "lhs", "rhs_text", "rhs", "rule_text"))
def table_identity(report: Report, params: IdentityParams):
    """An arithmetic identity of the format holds for every row or column it applies to."""
    table = report.tables.get(load_format(report.version).identity(params.identity).table)
    if table is None or not table.found:
        return
    fmt = load_format(table.layout)
    ident = fmt.identity(params.identity)
    spec = fmt.tables[ident.table]
    lines = spec.rows if ident.each == "row" else [spec.column(c) for c in
                                                   dict.fromkeys(c for r in spec.rows for c in spec.row_columns(r))]
    for line in lines:
        def cell(k: str):
            return table.cell(line.key, k) if ident.each == "row" else table.cell(k, line.key)

        lhs_keys, rhs_keys = (_operands(table, ident.lhs, cell), _operands(table, ident.rhs, cell)) \
            if ident.each == "column" else (ident.lhs, ident.rhs)
        cells = [cell(k) for k in lhs_keys + rhs_keys]
        if not all(c.has_value for c in cells):
            continue  # a blank or unreadable operand is not an arithmetic finding
        lhs = sum(cell(k).value for k in lhs_keys)
        rhs = sum(cell(k).value for k in rhs_keys)
        if abs(lhs - rhs) < 1e-9:
            continue
        anchor = ident.lhs[0] if len(ident.lhs) == 1 else ident.rhs[0]
        where = f"［{_short(line.label)}］{'行' if ident.each == 'row' else '列'}"
        yield Hit(loc=cell(anchor).loc, key=f"{ident.id}/{line.key}",
                  expected=_fmt(rhs), actual=_fmt(lhs),
                  data={"table": ident.table, "where": where,
                        "lhs_text": _side_text(ident.lhs_text, spec, ident.lhs, ident.each), "lhs": _fmt(lhs),
                        "rhs_text": _side_text(ident.rhs_text, spec, ident.rhs, ident.each), "rhs": _fmt(rhs),
                        "rule_text": ident.text})
