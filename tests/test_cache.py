"""The compiled cache of rule and format files, as a user meets it: real processes, a real
cache folder (``XDG_CACHE_HOME`` in a temporary directory), the package copied to a folder of
its own where a test changes its rule files. Findings never depend on the state of the cache."""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

REPORT = FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"  # gives TBL002 (an error) among others
RUN = "import sys; sys.path.insert(0, sys.argv[1]); from linter.cli import main;sys.exit(main(sys.argv[2:]))"
PROBE = (
    "import sys, json; sys.path.insert(0, sys.argv[1]); from linter import engine;"
    "from linter.formats import load_format; rules = engine.load_rules(); load_format('2021');"
    "print(json.dumps({'yaml': 'yaml' in sys.modules, 'rules': len(rules),"
    "'levels': {r.spec.id: r.spec.level for r in rules}}))"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package as installed: linter/ with the rules as linter/rules (the checkout's link to
    rules/ is copied as the folder it names), byte-compiled."""
    target = tmp_path_factory.mktemp("installed") / "site"
    shutil.copytree(ROOT / "linter", target / "linter", ignore=shutil.ignore_patterns("__pycache__"))
    assert not (target / "linter" / "rules").is_symlink() and (target / "linter" / "rules" / "TBL002.yaml").is_file()
    compileall.compile_dir(target, quiet=1)
    return target


@pytest.fixture
def site(installed, tmp_path) -> Path:
    """A copy of the installed package of the test's own, whose rule files it may change."""
    return Path(shutil.copytree(installed, tmp_path / "site"))


def env_with(cache: Path | None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "NIANBAO_DEBUG")}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    env.update(extra)
    return env


def check(site: Path, env: dict, report: Path = REPORT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUN, str(site), "check", "--format", "json", str(report)],
        capture_output=True,
        text=True,
        env=env,
        cwd=site.parent,
        timeout=120,
    )


def probe(site: Path, env: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)], capture_output=True, text=True, env=env, cwd=site.parent, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def entries(cache: Path, kind: str) -> list[Path]:
    return sorted((cache / "nianbao-lint").glob(f"{kind}-*.json"))


def test_cache_is_written_then_used_and_findings_do_not_change(site, tmp_path):
    cache = tmp_path / "cache"
    first = probe(site, env_with(cache))
    assert first["yaml"] is True and first["rules"] > 30  # a miss parses the YAML files ...
    assert len(entries(cache, "rules")) == 1 and len(entries(cache, "formats")) == 1
    second = probe(site, env_with(cache))
    assert second["yaml"] is False and second == {**first, "yaml": False}  # ... a hit never imports PyYAML
    assert oct((cache / "nianbao-lint").stat().st_mode & 0o777) == "0o700"
    cold, warm = check(site, env_with(tmp_path / "fresh")), check(site, env_with(tmp_path / "fresh"))
    assert cold.returncode == warm.returncode == 1 and cold.stderr == warm.stderr == ""
    assert cold.stdout == warm.stdout and "TBL002" in cold.stdout


def test_entry_is_what_a_hit_reads(site, tmp_path):
    """A hit makes the rules from the entry (a changed entry with its sum changes the run); an
    entry changed without its sum, or that others could have written, is not used."""
    from linter.compiled import _sum

    cache = tmp_path / "cache"
    probe(site, env_with(cache))
    path = entries(cache, "rules")[0]
    entry = json.loads(path.read_text(encoding="utf-8"))
    for name, spec, _params in entry["data"]:
        if name == "TBL002.yaml":
            spec["level"] = "info"
    path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    assert probe(site, env_with(cache))["levels"]["TBL002"] == "error"  # the sum no longer holds
    entry["sum"] = _sum(entry["data"])  # (the run above rewrote the entry from the rule files)
    path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    assert probe(site, env_with(cache))["levels"]["TBL002"] == "info"
    path.chmod(0o666)  # writable by anyone: not trusted, the rule file decides
    assert probe(site, env_with(cache))["levels"]["TBL002"] == "error"


def test_a_changed_rule_file_is_never_served_from_the_cache(site, tmp_path):
    cache = tmp_path / "cache"
    assert '"level": "error"' in check(site, env_with(cache)).stdout
    rule = site / "linter" / "rules" / "TBL002.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("level: error", "level: info"), encoding="utf-8")
    after = check(site, env_with(cache))
    found = {f["rule"]: f["level"] for f in json.loads(after.stdout)}
    assert found["TBL002"] == "info" and after.stderr == ""
    assert len(entries(cache, "rules")) == 2  # the new contents have an entry of their own
    assert probe(site, env_with(cache))["yaml"] is False


@pytest.mark.parametrize(
    "damage", ["garbage", "truncated", "wrong-shape", "invalid-rule", "file-missing", "other-key", "empty"]
)
def test_a_corrupt_entry_gives_the_findings_of_no_cache(site, tmp_path, damage):
    cache = tmp_path / "cache"
    clean = check(site, env_with(cache))
    for path in entries(cache, "rules") + entries(cache, "formats"):
        text = path.read_text(encoding="utf-8")
        entry = json.loads(text)
        if damage == "garbage":
            path.write_bytes(b"\x80\x00not json at all\xff" * 50)
        elif damage == "truncated":
            path.write_text(text[: len(text) // 2], encoding="utf-8")
        elif damage == "wrong-shape":
            path.write_text(json.dumps({**entry, "data": {"rules": 3}}), encoding="utf-8")
        elif damage == "invalid-rule" and path.name.startswith("rules-"):
            entry["data"][0][1]["level"] = "fatal"
            path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        elif damage == "file-missing" and path.name.startswith("rules-"):
            entry["data"] = [pair for pair in entry["data"] if pair[0] != "TBL002.yaml"]
            path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        elif damage == "other-key":
            path.write_text(json.dumps({**entry, "key": "0" * 64}), encoding="utf-8")
        elif damage == "empty":
            path.write_text("", encoding="utf-8")
    damaged = check(site, env_with(cache))
    assert (damaged.returncode, damaged.stdout, damaged.stderr) == (clean.returncode, clean.stdout, "")
    assert probe(site, env_with(cache))["yaml"] is False  # the entry was rewritten from the rule files


def test_an_unwritable_cache_is_silently_done_without(site, tmp_path):
    clean = check(site, env_with(tmp_path / "cache"))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        for env in (
            env_with(blocker / "cache"),  # the cache folder cannot be made at all
            env_with(read_only),  # a folder this user may not write (unless root)
            env_with(None, HOME=str(blocker)),  # no usable home either
            env_with(Path("relative/cache"), HOME=str(blocker)),
        ):  # a relative XDG path is ignored
            run = check(site, env)
            assert (run.returncode, run.stdout, run.stderr) == (clean.returncode, clean.stdout, "")
    finally:
        read_only.chmod(0o700)
    assert not (tmp_path / "relative").exists() and not (site.parent / "relative").exists()


@pytest.mark.parametrize("change, key", [("level: error", "level: fatal"), ("check: ", "check: no_such_")])
def test_a_bad_rule_file_gives_its_strict_error_with_a_warm_cache(site, tmp_path, change, key):
    cache = tmp_path / "cache"
    assert check(site, env_with(cache)).returncode == 1
    rule = site / "linter" / "rules" / "TBL002.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(change, key, 1), encoding="utf-8")
    for _ in range(2):  # and never cached: the second run says the same
        bad = check(site, env_with(cache))
        field = key.split(":")[0]
        assert bad.returncode == 2 and bad.stdout == ""
        assert bad.stderr.startswith(f"nianbao-lint: 规则文件错误：TBL002.yaml: {field}: "), bad.stderr
    assert len(entries(cache, "rules")) == 1


def test_broken_yaml_is_named_too(site, tmp_path):
    cache = tmp_path / "cache"
    check(site, env_with(cache))
    (site / "linter" / "rules" / "TBL002.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    bad = check(site, env_with(cache))
    assert bad.returncode == 2 and "TBL002.yaml: (yaml): not valid YAML" in bad.stderr


def test_rules_are_loaded_once_per_process_for_the_same_contents(tmp_path):
    from linter import engine

    first, again = engine.load_rules(), engine.load_rules()
    assert first == again and all(a is b for a, b in zip(first, again)) and first is not again
    folder = tmp_path / "rules"
    shutil.copytree(engine.rules_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "TBL002.yaml").write_text(
        (folder / "TBL002.yaml").read_text(encoding="utf-8").replace("level: error", "level: warning"), encoding="utf-8"
    )
    changed = {r.spec.id: r.spec.level for r in engine.load_rules(folder)}
    assert changed["TBL002"] == "warning"
    assert {r.spec.id: r.spec.level for r in engine.load_rules()}["TBL002"] == "error"


def imported_by(argv: list[str], watch: tuple[str, ...]) -> tuple[str, list[str]]:
    """What one CLI command prints (piped) and which of ``watch`` it imported."""
    code = (
        "import sys, io, contextlib; from linter.cli import main; out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out): main(sys.argv[2:])\n"
        "print(out.getvalue().splitlines()[0]); print(*[m for m in sys.argv[1].split(',') if m in sys.modules])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, ",".join(watch), *argv], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    first, mods = proc.stdout.splitlines()[:2] if proc.stdout.count("\n") >= 2 else (proc.stdout, "")
    return first, mods.split()


def test_start_up_imports_only_what_the_command_uses():
    heavy = ("pydantic", "rich", "plotly", "yaml", "argparse", "sqlite3", "linter.models")
    assert imported_by(["--version"], heavy) == ("nianbao-lint 0.1.0", [])
    first, mods = imported_by(["rules"], heavy)  # piped: a tab-separated list, no rich
    assert first.startswith("编号\t") and "rich" not in mods and "plotly" not in mods and "sqlite3" not in mods
    first, mods = imported_by(["check", "--format", "json", str(REPORT)], heavy)
    assert first == "[" and not {"rich", "plotly"} & set(mods)


def test_sources_are_read_again_when_their_stat_changes(tmp_path, monkeypatch):
    """Within a process a rule file is read again only when its size, times or inode change,
    and a file changed in the last seconds is never taken from memory."""
    from linter import compiled

    fresh = tmp_path / "f.yaml"
    fresh.write_bytes(b"id: C\n")
    assert compiled.read_sources([fresh]) == [("f.yaml", b"id: C\n")]
    assert str(fresh) not in compiled._READ  # just written: not kept
    monkeypatch.setattr(compiled, "SETTLED_NS", 0)  # every file counts as settled
    rule = tmp_path / "r.yaml"
    rule.write_bytes(b"id: A\n")
    assert compiled.read_sources([rule]) == [("r.yaml", b"id: A\n")]
    assert compiled._READ[str(rule)][1] == b"id: A\n"  # kept: the next read is a stat
    assert compiled.read_sources([rule]) == [("r.yaml", b"id: A\n")]
    rule.write_bytes(b"id: B\n")  # the same size; the clock may not have moved: say another time
    stamp = rule.stat().st_mtime_ns - 10**9
    os.utime(rule, ns=(stamp, stamp))
    assert compiled.read_sources([rule]) == [("r.yaml", b"id: B\n")]


def test_a_key_follows_its_sources_when_they_are_not_hashed_again():
    """The last key of each kind is kept with its sources: the same sources give it again, any
    change of a name or a byte gives the key those sources have in a fresh process."""
    from linter import compiled

    one, other = [("a.yaml", b"id: A\n")], [("a.yaml", b"id: B\n")]
    first = compiled.digest("probe", one)
    assert compiled.digest("probe", [("a.yaml", b"id: A\n")]) == first  # equal, not the same objects
    changed = compiled.digest("probe", other)
    assert changed != first
    assert compiled.digest("probe", [("b.yaml", b"id: B\n")]) not in (first, changed)
    compiled._DIGESTS.clear()
    assert compiled.digest("probe", other) == changed and compiled.digest("probe", one) == first
    assert compiled.digest("other kind", one) != first
