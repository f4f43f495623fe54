"""Running the reading of untrusted files in a forked reader process that hard limits can stop.

A PDF page can keep PDFium busy inside one C call for minutes and gigabytes, where no Python
time limit reaches. ``bounded(fn, *args, memory_mb=…)`` sends the call to a reader process (a
fork of this one, started on first use and kept for the next files, so its imports and library
caches stay warm) and returns its pickled result. The reader runs under an address-space limit
(what it mapped when started plus ``memory_mb``); the caller's time limit
(``linter.timeout.deadline``) interrupts the wait, and the reader is then killed outright and
replaced at the next call. It also dies with its parent (a parent-death signal on Linux), and
retires itself once a file has left it with half its headroom used.

``spread(calls, memory_mb=…)`` makes several such calls at once, each in a reader of its own
(readers are kept by slot), so that one file's PDF pages are read on two processors
(``readers``: one per processor this process may use, at most two); each reader has its own
limit.

What ``fn`` raises is raised again here; a reader that ran out of memory or was killed by a
signal (a crash in a C library) is an ``Isolated`` error with a message for users. Where there
is no fork (Windows), or other threads are running (a fork would copy their locks), callers
read in place and only the Python limits apply (``available``).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import threading

_MB = 1 << 20
_HEADER = struct.Struct("!Q")


class Isolated(Exception):
    """The reader could not give a result; the message is for users (Chinese)."""


def available() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _mapped_bytes() -> int:
    """The address space this process maps now (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent (pid ``parent``) dies; Linux only."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request took hold
        os._exit(1)


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int, size: int) -> bytes | None:
    """Exactly ``size`` bytes, or None at the end of the pipe. The caller's time limit
    interrupts the wait (the signal handler raises)."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 16 * _MB))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _message(fd: int) -> bytes | None:
    head = _read(fd, _HEADER.size)
    return None if head is None else _read(fd, _HEADER.unpack(head)[0])


def _serve(requests: int, replies: int, memory_mb: int, parent: int) -> None:
    """The reader's loop: one call at a time, until the pipe closes or it retires."""
    die_with_parent(parent)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
    start = _mapped_bytes()
    if memory_mb:
        try:
            import resource

            cap = start + memory_mb * _MB
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ImportError, ValueError, OSError):
            pass
    while True:
        request = _message(requests)
        if request is None:
            return
        retire = False
        try:
            fn, args = pickle.loads(request)
            payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload, retire = pickle.dumps(("memory", None)), True
        except Exception as exc:  # noqa: BLE001 — raised again in the parent, which decides
            try:
                payload = pickle.dumps(("raise", exc))
            except Exception:  # noqa: BLE001 — an exception that cannot travel
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        if memory_mb and _mapped_bytes() - start > memory_mb * _MB // 2:
            retire = True  # freed memory is not always given back: start afresh
        _write(replies, pickle.dumps(retire) + payload)
        if retire:
            return


class _Reader:
    def __init__(self, memory_mb: int):
        self.memory_mb, self.owner = memory_mb, os.getpid()
        to_child, self.requests = os.pipe()
        self.replies, from_child = os.pipe()
        gc.freeze()  # the reader's collector leaves the objects it inherits alone: fewer pages copied
        try:
            self.pid = os.fork()
        except OSError:
            gc.unfreeze()
            for fd in (to_child, self.requests, self.replies, from_child):
                os.close(fd)
            raise
        if self.pid == 0:
            status = 0
            try:
                os.close(self.requests)
                os.close(self.replies)
                for other in _readers.values():  # another reader sees the end of its pipe
                    other.drop(keep=(to_child, from_child))  # only when no one else holds it
                _serve(to_child, from_child, memory_mb, self.owner)
            except BaseException:  # noqa: BLE001 — nothing may escape into the parent's code
                status = 1
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(to_child)
        os.close(from_child)

    def send(self, fn, args) -> bool:
        """Hand the reader a call; False when it is gone."""
        try:
            _write(self.requests, pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:
            return False
        return True

    def answer(self):
        """(retire, kind, value) from the reader; None when it died before answering."""
        reply = _message(self.replies)
        if reply is None:
            return None
        retire, rest = _unpickle_two(reply)
        return (retire, *rest)

    def drop(self, keep: tuple[int, ...] = ()) -> None:
        """Close this process's ends of the reader's pipes, but for the descriptors in ``keep``."""
        for fd in (self.requests, self.replies):
            if fd in keep:
                continue
            try:
                os.close(fd)
            except OSError:
                pass

    def close(self, kill: bool) -> int:
        """Stop the reader (at once when ``kill``) and return its wait status."""
        self.drop()
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                return os.waitpid(self.pid, 0)[1]
            except ChildProcessError:
                return 0
            except InterruptedError:
                continue


def _unpickle_two(data: bytes):
    import io

    stream = io.BytesIO(data)
    first = pickle.load(stream)
    return first, pickle.load(stream)


_readers: dict[int, _Reader] = {}  # by slot: one file's calls made at once go to readers 0, 1, ...


def _died(status: int, memory_mb: int) -> Isolated:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return Isolated(f"读取进程被信号 {name} 终止：文件触发了崩溃，或超出内存上限（{memory_mb} MB），未完成检查")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return Isolated(f"读取进程意外退出（退出码 {code}），可能超出内存上限（{memory_mb} MB）")


def bounded(fn, *args, memory_mb: int = 0):
    """``fn(*args)`` computed in the reader process under ``memory_mb`` more megabytes (0: no
    limit); ``fn`` and the arguments must pickle (a module-level function). What ``fn`` raises is
    raised here; ``Isolated`` when the reader ran out of memory or died."""
    return spread([(fn, args)], memory_mb)[0]


def readers() -> int:
    """How many readers one file's calls may use at once: one per processor this process may
    run on, at most two."""
    try:
        return max(1, min(2, len(os.sched_getaffinity(0))))
    except (AttributeError, OSError):
        return max(1, min(2, os.cpu_count() or 1))


def spread(calls: list[tuple], memory_mb: int = 0) -> list:
    """The results of the calls ``(fn, args)``, computed at once, each in a reader of its own
    (each under ``memory_mb``), as ``bounded`` computes one; the first failure is raised once
    all have answered."""
    slots = range(len(calls))
    for slot in slots:
        reader = _readers.get(slot)
        if reader is not None and (reader.owner != os.getpid() or reader.memory_mb != memory_mb):
            del _readers[slot]  # a reader of another limit, or of the process this one was forked from
            if reader.owner == os.getpid():  # (an inherited one's pipes are left as they are: their
                reader.close(kill=True)  # numbers may have been closed and given to other files)
            reader = None
        if reader is None:
            try:
                _readers[slot] = _Reader(memory_mb)
            except OSError:  # no more processes (a limit on them): the rest after, in the readers there are
                if not slot:
                    raise
                return spread(calls[:slot], memory_mb) + spread(calls[slot:], memory_mb)
    answers: list = [None] * len(calls)
    try:
        sent = [_readers[slot].send(fn, args) for slot, (fn, args) in zip(slots, calls)]
        for slot in slots:
            answers[slot] = _readers[slot].answer() if sent[slot] else None
    finally:
        statuses = {}
        for slot in slots:  # died, retired, or interrupted by the time limit
            if answers[slot] is None or answers[slot][0]:
                statuses[slot] = _readers.pop(slot).close(kill=answers[slot] is None)
    values = []
    for slot in slots:
        if answers[slot] is None:
            raise _died(statuses[slot], memory_mb)
        _, kind, value = answers[slot]
        if kind == "memory":
            raise Isolated(
                f"读取时超出内存上限（{memory_mb} MB），未完成检查（可在配置的 limits.max_memory_mb 中调整）"
            )
        if kind == "raise":
            raise value
        if kind == "error":
            raise RuntimeError(value)
        values.append(value)
    return values
