"""HTML loader: the report body of a government article page, its paragraphs and tables.

Builds a light element tree with the standard library parser (iteratively, so any nesting
depth is safe), keeps only the main article container (site navigation, breadcrumbs and
footers fall away), and places rowspan/colspan cells. The charset comes from the page's
meta tag, else UTF-8, else GB18030. Scripts are never run and nothing is fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from linter.load.blocks import add_table
from linter.models import Document, Location, Paragraph, TextCell

VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "param", "embed"}
SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button",
        "textarea", "nav", "o:p"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote",
         "pre", "table", "tr", "dl", "dt", "dd", "header", "footer", "main", "center", "form", "body", "td", "th"}
CONTENT = re.compile(r"TRS_Editor|article[_-]?content|content|zoom|main[_-]?text|detail|article|xxgk|text", re.I)
MAX_DEPTH = 512
_SPACE = re.compile(r"[\s\u00a0\u3000]+")


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None"):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.stack = [self.root]
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "meta":
            name = (attrs.get("name") or attrs.get("property") or "").lower()
            if name and attrs.get("content"):
                self.meta.setdefault(name, attrs["content"])
        if tag in ("p", "li") and any(n.tag == tag for n in self.stack[-3:]):
            self._close(tag)
        if tag in ("td", "th"):
            self._close_within(("td", "th"), "tr")
        if tag == "tr":
            self._close_within(("tr",), "table")
        node = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)
        self._in_title = tag == "title"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        self._close(tag)
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.meta.setdefault("#title", data.strip())
        self.stack[-1].children.append(data)

    def _close(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def _close_within(self, tags: tuple[str, ...], boundary: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == boundary:
                return
            if self.stack[i].tag in tags:
                del self.stack[i:]
                return


def decode(data: bytes) -> str:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", data[:8192], re.I)
    candidates = []
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        candidates.append("gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name)
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _walk(node: Node):
    """Pre-order traversal of elements (iterative)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed([c for c in cur.children if isinstance(c, Node)]))


def text_of(node: Node) -> str:
    out: list[str] = []
    stack: list = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, str):
            out.append(cur)
        elif cur.tag not in SKIP:
            if cur.tag == "br":
                out.append(" ")
            stack.extend(reversed(cur.children))
    return _SPACE.sub(" ", "".join(out)).strip()


def main_container(root: Node) -> Node:
    """The smallest content-like element holding the report; the whole page otherwise."""
    best, best_len = None, None
    for node in _walk(root):
        ident = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}"
        if node.tag in SKIP or not CONTENT.search(ident):
            continue
        text = text_of(node)
        if len(text) < 60 or "公开" not in text or not ("总体情况" in text or "主动公开" in text):
            continue
        if best_len is None or len(text) < best_len:
            best, best_len = node, len(text)
    return best or root


class _Extractor:
    def __init__(self, doc: Document):
        self.doc, self.buf, self.para, self.tables = doc, [], 0, 0

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
            elif cur.tag in SKIP:
                continue
            elif cur.tag == "table":
                self.flush()
                add_table(self.doc, self.grid(cur), Location(table_index=self.tables))
                self.tables += 1
            elif cur.tag == "br":
                self.flush()
            else:
                block = cur.tag in BLOCK
                if block:
                    self.flush()
                    stack.append(None)  # flush when the block ends
                stack.extend(reversed(cur.children))
        self.flush()

    def grid(self, table: Node) -> list[list[TextCell]]:
        rows: list[list[TextCell]] = []
        pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered) from rowspan
        loc = Location(table_index=self.tables)
        for tr in (n for n in _walk(table) if n.tag == "tr" and _owner(n) is table):
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
        return rows


def _owner(tr: Node) -> Node | None:
    node = tr.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node


def _int(value: str | None, default: int, cap: int) -> int:
    try:
        return max(1, min(int(str(value).strip()), cap))
    except (TypeError, ValueError):
        return default


_NOT_CONTENT = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", re.S | re.I)


def load(data: bytes, path: str, kind: str = "html") -> Document:
    builder = _Builder()
    text = decode(data)
    head = text[: text.lower().find("<body")] if "<body" in text.lower() else ""
    builder.feed(head + _NOT_CONTENT.sub(" ", text[len(head):]))  # scripts and styles are never read
    builder.close()
    doc = Document(path=path, format="html")
    meta = builder.meta
    title = meta.get("articletitle") or meta.get("#title", "")
    if title:
        doc.meta["title"] = re.split(r"[_|｜\-—]", title)[0].strip()  # drop the site name
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time"):
        if meta.get(key):
            doc.meta["published"] = meta[key].strip()
            break
    _Extractor(doc).run(main_container(builder.root))
    return doc
