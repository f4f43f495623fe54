"""Government portal pages: the report is read the same whatever chrome the portal wraps it in.

Real report bodies (the article part of the real pages) and text reports rendered as HTML are
wrapped in every template of ``harness.portal``: metadata boxes as tables and lists, breadcrumbs,
share and print bars, 扫一扫, 上一篇/下一篇, related links, footers, CMS tags, nested layout
tables, GBK. Each must give the same sections, every cell of tables 二/三/四 and the same
findings as the unwrapped page; chrome never enters the report; the metadata box gives the
agency and the publication date PUB001 judges; a page whose report is only an attachment gets
one finding naming it.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import FIXTURES
from harness import portal

from linter import engine
from linter.load import html as html_loader
from linter.load import load
from linter.parse import parse

REAL_PAGES = sorted((FIXTURES / "real").glob("*.html"))
TEXT_REPORTS = sorted((FIXTURES / "seeds").glob("*.txt")) + [
    FIXTURES / "real" / name for name in ("2020_pingtan_1.txt", "2024_pingtan-jingfaju_1.txt", "2022_pingtan_1.txt")
]
CHROME_WORDS = (
    "索引号",
    "主题分类",
    "公开方式",
    "当前位置",
    "您的位置",
    "上一篇",
    "下一篇",
    "相关链接",
    "相关文章",
    "推荐阅读",
    "分享到",
    "打印本页",
    "扫一扫",
    "网站标识码",
    "ICP备",
    "公网安备",
    "版权所有",
    "浏览次数",
    "责任编辑",
    "上一页",
)


def article_of(page: str) -> str:
    """The inner HTML of a real page's article element (TRS_Editor or ucapcontent)."""
    m = re.search(r"<div class=TRS_Editor>|<ucapcontent>", page)
    assert m, "no article element"
    if m.group(0) == "<ucapcontent>":
        return page[m.end() : page.index("</ucapcontent>")]
    depth = 1
    for tag in re.finditer(r"<(/?)div\b[^>]*>", page[m.end() :]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[m.end() : m.end() + tag.start()]
    raise AssertionError("unbalanced article element")


def body_of(doc) -> str:
    """A text report's paragraphs and tables as an HTML body (cells as read from the text)."""
    out = []
    for block in doc.blocks:
        if block.kind == "paragraph":
            out.append(f"<p>{html.escape(block.text)}</p>")
        else:
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c.text)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            out.append(f'<table border="1">{rows}</table>')
    return "\n".join(out)


def bare(body: str, title: str) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>{body}</body></html>"
    ).encode()


def reading(data: bytes, rules):
    """What a page gives: its document, report, section texts, cells and findings (by rule,
    level, logical place, fingerprint and message: a page that shows its title inside the
    article moves paragraph numbers by one, nothing else)."""
    doc = html_loader.load(data, "page.html")
    report = parse(doc)
    sections = {k: (s.title, s.text, s.has_table) for k, s in report.sections.items()}
    cells = {
        key: {ref: (c.raw, c.value, c.status) for ref, c in table.cells.items()} if table.found else None
        for key, table in report.tables.items()
    }
    findings = sorted(
        (f.rule, f.level, f.location.logical(), f.fingerprint, f.message)
        for f in engine.run(report, rules, "page.html")
    )
    return doc, report, sections, cells, findings


def assert_same(wrapped, reference, name):
    doc, report, sections, cells, findings = wrapped
    _, ref_report, ref_sections, ref_cells, ref_findings = reference
    assert sorted(sections) == sorted(ref_sections), name
    assert sections == ref_sections, name
    for key in ("二", "三", "四"):
        assert cells[key] == ref_cells[key], f"{name}: table {key}"
    assert findings == ref_findings, f"{name}: {set(findings) ^ set(ref_findings)}"
    own = " ".join(p.text for p in ref_report.paragraphs)
    words = [w for w in CHROME_WORDS if w not in own]  # chrome words the report itself does not use
    for block in doc.blocks:
        texts = [block.text] if block.kind == "paragraph" else [c.text for row in block.rows for c in row]
        for text in texts:
            assert not any(w in text for w in words), (name, text)


@pytest.fixture(scope="module")
def real_readings(all_rules):
    out = {}
    for path in REAL_PAGES:
        data = path.read_bytes()
        out[path.name] = (
            article_of(data.decode("utf-8")),
            html_loader.load(data, path.name).meta,
            reading(data, all_rules),
        )
    return out


@pytest.mark.parametrize("template", portal.TEMPLATES)
@pytest.mark.parametrize("page", [p.name for p in REAL_PAGES])
def test_real_article_in_every_portal_template_reads_as_the_real_page(page, template, real_readings, all_rules):
    body, meta, reference = real_readings[page]
    report = reference[1]
    assert report.recognised and len(report.sections) == 6 and all(t.found for t in report.tables.values())
    data = portal.wrap(
        body, title=report.meta.title, template=template, agency=report.meta.agency, date=meta.get("published")
    )
    assert_same(reading(data, all_rules), reference, f"{page} in {template}")


@pytest.fixture(scope="module")
def text_readings(all_rules):
    out = {}
    for path in TEXT_REPORTS:
        source = parse(load(path))
        body = body_of(load(path))
        page = reading(bare(body, source.meta.title or ""), all_rules)
        out[path.name] = (source, body, page)
    return out


@pytest.mark.parametrize("template", portal.TEMPLATES)
@pytest.mark.parametrize("name", [p.name for p in TEXT_REPORTS])
def test_text_report_as_a_portal_page_reads_as_the_bare_page(name, template, text_readings, all_rules):
    source, body, reference = text_readings[name]
    data = portal.wrap(body, title=source.meta.title or "", template=template)
    assert_same(reading(data, all_rules), reference, f"{name} in {template}")


@pytest.mark.parametrize("name", [p.name for p in TEXT_REPORTS])
def test_the_bare_page_reads_the_text_reports_tables(name, text_readings):
    """The rendering the comparison starts from is faithful: the bare page has the text
    report's sections and every value of its tables."""
    source, _, (_, report, _, _, _) = text_readings[name]
    assert sorted(report.sections) == sorted(source.sections)
    for key in ("二", "三", "四"):
        assert report.tables[key].found == source.tables[key].found
        assert {r: c.value for r, c in report.tables[key].cells.items()} == {
            r: c.value for r, c in source.tables[key].cells.items()
        }, key


def test_gbk_templates_are_served_as_gbk():
    for template in portal.TEMPLATES:
        data = portal.wrap(
            "<p>一、总体情况</p><p>无。</p>",
            title="某局2023年政府信息公开工作年度报告",
            template=template,
            encoding="gbk",
        )
        assert b"charset=gb" in data.lower() or b'charset="gbk"' in data.lower()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert "某局2023年政府信息公开工作年度报告" in data.decode("gbk")
    for template in (t for t in portal.TEMPLATES if t.endswith("_gbk")):  # GBK whatever the caller asks
        data = portal.wrap("<p>一、总体情况</p>", title="某局2023年政府信息公开工作年度报告", template=template)
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert "一、总体情况" in data.decode("gbk")


# ---------------------------------------------------------------- the metadata box as metadata

SEED = FIXTURES / "seeds" / "000_a5e4c4a21a342435.txt"


def _seed_body_without_agency() -> tuple[str, str]:
    """The seed report with a title naming no agency (as many portal articles print it)."""
    body = body_of(load(SEED)).replace(
        "淄博市卫生健康委员会 2023 年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1
    )
    return body, "2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("template", portal.TEMPLATES)
def test_late_date_in_the_metadata_box_is_judged_and_named_as_page_metadata(template, all_rules):
    body, title = _seed_body_without_agency()
    page = portal.wrap(body, title=title, template=template, agency="淄博市卫生健康委员会", date="2024-02-20")
    report = parse(html_loader.load(page, "page.html"))
    assert report.meta.agency == "淄博市卫生健康委员会"  # from 发布机构 / 发文机关 / 来源: the title names none
    assert report.meta.published == "2024-02-20"
    late = [f for f in engine.run(report, all_rules, "page.html") if f.rule == "PUB001"]
    assert len(late) == 1
    assert re.search(r"发布日期（网页(信息栏“(公开日期|发布日期)”|元数据 PubDate)）为2024年2月20日", late[0].message), (
        late[0].message
    )
    assert "2024年1月31日" in late[0].message  # a department's deadline: the agency was read


def test_agency_from_the_box_decides_the_deadline(all_rules):
    """The same late-for-a-department date is in time for a people's government (3月31日)."""
    body, title = _seed_body_without_agency()
    page = portal.wrap(body, title=title, template="ucap_gbk", agency="某县人民政府", date="2024-02-20")
    report = parse(html_loader.load(page, "page.html"))
    assert report.meta.agency == "某县人民政府"
    assert not [f for f in engine.run(report, all_rules, "page.html") if f.rule == "PUB001"]


def test_meta_tags_give_title_date_and_agency(all_rules):
    body, _ = _seed_body_without_agency()
    page = (
        "<html><head><meta charset='utf-8'><meta name='ArticleTitle' content='2023年政府信息公开工作年度报告'>"
        "<meta name='PubDate' content='2024-02-03 10:21'><meta name='ContentSource' content='某市某局'></head>"
        f"<body><div class='nav'>首页</div><div id='zoom'>{body}</div></body></html>"
    ).encode()
    doc = html_loader.load(page, "page.html")
    assert doc.meta == {
        "title": "2023年政府信息公开工作年度报告",
        "published": "2024-02-03",
        "published_source": "网页元数据 PubDate",
        "agency": "某市某局",
    }
    late = [f for f in engine.run(parse(doc), all_rules, "page.html") if f.rule == "PUB001"]
    assert [f.message for f in late] == [
        "报告的发布日期（网页元数据 PubDate）为2024年2月3日，晚于政府部门的公布期限2024年1月31日"
    ]


def test_real_page_with_a_late_box_date(all_rules):
    """The real 沭阳 page's box says 公开日期 2024-01-17; a copy dated 2024-02-20 is late, and
    the finding says the date is the page's, not the sign-off's."""
    page = (FIXTURES / "real" / "2023_shuyang-fagaiju_1.html").read_text(encoding="utf-8")
    assert page.count("<publishtime>2024-01-17</publishtime>") == 1
    late_page = page.replace("<publishtime>2024-01-17</publishtime>", "<publishtime>2024-02-20</publishtime>")
    for data, want in (
        (page, []),
        (late_page, ["报告的发布日期（网页信息栏“公开日期”）为2024年2月20日，晚于政府部门的公布期限2024年1月31日"]),
    ):
        findings = engine.run(parse(html_loader.load(data.encode("utf-8"), "page.html")), all_rules, "page.html")
        assert [f.message for f in findings if f.rule == "PUB001"] == want
        assert not [f for f in findings if f.rule == "PUB002"]  # the box date is known


def test_title_from_the_page_heading_when_the_head_has_none():
    body, _ = _seed_body_without_agency()
    page = (
        "<html><body><div class='top'>某市人民政府门户网站</div>"
        "<h1 class='article-title'>某市某局2023年政府信息公开工作年度报告</h1>"
        f"<div class='detail'>{body.replace('<p>2023年政府信息公开工作年度报告</p>', '', 1)}</div></body></html>"
    )
    report = parse(html_loader.load(page.encode("utf-8"), "page.html"))
    assert report.meta.title == "某市某局2023年政府信息公开工作年度报告"
    assert report.meta.agency == "某市某局" and report.meta.year == 2023


# ---------------------------------------------------------------- chrome and containers


def test_report_prose_about_portal_features_is_kept():
    """A section that talks about 索引号, 网站标识码 or 扫一扫 is report text, not chrome."""
    lines = [
        "规范信息发布要素，统一标注索引号、发布机构、公开日期、文号等信息。",
        "网站标识码、ICP备案编号、公网安备案编号在首页底部规范展示，开通扫一扫查看功能。",
        "公开方式：通过门户网站、政务新媒体主动公开。",
        "网站底部标明主办单位：本局办公室，网站标识码：3703000021，相关链接均已核查。",
        "相关文件均按要求公开，上一篇、下一篇导航规范。",
        "数据来源：本机关政务公开工作台账",
    ]
    body, title = _seed_body_without_agency()
    body = body.replace("<p>一、总体情况</p>", "<p>一、总体情况</p>" + "".join(f"<p>{t}</p>" for t in lines), 1)
    for template in portal.TEMPLATES:
        report = parse(html_loader.load(portal.wrap(body, title=title, template=template), "page.html"))
        for line in lines:
            assert line in report.sections["一"].text, (template, line)


def test_unknown_cms_tags_are_containers():
    page = (
        "<html><body><div id='zoom'><ucaptitle>某局2023年政府信息公开工作年度报告</ucaptitle>"
        "<ucapcontent>一、总体情况<trsbr/>本局依法公开。<cmspara>二、主动公开政府信息情况</cmspara>"
        "<cmspara>三、收到和处理政府信息公开申请情况</cmspara><cmspara>六、其他需要报告的事项</cmspara>"
        "<cmspara>无。</cmspara></ucapcontent></div></body></html>"
    )
    doc = html_loader.load(page.encode("utf-8"), "page.html")
    texts = [b.text for b in doc.blocks]
    assert texts[:2] == ["一、总体情况 本局依法公开。", "二、主动公开政府信息情况"] or texts[:3] == [
        "一、总体情况",
        "本局依法公开。",
        "二、主动公开政府信息情况",
    ], texts
    report = parse(doc)
    assert sorted(report.sections) == sorted("一二三六") and report.sections["六"].text == "无。"


def test_a_layout_table_holding_the_report_is_read_as_a_container():
    body = body_of(load(SEED))
    page = (
        f"<html><body><table><tr><td>首页</td></tr><tr><td><table><tr><td>{body}</td></tr></table></td></tr>"
        "</table></body></html>"
    ).encode()
    reference = parse(html_loader.load(bare(body, ""), "page.html"))
    report = parse(html_loader.load(page, "page.html"))
    assert sorted(report.sections) == sorted(reference.sections) == sorted("一二三四五六")
    for key in ("二", "三", "四"):
        assert {r: c.value for r, c in report.tables[key].cells.items()} == {
            r: c.value for r, c in reference.tables[key].cells.items()
        }


# ---------------------------------------------------------------- report only in an attachment


@pytest.mark.parametrize("template", portal.TEMPLATES)
def test_attachment_only_page_gets_one_finding_naming_the_attachment(template, all_rules):
    title = "某市某局2023年政府信息公开工作年度报告"
    page = portal.attachment_only(
        title, "某市某局2023年政府信息公开工作年度报告.pdf", "/upload/2024/0120/report.pdf", template
    )
    findings = engine.run(parse(html_loader.load(page, "page.html")), all_rules, "page.html")
    assert [(f.rule, f.level) for f in findings] == [("PAR001", "error")]
    assert "年度报告在附件“某市某局2023年政府信息公开工作年度报告.pdf”中" in findings[0].message
    assert "请下载该附件" in findings[0].message


def test_attachment_with_a_generic_link_text_is_named_by_its_file(all_rules):
    page = portal.attachment_only(
        "某区2024年度政府信息公开工作年度报告",
        "点击下载",
        "/u/%E6%9F%90%E5%8C%BA2024%E5%B9%B4%E6%8A%A5.docx",
        "div_list",
    )
    findings = engine.run(parse(html_loader.load(page, "page.html")), all_rules, "page.html")
    assert len(findings) == 1 and "附件“某区2024年报.docx”" in findings[0].message


def test_a_page_that_is_neither_report_nor_attachment_gets_the_plain_finding(all_rules):
    page = portal.wrap(
        "<p>关于开展2024年度政务公开培训的通知</p><p>各单位：定于下周举办培训。</p>",
        title="关于开展2024年度政务公开培训的通知",
        template="trs_table",
    )
    findings = engine.run(parse(html_loader.load(page, "page.html")), all_rules, "page.html")
    assert [f.rule for f in findings] == ["PAR001"] and "附件" not in findings[0].message


def test_a_report_page_with_its_attachment_is_read_not_sent_to_the_attachment(all_rules):
    body = body_of(load(SEED)) + '<p>附件：<a href="/u/report.pdf">淄博市卫生健康委员会2023年年报.pdf</a></p>'
    page = portal.wrap(body, title="淄博市卫生健康委员会2023年政府信息公开工作年度报告", template="info_line")
    report = parse(html_loader.load(page, "page.html"))
    assert report.recognised and not any("附件" in n.message for n in report.notes)
    assert not [f for f in engine.run(report, all_rules, "page.html") if f.rule == "PAR001"]


def test_a_sign_off_beside_a_pager_is_kept_and_the_pager_cut():
    body = body_of(load(SEED)) + (
        "<div class='end'><p>淄博市卫生健康委员会</p><p>2024年1月20日</p>"
        "<div class='pager'><p>上一篇：关于2023年度部门预算的说明</p><p>下一篇：无</p></div></div>"
    )
    doc = html_loader.load(bare(body, "淄博市卫生健康委员会2023年政府信息公开工作年度报告"), "page.html")
    texts = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert texts[-2:] == ["淄博市卫生健康委员会", "2024年1月20日"]
    assert not any("上一篇" in t for t in texts)


def test_dates_in_related_links_are_not_the_pages_date():
    body = body_of(load(SEED))
    page = (
        f"<html><body><div id='zoom'>{body}</div><div class='rel'><h4>相关文章</h4><ul>"
        "<li>淄博市卫生健康委员会2022年政府信息公开工作年度报告 发布日期：2023-01-20</li></ul></div>"
        "<div class='info'>发布日期：2024-01-25 来源：淄博市卫生健康委员会</div></body></html>"
    )
    doc = html_loader.load(page.encode("utf-8"), "page.html")
    assert doc.meta["published"] == "2024-01-25" and doc.meta["published_source"] == "网页信息栏“发布日期”"
    related = page.replace("<div class='info'>发布日期：2024-01-25 来源：淄博市卫生健康委员会</div>", "")
    assert "published" not in html_loader.load(related.encode("utf-8"), "page.html").meta


def test_box_date_order_and_impossible_dates(all_rules):
    """公开日期 before the <meta> tags before 成文日期; an impossible date is no date."""
    body, title = _seed_body_without_agency()

    def meta(box: str, head: str = "") -> dict:
        page = (
            f"<html><head><meta charset='utf-8'>{head}</head><body><table class='xxgk'>{box}</table>"
            f"<div class='zoom'>{body}</div></body></html>"
        )
        return html_loader.load(page.encode("utf-8"), "page.html").meta

    both = "<tr><td>成文日期</td><td>2024-01-10</td><td>公开日期</td><td>2024-01-15</td></tr><tr><td>索引号</td><td>1</td></tr>"
    assert meta(both, "<meta name='PubDate' content='2024-01-12'>")["published"] == "2024-01-15"
    written = "<tr><td>成文日期</td><td>2024年1月10日</td><td>索引号</td><td>1</td></tr>"
    assert meta(written, "<meta name='PubDate' content='2024-01-12'>")["published"] == "2024-01-12"
    assert meta(written)["published_source"] == "网页信息栏“成文日期”"
    impossible = "<tr><td>发布日期</td><td>2024-02-30</td><td>索引号</td><td>1</td></tr>"
    got = meta(impossible)
    assert "published" not in got
    report = parse(
        html_loader.load(
            (f"<html><body><table>{impossible}</table><div>{body}</div></body></html>").encode(), "page.html"
        )
    )
    assert [f.rule for f in engine.run(report, all_rules, "page.html") if f.rule.startswith("PUB")] == ["PUB002"]


def test_box_pairs_with_empty_cells_and_inline_labels():
    from linter.load.htmlmeta import pairs
    from linter.load.htmltree import build

    page = build(
        "<table><tr><td>发布机构</td><td>某局</td><td>公开日期</td><td><publishtime>2024-01-17</publishtime></td></tr>"
        "<tr><td>文号</td><td></td><td>公开方式</td><td>主动公开</td></tr></table>"
        "<ul><li><b>索引号：</b>A-1</li><li>主题分类：其他 发布时间：2024-01-02</li></ul>".encode()
    )
    assert pairs(page.root) == {
        "发布机构": "某局",
        "公开日期": "2024-01-17",
        "文号": "",
        "公开方式": "主动公开",
        "索引号": "A-1",
        "主题分类": "其他",
        "发布时间": "2024-01-02",
    }


@pytest.mark.parametrize(
    "tail",
    [
        "<p class='sign'>淄博市卫生健康委员会</p><p class='sign'>2024年2月20日</p><div class='share'>分享到：微信 微博</div>",
        "淄博市卫生健康委员会<br>2024年2月20日<div class='footer'>版权所有：淄博市人民政府</div>",
        "<div class='date'>淄博市卫生健康委员会 2024年2月20日</div>",
    ],
)
def test_a_sign_off_printed_after_the_article_element_is_the_reports(tail, all_rules):
    page = (
        f"<html><body><div class='wrap'><div id='zoom'>{body_of(load(SEED))}</div>{tail}</div></body></html>"
    ).encode()
    findings = engine.run(parse(html_loader.load(page, "page.html")), all_rules, "page.html")
    assert [f.message for f in findings if f.rule.startswith("PUB")] == [
        "报告的落款日期为2024年2月20日，晚于政府部门的公布期限2024年1月31日"
    ]


def test_lines_after_the_article_without_a_date_are_not_taken():
    for tail in (
        "<p>某市人民政府</p><p>网站地图</p>",
        "<div>相关链接</div><p>2024年1月20日</p>",
        "<p>某市某局</p><p>联系电话：0533-1234567</p><p>2024年1月20日</p>",
    ):
        page = f"<html><body><div><div id='zoom'>{body_of(load(SEED))}</div>{tail}</div></body></html>"
        texts = [b.text for b in html_loader.load(page.encode("utf-8"), "page.html").blocks if b.kind == "paragraph"]
        assert texts[-1].startswith("四是进一步巩固"), (tail, texts[-2:])


def test_report_shown_only_in_an_embedded_pdf_viewer_is_named(all_rules):
    body = (
        "<p>某县人民政府2024年政府信息公开工作年度报告</p>"
        '<iframe src="/pdfjs/web/viewer.html?file=/upload/2025/%E6%9F%90%E5%8E%BF2024%E5%B9%B4%E6%8A%A5.pdf" '
        'width="100%" height="800"></iframe>'
    )
    page = portal.wrap(body, title="某县人民政府2024年政府信息公开工作年度报告", template="dl_box")
    findings = engine.run(parse(html_loader.load(page, "page.html")), all_rules, "page.html")
    assert len(findings) == 1 and "附件“某县2024年报.pdf”" in findings[0].message, [f.message for f in findings]
