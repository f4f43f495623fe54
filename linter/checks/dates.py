"""Checks on the report's dates: published by the deadline (for the report year the evidence
agrees on), and the title's year against that year."""

from __future__ import annotations

import datetime as dt

from linter.checks import NoParams, check
from linter.models import YEAR_SOURCE_NAMES, Hit, Location, Report


class DeadlineParams(NoParams):
    department: str = "01-31"  # MM-DD of the year after the report year (条例第四十九条)
    government: str = "03-31"
    regions: dict[str, dict[str, str]] = {}  # a name found in the agency → its own deadlines (configuration)


def publication_date(report: Report) -> tuple[dt.date, str, Location] | None:
    """The date the parser recorded as the report's publication (the file's publication date,
    else the sign-off), how a finding names it, and where it is shown."""
    found = report.meta.publication
    if found is None:
        return None
    if found.kind == "published":
        source = f"发布日期（{found.source}）" if found.source else "发布日期"
    else:
        source = "落款日期" if found.source in (None, "落款") else found.source  # 页头“成文日期”
    return dt.date(*found.date), source, found.loc or report.meta.title_loc or Location()


@check("publication_deadline", params=DeadlineParams, slots=("source", "date", "problem"))
def publication_deadline(report: Report, params: DeadlineParams):
    """The report is dated after its period ends and no later than its deadline."""
    year = report.meta.year
    found = publication_date(report)
    if year is None or found is None or report.meta.year_split:
        return  # an undecided year gives no deadline
    date, source, loc = found
    kind = report.meta.agency_kind or "department"
    rule = getattr(params, kind)
    for name, local in params.regions.items():
        if name in (report.meta.agency or "") and local.get(kind):
            rule = local[kind]
    month, day = map(int, rule.split("-"))
    deadline = dt.date(year + 1, month, day)
    who = "县级以上人民政府" if kind == "government" else "政府部门"
    if date <= dt.date(year, 12, 31):
        problem = f"早于{year}年度结束，报告不可能已包含全年数据"
    elif date > deadline:
        problem = f"晚于{who}的公布期限{deadline.year}年{deadline.month}月{deadline.day}日"
    else:
        return
    yield Hit(
        loc=loc,
        key="deadline",
        actual=date.isoformat(),
        expected=f"≤{deadline.isoformat()}",
        data={"source": source, "date": f"{date.year}年{date.month}月{date.day}日", "problem": problem},
    )


@check("publication_date_known", slots=("year",))
def publication_date_known(report: Report, params: NoParams):
    """The report shows when it was published (a date under the report, or the page's date)."""
    if report.meta.year is not None and publication_date(report) is None:
        yield Hit(loc=Location(), key="no-date", data={"year": report.meta.year})


def _witnesses(evidence, year: int | None = None) -> str:
    return "、".join(
        f"{YEAR_SOURCE_NAMES[e.source]}（{e.text[:24]}）"
        if e.source in ("signoff", "published")
        else f"{YEAR_SOURCE_NAMES[e.source]}"
        for e in evidence
        if year is None or e.year == year
    )


@check("title_year_matches_body", slots=("detail",))
def title_year_matches_body(report: Report, params: NoParams):
    """The year in the title is the report year the rest of the report agrees on; when the
    witnesses are split with no majority, that is said once."""
    meta = report.meta
    if meta.year_split:
        parts = "；".join(f"{y}年：{_witnesses(meta.evidence, y)}" for y in meta.year_candidates)
        yield Hit(
            loc=meta.title_loc or Location(),
            key="split",
            data={
                "detail": f"无法确定报告年度，各处所写年度不一致（{parts}），请统一为实际报告年度；"
                "与年度有关的检查（统计期限、公布期限、引用年份）未进行"
            },
        )
        return
    if meta.title_year is None or meta.year is None or meta.title_year == meta.year:
        return
    others = [e for e in meta.evidence if e.source != "title" and e.year == meta.year]
    yield Hit(
        loc=meta.title_loc or Location(),
        key="title-year",
        excerpt=meta.title,
        expected=str(meta.year),
        actual=str(meta.title_year),
        data={
            "detail": f"标题为{meta.title_year}年度报告，但{_witnesses(others)}均指向{meta.year}年，"
            f"标题的年度应为{meta.year}年"
        },
    )
