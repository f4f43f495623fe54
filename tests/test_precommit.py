"""The pre-commit hook as a report repository uses it: the real ``pre-commit`` package installs
the hook from this checkout (at its HEAD commit), a defective report is blocked, a clean one is
accepted; the first commit starts a warm server (in a socket folder of the test) and the second
is checked by it."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import FIXTURES, ROOT, wait_until
from test_warm import _ask, served


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_hook_blocks_a_defective_report_and_accepts_a_clean_one(tmp_path):
    head = git("rev-parse", "HEAD", cwd=ROOT).stdout.strip()
    repo = tmp_path / "reports"
    repo.mkdir()
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CI", "NIANBAO_LINT_WARM")},
        "XDG_RUNTIME_DIR": str(runtime),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: nianbao-lint\n", encoding="utf-8"
    )
    (repo / "README.md").write_text("# 年度报告仓库\n", encoding="utf-8")  # excluded by the hook
    subprocess.run(["pre-commit", "install"], cwd=repo, check=True, capture_output=True, env=env, timeout=120)

    def commit(*files, message):
        for name in files:
            shutil.copy(FIXTURES / name, repo / os.path.basename(name))
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        return subprocess.run(
            ["git", "commit", "-m", message], cwd=repo, capture_output=True, text=True, env=env, timeout=900
        )

    blocked = commit("seeds/003_72e8cc29e03ca078.txt", message="海东 2023")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    shown = blocked.stdout + blocked.stderr  # git hooks print pre-commit's report on stderr
    assert "TBL002" in shown and "nianbao-lint" in shown and "4 个错误" in shown
    subprocess.run(["git", "rm", "-q", "--cached", "003_72e8cc29e03ca078.txt"], cwd=repo, check=True, env=env)
    os.remove(repo / "003_72e8cc29e03ca078.txt")
    folder = runtime / "nianbao-lint"
    try:
        assert wait_until(lambda: bool(list(folder.glob("warm-*.sock"))), 120)  # the hook's first run started it
        accepted = commit("seeds/001_aa0c9ecc7bb20edd.txt", message="临淄 2022")
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
        assert "Passed" in accepted.stdout + accepted.stderr
        assert git("log", "--oneline", cwd=repo).stdout.count("\n") == 1
        assert served(env) == 1  # the second commit's check ran in the warm server
    finally:
        for sock in folder.glob("warm-*.sock"):  # stop the hook environment's server
            _ask(sock, {"op": "stop"})
