"""The neutral source of a variant: a report's title, prose, sections, sign-off and table values.

Prose comes from the linter's own reading of a fixture; table values come from the hand-read
tables in tests/expected (only fixtures whose every cell is known are used), so a variant's
truth never depends on the reader under test.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from linter.formats import load_format
from linter.load import load
from linter.parse import parse
from linter.textutil import label_key, squash
from linter.wording.dates import dates_in
from linter.wording.signoff import is_signoff

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
EXPECTED = ROOT / "tests" / "expected"
FIELDS = {"二": "table2", "三": "table3", "四": "table4"}
ORDER = "一二三四五六"


@dataclass
class SectionText:
    key: str
    heading: str  # as printed, numeral included: "四、政府信息公开行政复议、行政诉讼情况"
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Source:
    name: str  # fixture id, e.g. real/2023_pingtan-guoziju_1
    year: int
    title: str
    agency: str | None
    intro: list[str]
    sections: list[SectionText]
    tables: dict[str, dict[str, list]]  # table key → row key → values (official columns)
    layouts: dict[str, str]  # table key → format version the table is printed in
    date: tuple[int, int, int] | None  # sign-off (and page) date
    label_overrides: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, row) → printed label

    def copy(self) -> Source:
        return copy.deepcopy(self)

    @property
    def section_keys(self) -> list[str]:
        return [s.key for s in self.sections]

    def date_text(self) -> str | None:
        return f"{self.date[0]}年{self.date[1]}月{self.date[2]}日" if self.date else None

    def iso_date(self) -> str | None:
        return f"{self.date[0]:04d}-{self.date[1]:02d}-{self.date[2]:02d}" if self.date else None


def complete_fixtures() -> list[Path]:
    """Expected files whose every table cell was read by hand as a number (blank cells cannot
    survive flattening, so they are no ground truth for re-flowed variants)."""
    out = []
    for path in sorted(EXPECTED.glob("*/*.yaml")):
        want = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables = [want[f] for f in FIELDS.values()]
        if (
            want.get("year")
            and all(t != "absent" and all(v is not None for row in t.values() for v in row) for t in tables)
            and not want.get("collapsed")
        ):
            out.append(path)
    return out


def _table_words(key: str, version: str) -> set[str]:
    spec = load_format(version).tables[key]
    words = {label_key(w) for w in [*spec.anchors, *spec.headers, *(c.label for c in spec.columns)]}
    words |= {label_key(r.label) for r in spec.rows} | {label_key(r.group) for r in spec.rows if r.group}
    words |= {label_key(r.block) for r in spec.rows if r.block}
    return {w for w in words if len(w) >= 3}


def _prose(text: str, words: set[str]) -> list[str]:
    """Paragraphs of a section body without the table's own text (flattened pages run table
    cells into the prose): sentences naming a table label or made of digit runs are dropped."""
    out = []
    for para in text.split("\n"):
        kept = [
            s
            for s in re.split(r"(?<=[。；])", para)
            if s.strip() and not any(w in label_key(s) for w in words) and not re.search(r"\d{6,}|(?:\d+\s+){5,}", s)
        ]
        kept_text = "".join(kept).strip()
        if len(kept_text) >= 15 or re.search(r"[。，,；]", kept_text):  # not a stray label or cell
            out.append(kept_text)
    return out


def extract(expected_path: Path) -> Source:
    want = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    report = parse(load(FIXTURES / want["file"]))
    paras = [p.text.strip() for p in report.paragraphs]
    title = report.meta.title or paras[0]
    start = next((i + 1 for i, p in enumerate(paras[: report.body_start + 1]) if squash(p) == squash(title)), 0)
    intro = [p for p in paras[start : report.body_start] if squash(p) != squash(title)]
    sections = list(report.sections.values())
    if sections and report.body_start < len(paras):
        first = paras[report.body_start]
        pos = first.find(f"{sections[0].number}、")
        if pos > 0:
            intro.append(first[:pos].strip())
    intro = [p[len(title) :].strip() if p.startswith(title) else p for p in intro]
    intro = [
        p for p in intro if p and not is_signoff(p, report.meta.agency) and not (len(p) < 40 and p.endswith("报告"))
    ]  # the title's second line
    layouts = {k: want.get("layouts", {}).get(k, "2021") for k in FIELDS}
    out_sections = []
    for sec in sections:
        body = sec.text
        if sec.key in FIELDS:
            paragraphs = _prose(body, _table_words(sec.key, layouts[sec.key]))
        else:
            paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        out_sections.append(SectionText(sec.key, f"{sec.number}、{sec.title}", paragraphs))
    date = None
    for para in reversed(paras[-6:]):
        if is_signoff(para, report.meta.agency) and dates_in(para):
            date = dates_in(para)[-1]
            break
    if date is None and report.meta.published:
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", report.meta.published)
        date = (int(m[1]), int(m[2]), int(m[3])) if m else None
    return Source(
        name=f"{expected_path.parent.name}/{expected_path.stem}",
        year=want["year"],
        title=title,
        agency=report.meta.agency,
        intro=intro,
        sections=out_sections,
        tables={k: {r: list(v) for r, v in want[f].items()} for k, f in FIELDS.items()},
        layouts=layouts,
        date=date,
    )


def sources() -> list[Source]:
    return [extract(p) for p in complete_fixtures()]
