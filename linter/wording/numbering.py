"""Numbering as reports print it: of sections (一、 第一部分), of items and table rows (（一） 1.),
and of pages (- 3 -, 第3页 共6页, 3/6)."""

from __future__ import annotations

import re
from functools import lru_cache

from linter.textutil import nfkc

CN = "一二三四五六七八九十"  # the numerals of sections and items
# a numbering token anywhere in a label: （一） / 一、 / 1.  (groups: bracketed, numeral, digits)
_TOKEN = re.compile(rf"[(（]\s*([{CN}]+|\d+)\s*[)）]|([{CN}]+)\s*[、.．]|(\d+)\s*[.．、](?!\d)")
# a numbered item at the start of a line: 一、 / （一） / (1) / 1.
ITEM = rf"[{CN}]{{1,2}}[、.．]|[（(][{CN}\d]{{1,2}}[)）]|\d{{1,2}}\s*[.．、]"
ITEM_RE = re.compile(rf"^(?:{ITEM})")


@lru_cache(maxsize=65536)
def numbering(text: str) -> tuple[str | None, str]:
    """The last row-numbering token in a label (kind+value: p bracketed, d numeral, a digits)
    and the label without numbering."""
    text = nfkc(text)
    last = None
    for m in _TOKEN.finditer(text):
        if text[m.end() :].strip():
            if m.group(1):
                last = "p" + m.group(1)
            elif m.group(2):
                last = "d" + m.group(2)
            else:
                last = "a" + m.group(3)
    return last, _TOKEN.sub("", text)


# ---------------------------------------------------------------- page numbers

_DASH = r"[-—–－―─‒~～·•]"
_NUM = r"(?:\d{1,4}|[一二三四五六七八九十百]{1,4})"
PAGE_MARK = re.compile(
    rf"^(?:{_DASH}+\s*\d{{1,4}}\s*{_DASH}+"  # - 3 -   — 3 —   ·3·
    rf"|第\s*{_NUM}\s*页\s*(?:[,，/／、]?\s*共\s*{_NUM}\s*页)?"  # 第3页  第 3 页 共 6 页
    rf"|共\s*{_NUM}\s*页\s*[,，/／、]?\s*第\s*{_NUM}\s*页"  # 共6页 第3页
    r"|(?:page|页码)\s*[:：]?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",  # Page 3 of 6
    re.IGNORECASE,
)
_FRACTION = re.compile(r"^(\d{1,4})\s*[/／]\s*(\d{1,4})$")  # 3/6
BARE_PAGE = re.compile(r"^[1-9]\d{0,3}$")  # a page number printed alone, undecorated


def is_page_mark(text: str) -> bool:
    """A decorated page number alone on its line: ``- 3 -``, ``第3页 共6页``, ``3/6`` …"""
    text = text.strip()
    if PAGE_MARK.match(text):
        return True
    m = _FRACTION.match(text)
    return bool(m) and 1 <= int(m.group(1)) <= int(m.group(2))


# a page number on a line at a page's top or foot, where a bare number is the page's own
# (``- 3 -``, ``3``, ``第3页…``, ``3/6``); page marks elsewhere are ``PAGE_MARK``'s
_EDGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$|^第\s*\d+\s*页|^\d+\s*/\s*\d+$")


def is_page_number(text: str) -> bool:
    """A line at a page's top or foot that is its page number, a bare one included."""
    return bool(_EDGE_NUMBER.match(text))
