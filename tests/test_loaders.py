"""Loaders on constructed inputs for what the corpus does not show: GBK web pages, Word text
boxes and merged cells, an added 法人或其他组织小计 column, full-width digits and 0件."""

from __future__ import annotations

import zipfile

from conftest import FIXTURES, ROOT, fixture_text, report_of

from linter.load import load
from linter.parse import parse

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_gbk_page_with_site_chrome(tmp_path):
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        "<title>某局2023年政府信息公开工作年度报告_某市人民政府</title></head><body>"
        "<div class='nav'>首页 &gt; 政务公开 &gt; 年度报告 当前位置</div>"
        "<div class='article-content'><p>一、总体情况</p><p>2023年，本局依法公开政府信息。</p>"
        "<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
        "<p>六、其他需要报告的事项</p><p>无。</p></div>"
        "<div class='footer'>网站地图 联系我们 主办单位：某市人民政府</div></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gbk"))
    doc = load(path)
    texts = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert texts[0] == "一、总体情况" and "网站地图 联系我们 主办单位：某市人民政府" not in texts
    assert not any("当前位置" in t for t in texts)
    report = parse(doc)
    assert report.meta.title == "某局2023年政府信息公开工作年度报告" and report.meta.year == 2023
    assert report.sections["六"].text == "无。"


def _docx(tmp_path, body: str):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
    return path


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"


def test_docx_text_boxes_left_out_and_merged_cells_placed(tmp_path):
    textbox = (
        "<w:p><w:r><w:pict><w:txbxContent>"
        + _p("六、其他需要报告的事项")
        + "</w:txbxContent></w:pict></w:r><w:r><w:t>一、总体情况</w:t></w:r></w:p>"
    )
    table = (
        "<w:tbl>"
        "<w:tr>" + _tc("行政复议", '<w:gridSpan w:val="5"/>') + _tc("行政诉讼", '<w:gridSpan w:val="10"/>') + "</w:tr>"
        "<w:tr>" + _tc("结果维持", '<w:vMerge w:val="restart"/>') + _tc("总计") + "</w:tr>"
        "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("3") + "</w:tr>"
        "</w:tbl>"
    )
    doc = load(_docx(tmp_path, textbox + table))
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == ["一、总体情况"]
    grid = next(b for b in doc.blocks if b.kind == "table")
    assert [[c.text for c in row] for row in grid.rows] == [
        ["行政复议", "行政诉讼"],
        ["结果维持", "总计"],
        ["结果维持", "3"],
    ]
    assert grid.rows[0][0].loc.table_index == 0


def test_docx_formatting_with_tracked_changes_is_read_whole(tmp_path):
    """Formatting is cut before parsing for speed; a tracked formatting change nests one rPr in
    another, which the cut cannot follow, so that body is parsed whole instead."""
    changed = (
        '<w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:b/>'
        '<w:rPrChange w:id="1" w:author="x"><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr>'
        "<w:t>一、总体情况</w:t></w:r></w:p>"
    )
    table = (
        '<w:tbl><w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tr>'
        + _tc("行政复议", '<w:gridSpan w:val="2"/>')
        + "</w:tr></w:tbl>"
    )
    for body in (
        changed + table,
        changed.replace('<w:rPrChange w:id="1" w:author="x"><w:rPr><w:i/></w:rPr></w:rPrChange>', "") + table,
    ):
        doc = load(_docx(tmp_path, body))
        assert [b.text for b in doc.blocks if b.kind == "paragraph"] == ["一、总体情况"]
        assert [[c.text for c in row] for row in doc.blocks[1].rows] == [["行政复议"]]


def test_an_added_subtotal_column_is_read(tmp_path):
    text = fixture_text("seeds/004_b64fd1fa63a59982.txt")
    lines = []
    for line in text.splitlines():
        cells = line.split("\t")
        if line.startswith("(本列数据"):
            line = line.replace("总计", "法人或其他组织小计\t总计")
        nums = [c for c in cells if c.strip().isdigit()]
        if len(nums) == 7 and not line.startswith(("6\t", "0\t")):
            org = sum(int(n) for n in nums[1:6])
            idx = max(i for i, c in enumerate(cells) if c.strip().isdigit())
            cells.insert(idx, str(org))
            line = "\t".join(cells)
        lines.append(line)
    path = tmp_path / "subtotal.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    table = report_of(path).tables["三"]
    assert table.value("r01", "natural") == 8 and table.value("r01", "total") == 8
    assert table.value("r01", "org_subtotal") == 0 and table.value("r24", "total") == 9


def test_full_width_digits_and_units(tmp_path):
    text = fixture_text("seeds/004_b64fd1fa63a59982.txt").replace(
        "一、本年新收政府信息公开申请数量\t\t8\t0", "一、本年新收政府信息公开申请数量\t\t８件\t０"
    )
    path = tmp_path / "fw.txt"
    path.write_text(text, encoding="utf-8")
    table = report_of(path).tables["三"]
    assert table.value("r01", "natural") == 8 and table.value("r01", "commercial") == 0


GENERATED = [
    line.split("\t")[:2]
    for line in (FIXTURES / "generated" / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
    if line.split("\t")[1].startswith("fixtures/real/")
]  # reports printed to PDF


def test_documents_printed_to_pdf_read_like_their_sources(all_rules):
    """Real pages and a Word template printed to PDF by a browser (Skia CID fonts, which
    pdfminer decodes as (cid:0)) and by an office suite: every cell of tables 二, 三 and 四 read
    from the PDF equals the cell read from the source, and the error-level findings are the
    same rules."""
    from linter.api import lint_file, read
    from linter.formats import load_format

    assert len(GENERATED) == 4
    for name, source in GENERATED:
        pdf = FIXTURES / "generated" / name
        pdf_report, _ = read(pdf)
        source_report, _ = read(ROOT / source)
        assert pdf_report.format == "pdf" and set(pdf_report.sections) == set(source_report.sections)
        compared = 0
        for key, table in source_report.tables.items():
            spec = load_format(table.layout).tables[key]
            for row in spec.rows:
                for col in spec.row_columns(row):
                    want, got = table.cell(row.key, col), pdf_report.tables[key].cell(row.key, col)
                    assert (got.status, got.value) == (want.status, want.value), (name, key, row.key, col)
                    compared += 1
        assert compared == 200
        errors = [
            {f.rule for f in lint_file(path, all_rules).findings if f.level == "error"} for path in (pdf, ROOT / source)
        ]
        assert errors[0] == errors[1], name


def test_pages_placed_as_scaled_forms_read_the_same(tmp_path):
    """Imposition and n-up tools place each page as a form XObject with its own matrix: the
    ruling lines and characters inside are mapped through it, so the tables read the same."""
    import pypdfium2 as pdfium

    from linter.api import read

    original = FIXTURES / "real" / "2024_huaian-hongzequ_1.pdf"
    source = pdfium.PdfDocument(original)
    placed = pdfium.PdfDocument.new()
    for i in range(len(source)):
        width, height = source[i].get_size()
        page = placed.new_page(width * 0.8 + 60, height * 0.8 + 80)
        form = source.page_as_xobject(i, placed).as_pageobject()
        form.transform(pdfium.PdfMatrix().scale(0.8, 0.8).translate(30, 40))
        page.insert_obj(form)
        page.gen_content()
    path = tmp_path / "placed.pdf"
    placed.save(path)
    want, got = read(original)[0], read(path)[0]
    cells = {k: [(c.status, c.value) for c in t.cells.values()] for k, t in want.tables.items()}
    assert cells == {k: [(c.status, c.value) for c in t.cells.values()] for k, t in got.tables.items()}
    assert sum(c.value or 0 for c in got.tables["三"].cells.values() if c.has_value) > 0


def test_characters_outside_the_basic_plane_in_a_pdf():
    """PDFium reports 𠀋 (U+2000B) and 𠮷 (U+20BB7), rare characters of personal names, as two
    UTF-16 halves each; they are joined back. A glyph without any character code is left out."""
    doc = load(FIXTURES / "generated" / "rare-characters.chromium.pdf")
    assert [b.text for b in doc.blocks] == ["姓名：𠀋 𠮷 一、总体情况"]
