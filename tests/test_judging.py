"""How the rules judge, across rules: the report year by consensus, one finding per cause (merged
findings kept as related locations in JSON and SARIF, still selectable, ignorable and
baselined by their own rule), and precision on the generated set (tests/generated_set.py)."""

from __future__ import annotations

import json
from collections import Counter

import generated_set as gen
import pytest
from conftest import FIXTURES

from linter import baseline, engine
from linter.api import filtered, lint_paths
from linter.config import Config
from linter.load import html, load_text
from linter.models import LintResult
from linter.parse import parse

SEED = FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt"


def _report(text: str, name: str = "report.txt"):
    if name.endswith(".html"):
        return parse(html.load(text.encode("utf-8"), "report.html"))
    return parse(load_text(text, "report.txt", "md" if name.endswith(".md") else "txt"))


def _run(text: str, rules, name: str = "report.txt"):
    return engine.run(_report(text, name), rules, "report")


def _zero_total_column(text: str) -> str:
    bad = gen._edit_rows(text, gen._total_column_zero)
    assert bad is not None
    return bad


# ---------------------------------------------------------------- the report year


def test_year_evidence_is_recorded_with_locations():
    report = _report(SEED.read_text(encoding="utf-8"))
    sources = {e.source: e for e in report.meta.evidence}
    assert set(sources) >= {"title", "period", "body"}
    assert all(e.year == 2024 for e in report.meta.evidence)
    assert sources["title"].loc.line == 4 and sources["period"].loc.line == 8
    assert report.meta.year == 2024 and not report.meta.year_split


def test_a_wrong_title_year_is_one_warning_and_no_year_error(all_rules):
    text = SEED.read_text(encoding="utf-8")
    base = {f.fingerprint for f in _run(text, all_rules)}
    for wrong in (2023, 2025):
        copy = text.replace("聊城市卫生健康委员会 2024 年", f"聊城市卫生健康委员会 {wrong} 年")
        report = _report(copy)
        assert report.meta.year == 2024 and report.meta.title_year == wrong
        new = [f for f in engine.run(report, all_rules, "report") if f.fingerprint not in base]
        assert [(f.rule, f.level) for f in new] == [("YR001", "warning")], [f.message for f in new]


def test_split_evidence_is_said_once_and_raises_no_year_error(all_rules):
    text = SEED.read_text(encoding="utf-8").replace("聊城市卫生健康委员会 2024 年", "聊城市卫生健康委员会 2023 年")
    # the body's “2024年，…” statements removed: title against period, nothing else to tell
    text = text.replace("2024 年，聊城", "本年，聊城").replace("2024年共", "全年共").replace("2024年，", "本年，")
    report = _report(text)
    assert report.meta.year_split and report.meta.year_candidates == [2023, 2024]
    found = engine.run(report, all_rules, "report")
    assert [f.rule for f in found if f.rule in ("YR001", "PER002", "PUB001", "REF001")] == ["YR001"]
    assert "无法确定报告年度" in next(f.message for f in found if f.rule == "YR001")


def test_dump_shows_the_evidence_and_the_decision(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "report.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("委员会 2024 年", "委员会 2025 年"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "linter", "dump", str(path)], capture_output=True, text=True, timeout=120
    ).stdout
    assert "报告年度的依据" in out and "各处依据多数一致" in out and "统计期限" in out and "2025" in out
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "linter", "dump", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    )
    assert data["meta"]["year"] == 2024 and data["meta"]["title_year"] == 2025
    assert {e["source"] for e in data["meta"]["evidence"]} >= {"title", "period", "body"}


# ---------------------------------------------------------------- one cause, one finding


def test_a_total_column_left_at_zero_is_one_finding_naming_the_cells(all_rules):
    found = _run(_zero_total_column(SEED.read_text(encoding="utf-8")), all_rules)
    arithmetic = [f for f in found if f.category == "arithmetic" or any(r.category == "arithmetic" for r in f.related)]
    assert len(arithmetic) == 1
    head = arithmetic[0]
    assert (
        "［总计］全为0" in head.message and "［一、本年新收政府信息公开申请数量］×［总计］现为0，应为8" in head.message
    )
    assert head.rule == "ARI003" and {r.rule for r in head.related} == {"ARI003", "TXT001"}
    assert Counter(head.rules())["ARI003"] >= 4  # one per row whose total was left at 0
    # the text's 收到…18件 against the table's 本年新收 names a cell of the cause: attached to it
    assert not any(f.rule == "TXT001" for f in found)
    assert "TXT001" in head.rules()


def test_missing_section_four_is_one_finding_with_its_table(all_rules):
    text = gen._drop_section4(SEED.read_text(encoding="utf-8"))
    found = [f for f in _run(text, all_rules) if f.rule in ("SEC001", "TBL001") or f.related]
    assert [(f.rule, [r.rule for r in f.related]) for f in found] == [("SEC001", ["TBL001"])]
    assert "该部分的表四“政府信息公开行政复议、行政诉讼情况”也未找到" in found[0].message


@pytest.fixture()
def zero_total_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(_zero_total_column(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_related_locations_in_json_and_sarif(zero_total_file, all_rules):
    import io

    from linter.render import json as json_render
    from linter.render import sarif

    result = lint_paths([zero_total_file], all_rules)
    buf = io.StringIO()
    json_render.render(result, buf)
    records = [r for r in json.loads(buf.getvalue()) if r["related"]]
    assert len(records) == 1 and {r["rule"] for r in records[0]["related"]} == {"ARI003", "TXT001"}
    assert all(r["fingerprint"] and r["location"] for r in records[0]["related"])
    buf = io.StringIO()
    sarif.render(result, buf)
    results = json.loads(buf.getvalue())["runs"][0]["results"]
    merged = [r for r in results if "relatedLocations" in r]
    assert len(merged) == 1
    assert {r["properties"]["ruleId"] for r in merged[0]["relatedLocations"]} == {"ARI003", "TXT001"}
    assert all(r["message"]["text"].startswith(("ARI003: ", "TXT001: ")) for r in merged[0]["relatedLocations"])


def test_merged_findings_still_follow_select_ignore_and_baselines(zero_total_file, all_rules, tmp_path):
    only_txt = [r for r in all_rules if r.id == "TXT001"]
    alone = lint_paths([zero_total_file], only_txt).findings
    assert alone and {f.rule for f in alone} == {"TXT001"} and not any(f.related for f in alone)
    result = lint_paths([zero_total_file], all_rules)
    assert sum(f.rules().count("TXT001") for f in result.findings) == len(alone)  # attached, not lost
    config = Config(per_file_ignores={"*": ["TXT001"]})
    kept = filtered(result, config).findings
    assert not any("TXT001" in f.rules() for f in kept)
    assert any("ARI003" in f.rules() for f in kept)
    # a baseline holding only the related TXT001 hides that part; the arithmetic finding stays new
    result = lint_paths([zero_total_file], all_rules)
    path = tmp_path / "baseline.json"
    baseline.write(
        path,
        LintResult(
            files=[
                fr.model_copy(
                    update={"findings": [p for f in fr.findings for p in engine.unmerged(f) if p.rule == "TXT001"]}
                )
                for fr in result.files
            ]
        ),
    )
    left = baseline.hide(path, result).findings
    assert any("ARI003" in f.rules() for f in left) and not any("TXT001" in f.rules() for f in left)
    # a baseline of the whole run hides everything, merged parts included
    result = lint_paths([zero_total_file], all_rules)
    baseline.write(path, result)
    assert baseline.hide(path, lint_paths([zero_total_file], all_rules)).findings == []


# ---------------------------------------------------------------- precision on the generated set


@pytest.fixture(scope="module")
def generated(all_rules):
    clean_new: Counter = Counter()
    n_clean = 0
    outcomes = []
    for path in gen.BASES:
        text = path.read_text(encoding="utf-8")
        base = _run(text, all_rules, path.name)
        seen = {p.fingerprint for f in base for p in engine.unmerged(f)}
        heads = {f.fingerprint for f in base}
        for _name, variant, _ in gen.clean_variants(text):
            n_clean += 1
            clean_new.update(
                (f.rule, f.level) for f in _run(variant, all_rules, path.name) if f.fingerprint not in seen
            )
        for name, variant, rule in gen.defect_variants(text):
            new = [f for f in _run(variant, all_rules, path.name) if f.fingerprint not in heads]
            outcomes.append((f"{path.name}/{name}", rule, new))
        for name, clean, bad, rule in gen.table_variants(text):
            fps = {f.fingerprint for f in _run(clean, all_rules, path.name)}
            new = [f for f in _run(bad, all_rules, path.name) if f.fingerprint not in fps]
            outcomes.append((f"{path.name}/{name}", rule, new))
    return n_clean, clean_new, outcomes


def test_generated_set_is_large_enough(generated):
    n_clean, _, outcomes = generated
    assert n_clean >= 150 and len(outcomes) >= 200
    assert {rule for _, rule, _ in outcomes} >= {"YR001", "PER002", "CIT001", "SEC001", "TYP001", "TXT002", "ARI"}


def test_rewording_adds_no_error_and_almost_no_warning(generated):
    n_clean, clean_new, _ = generated
    assert not [k for k in clean_new if k[1] == "error"], clean_new
    assert sum(n for (_, level), n in clean_new.items() if level == "warning") * 10 < n_clean, clean_new


def test_each_injected_defect_gives_exactly_one_finding(generated):
    _, _, outcomes = generated
    wrong = [
        (name, rule, [f.rule for f in new])
        for name, rule, new in outcomes
        if len(new) != 1 or not (new[0].rule.startswith(rule) or rule in new[0].rules())
    ]
    assert wrong == []
