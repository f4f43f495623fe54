"""Renderers, one module per output format, chosen by name: ``render(name, result, out)``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the CLI imports FORMATS at start-up: keep pydantic out of `--version`
    from linter.models import LintResult

FORMATS = ("console", "json", "sarif", "csv", "junit", "github", "html")
_MODULES = {"console": "console", "json": "json", "sarif": "sarif", "csv": "csv", "junit": "junit",
            "github": "github", "html": "html", "statistics": "statistics"}


def render(name: str, result: LintResult, out: TextIO, quiet: bool = False) -> None:
    module = importlib.import_module(f"linter.render.{_MODULES[name]}")
    if name == "console":
        module.render(result, out, quiet=quiet)
    else:
        module.render(result, out)


def rule_docs() -> dict:
    """Rule metadata for formats that carry it (SARIF, HTML), from the rule files."""
    from linter import engine

    return {r.spec.id: r.spec for r in engine.load_rules()}
