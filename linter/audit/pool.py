"""A pool of worker processes that lint one file at a time under a time and a memory limit.

Each worker is kept ``ahead`` files in advance (the next paths wait in its pipe), so it never
idles while the coordinating process stores results. A file that hangs past its time limit has
its worker killed and replaced; a worker that dies (segfault, out of memory) is replaced too.
Either way the file is reported as failed with the reason, the files queued behind it go to the
new worker, and every other file still gets its result. Results go back to the coordinating
process, which alone writes the database. Workers die with the coordinator, even when it is
SIGKILLed. A task is a path, or whatever string the job reads (``crossdoc`` gives ranges).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import wait


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
        gc.freeze()  # a forked worker then shares the coordinator's objects instead of copying them
        try:
            self.proc.start()
        finally:
            gc.unfreeze()
        child.close()
        self.tasks: deque[str] = deque()  # in its pipe, in order; the first is the one being linted
        self.since = 0.0  # when the first of ``tasks`` started

    def give(self, task: str) -> None:
        if not self.tasks:
            self.since = time.monotonic()
        self.tasks.append(task)
        try:
            self.conn.send(task)
        except OSError:  # it has just died: the task goes to its replacement with the others
            pass

    def done(self) -> str:
        """The first task is finished: the next one starts now."""
        task = self.tasks.popleft()
        self.since = time.monotonic()
        return task

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def run(
    tasks: Iterable[str],
    job: Callable[[str], dict],
    workers: int,
    limits: WorkerLimits,
    on_result: Callable[[dict], None],
    ahead: int = 2,
    on_idle: Callable[[], None] | None = None,
) -> None:
    """Run ``job`` on every task; call ``on_result`` in this process for each outcome, and
    ``on_idle`` at least every 0.2 s while waiting."""
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    queue = deque(tasks)
    pool = [_Worker(ctx, limits, job) for _ in range(max(1, min(workers, len(queue))))]
    ahead = max(1, ahead)
    try:
        while queue or any(w.tasks for w in pool):
            for w in pool:
                while queue and len(w.tasks) < ahead:
                    w.give(queue.popleft())
            busy = [w for w in pool if w.tasks]
            # wake at the first deadline (and at least every 0.2 s), so a file over its time limit
            # is stopped when the limit passes, not when it happens to finish
            left = min((w.since + limits.seconds for w in busy), default=0.0) - time.monotonic()
            ready = wait([w.conn for w in busy], timeout=min(0.2, max(0.0, left)))
            for w in list(pool):
                if not w.tasks:
                    continue
                if w.conn in ready:  # a result that came in time
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        w.done()
                        on_result(result)
                        continue
                failed = None
                if not w.proc.is_alive():
                    failed = f"处理进程意外退出（退出码 {w.proc.exitcode}），可能是文件触发了崩溃或内存耗尽"
                elif time.monotonic() - w.since > limits.seconds:
                    failed = f"处理超时（超过 {limits.seconds:g} 秒）"
                if failed:
                    task = w.tasks.popleft()
                    queue.extendleft(reversed(w.tasks))  # not started: they go to the next worker
                    w.kill()
                    pool[pool.index(w)] = _Worker(ctx, limits, job)
                    on_result({"path": task, "status": "failed", "reason": failed})
            if on_idle is not None:
                on_idle()
    finally:
        for w in pool:
            try:
                w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            w.proc.join(2)
            if w.proc.is_alive():
                w.kill()
