"""A pool of worker processes that lint one file at a time under a time and a memory limit.

A file that hangs past its time limit has its worker killed and replaced; a worker that dies
(segfault, out of memory) is replaced too. Either way the file is reported as failed with the
reason, and every other file still gets its result. Results go back to the coordinating process,
which alone writes the database. Workers die with the coordinator, even when it is SIGKILLed.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterable


@dataclass
class WorkerLimits:
    """What a worker may spend on one file (``config.Limits`` are those of reading a file)."""

    seconds: float = 120.0  # per file
    memory_mb: int = 1024  # address space per worker process (0: no limit)


def _serve(conn, limits: WorkerLimits, job: Callable[[str], dict], parent: int) -> None:
    import faulthandler

    faulthandler.disable()  # a crash is reported by the coordinator, not dumped on the console
    from linter.isolate import die_with_parent

    die_with_parent(parent)  # a killed coordinator leaves no worker behind
    if limits.memory_mb:
        try:
            import resource

            cap = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ImportError, ValueError, OSError):
            pass
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            conn.send(job(task))
        except MemoryError:
            conn.send({"path": task, "status": "failed", "reason": f"超出内存上限（{limits.memory_mb} MB）"})
        except Exception as exc:  # a bug on one file must not stop the others
            conn.send({"path": task, "status": "failed", "reason": f"内部错误：{type(exc).__name__}: {exc}"})


class _Worker:
    def __init__(self, ctx, limits: WorkerLimits, job):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, limits, job, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.task: str | None = None
        self.since = 0.0

    def give(self, task: str) -> None:
        self.task, self.since = task, time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def run(tasks: Iterable[str], job: Callable[[str], dict], workers: int, limits: WorkerLimits,
        on_result: Callable[[dict], None]) -> None:
    """Run ``job`` on every task; call ``on_result`` in this process for each outcome."""
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    queue = list(tasks)[::-1]
    pool = [_Worker(ctx, limits, job) for _ in range(max(1, min(workers, len(queue))))]
    try:
        while queue or any(w.task for w in pool):
            for w in pool:
                if w.task is None and queue:
                    w.give(queue.pop())
            ready = wait([w.conn for w in pool if w.task], timeout=0.2)
            for w in list(pool):
                if w.task is None:
                    continue
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        w.task = None
                        on_result(result)
                        continue
                failed = None
                if not w.proc.is_alive():
                    failed = f"处理进程意外退出（退出码 {w.proc.exitcode}），可能是文件触发了崩溃或内存耗尽"
                elif time.monotonic() - w.since > limits.seconds:
                    failed = f"处理超时（超过 {limits.seconds:g} 秒）"
                if failed:
                    task = w.task
                    w.kill()
                    pool[pool.index(w)] = _Worker(ctx, limits, job)
                    on_result({"path": task, "status": "failed", "reason": failed})
    finally:
        for w in pool:
            try:
                w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            w.proc.join(2)
            if w.proc.is_alive():
                w.kill()
