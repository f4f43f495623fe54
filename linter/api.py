"""The Python API: ``lint(path)`` returns the typed result that the CLI renders.

Also owns collecting files from folders and turning one file into a ``FileResult`` without
ever raising: unreadable files become an error entry, unloadable ones a parse-error finding.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from linter import engine
from linter.load import SUFFIXES, LoadError, load
from linter.models import Document, FileResult, LintResult
from linter.parse import parse


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


def lint_file(path: str | Path, rules: list[engine.Rule]) -> FileResult:
    name = str(path)
    try:
        doc = load(path)
    except OSError as exc:
        return FileResult(path=name, error=f"无法读取文件：{exc.strerror or exc}")
    except LoadError as exc:
        doc = Document(path=name, format=Path(name).suffix.lstrip(".") or "?", problems=[str(exc)])
    except Exception as exc:  # a loader bug must not lose the other files' results
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return FileResult(path=name, error=f"读取时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    try:
        report = parse(doc)
        return FileResult(path=name, format=doc.format, findings=engine.run(report, rules, name))
    except Exception as exc:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        return FileResult(path=name, format=doc.format,
                          error=f"检查时出现内部错误（{type(exc).__name__}: {exc}），请报告此问题")


def lint(path: str | Path | Iterable[str | Path]) -> LintResult:
    """Lint one file, a folder, or several paths; returns findings per file."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    rules = engine.load_rules()
    return LintResult(files=[lint_file(p, rules) for p in collect(paths)])
