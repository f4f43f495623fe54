"""One parametrised runner over tests/cases/<RULE>.yaml: every rule's passing and failing cases.

A case is an inline ``text`` or a ``fixture`` with ``replace`` edits (each old string must occur
exactly once), and ``expect``: the exact list of findings of that rule ([] for a passing case),
each given by any of level, contains, section, table, row, col, line, and ``related``: the exact
list of the findings merged into it (same keys, plus ``rule``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, fixture_text

from linter import engine
from linter.figures import Entry, contexts
from linter.load import load, load_text
from linter.parse import parse

CASES_DIR = Path(__file__).resolve().parent / "cases"


def load_cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


BINARY = (".pdf", ".docx", ".html", ".htm")


def case_report(case: dict):
    """The report of a case: a binary fixture is read as the file it is; text is edited first."""
    if "fixture" in case and case["fixture"].endswith((".html", ".htm")) and "replace" in case:
        from linter.load import html

        return parse(html.load(case_text(case).encode("utf-8"), "case.html"))  # a web page, edited
    if "fixture" in case and case["fixture"].endswith(BINARY):
        assert "replace" not in case, "binary fixtures cannot be edited"
        return parse(load(FIXTURES / case["fixture"]))
    return parse(load_text(case_text(case), "case.txt"))


def case_findings(case: dict, rules):
    """Findings of a case. With ``previous`` (last year's report, a case of its own) or
    ``children`` (a region's department reports; the case is their government's), the case
    goes through the cross-document pass as check and audit run it: each report reduced to its
    stored figures, paired, and the checks given the others as the engine's context."""
    report = case_report(case)
    if "previous" not in case and "children" not in case:
        return engine.run(report, rules, "case.txt")
    prior = Entry.of(case_report(case["previous"]), "previous.txt") if "previous" in case else None
    region = "children" in case
    entries = [Entry.of(report, "case.txt")]
    entries += [Entry.of(case_report(child), f"child{n}.txt") for n, child in enumerate(case.get("children", []))]
    if region:
        entries = [replace(e, level="department" if n else "government", region="某地") for n, e in enumerate(entries)]
    paired = [(report, context) for index, report, context in contexts(entries, region, prior) if index == 0]
    assert paired, "the previous report must be the same agency's, one year earlier; children of the same year"
    ((rebuilt, context),) = paired
    assert context.previous is not None or "previous" not in case
    return engine.run(rebuilt, rules, "case.txt", context)


def case_text(case: dict) -> str:
    text = case["text"] if "text" in case else fixture_text(case["fixture"])
    for old, new in case.get("replace", []):
        assert text.count(old) == 1, f"replace target must occur once: {old!r} ({text.count(old)}x)"
        text = text.replace(old, new)
    return text


def matches(finding, want: dict) -> bool:
    loc = finding.location
    checks = {
        "level": finding.level,
        "section": loc.section,
        "table": loc.table,
        "row": loc.row,
        "col": loc.col,
        "line": loc.line,
        "rule": finding.rule,
    }
    related = list(getattr(finding, "related", ()))
    if len(related) != len(want.get("related", [])):
        return False
    for rel in want.get("related", []):
        hit = next((r for r in related if matches(r, rel)), None)
        if hit is None:
            return False
        related.remove(hit)
    for key, value in want.items():
        if key == "related":
            continue
        if key == "contains":
            if value not in finding.message:
                return False
        elif checks[key] != value:
            return False
    return True


@pytest.mark.parametrize("rule_id, case", list(load_cases()))
def test_rule_case(all_rules, rule_id, case):
    rules = [r for r in all_rules if r.id == rule_id]
    assert rules, f"no rule {rule_id}"
    found = case_findings(case, rules)
    expect = case["expect"]
    assert len(found) == len(expect), [f.message for f in found]
    unmatched = list(found)
    for want in expect:
        hit = next((f for f in unmatched if matches(f, want)), None)
        assert hit is not None, f"no finding matches {want}: {[f.message for f in unmatched]}"
        unmatched.remove(hit)
