"""End to end on the five seed reports: the findings users see."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import FIXTURES, report_of

from linter import engine


def lint_seed(name: str, rules):
    path = FIXTURES / "seeds" / f"{name}.txt"
    return engine.run(report_of(path), rules, str(path))


def counts(findings):
    return Counter((f.level, f.category) for f in findings)


def test_haidong_blank_tables_and_empty_section_six(all_rules):
    found = lint_seed("003_72e8cc29e03ca078", all_rules)
    blank = [f for f in found if f.category == "blank-table"]
    assert sorted(f.location.table for f in blank) == ["三", "四"]
    assert all(f.level == "error" and "整张表均未填写" in f.message for f in blank)
    missing = [f for f in found if f.category == "missing-section"]
    assert [(f.level, f.location.section) for f in missing] == [("error", "六")]
    assert "只有标题" in missing[0].message
    assert not [f for f in found if f.category == "arithmetic"]


def test_shanting_outdated_citation_and_blank_table_four(all_rules):
    found = lint_seed("002_6bf81d20b44f1e63", all_rules)
    cites = [f for f in found if f.category == "outdated-citation"]
    assert len(cites) == 1 and cites[0].level == "error"
    assert "〔2019〕60号" in cites[0].message and cites[0].location.line == 3
    blank = [f for f in found if f.category == "blank-table"]
    assert [(f.level, f.location.table) for f in blank] == [("error", "四")]
    assert "12个单元格" in blank[0].message and "结果维持" in blank[0].message
    errors = {f.category for f in found if f.level == "error"}
    assert errors == {"outdated-citation", "blank-table"}


@pytest.mark.parametrize("name", ["000_a5e4c4a21a342435", "001_aa0c9ecc7bb20edd", "004_b64fd1fa63a59982"])
def test_clean_seeds_have_no_error(all_rules, name):
    found = lint_seed(name, all_rules)
    assert [f for f in found if f.level == "error"] == []
    # 临淄 keeps a [bookmark: _GoBack]; 聊城 says 收到18件 (8 withdrawn) while table 三 has 8 new
    # 淄博 prints the column labels 本年度止件数 and 社会组织
    allowed = {
        "000_a5e4c4a21a342435": {"TYP001"},
        "001_aa0c9ecc7bb20edd": {"PLH002"},
        "004_b64fd1fa63a59982": {"TXT001"},
    }.get(name, set())
    assert {f.rule for f in found if f.level == "warning"} == allowed
