"""Baselines: accept known findings. ``write`` records them (with a reason to fill in);
``hide`` drops recorded findings so that only new ones are reported. Entries are keyed by
file, rule and fingerprint (logical place, not line numbers), so reformatting keeps them."""

from __future__ import annotations

import json
from pathlib import Path

from linter.engine import prune, unmerged
from linter.models import LintResult


def _file_key(path: str, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def write(path: str | Path, result: LintResult) -> None:
    base = Path(path).parent
    entries = [{"file": _file_key(f.file, base), "rule": f.rule, "fingerprint": f.fingerprint,
                "message": f.message, "reason": ""} for m in result.findings for f in unmerged(m)]
    Path(path).write_text(json.dumps({"tool": "nianbao-lint", "version": 1, "findings": entries},
                                     ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def hide(path: str | Path, result: LintResult) -> LintResult:
    base = Path(path).parent
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    known = {(e["file"], e["rule"], e["fingerprint"]) for e in data.get("findings", [])}
    for fr in result.files:  # a merged finding's related locations are judged one by one
        fr.findings = [p for p in (prune(f, lambda part: (_file_key(part.file, base), part.rule, part.fingerprint)
                                         not in known) for f in fr.findings) if p]
    return result
