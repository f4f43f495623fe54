"""The Python API: ``lint(path)`` returns the typed result that the CLI renders.

Also owns collecting files from folders and turning one file into a ``FileResult`` without
ever raising: unreadable files become an error entry, unloadable ones a parse-error finding.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Iterable

from linter import engine
from linter.config import Config, Limits, apply, discover, keep, load_config, matches
from linter.load import SUFFIXES, LoadError, load, scanned
from linter.models import Document, FileResult, LintResult, Report
from linter.parse import parse
from linter.timeout import FileTimeout, deadline


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files to lint: files as given, folders searched recursively for report formats."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files) if Path(f).suffix.lower() in SUFFIXES)
        else:
            out.append(path)
    return out


def read(path: str | Path, limits: Limits | None = None) -> tuple[Report | None, FileResult]:
    """Load and parse one file: the report, or a FileResult saying why there is none."""
    limits = limits or Limits()
    try:
        with deadline(limits.max_seconds):
            return _read(path, limits)
    except FileTimeout:
        return None, FileResult(path=str(path), error=_timeout(limits.max_seconds))


def _timeout(seconds: float) -> str:
    return f"处理超时（超过 {seconds:g} 秒），未完成检查（可在配置的 limits.max_seconds 中调整）"


def _read(path: str | Path, limits: Limits) -> tuple[Report | None, FileResult]:
    name = str(path)
    try:
        doc = load(path, limits.max_bytes, limits.max_pages, limits.ocr, limits.ocr_page_seconds)
    except OSError as exc:
        return None, FileResult(path=name, error=f"无法读取文件：{exc.strerror or exc}")
    except LoadError as exc:
        doc = Document(path=name, format=Path(name).suffix.lstrip(".") or "?", problems=[str(exc)])
    except Exception as exc:  # a loader bug must not lose the other files' results
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return None, FileResult(path=name, error=f"读取时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    try:
        report = parse(doc)
        scanned.review(doc, report)
        return report, FileResult(path=name, format=doc.format)
    except Exception as exc:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return None, FileResult(path=name, format=doc.format,
                                error=f"解析时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")


def check(report: Report, result: FileResult, rules: list[engine.Rule], limits: Limits | None = None,
          spent: float = 0.0) -> FileResult:
    """Run the rules on a parsed report within what is left of the file's time limit after
    ``spent`` seconds of reading it."""
    limit = limits.max_seconds if limits else 0
    try:
        with deadline(max(limit - spent, 0.001) if limit else None):
            result.findings = scanned.annotate(report, engine.run(report, rules, result.path))
    except FileTimeout:
        result.findings, result.error = [], _timeout(limit)
    except Exception as exc:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        result.error = f"检查时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题"
    return result


def lint_file(path: str | Path, rules: list[engine.Rule], limits: Limits | None = None) -> FileResult:
    limits = limits or Limits()
    start = time.monotonic()
    report, result = read(path, limits)
    return result if report is None else check(report, result, rules, limits, time.monotonic() - start)


def _agency_key(report: Report) -> str | None:
    agency = re.sub(r"[（(].*?[）)]|\s", "", report.meta.agency or "")
    return agency if len(agency) >= 3 else None  # too short a name cannot identify one agency


def link_years(reports: list[Report], previous: Report | None = None) -> None:
    """Give each report last year's report of the same agency, when one is at hand: another
    file of the same run, or the one given as ``previous``."""
    index = {(_agency_key(r), r.meta.year): r for r in reports if _agency_key(r) and r.meta.year}
    for report in reports:
        year = report.meta.year
        if year is None:
            continue
        report.previous = index.get((_agency_key(report), year - 1))
        if report.previous is None and previous is not None and previous.meta.year == year - 1:
            report.previous = previous


def lint_paths(paths: Iterable[str | Path], rules: list[engine.Rule], previous: str | Path | None = None,
               limits: Limits | None = None) -> LintResult:
    """Lint files and folders; reports of one agency for consecutive years are checked across years."""
    limits = limits or Limits()
    read_all = []
    for path in collect(paths):
        start = time.monotonic()
        read_all.append((*read(path, limits), time.monotonic() - start))
    prior = read(previous, limits)[0] if previous else None
    link_years([r for r, _, _ in read_all if r is not None], prior)
    return LintResult(files=[res if rep is None else check(rep, res, rules, limits, spent)
                             for rep, res, spent in read_all])


def configured_rules(config: str | Path | Config | None, near: str | Path, select: str = "",
                     ignore: str = "") -> tuple[Config, list[engine.Rule]]:
    """The configuration (given, or discovered above ``near``) and the rules it selects, with
    command-line --select/--ignore applied on top."""
    name = "config"
    if not isinstance(config, Config):
        path = Path(config) if config else discover(near)
        name = path.name if path else name
        config = load_config(path) if path else Config()
    rules = apply(engine.load_rules(), config, name)
    rules = [r for r in rules if not select or any(matches(r, s) for s in select.split(","))]
    return config, [r for r in rules if not any(matches(r, s) for s in ignore.split(","))]


def filtered(result: LintResult, config: Config) -> LintResult:
    """Drop findings below the configured min_level or ignored for their file."""
    for fr in result.files:
        fr.findings = [f for f in fr.findings if keep(f, config)]
    return result


def lint(path: str | Path | Iterable[str | Path], config: str | Path | Config | None = None,
         previous: str | Path | None = None) -> LintResult:
    """Lint one file, a folder, or several paths.

    ``config``: a config file, a ``Config``, or None to look for one above the first path;
    ``previous``: last year's report, for the cross-year checks. Returns the findings per file."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    config, rules = configured_rules(config, paths[0] if paths else ".")
    return filtered(lint_paths(paths, rules, previous, config.limits), config)
