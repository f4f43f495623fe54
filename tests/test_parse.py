"""The text loader and the parser on the layouts real text exports take: the same report
written with pipes, runs of spaces, page breaks, and in other encodings must recover the
same cells as the hand-read values of the original."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import EXPECTED, FIXTURES, fixture_text

from linter.formats import load_format
from linter.load import load
from linter.load.txt import decode
from linter.parse import parse

SEED = "004_b64fd1fa63a59982"
TEXT = fixture_text(f"seeds/{SEED}.txt")
WANT = yaml.safe_load((EXPECTED / "seeds" / f"{SEED}.yaml").read_text(encoding="utf-8"))


def recovered(report) -> dict:
    fmt = load_format("2021")
    out = {}
    for key, field in (("二", "table2"), ("三", "table3"), ("四", "table4")):
        spec, table = fmt.tables[key], report.tables[key]
        out[field] = {r.key: [table.value(r.key, c) for c in spec.row_columns(r)] for r in spec.rows}
    return out


def as_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if "\t" in line:
            lines.append("| " + " | ".join(line.split("\t")) + " |")
            if line.startswith("第二十条") or line.startswith("(本列"):
                lines.append("|---|---|---|")
        else:
            lines.append(line)
    return "\n".join(lines)


def as_spaces(text: str) -> str:
    # Tabs become runs of spaces; empty cells vanish, as in many text exports.
    return "\n".join(re.sub(r"\t+", "   ", line).strip() if "\t" in line else line for line in text.splitlines())


def with_page_break(text: str) -> str:
    marker = "⇥⇥2.其他法律行政法规禁止公开".replace("⇥", "\t")
    return text.replace(marker, "\n— 3 —\n\n" + marker, 1)


@pytest.mark.parametrize("variant", [as_markdown, as_spaces, with_page_break], ids=lambda f: f.__name__)
def test_layout_variants_recover_the_same_cells(tmp_path, variant):
    path = tmp_path / "report.md"
    path.write_text(variant(TEXT), encoding="utf-8")
    got = recovered(parse(load(path)))
    for field in ("table2", "table3", "table4"):
        assert got[field] == WANT[field], field


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT.encode(encoding))
    report = parse(load(path))
    assert report.meta.year == 2024 and report.tables["三"].value("r01", "natural") == 8
    assert decode(TEXT.encode(encoding)) == TEXT


def test_title_broken_over_two_lines_and_year_from_body_without_title():
    linzi = parse(load(FIXTURES / "seeds/001_aa0c9ecc7bb20edd.txt"))
    assert linzi.meta.title == "临淄区卫生健康局2022年政府信息公开工作年度报告"
    # title, period, body and sign-off agree: the year is decided by their consensus
    assert (linzi.meta.agency, linzi.meta.year, linzi.meta.year_source) == ("临淄区卫生健康局", 2022, "consensus")
    assert linzi.meta.title_year == 2022
    shanting = parse(load(FIXTURES / "seeds/002_6bf81d20b44f1e63.txt"))
    assert (shanting.meta.title, shanting.meta.year, shanting.meta.year_source) == (None, 2023, "consensus")
    assert {e.source for e in shanting.meta.evidence} == {"period", "body"}


def test_sections_are_located_and_a_signature_is_not_content():
    report = parse(load(FIXTURES / "seeds/003_72e8cc29e03ca078.txt"))
    assert [s.number for s in report.sections.values()] == list("一二三四五六")
    assert report.sections["六"].text == "" and report.sections["六"].loc.line == 104
    assert report.sections["二"].has_table and report.tables["二"].layout == "2019"


def test_not_a_report():
    report = parse(load(FIXTURES.parent / "README.md"))
    assert not report.recognised
