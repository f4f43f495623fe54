"""Checks on table values: counts are non-negative whole numbers, the fee is in 万元."""

from __future__ import annotations

from linter.checks import NoParams, check
from linter.formats import spec_of
from linter.models import Hit, Report


class RangeParams(NoParams):
    signed_columns: list[str] = ["change"]  # 2019 format 本年增/减 may be negative


@check("count_values", params=RangeParams, slots=("table", "row", "col", "value", "problem"))
def count_values(report: Report, params: RangeParams):
    """Count cells hold non-negative whole numbers."""
    for key, table in report.tables.items():
        if not table.found:
            continue
        spec = spec_of(table).tables[key]
        for row, col in spec.cell_keys():
            cell = table.cells.get(f"{row}/{col}")  # table.cell, without making an empty Cell
            column = spec.column(col)
            if cell is None or not cell.has_value or column.dtype != "int":
                continue
            problem = None
            if cell.value < 0 and col not in params.signed_columns:
                problem = "是负数"
            elif isinstance(cell.value, float) and not cell.value.is_integer():
                problem = "是小数，件数应为整数"
            if problem:
                yield Hit(
                    loc=cell.loc,
                    key=f"{key}/{row}/{col}",
                    actual=cell.raw,
                    data={
                        "table": key,
                        "row": spec.row(row).label,
                        "col": column.label,
                        "value": cell.raw,
                        "problem": problem,
                    },
                )


class FeeUnitParams(NoParams):
    max_wan_yuan: float = 1_000_000  # 100亿元: beyond this the figure was surely given in 元


@check("fee_unit", params=FeeUnitParams, slots=("value", "problem"))
def fee_unit(report: Report, params: FeeUnitParams):
    """The 行政事业性收费 amount in table 二 is given in 万元."""
    table = report.tables.get("二")
    if table is None or not table.found or ("fees", "amount") not in spec_of(table).tables["二"].cell_keys():
        return  # the 2019 table gives the fee as a count of items, not an amount
    cell = table.cell("fees", "amount")
    if not cell.has_value:
        return
    raw = cell.raw.replace(" ", "")
    if raw.endswith("元") and not raw.endswith("万元"):
        problem = "单位写成了“元”"
    elif cell.value > params.max_wan_yuan:
        problem = f"超过{params.max_wan_yuan:,.0f}万元，疑似按“元”填写"
    else:
        return
    yield Hit(loc=cell.loc, key="fees", actual=cell.raw, data={"value": cell.raw, "problem": problem})
