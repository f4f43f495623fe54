"""Section headings as reports print them: 一、总体情况, 第二部分 主动公开政府信息情况, a heading
with its body run on after it (flattened web text), or with a typo (行政法复议). The titles
are the format's (``FormatSpec.sections``); this module knows how they are printed."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from linter.formats import FormatSpec
from linter.textutil import clean_line, label_key, nfkc, squash
from linter.wording.numbering import CN

HEADING = re.compile(rf"^(?:第\s*)?([{CN}]{{1,2}})\s*(?:[、.．,，:：]|部分)\s*(.{{2,40}}?)[。：:]?$")
# the start of a line that may be a statutory heading (a cheap test before the full one)
SECTION_LEAD = re.compile(r"^\s*(?:第\s*)?[一二三四五六]\s*(?:[、.．,，:：]|部分)")
# Phrases of table rows that look like headings ("一、本年新收…", "四、结转下年度继续办理").
_NOT_HEADING = ("申请数量", "继续办理", "办理结果", "上年结转", "本年新收")
_LEAD = re.compile(rf"^\s*(?:第\s*)?([{CN}]{{1,2}})\s*[、.．]\s*")
# Where a body printed right after a nonstandard heading starts: punctuation or a space, a
# number or bracket, or the words a report's sentences open with (一是…, 我局…, 本机关…).
_BODY_START = re.compile(r"[\s。，,：:]|(?=[\d（(])|(?=一是|首先|我(?:局|委|办|厅|单位|中心|区|县|市)|本(?:机关|单位))")


def heading_of(text: str, fmt: FormatSpec) -> tuple[str, str, str] | None:
    """(key, numeral, title) when a paragraph is a statutory section heading."""
    m = HEADING.match(clean_line(text))
    if not m:
        return None
    number, title = m.group(1), m.group(2)
    flat = squash(title)
    if any(p in flat for p in _NOT_HEADING):
        return None
    keys = [s.key for s in fmt.sections if any(squash(k) in flat for k in s.keywords)]
    if not keys:
        return None
    key = number if number in keys else keys[0]
    return key, number, title


def _after(text: str, key: str) -> str | None:
    """The text that follows a prefix whose label key is ``key`` (None if it does not start so)."""
    for i in range(1, min(len(text), 3 * len(key) + 10) + 1):
        got = label_key(text[:i])
        if got == key:
            return text[i:]
        if not key.startswith(got):
            return None
    return None


def inline_heading(text: str, fmt: FormatSpec) -> tuple[str, str, str, str] | None:
    """A heading printed at the start of a paragraph that goes on (flattened web text):
    (key, numeral, title, rest) when the words after the numeral are a section title: exactly,
    nearly (a typo such as 行政法复议), or up to the first number or punctuation."""
    m = _LEAD.match(nfkc(text))
    if not m:
        return None
    body = nfkc(text)[m.end() :]
    flat = label_key(body)
    titles = [
        (spec.key, t) for spec in fmt.sections for t in sorted([spec.title, *spec.aliases], key=len, reverse=True)
    ]
    for key, title in titles:  # exact titles and variants first
        rest = _after(body, label_key(title))
        if rest is not None:
            return key, m.group(1), title, rest.strip()
    for key, title in titles:  # then a near miss (a typo such as 行政法复议): the best-fitting prefix
        tkey = label_key(title)
        low, high = max(1, len(tkey) - 2), len(tkey) + 3
        shared = sum((Counter(flat[:high]) & Counter(tkey)).values())
        if 2 * shared / (low + len(tkey)) < 0.85:
            continue  # no prefix can reach the ratio below: skip the costly matching
        best = max(
            range(max(1, len(tkey) - 2), len(tkey) + 4),
            key=lambda n: (SequenceMatcher(None, flat[:n], tkey).ratio(), n),
        )
        if len(flat) > best and SequenceMatcher(None, flat[:best], tkey).ratio() >= 0.85:
            rest = _after(body, flat[:best])
            if rest is not None:
                return key, m.group(1), body[: len(body) - len(rest)].strip(), rest.strip()
    first = _BODY_START.split(body, maxsplit=1)
    if len(first) == 2 and len(first[0]) <= 30:
        found = heading_of(text[: len(text) - len(body)] + first[0], fmt)
        if found:
            return (*found, first[1].strip())
    return None
