"""``nianbao-lint dump FILE``: what was recovered, for users who doubt a finding."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from linter.formats import spec_of
from linter.load.scanned import THRESHOLD
from linter.models import YEAR_SOURCE_NAMES, CellStatus, Report
from linter.safetext import printable, shown_path


def _t(text) -> str:
    """Document text for a rich console string: markup escaped, control characters shown."""
    from rich.markup import escape

    return escape(printable(str(text)))


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
        spec = spec_of(table if table.found else report).tables[key]  # each table in its own layout
        rows = []
        for row in spec.rows:
            rows.append(
                {
                    "row": row.key,
                    "label": row.label,
                    "printed": table.row_labels.get(row.key),
                    "cells": {c: _cell_json(table.cell(row.key, c)) for c in spec.row_columns(row)},
                }
            )
        tables[key] = {
            "found": table.found,
            "layout": table.layout,
            "location": table.loc.model_dump(exclude_none=True),
            "rows": rows,
        }
    return {
        "file": report.path,
        "format": report.format,
        "format_version": report.version,
        "recognised": report.recognised,
        "meta": report.meta.model_dump(mode="json", exclude_none=True),
        "year_decision": _decision(report.meta),
        "sections": {
            k: {
                "number": s.number,
                "title": s.title,
                "location": s.loc.model_dump(exclude_none=True),
                "chars": len(s.text),
                "has_table": s.has_table,
            }
            for k, s in report.sections.items()
        },
        "tables": tables,
        "notes": [n.model_dump(mode="json") for n in report.notes],
    }


def _decision(meta) -> str:
    if meta.year_split:
        return f"各处年度不一致、没有多数：{'、'.join(map(str, meta.year_candidates))}，暂按{meta.year}年"
    return {"title": "来自标题", "body": "来自正文", "consensus": "各处依据多数一致", "none": "—"}[meta.year_source]


def render_console(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, width=None if out.isatty() else 160)
    m = report.meta
    console.print(f"[bold]{_t(report.path)}[/]  格式：{report.format}  按 {report.version} 年版格式检查")
    console.print(
        f"标题：{_t(m.title or '（未找到）')}  机关：{_t(m.agency or '（未知）')}  "
        f"年度：{m.year or '（未知）'}（{_decision(m)}）"
    )
    if m.evidence:
        evidence = Table(title="报告年度的依据", show_header=True)
        for col in ("来源", "指向年度", "权重", "读到的内容", "位置"):
            evidence.add_column(col)
        for e in m.evidence:
            evidence.add_row(
                YEAR_SOURCE_NAMES[e.source],
                str(e.year),
                f"{e.weight:g}",
                _t(e.text[:40]),
                e.loc.describe() if e.loc else "",
            )
        console.print(evidence)
    sections = Table(title="部分", show_header=True)
    for col in ("部分", "标题", "位置", "正文字数", "含表格"):
        sections.add_column(col)
    fmt = spec_of(report)
    for spec in fmt.sections:
        s = report.sections.get(spec.key)
        sections.add_row(
            spec.key,
            _t(s.title) if s else "[red]（未找到）[/]",
            s.loc.describe() if s else "",
            str(len(s.text)) if s else "",
            "是" if s and s.has_table else "",
        )
    console.print(sections)
    for key, table in report.tables.items():
        if not table.found:
            console.print(f"表{key}（{fmt.tables[key].title}）：[red]未找到[/]")
            continue
        spec = spec_of(table).tables[key]
        layout = "" if table.layout == report.version else f"，按 {table.layout} 年版格式读取"
        grid = Table(title=f"表{key} {spec.title}（{table.loc.describe()}{layout}）")
        grid.add_column("行", min_width=18, max_width=30, overflow="fold")
        columns = list(dict.fromkeys(c for r in spec.rows for c in spec.row_columns(r)))
        for c in columns:
            grid.add_column(spec.column(c).label, justify="right")
        for row in spec.rows:
            cols = spec.row_columns(row)
            grid.add_row(row.label, *[_t(_cell_text(table.cell(row.key, c))) if c in cols else "" for c in columns])
        console.print(grid)
    console.print(
        "空白＝未填写，?＝未找到该行，!＝无法确定所在列，*＝按勾稽关系推定"
        + ("，~＝文字识别（OCR）置信度低，未参与核对" if report.ocr_pages else "")
    )
    for note in report.notes:
        console.print(f"[yellow]{note.level}[/] {_t(note.message)}")


def dump(path: str, fmt: str, out: TextIO, config: str | None = None, ocr: str | None = None) -> int:
    """Read ``path`` the way ``check`` does (configured limits, time limit, guards) and show it."""
    from linter.api import read
    from linter.config import Config, discover, load_config

    found = Path(config) if config else discover(path)
    limits = (load_config(found) if found else Config()).limits
    if ocr:
        limits.ocr = ocr
    report, result = read(path, limits)
    if report is None:
        print(f"nianbao-lint: {shown_path(path)}: {result.error}", file=sys.stderr)
        return 2
    if fmt == "json":
        json.dump(as_dict(report), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        render_console(report, out)
    return 0
