"""HTML loader: the report body of a government web page, its paragraphs and tables.

The page becomes an element tree (``htmltree``); the report is the part chosen by its headings
and tables, with portal chrome cut (``htmlmain``); the page's metadata box and <meta> tags give
title, agency and publication date (``htmlmeta``). Paragraphs and tables are read from the
report part in order, rowspan/colspan cells placed, layout tables read as containers. A page
whose report is only a downloadable attachment gets one problem naming the attachment.
Scripts are never run and nothing is fetched.
"""

from __future__ import annotations

import re

from linter.load import htmlmain, htmlmeta
from linter.load.blocks import add_table
from linter.load.htmltree import SKIP, Node, build, text_of
from linter.models import Document, Location, Paragraph, TextCell

# Elements that do not end a paragraph: table parts and document wrappers, and the standard
# phrasing elements the tree keeps (inline formatting has no element at all). Every other
# element is a block, an unknown CMS tag such as <ucapcontent> included.
NOT_BLOCK = {
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "colgroup",
    "html",
    "#root",
    "text",
    "publishtime",
    "img",
    "input",
    "wbr",
    "meta",
    "link",
    "col",
    "area",
    "map",
    "source",
    "embed",
    "param",
    "base",
    "picture",
    "time",
    "code",
    "kbd",
    "samp",
    "var",
    "dfn",
    "bdi",
    "bdo",
    "nobr",
    "ruby",
    "rt",
    "rp",
    "del",
    "data",
    "output",
    "canvas",
    "video",
    "audio",
}
MAX_CELLS = 100_000  # per table, after rowspan/colspan are expanded
_SPACE = re.compile(r"[\s\u00a0\u3000]+")


class _Extractor:
    def __init__(self, doc: Document, cut: set[Node], layout):
        self.doc, self.buf, self.para, self.tables = doc, [], 0, 0
        self.cut, self.layout = cut, layout

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.doc.blocks.append(Paragraph(text=text, loc=Location(paragraph=self.para)))
            self.para += 1

    def run(self, root: Node) -> None:
        stack: list = [root]
        while stack:
            cur = stack.pop()
            if cur is None:
                self.flush()
            elif isinstance(cur, str):
                self.buf.append(cur)
            elif cur.tag in SKIP or cur in self.cut:
                continue
            elif cur.tag == "table" and not self.layout(cur):
                self.flush()
                add_table(self.doc, self.grid(cur), Location(table_index=self.tables))
                self.tables += 1
            elif cur.tag == "br":
                self.flush()
            else:
                if cur.tag not in NOT_BLOCK:
                    self.flush()
                    stack.append(None)  # flush when the block ends
                stack.extend(reversed(cur.children))
        self.flush()

    def grid(self, table: Node) -> list[list[TextCell]]:
        rows: list[list[TextCell]] = []
        pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered) from rowspan
        loc = Location(table_index=self.tables)
        cells_placed = 0
        for tr in _rows_of(table):
            row: list[TextCell] = []
            col = 0
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            for cell in cells + [None]:
                while col in pending:  # cells continued from rows above
                    text, left = pending[col]
                    row.append(TextCell(text=text, loc=loc))
                    pending[col] = (text, left - 1)
                    if left - 1 <= 0:
                        del pending[col]
                    col += 1
                if cell is None:
                    break
                text = text_of(cell)
                span = _int(cell.attrs.get("colspan"), 1, 100)
                down = _int(cell.attrs.get("rowspan"), 1, 1000)
                row.append(TextCell(text=text, loc=loc))
                if down > 1:
                    pending[col] = (text, down - 1)
                col += span
            rows.append(row)
            cells_placed += len(row)
            if cells_placed > MAX_CELLS:  # spans that multiply a small page into millions of cells
                self.doc.problems.append(
                    f"第{self.tables + 1}个表格展开合并单元格后超过 {MAX_CELLS} 个单元格，只读取了前 {len(rows)} 行"
                )
                break
        return rows


def _rows_of(table: Node) -> list[Node]:
    """The table's own rows in page order: its ``tr`` elements, those of tables inside it left out."""
    rows: list[Node] = []
    stack = [table]
    while stack:
        cur = stack.pop()
        if cur.tag == "tr":
            rows.append(cur)
        stack.extend(reversed([c for c in cur.children if c.__class__ is Node and c.tag != "table"]))
    return rows


def _int(value: str | None, default: int, cap: int) -> int:
    if value is None:  # most cells span nothing
        return default
    try:
        return max(1, min(int(str(value).strip()), cap))
    except (TypeError, ValueError):
        return default


def load(data: bytes, path: str, kind: str = "html") -> Document:
    page = build(data)
    doc = Document(path=path, format="html")
    bits, size = htmlmain.marks(page.root, page.nodes)
    doc.meta.update(htmlmeta.read(page.meta, page.root, bits, size))
    main = htmlmain.choose(page.root, bits, size)
    cut = htmlmain.chrome(main, bits, size)
    extractor = _Extractor(doc, cut, lambda t: htmlmain.is_layout(t, bits))
    extractor.run(main)
    signoff = htmlmain.trailing_signoff(main, bits, size) if main is not page.root else None
    if signoff is not None:
        extractor.run(signoff)
    if not bits[page.root] & htmlmain.REPORT:
        found = htmlmain.attachment(page.links, doc.meta.get("title"))
        if found:
            name, count = found
            more = f"（页面共有{count}个附件链接）" if count > 1 else ""
            doc.problems.append(f"网页正文没有报告文字，年度报告在附件“{name}”中{more}：请下载该附件，再检查附件文件")
    return doc
