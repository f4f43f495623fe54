"""Finding the six statutory section headings and each section's body text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from linter.formats import FormatSpec
from linter.models import Location, Section
from linter.parse.align import similarity
from linter.parse.rows import Unit
from linter.textutil import clean_line, dates_in, label_key, nfkc, squash

_HEADING = re.compile(r"^(?:第\s*)?([一二三四五六七八九十]{1,2})\s*(?:[、.．,，:：]|部分)\s*(.{2,40}?)[。：:]?$")
# Phrases of table rows that look like headings ("一、本年新收…", "四、结转下年度继续办理").
_NOT_HEADING = ("申请数量", "继续办理", "办理结果", "上年结转", "本年新收")
_SIGNOFF_PUNCT = re.compile(r"[，。；,;！？]")


@dataclass
class Heading:
    index: int  # unit index
    key: str
    number: str
    title: str
    loc: Location
    rest: str = ""  # body text printed on the same line after the heading


_LEAD = re.compile(r"^\s*(?:第\s*)?([一二三四五六七八九十]{1,2})\s*[、.．]\s*")


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
    body = nfkc(text)[m.end():]
    flat = label_key(body)
    titles = [(spec.key, t) for spec in fmt.sections for t in sorted([spec.title, *spec.aliases], key=len, reverse=True)]
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
        best = max(range(max(1, len(tkey) - 2), len(tkey) + 4),
                   key=lambda n: (SequenceMatcher(None, flat[:n], tkey).ratio(), n))
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


# Where a body printed right after a nonstandard heading starts: punctuation or a space, a
# number or bracket, or the words a report's sentences open with (一是…, 我局…, 本机关…).
_BODY_START = re.compile(r"[\s。，,：:]|(?=[\d（(])|(?=一是|首先|我(?:局|委|办|厅|单位|中心|区|县|市)|本(?:机关|单位))")
# A statement that there is nothing to report, printed on the heading's line (六、其他事项无。).
_NOTHING = re.compile(r"(?:暂无|无|没有)[。.；;]?$")
_LEADING_PUNCT = re.compile(r"^[\s:：,，。、;；.]+")


def _detach(key: str, number: str, title: str, rest: str, fmt: FormatSpec) -> tuple[str, str]:
    """The heading part and the body of a heading line: a trailing 无 goes to the body when
    what is left is still the heading, and the body loses the punctuation that joined it."""
    m = _NOTHING.search(title)
    if m and m.start() >= 2:
        found = heading_of(f"{number}、{title[: m.start()]}", fmt)
        if found and found[0] == key:
            title, rest = title[: m.start()].rstrip("：: "), (m.group(0) + " " + rest).strip()
    return title, _LEADING_PUNCT.sub("", rest).strip()


def heading_of(text: str, fmt: FormatSpec) -> tuple[str, str, str] | None:
    """(key, numeral, title) when a paragraph is a statutory section heading."""
    m = _HEADING.match(clean_line(text))
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


def find_headings(units: list[Unit], fmt: FormatSpec) -> list[Heading]:
    """At most one heading per section key; a repeated key keeps the title closest to official."""
    chosen: dict[str, Heading] = {}
    for i, unit in enumerate(units):
        if not unit.is_para:
            continue
        rest = ""
        inline = inline_heading(unit.text, fmt)
        if inline and inline[3]:
            *found, rest = inline
            if len(nfkc(unit.text)) == len(unit.text):  # the body as printed, not in its normal form
                rest = unit.text.rstrip()[len(unit.text.rstrip()) - len(rest):]
        else:
            found = heading_of(unit.text, fmt)
        if not found:
            continue
        key, number, title = found
        title, rest = _detach(key, number, title, rest, fmt)
        head = Heading(i, key, number, title, unit.cells[0].loc, rest)
        old = chosen.get(key)
        if old is None or _closeness(head, fmt) >= _closeness(old, fmt):
            chosen[key] = head
    return sorted(chosen.values(), key=lambda h: h.index)


def _closeness(head: Heading, fmt: FormatSpec) -> float:
    spec = fmt.section(head.key)
    return max(similarity(head.title, t) for t in [spec.title, *spec.aliases])


_DATE_END = re.compile(r"\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_ORG_END = re.compile(r"(委员会|人民政府|政府|办公室|办公厅|局|委|厅|院|中心|处|所|站|管委会|管理局|街道办事处)$")


def strip_signoff(text: str, agency: str | None) -> str:
    """The text without a trailing signature (agency name and date) on the same line."""
    m = _DATE_END.search(text)
    if not m:
        return text.strip()
    rest = text[: m.start()].rstrip()
    if agency and squash(rest).endswith(squash(agency)):
        return rest[: len(rest) - len(agency)].rstrip() if rest.endswith(agency) else rest
    tail = re.split(r"[\s。，；]", rest)[-1]
    if tail and _ORG_END.search(tail) and len(tail) <= 30:
        return rest[: len(rest) - len(tail)].rstrip()
    return rest


def is_signoff(text: str, agency: str | None) -> bool:
    """A signature or date line: the agency name and/or a date, no sentence punctuation."""
    flat = squash(text)
    if not flat:
        return True
    if agency and flat == squash(agency):
        return True
    if dates_in(text) and not _SIGNOFF_PUNCT.search(text):
        rest = re.sub(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", "", text)
        return len(squash(rest)) <= 30
    return False


def build_sections(units: list[Unit], heads: list[Heading], agency: str | None) -> dict[str, Section]:
    out: dict[str, Section] = {}
    for n, head in enumerate(heads):
        end = heads[n + 1].index if n + 1 < len(heads) else len(units)
        body = units[head.index + 1:end]
        inline = strip_signoff(head.rest, agency) if head.rest else ""
        inline = "" if is_signoff(inline, agency) else inline
        texts = [strip_signoff(u.text, agency) for u in body if u.is_para]
        paras = ([inline] if inline else []) + [t for t in texts if t and not is_signoff(t, agency)]
        out[head.key] = Section(
            key=head.key, number=head.number, title=head.title, inline=inline,
            loc=head.loc.model_copy(update={"section": head.key}),
            text="\n".join(paras), has_table=any(not u.is_para for u in body),
        )
    return out


def stray_headings(units: list[Unit], heads: list[Heading]) -> list[Section]:
    """Top-level numbered headings (二、…) that are no statutory section, inside section 一:
    subtopics of 总体情况 numbered as if they were sections of the report."""
    first = next((h for h in heads if h.key == "一"), None)
    if first is None:
        return []
    end = next((h.index for h in heads if h.index > first.index), len(units))
    out = []
    for unit in units[first.index + 1:end]:
        m = _HEADING.match(clean_line(unit.text)) if unit.is_para else None
        if m and len(m.group(2)) <= 20 and not _SIGNOFF_PUNCT.search(m.group(2)):
            out.append(Section(key="", number=m.group(1), title=m.group(2), loc=unit.cells[0].loc))
    return out
