"""Checks across documents: two years of one agency (carried-over applications, the stock of
documents) and, in audits, a region government's figures against the sum of its departments'.
The other reports come in the run's ``Context`` (rebuilt from the stored form of
``linter.figures``), never from the report itself."""

from __future__ import annotations

from linter.checks import Context, NoParams, check
from linter.formats import spec_of
from linter.models import Hit, Report


@check("carry_over", slots=("col", "this", "prev_year", "prev"), context=True)
def carry_over(report: Report, params: NoParams, context: Context):
    """This year's 上年结转 equals last year's 结转下年度继续办理, column by column."""
    prev = context.previous
    if prev is None:
        return
    this, last = report.tables.get("三"), prev.tables.get("三")
    if this is None or last is None or not this.found or not last.found:
        return
    spec = spec_of(this).tables[this.key]
    for col in spec.row_columns(spec.row("r02")):
        now, before = this.cell("r02", col), last.cell("r25", col)
        if now.has_value and before.has_value and now.value != before.value:
            yield Hit(
                loc=now.loc,
                key=f"r02/{col}",
                expected=str(before.value),
                actual=str(now.value),
                data={
                    "col": spec.column(col).label,
                    "this": now.value,
                    "prev_year": prev.meta.year,
                    "prev": before.value,
                },
            )


@check("stock_drift", slots=("row", "this", "prev_year", "prev", "made", "repealed", "expected"), context=True)
def stock_drift(report: Report, params: NoParams, context: Context):
    """现行有效件数 moves by 本年制发 − 本年废止 from last year's figure (revisions may explain a gap)."""
    prev = context.previous
    if prev is None:
        return
    this, last = report.tables.get("二"), prev.tables.get("二")
    if this is None or last is None or not this.found or this.layout != last.layout:
        return
    spec = spec_of(this).tables[this.key]
    stock = {"valid", "made", "repealed"}  # a stock and its two flows: the 2021 layout has them
    for row in (r.key for r in spec.rows if stock <= set(spec.row_columns(r))):
        valid, made, repealed, before = (
            this.cell(row, "valid"),
            this.cell(row, "made"),
            this.cell(row, "repealed"),
            last.cell(row, "valid"),
        )
        if not all(c.has_value for c in (valid, made, repealed, before)):
            continue
        expected = before.value + made.value - repealed.value
        if valid.value != expected:
            yield Hit(
                loc=valid.loc,
                key=row,
                expected=str(expected),
                actual=str(valid.value),
                data={
                    "row": spec.row(row).label,
                    "this": valid.value,
                    "prev_year": prev.meta.year,
                    "prev": before.value,
                    "made": made.value,
                    "repealed": repealed.value,
                    "expected": expected,
                },
            )


METRICS = [
    ("三", "r01", "total", "本年新收申请"),
    ("三", "r24", "total", "办理结果总计"),
    ("四", "review", "total", "行政复议总计"),
    ("四", "direct_suit", "total", "未经复议直接起诉总计"),
    ("四", "suit_after_review", "total", "复议后起诉总计"),
]


@check("region_sum", slots=("what", "parent", "children", "count"), context=True)
def region_sum(report: Report, params: NoParams, context: Context):
    """A region government's figure equals the sum over its departments' reports (audits only)."""
    if not context.children:
        return
    for key, row, col, what in METRICS:
        own = report.tables.get(key)
        cells = [c.tables.get(key) for c in context.children]
        if own is None or any(t is None for t in cells):
            continue
        mine, theirs = own.cell(row, col), [t.cell(row, col) for t in cells]
        if not mine.has_value or not all(c.has_value for c in theirs):
            continue
        total = sum(c.value for c in theirs)
        if mine.value != total:
            yield Hit(
                loc=mine.loc,
                key=f"{key}/{row}",
                expected=str(total),
                actual=str(mine.value),
                data={"what": what, "parent": mine.value, "children": total, "count": len(theirs)},
            )
