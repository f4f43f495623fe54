"""HTML element tree: charset detection, a single-pass tokenizer and the tree it builds.

The tokenizer is one regular expression (iterative, so any nesting depth is safe, and several
times faster than the standard library's HTMLParser on CMS pages full of navigation markup).
Inline formatting such as span and font gets no element: its text joins the enclosing one, so
a paragraph's words are the direct strings of its element. Tags the loader does not know
(``<ucapcontent>``, ``<publishtime>`` …) are elements like any container; namespaced Word tags
(``<o:p>``, ``<st1:chsdate>``) are inline. Links to downloadable files are recorded with their
text. Nothing is executed or fetched.
"""

from __future__ import annotations

import re
from html import unescape

INLINE = set(
    "span font strong b i em u a sup sub small big s strike ins mark abbr cite q tt label".split()
)  # no element is built for these
VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "param", "embed"}
SKIP = set("script style noscript template head iframe object svg select button textarea nav".split())
MAX_DEPTH = 512
FILE_LINK = re.compile(r"([^/\\=?&#]*\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|ceb|txt))(?=$|[?#&])", re.I)
_FILE_HINT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|ceb|txt)\b", re.I)  # in a raw tag
EMBEDS = {"iframe", "embed", "object"}  # a file shown in the page (a PDF viewer's file=…) is a link too
_SPECIAL = {"meta", "p", "li", "td", "th", "tr", "title"}  # start tags with more to do than a node
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
# Linear on any input: a tag name ends where its text says (no backtracking into it), and an
# unquoted '<' ends a failed tag, so each '<' is scanned from at most up to the next one. The
# attributes are runs of plain characters between quoted values ("unrolled": each character
# has one way to match, and a run is taken whole instead of one character per repetition).
_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/><]*)(?=[\s/>])([^'"><]*(?:(?:"[^"]*"|'[^']*')[^'"><]*)*)>|<[!?][^<>]*>""")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent


class Link:
    """A link to a downloadable file: its target, its text (filled when the link closes) and
    the element it sits in."""

    __slots__ = ("href", "title", "text", "node", "start")

    def __init__(self, href: str, title: str, node: Node):
        self.href, self.title, self.text, self.node, self.start = href, title, "", node, len(node.children)


class Builder:
    def __init__(self) -> None:
        self.root = Node("#root", {}, None)
        self.stack = [self.root]
        self.nodes = [self.root]  # every element in the order its tag came, which is pre-order (``walk``)
        self.meta: dict[str, str] = {}
        self.links: list[Link] = []
        self._open: Link | None = None

    def feed(self, text: str) -> None:
        """Tokenize: tags (names and attribute names lower-cased, values unescaped) and the
        text between them; declarations and processing instructions are dropped. Attributes
        are read only where one the loader uses is present (most tags carry only a style).

        One split of the page gives text, closing mark, name and attributes of every tag in
        turn; the handlers are written out in the loop (a page has thousands of tags)."""
        stack, meta, nodes = self.stack, self.meta, self.nodes
        in_title = False
        names: dict[str, str] = {}  # tag as written → its name, "" for inline formatting
        parts = _TAG.split(text)
        last = len(parts) - 1  # the split gives text, then 4 parts per tag: text is at 0, 4, 8 … last
        for i in range(0, last + 1, 4):
            data = parts[i]
            if data:
                if "&" in data:
                    data = unescape(data)
                if in_title:
                    meta.setdefault("#title", data.strip())
                stack[-1].children.append(data)
            if i == last:
                break
            raw = parts[i + 2]
            if raw is None:
                continue  # a declaration, comment or processing instruction
            tag = names.get(raw)
            if tag is None:
                tag = names[raw] = _name(raw)
            if not tag:
                continue  # formatting only: its text belongs to the enclosing element
            closing, rest = parts[i + 1], parts[i + 3]
            if tag == "a":
                self._link(closing, rest)
                continue
            if closing:
                if stack[-1].tag == tag and len(stack) > 1:
                    stack.pop()
                else:
                    _close(stack, tag)
                in_title = False
                continue
            if tag in EMBEDS and _FILE_HINT.search(rest):
                self._embed(rest)
            attrs = _attrs(rest) if rest and _wanted(rest) else {}
            if tag in _SPECIAL:
                if tag == "meta":
                    name = (attrs.get("name") or attrs.get("property") or "").lower()
                    if name and attrs.get("content"):
                        meta.setdefault(name, attrs["content"])
                elif tag == "p" or tag == "li":
                    if tag in [n.tag for n in stack[-3:]]:
                        _close(stack, tag)
                elif tag == "td" or tag == "th":
                    _close_within(stack, ("td", "th"), "tr")
                elif tag == "tr":
                    _close_within(stack, ("tr",), "table")
                in_title = tag == "title"
            else:
                in_title = False
            node = Node(tag, attrs, stack[-1])
            stack[-1].children.append(node)
            nodes.append(node)
            if tag not in VOID:
                if len(stack) < MAX_DEPTH:
                    if not rest.endswith("/"):  # <tag/>: nothing inside
                        stack.append(node)
                elif rest.endswith("/") and stack[-1].tag == tag:
                    stack.pop()
        self._link("/", "")

    def _link(self, closing: str, rest: str) -> None:
        link = self._open
        if link is not None:  # a link ends at its end tag or at the next link
            strings = link.node.children[link.start :]
            link.text = _SPACE.sub(" ", "".join(s for s in strings if isinstance(s, str))).strip()
            self._open = None
        if closing or not _FILE_HINT.search(rest):
            return  # not a link to a file (most links of a portal page)
        attrs = _attrs(rest)
        href = attrs.get("href", "").strip()
        if FILE_LINK.search(href):
            self._open = Link(href, attrs.get("title", "").strip(), self.stack[-1])
            self.links.append(self._open)

    def _embed(self, rest: str) -> None:
        attrs = _attrs(rest)
        src = (attrs.get("src") or attrs.get("data") or "").strip()
        if FILE_LINK.search(src):
            self.links.append(Link(src, attrs.get("title", "").strip(), self.stack[-1]))


def _name(raw: str) -> str:
    """A tag's name lower-cased; "" for inline formatting (no element), but "a" is kept (links)."""
    tag = raw.lower()
    return tag if tag == "a" or not (tag in INLINE or ":" in tag) else ""


def _attrs(rest: str) -> dict[str, str]:
    return {a.lower(): _unescape(v1 or v2 or v3 or "") for a, v1, v2, v3 in _ATTR.findall(rest)}


def _close(stack: list[Node], tag: str) -> None:
    """Close the innermost open element of this name, and all inside it (none: nothing)."""
    for i in range(len(stack) - 1, 0, -1):
        if stack[i].tag == tag:
            del stack[i:]
            return


def _close_within(stack: list[Node], tags: tuple[str, ...], boundary: str) -> None:
    for i in range(len(stack) - 1, 0, -1):
        if stack[i].tag == boundary:
            return
        if stack[i].tag in tags:
            del stack[i:]
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


_NOT_CONTENT = {
    re.compile(r"<script\b", re.I): re.compile(r"</script\s*>", re.I),
    re.compile(r"<style\b", re.I): re.compile(r"</style\s*>", re.I),
    re.compile(r"<!--"): re.compile(r"-->"),
}


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
        out += [text[pos : opening.start()], " "]
        pos = close.end()
    return "".join(out) + text[pos:]


def build(data: bytes) -> Builder:
    """The page's element tree; scripts, styles and comments are never read."""
    builder = Builder()
    builder.feed(_drop_not_content(decode(data)))
    return builder


def walk(node: Node):
    """Pre-order traversal of elements (iterative)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed([c for c in cur.children if isinstance(c, Node)]))


def own_text(node: Node) -> str:
    """The text written directly in the element (its inline formatting included)."""
    return _SPACE.sub(" ", "".join(c for c in node.children if isinstance(c, str))).strip()


def text_of(node: Node, memo: dict | None = None, sep: str = "") -> str:
    """The node's visible text, whitespace collapsed. With ``memo`` (node → collapsed text), a
    descendant already read is taken from it and removed, so nested containers are read once.
    With ``sep``, every element boundary is marked by it (cells and list items stay apart)."""
    if Node not in map(type, node.children):  # text only: the common paragraph
        text = _SPACE.sub(" ", "".join(node.children)) if node.tag not in SKIP else ""
        if memo is not None:
            memo[node] = text
        return text.strip()
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
            elif sep:
                out.append(sep)
                stack.append(sep)
            stack.extend(reversed(cur.children))
    text = _SPACE.sub(" ", "".join(out))
    if memo is not None:
        memo[node] = text
    return text.strip()
