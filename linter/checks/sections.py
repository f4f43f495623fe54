"""Checks on the six statutory sections and on whether the document is a report at all."""

from __future__ import annotations

from linter.checks import NoParams, check
from linter.formats import spec_of
from linter.models import Hit, Level, Location, Report


@check("required_sections", slots=("key", "title", "state"))
def required_sections(report: Report, params: NoParams):
    """Every statutory section is present and has content under its heading."""
    fmt = spec_of(report)
    for spec in fmt.sections:
        section = report.sections.get(spec.key)
        if section is None:
            table = report.tables.get(spec.key)
            state = "缺失：报告中找不到该部分的标题"
            if spec.key in fmt.tables and (table is None or not table.found):
                state += f"，该部分的表{spec.key}“{fmt.tables[spec.key].title}”也未找到"
            yield Hit(
                loc=Location(section=spec.key),
                key=spec.key,
                cause=f"section/{spec.key}",
                primary=True,
                data={"key": spec.key, "title": spec.title, "state": state},
            )
        elif not section.text.strip() and not section.has_table:
            yield Hit(
                loc=section.loc,
                key=spec.key,
                excerpt=f"{section.number}、{section.title}",
                data={"key": spec.key, "title": spec.title, "state": "只有标题，标题下没有任何内容"},
            )


class NotesParams(NoParams):
    level: Level


@check("parse_notes", params=NotesParams, slots=("detail",))
def parse_notes(report: Report, params: NotesParams):
    """Relays what the reader could not recover (of the given level) as findings."""
    for note in report.notes:
        if note.level == params.level:
            yield Hit(loc=note.loc, key=note.key, data={"detail": note.message})


@check("recognised_report", slots=("detail",))
def recognised_report(report: Report, params: NoParams):
    """The document is recognisable as an annual report (title, sections or tables found)."""
    if report.recognised:
        return
    problems = [n for n in report.notes if n.level == "error"]
    for note in problems:  # the reader said why (encrypted, no text layer, not a document …)
        yield Hit(loc=note.loc, key=note.key, data={"detail": note.message})
    if not problems:
        yield Hit(
            loc=Location(),
            key="not-a-report",
            data={"detail": "未找到年度报告的标题、六个部分的标题或三张统计表，无法按年度报告格式检查"},
        )


@check("format_in_force", slots=("year", "first"))
def format_in_force(report: Report, params: NoParams):
    """The report's year is covered by a national format (2019 onwards)."""
    if report.recognised and not report.in_scope:
        yield Hit(
            loc=report.meta.title_loc or Location(),
            key="out-of-scope",
            data={"year": report.meta.year, "first": spec_of(report).first_format_year},
        )
