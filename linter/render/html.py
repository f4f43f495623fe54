"""``--format html``: one self-contained page showing each report itself, annotated: a table of
contents, counts by level, filters by level and rule, the year evidence, the sections in order
with each finding beside its passage, and tables 二/三/四 as grids with every flagged cell
highlighted and its finding beside it, and the run's rules with their levels as configured. No
external file is fetched; the only script is the page's own filter, allowed by its hash; every
piece of document text is escaped."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from html import escape
from typing import TextIO

from linter.levels import LEVELS, worst
from linter.levels import NAMES as NAME
from linter.models import LintResult
from linter.render import category_label, rule_docs

STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;line-height:1.55}
header{background:#f3f5f8;padding:1em 2em;border-bottom:1px solid #d8dde5}
main{padding:0 2em 3em}h1{font-size:1.35em;margin:.2em 0}h2{font-size:1.2em;margin-top:2em;border-bottom:2px solid #ccd}
h3{font-size:1.05em;margin:1.4em 0 .4em}nav ol{margin:.3em 0;padding-left:1.4em}nav{font-size:.92em}
.row{display:grid;grid-template-columns:minmax(0,3fr) minmax(16em,2fr);gap:1.2em;align-items:start}
.text p{margin:.25em 0}.text p.flagged{background:#fff4d6;outline:1px solid #f0c36d}
.finding{border-left:4px solid #999;padding:.2em .6em;margin:.25em 0;background:#fafafa;font-size:.92em}
.finding.error{border-color:#c62828}.finding.warning{border-color:#ef8f00}.finding.info{border-color:#1e88e5}
.lv{font-weight:bold}.lv.error{color:#b00020}.lv.warning{color:#a15c00}.lv.info{color:#006d8f}
.fix,.where{color:#555}.grid{border-collapse:collapse;font-size:.88em;margin:.4em 0}
.grid td,.grid th{border:1px solid #ccc;padding:.2em .4em;text-align:right;vertical-align:top}
.grid th{background:#f1f1f1;font-weight:normal}.grid td.label{text-align:left;max-width:22em}
.grid td.notes{text-align:left;min-width:18em;border:none}
.grid .flag{background:#ffd9d9;outline:2px solid #c62828;font-weight:bold}.grid .flag.warning{background:#ffe9c2;outline-color:#ef8f00}
.grid .flag.info{background:#dcecff;outline-color:#1e88e5}.counts span{margin-right:1.4em}.evidence{color:#444}
.filters label{margin-right:1em}.missing{color:#b00020}.rules td{text-align:left}"""
SCRIPT = """function apply(){var on={};document.querySelectorAll('input[data-level]').forEach(function(b){on[b.dataset.level]=b.checked;});
var rule=document.getElementById('rule').value;document.querySelectorAll('.finding').forEach(function(f){
f.hidden=!(on[f.dataset.level]&&(!rule||f.dataset.rule===rule));});}
function fromHash(){var q=new URLSearchParams(location.hash.slice(1));if(q.has('rule')){document.getElementById('rule').value=q.get('rule');}
if(q.has('level')){var keep=q.get('level').split(',');document.querySelectorAll('input[data-level]').forEach(function(b){
b.checked=keep.indexOf(b.dataset.level)>=0;});}apply();}
document.addEventListener('change',apply);window.addEventListener('hashchange',fromHash);fromHash();"""
MARKS = {"blank": "（空白）", "placeholder": None, "missing": "？", "unreadable": "！"}


def _finding(f, with_place: bool = True) -> str:
    where = f.location.describe()
    place = f"<div class='where'>{escape(where)}</div>" if with_place and where else ""
    fix = getattr(f, "fix", None)  # a related part (merged into another's cause) has no fix of its own
    fix = f"<div class='fix'>修改建议：{escape(fix)}</div>" if fix and f.level != "info" else ""
    evidence = ""
    if getattr(f, "expected", None) is not None or getattr(f, "actual", None) is not None:
        evidence = f"<div>应为 {escape(str(f.expected))}，实为 {escape(str(f.actual))}</div>"
    return (
        f"<div class='finding {f.level}' data-level='{f.level}' data-rule='{escape(f.rule, True)}'>"
        f"<span class='lv {f.level}'>{NAME[f.level]}</span> <b>{escape(f.rule)}</b> "
        f"<small>{escape(category_label(f.category))}</small><div>{escape(f.message)}</div>{evidence}{fix}{place}</div>"
    )


def _same_place(a, b) -> bool:
    """Whether a finding's physical location is that of a paragraph (or table)."""
    if a.page is not None or a.line is not None:
        return (a.page, a.line) == (b.page, b.line)
    if a.paragraph is not None:
        return a.paragraph == b.paragraph
    return False


def _cell_text(cell) -> str:
    if cell.has_value:
        return escape(str(cell.value))
    mark = MARKS.get(cell.status.value, "？")
    return escape(cell.raw) if mark is None else mark


def _grid(table, spec, findings, anchor: str) -> str:
    columns = list(dict.fromkeys(c for r in spec.rows for c in spec.row_columns(r)))
    by_cell, by_row, by_col, whole = {}, {}, {}, []
    for f in findings:
        loc = f.location
        if loc.row and loc.col:
            by_cell.setdefault((loc.row, loc.col), []).append(f)
        elif loc.row:
            by_row.setdefault(loc.row, []).append(f)
        elif loc.col:
            by_col.setdefault(loc.col, []).append(f)
        else:
            whole.append(f)
    head = ["<th>项目</th>"]
    for c in columns:
        flag = by_col.get(c)
        head.append(f"<th class='{'flag ' + _worst(flag) if flag else ''}'>{escape(spec.column(c).label)}</th>")
    rows = []
    for row in spec.rows:
        cols = spec.row_columns(row)
        notes = list(by_row.get(row.key, []))
        label_flag = f" flag {_worst(notes)}" if notes else ""
        cells = [f"<td class='label{label_flag}'>{escape(table.row_labels.get(row.key) or row.label)}</td>"]
        for c in columns:
            if c not in cols:
                cells.append("<td></td>")
                continue
            flagged = by_cell.get((row.key, c), [])
            notes += flagged
            attrs = (
                (
                    f" class='flag {_worst(flagged)}' data-rules='{escape(' '.join(f.rule for f in flagged), True)}'"
                    f" title='{escape('；'.join(f.message for f in flagged), True)}'"
                )
                if flagged
                else ""
            )
            cells.append(
                f"<td{attrs} data-cell='{escape(row.key + '/' + c, True)}'>{_cell_text(table.cell(row.key, c))}</td>"
            )
        cells.append("<td class='notes'>" + "".join(_finding(f, False) for f in notes) + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    top = "".join(_finding(f) for f in whole + [f for fs in by_col.values() for f in fs])
    return (
        f"<div id='{anchor}'>{top}<table class='grid'><tr>{''.join(head)}<th></th></tr>{''.join(rows)}</table>"
        "<p class='where'>（空白）＝未填写，？＝未找到该行，！＝无法确定所在列</p></div>"
    )


def _worst(findings) -> str:
    return worst(f.level for f in findings)


def _rules(result: LintResult) -> str:
    """The run's rules that gave findings or whose level a configuration changed: id, level as
    configured (saying so where it is not the rule file's), summary and how many findings
    (merged ones included) each gave."""
    docs = rule_docs(result)
    found = Counter(rule for f in result.findings for rule in f.rules())
    changed = sum(1 for info in docs.values() if info.reconfigured)
    rows = []
    for info in sorted(docs.values(), key=lambda r: r.id):
        if not found.get(info.id) and not info.reconfigured:
            continue
        level = f"<span class='lv {info.level}'>{NAME[info.level]}</span>"
        if info.reconfigured:
            level += f" <small class='configured'>（按配置；规则文件为{NAME[info.rule_file_level]}）</small>"
        rows.append(
            f"<tr data-rule='{escape(info.id, True)}' data-level='{info.level}'><td><b>{escape(info.id)}</b></td>"
            f"<td>{level}</td><td>{escape(info.summary)}</td><td>{found.get(info.id, 0)}</td></tr>"
        )
    summary = f"本次检查运行 {len(docs)} 条规则，{sum(1 for i in docs if found.get(i))} 条报出问题" + (
        f"，{changed} 条的级别按配置调整" if changed else ""
    )
    return (
        f"<details class='rules'><summary>{summary}</summary><table class='grid'><tr><th>规则</th><th>级别</th>"
        f"<th>说明</th><th>问题数</th></tr>{''.join(rows)}</table></details>"
    )


def _report(i: int, fr, report) -> str:
    from linter.formats import load_format

    findings = list(fr.findings)
    counts = Counter(f.level for f in findings)
    fmt = load_format(report.version)
    keys = [s.key for s in fmt.sections]
    parts_of = [p for f in findings for p in (f, *(f.related or []))]  # a merged cause flags all its cells
    table_findings = {k: [p for p in parts_of if p.location.table == k] for k in fmt.tables}
    placed = {id(f) for fs in table_findings.values() for f in fs}
    body: dict[str | None, list] = {None: []}
    current = None
    heads = {(s.loc.page, s.loc.line, s.loc.paragraph): k for k, s in report.sections.items()}
    for n, p in enumerate(report.paragraphs):
        current = heads.get((p.loc.page, p.loc.line, p.loc.paragraph), current) if n >= report.body_start else current
        mine = [f for f in findings if id(f) not in placed and _same_place(f.location, p.loc)]
        placed.update(id(f) for f in mine)
        body.setdefault(current, []).append((p, mine))
    per_section = {k: [f for f in findings if id(f) not in placed and f.location.section == k] for k in keys}
    placed.update(id(f) for fs in per_section.values() for f in fs)
    general = [f for f in findings if id(f) not in placed]
    m = report.meta
    from linter.dump import _decision
    from linter.models import YEAR_SOURCE_NAMES as SOURCE

    witnesses = "；".join(
        f"{SOURCE[e.source]}「{escape(e.text[:40])}」→{e.year}"
        + (f"（{escape(e.loc.describe())}）" if e.loc and e.loc.describe() else "")
        for e in m.evidence
    )
    evidence = (
        f"<p class='evidence'>年度：<b>{m.year or '未识别'}</b>（{escape(_decision(m))}"
        + (f"：{witnesses}" if witnesses else "")
        + f"）；机关：{escape(m.agency or '未识别')}；按 {escape(fmt.name)} 检查</p>"
    )
    toc, parts = [], []

    def paragraphs(items) -> str:
        out = []
        for p, mine in items:
            cls = " class='flagged'" if mine else ""
            out.append(
                f"<div class='row'><div class='text'><p{cls}>{escape(p.text)}</p></div>"
                f"<div>{''.join(_finding(f) for f in mine)}</div></div>"
            )
        return "".join(out)

    if body.get(None):
        parts.append(f"<h3 id='r{i}-head'>标题与开头</h3>" + paragraphs(body[None]))
        toc.append(f"<li><a href='#r{i}-head'>标题与开头</a></li>")
    for spec in fmt.sections:
        key, section = spec.key, report.sections.get(spec.key)
        anchor = f"r{i}-s{key}"
        title = (
            f"{escape(section.number)}、{escape(section.title)}"
            if section
            else f"{key}、{escape(spec.title)} <span class='missing'>（未找到）</span>"
        )
        mark = f" <span class='lv error'>{len(per_section[key])}</span>" if per_section[key] else ""
        toc.append(f"<li><a href='#{anchor}'>{title}</a>{mark}</li>")
        parts.append(
            f"<h3 id='{anchor}'>{title}</h3><div class='row'><div></div><div>"
            + "".join(_finding(f) for f in per_section[key])
            + "</div></div>"
        )
        parts.append(paragraphs(body.get(key, [])))
        if key in report.tables and key in fmt.tables:
            table = report.tables[key]
            tspec = load_format(table.layout or report.version).tables[key]
            caption = f"表{key} {escape(tspec.title)}" + (
                "" if table.found else " <span class='missing'>（未找到）</span>"
            )
            toc.append(f"<li><a href='#r{i}-t{key}'>{caption}</a></li>")
            parts.append(f"<h3>{caption}</h3>" + _grid(table, tspec, table_findings[key], f"r{i}-t{key}"))
    summary = "".join(f"<span class='lv {lv}'>{NAME[lv]} {counts.get(lv, 0)}</span>" for lv in LEVELS)
    return (
        f"<section class='report' id='r{i}'><h2>{escape(fr.path)}</h2><p class='counts'>{summary}</p>{evidence}"
        f"<nav><b>目录</b><ol>{''.join(toc)}</ol></nav>"
        + ("<h3>全文</h3>" + "".join(_finding(f) for f in general) if general else "")
        + "".join(parts)
        + "</section>"
    )


def render(result: LintResult, out: TextIO, reports: dict | None = None) -> None:
    reports = reports or {}
    counts = {lv: result.count(lv) for lv in LEVELS}
    rules = sorted({f.rule for f in result.findings})
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'\">",
        f"<title>nianbao-lint 检查结果</title><style>{STYLE}</style></head><body><header>",
        "<h1>政府信息公开工作年度报告检查结果</h1>",
        f"<p class='counts'>共 {len(result.files)} 个文件："
        + "".join(f"<span class='lv {lv}'>{NAME[lv]} {counts[lv]}</span>" for lv in LEVELS)
        + "</p>",
        "<p class='filters'>显示："
        + "".join(f"<label><input type='checkbox' data-level='{lv}' checked> {NAME[lv]}</label>" for lv in LEVELS),
        "<label>规则 <select id='rule'><option value=''>全部</option>"
        + "".join(f"<option value='{escape(r, True)}'>{escape(r)}</option>" for r in rules)
        + "</select></label></p>",
        _rules(result),
    ]
    if len(result.files) > 1:
        parts.append(
            "<nav><ol>"
            + "".join(f"<li><a href='#r{i}'>{escape(fr.path)}</a></li>" for i, fr in enumerate(result.files))
            + "</ol></nav>"
        )
    parts.append("</header><main>")
    for i, fr in enumerate(result.files):
        report = reports.get(fr.path)
        if fr.error or report is None:
            parts.append(
                f"<section class='report' id='r{i}'><h2>{escape(fr.path)}</h2>"
                + (f"<p class='lv error'>{escape(fr.error)}</p>" if fr.error else "")
                + "".join(_finding(f) for f in fr.findings)
                + "</section>"
            )
            continue
        parts.append(_report(i, fr, report))
    parts.append(f"</main><script>{SCRIPT}</script></body></html>\n")
    out.write("".join(parts))
