"""Finding the six statutory section headings and each section's body text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from linter.formats import FormatSpec
from linter.models import Location, Section
from linter.parse.align import similarity
from linter.parse.tables import Unit
from linter.textutil import clean_line, dates_in, squash

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
        found = heading_of(unit.text, fmt)
        if not found:
            continue
        key, number, title = found
        head = Heading(i, key, number, title, unit.cells[0].loc)
        old = chosen.get(key)
        if old is None or _closeness(head, fmt) >= _closeness(old, fmt):
            chosen[key] = head
    return sorted(chosen.values(), key=lambda h: h.index)


def _closeness(head: Heading, fmt: FormatSpec) -> float:
    spec = fmt.section(head.key)
    return max(similarity(head.title, t) for t in [spec.title, *spec.aliases])


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
        paras = [u.text for u in body if u.is_para and not is_signoff(u.text, agency)]
        out[head.key] = Section(
            key=head.key, number=head.number, title=head.title,
            loc=head.loc.model_copy(update={"section": head.key}),
            text="\n".join(paras), has_table=any(not u.is_para for u in body),
        )
    return out
