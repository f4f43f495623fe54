"""CSV output: one row per finding, for spreadsheet users (UTF-8 with BOM so Excel reads Chinese).

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

COLUMNS = ("file", "rule", "name", "category", "level", "where", "page", "line", "section", "table", "row", "col",
           "message", "expected", "actual", "fix", "fingerprint")


def render(result: LintResult, out: TextIO) -> None:
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for f in result.findings:
        loc = f.location
        writer.writerow([_cell(v) for v in (
            f.file, f.rule, f.name, f.category, f.level, loc.describe(), loc.page, loc.line, loc.section, loc.table,
            loc.row_label, loc.col_label, f.message, f.expected, f.actual, f.fix, f.fingerprint)])
    for fr in result.files:
        if fr.error:
            writer.writerow([_cell(fr.path), "", "unreadable-file", "parse-error", "error", "", "", "", "", "", "", "",
                             _cell(fr.error), "", "", "", ""])
