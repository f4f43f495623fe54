"""``--statistics``: how many findings each rule produced, most first."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from linter.models import LintResult


def render(result: LintResult, out: TextIO) -> None:
    counts = Counter((f.rule, f.name, f.level) for f in result.findings)
    for (rule, name, level), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write(f"{n:6d}  {rule}  {name}  [{level}]\n")
    out.write(f"{sum(counts.values()):6d}  共计（{len(result.files)} 个文件）\n")
