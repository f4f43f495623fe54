"""JUnit XML for CI servers: a test suite per file, a failing test case per error or warning.

Characters XML 1.0 forbids (NUL, ESC …) are shown escaped, so the file always parses."""

from __future__ import annotations

from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from linter.models import LintResult
from linter.safetext import xml_text


def _attr(text: str) -> str:
    return quoteattr(xml_text(text))


def render(result: LintResult, out: TextIO) -> None:
    failures = sum(1 for f in result.findings if f.level != "info") + sum(1 for fr in result.files if fr.error)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="nianbao-lint" tests="{max(len(result.files), 1)}" failures="{failures}">\n')
    for fr in result.files:
        shown = [f for f in fr.findings if f.level != "info"]
        out.write(
            f'  <testsuite name={_attr(fr.path)} tests="{max(len(shown), 1)}" '
            f'failures="{len(shown) + (1 if fr.error else 0)}">\n'
        )
        if fr.error:
            out.write(
                f'    <testcase classname={_attr(fr.path)} name="read">'
                f"<failure message={_attr(fr.error)}/></testcase>\n"
            )
        elif not shown:
            out.write(f'    <testcase classname={_attr(fr.path)} name="nianbao-lint"/>\n')
        for f in shown:
            name = f"{f.rule} {f.location.describe() or f.fingerprint}"
            out.write(
                f"    <testcase classname={_attr(fr.path)} name={_attr(name)}>"
                f"<failure type={_attr(f.level)} message={_attr(f.message)}>"
                f"{escape(xml_text(f.fix or ''))}</failure></testcase>\n"
            )
        out.write("  </testsuite>\n")
    out.write("</testsuites>\n")
