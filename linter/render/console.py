"""Console output with rich: findings grouped by file in the order they occur, coloured levels,
a summary line. At 100 columns and more each finding is a table row; in a narrower terminal
the message and the fix go on lines of their own below the level, rule and place.

Document text and file names are passed as ``Text`` (never parsed as markup) with control
characters shown escaped, so nothing in a report can drive the terminal."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from linter.levels import LEVELS, STYLE
from linter.levels import NAMES as NAME
from linter.models import LintResult
from linter.safetext import printable

WIDE = 100  # columns from which the table layout leaves the message column room enough


def _console(out: TextIO) -> Console:
    width = None if out.isatty() else int(os.environ.get("COLUMNS") or 160)
    return Console(file=out, no_color="NO_COLOR" in os.environ, highlight=False, width=width)


def _message(f) -> Text:
    message = Text(printable(f.message))
    if f.fix and f.level != "info":
        message.append(f"\n修改建议：{printable(f.fix)}", style="dim")
    return message


def _wide(console: Console, findings) -> None:
    table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 1))
    table.add_column("level", no_wrap=True)
    table.add_column("rule", no_wrap=True)
    table.add_column("where", style="dim", max_width=30, overflow="fold")
    table.add_column("message", ratio=1, overflow="fold")
    for f in findings:
        table.add_row(
            Text(NAME[f.level], style=STYLE[f.level]),
            Text(f"{f.rule} {f.category}", style="bold"),
            Text(printable(f.location.describe())),
            _message(f),
        )  # never markup
    console.print(table)


def _narrow(console: Console, findings) -> None:
    for f in findings:
        head = Text.assemble((NAME[f.level], STYLE[f.level]), " ", (f"{f.rule} {f.category}", "bold"))
        where = printable(f.location.describe())
        if where:
            head.append(f"  {where}", style="dim")
        console.print(head, overflow="fold")
        for line in _message(f).wrap(console, max(console.width - 2, 20), overflow="fold"):
            console.print(Text("  ") + line, overflow="fold", crop=False)


def render(result: LintResult, out: TextIO, quiet: bool = False) -> None:
    console = _console(out)
    layout = _wide if console.width >= WIDE else _narrow
    for fr in result.files:
        header = Text(printable(fr.path), style="bold underline")
        if fr.error:
            console.print(header, Text(f"  {printable(fr.error)}", style="bold red"))
            continue
        if not fr.findings:
            if not quiet:
                console.print(header, Text("  未发现问题", style="green"))
            continue
        console.print(header)
        layout(console, fr.findings)
        console.print()
    if quiet:
        return
    counts = {level: result.count(level) for level in LEVELS}
    unreadable = sum(1 for fr in result.files if fr.error)
    summary = Text(f"共检查 {len(result.files)} 个文件：")
    summary.append(f"{counts['error']} 个错误", style=STYLE["error"] if counts["error"] else "green")
    summary.append(f"，{counts['warning']} 个警告，{counts['info']} 条提示")
    if unreadable:
        summary.append(f"，{unreadable} 个文件无法读取", style="bold red")
    console.print(summary)
