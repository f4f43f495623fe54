"""``--format concise``: one line per finding, ``path:line:col: RULE message``, for editors'
error lists and grep. The line is counted from the start of the file (PDF pages included);
where the line alone does not say it, the place follows the message in brackets."""

from __future__ import annotations

from typing import TextIO

from linter.levels import NAMES as LEVEL_NAMES
from linter.models import LintResult
from linter.render import absolute_line


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(result: LintResult, out: TextIO) -> None:
    for fr in result.files:
        if fr.error:
            out.write(f"{fr.path}:1:1: 文件无法检查 {_one_line(fr.error)}\n")
            continue
        for f in fr.findings:
            loc = f.location
            line = absolute_line(fr, loc) or 1
            where = " · ".join(
                p
                for p in (
                    f"第{loc.page}页" if loc.page else "",
                    loc.logical(),
                    loc.physical() if loc.line is None and loc.page is None else "",
                )
                if p
            )
            tail = f"（{where}）" if where else ""
            out.write(f"{fr.path}:{line}:1: {f.rule} [{LEVEL_NAMES[f.level]}] {_one_line(f.message)}{tail}\n")
