"""The built wheel carries the rule files, the format data and the command, and works outside a
checkout; the editable install is a path, and its command imports nothing before ours."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import FIXTURES, ROOT

from linter import __version__


def test_wheel_ships_rules_and_format_and_runs_from_elsewhere(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((tmp_path / "dist").glob("nianbao_lint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    rules = sorted(n for n in names if n.startswith("linter/rules/") and n.endswith(".yaml"))
    shipped = sorted(f"linter/rules/{p.name}" for p in (ROOT / "rules").glob("*.yaml"))
    assert rules == shipped and "linter/formats/v2021.yaml" in names
    # the command is a plain script (setup.py), not an entry point behind a wrapper importing re
    (script,) = [n for n in names if n.endswith(".data/scripts/nianbao-lint")]
    assert zipfile.ZipFile(wheel).read(script).decode().splitlines()[0] == "#!python"
    assert not any(n.endswith("entry_points.txt") for n in names)
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from linter import engine, cli; print(engine.rules_dir());"
        "sys.exit(cli.main(['check', sys.argv[2]]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(target), str(FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.stdout.splitlines()[0].startswith(str(target)), proc.stdout + proc.stderr
    assert proc.returncode == 1 and "TBL002" in proc.stdout


def test_editable_install_is_a_path_not_an_import_hook(tmp_path):
    """The README installs the checkout editable. Setuptools gives a layout it cannot express as
    a path an import hook instead, which every Python process on the machine then imports at its
    start (about 25 ms). The rules reach linter/rules through a link, so the install is one path.
    The command is a plain script: a console-script wrapper would import re before the command."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)]
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = sorted(p.name for p in site.glob("*nianbao_lint*") if not p.name.endswith(".dist-info"))
    assert len(installed) == 1 and installed[0].startswith("__editable__.") and installed[0].endswith(".pth"), installed
    assert (site / installed[0]).read_text().split() == [str(ROOT)]  # a path, and no finder module beside it
    command = venv / "bin" / "nianbao-lint"
    assert command.read_text().splitlines()[0] == f"#!{python}"
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert version.returncode == 0 and version.stdout.split()[-1] == __version__, version.stdout + version.stderr
    added = _imports([str(command), "--version"], tmp_path) - _imports([str(python), "-c", "pass"], tmp_path)
    assert added == {"__future__", "linter", "linter.cli"}, added  # no re (a console-script wrapper's)
    code = "import linter, linter.rules as r; print(linter.__file__); print(r.__file__)"
    shown = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert shown.stdout.split() == [
        str(ROOT / "linter" / "__init__.py"),
        str(ROOT / "linter" / "rules" / "__init__.py"),
    ]


def _imports(argv: list[str], cwd) -> set[str]:
    """The modules a process imports, from the interpreter's own import report."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1", "NIANBAO_LINT_WARM": "0"}
    report = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=60).stderr
    names = {line.rsplit("|", 1)[1].strip() for line in report.splitlines() if line.startswith("import time:")}
    return names - {"package"}  # the report's header line
