"""Configuration: ``.nianbao-lint.toml`` or ``[tool.nianbao-lint]`` in ``pyproject.toml``.

Found by walking up from the first linted path (``--config FILE`` overrides), validated
strictly: an unknown key, rule or parameter is a ``ConfigError`` naming the file and the key
and suggesting the nearest valid name. ``apply`` turns the rule set into the configured one.
"""

from __future__ import annotations

import difflib
import fnmatch
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from linter.models import LEVEL_RANK, Finding, Level

NAMES = (".nianbao-lint.toml", "pyproject.toml")


class ConfigError(Exception):
    """An invalid configuration; the message names the file and the key."""

    def __init__(self, file: str, key: str, message: str):
        super().__init__(f"{file}: {key}: {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleOverride(_Strict):
    level: Level | None = None
    params: dict = Field(default_factory=dict)


class RegionDeadline(_Strict):
    department: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    government: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")


class Deadlines(RegionDeadline):
    regions: dict[str, RegionDeadline] = Field(default_factory=dict)  # name in the agency → deadlines


class Limits(_Strict):
    max_bytes: int = Field(default=20 * 1024 * 1024, gt=0)  # a larger file is refused with a finding
    max_pages: int = Field(default=300, gt=0)  # PDF pages
    max_seconds: float = Field(default=60.0, ge=0)  # per file, reading and checking (0: no limit)
    ocr: Literal["auto", "always", "never"] = "auto"  # OCR of scanned pages and pictured tables (auto: where no text)
    ocr_page_seconds: float = Field(default=30.0, gt=0)  # OCR time limit per page


class Config(_Strict):
    select: list[str] = Field(default_factory=list)  # rule ids, id prefixes, names or categories
    ignore: list[str] = Field(default_factory=list)
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)  # glob → selectors
    fail_level: Level = "error"
    min_level: Level = "info"
    deadlines: Deadlines | None = None
    limits: Limits = Field(default_factory=Limits)
    root: str = Field(default=".", exclude=True)  # folder the config file is in (for globs)


def _read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path.name, "(file)", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path.name, "(toml)", str(exc)) from None


def load_config(path: str | Path) -> Config:
    path = Path(path)
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("nianbao-lint", {})
    data = {k.replace("-", "_"): v for k, v in data.items()}
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top)"
        hint = ""
        if err["type"] == "extra_forbidden":
            near = difflib.get_close_matches(str(err["loc"][-1]), list(Config.model_fields), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ConfigError(path.name, key, err["msg"] + hint) from None
    config.root = str(path.parent)
    return config


def discover(start: str | Path) -> Path | None:
    """The nearest config file above ``start``: a .nianbao-lint.toml, or a pyproject.toml with a
    [tool.nianbao-lint] table."""
    here = Path(start).resolve()
    for folder in [here, *here.parents] if here.is_dir() else [here.parent, *here.parent.parents]:
        own = folder / NAMES[0]
        if own.is_file():
            return own
        project = folder / NAMES[1]
        if project.is_file() and "nianbao-lint" in _read_toml(project).get("tool", {}):
            return project
    return None


def matches(rule, selector: str) -> bool:
    s = selector.strip()
    return bool(s) and (rule.spec.id.startswith(s.upper()) or s in (rule.spec.name, rule.spec.category))


def _check_selectors(rules, selectors: list[str], file: str, key: str) -> None:
    for s in selectors:
        if not any(matches(r, s) for r in rules):
            names = [r.spec.id for r in rules] + [r.spec.name for r in rules] + sorted({r.spec.category for r in rules})
            near = difflib.get_close_matches(s, names, n=1)
            raise ConfigError(file, key, f"no rule matches {s!r}" + (f"; did you mean {near[0]!r}?" if near else ""))


def apply(rules, config: Config, file: str = "config"):
    """The rules the configuration asks for: selected, with levels and parameters overridden."""
    from linter.engine import Rule

    _check_selectors(rules, config.select, file, "select")
    _check_selectors(rules, config.ignore, file, "ignore")
    for glob, selectors in config.per_file_ignores.items():
        _check_selectors(rules, selectors, file, f"per_file_ignores.{glob}")
    by_id = {r.spec.id: r for r in rules} | {r.spec.name: r for r in rules}
    out = []
    for rule in rules:
        if config.select and not any(matches(rule, s) for s in config.select):
            continue
        if any(matches(rule, s) for s in config.ignore):
            continue
        out.append(rule)
    for ident in config.rules:
        if ident not in by_id:
            near = difflib.get_close_matches(ident, list(by_id), n=1)
            raise ConfigError(file, f"rules.{ident}", "unknown rule" + (f"; did you mean {near[0]!r}?" if near else ""))
    result = []
    for rule in out:
        override = config.rules.get(rule.spec.id) or config.rules.get(rule.spec.name)
        params = rule.params.model_dump()
        if rule.spec.check == "publication_deadline" and config.deadlines is not None:
            d = config.deadlines
            params.update({k: v for k, v in (("department", d.department), ("government", d.government)) if v})
            params["regions"] = {name: r.model_dump(exclude_none=True) for name, r in d.regions.items()}
        if override is None and params == rule.params.model_dump():
            result.append(rule)
            continue
        if override is not None:
            params.update(override.params)
        try:
            validated = rule.check.params.model_validate(params)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConfigError(file, ".".join(["rules", rule.spec.id, "params", *map(str, err["loc"])]),
                              err["msg"]) from None
        spec = rule.spec.model_copy(update={"level": override.level}) if override and override.level else rule.spec
        result.append(Rule(spec, rule.check, validated, rule.file))
    return result


def keep(finding: Finding, config: Config) -> bool:
    """Whether a finding is shown: at or above min_level and not ignored for its file."""
    if LEVEL_RANK[finding.level] < LEVEL_RANK[config.min_level]:
        return False
    try:
        rel = str(Path(finding.file).resolve().relative_to(Path(config.root).resolve()))
    except ValueError:
        rel = finding.file
    for glob, selectors in config.per_file_ignores.items():
        if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(finding.file, glob):
            if any(s.strip() and (finding.rule.startswith(s.upper()) or s in (finding.name, finding.category))
                   for s in selectors):
                return False
    return True
