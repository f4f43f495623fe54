"""What an audit worker does with one file: lint it as ``check`` would with the audit's
configuration and hand back its result ready for the database, so that the coordinating
process, which alone writes the database, only adds what it knows (hash, stat) and inserts.

The ready form: every text as UTF-8 can encode it (``storable``), the figures as their JSON,
the region the file is counted under, and each finding as the tuple of its ``findings`` row
(``FINDING_COLUMNS``, the path left out).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from linter.safetext import storable

FINDING_COLUMNS = ("rule", "name", "category", "level", "message", "location", "place", "fingerprint")


def finding_row(f) -> tuple:
    """A finding as the values of its ``findings`` row (``FINDING_COLUMNS``): the fields of
    ``Finding.record`` that the database keeps, its location as JSON."""
    loc = f.location
    location = json.dumps(loc.model_dump(exclude_none=True), ensure_ascii=False)
    return tuple(
        storable(v) for v in (f.rule, f.name, f.category, f.level, f.message, location, loc.describe(), f.fingerprint)
    )


def roots(paths: list[str]) -> list[Path]:
    """The audited paths, resolved once (for ``region``)."""
    out = []
    for root in paths:
        try:
            out.append(Path(root).resolve())
        except (OSError, RuntimeError):
            pass
    return out


def region(agency: str | None, path: str, audited: list[Path]) -> str | None:
    """The region a report is counted under: the province or city its agency names, else the
    first folder under the audited root it sits in (a folder per region)."""
    m = re.match(r"^(.+?(?:自治区|省|市))", agency or "")
    if m:
        return m.group(1)
    try:
        where = Path(path).resolve()
    except (OSError, RuntimeError):
        return None
    for root in audited:
        try:
            parts = where.relative_to(root).parts
        except ValueError:
            continue
        if len(parts) > 1:
            return parts[0]
    return None


def lint_one(path: str, config, rules, audited: list[Path] | None = None) -> dict:
    """Lint one file as ``check`` would with the configuration and its configured ``rules``, and
    return its result in the ready form. ``audited``: the resolved audited paths that name a
    file's region folder."""
    from linter.api import run_file

    started = time.perf_counter()
    limits = config.limits.model_copy(update={"max_seconds": 0})  # the pool kills a worker that overruns
    report, result = run_file(path, rules, limits, config, isolate=False)  # the worker is the isolation
    row = {"path": path, "format": result.format, "seconds": round(time.perf_counter() - started, 3)}
    if result.error:
        return {**row, "status": "failed", "reason": result.error}
    from linter.figures import figures, report_year

    meta = report.meta
    agency = meta.agency  # from the report; the folder is only a region hint
    return {
        **row,
        "status": "ok",
        "agency": agency,
        "year": report_year(report, path),
        "level": meta.agency_kind,
        "region": region(agency, path, audited or []),
        "figures": storable(json.dumps(figures(report), ensure_ascii=False)),
        "findings": [finding_row(f) for f in result.findings if f.category != "cross-year"],
    }
