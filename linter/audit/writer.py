"""Storing an audit's results as they come back from the workers: a batch of files per
transaction (``BATCH`` files, or fewer when ``BATCH_SECONDS`` have passed), and the counts and
the progress shown only for what is stored, so a killed audit has lost nothing it reported as
done."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from linter.audit import store
from linter.safetext import shown_path

BATCH = 64  # results stored in one transaction
BATCH_SECONDS = 1.0  # ... or fewer, when this long has passed since the last batch


@dataclass
class Summary:
    total: int = 0
    linted: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    cross_year: int = 0
    removed: int = 0  # files of the audited folders found gone since an earlier run


class Writer:
    """Stores results a batch at a time, one transaction per batch, and counts and reports
    (``progress``) only what is stored."""

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
            store.store_many(self.con, self.run_id, self.ruleset, self.rows)
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
