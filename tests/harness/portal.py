"""Government portal pages made in code: a report body wrapped in the chrome real portals print.

Each template is one family of CMS detail pages: a 政府信息公开 metadata box (as a table, a div
list, a ul/li list or a dl), breadcrumbs, an info line with 字体/打印/关闭, share bars, 扫一扫
codes, 上一篇/下一篇, related links naming other years' reports, footers with 网站标识码/ICP/公网安备,
CMS tags such as <ucaptitle>/<ucapcontent>, and a body inside nested layout tables. Templates
named ``*_gbk`` are always served as GBK with a matching meta charset; any template is served
in ``encoding`` otherwise. Nothing is fetched: every page is a string.

    wrap(body_html, title=…, template=…, encoding="utf-8", agency=None, date=None) -> bytes
    attachment_only(title, link_text, href, template) -> bytes
"""

from __future__ import annotations

import html
import re

TEMPLATES: list[str] = ["trs_table", "div_list", "ul_list", "ucap_gbk", "layout_tables_gbk", "dl_box", "info_line"]

_SCRIPT = (
    "<script>var gklist=[{name:'一、总体情况',url:'#'}];document.write('<div>二、主动公开政府信息情况</div>');</script>"
)


def _e(text: str | None) -> str:
    return html.escape(text or "")


def _cn_date(date: str | None) -> str:
    if not date:
        return ""
    y, m, d = (int(x) for x in re.findall(r"\d+", date)[:3])
    return f"{y}年{m:02d}月{d:02d}日"


def _head(title: str, charset: str, *, agency: str | None, date: str | None, http_equiv: bool = False) -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if http_equiv
        else f'<meta charset="{charset}">'
    )
    tags = ""
    if date:
        tags += f'<meta name="PubDate" content="{_e(date)} 09:30">'
    if agency:
        tags += f'<meta name="ContentSource" content="{_e(agency)}">'
    tags += f'<meta name="ArticleTitle" content="{_e(title)}">'
    return (
        f"<!DOCTYPE html><html><head>{meta}{tags}<title>{_e(title)}_政府信息公开_某市人民政府</title>"
        "<style>.nav li{float:left} .footer{color:#666}</style>" + _SCRIPT + "</head>"
    )


def _nav() -> str:
    items = "".join(
        f'<li><a href="/{i}/">{name}</a></li>'
        for i, name in enumerate(["首页", "走进本市", "政务公开", "政务服务", "互动交流", "数据开放"])
    )
    return f'<div class="header"><div class="logo">某市人民政府</div><ul class="nav">{items}</ul></div>'


def _related(label: str = "相关链接") -> str:
    items = "".join(
        f'<li><a href="/zwgk/{y}.htm">某市某局{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-20</span></li>'
        for y in (2022, 2021, 2020)
    )
    return f'<div class="xglj"><h4>{label}</h4><ul>{items}</ul></div>'


def _prev_next() -> str:
    return (
        '<div class="pager"><p>上一篇：<a href="/a.htm">关于公布2023年度行政许可事项目录的通知</a></p>'
        '<p>下一篇：<a href="/b.htm">某市某局2023年度法治政府建设情况报告</a></p></div>'
    )


def _footer(table: bool = False) -> str:
    lines = [
        "主办单位：某市人民政府办公室 承办单位：某市大数据中心",
        "网站标识码：3205000012 闽ICP备05012345号-1",
        "闽公网安备 35010202000123号",
        "网站地图 | 联系我们 | 网站声明",
    ]
    if table:
        return "<tr><td class='foot'>" + "<br>".join(lines) + "</td></tr>"
    return '<div class="footer">' + "".join(f"<p>{line}</p>" for line in lines) + "</div>"


def _box_table(agency, date, title) -> str:
    return (
        '<table class="xxgk_table" border="1"><tbody>'
        f"<tr><th>索引号</th><td>11350100MB0123456X/2024-00012</td><th>主题分类</th><td>综合政务/政务公开</td></tr>"
        f"<tr><th>发布机构</th><td>{_e(agency)}</td><th>公开日期</th><td>{_e(date)}</td></tr>"
        f"<tr><th>文号</th><td></td><th>公开方式</th><td>主动公开</td></tr>"
        f'<tr><th>标题</th><td colspan="3">{_e(title)}</td></tr></tbody></table>'
    )


def _trs_table(body, title, agency, date, charset) -> str:
    return (
        _head(title, charset, agency=agency, date=date)
        + "<body>"
        + _nav()
        + '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>'
        '<div class="main"><div class="xxgk_box">' + _box_table(agency, date, title) + "</div>"
        f'<div class="article_title">{_e(title)}</div>'
        f'<div class="article_extend"><span>来源：{_e(agency)}</span> <span>时间：{_e(date)}</span> '
        "<span>【字体：<a>大</a> <a>中</a> <a>小</a>】</span> <span>打印</span> <span>关闭</span></div>"
        f'<div class="article_content"><div class="TRS_Editor">{body}</div></div>'
        '<div class="article_attachment"><div class="title_base">附件下载</div><ul></ul></div>'
        '<div class="article_qrcode"><p>扫一扫在手机上查看当前页面</p><div id="qrcode"></div></div>'
        + _prev_next()
        + _related()
        + "</div>"
        + _footer()
        + "</body></html>"
    )


def _div_list(body, title, agency, date, charset) -> str:
    fields = [
        ("索引号", "000014349/2024-00031"),
        ("发文机关", agency),
        ("主题分类", "政务公开"),
        ("成文日期", date),
        ("发布日期", date),
        ("文号", ""),
        ("公开方式", "主动公开"),
        ("公开范围", "面向社会"),
    ]
    box = "".join(
        f'<div class="item"><span class="lab">{k}：</span><span class="val">{_e(v)}</span></div>' for k, v in fields
    )
    return (
        _head(title, charset, agency=agency, date=date)
        + "<body>"
        + _nav()
        + '<div class="crumb">您的位置：首页 » 信息公开 » 法定主动公开内容 » 年度报告</div>'
        f'<div class="xxgk-info"><div class="row">{box}</div></div>'
        f'<div class="detail"><h1 class="detail-title">{_e(title)}</h1>'
        f'<div id="zoom">{body}</div>'
        '<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>'
        '<div class="tools">【<a>打印本页</a>】【<a>关闭窗口</a>】</div></div>'
        + _related("相关文章")
        + _footer()
        + "</body></html>"
    )


def _ul_list(body, title, agency, date, charset) -> str:
    # chrome inside the same container as the report paragraphs
    box = (
        '<ul class="info-list">'
        f"<li><b>索引号：</b>A0123-0203-2024-000045</li><li><b>发布机构：</b>{_e(agency)}</li>"
        f"<li><b>公开日期：</b>{_e(_cn_date(date))}</li><li><b>主题分类：</b>其他</li>"
        "<li><b>文号：</b>无</li><li><b>公开方式：</b>主动公开</li></ul>"
    )
    return (
        _head(title, charset, agency=agency, date=date)
        + "<body>"
        + _nav()
        + '<div class="content"><div class="location">当前位置：首页 &gt; 政府信息公开 &gt; 年报</div>'
        + box
        + f"<h2>{_e(title)}</h2>"
        f'<p class="info">发布时间：{_e(date)} 文章来源：{_e(agency)} 浏览次数：1024 【字号：大 中 小】</p>'
        + body
        + '<p class="ewm">扫一扫在手机打开当前页</p>'
        + _prev_next()
        + "</div>"
        + _footer()
        + "</body></html>"
    )


def _ucap(body, title, agency, date, charset) -> str:
    box = (
        '<div class="article-tb"><table class="table_content"><tbody>'
        f'<tr><td class="c1">名称</td><td class="c4" colspan="3">{_e(title)}</td></tr>'
        '<tr><td class="c1">索引号</td><td class="c2">014314799/2024-00002</td>'
        '<td class="c1">分类</td><td class="c3">信息公开年报 &nbsp;其他</td></tr>'
        f'<tr><td class="c1">发布机构</td><td class="c2">{_e(agency)}</td>'
        f'<td class="c1">公开日期</td><td class="c3"><publishtime>{_e(date)}</publishtime></td></tr>'
        '<tr><td class="c1">文号</td><td class="c2"></td><td class="c1">关键词</td><td class="c3"></td></tr>'
        '<tr><td class="c1">文件下载</td><td class="c4" colspan="3"></td></tr></tbody></table></div>'
    )
    return (
        _head(title, charset, agency=None, date=None, http_equiv=True)
        + "<body><article>"
        + _nav()
        + '<div class="xxgkMain"><h2 class="siteTit">某县某局</h2><div class="xxgkCon">'
        + box
        + f'<div class="xxgkcont"><h1 class="article-title"><ucaptitle>{_e(title)}</ucaptitle></h1>'
        f'<div class="article-content" id="zoomcon"><ucapcontent>{body}</ucapcontent></div></div></div></div>'
        '<iframe src="/footer/footer.shtml" id="adbottom"></iframe></article>' + _footer() + "</body></html>"
    )


def _layout_tables(body, title, agency, date, charset) -> str:
    # the metadata table sits in the same layout cell as the report's paragraphs and tables
    box = (
        '<table class="bg" width="100%"><tr><td>索引号：</td><td>01234567-8/2024-0005</td><td>信息分类：</td><td>年度报告</td></tr>'
        f"<tr><td>发布机构：</td><td>{_e(agency)}</td><td>发文日期：</td><td>{_e(date)}</td></tr>"
        f"<tr><td>文号：</td><td></td><td>公开日期：</td><td>{_e(date.replace('-', '/') if date else '')}</td></tr></table>"
    )
    return (
        _head(title, charset, agency=agency, date=None, http_equiv=True) + "<body>"
        '<table width="1000" align="center" cellpadding="0" cellspacing="0"><tr><td>' + _nav() + "</td></tr>"
        '<tr><td><table width="100%"><tr><td class="dqwz">当前位置：首页 &gt;&gt; 信息公开 &gt;&gt; 年度报告</td></tr>'
        f'<tr><td class="bt" align="center"><b>{_e(title)}</b></td></tr>'
        f'<tr><td class="zw">{box}{body}</td></tr>'
        '<tr><td align="right">【<a>打印本页</a>】【<a>关闭窗口</a>】</td></tr></table></td></tr>'
        + _footer(table=True)
        + "</table></body></html>"
    )


def _dl_box(body, title, agency, date, charset) -> str:
    box = (
        "<dl class='meta'>"
        f"<dt>索引号</dt><dd>MB1234567/2024-00088</dd><dt>发文机关</dt><dd>{_e(agency)}</dd>"
        f"<dt>成文日期</dt><dd>{_e(_cn_date(date))}</dd><dt>发布日期</dt><dd>{_e(_cn_date(date))}</dd>"
        "<dt>发文字号</dt><dd></dd><dt>主题分类</dt><dd>综合政务</dd></dl>"
    )
    return (
        _head(title, charset, agency=agency, date=date) + "<body><header>" + _nav() + "</header>"
        '<div class="crumbs">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>'
        f'<main><article><section class="meta-box">{box}</section>'
        f'<h1>{_e(title)}</h1><section class="detail-content">{body}</section>'
        '<section class="bar"><span>扫一扫</span><span>打印</span><span>收藏</span></section>'
        "</article></main>" + _related("推荐阅读") + "<footer><p>版权所有：某市人民政府 技术支持：某某科技</p>"
        "<p>ICP备案号：苏ICP备12345678号</p></footer></body></html>"
    )


def _info_line(body, title, agency, date, charset) -> str:
    return (
        _head(title, charset, agency=agency, date=date)
        + "<body>"
        + _nav()
        + '<div class="article"><div class="bread">当前位置：首页 / 政务公开 / 年度报告</div>'
        f'<div class="article-head"><h1>{_e(title)}</h1>'
        f'<div class="article-info">发布日期：{_e(date)}  信息来源：{_e(agency)}  浏览量：321</div></div>'
        f"<cmscontent><div class='article-body'>{body}</div></cmscontent>"
        '<div class="editor">【责任编辑：王某】</div><div class="page">共1页 上一页 1 下一页</div>'
        + _prev_next()
        + _related("相关阅读")
        + "</div>"
        + _footer()
        + "</body></html>"
    )


_BUILDERS = {
    "trs_table": _trs_table,
    "div_list": _div_list,
    "ul_list": _ul_list,
    "ucap_gbk": _ucap,
    "layout_tables_gbk": _layout_tables,
    "dl_box": _dl_box,
    "info_line": _info_line,
}


def wrap(
    body_html: str,
    *,
    title: str,
    template: str,
    encoding: str = "utf-8",
    agency: str | None = None,
    date: str | None = None,
) -> bytes:
    """A full portal page around ``body_html`` (the report's paragraphs and tables). ``date`` is
    ISO (YYYY-MM-DD); with ``date`` or ``agency`` None the page's fields for them are empty."""
    if template not in _BUILDERS:
        raise ValueError(f"unknown portal template {template!r}; known: {', '.join(TEMPLATES)}")
    if template.endswith("_gbk"):
        encoding = "gbk"
    charset = {"gbk": "gb2312" if template == "ucap_gbk" else "gbk"}.get(encoding.lower(), encoding)
    page = _BUILDERS[template](body_html, title, agency, date, charset)
    return page.encode(encoding, errors="xmlcharrefreplace")


def attachment_only(title: str, link_text: str, href: str, template: str) -> bytes:
    """A portal page whose report is only a downloadable file: a title line and one link."""
    body = (
        f'<p style="text-align:center"><strong>{_e(title)}</strong></p>'
        f'<p>附件：<a href="{_e(href)}" target="_blank">{_e(link_text)}</a></p>'
    )
    return wrap(body, title=title, template=template)
