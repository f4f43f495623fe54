"""Checks on the statistical tables: presence, unfilled cells, and the format's identities
(solved together per table by ``linter.checks.solve``: the hits one wrong cell explains share
that cause and become one finding naming the cell)."""

from __future__ import annotations

from collections import defaultdict

from linter.checks import NoParams, check
from linter.checks.solve import Diagnosis, analyse
from linter.formats import TableSpec, spec_of
from linter.models import CellStatus, Hit, Location, Report, Table


class TablesParams(NoParams):
    tables: list[str] = ["二", "三", "四"]


@check("table_present", params=TablesParams, slots=("table", "title"))
def table_present(report: Report, params: TablesParams):
    """Each required statistical table can be found in the report."""
    fmt = spec_of(report)
    for key in params.tables:
        table = report.tables.get(key)
        if table is None or not table.found:
            section = report.sections.get(key)
            loc = section.loc if section else Location(section=key)
            # the table of a missing section is part of SEC001's finding for that section
            cause = f"section/{key}" if section is None and any(s.key == key for s in fmt.sections) else None
            yield Hit(
                loc=loc.model_copy(update={"table": key}),
                key=key,
                cause=cause,
                data={"table": key, "title": fmt.tables[key].title},
            )


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
    for key in params.tables:
        table = report.tables.get(key)
        if table is None or not table.found:
            continue
        spec = spec_of(table).tables[key]  # a table is judged cell by cell in the layout it is printed in
        unfilled = {CellStatus.BLANK, CellStatus.PLACEHOLDER}
        if not table.has_numbers:
            unfilled.add(CellStatus.MISSING)  # an unfilled table: rows we could not even find are blank too
        collapsed = {k for keys in table.collapsed.values() for k in keys}
        refs = [(r, c) for r, c in spec.cell_keys() if r not in collapsed and table.cell(r, c).status in unfilled]
        if not refs:
            continue
        first = table.cell(*refs[0])
        loc = first.loc if first.loc.line or first.loc.page or first.loc.paragraph is not None else table.loc
        yield Hit(
            loc=loc.model_copy(update={"table": key, "row": None, "col": None, "row_label": None, "col_label": None}),
            key=key,
            data={"table": key, "title": spec.title, "count": len(refs), "cells": describe_cells(spec, table, refs)},
        )


class IdentityParams(NoParams):
    identity: str


def _side_text(given: str | None, spec: TableSpec, keys: list[str], each: str) -> str:
    if given:
        return given
    names = [spec.row(k).label if each == "column" else spec.column(k).label for k in keys]
    return "＋".join(_short(n) for n in names)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _cell_name(spec: TableSpec, ref: str) -> str:
    row, col = ref.split("/")
    row_label = spec.row(row).label if any(r.key == row for r in spec.rows) else row
    return f"［{_short(row_label)}］×［{spec.column(col).label}］"


def cause_text(key: str, spec: TableSpec, diag: Diagnosis) -> str:
    """The diagnosis in words: which cells, what they read, what would make the table consistent,
    and the identities that fail because of them."""

    def named(changes) -> list[str]:
        return [f"{_cell_name(spec, ref)}现为{_fmt(old)}，应为{_fmt(new)}" for ref, (old, new) in changes.items()]

    items = named(diag.changes)
    if diag.others:
        readings = "；或者".join("、".join(named(c)) for c in (diag.changes, *diag.others))
        head = f"只改{len(diag.changes)}个单元格就能使全表一致的读法有{1 + len(diag.others)}种：{readings}；请按台账核对是哪一种"
    elif diag.line is not None and len(items) > 3:
        label = (
            spec.row(diag.line).label if any(r.key == diag.line for r in spec.rows) else spec.column(diag.line).label
        )
        head = f"最可能的原因：表{key}［{_short(label)}］全为0，像是漏填；按勾稽关系应填{len(items)}个数（{'；'.join(items[:3])}等）"
    else:
        head = f"最可能填错的是{'；'.join(items)}"
    by_ident: dict[str, list[str]] = defaultdict(list)
    texts = {}
    for inst in diag.failing:
        by_ident[inst.ident.id].append(f"［{_short(inst.label)}］{'行' if inst.ident.each == 'row' else '列'}")
        texts[inst.ident.id] = inst.ident.text
    failing = "；".join(f"{texts[i]}（{'、'.join(lines)}）" for i, lines in by_ident.items())
    done = "" if diag.others else f"——改正后表{key}的全部勾稽关系成立"
    return f"{head}{done}。因此不成立的关系：{failing}"


@check(
    "table_identity", params=IdentityParams, slots=("table", "where", "lhs_text", "lhs", "rhs_text", "rhs", "rule_text")
)
def table_identity(report: Report, params: IdentityParams):
    """An arithmetic identity of the format holds for every row or column it applies to; the
    table's identities are solved together, and the hits a wrong cell explains share its cause."""
    table = report.tables.get(spec_of(report).identity(params.identity).table)
    if table is None or not table.found:
        return
    fmt = spec_of(table)
    ident = fmt.identity(params.identity)
    spec = fmt.tables[ident.table]
    insts, diag = analyse(table, fmt, ident.table)
    explained = {(i.ident.id, i.line) for i in diag.failing} if diag else set()
    cause = f"arith/{ident.table}/" + "+".join(diag.cells()) if diag else None
    for inst in insts:
        if inst.ident.id != ident.id:
            continue
        lhs = sum(table.cell(*r.split("/")).value for r in inst.lhs)
        rhs = sum(table.cell(*r.split("/")).value for r in inst.rhs)
        if abs(lhs - rhs) < 1e-9:
            continue
        anchor = inst.lhs[0] if len(inst.lhs) == 1 else inst.rhs[0]
        where = f"［{_short(inst.label)}］{'行' if ident.each == 'row' else '列'}"
        extra = {}
        if diag and (ident.id, inst.line) in explained:
            extra = {
                "cause": cause,
                "cause_text": cause_text(ident.table, spec, diag),
                "cells": [f"{ident.table}/{r}" for r in diag.cells()],
            }
        yield Hit(
            loc=table.cell(*anchor.split("/")).loc,
            key=f"{ident.id}/{inst.line}",
            expected=_fmt(rhs),
            actual=_fmt(lhs),
            **extra,
            data={
                "table": ident.table,
                "where": where,
                "lhs_text": _side_text(ident.lhs_text, spec, ident.lhs, ident.each),
                "lhs": _fmt(lhs),
                "rhs_text": _side_text(ident.rhs_text, spec, ident.rhs, ident.each),
                "rhs": _fmt(rhs),
                "rule_text": ident.text,
            },
        )
