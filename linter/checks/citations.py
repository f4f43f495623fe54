"""Checks on cited documents: superseded format notices and the unrevised Regulation."""

from __future__ import annotations

import re

from linter.checks import NoParams, check
from linter.formats import spec_of
from linter.models import Hit, Report
from linter.textutil import nfkc


class CitationParams(NoParams):
    citation: str  # a key of the format's ``citations``


@check("outdated_citation", params=CitationParams, slots=("cited", "year", "current"))
def outdated_citation(report: Report, params: CitationParams):
    """A superseded document is cited in a report for a year when it no longer applies."""
    fmt = spec_of(report)
    spec = fmt.citations[params.citation]
    year = report.meta.year
    if year is None or min(report.meta.year_candidates or [year]) < spec.outdated_from_year:
        return  # with split evidence, only a citation outdated for every candidate year
    pattern = re.compile(spec.pattern)
    texts = [nfkc(p.text) for p in report.paragraphs]
    if spec.revised_by is not None:
        revised = re.compile(rf"第?\s*{spec.revised_by}\s*号")
        if any(revised.search(t) for t in texts):
            return  # cited together with its revision: correct
    for para, text in zip(report.paragraphs, texts):
        found = list(pattern.finditer(text))
        # cited by number and by title in one paragraph: the number is the clearer excerpt
        m = next((x for x in found if re.search(r"\d", x.group(0))), found[0] if found else None)
        if m:
            yield Hit(
                loc=para.loc,
                key=params.citation,
                excerpt=m.group(0),
                data={
                    "cited": m.group(0) if re.search(r"\d", m.group(0)) else f"{m.group(0)}》（即{spec.label}）",
                    "year": year,
                    "current": spec.current or f"国务院令第{spec.revised_by}号修订后的条例",
                },
            )
            return
