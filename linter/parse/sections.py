"""Finding the six statutory section headings and each section's body text (how a heading and a
sign-off are printed is ``linter.wording``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from linter.formats import FormatSpec
from linter.models import Location, Section
from linter.parse.align import similarity
from linter.parse.rows import Unit
from linter.textutil import clean_line, nfkc
from linter.wording.headings import HEADING, heading_of, inline_heading
from linter.wording.signoff import is_signoff, strip_signoff

_PUNCT = re.compile(r"[，。；,;！？]")


@dataclass
class Heading:
    index: int  # unit index
    key: str
    number: str
    title: str
    loc: Location
    rest: str = ""  # body text printed on the same line after the heading


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
                rest = unit.text.rstrip()[len(unit.text.rstrip()) - len(rest) :]
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


def _paragraph_index(units: list[Unit]) -> list[int]:
    """For each unit, its index among the paragraphs (``Report.paragraphs``): paragraphs before it."""
    out, n = [], 0
    for unit in units:
        out.append(n)
        n += unit.is_para
    return out


def build_sections(units: list[Unit], heads: list[Heading], agency: str | None) -> dict[str, Section]:
    """Each heading's section: its body text without sign-off lines, and the heading's paragraph index."""
    out: dict[str, Section] = {}
    index = _paragraph_index(units)
    for n, head in enumerate(heads):
        end = heads[n + 1].index if n + 1 < len(heads) else len(units)
        body = units[head.index + 1 : end]
        inline = strip_signoff(head.rest, agency) if head.rest else ""
        inline = "" if is_signoff(inline, agency) else inline
        texts = [strip_signoff(u.text, agency) for u in body if u.is_para]
        paras = ([inline] if inline else []) + [t for t in texts if t and not is_signoff(t, agency)]
        out[head.key] = Section(
            key=head.key,
            number=head.number,
            title=head.title,
            inline=inline,
            loc=head.loc.model_copy(update={"section": head.key}),
            text="\n".join(paras),
            has_table=any(not u.is_para for u in body),
            index=index[head.index],
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
    index = _paragraph_index(units)
    for i in range(first.index + 1, end):
        unit = units[i]
        m = HEADING.match(clean_line(unit.text)) if unit.is_para else None
        if m and len(m.group(2)) <= 20 and not _PUNCT.search(m.group(2)):
            out.append(Section(key="", number=m.group(1), title=m.group(2), loc=unit.cells[0].loc, index=index[i]))
    return out
