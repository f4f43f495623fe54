"""A web page's own metadata: the 政府信息公开 box above the article and the <meta> tags.

The box (a table, a div or ul list, or a line such as 发布日期：… 来源：…) is read as label →
value pairs. 发布机构 (else 发文机关, 信息来源, ContentSource) gives the agency; 公开日期, 发布日期,
发布时间, the PubDate tags, else 成文日期 give the publication date, recorded with where it was
read (``published_source``). The title comes from ArticleTitle, <title> (site name dropped),
the box's 名称/标题, else the page's first heading element that reads as a report title.
"""

from __future__ import annotations

import datetime as dt
import re

from linter.load.htmlmain import BOX_LABEL, CHROME_MAX, LABEL, REPORT, STRONG, chrome_kind
from linter.load.htmltree import SKIP, Node, own_text, text_of, walk
from linter.wording.dates import calendar_date
from linter.wording.names import is_title

DATE_LABELS = ("公开日期", "发布日期", "发布时间")  # before the <meta> tags; 成文日期 after them
DATE_TAGS = {
    "pubdate": "PubDate",
    "publishdate": "PublishDate",
    "firstpublishedtime": "FirstPublishedTime",
    "article:published_time": "article:published_time",
}
AGENCY_LABELS = ("发布机构", "发文机关", "发布单位", "发文单位", "信息来源", "文章来源", "稿件来源", "来源")
_NOT_NAME = re.compile(r"\d{4}|[:：。；;]|^(?:无|暂无|[-—/／\s]*)$")
_SEP = "\ue000"  # a private-use character: unlike the ASCII separators, not whitespace to the regex


def iso_date(text: str) -> str | None:
    found = calendar_date(text)
    return dt.date(*found).isoformat() if found else None


def pairs(node: Node) -> dict[str, str]:
    """Label → value of a metadata box. Cells, items and elements are pieces; a label is a
    piece of its own (its value is the next piece) or precedes its value within a piece."""
    pieces = [p.strip() for p in text_of(node, sep=_SEP).split(_SEP)]
    pieces = [p for p in pieces if p]
    out: dict[str, str] = {}
    for i, piece in enumerate(pieces):
        found = list(BOX_LABEL.finditer(piece))
        for j, m in enumerate(found):
            end = found[j + 1].start() if j + 1 < len(found) else len(piece)
            value = piece[m.end() : end].strip(" ：:")
            if not value and j + 1 == len(found) and i + 1 < len(pieces) and not _labelish(pieces[i + 1]):
                value = pieces[i + 1]
            out.setdefault(m.group(1), value)
    return out


def _labelish(piece: str) -> bool:
    return bool(BOX_LABEL.match(piece)) or piece.endswith((":", "："))


def boxes(root: Node, bits: dict[Node, int], size: dict[Node, int]) -> dict[str, str]:
    """Label → value from the page's metadata elements (outside the report text), in page
    order; a box of several labels before an info line."""
    found: list[tuple[int, dict[str, str]]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag in SKIP or not bits[node] & LABEL:
            continue  # no label anywhere inside
        if not bits[node] & REPORT and size[node] <= CHROME_MAX:
            text = text_of(node, sep=" ")
            kind = chrome_kind(text)
            if kind in ("box", "info"):
                strong = {m.group(1) for m in BOX_LABEL.finditer(text)} & set(STRONG)
                found.append((-len(strong) if kind == "box" else 0, pairs(node)))
            if kind:
                continue  # related links and pagers carry other articles' dates
        stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))
    out: dict[str, str] = {}
    for _, box in sorted(found, key=lambda f: f[0]):  # stable: page order within each kind
        for label, value in box.items():
            if value:
                out.setdefault(label, value)
    return out


def _agency(value: str | None) -> str | None:
    value = re.sub(r"\s+", "", value or "")
    return value if 2 <= len(value) <= 40 and not _NOT_NAME.search(value) else None


def _heading_title(root: Node) -> str | None:
    for node in walk(root):
        tag = node.tag
        if tag in ("h1", "h2", "h3", "ucaptitle") or "title" in node.attrs.get("class", "").lower():
            text = own_text(node) or text_of(node)
            if is_title(text):
                return text
    return None


def read(tags: dict[str, str], root: Node, bits: dict[Node, int], size: dict[Node, int]) -> dict[str, str]:
    """The page's title, agency and publication date (with its source) for ``Document.meta``."""
    box = boxes(root, bits, size)
    meta: dict[str, str] = {}
    title = tags.get("articletitle") or tags.get("#title", "")
    if title:
        title = re.split(r"[_|｜\-—]", title)[0].strip()  # drop the site name
    found = next((c for c in (title, box.get("名称"), box.get("标题")) if c and is_title(c)), None)
    title = (found or _heading_title(root) or title or "").strip()  # the page is walked only if needed
    if title:
        meta["title"] = title
    dated = [(box.get(label), f"网页信息栏“{label}”") for label in DATE_LABELS]
    dated += [(tags.get(key), f"网页元数据 {name}") for key, name in DATE_TAGS.items()]
    dated.append((box.get("成文日期"), "网页信息栏“成文日期”"))
    for value, source in dated:
        iso = iso_date(value or "")
        if iso:
            meta["published"], meta["published_source"] = iso, source
            break
    for value in [box.get(label) for label in AGENCY_LABELS] + [tags.get("contentsource")]:
        agency = _agency(value)
        if agency:
            meta["agency"] = agency
            break
    return meta
