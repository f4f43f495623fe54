"""The pre-commit hook as this working tree defines it, run by the real ``pre-commit`` package in
a report repository: notes, a README and excluded drafts staged beside reports do not block the
commit; a defective report does."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import FIXTURES, ROOT


def git(*args, cwd, env=None):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=True)


def snapshot(target, env):
    """This working tree as it is (tracked and new files), committed in a repository of its own."""
    names = git("ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT).stdout.split("\0")
    for name in filter(None, names):
        source = ROOT / name
        if source.is_symlink():  # linter/rules, a link to rules/: as git keeps it
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(source), target / name)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "snapshot", cwd=target, env=env)
    return git("rev-parse", "HEAD", cwd=target).stdout.strip()


def test_hook_skips_what_is_not_a_report_and_blocks_a_defective_one(tmp_path):
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    tool = tmp_path / "tool"
    tool.mkdir()
    rev = snapshot(tool, env)
    repo = tmp_path / "reports"
    (repo / "drafts").mkdir(parents=True)
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {tool}\n    rev: {rev}\n    hooks:\n      - id: nianbao-lint\n", encoding="utf-8"
    )
    (repo / ".nianbao-lint.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    subprocess.run(["pre-commit", "install"], cwd=repo, check=True, capture_output=True, env=env, timeout=120)

    def commit(message):
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        return subprocess.run(
            ["git", "commit", "-m", message], cwd=repo, capture_output=True, text=True, env=env, timeout=900
        )

    (repo / "README.md").write_text("# 年度报告仓库\n", encoding="utf-8")
    (repo / "notes.txt").write_text("待办：周五前交稿，找张科长签字。\n", encoding="utf-8")
    shutil.copy(FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt", repo / "drafts" / "old.txt")  # excluded by config
    shutil.copy(FIXTURES / "seeds" / "001_aa0c9ecc7bb20edd.txt", repo / "linzi.txt")
    accepted = commit("notes, drafts and a clean report")
    shown = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, shown
    assert "Passed" in shown  # notes.txt (PAR001 if it were checked) and the excluded draft did not block
    shutil.copy(FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt", repo / "haidong.txt")
    blocked = commit("海东 2023")
    shown = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "TBL002" in shown and "4 个错误" in shown, shown
    assert subprocess.run(["git", "log", "--oneline"], cwd=repo, capture_output=True, text=True).stdout.count("\n") == 1
