"""Shared test helpers: fixture paths and linting a text or a fixture through the real pipeline."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from linter import engine
from linter.load import load, load_text
from linter.parse import parse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXPECTED = Path(__file__).resolve().parent / "expected"

# The commands the tests run check in their own process: a warm server left by one test must not
# serve another's (tests/test_warm.py turns it on, each test in a private socket folder).
os.environ["NIANBAO_LINT_WARM"] = "0"


@pytest.fixture(scope="session")
def all_rules() -> list[engine.Rule]:
    return engine.load_rules()


def fixture_text(relpath: str) -> str:
    return (FIXTURES / relpath).read_text(encoding="utf-8")


def report_of(path: Path):
    return parse(load(path))


def findings_for_text(text: str, rules: list[engine.Rule], name: str = "case.txt"):
    report = parse(load_text(text, name))
    return engine.run(report, rules, name)


def wait_until(condition, seconds: float = 60) -> bool:
    """Whether ``condition()`` came true within ``seconds`` (asked every 50 ms)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False
