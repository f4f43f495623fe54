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
