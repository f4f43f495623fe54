"""CSV output: one row per finding, for spreadsheet users (UTF-8 with BOM so Excel reads Chinese).
Headers are the English ids (``--csv-headers id``, stable for scripts) or Chinese labels
(``zh``) over the same columns in the same order.

Cells are data, never formulas: one that begins with = + - @, tab or CR gets a leading ' (the
OWASP advice on CSV injection), and control characters are shown escaped."""

from __future__ import annotations

import csv
from typing import TextIO

from linter.models import LintResult
from linter.safetext import printable

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value.startswith(_FORMULA) else value


COLUMNS = (
    "file",
    "rule",
    "name",
    "category",
    "level",
    "where",
    "page",
    "line",
    "section",
    "table",
    "row",
    "col",
    "message",
    "expected",
    "actual",
    "fix",
    "fingerprint",
)
LABELS = {
    "file": "文件",
    "rule": "规则",
    "name": "规则名称",
    "category": "类别",
    "level": "级别",
    "where": "位置",
    "page": "页",
    "line": "行",
    "section": "部分",
    "table": "表",
    "row": "行项目",
    "col": "列项目",
    "message": "问题",
    "expected": "应为",
    "actual": "实为",
    "fix": "修改建议",
    "fingerprint": "指纹",
}


def render(result: LintResult, out: TextIO, headers: str = "id") -> None:
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([LABELS[c] for c in COLUMNS] if headers == "zh" else COLUMNS)
    for fr in result.files:
        for f in fr.findings:
            loc = f.location
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        f.file,
                        f.rule,
                        f.name,
                        f.category,
                        f.level,
                        loc.describe(),
                        loc.page,
                        loc.line,
                        loc.section,
                        loc.table,
                        loc.row_label,
                        loc.col_label,
                        f.message,
                        f.expected,
                        f.actual,
                        f.fix,
                        f.fingerprint,
                    )
                ]
            )
        if fr.error:
            writer.writerow(
                [
                    _cell(fr.path),
                    "",
                    "unreadable-file",
                    "parse-error",
                    "error",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    _cell(fr.error),
                    "",
                    "",
                    "",
                    "",
                ]
            )
