"""Reading a variant through the real pipeline and comparing it with its source: sections,
every cell of tables 二/三/四, and findings keyed by rule, level and logical place (the
physical place, a line or a page, differs from format to format by design)."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.defects import Defect, Expect
from harness.model import Source
from harness.variants import Variant
from linter import api
from linter.formats import load_format

LEVELS = ("error", "warning")


def finding_key(f) -> tuple:
    loc = f.location
    return (f.rule, f.level, loc.section, loc.table, loc.row, loc.col)


@dataclass
class Outcome:
    """One document read: a source in one variant, clean or with one defect."""

    source: str
    variant: str
    family: str
    defect: str | None = None
    error: str | None = None  # the variant could not be made or read at all
    sections: list[str] = field(default_factory=list)
    want_sections: list[str] = field(default_factory=list)
    cells_total: int = 0
    cell_diffs: list[tuple] = field(default_factory=list)  # (table, row, col, got, want)
    findings: Counter = field(default_factory=Counter)  # finding key → count (all levels)

    @property
    def sections_ok(self) -> bool:
        return sorted(self.sections) == sorted(self.want_sections)

    def judged(self) -> Counter:
        """Error- and warning-level findings only."""
        return Counter({k: n for k, n in self.findings.items() if k[1] in LEVELS})


def _cells(report, source: Source) -> tuple[int, list[tuple]]:
    total, diffs = 0, []
    for key, rows in source.tables.items():
        table = report.tables.get(key)
        spec = load_format(source.layouts[key]).tables[key]
        for row, want in rows.items():
            for col, value in zip(spec.row_columns(spec.row(row)), want):
                total += 1
                got = table.value(row, col) if table is not None and table.found else None
                if got is None or got != value:
                    diffs.append((key, row, col, got, value))
    return total, diffs


def read(source: Source, variant: Variant, rules, cache: Path, defect: str | None = None) -> Outcome:
    out = Outcome(source.name, variant.name, variant.family, defect, want_sections=source.section_keys)
    try:
        data, suffix = variant.make(source, cache)
    except Exception as exc:  # a printer that fails is a result, not a crash of the sweep
        out.error = f"make: {type(exc).__name__}: {exc}"
        return out
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / (source.name.replace("/", "_") + suffix)
        path.write_bytes(data)
        report, result = api.read(path)
        if report is None:
            out.error = f"read: {result.error}"
            return out
        api.check(report, result, rules)
    if result.error:
        out.error = f"check: {result.error}"
    out.sections = sorted(report.sections)
    out.cells_total, out.cell_diffs = _cells(report, source)
    out.findings = Counter(finding_key(f) for f in result.findings)
    return out


@dataclass
class Injection:
    """A defect read in one variant, compared with the same variant read clean."""

    outcome: Outcome
    defect: Defect
    expect: Expect
    detected: bool
    new: list[tuple]  # findings (error/warning/info) the defect variant has and the clean one lacks
    extraneous: list[tuple]  # new findings at error or warning level that are not the defect's

    @property
    def exactly_one(self) -> bool:
        return self.detected and sum(1 for k in self.new if k[1] in LEVELS) == 1


def inject(source: Source, variant: Variant, defect: Defect, clean: Outcome, rules, cache: Path) -> Injection | None:
    applied = defect.apply(source)
    if applied is None:
        return None
    changed, expect = applied
    outcome = read(changed, variant, rules, cache, defect.name)
    new = list((outcome.findings - clean.findings).elements())
    detected = any(expect.matches(k) for k in new)
    extraneous = [k for k in new if not expect.matches(k) and k[1] in LEVELS]
    return Injection(outcome, defect, expect, detected, new, extraneous)


def compare_findings(outcome: Outcome, reference: Outcome) -> tuple[list[tuple], list[tuple]]:
    """(missing, extra) error/warning findings of a clean variant against the reference."""
    want, got = reference.judged(), outcome.judged()
    return sorted((want - got).elements()), sorted((got - want).elements())
