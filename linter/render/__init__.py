"""Renderers, one module per output format, chosen by name: ``render(name, result, out)``.
Also what several formats share: the Chinese labels of categories (those of levels are in
``linter.levels``), absolute line numbers, and the run's rules as configured."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the CLI imports FORMATS at start-up: keep pydantic out of `--version`
    from linter.models import FileResult, LintResult, Location

FORMATS = ("console", "concise", "json", "sarif", "csv", "junit", "github", "html")
_MODULES = {
    "console": "console",
    "concise": "concise",
    "json": "json",
    "sarif": "sarif",
    "csv": "csv",
    "junit": "junit",
    "github": "github",
    "html": "html",
    "statistics": "statistics",
}

CATEGORY_NAMES = {
    "missing-section": "缺少部分",
    "blank-table": "统计表空白",
    "arithmetic": "数字不符勾稽关系",
    "statistics-period": "统计期间",
    "outdated-citation": "引用过时依据",
    "parse-error": "读取问题",
    "old-table-layout": "旧版统计表",
    "label-typo": "表格项目名称有误",
    "late-publication": "发布逾期",
    "title-year-mismatch": "标题年度不符",
    "text-table-mismatch": "正文与表格不符",
    "cross-year": "跨年度不衔接",
    "region-sum": "地区合计不符",
    "placeholder-left": "遗留占位内容",
    "stale-reference": "沿用往年内容",
    "section-content": "部分内容缺失",
    "section-order": "部分顺序",
    "value-range": "数值异常",
}


def category_label(category: str) -> str:
    """``数字不符勾稽关系（arithmetic）``: the Chinese name with the public id beside it."""
    name = CATEGORY_NAMES.get(category)
    return f"{name}（{category}）" if name else category


def absolute_line(fr: FileResult | None, loc: Location) -> int | None:
    """The line counted from the start of the file: for a PDF, the lines of the pages before
    plus the line on its page."""
    if loc.page and fr is not None and fr.page_lines and loc.page <= len(fr.page_lines):
        return sum(fr.page_lines[: loc.page - 1]) + (loc.line or 1)
    return loc.line


def render(
    name: str,
    result: LintResult,
    out: TextIO,
    quiet: bool = False,
    reports: dict | None = None,
    options: dict | None = None,
) -> None:
    module = importlib.import_module(f"linter.render.{_MODULES[name]}")
    if name == "console":
        module.render(result, out, quiet=quiet)
    elif name == "html":
        module.render(result, out, reports=reports or {})
    elif name == "csv":
        module.render(result, out, headers=(options or {}).get("csv_headers", "id"))
    else:
        module.render(result, out)


def rule_docs(result: LintResult) -> dict:
    """id → ``RuleInfo`` of the rules the run applied, levels and parameters as configured, for
    the formats that describe rules (SARIF, the annotated page). A result made by hand, with no
    rules recorded, is described by the rule files with no configuration."""
    if result.rules:
        return {r.id: r for r in result.rules}
    from linter import engine

    return {r.spec.id: r.info() for r in engine.load_rules()}
