"""The Python API: ``lint(path)`` returns the typed result that the CLI renders.

Also owns collecting files from folders and the one route from a file to its findings
(``run_file``), which never raises: unreadable files become an error entry, unloadable ones a
parse-error finding; and the cross-document pass that ``check`` and ``audit`` share.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from linter import engine
from linter import isolate as isolation
from linter.checks import Context
from linter.clitext import os_reason
from linter.config import Config, Limits, apply, defaults, discover, keep, load_config, matches
from linter.errors import InputError
from linter.figures import Entry, contexts
from linter.load import SUFFIXES, LoadError, load, scanned
from linter.models import Document, FileResult, LintResult, Report
from linter.parse import parse
from linter.safetext import shown_path
from linter.timeout import FileTimeout, deadline


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files to lint: files as given, folders searched recursively for report formats. A folder
    that cannot be listed (no permission, a path longer than the system allows) is kept as an
    entry, so that reading it reports why instead of skipping it unseen."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            folder = path.is_dir()
        except OSError:  # a path longer than the system allows: reading it reports why
            folder = False
        if folder:
            unlisted = lambda exc: out.append(Path(exc.filename))  # noqa: E731
            for root, dirs, files in os.walk(path, onerror=unlisted, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files) if Path(f).suffix.lower() in SUFFIXES)
        else:
            out.append(path)
    return out


def read(path: str | Path, limits: Limits | None = None, isolate: bool = True) -> tuple[Report | None, FileResult]:
    """Load and parse one file: the report, or a FileResult saying why there is none.

    With ``isolate`` (where the platform allows), the loader runs in a child process under the
    file's memory limit, killed at its time limit even inside a C library (``linter.isolate``);
    batch workers, already such processes, read in place."""
    limits = limits or Limits()
    try:
        with deadline(limits.max_seconds):
            return _read(path, limits, isolate)
    except FileTimeout:
        return None, FileResult(path=shown_path(path), error=_timeout(limits.max_seconds))


def _timeout(seconds: float) -> str:
    return f"处理超时（超过 {seconds:g} 秒），未完成检查（可在配置的 limits.max_seconds 中调整）"


class _TablesRead:
    """Whether the statistical tables were read from the document's text, every one with numbers
    (then pictures in it need no OCR). The parse that says yes is kept: the document is final
    then (no picture is read into it), so it is the report, not parsed a second time."""

    def __init__(self) -> None:
        self.report: Report | None = None

    def __call__(self, doc: Document) -> bool:
        report = parse(doc.model_copy(deep=True))
        read = all(t.found and t.has_numbers for t in report.tables.values())
        self.report = report if read else None
        return read


def _read(path: str | Path, limits: Limits, isolate: bool) -> tuple[Report | None, FileResult]:
    name = shown_path(path)  # the file as every output names it; ``path`` is what is opened
    judged = _TablesRead()
    try:
        doc = load(
            path,
            limits.max_bytes,
            limits.max_pages,
            limits.max_memory_mb,
            isolate,
            limits.ocr,
            limits.ocr_page_seconds,
            tables_read=judged,
        )
    except isolation.Isolated as exc:
        return None, FileResult(path=name, error=str(exc))
    except OSError as exc:
        return None, FileResult(path=name, error=f"无法读取文件：{os_reason(exc)}")
    except LoadError as exc:
        doc = Document(path=name, format=Path(name).suffix.lstrip(".") or "?", problems=[str(exc)])
    except Exception as exc:  # a loader bug must not lose the other files' results
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return None, FileResult(path=name, error=f"读取时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    try:
        report = judged.report if judged.report is not None else parse(doc)
        scanned.review(doc, report)
        return report, FileResult(path=name, format=doc.format, page_lines=_page_lines(doc))
    except Exception as exc:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return None, FileResult(
            path=name, format=doc.format, error=f"解析时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题"
        )


def _page_lines(doc: Document) -> list[int]:
    """How many lines each page of a paged document has (the highest line number read on it)."""
    if not doc.pages:
        return []
    most = [0] * doc.pages
    for block in doc.blocks:
        for loc in [block.loc] + ([c.loc for row in block.rows for c in row] if block.kind == "table" else []):
            if loc.page and loc.line and loc.page <= doc.pages:
                most[loc.page - 1] = max(most[loc.page - 1], loc.line)
    return most


def check(
    report: Report,
    result: FileResult,
    rules: list[engine.Rule],
    limits: Limits | None = None,
    spent: float = 0.0,
    context: Context | None = None,
) -> FileResult:
    """Run the rules on a parsed report within what is left of the file's time limit after
    ``spent`` seconds of reading it; ``context``: the reports cross-document checks compare with."""
    limit = limits.max_seconds if limits else 0
    try:
        with deadline(max(limit - spent, 0.001) if limit else None):
            result.findings = scanned.annotate(report, engine.run(report, rules, result.path, context))
    except FileTimeout:
        result.findings, result.error = [], _timeout(limit)
    except Exception as exc:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        result.error = f"检查时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题"
    return result


def run_file(
    path: str | Path,
    rules: list[engine.Rule],
    limits: Limits | None = None,
    config: Config | None = None,
    isolate: bool = True,
) -> tuple[Report | None, FileResult]:
    """The one route from a file to findings: read with limits, timeout and guards → parse →
    the configured rules → findings kept by the configuration. ``check``, ``dump`` (reading
    only), ``audit`` (local and Dask) and ``lint`` all go through here."""
    limits = limits or (config.limits if config else Limits())
    start = time.monotonic()
    report, result = read(path, limits, isolate)
    if report is not None:
        result = check(report, result, rules, limits, time.monotonic() - start)
    if config is not None:
        result.findings = [f for f in result.findings if keep(f, config)]
    return report, result


def lint_file(
    path: str | Path, rules: list[engine.Rule], limits: Limits | None = None, config: Config | None = None
) -> FileResult:
    """``run_file`` without the report."""
    return run_file(path, rules, limits, config)[1]


def cross_check(
    entries: list[Entry],
    rules: list[engine.Rule],
    limits: Limits | None = None,
    hierarchy: bool = False,
    previous: Entry | None = None,
    chosen: range | None = None,
) -> Iterator[tuple[int, FileResult]]:
    """The cross-document pass of ``check`` and ``audit``: the ``rules`` that take a context,
    run on each entry that has a counterpart in the run (``linter.figures.contexts``; only the
    entries at ``chosen`` when given), each within the file's time limit and guarded like any
    check; yields (index in ``entries``, result)."""
    for index, report, context in contexts(entries, hierarchy, previous, chosen=chosen):
        yield index, check(report, FileResult(path=entries[index].path), rules, limits, context=context)


def lint_paths(
    paths: Iterable[str | Path],
    rules: list[engine.Rule],
    previous: str | Path | None = None,
    limits: Limits | None = None,
    reports: dict[str, Report] | None = None,
) -> LintResult:
    """Lint files and folders; reports of one agency for consecutive years are checked across years.

    Files go one at a time through ``run_file`` with the rules that read one report; only the
    stored form of each report's figures (``linter.figures``, kilobytes) is kept until the end,
    when the cross-year rules run on the pairs found. Only when ``reports`` is given (an output
    that shows each report, such as the annotated page) are the parsed reports kept there, by path."""
    limits = limits or Limits()
    prior = None
    if previous:
        report, outcome = read(previous, limits)
        if report is None:
            raise InputError(f"无法读取上一年度的报告 {outcome.path}：{outcome.error}")
        prior = Entry.of(report, outcome.path)
    within = [r for r in rules if not r.check.context]
    across = [r for r in rules if r.check.context]
    files: list[FileResult] = []
    kept: list[tuple[int, Entry]] = []
    found = collect(paths)
    across = across if len(found) > 1 or prior is not None else []  # one report alone has no counterpart
    for path in found:
        report, result = run_file(path, within, limits)
        if across and report is not None and result.error is None:
            kept.append((len(files), Entry.of(report, result.path)))
        files.append(result)
        if reports is not None and report is not None:
            reports[result.path] = report
        del report  # otherwise nothing but the stored figures outlive the file's turn
    order = {r.spec.id: n for n, r in enumerate(rules)}
    for at, extra in cross_check([e for _, e in kept], across, limits, previous=prior):
        result = files[kept[at][0]]
        if extra.error:
            result.error = extra.error
        result.findings = sorted(result.findings + extra.findings, key=lambda f: order[f.rule])
    return LintResult(files=files, rules=[r.info() for r in rules])  # outputs read the configured rules


def configured_rules(
    config: str | Path | Config | None, near: str | Path, select: str = "", ignore: str = ""
) -> tuple[Config, list[engine.Rule]]:
    """The configuration (given, or discovered above ``near``) and the rules it selects, with
    command-line --select/--ignore applied on top."""
    name = "config"
    if not isinstance(config, Config):
        path = Path(config) if config else discover(near)
        name = path.name if path else name
        config = load_config(path) if path else defaults()
    rules = apply(engine.load_rules(), config, name)
    rules = [r for r in rules if not select or any(matches(r, s) for s in select.split(","))]
    return config, [r for r in rules if not any(matches(r, s) for s in ignore.split(","))]


def filtered(result: LintResult, config: Config) -> LintResult:
    """Drop findings below the configured min_level or ignored for their file."""
    for fr in result.files:
        fr.findings = [p for p in (engine.prune(f, lambda part: keep(part, config)) for f in fr.findings) if p]
    return result


def lint(
    path: str | Path | Iterable[str | Path],
    config: str | Path | Config | None = None,
    previous: str | Path | None = None,
) -> LintResult:
    """Lint one file, a folder, or several paths.

    ``config``: a config file, a ``Config``, or None to look for one above the first path;
    ``previous``: last year's report, for the cross-year checks. Returns the findings per file."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    config, rules = configured_rules(config, paths[0] if paths else ".")
    return filtered(lint_paths(paths, rules, previous, config.limits), config)
