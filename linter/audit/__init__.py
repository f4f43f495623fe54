"""Batch audits: lint every report under some folders into a SQLite database, in parallel,
resumable, re-linting only files that are new or changed (stat first, hash when the stat
differs: ``scan``) or whose rule set changed; results stored a batch per transaction."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from linter import __version__
from linter.audit import db, scan
from linter.audit.pool import WorkerLimits, run
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


def _roots(paths: list[str]) -> list[Path]:
    """The audited paths, resolved once (for ``_region``)."""
    out = []
    for root in paths:
        try:
            out.append(Path(root).resolve())
        except (OSError, RuntimeError):
            pass
    return out


def _region(agency: str | None, path: str, roots: list[Path]) -> str | None:
    m = re.match(r"^(.+?(?:自治区|省|市))", agency or "")
    if m:
        return m.group(1)
    try:
        where = Path(path).resolve()
    except (OSError, RuntimeError):
        return None
    for root in roots:  # fallback: the first folder under the audited root (a folder per region)
        try:
            parts = where.relative_to(root).parts
        except ValueError:
            continue
        if len(parts) > 1:
            return parts[0]
    return None


def lint_one(path: str, config=None, rules=None) -> dict:
    """The job of a worker: lint one file as ``check`` would with the same configuration, and
    return plain data for the database. ``rules``: the configured rules, else looked up (and
    built once per process) from ``config``."""
    from linter.api import run_file
    from linter.config import Config

    config = config or Config()
    rules = rules if rules is not None else _rules_for(config)
    started = time.perf_counter()
    limits = config.limits.model_copy(update={"max_seconds": 0})  # the pool kills a worker that overruns
    report, result = run_file(path, rules, limits, config, isolate=False)  # the worker is the isolation
    row = {"path": path, "format": result.format, "seconds": round(time.perf_counter() - started, 3)}
    if result.error:
        return {**row, "status": "failed", "reason": result.error}
    from linter.figures import figures, report_year

    meta = report.meta
    agency = meta.agency  # from the report; the folder is only a region hint (_region)
    return {
        **row,
        "status": "ok",
        "agency": agency,
        "year": report_year(report, path),
        "level": meta.agency_kind,
        "figures": figures(report),
        "findings": [f.record() for f in result.findings if f.category != "cross-year"],
    }


class Job:
    """``lint_one`` with one configuration, as sent to workers: the configured rules are built
    once per process (a forked worker inherits the coordinator's; a spawned or Dask worker
    builds them on its first file), never per file."""

    def __init__(self, config, rules=None):
        self.config, self.rules = config, rules

    def __getstate__(self) -> dict:  # rules are rebuilt where the job is unpickled, not shipped
        return {"config": self.config, "rules": None}

    def __call__(self, path: str) -> dict:
        if self.rules is None:
            self.rules = _rules_for(self.config)
        return lint_one(path, self.config, self.rules)


@dataclass
class Summary:
    total: int = 0
    linted: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    cross_year: int = 0
    removed: int = 0  # files of the audited folders found gone since an earlier run


def run_dask(tasks: list[str], scheduler: str, on_result, job=lint_one) -> None:
    """Run the jobs on an existing Dask cluster; results come back here, where the database is."""
    from dask.distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = {client.submit(job, path, pure=False): path for path in tasks}
        for future in as_completed(futures):
            try:
                on_result(future.result())
            except Exception as exc:  # the worker died or the job raised
                on_result(
                    {
                        "path": futures[future],
                        "status": "failed",
                        "reason": f"Dask 任务失败：{type(exc).__name__}: {exc}",
                    }
                )


BATCH = 64  # results stored in one transaction
BATCH_SECONDS = 1.0  # ... or fewer, when this long has passed since the last batch


class Writer:
    """Stores results a batch at a time, one transaction per batch, and counts and reports
    (``progress``) only what is stored: a killed audit has lost nothing it reported as done."""

    def __init__(
        self,
        con,
        run_id: int,
        ruleset: str,
        summary: Summary,
        progress=None,
        todo: int = 0,
        size: int = BATCH,
        seconds: float = BATCH_SECONDS,
    ):
        self.con, self.run_id, self.ruleset, self.summary = con, run_id, ruleset, summary
        self.progress, self.todo, self.size, self.seconds = progress, todo, size, seconds
        self.rows: list[dict] = []
        self.last = time.monotonic()
        self.changed = False  # a stored row can change what the cross-document checks see

    def add(self, row: dict, changes: bool = True) -> None:
        self.rows.append(row)
        self.changed |= changes
        if len(self.rows) >= self.size:
            self.flush()
        else:
            self.tick()

    def tick(self) -> None:
        if self.rows and time.monotonic() - self.last >= self.seconds:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            db.store_many(self.con, self.run_id, self.ruleset, self.rows)
            for row in self.rows:
                if row["status"] == "ok":
                    self.summary.linted += 1
                else:
                    self.summary.failed += 1
                    self.summary.failures.append((shown_path(row["path"]), row.get("reason", "")))
            self.rows = []
        self.last = time.monotonic()
        if self.progress:
            self.progress(self.summary, self.todo)


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
    run_id = db.start_run(con, __version__, ruleset, paths, [r.info() for r in rules])
    have = db.known(con)
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
            db.refresh_stats(con, refresh)
        summary.removed = db.mark_removed(
            con, {shown_path(p) for p in files}, [shown_path(r) for r in paths if Path(r).is_dir()]
        )
        roots = _roots(paths)

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
            if row["status"] == "ok":
                row["region"] = _region(row.get("agency"), row["path"], roots)
            writer.add(
                {**row, "sha256": got.sha256, "size": got.size, "stat": got.stat},
                changes=row["status"] == "ok" or old is None or old[2] == "ok",
            )

        writer.todo = len(todo)
        writer.flush()
        job = Job(config, rules)
        if scheduler:
            run_dask(todo, scheduler, done, job)
        else:
            run(todo, job, jobs, limits, done, on_idle=writer.tick)
    finally:
        writer.flush()  # what is finished is kept, also when the run is interrupted
    from linter.audit import crossdoc

    cross = f"{ruleset}:{int(hierarchy)}"
    if writer.changed or summary.removed or db.last_cross(con, run_id) != cross:
        summary.cross_year = crossdoc.run(con, rules, hierarchy, lambda f: keep(f, config))
    else:  # nothing they read has changed since the last finished run computed them
        summary.cross_year = db.cross_findings(con)
    db.finish_run(con, run_id, summary.total, summary.linted, summary.skipped, summary.failed, cross)
    db.close(con)
    return summary
