"""``audit-report``: a self-contained, offline HTML dashboard (charts by plotly, its library
embedded) and the XLSX workbook (``workbook``) of an audit database, from what ``summary``
collects. Document text is always escaped. Labels are Chinese with the public ids beside them;
rules are described as the last audit configured them, as the database records them for its run."""

from __future__ import annotations

from html import escape
from pathlib import Path

from linter.audit.summary import collect
from linter.audit.workbook import xlsx
from linter.levels import COLOUR, LEVELS
from linter.levels import NAMES as NAME
from linter.render import CATEGORY_NAMES, category_label


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
    cat_fig = go.Figure(
        [
            go.Bar(
                name=NAME[lv],
                x=[_plain(category_label(c)) for c in cats],
                y=[by_cat[c].get(lv, 0) for c in cats],
                marker_color=COLOUR[lv],
            )
            for lv in shown
        ]
    )
    cat_fig.update_layout(
        barmode="stack",
        title="各类别问题数" + ("" if data["include_info"] else "（不含提示）"),
        showlegend=True,
        legend_title_text="级别",
    )
    rules = data["rules"][:20]
    rule_fig = go.Figure(
        [
            go.Bar(
                name=NAME[lv],
                x=[_plain(f"{r} {s[:12]}") for r, s, l2, _ in rules if l2 == lv],
                y=[c for _, _, l2, c in rules if l2 == lv],
                marker_color=COLOUR[lv],
            )
            for lv in LEVELS
            if any(l2 == lv for _, _, l2, _ in rules)
        ]
    )
    rule_fig.update_layout(title="问题最多的规则", showlegend=True, legend_title_text="级别（按本次配置）")
    top = data["agencies"][:20]
    agency_fig = go.Figure(
        [
            go.Bar(
                name=NAME["error"],
                x=[_plain(a) for a, *_ in top],
                y=[e for _, _, e, _ in top],
                marker_color=COLOUR["error"],
            ),
            go.Bar(
                name=NAME["warning"],
                x=[_plain(a) for a, *_ in top],
                y=[w for *_, w in top],
                marker_color=COLOUR["warning"],
            ),
        ]
    )
    agency_fig.update_layout(title="问题最多的机关", barmode="group", showlegend=True)
    years = [y for y in data["years"] if y[0]]
    year_fig = go.Figure(
        [
            go.Bar(name="报告数", x=[y for y, *_ in years], y=[n for _, n, _, _ in years]),
            go.Scatter(name="错误数", x=[y for y, *_ in years], y=[e for _, _, e, _ in years]),
        ]
    )
    year_fig.update_layout(title="各年度报告数与错误数", xaxis=dict(type="category"), showlegend=True)
    return [
        div(cat_fig, "chart-categories"),
        div(rule_fig, "chart-rules"),
        div(agency_fig, "chart-agencies"),
        div(year_fig, "chart-years"),
    ]


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
    return "<h2>各规则问题数</h2>" + (
        _table(["规则", "级别", "说明", "问题数"], rows, "rules") if rows else "<p>无</p>"
    )


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
    files = [
        (f"<a href='#{ids[p]}'>{escape(p)}</a>", escape(a or ""), y or "", e, w, i)
        for p, a, y, e, w, i in data["files"]
    ]
    details = []
    by_file: dict[str, list] = {}
    for path, rule, cat, level, place, message in data["findings"]:
        by_file.setdefault(path, []).append(
            (
                f"<span class='{level}'>{NAME.get(level, level)}</span>",
                escape(rule),
                escape(category_label(cat)),
                escape(place or ""),
                escape(message),
            )
        )
    for path, fid in ids.items():
        details.append(
            f"<section class='detail' id='{fid}' hidden><h3>{escape(path)}</h3>"
            + _table(["级别", "规则", "类别", "位置", "问题"], by_file.get(path, []), "findings")
            + "<p><a href='#files'>返回报告列表</a></p></section>"
        )
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>年度报告审核结果</title>",
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script><script>{SCRIPT}</script></head><body>",
        "<h1>政府信息公开工作年度报告审核结果</h1>",
        f"<p class='kpi'><span>报告 {total} 份</span><span>已检查 {ok or 0}</span><span>失败 {failed or 0}</span>"
        + "".join(f"<span class='{lv}'>{NAME[lv]} {n}</span>" for lv, n in zip(LEVELS, (errors, warnings, infos)))
        + "</p>",
        f"<p>最近一次审核：{escape(str(run[0]))} 至 {escape(str(run[1]))}，nianbao-lint {escape(str(run[2]))}，"
        f"规则集 {escape(str(run[3]))}</p>",
        "<div class='grid'>" + "".join(_charts(data)) + "</div>",
        _legend(),
        _rule_table(data),
        "<h2>机关排名（按错误数）</h2>",
        _table(
            ["机关", "报告数", NAME["error"], NAME["warning"]],
            [(escape(a), n, e, w) for a, n, e, w in data["agencies"]],
        ),
        "<h2>处理失败的文件</h2>",
        _table(["文件", "原因"], [(escape(p), escape(r or "")) for p, r in data["failed"]])
        if data["failed"]
        else "<p>无</p>",
        "<h2 id='files'>各报告（点击查看问题）</h2>",
        _table(["文件", "机关", "年度", *(NAME[lv] for lv in LEVELS)], files, "files"),
        *details,
        "</body></html>\n",
    ]
    return "".join(parts)


def write(db: str | Path, html_path: str | Path, xlsx_path: str | Path, include_info: bool = False) -> dict:
    data = collect(db, include_info)
    Path(html_path).write_text(html(data), encoding="utf-8")
    xlsx(data, xlsx_path)
    return data
