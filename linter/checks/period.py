"""Checks on the statement of the statistics period (统计期限)."""

from __future__ import annotations

from linter.checks import NoParams, check
from linter.formats import load_format
from linter.models import Hit, Location, Report
from linter.parse.meta import period_statement


def find_period(report: Report):
    """(paragraph, statement text, [(year|None, month, day) …]) of the first period statement."""
    return period_statement(report.paragraphs, load_format(report.version).period.pattern)


@check("period_stated", slots=("detail",))
def period_stated(report: Report, params: NoParams):
    """The report states its statistics period with a start and an end date."""
    found = find_period(report)
    if found is None:
        yield Hit(loc=Location(section="一"), key="missing",
                  data={"detail": "报告中没有说明统计期限（如“本报告中所列数据的统计期限自X年1月1日起至X年12月31日止”）"})
        return
    para, statement, dates = found
    if len(dates) < 2:
        yield Hit(loc=para.loc, key="unclear", excerpt=statement,
                  data={"detail": f"统计期限的表述中找不到起止日期：“{statement}”"})


@check("period_full_year", slots=("statement", "expected"))
def period_full_year(report: Report, params: NoParams):
    """The stated statistics period is 1 January to 31 December of the report year. A period
    of another year is a finding only when the other witnesses agree on the report year (the
    period is the outlier); with split evidence nothing is said here (YR001 says it once)."""
    found = find_period(report)
    if found is None or len(found[2]) < 2 or report.meta.year_split:
        return
    para, statement, dates = found
    (y1, m1, d1), (y2, m2, d2) = dates[0], dates[-1]
    if y1 is None:
        return  # no year at all: period_stated's concern, not a wrong period
    year = report.meta.year or y1
    y2 = y2 or y1
    if (y1, m1, d1, y2, m2, d2) != (year, 1, 1, year, 12, 31):
        expected = f"{year}年1月1日至{year}年12月31日"
        yield Hit(loc=para.loc, key="period", excerpt=statement,
                  expected=expected, actual=f"{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日",
                  data={"statement": statement, "expected": expected})
