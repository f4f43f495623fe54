"""Batch audits: lint every report under some folders into a SQLite database, in parallel,
resumable, re-linting only files that are new or changed or whose rule set changed."""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from linter import __version__
from linter.audit import db
from linter.clitext import os_reason
from linter.audit.pool import WorkerLimits, run
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


def file_hash(path: str | Path) -> tuple[str, int]:
    """SHA-256 and size of a regular file, read in chunks (a FIFO or device is an OSError)."""
    from linter.load import open_regular

    digest, size = hashlib.sha256(), 0
    fd = open_regular(path)
    try:
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest(), size


def _hash_now(path: str) -> tuple[str, int] | None:
    try:
        return file_hash(path)
    except OSError:
        return None


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
    return exc.object[:exc.start].count(b"\n") + 1


def _region(agency: str | None, path: str, roots: list[str]) -> str | None:
    m = re.match(r"^(.+?(?:自治区|省|市))", agency or "")
    if m:
        return m.group(1)
    for root in roots:  # fallback: the first folder under the audited root (a folder per region)
        try:
            parts = Path(path).resolve().relative_to(Path(root).resolve()).parts
        except ValueError:
            continue
        if len(parts) > 1:
            return parts[0]
    return None


def lint_one(path: str, config=None) -> dict:
    """The job of a worker: lint one file as ``check`` would with the same configuration, and
    return plain data for the database."""
    from linter.api import run_file
    from linter.config import Config

    config = config or Config()
    rules = _rules_for(config)
    started = time.perf_counter()
    limits = config.limits.model_copy(update={"max_seconds": 0})  # the pool kills a worker that overruns
    report, result = run_file(path, rules, limits, config, isolate=False)  # the worker is the isolation
    row = {"path": path, "format": result.format, "seconds": round(time.perf_counter() - started, 3)}
    if result.error:
        return {**row, "status": "failed", "reason": result.error}
    meta = report.meta
    year = meta.year
    if year is None:
        found = re.search(r"(20\d{2})", Path(path).name)
        year = int(found.group(1)) if found else None
    agency = meta.agency  # from the report; the folder is only a region hint (_region)
    from linter.audit.crossdoc import figures

    return {**row, "status": "ok", "agency": agency, "year": year,
            "level": meta.agency_kind, "figures": figures(report),
            "findings": [f.record() for f in result.findings if f.category != "cross-year"]}


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
                on_result({"path": futures[future], "status": "failed",
                           "reason": f"Dask 任务失败：{type(exc).__name__}: {exc}"})


def audit(paths: list[str], database: str | Path, jobs: int, limits: WorkerLimits, progress=None,
          retry_failed: bool = False, scheduler: str | None = None, hierarchy: bool = False,
          config=None) -> Summary:
    """Lint ``paths`` into ``database``. ``config``: a Config, a config file, or None to look
    for one above the first path, as ``check`` does."""
    from functools import partial

    from linter.api import collect, configured_rules
    from linter.config import keep

    config, rules = configured_rules(config, paths[0] if paths else ".")
    files = [str(p) for p in collect(paths)]
    con = db.connect(database)
    ruleset = ruleset_version(config)
    job = partial(lint_one, config=config)
    run_id = db.start_run(con, __version__, ruleset, paths, [r.info() for r in rules])
    have = db.known(con)
    todo, hashes = [], {}
    summary = Summary(total=len(files))
    for path in files:
        try:
            hashes[path] = file_hash(path)
        except OSError as exc:
            hashes[path] = ("", 0)
            reason = f"无法读取文件：{os_reason(exc)}"
            db.store(con, run_id, ruleset,
                     {"path": path, "sha256": "", "size": 0, "status": "failed", "reason": reason})
            summary.failed += 1
            summary.failures.append((shown_path(path), reason))
            continue
        old = have.get(shown_path(path))
        if old and old[0] == hashes[path][0] and old[1] == ruleset and (old[2] == "ok" or not retry_failed):
            summary.skipped += 1
        else:
            todo.append(path)

    summary.removed = db.mark_removed(con, {shown_path(p) for p in files},
                                      [shown_path(r) for r in paths if Path(r).is_dir()])

    def done(row: dict) -> None:
        sha, size = hashes[row["path"]]
        if row["status"] == "ok" and _hash_now(row["path"]) != (sha, size):  # changed while it was read
            row = {"path": row["path"], "format": row.get("format"), "status": "failed",
                   "reason": "文件在检查期间被修改或删除，结果未保存；下次运行时重新检查"}
        if row["status"] == "ok":
            row["region"] = _region(row.get("agency"), row["path"], paths)
            summary.linted += 1
        else:
            summary.failed += 1
            summary.failures.append((shown_path(row["path"]), row.get("reason", "")))
        db.store(con, run_id, ruleset, {**row, "sha256": sha, "size": size})
        if progress:
            progress(summary, len(todo))

    if progress:
        progress(summary, len(todo))
    if scheduler:
        run_dask(todo, scheduler, done, job)
    else:
        run(todo, job, jobs, limits, done)
    from linter.audit import crossdoc

    summary.cross_year = crossdoc.run(con, rules, hierarchy, lambda f: keep(f, config))
    db.finish_run(con, run_id, summary.total, summary.linted, summary.skipped, summary.failed)
    db.close(con)
    return summary
