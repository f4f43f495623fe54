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

INLINE = {
    "span",
    "font",
    "strong",
    "b",
    "i",
    "em",
    "u",
    "a",
    "sup",
    "sub",
    "small",
    "big",
    "s",
    "strike",
    "ins",
    "mark",
    "abbr",
    "cite",
    "q",
    "tt",
    "label",
}  # no element is built for these
VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "param", "embed"}
SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "iframe",
    "object",
    "svg",
    "select",
    "button",
    "textarea",
    "nav",
}
MAX_DEPTH = 512
FILE_LINK = re.compile(r"([^/\\=?&#]*\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|ceb|txt))(?=$|[?#&])", re.I)
_FILE_HINT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|ceb|txt)\b", re.I)  # in a raw tag
EMBEDS = {"iframe", "embed", "object"}  # a file shown in the page (a PDF viewer's file=…) is a link too
_SPECIAL = {"meta", "p", "li", "td", "th", "tr", "title"}  # start tags with more to do than a node
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
# Linear on any input: a tag name ends where its text says (no backtracking into it), and an
# unquoted '<' ends a failed tag, so each '<' is scanned from at most up to the next one.
_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/><]*)(?=[\s/>])((?:"[^"]*"|'[^']*'|[^'"><])*)>|<[!?][^<>]*>""")
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
        self.meta: dict[str, str] = {}
        self.links: list[Link] = []
        self._open: Link | None = None
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
            if tag in INLINE or ":" in tag:
                if tag == "a":
                    self._link(closing, rest)
                continue  # formatting only: its text belongs to the enclosing element
            if closing:
                endtag(tag)
                continue
            if tag in EMBEDS and _FILE_HINT.search(rest):
                self._embed(rest)
            attrs = (
                {a.lower(): _unescape(v1 or v2 or v3 or "") for a, v1, v2, v3 in _ATTR.findall(rest)}
                if rest and _wanted(rest)
                else {}
            )
            starttag(tag, attrs)
            if rest.endswith("/") and tag not in VOID and self.stack[-1].tag == tag:
                self.stack.pop()  # <tag/>: nothing inside
        if pos < len(text):
            data(_unescape(text[pos:]))
        self._link("/", "")

    def _link(self, closing: str, rest: str) -> None:
        link = self._open
        if link is not None:  # a link ends at its end tag or at the next link
            strings = link.node.children[link.start :]
            link.text = _SPACE.sub(" ", "".join(s for s in strings if isinstance(s, str))).strip()
            self._open = None
        if closing or not _FILE_HINT.search(rest):
            return  # not a link to a file (most links of a portal page)
        attrs = {a.lower(): _unescape(v1 or v2 or v3 or "") for a, v1, v2, v3 in _ATTR.findall(rest)}
        href = attrs.get("href", "").strip()
        if FILE_LINK.search(href):
            self._open = Link(href, attrs.get("title", "").strip(), self.stack[-1])
            self.links.append(self._open)

    def _embed(self, rest: str) -> None:
        attrs = {a.lower(): _unescape(v1 or v2 or v3 or "") for a, v1, v2, v3 in _ATTR.findall(rest)}
        src = (attrs.get("src") or attrs.get("data") or "").strip()
        if FILE_LINK.search(src):
            self.links.append(Link(src, attrs.get("title", "").strip(), self.stack[-1]))

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
    if not any(isinstance(c, Node) for c in node.children):  # text only: the common paragraph
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
