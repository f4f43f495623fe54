"""Titles and names as reports print them: what an annual report's title looks like, the
agency it names, organisation-name endings, the kind of agency (a people's government or a
department), and the one normal form of an agency name for matching reports of one agency."""

from __future__ import annotations

import re

from linter.textutil import squash
from linter.wording.dates import YEAR

TITLE_WORDS = ("政府信息公开", "政务公开", "信息公开")
# a title run straight into the first sentence in flattened text (“…年度报告本报告按照…”)
LEAD_TITLE = re.compile(
    rf"^(.{{0,40}}?(?:{YEAR})\s*年度?.{{0,30}}?"
    r"(?:政府信息公开|政务公开|信息公开).{0,10}?年度报告)(?=本|根据|按照|依据|一\s*、|[（(]一)"
)
_SENTENCE_VERBS = re.compile(r"编制完成|已编制|现将|现予|如下|特此|予以公布|向社会公布|予以公开")

# How the name of an organisation ends: a body (委员会, 局, 中心 …), an office below one (处,
# 所, 站, 街道办事处), or a region that reports in its own name (某某县, 平潭综合实验区).
ORG_END = re.compile(
    r"(?:委员会|人民政府|政府|办公室|办公厅|管委会|管理局|办事处|街道|实验区|新区"
    r"|局|委|厅|院|中心|处|所|站|镇|乡|[省市县区旗州盟])$"
)

# the kind of agency, for its deadline (条例第四十九条): a people's government or a department
GOVERNMENT_WORDS = ("人民政府", "管委会", "管理委员会")
REGION_ENDINGS = ("省", "市", "县", "区", "旗", "州", "盟", "自治区", "实验区", "新区")
OFFICE_WORDS = ("办公室", "办公厅")  # a government's office reports as a department


def is_title(text: str) -> bool:
    """A line that reads as an annual report's title (not a sentence about the report)."""
    flat = squash(text)
    return (
        len(flat) <= 70
        and "报告" in flat
        and any(w in flat for w in TITLE_WORDS)
        and "。" not in flat
        and not flat.startswith(("本报告", "本年度报告", "根据", "按照", "依据"))
        and not _SENTENCE_VERBS.search(flat)  # “现编制完成2023年度…报告”: a sentence about the report
    )


def agency_in_title(title: str, year: re.Match | None) -> str | None:
    """The agency in a title: before the year (X局2023年…), else after it (2023年X局政府信息公开…)."""
    if year is None:
        return None
    before = re.split(r"关于|印发|报送", title[: year.start()])[0].strip()
    if before:
        return before
    after = re.split(r"(?:度)?(?:政府信息公开|政务公开|信息公开)", title[year.end() :])[0].strip()
    return after or None


def is_org_name(text: str, longest: int = 30) -> bool:
    """Text that ends as an organisation's name does, and is no longer than one."""
    return 2 <= len(text) <= longest and bool(ORG_END.search(text))


def agency_kind(agency: str | None) -> str:
    """government: a people's government, or a report in the name of a region itself (平潭综合实验区);
    department: everything else (局, 委, 办公室 …)."""
    name = (agency or "").strip()
    if name.endswith(OFFICE_WORDS):
        return "department"
    if any(w in name for w in GOVERNMENT_WORDS) or name.endswith(REGION_ENDINGS):
        return "government"
    return "department"


def agency_key(agency: str | None) -> str | None:
    """The form under which reports of one agency are matched across years and documents:
    without spacing and bracketed parts (某市某局（某某办公室）); None when too short a name is
    left to identify one agency."""
    key = re.sub(r"[（(].*?[）)]|\s", "", agency or "")
    return key if len(key) >= 3 else None
