"""Rule files and the engine: load and strictly validate rules, run checks, stamp findings.

A rule file (one rule per YAML file in ``rules/``) names a registered check and its
parameters. The engine validates the file, the check name, the parameters and the message
slots up front, and turns every ``Hit`` a check returns into a frozen ``Finding`` carrying
the rule's id, name, category and level.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from linter.checks import CheckSpec, registry
from linter.models import Category, Finding, Hit, Level, Report


class RuleError(Exception):
    """An invalid rule file; the message names the file and the key."""

    def __init__(self, file: str, key: str, message: str):
        super().__init__(f"{file}: {key}: {message}")
        self.file, self.key = file, key


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    bad: str
    good: str


class RuleSpec(BaseModel):
    """The schema of one rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{2,5}\d{3}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    category: Category
    level: Level
    summary: str
    message: str
    why: str
    fix: str
    basis: str
    examples: Examples
    check: str
    params: dict = Field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    check: CheckSpec
    params: BaseModel
    file: str

    @property
    def id(self) -> str:
        return self.spec.id


def rules_dir() -> Path:
    """The installed rule files (the top-level ``rules/`` folder, packaged as ``linter.rules``)."""
    return Path(str(resources.files("linter.rules")))


def _slots(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_rule(path: Path) -> Rule:
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(name, "(yaml)", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RuleError(name, "(top)", "a rule file must be a mapping")
    try:
        spec = RuleSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise RuleError(name, key, err["msg"]) from None
    if path.stem != spec.id:
        raise RuleError(name, "id", f"the file must be named after the rule id ({spec.id}.yaml)")
    checks = registry()
    check = checks.get(spec.check)
    if check is None:
        raise RuleError(name, "check", f"unknown check {spec.check!r}; known: {', '.join(sorted(checks))}")
    try:
        params = check.params.model_validate(spec.params)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(["params", *(str(p) for p in err["loc"])])
        raise RuleError(name, key, err["msg"]) from None
    unknown = _slots(spec.message) - check.slots
    if unknown:
        raise RuleError(name, "message", f"slot(s) {sorted(unknown)} are not provided by check "
                        f"{spec.check!r} (it provides {sorted(check.slots)})")
    return Rule(spec, check, params, name)


def load_rules(directory: str | Path | None = None) -> list[Rule]:
    folder = Path(directory) if directory else rules_dir()
    rules = [load_rule(p) for p in sorted(folder.glob("*.yaml"))]
    seen: dict[str, str] = {}
    for rule in rules:
        for ident in (rule.spec.id, rule.spec.name):
            if ident in seen:
                raise RuleError(rule.file, "id" if ident == rule.spec.id else "name",
                                f"{ident!r} is already used by {seen[ident]}")
            seen[ident] = rule.file
    return rules


def fingerprint(rule: str, hit: Hit) -> str:
    """Stable across reformatting: rule, logical place and the hit's key; never line numbers."""
    loc = hit.loc
    basis = "|".join(str(x or "") for x in (rule, loc.section, loc.table, loc.row, loc.col, hit.key))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def stamp(rule: Rule, hit: Hit, file: str) -> Finding:
    return Finding(
        file=file, rule=rule.spec.id, name=rule.spec.name, category=rule.spec.category,
        level=rule.spec.level, message=rule.spec.message.format(**hit.data), location=hit.loc,
        excerpt=hit.excerpt, expected=hit.expected, actual=hit.actual, fix=rule.spec.fix,
        fingerprint=fingerprint(rule.spec.id, hit),
    )


def run(report: Report, rules: list[Rule], file: str | None = None) -> list[Finding]:
    """Every enabled rule's findings on one report. An unrecognised document, or a report for a
    year no national format covers, only gets parse-error findings: dozens of missing sections
    would bury the one real problem."""
    findings: list[Finding] = []
    for rule in rules:
        if (not report.recognised or not report.in_scope) and rule.spec.category != "parse-error":
            continue
        for hit in rule.check.fn(report, rule.params):
            findings.append(stamp(rule, hit, file or report.path))
    return findings
