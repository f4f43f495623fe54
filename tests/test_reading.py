"""Layouts the fixtures lack, made from the real fixtures, read as their sources are: page
furniture (running heads, page numbers) at page breaks inside tables, in text, Markdown and
the PDF text layer; tables flattened into digit runs; section bodies printed on the heading's
line. Every variant must give every cell of tables 二, 三, 四 as its source does."""

from __future__ import annotations

import ctypes
import re

import pytest
from conftest import FIXTURES, findings_for_text

from linter.load import load, load_text
from linter.load.furniture import text_furniture
from linter.parse import parse

SOURCES = sorted(p for d in ("real", "seeds") for p in (FIXTURES / d).iterdir() if p.suffix in (".txt", ".md"))
HEAD = "平潭综合实验区政府信息公开工作年度报告"
# Page furniture as text exports print it at a break: (lines at the break, whether a form feed
# marks it). Bare numbers without a form feed are recognised by counting the pages.
STYLES = {
    "dash-formfeed": lambda n, total: [f"- {n} -", "\f"],
    "emdash": lambda n, total: ["", f"— {n} —", ""],
    "page-of": lambda n, total: [f"第 {n} 页 共 {total} 页"],
    "fraction": lambda n, total: [f"{n}/{total}"],
    "page": lambda n, total: [f"第{n}页"],
    "bare-formfeed": lambda n, total: ["", f"{n}", "\f"],
    "bare": lambda n, total: ["", f"   {n}", ""],
    "bare-tight": lambda n, total: [f"{n}"],
    "head-bare": lambda n, total: [f"{n}", "", HEAD],
    "head-formfeed": lambda n, total: [f"{n}", "\f", HEAD, ""],
}
_OWN_MARK = re.compile(r"^\s*—\s*\d+\s*—\s*$")  # the page marks one fixture already carries
_ROW_START = re.compile(
    r"(?=第二十条第|[一二三四]、(?:本年|上年|本年度|结转|收到和处理|政府信息公开行政)"
    r"|(?<!第)（[一二三四五六七]）|(?<=\d)\d\.(?=\D))"
)


def _text(path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").split("\n") if not _OWN_MARK.match(line))


def _rows(text: str) -> str:
    """A flattened web body re-flowed as extracted text: one table row per line."""
    out = []
    for line in text.split("\n"):
        i, end = line.find("第二十条第"), re.search(r"五、[^。，]{0,12}问题", line)
        j = end.start() if end else -1
        if len(line) > 400 and 0 <= i < j:
            out += [line[:i], *[p for p in _ROW_START.split(line[i:j]) if p], line[j:]]
        else:
            out.append(line)
    return "\n".join(out)


def _one_per_line(text: str) -> str:
    """Tab and pipe tables printed one cell per line, as a copy from a PDF viewer gives them."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or line.startswith("|"):
            out += [c.strip() for c in re.split(r"[\t|]", line) if c.strip() and not set(c.strip()) <= set("-:")]
        else:
            out.append(line)
    return "\n".join(out)


def _paged(text: str, every: int, style: str) -> tuple[str, set[int]]:
    """The text with page furniture after every ``every`` lines, and the furniture's line indices."""
    lines, out = text.split("\n"), []
    total = len(lines) // every + 1
    for i, line in enumerate(lines):
        out.append(line)
        if (i + 1) % every == 0 and i + 1 < len(lines):
            out += ["\x00" + extra if extra.strip() else extra for extra in STYLES[style](i // every + 1, total)]
    marked = "\n".join(out)
    inserted = {i for i, line in enumerate(marked.splitlines()) if line.startswith("\x00")}
    return marked.replace("\x00", ""), inserted


def _cells(text: str, name: str) -> dict:
    report = parse(load_text(text, name, "md" if name.endswith(".md") else "txt"))
    return {f"{k}:{ref}": (c.status, c.value) for k, t in report.tables.items() for ref, c in t.cells.items()}


def _table_lines(text: str, name: str) -> tuple[int, int]:
    report = parse(load_text(text, name, "md" if name.endswith(".md") else "txt"))
    lines = [c.loc.line for t in report.tables.values() for c in t.cells.values() if c.has_value and c.loc.line]
    return (min(lines), max(lines)) if lines else (0, 0)


def _has_tables(path) -> bool:
    return "第二十条" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [p for p in SOURCES if _has_tables(p)], ids=lambda p: p.stem)
def test_page_furniture_between_table_rows_changes_no_cell(path):
    source = _rows(_text(path))
    want = _cells(source, path.name)
    first, last = _table_lines(source, path.name)
    every = [n for n in (3, 5, 13) if n < last - first] or [2]
    for style in STYLES:
        for n in every:
            text, _ = _paged(source, n, style)
            got = _cells(text, path.name)
            assert got == want, (style, n, [(k, want[k], got.get(k)) for k in want if got.get(k) != want[k]][:4])
    assert last - first >= 2 * min(every), "the breaks must fall inside the tables"


@pytest.mark.parametrize(
    "path",
    [p for p in SOURCES if "\t" in p.read_text(encoding="utf-8") or "\n|" in p.read_text(encoding="utf-8")],
    ids=lambda p: p.stem,
)
def test_page_furniture_in_tables_printed_one_cell_per_line(path):
    """Cell values alone on their lines, page numbers among them: what marks the page (a form
    feed, a page mark, a running head) takes the furniture and leaves every value."""
    source = _one_per_line(_text(path))
    want = _cells(source, path.name)
    for style in STYLES:
        for n in (13, 33):
            text, inserted = _paged(source, n, style)
            gone = text_furniture(text, markdown=path.suffix == ".md")
            assert gone <= set(inserted), (style, n)  # never a line of the report itself
            if style not in ("bare", "bare-tight"):  # page numbers among cells, unmarked: not all found
                assert _cells(text, path.name) == want, (style, n)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_no_line_of_a_real_report_is_taken_for_furniture(path):
    raw = path.read_text(encoding="utf-8")
    for text in (raw, _rows(raw), _one_per_line(raw)):
        lines = text.splitlines()
        gone = text_furniture(text, markdown=path.suffix == ".md")
        assert all(_OWN_MARK.match(lines[i]) for i in gone), [lines[i] for i in gone if not _OWN_MARK.match(lines[i])]


ROW = "一、本年新收政府信息公开申请数量\t\t8\t0\t0\t0\t0\t0\t8\t"
SEED4 = FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt"


def _r01(text: str) -> list:
    table = parse(load_text(text, "x.txt")).tables["三"]
    return [
        table.cell("r01", c).value if table.cell("r01", c).has_value else None
        for c in ("natural", "commercial", "research", "public_interest", "legal", "other", "total")
    ]


def test_a_value_wrapped_onto_its_own_line_stays_a_value():
    text = SEED4.read_text(encoding="utf-8").replace(ROW, "一、本年新收政府信息公开申请数量 8 0 0 0 0 0\n8")
    assert _r01(text) == [8, 0, 0, 0, 0, 0, 8]


def test_a_page_number_never_fills_a_missing_cell():
    text = SEED4.read_text(encoding="utf-8").replace(ROW, "一、本年新收政府信息公开申请数量 8 0 0 0 0 8\n\n5\n")
    assert 5 not in _r01(text)
    text = SEED4.read_text(encoding="utf-8").replace(ROW, "一、本年新收政府信息公开申请数量 8 0 0 0 0 0 8\n5")
    assert _r01(text) == [8, 0, 0, 0, 0, 0, 8]


def _with_heads(src, dst) -> None:
    """The PDF with a running head and a page footer centred on every page (real PDFium objects)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(src)
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        for text, y in (
            ("Pingtan Annual Report on Open Government Information", height - 20),
            (f"Page {index + 1} of {len(pdf)}", 12),
        ):
            obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(9))
            buf = (text + "\x00").encode("utf-16-le")
            raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(buf), ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, (width - 4.5 * len(text)) / 2, y)  # centred
            raw.FPDFPage_InsertObject(page.raw, obj)
        assert raw.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(dst))
    pdf.close()


@pytest.mark.parametrize("name", ["2023_pingtan-junshanpianqu_1.chromium.pdf", "2023_pingtan-jingfaju_1.chromium.pdf"])
def test_pdf_running_heads_and_footers_leave_sections_and_cells(tmp_path, name):
    src = FIXTURES / "generated" / name
    _with_heads(src, tmp_path / name)
    want, got = parse(load(src)), parse(load(tmp_path / name))
    # the first page's head cannot be known for one until the second page repeats it: it stays
    # before the report's first heading, as a web page's chrome would
    assert [p.text for p in got.paragraphs[got.body_start :] if "Pingtan" in p.text or "Page" in p.text] == []
    for key, table in want.tables.items():
        assert {r: (c.status, c.value) for r, c in got.tables[key].cells.items()} == {
            r: (c.status, c.value) for r, c in table.cells.items()
        }, key
    assert {k: s.text for k, s in got.sections.items()} == {k: s.text for k, s in want.sections.items()}


FLAT = sorted(p for p in (FIXTURES / "real").glob("202[1-5]_pingtan*.txt"))


@pytest.mark.parametrize("path", FLAT, ids=lambda p: p.stem)
def test_an_error_in_a_digit_run_is_reported_on_its_cell(path, all_rules):
    """A run with one digit per column that breaks the row total is read, and the row total
    rule names the cell; no parse note hides it."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"二、上年结转政府信息公开申请数量\s*([\d ]+?)\s*三、", text)
    assert m and len(m.group(1).replace(" ", "")) == 7, "row 二、上年结转 is a run of seven digits"
    broken = text[: m.start(1)] + "0000001" + text[m.end(1) :]
    table = parse(load_text(broken, path.name)).tables["三"]
    assert [table.cell("r02", c).value for c in ("natural", "other", "total")] == [0, 0, 1]
    found = findings_for_text(broken, all_rules, path.name)
    parts = [p for f in found for p in (f, *(f.related or []))]  # one cause: merged into one finding
    assert [(p.location.row, p.location.col) for p in parts if p.rule == "ARI003"] == [("r02", "total")]
    if not any(f.rule.startswith("ARI") for f in findings_for_text(text, all_rules, path.name)):
        # on a table that was consistent, one finding names the cell to change
        assert [
            f.message.count("最可能填错的是［二、上年结转政府信息公开申请数量］×［")
            for f in found
            if f.rule.startswith("ARI")
        ] == [1]
    assert not any(f.rule == "PAR002" and "上年结转" in f.message for f in found)


SECTION_RULES = ("SEC001", "SCN001", "SCN002", "TYP001")


def _inline(text: str, name: str, joiner: str) -> tuple[str, int]:
    """Each statutory heading followed by its first paragraph on the same line."""
    report = parse(load_text(text, name, "md" if name.endswith(".md") else "txt"))
    lines = text.split("\n")
    joined = 0
    for section in sorted(report.sections.values(), key=lambda s: -(s.loc.line or 0)):
        i = (section.loc.line or 0) - 1
        j = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
        if (
            j is None
            or "\t" in lines[i] + lines[j]
            or not re.search(r"[，。]|.{15}", lines[j].strip())
            or lines[j].lstrip().startswith(("#", "|"))
        ):
            continue  # a table or a subheading follows: nothing to print on the heading's line
        lines[i] = lines[i].rstrip() + joiner + lines[j].strip()
        del lines[i + 1 : j + 1]
        joined += 1
    return "\n".join(lines), joined


@pytest.mark.parametrize(
    "path", [p for p in SOURCES if p.read_text(encoding="utf-8").count("\n") > 50], ids=lambda p: p.stem
)
def test_section_bodies_printed_on_the_heading_line(path, all_rules):
    text = path.read_text(encoding="utf-8")
    want = parse(load_text(text, path.name))
    before = {(f.rule, f.message) for f in findings_for_text(text, all_rules, path.name) if f.rule in SECTION_RULES}
    for joiner in ("", "：", " "):
        variant, joined = _inline(text, path.name, joiner)
        assert joined >= 1, "a heading followed by prose"
        got = parse(load_text(variant, path.name))
        assert {k: (s.title, s.text) for k, s in got.sections.items()} == {
            k: (s.title, s.text) for k, s in want.sections.items()
        }, joiner
        assert any(s.inline for s in got.sections.values())
        after = {
            (f.rule, f.message) for f in findings_for_text(variant, all_rules, path.name) if f.rule in SECTION_RULES
        }
        assert after == before, joiner


@pytest.mark.parametrize(
    "line, title, inline",
    [
        ("六、其他需要报告的事项无。", "其他需要报告的事项", "无。"),
        ("六、其他需要报告的事项：无", "其他需要报告的事项", "无"),
        ("六、需要说明的其他事项与附表无。", "需要说明的其他事项与附表", "无"),
        ("六、其他需要报告的事项暂无 聊城市卫生健康委员会 2025年1月20日", "其他需要报告的事项", "暂无"),
        ("六、需要说明的其他事项与附表无 聊城市卫生健康委员会 2025年1月20日", "需要说明的其他事项与附表", "无"),
    ],
)
def test_nothing_to_report_printed_on_the_heading_line(line, title, inline, all_rules):
    text = SEED4.read_text(encoding="utf-8")
    text = text[: text.index("六、其他需要报告的事项")] + line + "\n"
    section = parse(load_text(text, "x.txt")).sections["六"]
    assert (section.title, section.inline, section.text) == (title, inline, inline)
    found = findings_for_text(text, all_rules)
    assert not [f for f in found if f.rule == "SEC001"]
    assert [f.message for f in found if f.rule == "TYP001" and f.location.section == "六"] == (
        [] if title == "其他需要报告的事项" else [f"第六部分的标题“{title}”与格式不一致，应为“其他需要报告的事项”"]
    )


_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _digit_runs(text: str) -> str:
    """Tab and pipe rows flattened as crawled web text prints them: the row's words, then its
    numbers run together with nothing between them."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or line.lstrip().startswith("|"):
            cells = [c.strip() for c in re.split(r"[\t|]", line) if c.strip() and not set(c.strip()) <= set("-:")]
            if cells:
                out.append(
                    "".join(c for c in cells if not _NUMBER.match(c)) + "".join(c for c in cells if _NUMBER.match(c))
                )
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize(
    "path",
    [p for p in SOURCES if "\t" in p.read_text(encoding="utf-8") or "\n|" in p.read_text(encoding="utf-8")],
    ids=lambda p: p.stem,
)
def test_rows_flattened_into_digit_runs_give_no_wrong_number(path):
    """A run is read only when its reading is certain (one digit per column, or the one split
    the row total allows); a run that could be read several ways, or none, stays unread."""
    text = path.read_text(encoding="utf-8")
    want, got = _cells(text, path.name), _cells(_digit_runs(text), path.name)
    wrong = [(k, want[k], got[k]) for k in want if k[0] in "三四" and got[k][1] not in (want[k][1], None)]
    assert wrong == []
    if path.stem.startswith(("001", "003", "004")):  # one printed number per cell: every run is certain
        assert all(got[k][1] == want[k][1] for k in want if k[0] in "三四")


def test_an_error_in_a_flattened_row_is_reported_on_its_cell(all_rules):
    text = _digit_runs(SEED4.read_text(encoding="utf-8"))
    assert "二、上年结转政府信息公开申请数量2000002" in text
    broken = text.replace("二、上年结转政府信息公开申请数量2000002", "二、上年结转政府信息公开申请数量2000003")
    found = findings_for_text(broken, all_rules)
    parts = [p for f in found for p in (f, *(f.related or []))]  # one cause: merged into one finding
    assert [(p.rule, p.location.row, p.location.col) for p in parts if p.rule == "ARI003"] == [
        ("ARI003", "r02", "total")
    ]
    assert sum("［二、上年结转政府信息公开申请数量］×［总计］现为3，应为2" in f.message for f in found) == 1
    assert not [f for f in found if f.rule == "PAR002"]
