"""Meta-tests that keep the YAML-plus-Python rule base honest, and strict rule-file validation."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from linter import engine
from linter.checks import registry
from linter.models import Category

CASES = Path(__file__).resolve().parent / "cases"


def test_every_rule_file_validates_and_is_named_after_its_id(all_rules):
    assert len(all_rules) >= 14
    for rule in all_rules:
        assert rule.file == f"{rule.spec.id}.yaml"


def test_ids_and_names_are_unique(all_rules):
    ids = [r.spec.id for r in all_rules]
    names = [r.spec.name for r in all_rules]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)


def test_every_registered_check_is_used_by_a_rule(all_rules):
    used = {r.spec.check for r in all_rules}
    assert set(registry()) == used


def test_every_category_has_a_rule(all_rules):
    assert {r.spec.category for r in all_rules} == set(Category.__args__)


def test_every_rule_has_passing_and_failing_cases(all_rules):
    for rule in all_rules:
        path = CASES / f"{rule.spec.id}.yaml"
        assert path.exists(), f"{rule.spec.id} has no case file"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any(c["expect"] == [] for c in cases), f"{rule.spec.id}: no passing case"
        assert any(c["expect"] for c in cases), f"{rule.spec.id}: no failing case"


def test_message_slots_are_provided_by_the_check(all_rules):
    for rule in all_rules:
        slots = {n for _, n, _, _ in string.Formatter().parse(rule.spec.message) if n}
        assert slots <= rule.check.slots, rule.spec.id


def test_rule_docs_are_chinese_and_complete(all_rules):
    for rule in all_rules:
        s = rule.spec
        message = s.message if s.message.strip("{}") not in rule.check.slots else "（由检查填写）"
        for text in (s.summary, message, s.why, s.fix):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{s.id}: not Chinese: {text!r}"
        assert s.basis and s.examples.bad and s.examples.good


GOOD = yaml.safe_load((engine.rules_dir() / "ARI001.yaml").read_text(encoding="utf-8"))


def write_rule(tmp_path: Path, data: dict, name: str = "ARI001.yaml") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "change, key, words",
    [
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"level": "fatal"}, "level", "error"),
        ({"category": "tables"}, "category", "blank-table"),
        ({"check": "no_such_check"}, "check", "unknown check 'no_such_check'"),
        ({"params": {"identity": "T3-1", "tolerance": 1}}, "params.tolerance", "Extra inputs"),
        ({"params": {}}, "params.identity", "Field required"),
        ({"message": "表{table}的{nonsense}"}, "message", "nonsense"),
        ({"id": "ARI009"}, "id", "ARI009.yaml"),
    ],
)
def test_invalid_rule_files_name_file_and_key(tmp_path, change, key, words):
    folder = write_rule(tmp_path, {**GOOD, **change})
    with pytest.raises(engine.RuleError) as err:
        engine.load_rules(folder)
    assert err.value.file == "ARI001.yaml" and err.value.key == key
    assert str(err.value).startswith(f"ARI001.yaml: {key}: ") and words in str(err.value)


def test_duplicate_name_is_rejected(tmp_path):
    folder = write_rule(tmp_path, GOOD)
    write_rule(tmp_path, {**GOOD, "id": "ARI009"}, "ARI009.yaml")
    with pytest.raises(engine.RuleError, match="already used by ARI001.yaml"):
        engine.load_rules(folder)


def test_findings_are_frozen_and_stamped_by_the_engine(all_rules):
    from conftest import FIXTURES, report_of

    report = report_of(FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt")
    finding = engine.run(report, all_rules)[0]
    with pytest.raises((AttributeError, TypeError, ValueError)):  # frozen: a dataclass or pydantic refusal
        finding.level = "info"
    rule = next(r for r in all_rules if r.spec.id == finding.rule)
    assert (finding.name, finding.category, finding.level) == (rule.spec.name, rule.spec.category, rule.spec.level)


def test_fingerprint_ignores_line_numbers(all_rules):
    from conftest import findings_for_text, fixture_text

    text = fixture_text("seeds/002_6bf81d20b44f1e63.txt")
    a = {(f.rule, f.fingerprint) for f in findings_for_text(text, all_rules)}
    b = {(f.rule, f.fingerprint) for f in findings_for_text("\n\n\n" + text, all_rules)}
    assert a == b and len(a) >= 3


def test_readme_rule_table_is_generated_from_the_rule_files():
    from linter.explain import END, START, rules_markdown

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = text[text.index(START) + len(START) : text.index(END)].strip("\n") + "\n"
    assert block == rules_markdown(), "README rule table is stale: paste the output of `nianbao-lint rules --format md`"


def test_published_rule_ids_are_never_dropped(all_rules):
    """tests/rule_ids.txt lists every id ever published; an id may be added, never removed or reused."""
    published = (Path(__file__).resolve().parent / "rule_ids.txt").read_text().split()
    assert set(published) <= {r.spec.id for r in all_rules}
    assert len(published) == len(set(published))
