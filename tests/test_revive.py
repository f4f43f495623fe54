"""What a warm start makes without validating equals what validation makes: every rule with
its parameters, every format, the default configuration; and the cheaper spellings of
expressions keep their meaning."""

from __future__ import annotations

from linter import engine
from linter.config import Config, Limits, defaults
from linter.formats import _parse_formats, _validated
from linter.revive import frozen, revive
from linter.safetext import xml_text


def test_every_rule_revived_equals_the_rule_validated_from_its_file():
    for path in sorted(engine.rules_dir().glob("*.yaml")):
        rule = engine.load_rule(path)
        spec = revive(engine.RuleSpec, frozen(rule.spec))
        params = revive(rule.check.params, frozen(rule.params))
        assert spec == rule.spec and params == rule.params, path.name
        assert type(params) is type(rule.params) and frozen(params) == frozen(rule.params)
        assert params.model_dump() == rule.params.model_dump() and spec.model_dump() == rule.spec.model_dump()
    loaded = {r.file: r for r in engine.load_rules()}
    for path in engine.rules_dir().glob("*.yaml"):
        rule = engine.load_rule(path)
        assert loaded[path.name] == rule and loaded[path.name].info() == rule.info()
        assert loaded[path.name].settings() == rule.settings()


def test_every_format_revived_equals_the_format_validated():
    for name, spec in _validated(_parse_formats()).items():
        again = revive(type(spec), frozen(spec))
        assert again == spec and again.model_dump() == spec.model_dump(), name
        assert [t.cell_keys() for t in again.tables.values()] == [t.cell_keys() for t in spec.tables.values()]


def test_revive_refuses_data_of_another_shape():
    rule = engine.load_rule(engine.rules_dir() / "TBL002.yaml")
    data = frozen(rule.spec)
    for bad in ([data], {**data, "extra": 1}, {k: v for k, v in data.items() if k != "why"}):
        try:
            revive(engine.RuleSpec, bad)
        except TypeError:
            continue
        raise AssertionError(f"revived {bad!r}")


def test_the_default_configuration_is_config_made_by_validation():
    made, validated = defaults(), Config()
    assert made == validated and made.limits == Limits() and made.model_dump() == validated.model_dump()
    assert made.model_fields_set == validated.model_fields_set == set()
    made.select.append("PER")  # its own lists, not shared with another default
    assert defaults().select == []


def test_xml_text_escapes_exactly_what_xml_does_not_allow():
    def allowed(code: int) -> bool:
        return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000

    assert [c for c in range(0x110000) if (xml_text(chr(c)) == chr(c)) != allowed(c)] == []
