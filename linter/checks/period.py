"""Checks on the statement of the statistics period (统计期限)."""

from __future__ import annotations

from linter.checks import NoParams, check
from linter.models import Hit, Location, Report


@check("period_stated", slots=("detail",))
def period_stated(report: Report, params: NoParams):
    """The report states its statistics period with a start and an end date."""
    found = report.meta.period
    if found is None:
        yield Hit(
            loc=Location(section="一"),
            key="missing",
            data={"detail": "报告中没有说明统计期限（如“本报告中所列数据的统计期限自X年1月1日起至X年12月31日止”）"},
        )
        return
    if len(found.dates) < 2:
        yield Hit(
            loc=found.loc,
            key="unclear",
            excerpt=found.text,
            data={"detail": f"统计期限的表述中找不到起止日期：“{found.text}”"},
        )


@check("period_full_year", slots=("statement", "expected"))
def period_full_year(report: Report, params: NoParams):
    """The stated statistics period is 1 January to 31 December of the report year. A period
    of another year is a finding only when the other witnesses agree on the report year (the
    period is the outlier); with split evidence nothing is said here (YR001 says it once)."""
    found = report.meta.period
    if found is None or len(found.dates) < 2 or report.meta.year_split:
        return
    (y1, m1, d1), (y2, m2, d2) = found.dates[0], found.dates[-1]
    if y1 is None:
        return  # no year at all: period_stated's concern, not a wrong period
    year = report.meta.year or y1
    y2 = y2 or y1
    if (y1, m1, d1, y2, m2, d2) != (year, 1, 1, year, 12, 31):
        expected = f"{year}年1月1日至{year}年12月31日"
        yield Hit(
            loc=found.loc,
            key="period",
            excerpt=found.text,
            expected=expected,
            actual=f"{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日",
            data={"statement": found.text, "expected": expected},
        )
