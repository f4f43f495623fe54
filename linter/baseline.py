"""Baselines: accept known findings. ``write`` records them (with a reason to fill in);
``hide`` drops recorded findings so that only new ones are reported. Entries are keyed by
file, rule and fingerprint (logical place, not line numbers), so reformatting keeps them."""

from __future__ import annotations

import json
from pathlib import Path

from linter.engine import prune, unmerged
from linter.errors import InputError
from linter.models import LintResult
from linter.safetext import shown_path


def _file_key(path: str, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def write(path: str | Path, result: LintResult) -> None:
    base = Path(path).parent
    entries = [
        {
            "file": _file_key(f.file, base),
            "rule": f.rule,
            "fingerprint": f.fingerprint,
            "message": f.message,
            "reason": "",
        }
        for m in result.findings
        for f in unmerged(m)
    ]
    Path(path).write_text(
        json.dumps({"tool": "nianbao-lint", "version": 1, "findings": entries}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )


def _entries(path: Path) -> set[tuple[str, str, str]]:
    """The (file, rule, fingerprint) entries of a baseline file, or an ``InputError``."""
    name = shown_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"无法读取基线文件 {name}：{exc.strerror or exc}") from None
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise InputError(
            f"基线文件 {name} 不是有效的 JSON（{type(exc).__name__}），可用 --write-baseline 重新生成"
        ) from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"基线文件 {name} 格式不对：应为含 findings 列表的 JSON 对象（由 --write-baseline 生成）")
    keys = ("file", "rule", "fingerprint")
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise InputError(f"基线文件 {name} 的第 {n + 1} 条记录缺少 file、rule 或 fingerprint")
    return {(e["file"], e["rule"], e["fingerprint"]) for e in entries}


def hide(path: str | Path, result: LintResult) -> LintResult:
    base = Path(path).parent
    known = _entries(Path(path))
    for fr in result.files:  # a merged finding's related locations are judged one by one
        fr.findings = [
            p
            for p in (
                prune(f, lambda part: (_file_key(part.file, base), part.rule, part.fingerprint) not in known)
                for f in fr.findings
            )
            if p
        ]
    return result
