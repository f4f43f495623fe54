"""HTML loader: the report body of a government article page, its paragraphs and tables.

Builds a light element tree from a single-pass regular-expression tokenizer (iterative, so
any nesting depth is safe, and several times faster than the standard library's HTMLParser on
CMS pages full of navigation markup). Inline formatting such as span and font gets no
element: its text joins the enclosing one. Only the main article container is kept (site
navigation, breadcrumbs and footers fall away), and rowspan/colspan cells are placed. The
charset comes from the page's meta tag, else UTF-8, else GB18030. Scripts are never run and
nothing is fetched.
"""

from __future__ import annotations

import re
from html import unescape

from linter.load.blocks import add_table
from linter.models import Document, Location, Paragraph, TextCell

INLINE = {"span", "font", "strong", "b", "i", "em", "u", "a", "sup", "sub", "small", "big", "s", "strike", "ins",
          "mark", "abbr", "cite", "q", "tt", "label"}  # no element is built for these
VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "param", "embed"}
SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button",
        "textarea", "nav", "o:p"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote",
         "pre", "table", "tr", "dl", "dt", "dd", "header", "footer", "main", "center", "form", "body", "td", "th"}
CONTENT = re.compile(r"TRS_Editor|article[_-]?content|content|zoom|main[_-]?text|detail|article|xxgk|text", re.I)
MAX_DEPTH = 512
MAX_CELLS = 100_000  # per table, after rowspan/colspan are expanded
_SPECIAL = {"meta", "p", "li", "td", "th", "tr", "title"}  # start tags with more to do than a node
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
# Linear on any input: a tag name ends where its text says (no backtracking into it), and an
# unquoted '<' ends a failed tag, so each '<' is scanned from at most up to the next one.
_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/><]*)(?=[\s/>])((?:"[^"]*"|'[^']*'|[^'"><])*)>|<[!?][^<>]*>""")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None"):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent


class _Builder:
    def __init__(self) -> None:
        self.root = Node("#root", {}, None)
        self.stack = [self.root]
        self.meta: dict[str, str] = {}
        self._in_title = False

    def feed(self, text: str) -> None:
        """Tokenize: tags (names and attribute names lower-cased, values unescaped) and the
        text between them; declarations and processing instructions are dropped. Attributes
        are read only where one the loader uses is present (most tags carry only a style)."""
        pos = 0
        starttag, endtag, data = self.handle_starttag, self.handle_endtag, self.handle_data
        for m in _TAG.finditer(text):
            start = m.start()
            if start > pos:
                data(_unescape(text[pos:start]))
            pos = m.end()
            closing, tag, rest = m.group(1, 2, 3)
            if tag is None:
                continue
            tag = tag.lower()
            if tag in INLINE:
                continue  # formatting only: its text belongs to the enclosing element
            if closing:
                endtag(tag)
                continue
            attrs = ({a.lower(): _unescape(v1 or v2 or v3 or "") for a, v1, v2, v3 in _ATTR.findall(rest)}
                     if rest and _wanted(rest) else {})
            starttag(tag, attrs)
            if rest.endswith("/") and tag not in VOID and self.stack[-1].tag == tag:
                self.stack.pop()  # <tag/>: nothing inside
        if pos < len(text):
            data(_unescape(text[pos:]))

    def handle_starttag(self, tag, attrs):
        stack = self.stack
        if tag in _SPECIAL:
            if tag == "meta":
                name = (attrs.get("name") or attrs.get("property") or "").lower()
                if name and attrs.get("content"):
                    self.meta.setdefault(name, attrs["content"])
            elif tag in ("p", "li") and any(n.tag == tag for n in stack[-3:]):
                self._close(tag)
            elif tag in ("td", "th"):
                self._close_within(("td", "th"), "tr")
            elif tag == "tr":
                self._close_within(("tr",), "table")
            self._in_title = tag == "title"
        elif self._in_title:
            self._in_title = False
        node = Node(tag, attrs, stack[-1])
        stack[-1].children.append(node)
        if tag not in VOID and len(stack) < MAX_DEPTH:
            stack.append(node)

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


def _wanted(rest: str) -> bool:
    low = rest.lower()  # " id" rather than "id": width= and valign= are frequent and unwanted
    return "class" in low or " id" in low or "span" in low or "name" in low or "content" in low or "property" in low


def _unescape(text: str) -> str:
    return unescape(text) if "&" in text else text


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


def text_of(node: Node, memo: dict | None = None) -> str:
    """The node's visible text, whitespace collapsed. With ``memo`` (node → collapsed text), a
    descendant already read is taken from it and removed, so nested containers are read once."""
    out: list[str] = []
    stack: list = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, str):
            out.append(cur)
        elif memo is not None and cur is not node and cur in memo:
            out.append(memo.pop(cur))
        elif cur.tag not in SKIP:
            if cur.tag == "br":
                out.append(" ")
            stack.extend(reversed(cur.children))
    text = _SPACE.sub(" ", "".join(out))
    if memo is not None:
        memo[node] = text
    return text.strip()


def main_container(root: Node) -> Node:
    """The smallest content-like element holding the report; the whole page otherwise."""
    candidates = [n for n in _walk(root)
                  if n.tag not in SKIP and CONTENT.search(f"{n.attrs.get('class', '')} {n.attrs.get('id', '')}")]
    best, best_len, memo = None, None, {}
    for node in reversed(candidates):  # inner containers before the ones holding them
        text = text_of(node, memo)
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
        cells_placed = 0
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
            cells_placed += len(row)
            if cells_placed > MAX_CELLS:  # spans that multiply a small page into millions of cells
                self.doc.problems.append(f"第{self.tables + 1}个表格展开合并单元格后超过 {MAX_CELLS} 个单元格，"
                                         f"只读取了前 {len(rows)} 行")
                break
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


_NOT_CONTENT = {re.compile(r"<script\b", re.I): re.compile(r"</script\s*>", re.I),
                re.compile(r"<style\b", re.I): re.compile(r"</style\s*>", re.I),
                re.compile(r"<!--"): re.compile(r"-->")}


def _drop_not_content(text: str) -> str:
    """Scripts, styles and comments replaced by a space, in linear time: an opening with no end
    after it leaves the rest as it is, and its kind is not looked for again."""
    out, pos = [], 0
    ahead = {start: start.search(text) for start in _NOT_CONTENT}  # each kind's next opening
    while True:
        ahead = {k: (m if m is None or m.start() >= pos else k.search(text, pos)) for k, m in ahead.items()}
        ahead = {k: m for k, m in ahead.items() if m is not None}
        if not ahead:
            break
        kind, opening = min(ahead.items(), key=lambda item: item[1].start())
        close = _NOT_CONTENT[kind].search(text, opening.end())
        if close is None:
            del ahead[kind]
            continue
        out += [text[pos:opening.start()], " "]
        pos = close.end()
    return "".join(out) + text[pos:]


def load(data: bytes, path: str, kind: str = "html") -> Document:
    builder = _Builder()
    text = decode(data)
    builder.feed(_drop_not_content(text))  # scripts, styles and comments are never read
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
