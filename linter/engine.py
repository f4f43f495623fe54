"""Rule files and the engine: load and strictly validate rules, run checks, stamp findings.

A rule file (one rule per YAML file in ``rules/``) names a registered check and its
parameters. The engine validates the file, the check name, the parameters and the message
slots up front, and turns every ``Hit`` a check returns into a frozen ``Finding`` carrying
the rule's id, name, category and level (as configured). ``Rule.info`` is what a result
carries of each rule it ran. A folder of rule files is parsed and
validated once per process for the same contents, its parsed YAML kept across processes by
``linter.compiled``.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from linter.checks import CheckSpec, Context, registry
from linter.errors import LocatedError
from linter.models import LEVEL_RANK, Category, Finding, Hit, Level, Related, Report, RuleInfo


class RuleError(LocatedError):
    """An invalid rule file; the message names the file and the key."""


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
    """A rule ready to run: its spec (the level as configured), its check and validated
    parameters; ``rule_file_level`` is the level its file gives when a configuration changed it."""

    spec: RuleSpec
    check: CheckSpec
    params: BaseModel
    file: str
    rule_file_level: Level | None = None

    @property
    def id(self) -> str:
        return self.spec.id

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
            params=self.params.model_dump(mode="json"),
        )


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
    same contents; across processes the parsed files come from the compiled cache
    (``linter.compiled``), keyed by the contents, and are validated again when used."""
    from linter import compiled
    from linter.formats import format_sources

    folder = Path(directory) if directory else rules_dir()
    sources = compiled.read_sources(folder.glob("*.yaml"))
    key = compiled.digest("rules", sources, format_sources())

    def build() -> list:  # file by file, so the first bad file in name order is the one named
        parsed = []
        for name, raw in sources:
            parsed.append([name, _parse(name, raw)])
            _validate(name, parsed[-1][1])
        return parsed

    names = [name for name, _ in sources]
    return list(compiled.cached("rules", key, build, lambda parsed: _rule_set(parsed, names)))


def fingerprint(rule: str, hit: Hit) -> str:
    """Stable across reformatting: rule, logical place and the hit's key; never line numbers."""
    loc = hit.loc
    basis = "|".join(str(x or "") for x in (rule, loc.section, loc.table, loc.row, loc.col, hit.key))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def stamp(rule: Rule, hit: Hit, file: str) -> Finding:
    return Finding(
        file=file,
        rule=rule.spec.id,
        name=rule.spec.name,
        category=rule.spec.category,
        level=rule.spec.level,
        message=rule.spec.message.format(**hit.data),
        location=hit.loc,
        excerpt=hit.excerpt,
        expected=hit.expected,
        actual=hit.actual,
        fix=rule.spec.fix,
        fingerprint=fingerprint(rule.spec.id, hit),
    )


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


def merge(hits: list[tuple[Rule, Hit]], file: str) -> list[Finding]:
    """One cause, one finding. Hits naming the same ``cause`` are merged: the one that states
    the cause (else the most severe, else the first) is the finding, its message completed by
    the cause's diagnosis; the others become its related locations, each with its own rule id
    and fingerprint. A hit with no cause of its own that speaks of a cell a cause names is
    attached to that cause too."""
    order = {id(h): i for i, (_, h) in enumerate(hits)}
    groups: dict[str, list[tuple[Rule, Hit]]] = {}
    named: dict[str, str] = {}  # cell → cause naming it
    for rule, hit in hits:
        if hit.cause:
            groups.setdefault(hit.cause, []).append((rule, hit))
            for cell in hit.cells:
                named.setdefault(cell, hit.cause)
    loose: list[tuple[Rule, Hit]] = []
    for rule, hit in hits:
        if hit.cause:
            continue
        cause = next((named[c] for c in hit.refers if c in named), None)
        if cause:
            groups[cause].append((rule, hit))
        else:
            loose.append((rule, hit))
    out: list[tuple[int, Finding]] = [(order[id(h)], stamp(r, h, file)) for r, h in loose]
    for members in groups.values():
        members.sort(key=lambda rh: (not rh[1].primary, -LEVEL_RANK[rh[0].spec.level], order[id(rh[1])]))
        (rule, hit), rest = members[0], members[1:]
        finding = stamp(rule, hit, file)
        note = next((h.cause_text for _, h in members if h.cause_text), None)
        update: dict = {"related": tuple(_related(stamp(r, h, file)) for r, h in rest)}
        if note:
            update["message"] = (
                f"{finding.message}。{note}" if not finding.message.endswith("。") else finding.message + note
            )
        out.append((min(order[id(h)] for _, h in members), finding.model_copy(update=update)))
    return [f for _, f in sorted(out, key=lambda x: x[0])]


def _related(f: Finding) -> Related:
    return Related(
        rule=f.rule,
        name=f.name,
        category=f.category,
        level=f.level,
        message=f.message,
        location=f.location,
        fingerprint=f.fingerprint,
    )


def _fields(r: Related) -> dict:
    return {k: getattr(r, k) for k in Related.model_fields}


def unmerged(finding: Finding) -> list[Finding]:
    """A merged finding and each of its related locations, as findings of their own rules."""
    return [finding.model_copy(update={"related": ()})] + [
        finding.model_copy(update={**_fields(r), "related": (), "expected": None, "actual": None, "excerpt": None})
        for r in finding.related
    ]


def prune(finding: Finding, keep) -> Finding | None:
    """The finding with the parts ``keep(finding)`` rejects taken out (each part judged as a
    finding of its own rule): related locations dropped one by one; when the finding's own rule
    is dropped, the first related one kept takes its place, so a merged finding never hides
    another rule's result."""
    head, *parts = unmerged(finding)
    kept = [r for r, p in zip(finding.related, parts) if keep(p)]
    if keep(head):
        return finding if len(kept) == len(finding.related) else finding.model_copy(update={"related": tuple(kept)})
    if not kept:
        return None
    first, *others = kept
    return finding.model_copy(
        update={**_fields(first), "related": tuple(others), "expected": None, "actual": None, "excerpt": None}
    )
