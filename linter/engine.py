"""Rule files and the engine: load and strictly validate rules, run checks, stamp findings.

A rule file (one rule per YAML file in ``rules/``) names a registered check and its
parameters. The engine validates the file, the check name, the parameters and the message
slots up front, and turns every ``Hit`` a check returns into a frozen ``Finding`` carrying
the rule's id, name, category and level (as configured), one finding per cause
(``linter.causes``). ``Rule.info`` is what a result carries of each rule it ran. A folder of
rule files is parsed and validated once per process for the same contents, and kept across
processes by ``linter.compiled`` in its validated form, made again without validating
(``linter.revive``): a warm start builds none of the rule and parameter models.
"""

from __future__ import annotations

import copy
import string
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from linter.causes import merge, prune, unmerged  # noqa: F401  (the engine's: run merges, outputs prune)
from linter.checks import CheckSpec, Context, registry
from linter.errors import LocatedError
from linter.models import Category, Finding, Hit, Level, Report, RuleInfo
from linter.revive import frozen


class RuleError(LocatedError):
    """An invalid rule file; the message names the file and the key."""


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    bad: str
    good: str


class RuleSpec(BaseModel):
    """The schema of one rule file (its validator built at the first file validated)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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
    """A rule ready to run: its spec (the level as configured), its check and validated
    parameters; ``rule_file_level`` is the level its file gives when a configuration changed it;
    ``data`` the parameters' JSON form when known (then they need not be dumped again)."""

    spec: RuleSpec
    check: CheckSpec
    params: BaseModel
    file: str
    rule_file_level: Level | None = None
    data: dict | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.spec.id

    def settings(self) -> dict:
        """The parameters as a new dict (what ``params.model_dump()`` gives)."""
        return _copy(self.data) if self.data is not None else self.params.model_dump()

    def info(self) -> RuleInfo:
        """What outputs tell of this rule: its documentation, level and parameters as configured."""
        s = self.spec
        return RuleInfo(
            id=s.id,
            name=s.name,
            category=s.category,
            level=s.level,
            rule_file_level=self.rule_file_level or s.level,
            summary=s.summary,
            why=s.why,
            fix=s.fix,
            basis=s.basis,
            check=s.check,
            params=_copy(self.data) if self.data is not None else self.params.model_dump(mode="json"),
        )


def _copy(value):
    """A new copy of JSON data (what ``copy.deepcopy`` gives, made without its bookkeeping)."""
    kind = type(value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    if kind is list:
        return [_copy(v) for v in value]
    if value is None or kind in (str, int, float, bool):  # immutable
        return value
    return copy.deepcopy(value)


def rules_dir() -> Path:
    """The installed rule files (the top-level ``rules/`` folder, packaged as ``linter.rules``)."""
    return Path(str(resources.files("linter.rules")))


def _slots(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _parse(name: str, raw: bytes):
    """One rule file's YAML (with the C parser where there is one)."""
    from linter.compiled import yaml_error, yaml_load

    try:
        return yaml_load(raw.decode("utf-8"))
    except yaml_error() as exc:
        raise RuleError(name, "(yaml)", f"not valid YAML: {exc}") from None


def _validate(name: str, data) -> Rule:
    """A rule from the parsed data of file ``name``, strictly validated."""
    if not isinstance(data, dict):
        raise RuleError(name, "(top)", "a rule file must be a mapping")
    try:
        spec = RuleSpec.model_validate(data)
    except ValidationError as exc:
        raise RuleError.invalid(name, exc) from None
    if Path(name).stem != spec.id:
        raise RuleError(name, "id", f"the file must be named after the rule id ({spec.id}.yaml)")
    checks = registry()
    check = checks.get(spec.check)
    if check is None:
        raise RuleError(name, "check", f"unknown check {spec.check!r}; known: {', '.join(sorted(checks))}")
    try:
        params = check.params.model_validate(spec.params)
    except ValidationError as exc:
        raise RuleError.invalid(name, exc, ("params",)) from None
    unknown = _slots(spec.message) - check.slots
    if unknown:
        raise RuleError(
            name,
            "message",
            f"slot(s) {sorted(unknown)} are not provided by check {spec.check!r} (it provides {sorted(check.slots)})",
        )
    return Rule(spec, check, params, name)


def load_rule(path: Path) -> Rule:
    path = Path(path)
    return _validate(path.name, _parse(path.name, path.read_bytes()))


def _rule_set(parsed: list, names: list[str]) -> list[Rule]:
    """The rules of a folder from each file's parsed data (``names``: the folder's files):
    every file validated, then ids and names checked to be unique."""
    if not isinstance(parsed, list) or [x[0] if isinstance(x, list) and len(x) == 2 else None for x in parsed] != names:
        raise TypeError("not the (file, data) pairs of these files")
    rules = [_validate(name, data) for name, data in parsed]
    seen: dict[str, str] = {}
    for rule in rules:
        for ident in (rule.spec.id, rule.spec.name):
            if ident in seen:
                raise RuleError(
                    rule.file, "id" if ident == rule.spec.id else "name", f"{ident!r} is already used by {seen[ident]}"
                )
            seen[ident] = rule.file
    return rules


def load_rules(directory: str | Path | None = None) -> list[Rule]:
    """Every rule of a folder (the installed rules by default), in file-name order.

    The folder's files are read each call, but parsed and validated once per process for the
    same contents; across processes the validated rules come from the compiled cache
    (``linter.compiled``), keyed by the contents and the code that validates them."""
    from linter import compiled
    from linter.formats import format_sources

    folder = Path(directory) if directory else rules_dir()
    sources = compiled.read_sources(folder.glob("*.yaml"))
    names = [name for name, _ in sources]
    checks = registry()
    key = compiled.digest("rules", sources, format_sources(), compiled.code(_validating(checks)))

    def build() -> list:  # file by file, so the first bad file in name order is the one named
        parsed = []
        for name, raw in sources:
            parsed.append([name, _parse(name, raw)])
            _validate(name, parsed[-1][1])
        return [[r.file, frozen(r.spec), frozen(r.params)] for r in _rule_set(parsed, names)]

    return list(compiled.cached("rules", key, build, lambda data: _revived(data, names, checks)))


def _validating(checks: dict[str, CheckSpec]) -> list:
    """The modules whose models validate rule files: this one, the checks' and ``linter.revive``."""
    from linter import revive

    found = {sys.modules[m] for m in (__name__, "linter.checks", "linter.models", "linter.levels")} | {revive}
    found |= {sys.modules[c.params.__module__] for c in checks.values()}
    found |= {sys.modules[c.fn.__module__] for c in checks.values()}
    return sorted(found, key=lambda m: m.__name__)


def _revived(data: list, names: list[str], checks: dict[str, CheckSpec]) -> list[Rule]:
    """The rules again from their validated form (``build`` in ``load_rules``)."""
    from linter.revive import revive

    if not isinstance(data, list) or [x[0] if isinstance(x, list) and len(x) == 3 else None for x in data] != names:
        raise TypeError("not the validated rules of these files")
    rules = []
    for name, spec, params in data:
        spec = revive(RuleSpec, spec)
        check = checks[spec.check]
        rules.append(Rule(spec, check, revive(check.params, params), name, data=params))
    return rules


def run(report: Report, rules: list[Rule], file: str | None = None, context: Context | None = None) -> list[Finding]:
    """Every enabled rule's findings on one report, one finding per cause. An unrecognised
    document, or a report for a year no national format covers, only gets parse-error findings:
    dozens of missing sections would bury the one real problem. ``context``: the other reports
    the cross-document checks compare with (none when not given)."""
    context = context or Context()
    hits: list[tuple[Rule, Hit]] = []
    for rule in rules:
        if (not report.recognised or not report.in_scope) and rule.spec.category != "parse-error":
            continue
        args = (report, rule.params, context) if rule.check.context else (report, rule.params)
        hits.extend((rule, hit) for hit in rule.check.fn(*args))
    return merge(hits, file or report.path)
