"""Numbers stated in the prose that contradict the tables (applications, reviews, lawsuits)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from linter.checks import NoParams, check
from linter.models import Hit, Report
from linter.textutil import nfkc


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: str  # one group: the number
    what: str
    table: str
    cells: list[list[str]]  # readings: "row/col" keys whose sum the number may equal (any one will do)


class ProseParams(NoParams):
    claims: list[Claim]


@check("prose_numbers", params=ProseParams, slots=("what", "sentence", "said", "table", "cells", "value"))
def prose_numbers(report: Report, params: ProseParams):
    """A count stated in the text equals the table cell(s) it restates (silent when unsure)."""
    for claim in params.claims:
        table = report.tables.get(claim.table)
        if table is None or not table.found:
            continue
        readings = [[table.cell(*ref.split("/")) for ref in option] for option in claim.cells]
        if not all(c.has_value for option in readings for c in option):
            continue
        values = [sum(c.value for c in option) for option in readings]
        cells, value = readings[0], values[0]
        pattern = re.compile(claim.pattern)
        for para in report.paragraphs[report.body_start:]:
            text = nfkc(para.text)
            m = pattern.search(text)
            if not m:
                continue
            said = int(next(g for g in m.groups() if g))
            if said not in values:
                sentence = re.split(r"(?<=[。；])", text[max(0, m.start() - 40):])[0][:80]
                labels = "＋".join(f"［{c.loc.row_label}］×［{c.loc.col_label}］" for c in cells)
                yield Hit(loc=para.loc, key=claim.what, excerpt=sentence, expected=str(value), actual=str(said),
                          data={"what": claim.what, "sentence": m.group(0), "said": said,
                                "table": claim.table, "cells": labels, "value": int(value)})
            break  # the first statement of each kind only


class SumParams(NoParams):
    unit: str = "条件个篇项次"
    min_parts: int = 2


def _subset_sum(parts: list[int], total: int) -> bool:
    """Some of the parts make the total: the others overlap them (解读类 within 政务信息)."""
    reachable = {0}
    for p in parts[:16]:
        reachable |= {r + p for r in reachable if r + p <= total}
    return total in reachable


def _nested(parts: list[int]) -> bool:
    """One part is broken down by the parts after it (建议8件，独办2件，主办6件…): not a flat list."""
    for i in range(len(parts)):
        run = 0
        for j in range(i + 1, len(parts)):
            run += parts[j]
            if run == parts[i] and j > i + 1:
                return True
    return False


@check("prose_sum", params=SumParams, slots=("sentence", "total", "parts", "sum"))
def prose_sum(report: Report, params: SumParams):
    """A total stated in the text equals the parts listed after it (“N条，其中A条、B条…”).
    The list may end at “；” or at “。”; only parts in the total's unit count; silent when any
    reading adds up or when the parts break each other down."""
    total_re = re.compile(rf"(\d+)\s*([{params.unit}])\s*[，,。]?\s*其中[，,：:]?")
    for para in report.paragraphs[report.body_start:]:
        text = nfkc(para.text)
        for m in total_re.finditer(text):
            total, unit = int(m.group(1)), m.group(2)
            part_re = re.compile(rf"(?<![\d.%年月])(\d+)\s*{unit}(?![\d%])")
            rest = text[m.end(): m.end() + 300]
            readings = []
            for stop in ("；;", "。"):
                end = min((rest.find(c) for c in stop if c in rest), default=len(rest))
                readings.append([int(p) for p in part_re.findall(rest[:end])])
            if any(sum(r) == total or _nested(r) or _subset_sum(r, total) for r in readings):
                continue
            parts = readings[0]
            if len(parts) >= params.min_parts and max(parts) <= total:
                end = min((rest.find(c) for c in "；;" if c in rest), default=len(rest))
                sentence = text[max(0, m.start() - 20): m.end() + end][:120]
                yield Hit(loc=para.loc, key=f"sum/{total}", excerpt=sentence, expected=str(sum(parts)),
                          actual=str(total), data={"sentence": sentence, "total": total,
                                                   "parts": "＋".join(map(str, parts)), "sum": sum(parts)})
