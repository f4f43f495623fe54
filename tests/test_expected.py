"""Recovery against structure read by hand: for each file in tests/expected/{seeds,real}, the
sections present and every value of tables 二, 三 and 四 (null where no number can be read)."""

from __future__ import annotations

import pytest
import yaml
from conftest import EXPECTED, FIXTURES, report_of

from linter.formats import load_format

FILES = sorted(EXPECTED.glob("*/*.yaml"))


def _value(cell):
    return cell.value if cell.has_value else None


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_recovered_structure_equals_hand_read(path):
    want = yaml.safe_load(path.read_text(encoding="utf-8"))
    report = report_of(FIXTURES / want["file"])
    assert report.meta.year == want["year"]
    assert sorted(report.sections) == sorted(want["sections"])
    for key, field in (("二", "table2"), ("三", "table3"), ("四", "table4")):
        table, expected = report.tables[key], want[field]
        if expected == "absent":
            assert not table.found
            continue
        assert table.found and table.layout == want.get("layouts", {}).get(key, "2021"), key
        spec = load_format(table.layout).tables[key]
        got = {r.key: [_value(table.cell(r.key, c)) for c in spec.row_columns(r)] for r in spec.rows}
        assert got == expected, f"table {key}: " + "; ".join(
            f"{k} got {got[k]} want {expected[k]}" for k in expected if got[k] != expected[k]
        )
    spec = load_format(report.tables["三"].layout).tables["三"]
    collapsed = {
        g: [_value(report.tables["三"].cell(g, c)) for c in spec.row_columns(spec.rows[-1])]
        for g in report.tables["三"].collapsed
    }
    assert collapsed == want.get("collapsed", {})


def test_covers_every_format_and_every_defect_file():
    real = [yaml.safe_load(p.read_text(encoding="utf-8"))["file"] for p in EXPECTED.glob("real/*.yaml")]
    assert len(real) >= 15
    assert {f.rsplit(".", 1)[1] for f in real} == {"pdf", "html", "docx", "md", "txt"}
    sources = (FIXTURES / "real" / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
    defects = {f"real/{row.split(chr(9))[0]}" for row in sources if "DEFECT" in row.split("\t")[8]}
    assert defects <= set(real), sorted(defects - set(real))
