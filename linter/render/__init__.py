"""Renderers, one module per output format, chosen by name: ``render(name, result, out)``."""

from __future__ import annotations

from typing import TextIO

from linter.models import LintResult

FORMATS = ("console", "json")


def render(name: str, result: LintResult, out: TextIO) -> None:
    if name == "json":
        from linter.render import json as renderer
    else:
        from linter.render import console as renderer
    renderer.render(result, out)
