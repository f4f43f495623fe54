"""Which part of a web page is the report, and which parts are portal chrome.

The report is found by what a report is: the statutory section headings 一…六 (recognised by the
parser's own heading test) and the anchors of tables 二/三/四. Every element gets the set of
those it holds; the main content is the smallest element holding all the page has. Inside it,
chrome that holds none of them is cut: metadata boxes, breadcrumbs, 上一篇/下一篇, related
links, share and print bars, 扫一扫 codes and site footers. Tables holding section headings or
other tables are page layout, read as containers. A page with no report text but a link to a
file is described by the link most like the report.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from linter.formats import VERSIONS, for_year, load_format
from linter.load.htmltree import FILE_LINK, SKIP, Link, Node, own_text, text_of, walk
from linter.textutil import label_key
from linter.wording.dates import DATE_RE
from linter.wording.headings import SECTION_LEAD, heading_of, inline_heading
from linter.wording.names import ORG_END, is_title

KEYS = "一二三四五六"
TABLE_BITS = {"二": 1 << 6, "三": 1 << 7, "四": 1 << 8}
HAS_TABLE = 1 << 9  # the element is or holds a <table>
REPORT = (1 << 9) - 1  # heading and table-anchor bits
LABEL = 1 << 10  # the element's text names a metadata label (索引号, 发布机构, 公开日期 …)
CHROME_MAX = 3000  # chrome is short; a longer element free of report marks is read, not cut

# metadata-box labels (a label at an element boundary, or followed by a colon, not in prose)
STRONG = (
    "索引号",
    "主题分类",
    "发布机构",
    "公开日期",
    "发布日期",
    "成文日期",
    "文号",
    "发文字号",
    "公开方式",
    "公开范围",
    "发文机关",
    "组配分类",
    "体裁分类",
    "信息来源",
    "发布时间",
    "生成日期",
    "公开时限",
)
WEAK = (
    "名称",
    "标题",
    "来源",
    "分类",
    "关键词",
    "主题词",
    "有效性",
    "时效",
    "时效性",
    "生效日期",
    "废止日期",
    "服务对象",
    "发文日期",
    "所属机构",
    "发布单位",
    "发文单位",
    "文章来源",
    "稿件来源",
    "信息分类",
    "浏览次数",
    "浏览量",
    "阅读次数",
    "访问量",
    "点击数",
    "文件下载",
)
_LABELS = sorted(STRONG + WEAK, key=len, reverse=True)
BOX_LABEL = re.compile(r"(?:^|(?<=\s))(" + "|".join(_LABELS) + r")\s*(?:[:：]|(?=\s)|$)")
_ANY_LABEL = re.compile("|".join(STRONG + ("来源",)))
_INFO = re.compile(r"(?:^|(?<=\s))(?:公开日期|发布日期|成文日期|发布时间|发布机构|信息来源|文章来源|来源)\s*[:：]")
_CRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|您当前的位置|您所在的位置|所在位置|当前所在位置|位置)\s*[:：]")
_PREV_NEXT = re.compile(r"^[\s【\[〖<]*(?:上一篇|下一篇|上一条|下一条|上一页|下一页|共\s*\d+\s*页)")
_BAR = re.compile(
    r"分享到|分享\s*[:：]|打印本页|打印此页|[【\[〖]\s*打印\s*[】\]〗]|关闭窗口|关闭本页|[【\[〖]\s*关闭\s*[】\]〗]"
    r"|字体\s*[:：]|字号\s*[:：]|[【\[]\s*大\s*[】\]]|大\s+中\s+小|扫一扫|微信扫|二维码|收藏本页|加入收藏"
    r"|浏览次数|访问量|点击数|阅读次数|浏览量|护眼模式|视力保护色|(?:责任编辑|编辑|审核|校对|作者)\s*[:：]"
)
_BAR_WORDS = re.compile(r"^(?:[【\[〖]?\s*(?:打印|关闭|分享|收藏|返回顶部|返回|微信|微博|QQ空间)\s*[】\]〗]?\s*)+$")
_RELATED = re.compile(
    r"^(?:相关链接|相关文章|相关阅读|相关新闻|相关信息|相关文件|相关稿件|相关推荐|推荐阅读|延伸阅读"
    r"|相关政策|相关解读|热点推荐|猜你喜欢|附件下载|相关附件)"
)
_FOOTER = re.compile(
    r"网站标识码\s*[:：]?\s*[0-9A-Za-z]{6,}|ICP\s*[备证]\s*\d|公网安备\s*\d|版权所有|Copyright|©"
    r"|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]|维护单位\s*[:：]"
)
_FOOTER_WORDS = re.compile(r"网站地图|联系我们|网站声明|隐私声明|关于我们|网站纠错|无障碍")


@lru_cache(maxsize=1)
def _table_anchors() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {k: [] for k in TABLE_BITS}
    for version in VERSIONS:
        for key in TABLE_BITS:
            out[key] += [label_key(a) for a in load_format(version).tables[key].anchors]
    return out


@lru_cache(maxsize=4096)  # table cells such as 三、本年度办理结果 recur in every report
def _heading_bit(text: str) -> int:
    if not SECTION_LEAD.match(text):
        return 0
    fmt = for_year(None)  # the newest format's headings
    found = heading_of(text, fmt) if len(text) <= 60 else None
    if not found:
        inline = inline_heading(text[:120], fmt)
        found = inline[:3] if inline else None
    return 1 << KEYS.index(found[0]) if found and found[0] in KEYS else 0


def marks(root: Node, nodes: list[Node] | None = None) -> tuple[dict[Node, int], dict[Node, int]]:
    """For every element: the report marks it holds (bits) and the length of its text.
    ``nodes``: the elements under ``root`` in pre-order, when the caller has them (the tree's builder)."""
    bits: dict[Node, int] = {}
    size: dict[Node, int] = {}
    anchors = _table_anchors()
    tables: dict[Node, str] = {}  # a table's text, until the table around it reads it (nested tables read once)
    for node in reversed(list(walk(root)) if nodes is None else nodes):  # every element after its descendants
        if node.tag in SKIP:
            bits[node], size[node] = 0, 0
            continue
        b, n, strings = 0, 0, []
        for child in node.children:
            if child.__class__ is str:
                n += len(child)
                strings.append(child)
            else:
                b |= bits[child]
                n += size[child]
        if strings:
            own = "".join(strings)
            if SECTION_LEAD.match(own):
                b |= _heading_bit(own_text(node))
            if _ANY_LABEL.search(own):
                b |= LABEL
        if node.tag == "table":
            flat = label_key(text_of(node, tables))
            for key, bit in TABLE_BITS.items():
                if any(a in flat for a in anchors[key]):
                    b |= bit
            b |= HAS_TABLE
        bits[node], size[node] = b, n
    return bits, size


def choose(root: Node, bits: dict[Node, int], size: dict[Node, int]) -> Node:
    """The smallest element holding every report mark of the page; the page when it has none."""
    want = bits[root] & REPORT
    if not want:
        return root
    best = root
    for node, b in bits.items():
        if b & REPORT == want and size[node] < size[best]:
            best = node
    return best


def is_layout(table: Node, bits: dict[Node, int]) -> bool:
    """A table used for page layout: it holds another table or several section headings."""
    inner = 0
    for child in table.children:
        if isinstance(child, Node):
            inner |= bits.get(child, 0)
    return bool(inner & HAS_TABLE) or bin(bits.get(table, 0) & 0b111111).count("1") >= 2


def chrome_kind(text: str) -> str | None:
    """What piece of portal chrome an element of this (spaced) text is, if any. Chrome has no
    sentences: with a 。 only the strongest signs count (report prose names 索引号 or 网站标识码)."""
    if not text:
        return None
    short, has_stop = len(text) < 200, "。" in text
    strong = len({m.group(1) for m in BOX_LABEL.finditer(text)} & set(STRONG))
    if strong >= 2 and (not has_stop or strong >= 4):
        return "box"
    if has_stop:
        return "footer" if len(set(_FOOTER.findall(text))) >= 3 and len(text) < CHROME_MAX else None
    if len(text) < 300 and _CRUMB.match(text):
        return "breadcrumb"
    if len(text) < 400 and _PREV_NEXT.match(text):
        return "prev-next"
    if _RELATED.match(text):
        return "related"
    if short and _INFO.search(text):
        return "info"  # an info line: 发布日期：… 来源：…
    if short and (_BAR.search(text) or _BAR_WORDS.match(text)):
        return "toolbar"
    if _FOOTER.search(text) or (short and len(set(_FOOTER_WORDS.findall(text))) >= 2):
        return "footer"
    return None


def chrome(main: Node, bits: dict[Node, int], size: dict[Node, int]) -> set[Node]:
    """The chrome elements inside the main content, each cut whole. An element that holds a
    dated line (a sign-off beside a pager, say) is cut only in its parts."""
    cut: set[Node] = set()
    stack = [c for c in main.children if isinstance(c, Node)]
    while stack:
        node = stack.pop()
        if node.tag in SKIP or not size.get(node):
            continue
        if not bits[node] & REPORT and size[node] <= CHROME_MAX:
            text = text_of(node, sep=" ")
            kind = chrome_kind(text)
            nested = any(isinstance(c, Node) and c.tag != "br" for c in node.children)
            if kind and (kind == "box" or not nested or not DATE_RE.search(text)):
                cut.add(node)
                continue
        if node.tag == "table" and not is_layout(node, bits):
            continue  # a table of the report: its cells are read, never cut
        stack.extend(c for c in node.children if isinstance(c, Node))
    return cut


_PUNCT = re.compile(r"[，。；,;！？:：]")


def trailing_signoff(main: Node, bits: dict[Node, int], size: dict[Node, int]) -> Node | None:
    """A sign-off the page prints after the report's element (agency and date in elements of
    their own): the short lines right after it, when they hold a date line and nothing else
    than such lines and agency names. Returned as one element to read after the report."""
    parent = main.parent
    if parent is None:
        return None
    after = parent.children[parent.children.index(main) + 1 :]
    taken: list = []
    dated = False
    for item in after:
        if isinstance(item, Node) and (item.tag == "br" or item.tag in SKIP):
            taken.append(item)
            continue
        text = text_of(item) if isinstance(item, Node) else re.sub(r"\s+", " ", item).strip()
        if not text:
            taken.append(item)
            continue
        if (
            (isinstance(item, Node) and (bits[item] & REPORT or size[item] > 80))
            or len(text) > 40
            or _PUNCT.search(text)
            or chrome_kind(text_of(item, sep=" ") if isinstance(item, Node) else text)
        ):
            break
        if (
            DATE_RE.fullmatch(text.replace(" ", ""))
            or DATE_RE.search(text)
            and ORG_END.search(DATE_RE.sub("", text).strip())
        ):
            dated = True
        elif not ORG_END.search(text) or len(text) > 30:
            break
        taken.append(item)
        if dated:
            break
    if not dated:
        return None
    holder = Node("div", {}, None)
    holder.children = taken
    return holder


_GENERIC = re.compile(r"^(?:点击)?(?:下载|查看|附件|下载附件|附件下载|原文下载|文件下载|点击此处|这里|此处)?\s*[:：]?$")


def link_name(link: Link) -> str:
    """What a user sees of a link: its text, else its title, else the file name."""
    for text in (link.text, link.title):
        if text and not _GENERIC.match(text):
            return text
    files = FILE_LINK.findall(unquote(link.href))
    return files[-1] if files and files[-1] else link.href


def attachment(links: list[Link], title: str | None) -> tuple[str, int] | None:
    """The report's attachment on a page without report text: the link most like the report
    (and how many file links there are), when the page or a link names an annual report."""
    if not links or len(links) > 5:
        return None
    names = [link_name(link) for link in links]
    reportish = [n for n in names if is_title(re.sub(r"\.[A-Za-z0-9]{2,4}$", "", n)) or "报告" in n or "年报" in n]
    if not reportish and not (title and is_title(title)):
        return None
    return (reportish or names)[0], len(links)
