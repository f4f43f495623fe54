"""Checks on the report's dates: published by the deadline, and the title year matching the body."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from linter.checks import NoParams, check
from linter.models import Hit, Location, Report
from linter.parse.sections import is_signoff
from linter.textutil import dates_in, nfkc, years_in


class DeadlineParams(NoParams):
    department: str = "01-31"  # MM-DD of the year after the report year (条例第四十九条)
    government: str = "03-31"
    government_words: list[str] = ["人民政府", "管委会", "管理委员会"]
    region_endings: list[str] = ["省", "市", "县", "区", "旗", "州", "盟", "自治区", "实验区", "新区"]
    office_words: list[str] = ["办公室", "办公厅"]  # a government's office reports as a department
    regions: dict[str, dict[str, str]] = {}  # a name found in the agency → its own deadlines (configuration)


def agency_kind(agency: str | None, params: DeadlineParams) -> str:
    """government: a people's government, or a report in the name of a region itself (平潭综合实验区);
    department: everything else (局, 委, 办公室 …)."""
    name = (agency or "").strip()
    if any(name.endswith(w) for w in params.office_words):
        return "department"
    if any(w in name for w in params.government_words) or any(name.endswith(w) for w in params.region_endings):
        return "government"
    return "department"


def publication_date(report: Report) -> tuple[dt.date, str, Location] | None:
    """The publication date from the file (web page, crawler header), else the signature date."""
    published = report.meta.published
    if published:
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", published)
        if m:
            source = f"发布日期（{report.meta.published_source}）" if report.meta.published_source else "发布日期"
            return dt.date(*map(int, m.groups())), source, report.meta.title_loc or Location()
    # the signature date: a dated line among the last few, else (a web page printed to PDF
    # carries dozens of lines of site footer after it) the first dated sign-off after the
    # heading of the last section
    tail = [p for p in reversed(report.paragraphs[-6:]) if is_signoff(p.text, report.meta.agency) or len(p.text) < 40]
    for para in tail + _signoffs_after_last_section(report):
        found = dates_in(para.text)
        if found:
            y, mth, d = found[-1]
            try:
                return dt.date(y, mth, d), "落款日期", para.loc
            except ValueError:
                return None
    return None


def _signoffs_after_last_section(report: Report) -> list:
    if not report.sections:
        return []
    last = report.sections[max(report.sections, key=lambda k: "一二三四五六七八九十".find(k))].loc
    where = (last.page, last.line, last.paragraph)
    start = next((i for i, p in enumerate(report.paragraphs) if (p.loc.page, p.loc.line, p.loc.paragraph) == where), None)
    if start is None:
        return []
    return [p for p in report.paragraphs[start + 1:] if is_signoff(p.text, report.meta.agency)]


@check("publication_deadline", params=DeadlineParams, slots=("source", "date", "problem"))
def publication_deadline(report: Report, params: DeadlineParams):
    """The report is dated after its period ends and no later than its deadline."""
    year = report.meta.year
    found = publication_date(report)
    if year is None or found is None:
        return
    date, source, loc = found
    kind = agency_kind(report.meta.agency, params)
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
    yield Hit(loc=loc, key="deadline", actual=date.isoformat(), expected=f"≤{deadline.isoformat()}",
              data={"source": source, "date": f"{date.year}年{date.month}月{date.day}日", "problem": problem})


@check("publication_date_known", slots=("year",))
def publication_date_known(report: Report, params: NoParams):
    """The report shows when it was published (a date under the report, or the page's date)."""
    if report.meta.year is not None and publication_date(report) is None:
        yield Hit(loc=Location(), key="no-date", data={"year": report.meta.year})


class BodyYearParams(NoParams):
    min_mentions: int = 3


@check("title_year_matches_body", params=BodyYearParams, slots=("title_year", "body_year", "count"))
def title_year_matches_body(report: Report, params: BodyYearParams):
    """The year in the title is the year section 一 reports on."""
    if report.meta.year_source != "title" or "一" not in report.sections:
        return
    text = nfkc(report.sections["一"].text)
    starts = Counter(years_in(" ".join(re.findall(r"(?:^|[。；\n])\s*((?:19|20)\d{2}\s*年)", text))))
    if not starts:
        return
    body_year, count = starts.most_common(1)[0]
    if body_year != report.meta.year and count >= params.min_mentions and starts[report.meta.year] == 0:
        yield Hit(loc=report.meta.title_loc or report.sections["一"].loc, key="body-year",
                  data={"title_year": report.meta.year, "body_year": body_year, "count": count})
