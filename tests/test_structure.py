"""The import structure of the pipeline, read from the code itself (an AST walk over the package):
the readers (``load``), the parser (``parse``) and the checks are peers that share the reports'
wording (``wording``) and the formats, and none reaches into another's modules; the checks and
``dump`` take a report's or a table's format from ``spec_of``, never from a version literal."""

from __future__ import annotations

import ast
from pathlib import Path

from linter.formats import VERSIONS

PACKAGE = Path(__file__).resolve().parent.parent / "linter"
STAGES = ("load", "parse", "checks")


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).glob("*.py"))


def imported(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (``from linter.load import txt`` is linter.load.txt), with its line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
            base = PACKAGE.parent.joinpath(*node.module.split("."))
            out += [(f"{node.module}.{a.name}", node.lineno) for a in node.names if (base / f"{a.name}.py").exists()]
    return out


def reaches(path: Path, stage: str) -> list[str]:
    """The package ``linter.<stage>`` or the modules inside it that ``path`` imports."""
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for name, line in imported(path)
        if name == f"linter.{stage}" or name.startswith(f"linter.{stage}.")
    ]


def test_the_walk_sees_every_kind_of_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import linter.parse.meta\nfrom linter.parse.sections import x\n"
        "from linter.load import txt\ndef f():\n    from linter.checks.dates import y\n    from linter.parse import parse\n"
    )
    names = [name for name, _ in imported(probe)]
    assert {
        "linter.parse.meta",
        "linter.parse.sections",
        "linter.load.txt",
        "linter.checks.dates",
        "linter.parse",
    } <= set(names)


def test_load_parse_and_checks_do_not_import_each_others_modules():
    found = [
        hit
        for stage in STAGES
        for path in modules(stage)
        for other in STAGES
        if other != stage
        for hit in reaches(path, other)
    ]
    assert found == []


def test_the_wording_depends_on_no_stage():
    found = [hit for path in modules("wording") for stage in STAGES for hit in reaches(path, stage)]
    found += [
        f"{p.name} imports {n}"
        for p in modules("wording")
        for n, _ in imported(p)
        if n in {f"linter.{s}" for s in STAGES}
    ]
    assert found == []


def _judging_modules() -> list[Path]:
    return modules("checks") + [PACKAGE / "dump.py"]


def test_checks_and_dump_take_formats_from_spec_of():
    found = []
    for path in _judging_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "load_format":
                if any(isinstance(a, ast.Attribute) and a.attr in ("version", "layout") for a in ast.walk(node)):
                    found.append(f"{path.name}:{node.lineno} load_format of a report or table")
            if isinstance(node, ast.Constant) and node.value in VERSIONS:
                found.append(f"{path.name}:{node.lineno} format version literal {node.value!r}")
    assert found == []
