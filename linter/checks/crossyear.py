"""Checks across two years of one agency: carried-over applications and the stock of documents."""

from __future__ import annotations

from linter.checks import NoParams, check
from linter.formats import load_format
from linter.models import Hit, Report


@check("carry_over", slots=("col", "this", "prev_year", "prev"))
def carry_over(report: Report, params: NoParams):
    """This year's 上年结转 equals last year's 结转下年度继续办理, column by column."""
    prev = report.previous
    if prev is None:
        return
    this, last = report.tables.get("三"), prev.tables.get("三")
    if this is None or last is None or not this.found or not last.found:
        return
    spec = load_format(this.layout).tables["三"]
    for col in spec.row_columns(spec.row("r02")):
        now, before = this.cell("r02", col), last.cell("r25", col)
        if now.has_value and before.has_value and now.value != before.value:
            yield Hit(loc=now.loc, key=f"r02/{col}", expected=str(before.value), actual=str(now.value),
                      data={"col": spec.column(col).label, "this": now.value,
                            "prev_year": prev.meta.year, "prev": before.value})


@check("stock_drift", slots=("row", "this", "prev_year", "prev", "made", "repealed", "expected"))
def stock_drift(report: Report, params: NoParams):
    """现行有效件数 moves by 本年制发 − 本年废止 from last year's figure (revisions may explain a gap)."""
    prev = report.previous
    if prev is None:
        return
    this, last = report.tables.get("二"), prev.tables.get("二")
    if this is None or last is None or this.layout != "2021" or last.layout != "2021":
        return
    for row in ("rules", "normative"):
        valid, made, repealed, before = (this.cell(row, "valid"), this.cell(row, "made"),
                                         this.cell(row, "repealed"), last.cell(row, "valid"))
        if not all(c.has_value for c in (valid, made, repealed, before)):
            continue
        expected = before.value + made.value - repealed.value
        if valid.value != expected:
            yield Hit(loc=valid.loc, key=row, expected=str(expected), actual=str(valid.value),
                      data={"row": load_format("2021").tables["二"].row(row).label, "this": valid.value,
                            "prev_year": prev.meta.year, "prev": before.value, "made": made.value,
                            "repealed": repealed.value, "expected": expected})
