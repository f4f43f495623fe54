"""Numbers stated in the prose that contradict the tables (applications, reviews, lawsuits)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, PrivateAttr

from linter.checks import NoParams, check
from linter.models import Hit, Report
from linter.textutil import nfkc
from linter.wording.dates import FIGURES


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    pattern: str  # one group: the number
    what: str
    table: str
    cells: list[list[str]]  # readings: "row/col" keys whose sum the number may equal (any one will do)
    # the wording may count something else (documents classed 依申请公开): only a count above 0
    # against a table that received nothing at all is a contradiction
    only_if_zero: bool = False
    _regex: re.Pattern | None = PrivateAttr(default=None)

    def model_post_init(self, context) -> None:
        """The pattern compiled with the rule, once per process (a warm server's checks then
        never compile it); a pattern that does not compile fails where it is used, as before."""
        try:
            self._regex = re.compile(self.pattern)
        except re.error:
            pass

    def regex(self) -> re.Pattern:
        return self._regex or re.compile(self.pattern)


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
        if claim.only_if_zero and any(values):
            continue
        pattern = claim.regex()
        for para in report.paragraphs[report.body_start :]:
            text = nfkc(para.text)
            m = pattern.search(text)
            if not m:
                continue
            said = int(next(g for g in m.groups() if g))
            if claim.only_if_zero and said == 0:
                break
            if said not in values:
                sentence = _SENTENCE_END.split(text[max(0, m.start() - 40) :])[0][:80]
                labels = "＋".join(f"［{c.loc.row_label}］×［{c.loc.col_label}］" for c in cells)
                yield Hit(
                    loc=para.loc,
                    key=claim.what,
                    excerpt=sentence,
                    expected=str(value),
                    actual=str(said),
                    refers=[f"{claim.table}/{ref}" for option in claim.cells for ref in option],
                    data={
                        "what": claim.what,
                        "sentence": m.group(0),
                        "said": said,
                        "table": claim.table,
                        "cells": labels,
                        "value": int(value),
                    },
                )
            break  # the first statement of each kind only


class SumParams(NoParams):
    unit: str = "条件个篇项次"
    min_parts: int = 2
    # the parts are examples, not a split of the total (其中…等, 涵盖…, 主要包括…)
    example_words: list[str] = ["涵盖", "包括", "包含", "主要有", "例如", "比如", "如：", "如:", "诸如"]
    rest_words: list[str] = ["其他", "其它", "其余", "剩余", "另有"]  # a part that completes the split


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


_CLAUSE_NUMBER = re.compile(r"(?<![\d.])(\d+)\s*([条件个篇项次]?)(?![\d.%％])")
_SENTENCE_END = re.compile(r"(?<=[。；])")
_SENTENCE = re.compile(r"[。！？!?\n]")
_CLAUSE = re.compile(r"[，、；,;]")
_COMMENT = re.compile(r"[%％]|占|同比|比上年|较上年|增长|减少|下降|上升")
_YEAR = re.compile(rf"{FIGURES}\s*年")


def enumeration(text: str, unit: str, params: SumParams) -> tuple[list[int], bool] | None:
    """The parts listed right after “其中”: one sentence, one clause per part, each part a
    label and a number (with the total's unit or none). Returns (parts, complete) or None when
    the list is not a split of the total (examples, other units, a clause that is no part)."""
    sentence = _SENTENCE.split(text, maxsplit=1)[0]
    if any(w in sentence for w in params.example_words):
        return None
    parts: list[int] = []
    complete = "分别为" in sentence[:6]
    for clause in _CLAUSE.split(sentence):
        clause = clause.strip()
        if not clause:
            continue
        if _COMMENT.search(clause):
            if parts:
                break  # the list is over: what follows comments on it
            return None
        numbers = _CLAUSE_NUMBER.findall(clause)
        if len(numbers) != 1 or _YEAR.search(clause):
            if parts:
                break
            return None
        value, printed_unit = numbers[0]
        if printed_unit and printed_unit != unit:
            if parts:
                break  # the next statement (办理依申请公开1件) begins
            return None  # parts counted in another unit: not a split of this total
        after = clause[clause.rfind(value) + len(value) :]
        if "等" in after:
            return None  # “……等3条”: examples
        if any(w in clause for w in params.rest_words):
            complete = True
        parts.append(int(value))
    return parts, complete


@check("prose_sum", params=SumParams, slots=("sentence", "total", "parts", "sum"))
def prose_sum(report: Report, params: SumParams):
    """A total stated in the text equals the parts listed after it (“N条，其中A条、B条…”).
    Only one enumeration is read: the clauses of the sentence after 其中, each a label and a
    number. Silent when the parts are examples, when some of them make the total (overlapping
    categories), when they break each other down, and when they fall short of the total
    without a part that completes the split (其他…): a partial list is not a wrong one."""
    total_re = re.compile(rf"(\d+)\s*([{params.unit}])\s*[，,。]?\s*其中[，,：:]?")
    for para in report.paragraphs[report.body_start :]:
        text = nfkc(para.text)
        for m in total_re.finditer(text):
            total, unit = int(m.group(1)), m.group(2)
            found = enumeration(text[m.end() : m.end() + 300], unit, params)
            if found is None:
                continue
            parts, complete = found
            if len(parts) < params.min_parts or sum(parts) == total or _nested(parts) or _subset_sum(parts, total):
                continue
            if sum(parts) < total and not complete:
                continue
            if max(parts) > total:
                continue
            rest = text[m.end() : m.end() + 300]
            end = min((rest.find(c) for c in "。；;" if c in rest), default=len(rest))
            sentence = text[max(0, m.start() - 20) : m.end() + end][:120]
            yield Hit(
                loc=para.loc,
                key=f"sum/{total}",
                excerpt=sentence,
                expected=str(sum(parts)),
                actual=str(total),
                data={"sentence": sentence, "total": total, "parts": "＋".join(map(str, parts)), "sum": sum(parts)},
            )
