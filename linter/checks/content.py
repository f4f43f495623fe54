"""Checks on the wording of the report: leftovers, stale references, thin sections, numbering."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from linter.checks import NoParams, check
from linter.formats import spec_of
from linter.models import Hit, Location, Report
from linter.textutil import nfkc, squash


class Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    pattern: str
    what: str


class TextParams(NoParams):
    patterns: list[Pattern]


def _section_paragraphs(report: Report):
    """Paragraphs from the first section heading on (text before it is page or file header)."""
    return report.paragraphs[report.body_start :]


@check("forbidden_text", params=TextParams, slots=("what", "excerpt"))
def forbidden_text(report: Report, params: TextParams):
    """Text that must not remain in a published report (one hit per kind of leftover)."""
    for item in params.patterns:
        pattern = re.compile(item.pattern)
        for para in _section_paragraphs(report):
            m = pattern.search(para.text)  # patterns accept both widths; the excerpt is as printed
            if m:
                yield Hit(
                    loc=para.loc, key=item.what, excerpt=m.group(0), data={"what": item.what, "excerpt": m.group(0)}
                )
                break


class YearBoundParams(NoParams):
    patterns: list[Pattern]  # each with one group capturing a year
    allowed_offsets: list[int] = [0, 1]


@check("year_bound_reference", params=YearBoundParams, slots=("what", "excerpt", "cited", "year"))
def year_bound_reference(report: Report, params: YearBoundParams):
    """A year-bound document (a 工作要点, a notice on compiling the report) of another year."""
    year = report.meta.year
    if year is None or report.meta.year_split:
        return  # an undecided year: YR001 says so once
    for item in params.patterns:
        pattern = re.compile(item.pattern)
        for para in report.paragraphs:
            for m in pattern.finditer(nfkc(para.text)):
                cited = int(m.group(1))
                if cited - year not in params.allowed_offsets:
                    yield Hit(
                        loc=para.loc,
                        key=f"{item.what}/{cited}",
                        excerpt=m.group(0),
                        data={"what": item.what, "excerpt": m.group(0), "cited": cited, "year": year},
                    )


class ContentParams(NoParams):
    min_chars: int = 30


@check("problems_section_substance", params=ContentParams, slots=("detail",))
def problems_section_substance(report: Report, params: ContentParams):
    """Section 五 states real problems and improvements, not just 无 or a line."""
    section = report.sections.get("五")
    if section is None or not section.text.strip():
        return  # a missing or empty section is SEC001's finding
    body = squash(section.text)
    if body.rstrip("。.") in ("无", "暂无", "没有") or len(body) < params.min_chars:
        yield Hit(
            loc=section.loc,
            key="五",
            excerpt=section.text[:60],
            data={"detail": f"第五部分只有“{section.text.strip()[:30]}”"},
        )


class FeeParams(NoParams):
    words: list[str]
    from_year: int = 2021


@check("fee_statement", params=FeeParams, slots=("year",))
def fee_statement(report: Report, params: FeeParams):
    """Section 六 says whether 信息处理费 was charged (2021 format, 国办函〔2020〕109号)."""
    section = report.sections.get("六")
    year = report.meta.year
    if section is None or not section.text.strip() or (year is not None and year < params.from_year):
        return
    if not any(w in squash(section.text) for w in params.words):
        yield Hit(loc=section.loc, key="六", data={"year": year or "本"})


@check("section_numbering", slots=("title", "printed", "expected"))
def section_numbering(report: Report, params: NoParams):
    """Statutory sections carry their own numbers (一 … 六) and come in that order."""
    keys = [s.key for s in spec_of(report).sections]
    present = sorted(report.sections.values(), key=lambda s: s.index or 0)  # in reading order
    for section in present:
        if section.number != section.key:
            yield Hit(
                loc=section.loc,
                key=f"number/{section.key}",
                excerpt=f"{section.number}、{section.title}",
                data={"title": section.title, "printed": section.number, "expected": section.key},
            )
    order = [s.key for s in present]
    if order != sorted(order, key=keys.index):
        yield Hit(
            loc=present[0].loc if present else Location(),
            key="order",
            data={"title": "各部分", "printed": "、".join(order), "expected": "、".join(sorted(order, key=keys.index))},
        )


@check("subtopics_as_sections", slots=("printed", "title"))
def subtopics_as_sections(report: Report, params: NoParams):
    """Subtopics of section 一 are numbered （一）（二）…, not 二、三、… like the report's sections."""
    for head in report.stray_headings:
        yield Hit(
            loc=head.loc,
            key=f"stray/{head.number}",
            excerpt=f"{head.number}、{head.title}",
            data={"printed": f"{head.number}、", "title": head.title},
        )
