"""Findings: what a check returns (``Hit``) and what the engine stamps from it (``Finding``),
with the findings merged into one cause kept as its ``Related`` locations; per-file and
per-run results, the run's rules as configured among them (``RuleInfo``). Re-exported by
``linter.models``, the pipeline's one vocabulary."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from linter.models import Level, Location


class Hit(BaseModel):
    """What a check returns: where, the message slots, and evidence. No identity, no level."""

    loc: Location
    data: dict[str, object] = Field(default_factory=dict)
    key: str = ""  # stable discriminator among hits of one rule (fingerprint input)
    excerpt: str | None = None
    expected: str | None = None
    actual: str | None = None
    # one cause, one finding: hits naming the same ``cause`` become one finding, the others
    # kept as its related locations; ``cells`` are the cells the cause names ("三/r24/total"),
    # ``refers`` the cells a hit speaks of (a hit on a named cell is attached to the cause)
    cause: str | None = None
    cause_text: str | None = None
    cells: list[str] = Field(default_factory=list)
    refers: list[str] = Field(default_factory=list)
    primary: bool = False  # this hit states the cause (SEC001 for a missing section's table)


class Stamped(BaseModel):
    """What a finding and the findings merged into its cause share: the rule that found it,
    its level as configured, the message, the place and the fingerprint."""

    model_config = ConfigDict(frozen=True)

    rule: str
    name: str
    category: str
    level: Level
    message: str
    location: Location
    fingerprint: str

    RECORD: ClassVar[tuple[str, ...]] = ("rule", "name", "category", "level", "message", "fingerprint")

    def record(self) -> dict:
        """The flat JSON record (stable keys, in ``RECORD`` order, then the place)."""
        d = {k: getattr(self, k) for k in self.RECORD}
        d["location"] = self.location.model_dump(exclude_none=True)
        d["where"] = self.location.describe()
        return d


class Related(Stamped):
    """A finding merged into another one's cause: kept with its own rule id and fingerprint."""


class Finding(Stamped):
    """An immutable, fully stamped finding: who (rule), how severe, what, where."""

    file: str
    excerpt: str | None = None
    expected: str | None = None
    actual: str | None = None
    fix: str | None = None
    related: tuple[Related, ...] = ()

    RECORD: ClassVar[tuple[str, ...]] = (
        "file",
        "rule",
        "name",
        "category",
        "level",
        "message",
        "excerpt",
        "expected",
        "actual",
        "fix",
        "fingerprint",
    )

    def record(self) -> dict:
        d = super().record()
        d["related"] = [r.record() for r in self.related]
        return d

    def rules(self) -> list[str]:
        """This finding's rule and those of the findings merged into it."""
        return [self.rule, *(r.rule for r in self.related)]


class RuleInfo(BaseModel):
    """A rule as a run applied it: its documentation, with the level and parameters as
    configured (``rule_file_level``: the level its rule file gives)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    category: str
    level: Level
    rule_file_level: Level
    summary: str
    why: str
    fix: str
    basis: str
    check: str
    params: dict = Field(default_factory=dict)

    @property
    def reconfigured(self) -> bool:
        return self.level != self.rule_file_level


class FileResult(BaseModel):
    path: str
    format: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None  # the file could not be read at all (exit code 2)
    page_lines: list[int] = Field(default_factory=list)  # lines read on each PDF page, for absolute line numbers


class LintResult(BaseModel):
    files: list[FileResult] = Field(default_factory=list)
    rules: list[RuleInfo] = Field(default_factory=list)  # the run's rules, as configured

    def rule(self, ident: str) -> RuleInfo | None:
        return next((r for r in self.rules if r.id == ident), None)

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level == level)
