"""The built wheel carries the rule files and the format data, and works outside a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import FIXTURES, ROOT


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
