"""JUnit XML for CI servers: a test suite per file, a failing test case per error or warning."""

from __future__ import annotations

from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from linter.models import LintResult


def render(result: LintResult, out: TextIO) -> None:
    failures = sum(1 for f in result.findings if f.level != "info") + sum(1 for fr in result.files if fr.error)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="nianbao-lint" tests="{max(len(result.files), 1)}" failures="{failures}">\n')
    for fr in result.files:
        shown = [f for f in fr.findings if f.level != "info"]
        out.write(f'  <testsuite name={quoteattr(fr.path)} tests="{max(len(shown), 1)}" '
                  f'failures="{len(shown) + (1 if fr.error else 0)}">\n')
        if fr.error:
            out.write(f'    <testcase classname={quoteattr(fr.path)} name="read">'
                      f'<failure message={quoteattr(fr.error)}/></testcase>\n')
        elif not shown:
            out.write(f'    <testcase classname={quoteattr(fr.path)} name="nianbao-lint"/>\n')
        for f in shown:
            name = f"{f.rule} {f.location.describe() or f.fingerprint}"
            out.write(f'    <testcase classname={quoteattr(fr.path)} name={quoteattr(name)}>'
                      f'<failure type={quoteattr(f.level)} message={quoteattr(f.message)}>'
                      f'{escape(f.fix or "")}</failure></testcase>\n')
        out.write("  </testsuite>\n")
    out.write("</testsuites>\n")
