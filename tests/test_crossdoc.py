"""The cross-document route: one stored form of a report's figures, read back cell for cell;
the cross-document checks given the other reports by the engine, never through the report;
``check``, ``linter.lint`` and ``audit`` (real SQLite, real worker processes) finding the same
on a folder with two years of agencies and a region; and figures stored before the form was
numbered still read."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from conftest import FIXTURES

from linter import engine
from linter.api import collect, read
from linter.checks import Context, registry
from linter.figures import figures, rebuild
from linter.load import load_text
from linter.models import Report
from linter.parse import parse

REAL = FIXTURES / "real"
SEED = FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt"
TITLE = "聊城市卫生健康委员会 2024 年政府信息公开工作年度报告"
LAST_YEAR = [  # the seed a year earlier, carrying 3 applications into 2024 where the 2024 report says 2
    (TITLE, TITLE.replace("2024", "2023")),
    ("期限自 2024 年 1 月 1 日起，至 2024 年 12 月 31 日止", "期限自 2023 年 1 月 1 日起，至 2023 年 12 月 31 日止"),
    ("四、结转下年度继续办理\t\t1\t0\t0\t0\t0\t0\t1", "四、结转下年度继续办理\t\t3\t0\t0\t0\t0\t0\t3"),
]


def seed(edits=(), agency: str | None = None) -> str:
    text = SEED.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.replace(TITLE, f"{agency} 2024 年政府信息公开工作年度报告") if agency else text


def test_the_stored_figures_give_back_every_cell_with_its_place():
    """Every cell with a value of tables 二/三/四 of every real and seed report (PDF, DOCX,
    HTML, TXT, MD) comes back from the stored JSON with its value and its whole location."""
    compared = 0
    for path in collect([REAL, FIXTURES / "seeds"]):
        report, result = read(path)
        assert report is not None, result.error
        stored = json.loads(json.dumps(figures(report), ensure_ascii=False))
        back = rebuild(result.path, stored, report.meta.agency, report.meta.year)
        for key, table in report.tables.items():
            want = {ref: (c.value, c.loc) for ref, c in table.cells.items() if c.has_value}
            got = {ref: (c.value, c.loc) for ref, c in back.tables[key].cells.items()} if key in back.tables else {}
            assert got == want, (path, key)
            assert key not in back.tables or back.tables[key].layout == table.layout
            compared += len(want)
        assert back.recognised == (report.recognised and report.in_scope)
    assert compared > 5000


def test_cross_document_checks_get_the_other_reports_from_the_engine():
    """Last year's report and a region's departments are inputs of the engine run, not
    attributes of a parsed report; the checks leave every report as it was."""
    rules = {r.id: r for r in engine.load_rules()}
    assert "previous" not in Report.model_fields and "children" not in Report.model_fields
    this, last = parse(load_text(seed(), "this.txt")), parse(load_text(seed(LAST_YEAR), "last.txt"))
    with pytest.raises(ValueError):
        this.previous = last  # there is nowhere on a report to put another one
    assert engine.run(this, [rules["XYR001"]]) == []
    before = (this.model_dump_json(), last.model_dump_json())
    found = engine.run(this, [rules["XYR001"]], context=Context(previous=last))
    assert [(f.rule, f.location.row, f.location.col) for f in found] == [
        ("XYR001", "r02", "natural"),
        ("XYR001", "r02", "total"),
    ]
    assert "2023年度报告的［四、结转下年度继续办理］为3" in found[0].message
    assert engine.run(this, [rules["XYR001"]], context=Context(previous=last)) == found
    assert (this.model_dump_json(), last.model_dump_json()) == before
    government = parse(load_text(seed(agency="某县人民政府"), "gov.txt"))
    departments = tuple(parse(load_text(seed(agency=a), f"{a}.txt")) for a in ("某县卫生健康局", "某县教育局"))
    assert engine.run(government, [rules["HIE001"]]) == []
    summed = engine.run(government, [rules["HIE001"]], context=Context(children=departments))
    assert summed and {f.rule for f in summed} == {"HIE001"} and "本地区2份部门报告之和" in summed[0].message
    assert {spec.name for spec in registry().values() if spec.context} == {"carry_over", "stock_drift", "region_sum"}


def _folder(tmp_path):
    """Two years of three agencies (a city department edited from a seed, a bureau's real TXT
    and HTML, a district's real PDFs) and a county: its government and two departments."""
    root = tmp_path / "reports"
    for folder in ("聊城", "平潭", "淮安", "某县"):
        (root / folder).mkdir(parents=True)
    (root / "聊城" / "2023.txt").write_text(seed(LAST_YEAR), encoding="utf-8")
    (root / "聊城" / "2024.txt").write_text(seed(), encoding="utf-8")
    for folder, name in (
        ("平潭", "2022_pingtan-jingfaju_1.txt"),
        ("平潭", "2023_pingtan-jingfaju_1.html"),
        ("淮安", "2023_huaian-hongzequ_1.pdf"),
        ("淮安", "2024_huaian-hongzequ_1.pdf"),
    ):
        (root / folder / name).write_bytes((REAL / name).read_bytes())
    for name, agency in (("gov.txt", "某县人民政府"), ("health.txt", "某县卫生健康局"), ("edu.txt", "某县教育局")):
        (root / "某县" / name).write_text(seed(agency=agency), encoding="utf-8")
    return root


def _key(file, rule, level, fingerprint, message, location):
    return (file, rule, level, fingerprint, message, json.dumps(location, ensure_ascii=False, sort_keys=True))


def _audited(db, root, *extra):
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "audit", str(root), "--db", str(db), "-j", "2", *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr  # errors found
    with sqlite3.connect(db) as con:
        return sorted(
            _key(p, r, lv, fp, m, json.loads(loc))
            for p, r, lv, fp, m, loc in con.execute(
                "SELECT path, rule, level, fingerprint, message, location FROM findings"
            )
        )


def test_check_lint_and_audit_give_the_same_findings(tmp_path):
    from linter import lint

    root = _folder(tmp_path)
    checked = subprocess.run(
        [sys.executable, "-m", "linter", "check", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 1, checked.stderr
    by_check = sorted(
        _key(f["file"], f["rule"], f["level"], f["fingerprint"], f["message"], f["location"])
        for f in json.loads(checked.stdout)
    )
    by_api = sorted(
        _key(f.file, f.rule, f.level, f.fingerprint, f.message, f.location.model_dump(exclude_none=True))
        for fr in lint(root).files
        for f in fr.findings
    )
    by_audit = _audited(tmp_path / "audit.sqlite", root)
    assert by_check == by_api == by_audit
    across = {(k[0].rsplit("/", 2)[-2], k[1]) for k in by_check if k[1].startswith("XYR")}
    assert across == {("聊城", "XYR001"), ("聊城", "XYR002"), ("平潭", "XYR002")}  # the seed keeps its stock
    assert len(by_check) > 20 and len({k[0] for k in by_check}) == 9
    regional = _audited(tmp_path / "region.sqlite", root, "--hierarchy")
    added = [k for k in regional if k not in by_check]
    assert added and {(k[0].rsplit("/", 1)[-1], k[1]) for k in added} == {("gov.txt", "HIE001")}
    assert [k for k in regional if k in by_check] == by_check


FORM1_ROWS = {
    "三": ("r01", "r02", "r24", "r25"),
    "二": ("rules", "normative"),
    "四": ("review", "direct_suit", "suit_after_review"),
}  # what the first stored form held


def test_figures_stored_before_the_form_was_numbered_are_still_read(tmp_path):
    """A database written before figures had a form number (the compared rows only, values
    without places) gives the same cross-year finding, where only the cell's place is unknown."""
    root = tmp_path / "平潭"
    root.mkdir()
    for name in ("2022_pingtan-jingfaju_1.txt", "2023_pingtan-jingfaju_1.html"):
        (root / name).write_bytes((REAL / name).read_bytes())
    db = tmp_path / "audit.sqlite"
    cross = "SELECT path, rule, fingerprint, message, location FROM findings WHERE category='cross-year'"
    _audited(db, root)
    with sqlite3.connect(db) as con:
        now = con.execute(cross).fetchall()
        for path, stored in con.execute("SELECT path, figures FROM files").fetchall():
            tables = json.loads(stored)["tables"]
            old = {"layouts": {key: t["layout"] for key, t in tables.items()}}
            old.update(
                {
                    key: {ref: v for ref, (v, *_) in t["cells"].items() if ref.split("/")[0] in FORM1_ROWS[key]}
                    for key, t in tables.items()
                }
            )
            con.execute("UPDATE files SET figures=? WHERE path=?", (json.dumps(old, ensure_ascii=False), path))
        con.execute("UPDATE runs SET cross=NULL")  # such a database had no record of its cross-document pass
    assert [r[1] for r in now] == ["XYR002"]
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "audit", str(root), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "未变化跳过 2 个" in proc.stdout, proc.stdout
    with sqlite3.connect(db) as con:
        then = con.execute(cross).fetchall()
    assert [r[:4] for r in then] == [r[:4] for r in now]
    location = json.loads(then[0][4])
    assert location == {k: v for k, v in json.loads(now[0][4]).items() if k not in ("page", "line", "table_index")}


def test_a_damaged_stored_row_loses_only_its_own_comparisons(tmp_path):
    """Figures that cannot be read back (a database edited by hand, a truncated write) leave
    that report without its cross-year pair; the audit finishes and the other pairs stand."""
    root = tmp_path / "reports"
    (root / "聊城").mkdir(parents=True)
    (root / "聊城" / "2023.txt").write_text(seed(LAST_YEAR), encoding="utf-8")
    (root / "聊城" / "2024.txt").write_text(seed(), encoding="utf-8")
    for name in ("2022_pingtan-jingfaju_1.txt", "2023_pingtan-jingfaju_1.html"):
        (root / name).write_bytes((REAL / name).read_bytes())
    db = tmp_path / "audit.sqlite"
    cross = "SELECT DISTINCT path, rule FROM findings WHERE category='cross-year'"
    _audited(db, root)
    with sqlite3.connect(db) as con:
        assert sorted((p.rsplit("/", 1)[-1], r) for p, r in con.execute(cross)) == [
            ("2023_pingtan-jingfaju_1.html", "XYR002"),
            ("2024.txt", "XYR001"),
            ("2024.txt", "XYR002"),
        ]
        con.execute("UPDATE files SET figures=? WHERE path LIKE '%聊城/2024.txt'", ('{"form": 2, "tables": [',))
        con.execute("UPDATE runs SET cross=NULL")  # the edit is not known to the last pass: run it again
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "audit", str(root), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1 and "未变化跳过 4 个" in proc.stdout, proc.stderr
    with sqlite3.connect(db) as con:
        assert [(p.rsplit("/", 1)[-1], r) for p, r in con.execute(cross)] == [
            ("2023_pingtan-jingfaju_1.html", "XYR002")
        ]
