"""Findings: what a check returns (``Hit``) and what the engine stamps from it (``Finding``),
with the findings merged into one cause kept as its ``Related`` locations; per-file and
per-run results. Re-exported by ``linter.models``, the pipeline's one vocabulary."""

from __future__ import annotations

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


class Related(BaseModel):
    """A finding merged into another one's cause: kept with its own rule id and fingerprint."""

    model_config = ConfigDict(frozen=True)

    rule: str
    name: str
    category: str
    level: Level
    message: str
    location: Location
    fingerprint: str

    def record(self) -> dict:
        d = self.model_dump(exclude={"location"})
        d["location"] = self.location.model_dump(exclude_none=True)
        d["where"] = self.location.describe()
        return d


class Finding(BaseModel):
    """An immutable, fully stamped finding: who (rule), how severe, what, where."""

    model_config = ConfigDict(frozen=True)

    file: str
    rule: str
    name: str
    category: str
    level: Level
    message: str
    location: Location
    excerpt: str | None = None
    expected: str | None = None
    actual: str | None = None
    fix: str | None = None
    fingerprint: str
    related: tuple[Related, ...] = ()

    def record(self) -> dict:
        """The flat JSON record (stable keys)."""
        d = self.model_dump(exclude={"location", "related"})
        d["location"] = self.location.model_dump(exclude_none=True)
        d["where"] = self.location.describe()
        d["related"] = [r.record() for r in self.related]
        return d

    def rules(self) -> list[str]:
        """This finding's rule and those of the findings merged into it."""
        return [self.rule, *(r.rule for r in self.related)]


class FileResult(BaseModel):
    path: str
    format: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None  # the file could not be read at all (exit code 2)
    page_lines: list[int] = Field(default_factory=list)  # lines read on each PDF page, for absolute line numbers


class LintResult(BaseModel):
    files: list[FileResult] = Field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level == level)
