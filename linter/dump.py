"""``nianbao-lint dump FILE``: what was recovered, for users who doubt a finding."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from linter.formats import load_format
from linter.load.scanned import THRESHOLD
from linter.models import CellStatus, Report

MARK = {CellStatus.BLANK: "", CellStatus.PLACEHOLDER: None, CellStatus.MISSING: "?", CellStatus.UNREADABLE: "!"}


def _cell_text(cell) -> str:
    if cell.conf is not None and cell.conf < THRESHOLD:
        return f"{cell.raw or '空'}~"  # read by OCR with low confidence: shown, not checked
    if cell.has_value:
        return str(cell.value) + ("*" if cell.status == CellStatus.INFERRED else "")
    mark = MARK.get(cell.status, "?")
    return cell.raw if mark is None else mark


def _cell_json(cell) -> dict:
    return cell.model_dump(mode="json", exclude={"loc"} if cell.conf is not None else {"loc", "conf"})


def as_dict(report: Report) -> dict:
    tables = {}
    for key, table in report.tables.items():
        spec = load_format(table.layout or report.version).tables[key]  # each table in its own layout
        rows = []
        for row in spec.rows:
            rows.append({"row": row.key, "label": row.label, "printed": table.row_labels.get(row.key),
                         "cells": {c: _cell_json(table.cell(row.key, c))
                                   for c in spec.row_columns(row)}})
        tables[key] = {"found": table.found, "layout": table.layout,
                       "location": table.loc.model_dump(exclude_none=True), "rows": rows}
    return {
        "file": report.path, "format": report.format, "format_version": report.version,
        "recognised": report.recognised, "meta": report.meta.model_dump(mode="json", exclude_none=True),
        "sections": {k: {"number": s.number, "title": s.title, "location": s.loc.model_dump(exclude_none=True),
                         "chars": len(s.text), "has_table": s.has_table} for k, s in report.sections.items()},
        "tables": tables,
        "notes": [n.model_dump(mode="json") for n in report.notes],
    }


def render_console(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, width=None if out.isatty() else 160)
    m = report.meta
    console.print(f"[bold]{report.path}[/]  格式：{report.format}  按 {report.version} 年版格式检查")
    console.print(f"标题：{m.title or '（未找到）'}  机关：{m.agency or '（未知）'}  "
                  f"年度：{m.year or '（未知）'}（来自{ {'title': '标题', 'body': '正文', 'none': '—'}[m.year_source] }）")
    sections = Table(title="部分", show_header=True)
    for col in ("部分", "标题", "位置", "正文字数", "含表格"):
        sections.add_column(col)
    fmt = load_format(report.version)
    for spec in fmt.sections:
        s = report.sections.get(spec.key)
        sections.add_row(spec.key, s.title if s else "[red]（未找到）[/]", s.loc.describe() if s else "",
                         str(len(s.text)) if s else "", "是" if s and s.has_table else "")
    console.print(sections)
    for key, table in report.tables.items():
        if not table.found:
            console.print(f"表{key}（{fmt.tables[key].title}）：[red]未找到[/]")
            continue
        spec = load_format(table.layout).tables[key]
        layout = "" if table.layout == report.version else f"，按 {table.layout} 年版格式读取"
        grid = Table(title=f"表{key} {spec.title}（{table.loc.describe()}{layout}）")
        grid.add_column("行", min_width=18, max_width=30, overflow="fold")
        columns = list(dict.fromkeys(c for r in spec.rows for c in spec.row_columns(r)))
        for c in columns:
            grid.add_column(spec.column(c).label, justify="right")
        for row in spec.rows:
            cols = spec.row_columns(row)
            grid.add_row(row.label, *[_cell_text(table.cell(row.key, c)) if c in cols else "" for c in columns])
        console.print(grid)
    console.print("空白＝未填写，?＝未找到该行，!＝无法确定所在列，*＝按勾稽关系推定"
                  + ("，~＝文字识别（OCR）置信度低，未参与核对" if report.ocr_pages else ""))
    for note in report.notes:
        console.print(f"[yellow]{note.level}[/] {note.message}")


def dump(path: str, fmt: str, out: TextIO, ocr: str = "auto") -> int:
    from linter.load import LoadError, load
    from linter.load.scanned import review
    from linter.parse import parse

    try:
        doc = load(path, ocr=ocr)
    except (OSError, LoadError) as exc:
        print(f"nianbao-lint: 无法读取 {path}：{getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    report = parse(doc)
    review(doc, report)
    if fmt == "json":
        json.dump(as_dict(report), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        render_console(report, out)
    return 0
