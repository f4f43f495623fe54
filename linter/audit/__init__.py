"""Batch audits: lint every report under some folders into a SQLite database, in parallel,
resumable, re-linting only files that are new or changed (stat first, hash when the stat
differs: ``scan``) or whose rule set changed. This module runs an audit from end to end in the
coordinating process; the workers (``pool``, or a Dask cluster: ``cluster``) lint the files
(``work``) and hand back ready rows, which ``writer`` stores a batch per transaction
(``store``, in the database file of ``db``), and ``crossdoc`` then compares the reports across
years and regions."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from linter import __version__
from linter.audit import db, scan, store
from linter.audit.pool import WorkerLimits, run
from linter.audit.work import lint_one, roots
from linter.audit.writer import BATCH, BATCH_SECONDS, Summary, Writer
from linter.clitext import os_reason
from linter.errors import InputError
from linter.safetext import shown_path

_RULES: dict = {}  # configured rules per configuration, built once per worker process


def ruleset_version(config=None) -> str:
    """A hash of everything that decides findings: tool version, rule files, format data and
    the configuration (so changing it re-lints)."""
    digest = hashlib.sha256(__version__.encode())
    for package in ("linter.rules", "linter.formats"):
        for item in sorted(resources.files(package).iterdir(), key=lambda p: p.name):
            if item.name.endswith(".yaml"):
                digest.update(item.name.encode() + item.read_bytes())
    if config is not None:
        digest.update(_config_key(config).encode())
    return digest.hexdigest()[:16]


def _config_key(config) -> str:
    return config.model_dump_json() + "\0" + config.root


def _rules_for(config):
    from linter.api import configured_rules

    key = _config_key(config)
    if key not in _RULES:
        _RULES[key] = configured_rules(config, ".")[1]
    return _RULES[key]


def listed(arg: str) -> list[str]:
    """The paths of an ``@list.txt`` argument (one a line; blank lines skipped), or ``arg``."""
    if not arg.startswith("@"):
        return [arg]
    name = shown_path(arg[1:])
    try:
        text = Path(arg[1:]).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"无法读取文件清单 {name}：{exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = text_line(exc)
        raise InputError(f"文件清单 {name} 第 {line} 行不是 UTF-8 编码，请另存为 UTF-8") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_line(exc: UnicodeDecodeError) -> int:
    return exc.object[: exc.start].count(b"\n") + 1


class Job:
    """``work.lint_one`` with one configuration, as sent to workers: the configured rules are built
    once per process (a forked worker inherits the coordinator's; a spawned or Dask worker
    builds them on its first file), never per file."""

    def __init__(self, config, rules=None, audited: list[Path] | None = None):
        self.config, self.rules, self.audited = config, rules, audited or []

    def __getstate__(self) -> dict:  # rules are rebuilt where the job is unpickled, not shipped
        return {"config": self.config, "rules": None, "audited": self.audited}

    def __call__(self, path: str) -> dict:
        if self.rules is None:
            self.rules = _rules_for(self.config)
        return lint_one(path, self.config, self.rules, self.audited)


def audit(
    paths: list[str],
    database: str | Path,
    jobs: int,
    limits: WorkerLimits,
    progress=None,
    retry_failed: bool = False,
    scheduler: str | None = None,
    hierarchy: bool = False,
    config=None,
    batch: int = BATCH,
    batch_seconds: float = BATCH_SECONDS,
) -> Summary:
    """Lint ``paths`` into ``database``. ``config``: a Config, a config file, or None to look
    for one above the first path, as ``check`` does. Results are stored ``batch`` files (or
    ``batch_seconds``) at a time; ``progress(summary, todo)`` is called after each batch."""
    from linter.api import collect, configured_rules
    from linter.config import keep

    config, rules = configured_rules(config, paths[0] if paths else ".")
    _RULES[_config_key(config)] = rules  # forked workers inherit the rules instead of loading them
    files = list(dict.fromkeys(str(p) for p in collect(paths)))  # a file given twice is linted once
    con = db.connect(database)
    ruleset = ruleset_version(config)
    run_id = store.start_run(con, __version__, ruleset, paths, [r.info() for r in rules])
    have = store.known(con)
    summary = Summary(total=len(files))
    writer = Writer(con, run_id, ruleset, summary, progress, size=batch, seconds=batch_seconds)
    todo, seen, refresh = [], {}, []
    try:
        for path in files:
            old = have.get(shown_path(path))
            current = old is not None and old[1] == ruleset and (old[2] == "ok" or not retry_failed)
            if current and scan.same_stat(path, old[3]):
                summary.skipped += 1
                continue
            try:
                seen[path] = scan.hashed(path)
            except OSError as exc:
                reason = f"无法读取文件：{os_reason(exc)}"
                writer.add(
                    {"path": path, "sha256": "", "size": 0, "status": "failed", "reason": reason},
                    changes=old is None or old[2] == "ok",
                )
                continue
            if current and old[0] == seen[path].sha256:
                summary.skipped += 1
                if seen[path].stat:
                    refresh.append((path, seen[path].stat))
            else:
                todo.append(path)
        if refresh:
            store.refresh_stats(con, refresh)
        summary.removed = store.mark_removed(
            con, {shown_path(p) for p in files}, [shown_path(r) for r in paths if Path(r).is_dir()]
        )

        def done(row: dict) -> None:
            got = seen[row["path"]]
            if row["status"] == "ok" and not scan.unchanged(row["path"], got):  # changed while it was read
                row = {
                    "path": row["path"],
                    "format": row.get("format"),
                    "status": "failed",
                    "reason": "文件在检查期间被修改或删除，结果未保存；下次运行时重新检查",
                }
            old = have.get(shown_path(row["path"]))
            writer.add(
                {**row, "sha256": got.sha256, "size": got.size, "stat": got.stat},
                changes=row["status"] == "ok" or old is None or old[2] == "ok",
            )

        writer.todo = len(todo)
        writer.flush()
        job = Job(config, rules, roots(paths))
        if scheduler:
            from linter.audit.cluster import run_dask

            run_dask(todo, scheduler, done, job)
        else:
            run(todo, job, jobs, limits, done, on_idle=writer.tick)
    finally:
        writer.flush()  # what is finished is kept, also when the run is interrupted
    from linter.audit import crossdoc

    cross = f"{ruleset}:{int(hierarchy)}"
    if writer.changed or summary.removed or store.last_cross(con, run_id) != cross:
        summary.cross_year = crossdoc.run(con, rules, hierarchy, lambda f: keep(f, config), jobs, limits)
    else:  # nothing they read has changed since the last finished run computed them
        summary.cross_year = store.cross_findings(con)
    store.finish_run(con, run_id, summary.total, summary.linted, summary.skipped, summary.failed, cross)
    db.close(con)
    return summary
