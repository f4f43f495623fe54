"""Rule documentation in the terminal: ``rules`` (a table of all rules) and ``explain ID``."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from linter import engine
from linter.render.console import NAME, STYLE


def list_rules(out: TextIO) -> None:
    table = Table(title="nianbao-lint 规则", show_lines=False)
    for col in ("编号", "名称", "类别", "级别", "说明"):
        table.add_column(col, no_wrap=col != "说明")
    for rule in engine.load_rules():
        s = rule.spec
        table.add_row(s.id, s.name, s.category, f"[{STYLE[s.level]}]{NAME[s.level]}[/]", s.summary)
    Console(file=out, highlight=False).print(table)


def find(ident: str) -> engine.Rule | None:
    for rule in engine.load_rules():
        if ident.upper() == rule.spec.id or ident == rule.spec.name:
            return rule
    return None


def markdown(rule: engine.Rule) -> str:
    s = rule.spec
    return (
        f"# {s.id} {s.name}\n\n**{s.summary}**\n\n"
        f"- 类别：`{s.category}`\n- 默认级别：{NAME[s.level]}（{s.level}）\n- 依据：{s.basis}\n\n"
        f"## 为什么重要\n\n{s.why}\n\n## 如何修改\n\n{s.fix}\n\n"
        f"## 示例\n\n不符合：\n\n```text\n{s.examples.bad}\n```\n\n符合：\n\n```text\n{s.examples.good}\n```\n"
    )


def explain(ident: str, out: TextIO) -> int:
    rule = find(ident)
    if rule is None:
        import sys

        print(f"nianbao-lint: 没有规则 {ident}；用 `nianbao-lint rules` 查看全部规则", file=sys.stderr)
        return 2
    Console(file=out, highlight=False).print(Markdown(markdown(rule)))
    return 0
