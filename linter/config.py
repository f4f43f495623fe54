"""Configuration: ``.nianbao-lint.toml`` or ``[tool.nianbao-lint]`` in ``pyproject.toml``.

Found by walking up from the first linted path (``--config FILE`` overrides; finding and reading
the file is ``linter.configfile``'s), validated strictly: an unknown key, rule or parameter is a
``ConfigError`` naming the file and the key and suggesting the nearest valid name. ``apply``
turns the rule set into the configured one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import re
import typing
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from linter.clitext import validation_error
from linter.configfile import NAMES, ConfigError, discover, read_toml  # noqa: F401 (the files are found there)
from linter.models import LEVEL_RANK, Finding, Level


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when a file is validated


class RuleOverride(_Strict):
    level: Level | None = None
    params: dict = Field(default_factory=dict)


def real_day(value: str | None) -> str | None:
    """A deadline as MM-DD of a day every year has (02-29 is not one)."""
    if value is None:
        return value
    try:
        dt.datetime.strptime(f"2001-{value}", "%Y-%m-%d")
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} 不是每年都有的日期（应写作 MM-DD，如 01-31）") from None
    if not re.fullmatch(r"\d{2}-\d{2}", value):
        raise ValueError(f"{value!r} 应写作 MM-DD（如 01-31）")
    return value


Day = Annotated[str | None, AfterValidator(real_day)]


class RegionDeadline(_Strict):
    department: Day = None
    government: Day = None


class Deadlines(RegionDeadline):
    """Publication deadlines (MM-DD of the year after the report year). What is left unset keeps
    the one default, the publication-deadline check's parameters (``nianbao-lint explain PUB001``)."""

    regions: dict[str, RegionDeadline] = Field(default_factory=dict)  # name in the agency → deadlines


class Limits(_Strict):
    max_bytes: int = Field(default=20 * 1024 * 1024, gt=0, le=2**31)  # a larger file is refused with a finding
    max_pages: int = Field(default=300, gt=0, le=100_000)  # PDF pages
    max_seconds: float = Field(default=60.0, ge=0, le=86_400, allow_inf_nan=False)  # per file (0: no limit)
    max_memory_mb: int = Field(default=1024, ge=0, le=1_048_576)  # per reader process of a file (0: no limit)
    ocr: Literal["auto", "always", "never"] = "auto"  # OCR of scanned pages and pictured tables (auto: where no text)
    ocr_page_seconds: float = Field(default=30.0, gt=0, le=3600, allow_inf_nan=False)  # OCR time limit per page


class Config(_Strict):
    select: list[str] = Field(default_factory=list)  # rule ids, id prefixes, names or categories
    ignore: list[str] = Field(default_factory=list)
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)  # glob → selectors
    exclude: list[str] = Field(default_factory=list)  # globs of paths not to lint (added to the defaults)
    fail_level: Level = "error"
    min_level: Level = "info"
    deadlines: Deadlines | None = None
    limits: Limits = Field(default_factory=Limits)
    root: str = Field(default=".", exclude=True)  # folder the config file is in (for globs)


def defaults() -> Config:
    """The configuration when no file gives one: ``Config()``, made without building the models'
    validators (most runs have no configuration file)."""
    return Config.model_construct(
        _fields_set=set(),
        select=[],
        ignore=[],
        rules={},
        per_file_ignores={},
        exclude=[],
        limits=Limits.model_construct(_fields_set=set()),
    )  # the factories' values given, which pydantic would otherwise inspect on every call


def load_config(path: str | Path) -> Config:
    path = Path(path)
    data = read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("nianbao-lint", {})
    data = {k.replace("-", "_"): v for k, v in data.items()}
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError.invalid(path.name, exc, words=_message) from None
    config.root = str(path.parent)
    return config


def _message(err: dict, model: type[BaseModel] = Config) -> str:
    """A configuration's validation error in Chinese; for an unknown name, the nearest name the
    table it is in (of ``model``) knows."""
    if err["type"] == "extra_forbidden" and err["loc"]:
        near = difflib.get_close_matches(str(err["loc"][-1]), list(_table_of(model, err["loc"][:-1]).model_fields), n=1)
        return validation_error(err) + (f"；是否想写 {near[0]!r}？" if near else "")
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    if err["type"] == "finite_number":
        return "必须是有限的数（不能是 inf 或 nan）"
    if err["type"] == "less_than_equal":  # an upper bound of a limit
        return f"不能大于 {err['ctx']['le']}"
    return validation_error(err)


def _table_of(model: type[BaseModel], loc) -> type[BaseModel]:
    """The settings model at ``loc`` under ``model`` (``("limits",)`` → ``Limits``), as deep as
    the path goes through models."""
    for part in loc:
        field = model.model_fields.get(str(part))
        inner = field and next(
            (
                t
                for t in (field.annotation, *typing.get_args(field.annotation))
                if isinstance(t, type) and issubclass(t, BaseModel)
            ),
            None,
        )
        if inner is None:
            break
        model = inner
    return model


def matches(rule, selector: str) -> bool:
    s = selector.strip()
    return bool(s) and (rule.spec.id.startswith(s.upper()) or s in (rule.spec.name, rule.spec.category))


def _check_selectors(rules, selectors: list[str], file: str, key: str) -> None:
    for s in selectors:
        if not any(matches(r, s) for r in rules):
            names = [r.spec.id for r in rules] + [r.spec.name for r in rules] + sorted({r.spec.category for r in rules})
            near = difflib.get_close_matches(s, names, n=1)
            raise ConfigError(file, key, f"没有与 {s!r} 对应的规则" + (f"；是否想写 {near[0]!r}？" if near else ""))


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
            raise ConfigError(file, f"rules.{ident}", "没有这条规则" + (f"；是否想写 {near[0]!r}？" if near else ""))
    result = []
    for rule in out:
        override = config.rules.get(rule.spec.id) or config.rules.get(rule.spec.name)
        deadlines = rule.spec.check == "publication_deadline" and config.deadlines is not None
        if override is None and not deadlines:  # nothing configured for it
            result.append(rule)
            continue
        params = rule.settings()
        if deadlines:
            d = config.deadlines
            params.update({k: v for k, v in (("department", d.department), ("government", d.government)) if v})
            params["regions"] = {name: r.model_dump(exclude_none=True) for name, r in d.regions.items()}
        if override is None and params == rule.settings():
            result.append(rule)
            continue
        if override is not None:
            params.update(override.params)
        try:
            validated = rule.check.params.model_validate(params)
            if rule.spec.check == "publication_deadline":  # deadlines set as rule parameters
                for name, value in _deadline_days(validated):
                    try:
                        real_day(value)
                    except ValueError as exc:
                        raise ConfigError(file, f"rules.{rule.spec.id}.params.{name}", str(exc)) from None
        except ValidationError as exc:
            raise ConfigError.invalid(
                file, exc, ("rules", rule.spec.id, "params"), partial(_message, model=rule.check.params)
            ) from None
        if override and override.level:  # the rule file's level is kept beside the configured one
            spec = rule.spec.model_copy(update={"level": override.level})
            result.append(Rule(spec, rule.check, validated, rule.file, rule.rule_file_level or rule.spec.level))
        else:
            result.append(Rule(rule.spec, rule.check, validated, rule.file, rule.rule_file_level))
    return result


def _deadline_days(params) -> list[tuple[str, str]]:
    days = [(k, getattr(params, k)) for k in ("department", "government")]
    return days + [(f"regions.{r}.{k}", v) for r, d in params.regions.items() for k, v in d.items()]


def keep(finding: Finding, config: Config) -> bool:
    """Whether a finding is shown: at or above min_level and not ignored for its file."""
    if LEVEL_RANK[finding.level] < LEVEL_RANK[config.min_level]:
        return False
    if not config.per_file_ignores:
        return True
    try:
        rel = str(Path(finding.file).resolve().relative_to(Path(config.root).resolve()))
    except ValueError:
        rel = finding.file
    for glob, selectors in config.per_file_ignores.items():
        if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(finding.file, glob):
            if any(
                s.strip() and (finding.rule.startswith(s.upper()) or s in (finding.name, finding.category))
                for s in selectors
            ):
                return False
    return True
