"""One self-contained HTML page (no scripts, no external files) for one or many reports: each
finding beside the passage or table cell it concerns. Every piece of document text is escaped."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import TextIO

from linter.models import LintResult

STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
.error{color:#b00020;font-weight:bold}.warning{color:#a15c00;font-weight:bold}.info{color:#006d8f}
.where{color:#555;white-space:nowrap}.excerpt{background:#fff8d6;font-family:monospace}
.fix{color:#555;font-size:.92em}.summary{margin:.5em 0 1em}"""
NAME = {"error": "错误", "warning": "警告", "info": "提示"}


def render(result: LintResult, out: TextIO) -> None:
    counts = {lv: result.count(lv) for lv in ("error", "warning", "info")}
    parts = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
             "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
             f"<title>nianbao-lint 检查结果</title><style>{STYLE}</style></head><body>",
             "<h1>政府信息公开工作年度报告检查结果</h1>",
             f"<p class='summary'>共 {len(result.files)} 个文件：{counts['error']} 个错误，"
             f"{counts['warning']} 个警告，{counts['info']} 条提示</p>"]
    for fr in result.files:
        parts.append(f"<h2>{escape(fr.path)}</h2>")
        if fr.error:
            parts.append(f"<p class='error'>{escape(fr.error)}</p>")
            continue
        if not fr.findings:
            parts.append("<p>未发现问题</p>")
            continue
        by_place = defaultdict(list)
        for f in fr.findings:
            by_place[f.location.describe() or "全文"].append(f)
        parts.append("<table><tr><th>位置</th><th>级别</th><th>规则</th><th>问题与原文</th></tr>")
        for place, findings in by_place.items():
            for f in findings:
                evidence = f"<div class='excerpt'>{escape(f.excerpt)}</div>" if f.excerpt else ""
                if f.expected is not None or f.actual is not None:
                    evidence += f"<div>应为 {escape(str(f.expected))}，实为 {escape(str(f.actual))}</div>"
                parts.append(
                    f"<tr><td class='where'>{escape(place)}</td><td class='{f.level}'>{NAME[f.level]}</td>"
                    f"<td>{escape(f.rule)}<br>{escape(f.category)}</td><td>{escape(f.message)}{evidence}"
                    f"<div class='fix'>修改建议：{escape(f.fix or '')}</div></td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    out.write("".join(parts))
