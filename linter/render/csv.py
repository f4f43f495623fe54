"""CSV output: one row per finding, for spreadsheet users (UTF-8 with BOM so Excel reads Chinese)."""

from __future__ import annotations

import csv
from typing import TextIO

from linter.models import LintResult

COLUMNS = ("file", "rule", "name", "category", "level", "where", "page", "line", "section", "table", "row", "col",
           "message", "expected", "actual", "fix", "fingerprint")


def render(result: LintResult, out: TextIO) -> None:
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for f in result.findings:
        loc = f.location
        writer.writerow([f.file, f.rule, f.name, f.category, f.level, loc.describe(), loc.page, loc.line,
                         loc.section, loc.table, loc.row_label, loc.col_label, f.message, f.expected, f.actual,
                         f.fix, f.fingerprint])
    for fr in result.files:
        if fr.error:
            writer.writerow([fr.path, "", "unreadable-file", "parse-error", "error", "", "", "", "", "", "", "",
                             fr.error, "", "", "", ""])
