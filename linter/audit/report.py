"""``audit-report``: a self-contained, offline HTML dashboard (charts by plotly, its library
embedded) and an XLSX workbook from an audit database. Document text is always escaped."""

from __future__ import annotations

from html import escape
from pathlib import Path

from linter.audit.db import current_views, open_for_reading
from linter.safetext import xml_text

NAME = {"error": "错误", "warning": "警告", "info": "提示"}


def collect(db: str | Path) -> dict:
    con = open_for_reading(db)  # read only; immutable where the database cannot be written
    current_views(con)  # files gone from their folder are left out
    q = lambda sql, *a: con.execute(sql, a).fetchall()  # noqa: E731
    data = {
        "totals": q("SELECT count(*), sum(status='ok'), sum(status='failed'), coalesce(sum(errors),0),"
                    " coalesce(sum(warnings),0), coalesce(sum(infos),0) FROM current_files")[0],
        "categories": q("SELECT category, level, count(*) FROM current_findings GROUP BY category, level ORDER BY 3 DESC"),
        "rules": q("SELECT rule, name, level, count(*) FROM current_findings GROUP BY rule ORDER BY 4 DESC"),
        "agencies": q("SELECT coalesce(agency,'（未知）'), count(*), sum(errors), sum(warnings) FROM current_files"
                      " WHERE status='ok' GROUP BY agency ORDER BY 3 DESC, 4 DESC, 1"),
        "years": q("SELECT coalesce(year,0), count(*), sum(errors), sum(warnings) FROM current_files GROUP BY year ORDER BY 1"),
        "failed": q("SELECT path, reason FROM current_files WHERE status='failed' ORDER BY path"),
        "files": q("SELECT path, agency, year, errors, warnings, infos FROM current_files WHERE status='ok'"
                   " ORDER BY errors DESC, warnings DESC, path"),
        "findings": q("SELECT path, rule, category, level, place, message FROM current_findings"
                      " ORDER BY path, CASE level WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule"),
        "run": q("SELECT started, finished, tool_version, ruleset FROM runs ORDER BY id DESC LIMIT 1"),
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
    cats = [_plain(c) for c in by_cat]
    colour = {"error": "#c62828", "warning": "#ef8f00", "info": "#1e88e5"}
    cat_fig = go.Figure([go.Bar(name=NAME[lv], x=cats, y=[by_cat[c].get(lv, 0) for c in by_cat],
                                marker_color=colour[lv])
                         for lv in ("error", "warning", "info")])
    cat_fig.update_layout(barmode="stack", title="各类别问题数")
    rules = data["rules"][:20]
    rule_fig = go.Figure(go.Bar(x=[_plain(f"{r} {n}") for r, n, _, _ in rules], y=[c for *_, c in rules]))
    rule_fig.update_layout(title="问题最多的规则")
    top = data["agencies"][:20]
    agency_fig = go.Figure(go.Bar(x=[_plain(a) for a, *_ in top], y=[e for _, _, e, _ in top], name="错误"))
    agency_fig.update_layout(title="错误最多的机关")
    years = [y for y in data["years"] if y[0]]
    year_fig = go.Figure([go.Bar(name="报告数", x=[y for y, *_ in years], y=[n for _, n, _, _ in years]),
                          go.Scatter(name="错误数", x=[y for y, *_ in years], y=[e for _, _, e, _ in years])])
    year_fig.update_layout(title="各年度报告数与错误数", xaxis=dict(type="category"))
    return [div(cat_fig, "chart-categories"), div(rule_fig, "chart-rules"), div(agency_fig, "chart-agencies"),
            div(year_fig, "chart-years")]


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
                                             escape(rule), escape(cat), escape(place or ""), escape(message)))
    for path, fid in ids.items():
        details.append(f"<section class='detail' id='{fid}' hidden><h3>{escape(path)}</h3>"
                       + _table(["级别", "规则", "类别", "位置", "问题"], by_file.get(path, []), "findings")
                       + "<p><a href='#files'>返回报告列表</a></p></section>")
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>年度报告审核结果</title>",
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script><script>{SCRIPT}</script></head><body>",
        "<h1>政府信息公开工作年度报告审核结果</h1>",
        f"<p class='kpi'><span>报告 {total} 份</span><span>已检查 {ok or 0}</span><span>失败 {failed or 0}</span>"
        f"<span class='error'>错误 {errors}</span><span class='warning'>警告 {warnings}</span>"
        f"<span class='info'>提示 {infos}</span></p>",
        f"<p>最近一次审核：{escape(str(run[0]))} 至 {escape(str(run[1]))}，nianbao-lint {escape(str(run[2]))}，"
        f"规则集 {escape(str(run[3]))}</p>",
        "<div class='grid'>" + "".join(_charts(data)) + "</div>",
        "<h2>机关排名（按错误数）</h2>",
        _table(["机关", "报告数", "错误", "警告"], [(escape(a), n, e, w) for a, n, e, w in data["agencies"]]),
        "<h2>处理失败的文件</h2>",
        _table(["文件", "原因"], [(escape(p), escape(r or "")) for p, r in data["failed"]]) if data["failed"]
        else "<p>无</p>",
        "<h2 id='files'>各报告（点击查看问题）</h2>",
        _table(["文件", "机关", "年度", "错误", "警告", "提示"], files, "files"),
        *details, "</body></html>\n"]
    return "".join(parts)


def _cell(value):
    """A workbook cell value: text with the characters XML forbids shown escaped."""
    return xml_text(value) if isinstance(value, str) else value


def xlsx(data: dict, path: str | Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheets = [("全部问题", ["文件", "规则", "类别", "级别", "位置", "问题"], data["findings"]),
              ("各机关汇总", ["机关", "报告数", "错误", "警告"], data["agencies"]),
              ("失败文件", ["文件", "原因"], data["failed"])]
    for n, (title, head, rows) in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append(head)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
        ws.freeze_panes = "A2"
    wb.save(str(path))


def write(db: str | Path, html_path: str | Path, xlsx_path: str | Path) -> dict:
    data = collect(db)
    Path(html_path).write_text(html(data), encoding="utf-8")
    xlsx(data, xlsx_path)
    return data
