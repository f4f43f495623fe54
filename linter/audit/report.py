"""``audit-report``: a self-contained, offline HTML dashboard (charts by plotly, its library
embedded) and an XLSX workbook from an audit database. Document text is always escaped.

Agencies are the names read from the reports, normalised: spacing and bracket forms unified,
and a name printed without its city or province (洪泽区人民政府) joined to the one form in the
audit that adds it (淮安市洪泽区人民政府). Labels are Chinese with the public ids beside them.
Rules are described as the last audit configured them (their level, summary and fix), as the
database records them for its run."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from linter.audit.db import current_views, open_for_reading
from linter.levels import COLOUR, LEVELS, sql_list, sql_order
from linter.levels import NAMES as NAME
from linter.render import CATEGORY_NAMES, category_label
from linter.safetext import xml_text

UNKNOWN = "（未识别机关）"
_PREFIX = re.compile(r"^(?:.{2,10}?(?:省|自治区|特别行政区))?(?:.{2,10}?(?:市|自治州|地区|盟))?")
_PLACE = re.compile(r"^[^省市区县旗]{2,8}?(?:自治县|自治旗|新区|区|县|市|旗)")  # 洪泽区…, not 市场… or 城市…


def _clean(name: str | None) -> str:
    return re.sub(r"\s+", "", (name or "").replace("(", "（").replace(")", "）"))


def agency_names(names) -> dict[str, str]:
    """Each agency name as read → the name it is counted under."""
    clean = {n: _clean(n) for n in names if n}
    forms = set(clean.values())
    joined = {}
    for form in forms:
        longer = [o for o in forms if o != form and o.endswith(form) and _PREFIX.fullmatch(o[: -len(form)])]
        longest = max(longer, key=len, default=None)
        nested = longest is not None and all(longest.endswith(o) for o in longer)  # 淮安市… inside 江苏省淮安市…
        joined[form] = longest if nested and _PLACE.match(form) else form
    return {raw: joined.get(c, c) or UNKNOWN for raw, c in clean.items()}


def _region_of(agency: str) -> str | None:
    m = re.match(r"^(.+?(?:自治区|省|市))", agency)
    return m.group(1) if m and agency != UNKNOWN else None


def run_rules(con) -> dict[str, dict]:
    """id → the rule as the last audit that recorded its rules configured it (``RuleInfo``
    fields: level, rule_file_level, summary, fix …); for a database from before rules were
    recorded, the rule files as they are."""
    if "rules" in {row[1] for row in con.execute("PRAGMA table_info(runs)")}:
        row = con.execute("SELECT rules FROM runs WHERE rules IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        try:
            rules = json.loads(row[0]) if row else None
        except ValueError:
            rules = None
        if isinstance(rules, list) and all(isinstance(r, dict) and "id" in r for r in rules):
            return {r["id"]: r for r in rules}
    from linter import engine

    return {r.spec.id: r.info().model_dump() for r in engine.load_rules()}


def collect(db: str | Path, include_info: bool = False) -> dict:
    con = open_for_reading(db)  # read only; immutable where the database cannot be written
    current_views(con)  # files gone from their folder are left out
    q = lambda sql, *a: con.execute(sql, a).fetchall()  # noqa: E731
    levels = sql_list(LEVELS if include_info else LEVELS[:-1])
    files = q("SELECT path, agency, year, region, errors, warnings, infos FROM current_files WHERE status='ok'"
              " ORDER BY errors DESC, warnings DESC, path")
    names = agency_names({a for _, a, *_ in files})
    files = [(p, names.get(a, UNKNOWN) if a else UNKNOWN, y, r, e, w, i) for p, a, y, r, e, w, i in files]
    files = [(p, a, y, r or _region_of(a), e, w, i) for p, a, y, r, e, w, i in files]
    agencies: dict[str, list[int]] = {}
    for _, agency, _, _, e, w, _ in files:
        row = agencies.setdefault(agency, [0, 0, 0])
        row[0], row[1], row[2] = row[0] + 1, row[1] + (e or 0), row[2] + (w or 0)
    by_path = {p: (a, y, r) for p, a, y, r, *_ in files}
    rules = run_rules(con)
    findings = q("SELECT path, rule, category, level, place, message FROM current_findings"
                 f" ORDER BY path, {sql_order()}, rule")
    data = {
        "totals": q("SELECT count(*), sum(status='ok'), sum(status='failed'), coalesce(sum(errors),0),"
                    " coalesce(sum(warnings),0), coalesce(sum(infos),0) FROM current_files")[0],
        "categories": q(f"SELECT category, level, count(*) FROM current_findings WHERE level IN {levels}"
                        " GROUP BY category, level ORDER BY 3 DESC"),
        "rules": [(r, rules.get(r, {}).get("summary", n), rules.get(r, {}).get("level", lv), c) for r, n, lv, c in
                  q("SELECT rule, name, level, count(*) FROM current_findings GROUP BY rule ORDER BY 4 DESC, rule")],
        "rule_docs": rules,
        "agencies": sorted(((a, n, e, w) for a, (n, e, w) in agencies.items()), key=lambda r: (-r[2], -r[3], r[0])),
        "years": q("SELECT coalesce(year,0), count(*), sum(errors), sum(warnings) FROM current_files GROUP BY year ORDER BY 1"),
        "failed": q("SELECT path, reason FROM current_files WHERE status='failed' ORDER BY path"),
        "files": [(p, a, y, e, w, i) for p, a, y, r, e, w, i in files],
        "findings": findings,
        "sheet": [(p, *by_path.get(p, ("", None, None)), rule, category_label(cat), NAME.get(lv, lv), place, message,
                   rules.get(rule, {}).get("fix", "")) for p, rule, cat, lv, place, message in findings],
        "run": q("SELECT started, finished, tool_version, ruleset FROM runs ORDER BY id DESC LIMIT 1"),
        "include_info": include_info,
    }
    con.close()
    return data


def _plain(label) -> str:
    """A chart label as plain text: plotly reads <a>, <span style> and the like in labels as
    markup, and shows entities as the characters they stand for."""
    return str(label).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _charts(data: dict) -> list[str]:
    import plotly.graph_objects as go

    def div(fig, name):
        fig.update_layout(height=360, margin=dict(l=40, r=20, t=50, b=120), font=dict(size=12))
        return fig.to_html(full_html=False, include_plotlyjs=False, div_id=name, config={"displaylogo": False})

    by_cat: dict[str, dict[str, int]] = {}
    for cat, level, n in data["categories"]:
        by_cat.setdefault(cat, {})[level] = n
    cats = list(by_cat)
    shown = LEVELS if data["include_info"] else LEVELS[:-1]
    cat_fig = go.Figure([go.Bar(name=NAME[lv], x=[_plain(category_label(c)) for c in cats],
                                y=[by_cat[c].get(lv, 0) for c in cats], marker_color=COLOUR[lv]) for lv in shown])
    cat_fig.update_layout(barmode="stack", title="各类别问题数" + ("" if data["include_info"] else "（不含提示）"),
                          showlegend=True, legend_title_text="级别")
    rules = data["rules"][:20]
    rule_fig = go.Figure([go.Bar(name=NAME[lv], x=[_plain(f"{r} {s[:12]}") for r, s, l2, _ in rules if l2 == lv],
                                 y=[c for _, _, l2, c in rules if l2 == lv], marker_color=COLOUR[lv])
                          for lv in LEVELS if any(l2 == lv for _, _, l2, _ in rules)])
    rule_fig.update_layout(title="问题最多的规则", showlegend=True, legend_title_text="级别（按本次配置）")
    top = data["agencies"][:20]
    agency_fig = go.Figure([go.Bar(name=NAME["error"], x=[_plain(a) for a, *_ in top], y=[e for _, _, e, _ in top],
                                   marker_color=COLOUR["error"]),
                            go.Bar(name=NAME["warning"], x=[_plain(a) for a, *_ in top], y=[w for *_, w in top],
                                   marker_color=COLOUR["warning"])])
    agency_fig.update_layout(title="问题最多的机关", barmode="group", showlegend=True)
    years = [y for y in data["years"] if y[0]]
    year_fig = go.Figure([go.Bar(name="报告数", x=[y for y, *_ in years], y=[n for _, n, _, _ in years]),
                          go.Scatter(name="错误数", x=[y for y, *_ in years], y=[e for _, _, e, _ in years])])
    year_fig.update_layout(title="各年度报告数与错误数", xaxis=dict(type="category"), showlegend=True)
    return [div(cat_fig, "chart-categories"), div(rule_fig, "chart-rules"), div(agency_fig, "chart-agencies"),
            div(year_fig, "chart-years")]


def _rule_table(data: dict) -> str:
    """The rules that gave findings, with the level the audit's configuration gave them (and
    the rule file's, where the configuration changed it)."""
    docs = data["rule_docs"]
    rows = []
    for rule, summary, level, n in data["rules"]:
        shown = f"<span class='{escape(level)}'>{escape(NAME.get(level, level))}</span>"
        own = docs.get(rule, {}).get("rule_file_level", level)
        if own != level:
            shown += f"（按配置；规则文件为{escape(NAME.get(own, own))}）"
        rows.append((f"<code>{escape(rule)}</code>", shown, escape(summary or ""), n))
    return "<h2>各规则问题数</h2>" + (_table(["规则", "级别", "说明", "问题数"], rows, "rules") if rows else "<p>无</p>")


def _legend() -> str:
    rows = [(escape(name), f"<code>{escape(cat)}</code>") for cat, name in CATEGORY_NAMES.items()]
    return "<details><summary>类别说明</summary>" + _table(["类别", "标识"], rows) + "</details>"


def _table(head: list[str], rows: list, cls: str = "") -> str:
    out = [f"<table class='{cls}'><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "".join(out) + "</table>"


SCRIPT = """function show(){var id=location.hash.slice(1);document.querySelectorAll('section.detail').forEach(
function(s){s.hidden=s.id!==id;});var t=document.getElementById(id);if(t){t.scrollIntoView();}}
window.addEventListener('hashchange',show);window.addEventListener('load',show);"""
STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:1em}
.error{color:#b00020}.warning{color:#a15c00}.info{color:#006d8f}.kpi span{margin-right:2em;font-size:1.1em}"""


def html(data: dict) -> str:
    from plotly.offline import get_plotlyjs

    total, ok, failed, errors, warnings, infos = data["totals"]
    run = data["run"][0] if data["run"] else ("", "", "", "")
    ids = {path: f"f{i}" for i, (path, *_) in enumerate(data["files"])}
    files = [(f"<a href='#{ids[p]}'>{escape(p)}</a>", escape(a or ""), y or "", e, w, i)
             for p, a, y, e, w, i in data["files"]]
    details = []
    by_file: dict[str, list] = {}
    for path, rule, cat, level, place, message in data["findings"]:
        by_file.setdefault(path, []).append((f"<span class='{level}'>{NAME.get(level, level)}</span>",
                                             escape(rule), escape(category_label(cat)), escape(place or ""),
                                             escape(message)))
    for path, fid in ids.items():
        details.append(f"<section class='detail' id='{fid}' hidden><h3>{escape(path)}</h3>"
                       + _table(["级别", "规则", "类别", "位置", "问题"], by_file.get(path, []), "findings")
                       + "<p><a href='#files'>返回报告列表</a></p></section>")
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>年度报告审核结果</title>",
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script><script>{SCRIPT}</script></head><body>",
        "<h1>政府信息公开工作年度报告审核结果</h1>",
        f"<p class='kpi'><span>报告 {total} 份</span><span>已检查 {ok or 0}</span><span>失败 {failed or 0}</span>"
        + "".join(f"<span class='{lv}'>{NAME[lv]} {n}</span>" for lv, n in zip(LEVELS, (errors, warnings, infos)))
        + "</p>",
        f"<p>最近一次审核：{escape(str(run[0]))} 至 {escape(str(run[1]))}，nianbao-lint {escape(str(run[2]))}，"
        f"规则集 {escape(str(run[3]))}</p>",
        "<div class='grid'>" + "".join(_charts(data)) + "</div>", _legend(), _rule_table(data),
        "<h2>机关排名（按错误数）</h2>",
        _table(["机关", "报告数", NAME["error"], NAME["warning"]], [(escape(a), n, e, w) for a, n, e, w in data["agencies"]]),
        "<h2>处理失败的文件</h2>",
        _table(["文件", "原因"], [(escape(p), escape(r or "")) for p, r in data["failed"]]) if data["failed"]
        else "<p>无</p>",
        "<h2 id='files'>各报告（点击查看问题）</h2>",
        _table(["文件", "机关", "年度", *(NAME[lv] for lv in LEVELS)], files, "files"),
        *details, "</body></html>\n"]
    return "".join(parts)


FINDING_HEAD = ["文件", "机关", "年度", "地区", "规则", "类别", "级别", "位置", "问题", "修改建议"]
WIDTHS = {"文件": 36, "机关": 24, "年度": 7, "地区": 10, "规则": 9, "类别": 22, "级别": 6, "位置": 30, "问题": 60,
          "修改建议": 50, "报告数": 8, "错误": 7, "警告": 7, "原因": 60}


def _sheet(ws, title: str, head: list[str], rows) -> None:
    """One sheet a reader can sort and filter: bold frozen header, autofilter, sized and wrapped columns."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.title = title
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:  # characters XML forbids are shown escaped; text is never a formula
        ws.append([xml_text(v) if isinstance(v, str) else v for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, name in enumerate(head, start=1):
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = WIDTHS.get(name, 14)
        if WIDTHS.get(name, 14) >= 30:
            for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(ws.max_row, 1)}"


def xlsx(data: dict, path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheets = [("全部问题", FINDING_HEAD, data["sheet"]),
              ("各机关汇总", ["机关", "报告数", NAME["error"], NAME["warning"]], data["agencies"]),
              ("失败文件", ["文件", "原因"], data["failed"])]
    for n, (title, head, rows) in enumerate(sheets):
        _sheet(wb.active if n == 0 else wb.create_sheet(), title, head, rows)
    wb.save(path if hasattr(path, "write") else str(path))


def findings_workbook(records: list[dict], out) -> None:
    """One report's findings (``Finding.record()`` dicts) as a workbook, for ``serve``."""
    from openpyxl import Workbook

    wb = Workbook()
    rows = [(r["file"], r["rule"], category_label(r["category"]), NAME.get(r["level"], r["level"]), r["where"],
             r["message"], r.get("fix") or "") for r in records]
    _sheet(wb.active, "问题清单", ["文件", "规则", "类别", "级别", "位置", "问题", "修改建议"], rows)
    wb.save(out)


def write(db: str | Path, html_path: str | Path, xlsx_path: str | Path, include_info: bool = False) -> dict:
    data = collect(db, include_info)
    Path(html_path).write_text(html(data), encoding="utf-8")
    xlsx(data, xlsx_path)
    return data
