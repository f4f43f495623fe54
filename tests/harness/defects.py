"""Defect injection: each defect changes a ``Source`` in one place and says which finding must
follow (rule id and logical place). A defect that does not apply to a source (the source
already has it, or lacks the text it changes) returns None."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from harness.model import Source


@dataclass(frozen=True)
class Expect:
    """The finding a defect must produce: the rule, and where (None: not constrained)."""

    rule: str
    section: str | None = None
    table: str | None = None
    row: str | None = None
    col: str | None = None

    def matches(self, key: tuple) -> bool:
        rule, _level, section, table, row, col = key
        if not rule.startswith(self.rule):  # a bare prefix ("ARI") accepts any rule of the family
            return False
        if self.section and section not in (None, self.section):
            return False
        if self.table and table != self.table:
            return False
        if self.row or self.col:  # an arithmetic finding names the cell's row or its column
            return (self.row is not None and row == self.row) or (self.col is not None and col == self.col)
        return True


@dataclass(frozen=True)
class Defect:
    name: str
    category: str  # the finding category the defect belongs to
    apply: Callable[[Source], tuple[Source, Expect] | None]


def _cell(table: str, row: str, index: int, col: str, rule: str):
    def apply(source: Source):
        out = source.copy()
        out.tables[table][row][index] += 1
        return out, Expect(rule, table=table, row=row, col=col)

    return apply


def _drop_section(key: str):
    def apply(source: Source):
        if key not in source.section_keys:
            return None
        out = source.copy()
        out.sections = [s for s in out.sections if s.key != key]
        return out, Expect("SEC001", section=key)

    return apply


_PERIOD = re.compile(r"((?:19|20)\d{2})(\s*年\s*1\s*月\s*1\s*日)")


def _shift_period(source: Source):
    """The statistics period starts a year early (a copied report not updated)."""
    out = source.copy()
    for paras in [out.intro] + [s.paragraphs for s in out.sections]:
        for i, para in enumerate(paras):
            m = _PERIOD.search(para)
            if m and int(m.group(1)) == source.year:
                paras[i] = para[: m.start()] + f"{source.year - 1}{m.group(2)}" + para[m.end() :]
                return out, Expect("PER002")
    return None


CITE_60 = "根据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求编制本报告。"


def _cite_60(source: Source):
    text = "".join(source.intro + [p for s in source.sections for p in s.paragraphs])
    if source.year < 2021 or re.search(r"〔\s*2019\s*〕\s*60\s*号", text):
        return None
    out = source.copy()
    out.intro = [CITE_60] + out.intro
    return out, Expect("CIT001")


def _placeholder(source: Source):
    if "五" not in source.section_keys:
        return None
    out = source.copy()
    sec = next(s for s in out.sections if s.key == "五")
    sec.paragraphs = sec.paragraphs + ["（文字描述）"]
    return out, Expect("PLH001", section="五")


def _typo_row(source: Source):
    out = source.copy()
    out.label_overrides[("三", "r13")] = "1.本机关不掌握相关政府消息"
    return out, Expect("TYP001", table="三", row="r13")


def _typo_heading(source: Source):
    if "六" not in source.section_keys:
        return None
    out = source.copy()
    sec = next(s for s in out.sections if s.key == "六")
    if "需要" not in sec.heading:
        return None
    sec.heading = sec.heading.replace("需要", "需耍", 1)
    return out, Expect("TYP001", section="六")


def _late_signoff(source: Source):
    out = source.copy()
    out.date = (source.year + 1, 6, 30)  # past both deadlines (1月31日 and 3月31日)
    return out, Expect("PUB001")


DEFECTS = [
    Defect("cell-t3", "arithmetic", _cell("三", "r03", 0, "natural", "ARI")),
    Defect("cell-t4", "arithmetic", _cell("四", "review", 0, "upheld", "ARI004")),
    Defect("drop-section", "missing-section", _drop_section("五")),
    Defect("period-year", "statistics-period", _shift_period),
    Defect("cite-60", "outdated-citation", _cite_60),
    Defect("placeholder", "placeholder-left", _placeholder),
    Defect("typo-row", "label-typo", _typo_row),
    Defect("typo-heading", "label-typo", _typo_heading),
    Defect("late-signoff", "late-publication", _late_signoff),
]
