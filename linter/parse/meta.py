"""Report metadata: title, agency and report year (from the title, else from the body)."""

from __future__ import annotations

import re
from collections import Counter

from linter.models import Meta
from linter.parse.rows import Unit
from linter.textutil import clean_line, cn_year, squash, years_in

_TITLE_WORDS = ("政府信息公开", "政务公开", "信息公开")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2}|[二][〇零○Ｏ一二三四五六七八九]{3})\s*年")


_ORG_END = re.compile(r"(委员会|人民政府|政府|办公室|办公厅|局|委|厅|院|中心|管委会|管理局|办事处|实验区|新区|[省市县区旗州盟])$")


def _agency(title: str, year: re.Match | None) -> str | None:
    """The agency in a title: before the year (X局2023年…), else after it (2023年X局政府信息公开…)."""
    if year is None:
        return None
    before = re.split(r"关于|印发|报送", title[: year.start()])[0].strip()
    if before:
        return before
    after = re.split(r"(?:度)?(?:政府信息公开|政务公开|信息公开)", title[year.end():])[0].strip()
    return after or None


def is_title(text: str) -> bool:
    flat = squash(text)
    return (
        len(flat) <= 70
        and "报告" in flat
        and any(w in flat for w in _TITLE_WORDS)
        and "。" not in flat
        and not flat.startswith(("本报告", "本年度报告", "根据", "按照", "依据"))
    )


def read_meta(units: list[Unit], first_heading: int | None, published: str | None = None,
              given_title: str | None = None) -> Meta:
    """Title, agency and year. ``given_title`` is the file's own title (e.g. a web page's
    article title), used when the body does not print one."""
    meta = Meta(published=published)
    limit = first_heading if first_heading is not None else min(len(units), 15)
    for i in range(min(limit, 15)):
        unit = units[i]
        if not unit.is_para or not is_title(unit.text):
            continue
        title = clean_line(unit.text)
        m = _YEAR_IN_TITLE.search(title)
        agency = _agency(title, m)
        if not agency and i > 0 and units[i - 1].is_para:
            prev = clean_line(units[i - 1].text)
            if 2 <= len(prev) <= 30 and _ORG_END.search(prev) and not re.search(r"[，。；]", prev):
                agency, title = prev, f"{prev}{title}"
        meta.title, meta.title_loc, meta.agency = title, unit.cells[0].loc, agency or None
        if m:
            meta.year, meta.year_source = cn_year(m.group(1)), "title"
        break
    if meta.title is None and given_title and is_title(given_title):
        meta.title = clean_line(given_title)
        m = _YEAR_IN_TITLE.search(meta.title)
        meta.agency = _agency(meta.title, m)
        if m:
            meta.year, meta.year_source = cn_year(m.group(1)), "title"
    if meta.year is None:
        counts = Counter(y for u in units if u.is_para for y in years_in(u.text))
        if counts:
            top = max(counts.values())
            meta.year = max(y for y, c in counts.items() if c == top)
            meta.year_source = "body"
    return meta
