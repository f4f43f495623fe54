"""JSON output: a flat list of finding records with stable keys."""

from __future__ import annotations

import json
from typing import TextIO

from linter.models import LintResult


def records(result: LintResult) -> list[dict]:
    out = [f.record() for f in result.findings]
    for fr in result.files:
        if fr.error:
            out.append(
                {
                    "file": fr.path,
                    "rule": None,
                    "name": "unreadable-file",
                    "category": "parse-error",
                    "level": "error",
                    "message": fr.error,
                    "location": {},
                    "where": "",
                }
            )
    return out


def render(result: LintResult, out: TextIO) -> None:
    json.dump(records(result), out, ensure_ascii=False, indent=2)
    out.write("\n")
